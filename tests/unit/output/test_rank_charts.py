"""The bump and drift charts read without hovering: a key at every point and the key table, names on the rank
axis and right of the last lane (never alike), lane names whole, a rank's height, the lanes in the cards' order
with the reference first, a focus on the movers with many lanes; short heatmap labels and the Why chart's top
values."""

import json
import re

import pandas as pd
import pytest

from fashionai.measures.attributes import attribute_lift
from fashionai.measures.ranking import rank_matrix, similarity_matrix
from fashionai.output import chart_labels, charts, rank_charts

LANES = {
    "Native order": list("ABCDEFGH"),
    "Sporty shopper": list("BADCXEFG"),
    "Office shopper": list("XYABCDEF"),
}
INFO = pd.DataFrame({"name": ["Linen wrap dress with a very long name indeed", "Straw bag"]},
                    index=pd.Index(["A", "B"], dtype="str"))


def layer_rows(spec: dict, layer: dict) -> list[dict]:
    """The rows a layer draws: its own data or the chart's, through its field-equals filters."""
    rows = spec["datasets"][(layer.get("data") or spec["data"])["name"]]
    for step in layer.get("transform", []):
        test = step.get("filter", {})
        if isinstance(test, dict) and "equal" in test:
            rows = [row for row in rows if row.get(test["field"]) == test["equal"]]
    return rows


def texts(spec: dict) -> list[dict]:
    return [layer for layer in spec["layer"] if layer["mark"]["type"] == "text"]


@pytest.mark.parametrize("k, plot", [(3, 200), (10, 280), (15, 420), (50, 520)])
def test_the_bump_chart_gives_each_rank_28_px_and_never_passes_a_768_px_window(k, plot):
    spec = charts.bump_chart(rank_matrix(LANES, k), k=k, lane_order=list(LANES)).to_dict()
    assert plot == rank_charts.plot_height(k)
    assert spec["height"] == plot + rank_charts.CHART_CHROME <= 768 - 120  # Streamlit fits the whole chart in it


def test_the_bump_chart_writes_product_names_on_the_rank_axis_and_right_of_the_last_lane():
    spec = charts.bump_chart(rank_matrix(LANES, 4), k=4, lane_order=list(LANES), info=INFO).to_dict()
    keys, right = texts(spec)
    assert keys["encoding"]["text"]["field"] == "key" and "transform" not in keys  # in every point
    assert right["mark"]["align"] == "left" and right["encoding"]["text"]["field"] == "short"
    assert right["encoding"]["x"]["sort"] == list(LANES)
    assert right["mark"]["limit"] == {"expr": "max(40, width / 3.6 * 1.36 - 18)"}  # the room right of the last
    # the last lane's products (the rank axis names the first lane's; the others go by their keys)
    assert {(row["product_id"], row["lane"]) for row in layer_rows(spec, right)} == {
        ("A", "Office shopper"), ("B", "Office shopper"), ("X", "Office shopper"), ("Y", "Office shopper")}
    a = next(row for row in layer_rows(spec, right) if row["product_id"] == "A")
    assert a["short"] == "Linen wrap dress with a ve…" and a["name"] == INFO.loc["A", "name"]  # full in the tooltip
    assert [tip["field"] for tip in right["encoding"]["tooltip"]] == ["name", "product_id"]
    axis = spec["layer"][0]["encoding"]["y"]["axis"]
    assert axis["values"] == [1, 2, 3, 4]
    assert axis["labelExpr"] == ('datum.value == 1 ? "1 · Linen wrap dress with…" : datum.value == 2 ? '
                                 '"2 · Straw bag" : datum.value == 3 ? "3 · C" : datum.value == 4 ? "4 · D" : '
                                 'datum.label')


