"""The bump and drift charts read without hovering: names at the line ends, a rank's height, the lanes in
the cards' order with the reference first, a focus on the movers with many lanes; short heatmap labels and
the Why chart's top values."""

import pandas as pd
import pytest

from fashionai.attributes import attribute_lift
from fashionai.output import charts, rank_charts
from fashionai.ranking import rank_matrix, similarity_matrix

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


def test_short_names_and_lane_tags():
    assert rank_charts.short_name("Linen dress") == "Linen dress"
    assert rank_charts.short_name("Linen wrap dress with a very long name", 12) == "Linen wrap…"
    assert rank_charts.lane_tags(["Sporty shopper", "Native order"]) == {
        "Sporty shopper": "A · Sporty shopper", "Native order": "B · Native order"}
    assert rank_charts.lane_tags(["Persona: Office shopper at lunch"])["Persona: Office shopper at lunch"] \
        == "A · Persona: Offi…"
    # the history page's lanes are lettered already: only shortened
    assert rank_charts.lane_tags(["A · 10:24:51 categoryView Dresses"]) == {
        "A · 10:24:51 categoryView Dresses": "A · 10:24:51 cate…"}


@pytest.mark.parametrize("k, plot", [(3, 200), (10, 280), (15, 420), (50, 520)])
def test_the_bump_chart_gives_each_rank_28_px_and_never_passes_a_768_px_window(k, plot):
    spec = charts.bump_chart(rank_matrix(LANES, k), k=k, lane_order=list(LANES)).to_dict()
    assert plot == rank_charts.plot_height(k)
    assert spec["height"] == plot + rank_charts.CHART_CHROME <= 768 - 120  # Streamlit fits the whole chart in it


def test_the_bump_chart_writes_product_names_on_the_rank_axis_and_at_the_line_ends():
    spec = charts.bump_chart(rank_matrix(LANES, 4), k=4, lane_order=list(LANES), info=INFO).to_dict()
    middle, right = texts(spec)
    assert right["mark"]["align"] == "left" and right["encoding"]["text"]["field"] == "short"
    assert right["encoding"]["x"]["sort"] == list(LANES)
    assert middle["mark"]["limit"] == {"expr": "max(40, width / 3.6 * 1 - 18)"}  # a lane's width, less a margin
    assert right["mark"]["limit"] == {"expr": "max(40, width / 3.6 * 1.36 - 18)"}  # the room right of the last
    # each product's last lane, when it is not the first: the rank axis names the first lane's products
    assert {(row["product_id"], row["lane"]) for row in layer_rows(spec, right)} == {
        ("A", "Office shopper"), ("B", "Office shopper"), ("X", "Office shopper"), ("Y", "Office shopper")}
    assert {(row["product_id"], row["lane"]) for row in layer_rows(spec, middle)} == {
        ("C", "Sporty shopper"), ("D", "Sporty shopper")}
    a = next(row for row in layer_rows(spec, right) if row["product_id"] == "A")
    assert a["short"] == "Linen wrap dress with a very lo…" and a["name"] == INFO.loc["A", "name"]  # full in the tooltip
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
    named = {row["product_id"] for layer in texts(spec) for row in layer_rows(spec, layer)}
    assert named == focused  # the faded ones carry no name
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
