"""Charts of a catalog's health: products per stock bucket and per category (no Streamlit here)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeAlias

import altair as alt
import pandas as pd

from fashionai.output.palette import PLUM, ROSE, ROW_HEIGHT, house_style

Counts: TypeAlias = Mapping[str, int] | pd.Series | pd.DataFrame
"""label -> count as a mapping, a Series (index -> count) or a DataFrame with a "count" column
and one label column."""


def _counts_frame(counts: Counts) -> pd.DataFrame:
    """label, count and share from a mapping, a Series (index -> count) or a
    DataFrame with a "count" column and one label column; order is kept."""
    if isinstance(counts, pd.DataFrame):
        labels = [c for c in counts.columns if c != "count"]
        if "count" not in counts.columns or len(labels) != 1:
            raise ValueError("expected a 'count' column and one label column")
        frame = counts.rename(columns={labels[0]: "label"})[["label", "count"]]
    else:
        series = pd.Series(counts) if not isinstance(counts, pd.Series) else counts
        frame = pd.DataFrame({"label": list(series.index), "count": list(series.to_numpy())})
    frame = frame.astype({"label": "str", "count": "int64"}).reset_index(drop=True)
    total = frame["count"].sum()
    frame["share"] = frame["count"] / total if total else 0.0
    return frame


_COUNT_TOOLTIPS = [
    alt.Tooltip("count:Q", title="Products", format=","),
    alt.Tooltip("share:Q", title="Share", format=".1%"),
]


def stock_distribution_chart(counts: Counts) -> alt.Chart:
    """Products per stock bucket, as columns in the order given (e.g. out, low, ok)."""
    data = _counts_frame(counts)
    return house_style(
        alt.Chart(data)
        .mark_bar(color=PLUM, cornerRadiusEnd=3)
        .encode(
            x=alt.X("label:N", sort=list(data["label"]), title="Stock", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("count:Q", title="Products"),
            tooltip=[alt.Tooltip("label:N", title="Stock"), *_COUNT_TOOLTIPS],
        )
        .properties(title="How much of the catalog is in stock", width="container", height=260)
    )


def top_counts(counts: Counts, top: int) -> pd.DataFrame:
    """`_counts_frame`'s rows of the `top` largest counts (ties in the order given), largest
    first, then one row summing the rest, labelled "Other categories (n)"; shares are of the whole."""
    data = _counts_frame(counts).sort_values("count", ascending=False, kind="stable")
    if top < 1:
        raise ValueError("top must be at least 1")
    if len(data) <= top:
        return data.reset_index(drop=True)
    rest = data.iloc[top:]
    other = pd.DataFrame({"label": [f"Other categories ({len(rest):,})"], "count": [int(rest["count"].sum())],
                          "share": [float(rest["share"].sum())]})
    return pd.concat([data.iloc[:top], other], ignore_index=True).astype({"label": "str", "count": "int64"})


def category_sizes_chart(counts: Counts, *, top: int | None = None) -> alt.Chart:
    """Products per category, as horizontal bars, largest first.

    With `top`, only the `top` largest categories get a bar; the others are summed into
    one last bar ("Other categories (n)"), so a catalog of thousands stays readable.
    """
    data = _counts_frame(counts) if top is None else top_counts(counts, top)
    order: str | list[str] = "-x" if top is None else list(data["label"])
    title: str | alt.TitleParams = "Products per category"
    if top is not None and len(data) > top:
        title = alt.TitleParams(title, subtitle=f"The {top} largest categories; the rest summed in the last bar.")
    return house_style(
        alt.Chart(data)
        .mark_bar(color=ROSE, cornerRadiusEnd=3)
        .encode(
            y=alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=220)),
            x=alt.X("count:Q", title="Products"),
            tooltip=[alt.Tooltip("label:N", title="Category"), *_COUNT_TOOLTIPS],
        )
        .properties(title=title, width="container", height=alt.Step(ROW_HEIGHT))
    )
