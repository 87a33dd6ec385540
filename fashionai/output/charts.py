"""Altair charts of rankings: lanes compared and journeys drifting (no Streamlit here).

Each builder takes a tidy DataFrame (from `fashionai.ranking`, `fashionai.attributes`
or a `Comparison`) and returns an `alt.LayerChart` (bump, drift, rank change, lift,
heatmap). Charts fill their container's width (`width="container"`); only heights
are set, from the number of rows shown. The catalog's charts are `catalog_charts`.

Colours come from `palette`, with movement coloured by meaning (sage = moved up,
rose = moved down, taupe = steady, plum = new).
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from fashionai.output.palette import BLUSH, INK, IVORY, PLUM, ROSE, ROW_HEIGHT, SAGE, TAUPE, color_scale, house_style
from fashionai.ranking import move_note

#: Lanes in order get these colours (then repeat).
LANE_COLORS = [PLUM, ROSE, "#8D6E9C", TAUPE, "#C9A46B", "#4F6D7A"]
#: Colour by product movement: in `bump_chart` / `drift_chart` ...
MOVEMENT_COLORS = {"up": SAGE, "down": ROSE, "steady": TAUPE, "new": PLUM, "dropped": BLUSH}
#: ... and by `ranking.rank_changes` change.
CHANGE_COLORS = {"up": SAGE, "down": ROSE, "same": TAUPE, "new": PLUM, "dropped": BLUSH}
CHANGE_SHAPES = {"same": "circle", "new": "diamond", "dropped": "cross"}

MEASURE_TITLES = {
    "rbo": "Rank-biased overlap",
    "overlap": "Overlap at k",
    "jaccard": "Jaccard similarity at k",
    "kendall": "Kendall's tau",
}


def _rank_text(ranks: pd.Series) -> pd.Series:
    """'#3' for a rank, 'not listed' where it is missing (tooltips show text as is)."""
    return ranks.map(lambda r: "not listed" if pd.isna(r) else f"#{int(r)}").astype("str")


def _with_info(frame: pd.DataFrame, info: pd.DataFrame | None) -> pd.DataFrame:
    """Join product name, stock and in_stock from `info` (indexed by product id).

    Missing names fall back to the product id; stock columns appear only if given.
    """
    frame = frame.copy()
    if "name" not in frame.columns:
        frame["name"] = pd.Series(pd.NA, index=frame.index, dtype="str")
    if info is not None:
        for column in ("name", "stock", "in_stock"):
            if column in info.columns:
                joined = frame["product_id"].map(info[column])
                frame[column] = joined.fillna(frame[column]) if column in frame.columns else joined
    frame["name"] = frame["name"].fillna(frame["product_id"]).astype("str")
    if "in_stock" in frame.columns:
        frame["in_stock"] = frame["in_stock"].map({True: "yes", False: "no"}).fillna("unknown")
    return frame


def _info_tooltips(frame: pd.DataFrame) -> list[alt.Tooltip]:
    tips = [alt.Tooltip("name:N", title="Product"), alt.Tooltip("product_id:N", title="Product id")]
    if "stock" in frame.columns:
        tips.append(alt.Tooltip("stock:Q", title="Stock", format=",d"))
    if "in_stock" in frame.columns:
        tips.append(alt.Tooltip("in_stock:N", title="In stock"))
    return tips


def _movement(frame: pd.DataFrame, column: str, order: Sequence[str]) -> pd.Series:
    """Each row's product's movement between the first and last x of `order`.

    `frame` holds only ranks within the top k, so a product absent at the first x
    is "new" and one absent at the last is "dropped".
    """
    ranks = frame.pivot_table(index="product_id", columns=column, values="rank", aggfunc="min")
    first = ranks.get(order[0], pd.Series(index=ranks.index, dtype=float))
    last = ranks.get(order[-1], pd.Series(index=ranks.index, dtype=float))
    movement = pd.Series("steady", index=ranks.index, dtype="str")
    movement[last < first] = "up"
    movement[last > first] = "down"
    movement[last.isna()] = "dropped"
    movement[first.isna()] = "new"
    return frame["product_id"].map(movement)


def _ranked_lines(
    data: pd.DataFrame,
    *,
    x: str,
    x_order: list[str],
    x_title: str,
    k: int,
    tooltips: list[alt.Tooltip],
    title: alt.TitleParams,
) -> alt.LayerChart:
    """Lines of rank (1 at the top) across an ordinal x, coloured by movement,
    with points on top and hover highlighting by product."""
    hover = alt.selection_point(
        name="hover", on="pointerover", fields=["product_id"], clear="pointerout", empty=True
    )
    highlight = alt.when(hover).then(alt.value(1.0)).otherwise(alt.value(0.15))
    base = alt.Chart(data).encode(
        x=alt.X(f"{x}:O", sort=x_order, title=x_title, axis=alt.Axis(labelAngle=0, labelLimit=160)),
        y=alt.Y(
            "rank:Q",
            title="Rank (1 = top of the page)",
            scale=alt.Scale(domain=[1, k], reverse=True, nice=False, zero=False),
            axis=alt.Axis(tickMinStep=1, format="d"),
        ),
        color=alt.Color(
            "movement:N",
            title=f"Movement vs {x_order[0]}" if x_order else "Movement",
            scale=color_scale(MOVEMENT_COLORS),
        ),
        detail="product_id:N",
        opacity=highlight,
        tooltip=tooltips,
    )
    lines = base.mark_line(strokeWidth=2.5, interpolate="monotone")
    points = base.mark_point(filled=True, size=80, stroke="white", strokeWidth=1).add_params(hover)
    return house_style(
        alt.layer(lines, points)
        .properties(title=title, width="container", height=max(240, ROW_HEIGHT * k))
    )


def bump_chart(
    rank_long: pd.DataFrame, *, k: int, lane_order: list[str], info: pd.DataFrame | None = None
) -> alt.LayerChart:
    """How each product's rank moves across lanes (a bump chart), as a LayerChart.

    `rank_long` is `ranking.rank_matrix`: product_id, lane, rank. Only ranks <= k are
    drawn. Lines are coloured by the product's movement from the first lane of
    `lane_order` to the last (up, down, steady, new to the top k, dropped from it);
    tooltips give name, stock and the product's rank in every lane (also beyond k).
    `info` is indexed by product id with optional columns name, stock, in_stock.
    """
    ranks = rank_long[rank_long["lane"].isin(lane_order)]
    wide = ranks.pivot_table(index="product_id", columns="lane", values="rank", aggfunc="min")
    shown = ranks[ranks["rank"].notna() & (ranks["rank"] <= k)].copy()
    shown["rank"] = shown["rank"].astype("int64")
    shown["movement"] = _movement(shown, "lane", lane_order)
    shown = _with_info(shown, info)

    rank_tips = []
    for i, lane in enumerate(lane_order):  # field names safe from dots and brackets
        field = f"rank_in_{i}"
        shown[field] = _rank_text(shown["product_id"].map(wide.get(lane, pd.Series(dtype=float))))
        rank_tips.append(alt.Tooltip(f"{field}:N", title=f"Rank in {lane}"))
    tooltips = [*_info_tooltips(shown), alt.Tooltip("movement:N", title="Movement"), *rank_tips]

    return _ranked_lines(
        shown,
        x="lane",
        x_order=lane_order,
        x_title="Lane",
        k=k,
        tooltips=tooltips,
        title=alt.TitleParams(
            f"How the top {k} reshuffles across lanes",
            subtitle="Hover a product to follow it; colour compares the last lane with the first.",
        ),
    )


def drift_chart(
    steps_long: pd.DataFrame, *, k: int, info: pd.DataFrame | None = None
) -> alt.LayerChart:
    """How the top k drifts along a shopper journey, as a LayerChart.

    `steps_long` has columns step (int, 1 = first), product_id and rank, optionally
    step_label (what the shopper did) and name. x is the step, labelled
    "2. <step_label>"; lines are coloured by movement from the first step to the last.
    """
    data = steps_long[steps_long["rank"].notna() & (steps_long["rank"] <= k)].copy()
    data["rank"] = data["rank"].astype("int64")
    data["step_name"] = data["step"].astype("int64").astype("str")
    if "step_label" in data.columns:
        described = data["step_label"].notna() & (data["step_label"].astype("str") != "")
        data.loc[described, "step_name"] += ". " + data.loc[described, "step_label"].astype("str")
    order = list(data.sort_values("step").drop_duplicates("step")["step_name"])
    data["movement"] = _movement(data, "step_name", order) if order else pd.Series(dtype="str")
    data = _with_info(data, info)
    tooltips = [
        *_info_tooltips(data),
        alt.Tooltip("step_name:N", title="Step"),
        alt.Tooltip("rank:Q", title="Rank"),
        alt.Tooltip("movement:N", title="Over the journey"),
    ]
    return _ranked_lines(
        data,
        x="step_name",
        x_order=order,
        x_title="Journey step",
        k=k,
        tooltips=tooltips,
        title=alt.TitleParams(
            f"How the top {k} drifts along the journey",
            subtitle="Each line is a product; hover to follow it.",
        ),
    )


def rank_change_chart(changes: pd.DataFrame, info: pd.DataFrame | None = None) -> alt.LayerChart:
    """Places each product moved, as diverging horizontal bars (a LayerChart).

    `changes` is `ranking.rank_changes`. Bars run right for moved up, left for moved
    down, as far as the product really moved in the full lists: one that rose from #70
    into the top k, or fell from the top k to #25, gets its whole bar, ended by a diamond
    (new in the top k) or a cross (dropped from it) and a note ("from #70", "to #25").
    A product absent from one full list has no move to draw: its marker sits on the zero
    line, noted "not in the reference" or "not returned"; unmoved ones are circles there.
    Rows keep the frame's order, labelled by name.
    """
    data = _with_info(changes, info)
    duplicated = data["name"].duplicated(keep=False)
    data["label"] = data["name"].where(~duplicated, data["name"] + " · " + data["product_id"])
    data["was"] = _rank_text(data["ref_rank"])
    data["now"] = _rank_text(data["rank"])
    data["places"] = data["delta"].astype("float64")
    data["end"] = data["places"].fillna(0.0)  # where a marker and its note sit: the bar's end, or zero
    data["note"] = pd.Series([move_note(change, was, now) for change, was, now in
                              zip(data["change"], data["ref_rank"], data["rank"])], index=data.index, dtype="str")

    tooltips = [
        *_info_tooltips(data),
        alt.Tooltip("change:N", title="Change"),
        alt.Tooltip("was:N", title="Reference rank"),
        alt.Tooltip("now:N", title="Rank"),
        alt.Tooltip("places:Q", title="Places moved up", format="+d"),
    ]
    base = alt.Chart(data).encode(
        y=alt.Y("label:N", sort=list(data["label"]), title=None, axis=alt.Axis(labelLimit=220)),
        color=alt.Color("change:N", title="Change", scale=color_scale(CHANGE_COLORS)),
        tooltip=tooltips,
    )
    bars = base.transform_filter("isValid(datum.places) && datum.places != 0").mark_bar(
        cornerRadiusEnd=3
    ).encode(x=alt.X("places:Q", title="Places moved (right = up the page)", axis=alt.Axis(format="d")))
    markers = base.transform_filter(
        alt.FieldOneOfPredicate("change", list(CHANGE_SHAPES))
    ).mark_point(filled=True, size=90).encode(
        x=alt.X("end:Q"),
        shape=alt.Shape("change:N", title="Change", scale=color_scale(CHANGE_SHAPES)),
    )
    notes = base.transform_filter("datum.note != ''").encode(x=alt.X("end:Q"), text="note:N",
                                                            color=alt.value(INK))
    after_up = notes.transform_filter("datum.end >= 0").mark_text(align="left", dx=9, fontSize=11)
    after_down = notes.transform_filter("datum.end < 0").mark_text(align="right", dx=-9, fontSize=11)
    zero = alt.Chart(pd.DataFrame({"zero": [0]})).mark_rule(color=TAUPE).encode(x="zero:Q")
    return house_style(
        alt.layer(zero, bars, markers, after_up, after_down)
        .properties(
            title=alt.TitleParams("Who moved, and how far", subtitle="Compared with the reference list."),
            width="container",
            height=alt.Step(ROW_HEIGHT),
        )
    )


def lift_chart(lift_long: pd.DataFrame) -> alt.LayerChart:
    """Lift of each attribute value per lane, as bars from 1 on a log scale.

    `lift_long` is `attributes.attribute_lift`. A bar right of the line means the lane
    shows the value more than the category does, left means less. Values with lift
    0 or undefined cannot sit on a log scale and are left out (they stay in the
    table). Lanes are grouped within each value, in the frame's order.
    """
    data = lift_long[lift_long["lift"].notna() & (lift_long["lift"] > 0)].copy()
    data["attribute_title"] = data["attribute"].str.replace("_", " ").str.capitalize()
    data["label"] = data["attribute_title"] + ": " + data["value"].astype("str")
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
    bars = alt.Chart(data).mark_bar(cornerRadiusEnd=2).encode(
        y=alt.Y(
            "label:N", sort=list(dict.fromkeys(data["label"])), title=None, axis=alt.Axis(labelLimit=220)
        ),
        yOffset=alt.YOffset("lane:N", sort=lanes),
        x=alt.X("lift:Q", title="Lift vs category (1 = same share, log scale)", scale=alt.Scale(type="log")),
        x2=alt.datum(1),
        color=alt.Color("lane:N", title="Lane", sort=lanes, scale=alt.Scale(domain=lanes, range=LANE_COLORS)),
        tooltip=tooltips,
    )
    parity = alt.Chart(pd.DataFrame({"parity": [1]})).mark_rule(color=INK, strokeDash=[4, 3]).encode(
        x="parity:Q"
    )
    return house_style(
        alt.layer(bars, parity).properties(
            title=alt.TitleParams(
                "What each lane shows more or less of than the category",
                subtitle="Lift = share in the lane's top k ÷ share in the whole category.",
            ),
            width="container",
            height=alt.Step(12),
        )
    )


def similarity_heatmap(matrix: pd.DataFrame, measure: str) -> alt.LayerChart:
    """Lane-by-lane similarity as coloured cells with their values (a LayerChart).

    `matrix` is `ranking.similarity_matrix`. Colours span 0..1, or -1..1 for
    "kendall" (diverging: rose = reversed order, plum = same order). Empty cells
    (NaN, e.g. Kendall's tau with under two shared products) show a dash.
    """
    order = [str(name) for name in matrix.index]
    data = matrix.rename_axis(index="lane_a", columns=None).reset_index().melt(
        id_vars="lane_a", var_name="lane_b", value_name="value"
    )
    data = data.astype({"lane_a": "str", "lane_b": "str", "value": "float64"})
    data["value_text"] = data["value"].map(lambda v: "–" if pd.isna(v) else f"{v:.2f}")
    data["text_color"] = ["white" if abs(v) > 0.6 else INK for v in data["value"].fillna(0)]
    if measure == "kendall":
        scale = alt.Scale(domain=[-1, 0, 1], range=[ROSE, IVORY, PLUM])
    else:
        scale = alt.Scale(domain=[0, 1], range=[IVORY, PLUM])
    title = MEASURE_TITLES.get(measure, measure)

    base = alt.Chart(data).encode(
        x=alt.X("lane_b:N", sort=order, title=None, axis=alt.Axis(labelAngle=0, orient="top")),
        y=alt.Y("lane_a:N", sort=order, title=None),
        tooltip=[
            alt.Tooltip("lane_a:N", title="Lane"),
            alt.Tooltip("lane_b:N", title="Compared with"),
            alt.Tooltip("value:Q", title=title, format=".3f"),
        ],
    )
    cells = base.mark_rect(stroke="white", strokeWidth=2).encode(
        color=alt.Color("value:Q", title=title, scale=scale)
    )
    labels = base.mark_text(fontSize=13).encode(
        text="value_text:N", color=alt.Color("text_color:N", scale=None)
    )
    # The labels' colours are literal (scale None): a shared colour scale would merge that
    # null scale with the cells' and Vega-Lite's compiler fails in the browser (nothing drawn).
    return house_style(
        alt.layer(cells, labels).resolve_scale(color="independent").properties(
            title=f"{title} between lanes", width="container", height=alt.Step(48)
        )
    )
