"""The compare page's drawing (pages/compare.py owns it): the lane cards, and the fetched comparison shown at
the page's K and p (its share link, exports, deck, report and tabs: bump chart, rank changes, why, measures,
top K, requests) with their column headers and help.

No widget keys here: the page's keys (lanes, K, p, reference) stay in the page, which reads them and
passes what they hold.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import replace

import altair as alt
import streamlit as st

from fashionai.compare.compared import Comparison
from fashionai.compare.export import comparison_export
from fashionai.compare.lanes import NATIVE
from fashionai.compare.view import MEASURE_HELP, LaneCard, change_counts, change_reading, lane_order
from fashionai.measures.ranking import MEASURES
from fashionai.output import charts, readings, share
from fashionai.text.formatting import escape_markdown
from fashionai.ui.errors import show_error
from fashionai.ui.cards import products_table
from fashionai.ui.chart_widgets import changes_top, chart_key
from fashionai.ui.exchange import exchange_expander
from fashionai.ui.explain_widgets import compare_explained
from fashionai.ui.export_widgets import view_tools
from fashionai.ui.handover_widgets import comparison_buttons
from fashionai.ui.links import lane_snapshots
from fashionai.ui.page_context import Context
from fashionai.ui.session import COMPARE_RESULT_KEY, COMPARE_VIEW_KEY

CARDS_PER_ROW = 4


def view_chart(comparison: Comparison, key: tuple, build: Callable[[], alt.TopLevelMixin]) -> None:
    """Draw the chart `build()` makes, built once per view: `key` names the chart and every view value it
    depends on, and its Vega-Lite spec is kept with the comparison's lanes (`Comparison.memo`), so a view seen
    before, or a chart the view change does not touch, costs no altair work. The spec is made without
    altair's schema validation (the builders' own tests validate every chart; validating again on each view
    change was a large part of the page's time)."""
    spec = comparison.memo(("chart spec", *key), lambda: build().to_dict(validate=False))
    st.vega_lite_chart(spec, width="stretch", theme=None)


def lane_card_grid(cards: Sequence[LaneCard]) -> None:
    """The lanes as cards, four a row: label, kind, how it went (its error, its wait or its note), first names."""
    for start in range(0, len(cards), CARDS_PER_ROW):
        for cell, card in zip(st.columns(CARDS_PER_ROW), cards[start:start + CARDS_PER_ROW], strict=False):
            with cell, st.container(border=True):
                st.markdown(f"**{card.label}**")
                st.caption(card.kind)
                if card.state == "failed":
                    if card.error is not None:
                        show_error(card.error, what=f"Lane {card.label}")
                    st.caption(card.note)
                elif card.state == "waiting":
                    st.warning(card.note, icon=":material/hourglass_empty:")
                else:
                    st.caption(card.note)
                if card.top:
                    st.text(card.top)


def comparison_shown(ctx: Context, comparison: Comparison, *, k: int, p: float, reference: str,
                     others: Sequence[str], other: str, currency: str, key: str, tab_key: str) -> None:
    """The fetched comparison measured again at `k` and `p` from its stored rankings (no call), kept as the
    page's result; then its share link and exports (under `key`), its deck and report (with a session lane's
    experiment, when one is shown below), and its tabs (the open one kept under `tab_key`)."""
    comparison = comparison.remeasure(k=k, p=p)  # from the stored rankings: no call to Fashion.AI
    st.session_state[COMPARE_RESULT_KEY] = comparison
    st.caption(":material/info: Changing K, p or the reference recomputes from the fetched rankings: "
               "Fashion.AI is not called again.")
    fetched = st.session_state.get(COMPARE_VIEW_KEY) or share.CompareView(category=comparison.category)
    export = comparison.memo(("export", k, p, reference), lambda: comparison_export(comparison, reference))
    run_id, lane, explained = compare_explained(ctx, comparison)  # a session lane's experiment, when one is shown
    view_tools(replace(fetched, k=k, p=p, reference=reference, other=other, snapshots=lane_snapshots(comparison),
                       explain=run_id, explain_lane=lane), export, key=key)
    comparison_buttons(ctx, comparison, reference=reference, others=others, other=other,
                       extra=explained)  # a deck and a report

    comparison_tabs(comparison, reference=reference, others=others, other=other, k=k, p=p, currency=currency,
                    key=tab_key)


