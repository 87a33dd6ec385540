"""The Audits page's scorecard: why fair exposure reads what it does (fashionai.audit.exposure_groups), each
group's share of exposure against its share of the catalog, and the groups never shown."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import streamlit as st

from fashionai.audit.exposure_groups import ExposureGroups, exposure_groups
from fashionai.audit.model import Answer, AuditRun
from fashionai.audit.scorecard import Scorecard
from fashionai.text.formatting import escape_markdown
from fashionai.ui.audit_runs import call
from fashionai.ui.page_context import Context

__all__ = ["exposure_panel"]

EXPOSURE_KEY = "_audit_exposure_groups"
"""(run id, its answers' count, catalog fingerprint, ExposureGroups): worked out once while they stay the same."""


def exposure_panel(ctx: Context, run: AuditRun, card: Scorecard, answers: Callable[[], Sequence[Answer]]) -> None:
    """Below the scorecard: why fair exposure across groups reads what it does, and the table of the groups
    (`answers`: the run's, read when needed); nothing when the run has no category page or the catalog no
    attribute with two groups (fair exposure is not measured then)."""
    if ctx.catalog.fingerprint != run.catalog_fingerprint:
        st.caption(f"Each group's share of exposure is worked out with the run's catalog "
                   f"({escape_markdown(run.catalog_name)}): open it to see why fair exposure reads what it does.")
        return
    key = (run.id, run.done_calls, ctx.catalog.fingerprint)
    kept = st.session_state.get(EXPOSURE_KEY)
    found: ExposureGroups | None = kept[3] if kept is not None and kept[:3] == key else None
    if found is None:
        found = call(lambda: exposure_groups(answers(), ctx.catalog, k=card.k))
        if found is None:
            return
        st.session_state[EXPOSURE_KEY] = (*key, found)
    if not found.categories or found.table.empty:
        return
    st.caption(f":material/balance: {escape_markdown(found.words())}")
    with st.expander("Exposure by group", icon=":material/balance:"):
        st.caption("Pooled over the category pages: a group's share of the top-K places' weight (rank r weighs "
                   "1/log2(1 + r)) against its share of those categories' products.")
        st.dataframe(found.table, hide_index=True, width="stretch", column_config={
            "attribute": "Attribute", "group": "Group",
            "exposure_share": st.column_config.NumberColumn("Share of exposure", format="percent"),
            "catalog_share": st.column_config.NumberColumn("Share of catalog", format="percent")})
