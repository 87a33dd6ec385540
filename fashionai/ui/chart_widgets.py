"""Rank changes and chart keys as several pages show them (Compare, History, Journeys): how one
ranking moved against another (counts, the chart of its biggest moves or all, the table), and the key of a
bump or drift chart."""

from __future__ import annotations

from collections.abc import Mapping
import pandas as pd
import streamlit as st

from fashionai.compare.compared import Comparison
from fashionai.compare.view import change_counts, change_reading
from fashionai.output import charts
from fashionai.text.formatting import escape_markdown
from fashionai.ui.cards import products_table


def changes_top(changes: pd.DataFrame, *, key: str) -> int | None:
    """How many products the rank-changes chart draws: `charts.CHANGES_TOP` (the biggest moves), unless there
    are more and the toggle under `key` asks for all (None)."""
    count = len(changes)
    show_all = count > charts.CHANGES_TOP and st.toggle(
        f"Chart all {count:,} products", key=key,
        help=f"The chart shows the {charts.CHANGES_TOP} products that moved most places; the table lists all.")
    return None if show_all else charts.CHANGES_TOP


def rank_changes(comparison: Comparison, reference: str, other: str, *, k: int, currency: str, key: str,
                 labels: Mapping[str, str] | None = None) -> None:
    """How `other`'s top K moved against `reference`'s: four counts, the chart (its biggest moves, all of them
    when the toggle under `key` asks) and the table (`labels` adds column headers to the table's)."""
    changes = comparison.changes(reference, other)
    for cell, (label, count) in zip(st.columns(4), change_counts(changes, k), strict=True):
        cell.metric(label, count)
    st.markdown(escape_markdown(change_reading(changes, k)))
    st.altair_chart(charts.rank_change_chart(changes[["product_id", "ref_rank", "rank", "change", "delta"]],
                                             comparison.info, top=changes_top(changes, key=key)),
                    width="stretch", theme=None)
    products_table(changes.drop(columns=["change", "delta"]), currency=currency, keep_order=True,
                   labels={"movement": "Change", "name": "Product", **(labels or {})})


def chart_key(key: pd.DataFrame) -> None:
    """The key of a bump or drift chart (`charts.bump_key`, `charts.drift_key`): each letter drawn in the chart's
    points and the product it stands for, in full."""
    st.dataframe(key, hide_index=True, width="stretch", column_config={
        "key": st.column_config.TextColumn("Key", width="small"), "name": st.column_config.TextColumn("Product"),
        "product_id": st.column_config.TextColumn("Product id")})
