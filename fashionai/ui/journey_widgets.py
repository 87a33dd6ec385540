"""The personas and journeys page's drawing (pages/journey.py owns it): the journey editor, the planned
steps with their download, and the drift's figures and chart.

The page passes its key prefix (`key`): every widget key here is ``f"{key}_..."``, so the page's keys
stay the page's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import streamlit as st

from fashionai.catalog import Catalog
from fashionai.domain import call_label
from fashionai.journeys.journey import JOURNEY_EVENTS, Journey, journey_to_json, steps_frame, steps_from_frame
from fashionai.journeys.view import Drift, editor_token, file_name, planned_steps, product_names
from fashionai.output import charts
from fashionai.text.formatting import escape_markdown
from fashionai.ui.session import remembered
from fashionai.ui.chart_widgets import chart_key

SEARCH_COLUMNS = ("name", "category", "style", "color")
"""The catalog columns the product search shows (those the catalog has)."""


def journey_editor(base: Journey, categories: Sequence[str], catalog: Catalog, *, key: str,
                   expanded: bool) -> Journey | None:
    """Edit `base` (its name, description, target category and steps, with a product search beside them):
    the journey edited, or None (and why, under the editor) when it cannot run. Another `base` gives
    fresh editors."""
    token = editor_token(base)
    with st.expander("Edit the journey", icon=":material/edit:", expanded=expanded):
        name = st.text_input("Name", value=base.name, key=f"{key}_name_{token}")
        description = st.text_area("Description", value=base.description, key=f"{key}_description_{token}",
                                   height=68)
        targets = categories if base.target_category in categories else [base.target_category, *categories]
        target = st.selectbox(
            "Target category (its ranking is fetched after every step)", targets,
            index=targets.index(base.target_category), key=f"{key}_target_{token}", accept_new_options=True,
            help="A category id Fashion.AI knows. A loaded journey keeps its own, even if your catalog lacks it.",
        )
        edited = st.data_editor(
            steps_frame(base, product_names(catalog)), key=f"{key}_steps_{token}", num_rows="dynamic",
            hide_index=True, width="stretch",
            column_config={
                "event_type": st.column_config.SelectboxColumn("The shopper opens", options=list(JOURNEY_EVENTS),
                                                               required=True,
                                                               format_func=lambda event: call_label(str(event))),
                "id": st.column_config.TextColumn(
                    "Id", help="A category id for a category page, a product id for a product page or a look, "
                               "the query for a search, empty for the home shelf."),
                "name": st.column_config.TextColumn(
                    "Product", disabled=True, help="The product's name in your catalog, for the steps as they were "
                                                   "loaded (the planned steps below name every step's product)."),
            },
        )
        with st.popover("Find a product id", icon=":material/search:"):
            query = st.text_input("Name or id", key=f"{key}_search", placeholder="e.g. dress")
            if query.strip():
                found = remembered(f"{key}_search_result", (catalog.fingerprint, query.strip()),
                                   lambda: catalog.search(query, limit=20))
                shown = found[[c for c in SEARCH_COLUMNS if c in found.columns]]
                st.dataframe(shown.reset_index(), hide_index=True, width="stretch")
    try:
        return Journey(name, description, target or "", steps_from_frame(edited))
    except ValueError as err:
        st.error(f"**This journey cannot run yet:** {escape_markdown(err)}.", icon=":material/rule:")
        return None


def planned_table(journey: Journey, catalog: Catalog, names: Mapping[str, str] | None) -> None:
    """The steps a run would send, whether their ids are in the catalog, and the journey's JSON download."""
    st.dataframe(planned_steps(journey, catalog, names), hide_index=True, width="stretch", column_config={
        "step": st.column_config.NumberColumn("Step"),
        "what the shopper does": st.column_config.TextColumn("What the shopper does"),
        "in your catalog": st.column_config.CheckboxColumn("In your catalog"),
    })
    st.download_button("Save as JSON", journey_to_json(journey), file_name=file_name(journey),
                       mime="application/json", on_click="ignore", icon=":material/download:")


def drift_section(headline: Drift, k: int) -> None:
    """The drift's headline figures, and its chart (or why there is none)."""
    for cell, (label, value) in zip(st.columns(len(headline.metrics)), headline.metrics, strict=True):
        cell.metric(label, value)
    if headline.reading:
        st.markdown(escape_markdown(headline.reading))
    if headline.long.empty:
        st.info("The target category has no products in your catalog and Fashion.AI returned none.",
                icon=":material/search_off:")
    else:
        st.altair_chart(charts.drift_chart(headline.long, k=k, info=headline.info), width="stretch", theme=None)
        st.caption("Each point carries its product's letter, named in the key below.")
        chart_key(charts.drift_key(headline.long, k=k, info=headline.info))
        st.caption("Step 0 is the store's native order: a new session gets an empty answer from Fashion.AI, so "
                   "the storefront shows its own order. No call is made for it.")

