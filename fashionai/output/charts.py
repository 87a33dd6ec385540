"""Altair charts of rankings: lanes compared and journeys drifting (no Streamlit here).

Each builder takes a tidy DataFrame (from `fashionai.measures.ranking`, `fashionai.measures.attributes`
or a `Comparison`) and returns an `alt.LayerChart` (bump, drift, rank change, lift,
heatmap). Charts fill their container's width (`width="container"`); only heights
are set, from the number of rows shown. The bump and drift charts live in `rank_charts`
(imported here, so `charts.bump_chart` still works); the catalog's are `catalog_charts`.

Colours come from `palette`, with movement coloured by meaning (sage = moved up,
rose = moved down, taupe = steady, plum = new).
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from fashionai.measures.ranking import move_note
from fashionai.output.chart_labels import key_lines, lane_tags
from fashionai.output.palette import BLUSH, INK, IVORY, PLUM, ROSE, ROW_HEIGHT, SAGE, TAUPE, color_scale, house_style
from fashionai.output.rank_charts import (  # the line charts live there; charts.bump_chart stays their address
    MOVEMENT_COLORS,
    bump_chart,
    bump_key,
    drift_chart,
    drift_key,
    info_tooltips,
    rank_text,
    with_info,
)

__all__ = ["CHANGES_TOP", "CHANGE_COLORS", "LANE_COLORS", "MEASURE_TITLES", "MOVEMENT_COLORS", "WHY_TOP",
           "biggest_moves", "bump_chart", "bump_key", "drift_chart", "drift_key", "key_lines", "lift_chart",
           "lift_value_count", "rank_change_chart",
           "similarity_heatmap"]

#: Lanes in order get these colours (then repeat).
LANE_COLORS = [PLUM, ROSE, "#8D6E9C", TAUPE, "#C9A46B", "#4F6D7A", "#7A8B5C", "#B07D62"]
#: Colour by `ranking.rank_changes` change (by movement in the line charts: `MOVEMENT_COLORS`).
CHANGE_COLORS = {"up": SAGE, "down": ROSE, "same": TAUPE, "new": PLUM, "dropped": BLUSH}
CHANGE_SHAPES = {"same": "circle", "new": "diamond", "dropped": "cross"}

MEASURE_TITLES = {
    "rbo": "Alike overall, top first (RBO)",
    "overlap": "Shared in the top K (overlap)",
    "jaccard": "Shared of either top K (Jaccard)",
    "kendall": "Same order (Kendall's tau)",
}
"""Each measure's plain name, its technical one in brackets (the heatmaps' titles and legends)."""
CHANGES_TOP = 20
"""Products the rank-changes chart shows unless asked for all: the biggest moves (20 rows fit a projector's window)."""
WHY_TOP = 8
LIFT_CHROME = 110
"""Attribute values the Why chart shows unless asked for all: those whose lift strays furthest from 1."""


def biggest_moves(changes: pd.DataFrame, top: int | None) -> pd.DataFrame:
    """The `top` rows of `changes` (`ranking.rank_changes`) that moved most places, in the frame's order; a
    product absent from a full list (no move to draw) comes last. All of them when `top` is None."""
    if top is None or len(changes) <= top:
        return changes
    moved = changes["delta"].astype("float64").abs().fillna(-1.0).reset_index(drop=True)
    keep = moved.sort_values(ascending=False, kind="stable").index[:top]
    return changes.iloc[sorted(keep)]


NOTES_ROOM = 0.3
"""Room kept beyond the longest bar, either way, for its note ("from #70"), as a share of the bars' span."""


def _notes_room(data: pd.DataFrame) -> list[float]:
    """The rank-changes chart's x domain: the bars' span and zero, with `NOTES_ROOM` more on each side a note
    is written on, so that a note stays in the plot, clear of the names on the axis."""
    ends = data["end"].astype("float64")
    noted = data["note"] != ""
    low = min(0.0, ends.min(skipna=True)) if ends.notna().any() else 0.0
    high = max(0.0, ends.max(skipna=True)) if ends.notna().any() else 0.0
    room = NOTES_ROOM * max(high - low, 10.0)
    left = low - room if (noted & (ends < 0)).any() else low
    right = high + room if (noted & (ends >= 0)).any() else high
    return [left, right if right > left else left + 1.0]  # never an empty domain


def rank_change_chart(changes: pd.DataFrame, info: pd.DataFrame | None = None, *,
                      top: int | None = None) -> alt.LayerChart:
    """Places each product moved, as diverging horizontal bars (a LayerChart).

    `changes` is `ranking.rank_changes`. Bars run right for moved up, left for moved down: only the products in
    both top Ks have a bar, so that the chart and the counts ("Moved up", "New in top K") agree. A product new in
    the top k, or dropped from it, is drawn apart, as a marker on the zero line in its own colour and shape (a
    diamond, a cross; its own legend entry) noted with where it was or went in the full lists ("new (from #70)",
    "dropped (to #25)", "new (not in the reference)"); unmoved ones are circles there.
    Rows keep the frame's order, labelled by name. With `top`, only the `top` biggest moves are drawn
    (`biggest_moves`), and the subtitle says so.
    """
    shown = biggest_moves(changes, top)
    subtitle = ("Compared with the reference list." if len(shown) == len(changes) else
                f"Compared with the reference list: the {len(shown)} biggest moves of {len(changes)} products.")
    data = with_info(shown, info)
    duplicated = data["name"].duplicated(keep=False)
    data["label"] = data["name"].where(~duplicated, data["name"] + " · " + data["product_id"])
    data["was"] = rank_text(data["ref_rank"])
    data["now"] = rank_text(data["rank"])
    moved = data["change"].isin(["up", "down"])  # in both top Ks: a move; new and dropped are drawn apart
    data["places"] = data["delta"].astype("float64").where(moved)
    data["moved"] = [f"{int(places):+d}" if places == places else "" for places in data["places"]]
    data["end"] = data["places"].fillna(0.0)  # where a marker and its note sit: the bar's end, or zero
    data["note"] = pd.Series([f"{change} ({move_note(change, was, now)})" if change in ("new", "dropped") else ""
                              for change, was, now in zip(data["change"], data["ref_rank"], data["rank"], strict=True)],
                             index=data.index, dtype="str")

    tooltips = [
        *info_tooltips(data),
        alt.Tooltip("change:N", title="Change"),
        alt.Tooltip("was:N", title="Reference rank"),
        alt.Tooltip("now:N", title="Rank"),
        alt.Tooltip("moved:N", title="Places moved up"),
    ]
    x_scale = alt.Scale(domain=_notes_room(data), nice=False)
    legend = alt.Legend(orient="bottom", direction="horizontal")  # the plot keeps the width, for the notes
    base = alt.Chart(data).encode(
        y=alt.Y("label:N", sort=list(data["label"]), title=None, axis=alt.Axis(labelLimit=220)),
        color=alt.Color("change:N", title="Change", scale=color_scale(CHANGE_COLORS), legend=legend),
        tooltip=tooltips,
    )
    bars = base.transform_filter("isValid(datum.places) && datum.places != 0").mark_bar(
        cornerRadiusEnd=3
    ).encode(x=alt.X("places:Q", title="Places moved (right = up the page)", scale=x_scale,
                     axis=alt.Axis(format="d")))
    markers = base.transform_filter(
        alt.FieldOneOfPredicate("change", list(CHANGE_SHAPES))
    ).mark_point(filled=True, size=90).encode(
        x=alt.X("end:Q", scale=x_scale),
        shape=alt.Shape("change:N", scale=color_scale(CHANGE_SHAPES), legend=None),  # one legend: the colours
    )
    notes = base.transform_filter("datum.note != ''").encode(x=alt.X("end:Q", scale=x_scale), text=alt.Text("note:N"),
                                                            color=alt.ColorValue(INK))  # objects: see rank_charts
    after_up = notes.transform_filter("datum.end >= 0").mark_text(align="left", dx=9, fontSize=11)
    after_down = notes.transform_filter("datum.end < 0").mark_text(align="right", dx=-9, fontSize=11)
    zero = alt.Chart(pd.DataFrame({"zero": [0]})).mark_rule(color=TAUPE).encode(x=alt.X("zero:Q", scale=x_scale))
    return house_style(
        alt.LayerChart(layer=[zero, bars, markers, after_up, after_down])  # (alt.layer may answer a FacetChart)
        .properties(
            title=alt.TitleParams("Who moved, and how far", subtitle=subtitle),
            width="container",
            height=alt.Step(ROW_HEIGHT),
        )
    )


def _strongest(lift: pd.DataFrame) -> list[str]:
    """The labels of `lift` (drawable rows), the furthest from a lift of 1 in any lane first (as the chart draws
    them: a value the top K lacks, lift 0, is as far as one it shows twice as often)."""
    strength = (lift["lift"] - 1).abs().groupby(lift["label"], sort=False).max()
    return list(strength.sort_values(ascending=False, kind="stable").index)


def _drawable_lift(lift_long: pd.DataFrame) -> pd.DataFrame:
    data = lift_long[lift_long["lift"].notna() & (lift_long["lift"] >= 0)].copy()
    data["attribute_title"] = data["attribute"].str.replace("_", " ").str.capitalize()
    data["label"] = data["attribute_title"] + ": " + data["value"].astype("str")
    return data


def lift_value_count(lift_long: pd.DataFrame) -> int:
    """How many attribute values `lift_chart` can draw (with `top=None`)."""
    return int(_drawable_lift(lift_long)["label"].nunique())


def lift_chart(lift_long: pd.DataFrame, *, top: int | None = None) -> alt.LayerChart:
    """Lift of each attribute value per lane, as bars from 1 on a linear scale.

    `lift_long` is `attributes.attribute_lift`. A bar right of the line means the lane
    shows the value more than the category does, left means less. The scale is linear (a log
    scale drew no bar at all for a value the top K lacks): such a value, a 0% share, gets a bar
    from 1 down to 0, labelled "0%" at its end. Values with an undefined lift (the category lacks
    them) are left out (they stay in the table). Lanes are grouped within each value, in the frame's order. With `top`, only
    the `top` values whose lift strays furthest from 1 (in any lane) are drawn, strongest
    first; each value gets a row of 8 px a lane (at least 24 px), plus `LIFT_CHROME` for the title and axis
    (Streamlit fits the whole chart into its height).
    """
    data = _drawable_lift(lift_long)
    labels = list(dict.fromkeys(data["label"]))
    if top is not None:
        labels = _strongest(data)[:top]
        data = data[data["label"].isin(labels)]
    lanes = list(dict.fromkeys(lift_long["lane"]))
    tooltips = [
        alt.Tooltip("lane:N", title="Lane"),
        alt.Tooltip("attribute_title:N", title="Attribute"),
        alt.Tooltip("value:N", title="Value"),
        alt.Tooltip("count:Q", title="Products in top k"),
        alt.Tooltip("share_top_k:Q", title="Share of top k", format=".0%"),
        alt.Tooltip("share_category:Q", title="Share of category", format=".0%"),
        alt.Tooltip("lift:Q", title="Lift", format=".2f"),
    ]
    y = alt.Y("label:N", sort=labels, title=None, axis=alt.Axis(labelLimit=220))
    y_offset = alt.YOffset("lane:N", sort=lanes)
    x = alt.X("lift:Q", title="Lift vs category (1 = same share, 0 = none in the top K)",
              scale=alt.Scale(domainMin=0, nice=True), axis=alt.Axis(tickCount=8))
    bars = alt.Chart(data).mark_bar(cornerRadiusEnd=2).encode(
        y=y, yOffset=y_offset, x=x, x2=alt.datum(1),
        color=alt.Color("lane:N", title="Lane", sort=lanes, scale=alt.Scale(domain=lanes, range=LANE_COLORS)),
        tooltip=tooltips,
    )
    none_shown = alt.Chart(data).transform_filter("datum.lift == 0").mark_text(
        text="0%", align="left", dx=3, baseline="middle", color="white", fontWeight="bold", fontSize=10,
    ).encode(y=y, yOffset=y_offset, x=x, tooltip=tooltips)  # a share of none, said on its bar
    parity = alt.Chart(pd.DataFrame({"parity": [1]})).mark_rule(color=INK, strokeDash=[4, 3]).encode(
        x="parity:Q"
    )
    return house_style(
        alt.LayerChart(layer=[bars, none_shown, parity]).properties(
            title=alt.TitleParams(
                "What each lane shows more or less of than the category",
                subtitle="Lift = share in the lane's top k ÷ share in the whole category.",
            ),
            width="container",
            height=max(1, len(labels)) * max(24, 8 * len(lanes)) + LIFT_CHROME,
        )
    )


def similarity_heatmap(matrix: pd.DataFrame, measure: str) -> alt.LayerChart:
    """Lane-by-lane similarity as coloured cells with their values (a LayerChart).

    `matrix` is `ranking.similarity_matrix`. Colours span 0..1, or -1..1 for
    "kendall" (diverging: rose = reversed order, plum = same order). Empty cells
    (NaN, e.g. Kendall's tau with under two shared products) show a dash. Lanes are
    labelled by short tags ("A · Sporty sho…", `chart_labels.lane_tags`), the column
    labels slanted so that they never run into each other; the tooltips give full names.
    """
    order = [str(name) for name in matrix.index]
    tags = lane_tags(order)
    data = matrix.rename_axis(index="lane_a", columns=None).reset_index().melt(
        id_vars="lane_a", var_name="lane_b", value_name="value"
    )
    data = data.astype({"lane_a": "str", "lane_b": "str", "value": "float64"})
    data["tag_a"] = data["lane_a"].map(tags).astype("str")
    data["tag_b"] = data["lane_b"].map(tags).astype("str")
    data["value_text"] = data["value"].map(lambda v: "–" if pd.isna(v) else f"{v:.2f}")
    data["text_color"] = ["white" if abs(v) > 0.6 else INK for v in data["value"].fillna(0)]
    if measure == "kendall":
        scale = alt.Scale(domain=[-1, 0, 1], range=[ROSE, IVORY, PLUM])
    else:
        scale = alt.Scale(domain=[0, 1], range=[IVORY, PLUM])
    title = MEASURE_TITLES.get(measure, measure)
    tag_order = [tags[name] for name in order]

    base = alt.Chart(data).encode(
        x=alt.X("tag_b:N", sort=tag_order, title=None,
                axis=alt.Axis(labelAngle=-35, orient="top", labelLimit=120, labelOverlap=False)),
        y=alt.Y("tag_a:N", sort=tag_order, title=None, axis=alt.Axis(labelLimit=120)),
        tooltip=[
            alt.Tooltip("lane_a:N", title="Lane"),
            alt.Tooltip("lane_b:N", title="Compared with"),
            alt.Tooltip("value:Q", title=title, format=".3f"),
        ],
    )
    cells = base.mark_rect(stroke="white", strokeWidth=2).encode(
        color=alt.Color("value:Q", title=None, scale=scale, legend=alt.Legend(orient="bottom", gradientLength=120))
    )
    labels = base.mark_text(fontSize=13).encode(
        text=alt.Text("value_text:N"), color=alt.Color("text_color:N", scale=None)
    )
    # The labels' colours are literal (scale None): a shared colour scale would merge that
    # null scale with the cells' and Vega-Lite's compiler fails in the browser (nothing drawn).
    return house_style(
        alt.LayerChart(layer=[cells, labels]).resolve_scale(color="independent").properties(
            title=f"{title} between lanes", width="container", height=alt.Step(40)
        )
    )