def test_the_bump_chart_takes_the_lanes_in_the_order_given_and_colours_by_the_compared_lane():
    order = ["Sporty shopper", "Native order", "Office shopper"]
    spec = charts.bump_chart(rank_matrix(LANES, 4), k=4, lane_order=order, compared="Native order").to_dict()
    line = spec["layer"][0]
    assert line["encoding"]["x"]["sort"] == order
    assert line["encoding"]["color"]["title"] == "Movement vs Sporty shopper"
    movement = {row["product_id"]: row["movement"] for row in layer_rows(spec, line)}
    # Sporty BADC -> Native ABCD; X is 5th in Sporty (beyond k) and Y not there: new in the compared top 4
    assert movement == {"A": "up", "B": "down", "C": "up", "D": "down", "X": "new", "Y": "new"}


def eight_lanes() -> dict[str, list[str]]:
    base = [f"p{i:02d}" for i in range(1, 21)]
    lanes = {"Native order": base[:10]}
    for n in range(1, 8):  # each lane lifts one product from far down; p01..p10 otherwise in place
        lanes[f"Lane {n}"] = [base[10 + n], *base[:9]]
    return lanes


def test_with_eight_lanes_the_products_that_moved_most_stand_out_and_the_rest_fade():
    lanes = eight_lanes()
    spec = charts.bump_chart(rank_matrix(lanes, 10), k=10, lane_order=list(lanes)).to_dict()
    line = spec["layer"][0]
    focused = {row["product_id"] for row in layer_rows(spec, line) if row["focused"]}
    # p12..p18 each rose from beyond the top 10 to #1 in one lane (10 places); the first six of them stand out,
    # p01..p10 moved a place at most
    assert focused == {"p12", "p13", "p14", "p15", "p16", "p17"} and len(focused) == rank_charts.FOCUS_PRODUCTS
    opacity = line["encoding"]["opacity"]
    assert [c.get("param") or c.get("test") for c in opacity["condition"]][0] == "hover"
    assert opacity["condition"][1]["value"] == rank_charts.FOCUSED and opacity["value"] == rank_charts.FADED
    keys, names = texts(spec)
    assert {row["product_id"] for row in layer_rows(spec, names)} <= focused  # the faded ones carry no name
    every = {row["product_id"] for row in layer_rows(spec, line)}
    assert {row["product_id"] for row in layer_rows(spec, keys)} == every  # but every one has its key
    key_opacity = keys["encoding"]["opacity"]  # a faded product's key stays readable
    assert key_opacity["value"] == rank_charts.KEY_FADED > rank_charts.FADED
    assert "stand out" in spec["title"]["subtitle"]


def test_with_few_lanes_every_product_is_in_full_colour():
    spec = charts.bump_chart(rank_matrix(LANES, 4), k=4, lane_order=list(LANES)).to_dict()
    assert all(row["focused"] for row in layer_rows(spec, spec["layer"][0]))
    assert len(spec["layer"][0]["encoding"]["opacity"]["condition"]) == 1


def test_the_drift_chart_names_its_products_too():
    steps = pd.DataFrame({"step": [1, 1, 2, 2], "product_id": ["A", "B", "B", "A"], "rank": [1, 2, 1, 2]})
    spec = charts.drift_chart(steps, k=30, info=INFO).to_dict()
    assert spec["height"] == rank_charts.MAX_PLOT_HEIGHT + rank_charts.CHART_CHROME
    _, right = texts(spec)
    assert {row["short"] for row in layer_rows(spec, right)} == {"Linen wrap dress with a very lo…", "Straw bag"}


def test_heatmap_labels_are_short_slanted_tags_with_full_names_in_the_tooltip():
    long = {"Persona: Sporty shopper": list("ABC"), "Persona: Office shopper": list("CBA")}
    spec = charts.similarity_heatmap(similarity_matrix(long, "rbo"), "rbo").to_dict()
    cells = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "rect")["encoding"]
    assert cells["x"]["field"] == "tag_b" and cells["y"]["field"] == "tag_a"
    assert cells["x"]["sort"] == ["A · Persona: Spor…", "B · Persona: Offi…"]
    assert cells["x"]["axis"]["labelAngle"] == -35 and cells["x"]["axis"]["labelLimit"] <= 120
    assert [tip["field"] for tip in cells["tooltip"]][:2] == ["lane_a", "lane_b"]
    assert spec["title"] == "Alike overall, top first (RBO) between lanes"


