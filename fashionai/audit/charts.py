"""Charts of an audit: one measure across categories, the measures of a plan's runs over time (no Streamlit here)."""

from __future__ import annotations

import textwrap

import altair as alt
import pandas as pd

from fashionai.audit.model import MeasureInfo
from fashionai.output.palette import PLUM, ROSE, ROW_HEIGHT, SAGE, house_style

MAX_BARS = 24
"""The most categories a measure's chart draws (a bar each): past that, the best and the worst half each."""


def _axis_format(info: MeasureInfo) -> str:
    return ",.0f" if info.unit == "ms" else ".0%" if info.unit == "share" else ".2f"


def _title(info: MeasureInfo, width: int = 70) -> alt.TitleParams:
    """The measure's label, and its meaning (with its direction) as a subtitle wrapped to `width` characters."""
    direction = {"higher": "higher is better", "lower": "lower is better"}.get(info.better, "")
    return alt.TitleParams(info.label, subtitle=textwrap.wrap(f"{info.meaning}{f' ({direction})' if direction else ''}",
                                                              width))


def measure_across_chart(frame: pd.DataFrame, info: MeasureInfo) -> alt.Chart:
    """One measure across categories (`frame`: category, value), as horizontal bars, best first by its direction."""
    descending = info.better != "lower"
    data = frame.sort_values("value", ascending=not descending, kind="stable").reset_index(drop=True)
    color = SAGE if info.better == "higher" else ROSE if info.better == "lower" else PLUM
    title = _title(info)
    if len(data) > MAX_BARS:  # the best and the worst; the table below has them all
        half = MAX_BARS // 2
        data = pd.concat([data.head(half), data.tail(half)], ignore_index=True)
        title = alt.TitleParams(info.label, subtitle=[*title.subtitle, (f"The {half} best and the {half} worst of "
                                                                       f"{len(frame):,} categories.")])
    return house_style(
        alt.Chart(data)
        .mark_bar(color=color, cornerRadiusEnd=3)
        .encode(
            y=alt.Y("category:N", sort=list(data["category"]), title=None, axis=alt.Axis(labelLimit=200)),
            x=alt.X("value:Q", title=info.label, axis=alt.Axis(format=_axis_format(info))),
            tooltip=[alt.Tooltip("category:N", title="Category"),
                     alt.Tooltip("value:Q", title=info.label, format=_axis_format(info).replace("0%", "1%"))],
        )
        .properties(title=title, width="container", height=alt.Step(ROW_HEIGHT))
    )


TREND_PLOT, TREND_CHROME, SUBTITLE_LINE = 150, 110, 15
"""A runs-over-time chart's plot height, the pixels of its title and date axis, and of a line of its subtitle: the
height Streamlit fits the whole chart into is their sum, so the plot never shrinks to a sliver."""
TREND_WRAP = 44
"""Characters of a line of a runs-over-time chart's subtitle (half a page's width)."""


def _value_labels(info: MeasureInfo) -> alt.Axis:
    """The value axis: percent for a share, two decimals for a ratio, "140 ms" for a time; no title (the chart's
    title names the measure)."""
    if info.unit == "ms":
        return alt.Axis(title=None, tickCount=4, labelExpr="format(datum.value, ',.0f') + ' ms'")
    return alt.Axis(title=None, tickCount=4, format=_axis_format(info))


def trend_chart(frame: pd.DataFrame, info: MeasureInfo) -> alt.Chart:
    """One measure over a plan's runs (`frame`: started_at, run, value), a point a run joined by a line: the measure's
    label as the title, its meaning wrapped below it (`TREND_WRAP`), values on the axis in the measure's unit."""
    title = _title(info, width=TREND_WRAP)
    return house_style(
        alt.Chart(frame)
        .mark_line(color=PLUM, point=alt.OverlayMarkDef(color=PLUM, size=60))
        .encode(
            x=alt.X("started_at:T", title="Run started (UTC)",
                    axis=alt.Axis(format="%d %b %H:%M", labelAngle=-30, labelOverlap=True, tickCount=6)),
            y=alt.Y("value:Q", axis=_value_labels(info), scale=alt.Scale(zero=info.unit != "ms")),
            tooltip=[alt.Tooltip("run:N", title="Run"),
                     alt.Tooltip("started_at:T", title="Started (UTC)", format="%d %b %Y, %H:%M"),
                     alt.Tooltip("value:Q", title=info.label, format=_axis_format(info).replace("0%", "1%"))],
        )
        .properties(title=title, width="container",
                    height=TREND_PLOT + TREND_CHROME + SUBTITLE_LINE * len(title.subtitle))
    )
