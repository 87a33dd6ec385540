"""Altair charts of ranks drawn as lines: lanes compared (bump chart) and a journey drifting (no Streamlit).

Both charts draw rank (1 at the top) across an ordinal x, one line a product coloured by its
movement. So that a projected screen or a screenshot reads without hovering, every product in view
gets a key ("A", "B", ... "AA"), written in each of its points, and a key table (`bump_key`,
`drift_key`: key, name, id) goes beside the chart on the page and in a deck or report (`key_lines`);
the rank axis also names the first lane's (or step's) products ("3 · Linen dress") and the last
lane's are named right of it, shortened so that no two read the same (`distinct_short_names`; the full
name stays in the tooltip and the table). Lane and step names wrap onto up to four lines. Their
height follows the ranks shown (`RANK_HEIGHT` a rank) but never passes `MAX_PLOT_HEIGHT`, so a
chart fits a 768 px window. With many lanes the bump chart focuses on the products that moved
most (`FOCUS_PRODUCTS`), fading the rest. Also here: the helpers `charts` shares (names joined
from the catalog, tooltips); the words written (short names, keys, wrapped lane names) are `chart_labels`'.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import altair as alt
import pandas as pd

from fashionai.output.chart_labels import NAME_LENGTH, distinct_short_names, key_table, lane_lines, product_keys
from fashionai.output.palette import BLUSH, INK, PLUM, ROSE, SAGE, TAUPE, color_scale, house_style

#: Colour by product movement in `bump_chart` / `drift_chart`.
MOVEMENT_COLORS = {"up": SAGE, "down": ROSE, "steady": TAUPE, "new": PLUM, "dropped": BLUSH}
RANK_HEIGHT = 28
"""Pixels a rank gets in a bump or drift chart, while the plot stays within the bounds below."""
MIN_PLOT_HEIGHT, MAX_PLOT_HEIGHT = 200, 520
"""The plot's height bounds: 520 px plus title, axis and legend (`CHART_CHROME`) fits a 768 px window."""
FOCUS_FROM_LANES = 5
"""From this many lanes on, the bump chart focuses on the products that moved most."""
FOCUS_PRODUCTS = 6
"""How many products the focus keeps in full colour (with their names); the rest are faded."""
FADED, FOCUSED, HIGHLIGHTED = 0.12, 0.9, 1.0
CHART_CHROME = 120
"""Pixels of a line chart's title, lane axis and legend: the height Streamlit fits the whole chart into is
the plot's plus these."""
AXIS_NAME_LENGTH, AXIS_LABEL_LIMIT = 22, 170
"""The rank axis names the first lane's products ("3 · Linen dress"): characters of a name, pixels of a label."""
LANE_PADDING, LANE_ALIGN = 0.8, 0.15
"""The lane axis's outer padding (in lanes) and how much of it goes left of the first lane."""
LANE_LINE_HEIGHT, PLOT_WIDTH, CHAR_WIDTH = 13, 560, 6.5
"""Pixels of a line of a lane's name; the plot's width in a 1,024 px window (the narrowest checked: a deck draws a
chart at least this wide, wider when it is tall) and a character's at 11 px. Lane names wrap, and the names right of
the last lane are shortened, to what that width holds, so that the chart's pixel limits seldom cut them further."""
KEY_FADED = 0.55
"""The opacity of a faded product's key (its line and point fade further, `FADED`): still readable."""


def _fields(condition: Mapping[str, Any]) -> dict[str, Any]:
    """A condition (alt.when(...)...) as the keyword arguments of a channel's constructor."""
    return dict(condition)


def rank_text(ranks: pd.Series) -> pd.Series:
    """'#3' for a rank, 'not listed' where it is missing (tooltips show text as is)."""
    return ranks.map(lambda r: "not listed" if pd.isna(r) else f"#{int(r)}").astype("str")


def with_info(frame: pd.DataFrame, info: pd.DataFrame | None) -> pd.DataFrame:
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