def test_the_why_chart_shows_the_strongest_values_at_a_sane_height():
    products = pd.DataFrame({"color": ["red", "blue", "green", "black"] * 5,
                             "brand": [f"b{i}" for i in range(20)]},
                            index=pd.Index([f"p{i}" for i in range(20)], dtype="str"))
    lanes = {"one": ["p0", "p4", "p8", "p1"], "two": ["p2", "p6", "p3", "p7"]}
    lift = attribute_lift(products, lanes, list(products.index), k=4)
    assert charts.lift_value_count(lift) > charts.WHY_TOP
    spec = charts.lift_chart(lift, top=charts.WHY_TOP).to_dict()
    bars = spec["layer"][0]
    assert len(bars["encoding"]["y"]["sort"]) == charts.WHY_TOP
    # a brand's 1 in 4 against 1 in 20 (lift 5) strays further from 1 than a colour's 3 in 4 against 1 in 4
    assert bars["encoding"]["y"]["sort"][0].startswith("Brand: ")
    assert {row["label"] for row in layer_rows(spec, bars)} <= set(bars["encoding"]["y"]["sort"])
    assert spec["height"] == charts.WHY_TOP * 24 + charts.LIFT_CHROME <= 768 - 120
    everything = charts.lift_chart(lift).to_dict()
    assert len(everything["layer"][0]["encoding"]["y"]["sort"]) == charts.lift_value_count(lift)


# Issue 21: every product in view identifiable without hovering, no two labels alike, lane names whole.
ALIKE = pd.DataFrame({"name": ["Basics Men's Crew T-shirt Navy", "Basics Men's Crew T-shirt Black",
                               "Basics Men's Crew T-shirt White", "Basics Men's Crew T-shirt Navy", "Straw bag"]},
                     index=pd.Index(["m1", "m2", "m3", "m4", "s1"], dtype="str"))
ALIKE_LANES = {"Native order": ["m1", "m2", "s1", "x1"], "Casual shoes browser (journey)": ["m3", "m1", "m4", "m2"],
               "Sporty shopper": ["m4", "m3", "x2", "m1"]}


def strings(expression: str) -> list:
    """The JSON literals (strings and arrays of them) a Vega label expression writes."""
    return [json.loads(literal) for literal in re.findall(r'\[(?:"(?:[^"\\]|\\.)*",?\s*)*\]|"(?:[^"\\]|\\.)*"',
                                                         expression)]


def visible_labels(spec: dict) -> dict[str, str]:
    """Every name the chart writes, by product: the rank axis's (first x) and those right of the last x."""
    line, _, _, names = spec["layer"]
    x, rows = line["encoding"]["x"], layer_rows(spec, line)
    first = x["sort"][0]
    labels = {}
    for label in strings(line["encoding"]["y"]["axis"]["labelExpr"]):
        rank, name = label.split(" · ", 1)
        (pid,) = [row["product_id"] for row in rows if row[x["field"]] == first and row["rank"] == int(rank)]
        labels[f"axis {pid}"] = name
    labels.update({f"end {row['product_id']}": row["short"] for row in layer_rows(spec, names)})
    return labels


def assert_identifiable(spec: dict, key: pd.DataFrame) -> None:
    line, points, keys, _ = spec["layer"]
    rows = layer_rows(spec, line)
    assert points["mark"]["type"] == "point" and keys["mark"]["type"] == "text"
    assert keys["encoding"]["text"]["field"] == "key" and layer_rows(spec, keys) == rows  # a key at every point
    by_product = {}
    for row in rows:
        assert row["key"], row
        by_product.setdefault(row["product_id"], set()).add(row["key"])
    assert all(len(found) == 1 for found in by_product.values())  # one key a product...
    drawn = {pid: found.pop() for pid, found in by_product.items()}
    assert len(set(drawn.values())) == len(drawn)  # ...and no two products share one
    # the key table lists exactly the keys drawn, each with the product's full name
    assert list(key.columns) == ["key", "name", "product_id"]
    assert dict(zip(key["product_id"], key["key"], strict=True)) == drawn and len(key) == len(drawn)
    full = {row["product_id"]: row["name"] for row in rows}
    assert dict(zip(key["product_id"], key["name"], strict=True)) == full
    # no two products' written names read the same
    labels = visible_labels(spec)
    by_text = {}
    for where, text in labels.items():
        by_text.setdefault(text, set()).add(where.split(" ", 1)[1])
    assert all(len(products) == 1 for products in by_text.values()), by_text


