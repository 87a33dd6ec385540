"""A collection over time as a chart: its slices (and the days none was live) by day, coloured by state."""

from __future__ import annotations

import altair as alt
import pandas as pd

from fashionai.output.palette import BLUSH, PLUM, ROSE, ROW_HEIGHT, SAGE, color_scale, house_style

STATE_COLORS = {"live": SAGE, "over the limit": ROSE, "not live": BLUSH}
"""Each state of a day (`fashionai.storefront.collection_timeline.STATES`) and its colour."""


def collection_timeline_chart(days: pd.DataFrame, *, limit: float) -> alt.Chart:
    """Slices × days: a square a day a slice (or "no slice live") was seen, coloured live, over the limit or
    not live. `days` is `CollectionTimeline.days` (day, slice, state, answers, flagged_share: inactive or out of
    stock)."""
    rows = list(dict.fromkeys(days["slice"]))
    data = days.assign(share_text=[
        "" if share != share else f"{share:.0%}" for share in days["flagged_share"]])
    return house_style(
        alt.Chart(data)
        .mark_rect(cornerRadius=2, stroke="white", strokeWidth=1)
        .encode(
            x=alt.X("yearmonthdate(day):O", title="Day (UTC)", axis=alt.Axis(format="%d %b", labelAngle=-45)),
            y=alt.Y("slice:N", sort=rows, title=None),
            color=alt.Color("state:N", title="State", scale=color_scale(STATE_COLORS)),
            tooltip=[alt.Tooltip("day:T", title="Day", format="%d %b %Y"), alt.Tooltip("slice:N", title="Slice"),
                     alt.Tooltip("state:N", title="State"), alt.Tooltip("answers:Q", title="Answers saved"),
                     alt.Tooltip("share_text:N", title="Inactive or out of stock")],
        )
        .properties(title=alt.Title("Which slice was live when",
                                    subtitle=(f"Over the limit: more than {limit:.0%} of its products inactive or "
                                              "out of stock"),
                                    color=PLUM),
                    width="container", height=max(3, len(rows)) * ROW_HEIGHT * 2)
    )