def info_tooltips(frame: pd.DataFrame) -> list[alt.Tooltip]:
    """Tooltips for the product's name, id, and stock where the frame has it."""
    tips = [alt.Tooltip("name:N", title="Product"), alt.Tooltip("product_id:N", title="Product id")]
    if "stock" in frame.columns:
        tips.append(alt.Tooltip("stock:Q", title="Stock", format=",d"))
    if "in_stock" in frame.columns:
        tips.append(alt.Tooltip("in_stock:N", title="In stock"))
    return tips


def plot_height(k: int) -> int:
    """The plot's height for ranks 1..k: `RANK_HEIGHT` a rank within the bounds."""
    return min(MAX_PLOT_HEIGHT, max(MIN_PLOT_HEIGHT, RANK_HEIGHT * k))


def _movement(frame: pd.DataFrame, column: str, first: str | None, last: str | None) -> pd.Series:
    """Each row's product's movement between x `first` and x `last`.

    `frame` holds only ranks within the top k, so a product absent at `first` is "new"
    and one absent at `last` is "dropped".
    """
    ranks = frame.pivot_table(index="product_id", columns=column, values="rank", aggfunc="min")
    before = ranks.get(first, pd.Series(index=ranks.index, dtype=float))
    after = ranks.get(last, pd.Series(index=ranks.index, dtype=float))
    movement = pd.Series("steady", index=ranks.index, dtype="str")
    movement[after < before] = "up"
    movement[after > before] = "down"
    movement[after.isna()] = "dropped"
    movement[before.isna()] = "new"
    return frame["product_id"].map(movement)


def _end_labels(data: pd.DataFrame, x: str, x_order: list[str]) -> pd.DataFrame:
    """The rows naming each product at its last x, unless that is the first (the axis names those)."""
    position = data[x].map({value: i for i, value in enumerate(x_order)})
    last = position.groupby(data["product_id"]).transform("max")
    return data[(position == last) & (position > 0)]


def _rank_names(data: pd.DataFrame, x: str, first: str | None, k: int) -> str:
    """A Vega expression labelling rank r on the axis "r · <name>" with the product at rank r of the first x
    (the reference lane, the journey's start), or just r. The names are `distinct_short_names`."""
    ranked = data[data[x] == first].drop_duplicates("rank") if first is not None else data[:0]
    names = distinct_short_names(pd.Series(ranked["name"].to_numpy(), index=ranked["product_id"].to_numpy()),
                                 AXIS_NAME_LENGTH)
    expression = "datum.label"
    for rank, name in sorted(zip(ranked["rank"], names, strict=True), reverse=True):
        if 1 <= rank <= k:
            expression = f"datum.value == {rank} ? {json.dumps(f'{rank} · {name}', ensure_ascii=False)} : {expression}"
    return expression


def _lane_label_expression(lines: dict[str, list[str]]) -> str:
    """A Vega expression writing each lane's name on its lines (a label given as an array is drawn a line an item)."""
    expression = "datum.label"
    for name, wrapped in reversed(lines.items()):
        if len(wrapped) > 1:
            expression = (f"datum.value == {json.dumps(name, ensure_ascii=False)} ? "
                          f"{json.dumps(wrapped, ensure_ascii=False)} : {expression}")
    return expression