TABS = (":material/show_chart: Bump chart", ":material/swap_vert: Rank changes", ":material/lightbulb: Why",
        ":material/grid_on: Measures", ":material/table: Top K", ":material/code: Requests")


def comparison_tabs(comparison: Comparison, *, reference: str, others: Sequence[str], other: str, k: int,
                    p: float, currency: str, key: str) -> None:
    """The comparison measured at `k` and `p`, against `reference` (`other` the lane compared with it,
    `others` every usable lane but the reference), in six tabs (`TABS`), the open one kept under the page's
    `key`. Only the open tab is drawn: a view change (K, p, the lanes) then redraws one tab's charts, not
    seven, and opening another tab reruns the page's fragment to draw it (its charts kept per view)."""
    bump_tab, changes_tab, why_tab, measures_tab, table_tab, requests_tab = st.tabs(TABS, key=key,
                                                                                    on_change="rerun")
    if bump_tab.open:
        with bump_tab:
            order = lane_order(reference, others)
            view_chart(comparison, ("bump", k, tuple(order), other),
                       lambda: charts.bump_chart(comparison.rank_long, k=k, lane_order=order,
                                                 info=comparison.info, compared=other))
            st.caption(f"Lanes run from the reference ({escape_markdown(reference)}) in the cards' order; colour "
                       f"says how each product moved from it to {escape_markdown(other)}. Each point carries its "
                       "product's letter, named in the key below. Hover a product to follow it: the tooltip gives "
                       "its full name, stock and rank in every lane.")
            chart_key(comparison.memo(("bump key", k, tuple(order)), lambda: charts.bump_key(
                comparison.rank_long, k=k, lane_order=order, info=comparison.info)))
    if changes_tab.open:
        with changes_tab:
            change_summary(comparison, reference, k)
            st.markdown(f"**{escape_markdown(other)} against {escape_markdown(reference)}**")
            compared_changes(comparison, reference, other, k=k, currency=currency)
    if why_tab.open:
        with why_tab:
            why(comparison, k)
    if measures_tab.open:
        with measures_tab:
            measures(comparison, k, p, reference=reference, other=other)
    if table_tab.open:
        with table_tab:
            st.dataframe(comparison.top_k(), width="stretch")
    if requests_tab.open:
        with requests_tab:
            lane_exchanges(comparison)


def compared_changes(comparison: Comparison, reference: str, other: str, *, k: int, currency: str) -> None:
    """`widgets.rank_changes` of the compare page: four counts, the chart (built once per view) and the table."""
    changes = comparison.memo(("changes", k, reference, other), lambda: comparison.changes(reference, other))
    for cell, (label, count) in zip(st.columns(4), change_counts(changes, k), strict=True):
        cell.metric(label, count)
    st.markdown(escape_markdown(change_reading(changes, k)))
    top = changes_top(changes, key="compare_changes_all")
    view_chart(comparison, ("rank changes", k, reference, other, top), lambda: charts.rank_change_chart(
        changes[["product_id", "ref_rank", "rank", "change", "delta"]], comparison.info, top=top))
    products_table(changes.drop(columns=["change", "delta"]), currency=currency, keep_order=True,
                   labels={"movement": "Change", "name": "Product", "rank": f"Rank in {other}",
                           "ref_rank": f"Rank in {reference}"})


def change_summary(comparison: Comparison, reference: str, k: int) -> None:
    """How every lane's top K moved against the reference's: one row a lane."""
    summary = comparison.memo(("change summary", k, reference), lambda: comparison.change_summary(reference))
    st.markdown(f"**Top {k} of every lane against {escape_markdown(reference)}**")
    st.dataframe(summary, hide_index=True, width="stretch", column_config={
        "lane": st.column_config.TextColumn("Lane"),
        "up": st.column_config.NumberColumn("Moved up"), "down": st.column_config.NumberColumn("Moved down"),
        "same": st.column_config.NumberColumn("Same place"), "new": st.column_config.NumberColumn(f"New in top {k}"),
        "dropped": st.column_config.NumberColumn(f"Dropped from top {k}"),
    })