def test_every_product_in_the_bump_chart_has_a_key_at_every_point_and_in_the_key_table():
    rank_long = rank_matrix(ALIKE_LANES, 4)
    spec = charts.bump_chart(rank_long, k=4, lane_order=list(ALIKE_LANES), info=ALIKE).to_dict()
    key = charts.bump_key(rank_long, k=4, lane_order=list(ALIKE_LANES), info=ALIKE)
    assert_identifiable(spec, key)
    assert list(key["key"]) == ["A", "B", "C", "D", "E", "F", "G"]  # the reference's from the top, then as first met
    assert list(key["product_id"]) == ["m1", "m2", "s1", "x1", "m3", "m4", "x2"]
    assert key.loc[key["product_id"] == "x1", "name"].item() == "x1"  # not in the catalog: its id
    focused = charts.bump_chart(rank_matrix(eight_lanes(), 10), k=10, lane_order=list(eight_lanes())).to_dict()
    assert_identifiable(focused, charts.bump_key(rank_matrix(eight_lanes(), 10), k=10,
                                                 lane_order=list(eight_lanes())))


def test_the_drift_chart_where_every_step_replaced_the_top_k_keys_every_product():
    ids = [f"p{i:02d}" for i in range(30)]
    info = pd.DataFrame({"name": [f"Basics Men's Crew T-shirt size {i}" for i in range(30)]},
                        index=pd.Index(ids, dtype="str"))
    steps = pd.DataFrame({"step": [s for s in (1, 2, 3) for _ in range(10)],
                          "step_label": [label for label in ("native order", "productView p00", "categoryView Shoes")
                                         for _ in range(10)],
                          "product_id": ids, "rank": list(range(1, 11)) * 3})
    spec = charts.drift_chart(steps, k=10, info=info).to_dict()
    key = charts.drift_key(steps, k=10, info=info)
    assert_identifiable(spec, key)
    assert len(key) == 30 and key["key"].iloc[-1] == "AD"
    _, _, _, names = spec["layer"]
    assert {row["step_name"] for row in layer_rows(spec, names)} == {"3. categoryView Shoes"}  # none mid-chart


def test_lane_names_wrap_and_are_never_cut():
    spec = charts.bump_chart(rank_matrix(ALIKE_LANES, 4), k=4, lane_order=list(ALIKE_LANES), info=ALIKE).to_dict()
    axis = spec["layer"][0]["encoding"]["x"]["axis"]
    assert axis["labelLimit"] == 0 and axis["labelOverlap"] is False and axis["labelAngle"] == 0
    (wrapped,) = [item for item in strings(axis["labelExpr"]) if isinstance(item, list)]
    assert " ".join(wrapped) == "Casual shoes browser (journey)" and len(wrapped) == 2
    assert spec["height"] == rank_charts.plot_height(4) + rank_charts.CHART_CHROME + rank_charts.LANE_LINE_HEIGHT
    many = {f"Persona {n}: casual shoes browser (journey)": list("ABCD") for n in range(8)}  # 8 lanes, 40 characters
    lines = chart_labels.lane_lines(list(many), 12)
    assert all(" ".join(wrapped) == name for name, wrapped in lines.items())  # whole, on up to four lines
    assert max(len(wrapped) for wrapped in lines.values()) <= chart_labels.LANE_LINES
    tall = charts.bump_chart(rank_matrix(many, 4), k=50, lane_order=list(many)).to_dict()
    assert tall["height"] <= rank_charts.MAX_PLOT_HEIGHT + rank_charts.CHART_CHROME  # still fits a 768 px window
