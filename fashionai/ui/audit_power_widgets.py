"""The Audits page's plan form: how many shoppers a change needs, from the twins of earlier runs
(fashionai.audit.power), a change size asked per headline measure."""

from __future__ import annotations

import streamlit as st

from fashionai.audit.plan import PlanError, plan_from_json
from fashionai.audit.power import CHANGE_UNITS, TwinSpread, formula_words, needed_rows, twin_spread
from fashionai.audit.registry import HEADLINE_MEASURES, MEASURE_INFO
from fashionai.audit.store import AuditStore
from fashionai.text.formatting import plural
from fashionai.ui.audit_runs import call
from fashionai.ui.page_context import Context

__all__ = ["MAX_RUNS", "shoppers_needed_panel"]

MAX_RUNS = 5
"""The newest finished runs with twins, on the catalog in use, whose twins make the spread."""
SPREAD_KEY = "_audit_twin_spread"
"""(run ids, catalog fingerprint, TwinSpread): the spread worked out once while those runs are the newest."""


def _twin_runs(store: AuditStore, fingerprint: str) -> tuple[list[tuple[str, int]], int]:
    """(run id, its K) of the newest MAX_RUNS finished runs with twins on this catalog, and how many finished runs
    with twins are on another catalog."""
    found: list[tuple[str, int]] = []
    elsewhere = 0
    for run in call(store.runs) or []:
        if not run.finished:
            continue
        try:
            plan = plan_from_json(run.plan_json)
        except PlanError:
            continue
        if plan.stability_twins <= 0:
            continue
        if run.catalog_fingerprint != fingerprint:
            elsewhere += 1
        elif len(found) < MAX_RUNS:
            found.append((run.id, plan.k))
    return found, elsewhere


def _spread(ctx: Context, store: AuditStore, runs: list[tuple[str, int]]) -> TwinSpread | None:
    key = (tuple(run_id for run_id, _ in runs), ctx.catalog.fingerprint)
    kept = st.session_state.get(SPREAD_KEY)
    if kept is not None and kept[:2] == key:
        return kept[2]
    with st.spinner("Reading the twins of earlier runs…"):
        spread = call(lambda: twin_spread([list(store.answers(run_id)) for run_id, _ in runs], ctx.catalog,
                                          k=[k for _, k in runs]))
    if spread is not None:
        st.session_state[SPREAD_KEY] = (*key, spread)
    return spread


def shoppers_needed_panel(ctx: Context, store: AuditStore, *, key: str) -> None:
    """Shoppers needed to tell a change from noise, per headline measure, for a change the user sets; or why
    it cannot be said (no earlier run with twins)."""
    st.markdown("**Shoppers needed to see a change**")
    st.caption(formula_words())
    runs, elsewhere = _twin_runs(store, ctx.catalog.fingerprint)
    if not runs:
        other = (f" ({plural(elsewhere, 'run')} with twins used another catalog: open it to use "
                 f"{'it' if elsewhere == 1 else 'them'})") if elsewhere else ""
        st.info(f"No earlier run with twins on this catalog{other}: run one with twins first (Stability twins "
                "above 0), then this says how many shoppers a change needs.", icon=":material/groups:")
        return
    spread = _spread(ctx, store, runs)
    if spread is None:
        return
    if spread.empty:
        st.info("The earlier runs with twins have no twin whose original was measured: run one with twins first.",
                icon=":material/groups:")
        return
    st.caption(f"From {plural(spread.pairs, 'twin pair')} of {plural(spread.runs, 'earlier run')} on this catalog.")
    for measure in HEADLINE_MEASURES:
        _, unit, offered = CHANGE_UNITS.get(MEASURE_INFO[measure].unit, (1.0, "", 0.05))
        label, change_cell, needed_cell = st.columns([2, 1, 2], vertical_alignment="bottom")
        change = change_cell.number_input(f"Change to see ({unit})" if unit else "Change to see", min_value=0.0,
                                          value=float(offered), step=float(offered) / 5, format="%g",
                                          key=f"{key}_change_{measure}")
        [row] = needed_rows(spread, {measure: float(change)}, [measure])
        label.markdown(f"{row['measure']}  \nTwins' spread: {row['spread']}")
        needed_cell.markdown(f"**{row['needed']}**")