def why(comparison: Comparison, k: int) -> None:
    """How each lane's top K differs from the category, by colour, style, brand and price band."""
    if comparison.lift.empty:
        st.info("Your catalog has no colour, style, brand or price to explain the differences with.",
                icon=":material/info:")
        return
    st.caption(f"How each lane's top {k} differs from the category as a whole, by colour, style, brand "
               "and price band: bars right of the dashed line are what the lane shows more of.")
    count = charts.lift_value_count(comparison.lift)
    show_all = count > charts.WHY_TOP and st.toggle(
        f"Show all {count:,} attribute values", key="compare_why_all",
        help=f"The chart shows the {charts.WHY_TOP} values whose share differs most from the category's.")
    top = None if show_all else charts.WHY_TOP
    view_chart(comparison, ("why", k, top), lambda: charts.lift_chart(comparison.lift, top=top))
    with st.expander("The figures", icon=":material/table:"):
        st.dataframe(comparison.lift, hide_index=True, width="stretch", column_config={
            "share_top_k": st.column_config.NumberColumn(f"Share of top {k}", format="percent"),
            "share_category": st.column_config.NumberColumn("Share of category", format="percent"),
            "lift": st.column_config.NumberColumn("Lift", format="%.2f"),
            "count": st.column_config.NumberColumn(f"Products in top {k}"),
        })


def measures(comparison: Comparison, k: int, p: float, *, reference: str, other: str) -> None:
    """The reference and the compared lane in words; a heatmap a measure, two a row, each with the pair's plain
    reading (the measure's technical help beside it); then every pair of lanes as a table with its sentence."""
    pair = comparison.pair(reference, other)
    said = readings.measure_readings(pair, k) if pair else {}
    if pair:
        st.markdown(f"**{escape_markdown(reference)} and {escape_markdown(other)}:** "
                    f"{escape_markdown(readings.row_reading(pair, k))}")
    for row in (MEASURES[:2], MEASURES[2:]):
        for cell, measure in zip(st.columns(2), row, strict=True):
            with cell:
                matrix = comparison.matrices[measure]  # keyed by its figures: p moves only the RBO one
                view_chart(comparison, ("heatmap", measure, matrix.to_json(orient="split")),
                           functools.partial(charts.similarity_heatmap, matrix, measure))
                if measure in said:
                    st.markdown(escape_markdown(said[measure]), help=MEASURE_HELP[measure])
                else:
                    st.caption(MEASURE_HELP[measure])
    st.markdown("**Every pair of lanes**")
    table = comparison.pairwise.copy()
    table.insert(2, "reading", [readings.row_reading(row, k) for row in table.to_dict("records")])
    st.dataframe(table, hide_index=True, width="stretch", column_config={
        "lane_a": st.column_config.TextColumn("Lane"), "lane_b": st.column_config.TextColumn("Compared with"),
        "reading": st.column_config.TextColumn("In words", width="large"),
        "rbo": st.column_config.NumberColumn(f"Alike overall (p={p:.2f})", format="%.3f",
                                             help=MEASURE_HELP["rbo"]),
        "overlap_at_k": st.column_config.NumberColumn(f"Shared in top {k}", format="%.2f",
                                                      help=MEASURE_HELP["overlap"]),
        "jaccard_at_k": st.column_config.NumberColumn(f"Shared of either top {k}", format="%.2f",
                                                      help=MEASURE_HELP["jaccard"]),
        "kendall_tau": st.column_config.NumberColumn("Same order", format="%.2f", help=MEASURE_HELP["kendall"]),
    })


def lane_exchanges(comparison: Comparison) -> None:
    """The last exchange of each lane that called Fashion.AI (the native order calls nothing)."""
    st.caption("The last exchange of each lane that called Fashion.AI (a persona's last ranking fetch).")
    for lane in comparison.lanes:
        record = lane.recommendation if lane.ok else lane.error
        if lane.spec.kind != NATIVE:
            exchange_expander(record, label=f"{escape_markdown(lane.label)}: request and response")