def _ranked_lines(data: pd.DataFrame, *, x: str, x_order: list[str], x_title: str, k: int,
                  tooltips: list[alt.Tooltip], title: alt.TitleParams, color_title: str,
                  focus: bool = False) -> alt.LayerChart:
    """Lines of rank (1 at the top) across an ordinal x, coloured by movement, points on top with each product's
    key (`chart_labels.product_keys`) written in them, hover highlighting by product. Names: the first x's
    products on the rank axis ("3 · Linen dress"), the last x's right of it. With `focus`, rows whose `focused`
    is false are faded (their keys less so) and unnamed right of the last x."""
    keys = product_keys(data, x, x_order)
    data = data.assign(key=data["product_id"].map(keys).astype("str"))
    lane_width = PLOT_WIDTH / (max(len(x_order) - 1, 0) + 2 * LANE_PADDING)  # pixels between two x
    right_room = 2 * LANE_PADDING * (1 - LANE_ALIGN)  # the padding right of the last x, in lanes
    labels = distinct_short_names(data.drop_duplicates("product_id").set_index("product_id")["name"],
                                  max(12, min(NAME_LENGTH, int((lane_width * right_room - 30) / CHAR_WIDTH))))
    data["short"] = data["product_id"].map(labels).astype("str")
    hover = alt.selection_point(
        name="hover", on="pointerover", fields=["product_id"], clear="pointerout", empty=True
    )
    if focus:  # the movers stand out; a hovered product comes forward
        opacity = (alt.when(hover, empty=False).then(alt.value(HIGHLIGHTED))
                   .when(alt.datum.focused).then(alt.value(FOCUSED)).otherwise(alt.value(FADED)))
        key_opacity = (alt.when(hover, empty=False).then(alt.value(HIGHLIGHTED))
                       .when(alt.datum.focused).then(alt.value(HIGHLIGHTED)).otherwise(alt.value(KEY_FADED)))
    else:
        opacity = alt.when(hover).then(alt.value(HIGHLIGHTED)).otherwise(alt.value(0.15))
        key_opacity = opacity
    # a key is white on its point, dark on a pale one (dropped, or faded)
    pale = alt.FieldEqualPredicate(field="movement", equal="dropped")
    key_color = (alt.when(pale).then(alt.value(INK)).when(alt.datum.focused).then(alt.value("white"))
                 .otherwise(alt.value(INK)))
    # As a channel object, made once: altair turns a condition given as a dict (or a shorthand such as "name:N")
    # into one on every encode, at a cost of about 20 ms each (it hashes its whole schema). So every channel of the
    # charts here and in `charts` is given as an object.
    # The keys' channels are built from their dicts by the constructor (no schema look-up: ~0.05 ms, not ~10).
    opacity_channel = alt.OpacityValue.from_dict(dict(opacity), validate=False)
    key_opacity_channel = alt.OpacityValue(**_fields(key_opacity)) if focus else opacity_channel
    key_color_channel = alt.ColorValue(**_fields(key_color))
    lines_of = lane_lines(x_order, max(10, int(lane_width / CHAR_WIDTH)))
    extra = LANE_LINE_HEIGHT * (max((len(lines) for lines in lines_of.values()), default=1) - 1)
    # Most of the outer padding goes right of the last x, where its products' names are written. The lanes' names
    # wrap (an array a label) and are never cut (no label limit), nor hidden for overlapping.
    x_encoding = alt.X(f"{x}:O", sort=x_order, title=x_title,
                       scale=alt.Scale(padding=LANE_PADDING, align=LANE_ALIGN),
                       axis=alt.Axis(labelAngle=0, labelLimit=0, labelOverlap=False,
                                     labelExpr=_lane_label_expression(lines_of)))
    y_encoding = alt.Y(
        "rank:Q",
        title=None,
        scale=alt.Scale(domain=[1, k], reverse=True, nice=False, zero=False),
        axis=alt.Axis(values=list(range(1, k + 1)), format="d", labelLimit=AXIS_LABEL_LIMIT,
                      labelExpr=_rank_names(data, x, x_order[0] if x_order else None, k)),
    )
    ends = _end_labels(data[data["focused"]] if focus else data, x, x_order)
    data["name_at"] = ""  # "last" where a row's name is written: right of the last x
    data.loc[ends.index[ends[x] == (x_order[-1] if x_order else None)], "name_at"] = "last"
    base = alt.Chart().encode(
        x=x_encoding, y=y_encoding,
        color=alt.Color("movement:N", title=color_title, scale=color_scale(MOVEMENT_COLORS),
                        legend=alt.Legend(orient="bottom", direction="horizontal", titleLimit=PLOT_WIDTH)),
        detail=alt.Detail("product_id:N"),
        opacity=opacity_channel,
        tooltip=tooltips,
    )
    plot = min(plot_height(k), MAX_PLOT_HEIGHT - extra)  # wrapped lane names take their room from the plot's
    pitch = plot / max(k, 1)  # pixels a rank
    font = max(8, min(11, int(pitch) - 2))
    lines = base.mark_line(strokeWidth=2.5, interpolate="monotone")
    diameter = max(11.0, min(20.0, pitch - 6))  # a point holds its key ("AB" at most, in practice)
    points = base.mark_point(filled=True, size=round(diameter * diameter * 0.8), stroke="white",
                             strokeWidth=1).add_params(hover)
    key_marks = base.mark_text(align="center", baseline="middle", fontSize=max(7, min(10, int(diameter * 0.55))),
                               fontWeight="bold").encode(text=alt.Text("key:N"), color=key_color_channel,
                                                         opacity=key_opacity_channel)

    step = f"width / {max(len(x_order) - 1, 0) + 2 * LANE_PADDING}"  # pixels between two x, drawn
    names = alt.Chart().transform_filter(alt.FieldEqualPredicate(field="name_at", equal="last")).mark_text(
        align="left", dx=diameter / 2 + 4, baseline="middle", color=INK, fontSize=font,
        limit=alt.expr(f"max(40, {step} * {right_room:g} - 18)"),
    ).encode(x=x_encoding, y=y_encoding, text=alt.Text("short:N"), opacity=opacity_channel,
             tooltip=[alt.Tooltip("name:N", title="Product"), alt.Tooltip("product_id:N", title="Product id")])
    return house_style(
        alt.LayerChart(layer=[lines, points, key_marks, names], data=data)  # one dataset
        .properties(title=title, width="container", height=plot + CHART_CHROME + extra)
    )


def _movers(wide: pd.DataFrame, shown: pd.Index, k: int, count: int) -> set[str]:
    """The `count` products of `shown` whose rank spans most across the lanes (a rank beyond k, or
    none, counting as k + 1); ties go to the product ranked highest somewhere."""
    ranks = wide.reindex(shown).clip(upper=k + 1).fillna(k + 1)
    spread = ranks.max(axis=1) - ranks.min(axis=1)
    table = pd.DataFrame({"spread": spread, "best": ranks.min(axis=1)})
    table = table[table["spread"] > 0].sort_values(["spread", "best"], ascending=[False, True], kind="stable")
    return set(table.index[:count])


def _bump_rows(rank_long: pd.DataFrame, *, k: int, lane_order: list[str],
               info: pd.DataFrame | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The rows the bump chart draws (the ranks <= k of the lanes, with names), and every rank by lane (wide)."""
    ranks = rank_long[rank_long["lane"].isin(lane_order)]
    wide = ranks.pivot_table(index="product_id", columns="lane", values="rank", aggfunc="min")
    shown = ranks[ranks["rank"].notna() & (ranks["rank"] <= k)].copy()
    shown["rank"] = shown["rank"].astype("int64")
    return with_info(shown, info), wide


def bump_key(rank_long: pd.DataFrame, *, k: int, lane_order: list[str],
             info: pd.DataFrame | None = None) -> pd.DataFrame:
    """The key of `bump_chart` drawn with the same arguments: key, name, product_id (`key_table`)."""
    return key_table(_bump_rows(rank_long, k=k, lane_order=lane_order, info=info)[0], "lane", list(lane_order))


def bump_chart(
    rank_long: pd.DataFrame, *, k: int, lane_order: list[str], info: pd.DataFrame | None = None,
    compared: str | None = None,
) -> alt.LayerChart:
    """How each product's rank moves across lanes (a bump chart), as a LayerChart.

    `rank_long` is `ranking.rank_matrix`: product_id, lane, rank. Lanes run in `lane_order` (the
    reference first); only ranks <= k are drawn. Lines are coloured by the product's movement from the
    first lane to `compared` (by default the last): up, down, steady, new to the top k, dropped from
    it. Names are written at the line ends; tooltips give name, stock and the product's rank in every
    lane (also beyond k). From `FOCUS_FROM_LANES` lanes on, the `FOCUS_PRODUCTS` products that moved
    most keep their colour and names, the others are faded (hover one to bring it forward).
    `info` is indexed by product id with optional columns name, stock, in_stock.
    """
    compared = compared if compared in lane_order else (lane_order[-1] if lane_order else None)
    shown, wide = _bump_rows(rank_long, k=k, lane_order=lane_order, info=info)
    shown["movement"] = _movement(shown, "lane", lane_order[0] if lane_order else None, compared)
    focus = len(lane_order) >= FOCUS_FROM_LANES
    movers = _movers(wide[[lane for lane in lane_order if lane in wide.columns]],
                     pd.Index(shown["product_id"].unique()), k, FOCUS_PRODUCTS) if focus else set()
    shown["focused"] = shown["product_id"].isin(movers) if focus else True

    rank_tips = []
    for i, lane in enumerate(lane_order):  # field names safe from dots and brackets
        field = f"rank_in_{i}"
        shown[field] = rank_text(shown["product_id"].map(wide.get(lane, pd.Series(dtype=float))))
        rank_tips.append(alt.Tooltip(f"{field}:N", title=f"Rank in {lane}"))
    tooltips = [*info_tooltips(shown), alt.Tooltip("movement:N", title="Movement"), *rank_tips]
    first = lane_order[0] if lane_order else ""
    subtitle = (f"Colour: how each product moved from {first} to {compared}. The {FOCUS_PRODUCTS} products "
                "that moved most stand out; hover another to follow it." if focus else
                f"Colour: how each product moved from {first} to {compared}. Hover a product to follow it.")
    return _ranked_lines(
        shown, x="lane", x_order=list(lane_order), x_title="Lane", k=k, tooltips=tooltips,
        title=alt.TitleParams(f"How the top {k} reshuffles across lanes", subtitle=subtitle),
        color_title=f"Movement vs {first}" if first else "Movement", focus=focus,
    )


def _drift_rows(steps_long: pd.DataFrame, *, k: int, info: pd.DataFrame | None) -> tuple[pd.DataFrame, list[str]]:
    """The rows the drift chart draws (ranks <= k, named; step_name "2. <step_label>") and the steps' names in
    order."""
    data = steps_long[steps_long["rank"].notna() & (steps_long["rank"] <= k)].copy()
    data["rank"] = data["rank"].astype("int64")
    data["step_name"] = data["step"].astype("int64").astype("str")
    if "step_label" in data.columns:
        described = data["step_label"].notna() & (data["step_label"].astype("str") != "")
        data.loc[described, "step_name"] += ". " + data.loc[described, "step_label"].astype("str")
    order = list(data.sort_values("step").drop_duplicates("step")["step_name"])
    return with_info(data, info), order


def drift_key(steps_long: pd.DataFrame, *, k: int, info: pd.DataFrame | None = None) -> pd.DataFrame:
    """The key of `drift_chart` drawn with the same arguments: key, name, product_id (`key_table`)."""
    data, order = _drift_rows(steps_long, k=k, info=info)
    return key_table(data, "step_name", order)


def drift_chart(
    steps_long: pd.DataFrame, *, k: int, info: pd.DataFrame | None = None
) -> alt.LayerChart:
    """How the top k drifts along a shopper journey, as a LayerChart.

    `steps_long` has columns step (int, 1 = first), product_id and rank, optionally
    step_label (what the shopper did) and name. x is the step, labelled
    "2. <step_label>"; lines are coloured by movement from the first step to the last,
    names written at the line ends.
    """
    data, order = _drift_rows(steps_long, k=k, info=info)
    data["movement"] = (_movement(data, "step_name", order[0], order[-1]) if order
                        else pd.Series(dtype="str"))
    data["focused"] = True
    tooltips = [
        *info_tooltips(data),
        alt.Tooltip("step_name:N", title="Step"),
        alt.Tooltip("rank:Q", title="Rank"),
        alt.Tooltip("movement:N", title="Over the journey"),
    ]
    return _ranked_lines(
        data, x="step_name", x_order=order, x_title="Journey step", k=k, tooltips=tooltips,
        title=alt.TitleParams(f"How the top {k} drifts along the journey",
                              subtitle="Each line is a product, its letter in its points (the key names it); "
                                       "hover to follow it."),
        color_title=f"Movement vs {order[0]}" if order else "Movement",
    )
