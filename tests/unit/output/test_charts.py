import altair as alt
import pandas as pd
import pytest

from fashionai.compare.view import change_counts
from fashionai.measures.attributes import attribute_lift
from fashionai.measures.ranking import rank_changes, rank_matrix, similarity_matrix
from fashionai.output import catalog_charts, charts

LANES = {
    "Baseline": list("ABCDEFGH"),
    "Shopper A": list("BADCXEFG"),
    "Shopper v1.2": list("XYABCDEF"),  # a dot that must not end up in a field name
}
INFO = pd.DataFrame(
    {
        "name": ["Linen dress", "Straw bag", "Silk scarf"],
        "stock": [3, 0, 12],
        "in_stock": [True, False, True],
    },
    index=pd.Index(["A", "B", "X"], dtype="str"),
)


def layers(spec: dict) -> dict[str, dict]:
    """Each layer of a chart spec, by mark type."""
    return {
        (layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"]): layer
        for layer in spec.get("layer", [spec])
    }


def rows(spec: dict, layer: dict | None = None) -> list[dict]:
    """The inline data rows a (layer of a) chart draws."""
    data = (layer or {}).get("data") or spec.get("data") or spec["layer"][0]["data"]  # the lines' data by default
    name = data["name"]
    return spec["datasets"][name]


def tooltip_titles(encoding: dict) -> list[str]:
    return [tip["title"] for tip in encoding["tooltip"]]


@pytest.fixture
def bump():
    chart = charts.bump_chart(rank_matrix(LANES, 4), k=4, lane_order=list(LANES), info=INFO)
    return chart, chart.to_dict()


def test_bump_chart_draws_lines_with_points_on_top(bump):
    chart, spec = bump
    assert isinstance(chart, alt.LayerChart)
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["line", "point", "text", "text"]
    assert spec["width"] == "container"


def test_bump_chart_puts_rank_one_at_the_top_and_lanes_in_order(bump):
    _, spec = bump
    encoding = layers(spec)["line"]["encoding"]
    assert encoding["y"]["field"] == "rank"
    assert encoding["y"]["scale"]["reverse"] is True
    assert encoding["y"]["scale"]["domain"] == [1, 4]
    assert encoding["x"]["type"] == "ordinal"
    assert encoding["x"]["sort"] == list(LANES)
    assert encoding["detail"]["field"] == "product_id"


def test_bump_chart_draws_only_the_top_k(bump):
    _, spec = bump
    drawn = rows(spec)
    assert max(row["rank"] for row in drawn) == 4
    assert {(row["product_id"], row["lane"]) for row in drawn if row["product_id"] == "X"} == {
        ("X", "Shopper v1.2")  # rank 5 in "Shopper A" is below the top 4
    }


def test_bump_chart_colours_movement_from_first_to_last_lane(bump):
    _, spec = bump
    encoding = layers(spec)["line"]["encoding"]
    assert encoding["color"]["field"] == "movement"
    assert encoding["color"]["scale"]["domain"] == list(charts.MOVEMENT_COLORS)
    movement = {row["product_id"]: row["movement"] for row in rows(spec)}
    # Baseline ABCD -> Shopper v1.2 XYAB
    assert movement == {"A": "down", "B": "down", "C": "dropped", "D": "dropped", "X": "new", "Y": "new"}


def test_bump_chart_tooltips_name_stock_and_every_lanes_rank(bump):
    _, spec = bump
    encoding = layers(spec)["point"]["encoding"]
    assert tooltip_titles(encoding) == [
        "Product", "Product id", "Stock", "In stock", "Movement",
        "Rank in Baseline", "Rank in Shopper A", "Rank in Shopper v1.2",
    ]
    x_shopper_a = next(row for row in rows(spec) if row["product_id"] == "X")
    assert x_shopper_a["name"] == "Silk scarf"
    assert x_shopper_a["rank_in_0"] == "not listed"
    assert x_shopper_a["rank_in_1"] == "#5"  # tooltips show ranks beyond k
    c_row = next(row for row in rows(spec) if row["product_id"] == "C")
    assert c_row["name"] == "C"  # no name known: the id stands in


def test_bump_chart_highlights_the_hovered_product(bump):
    _, spec = bump
    (param,) = spec["params"]
    assert param["select"] == {
        "type": "point", "on": "pointerover", "fields": ["product_id"], "clear": "pointerout"
    }
    for layer in spec["layer"]:
        opacity = layer["encoding"]["opacity"]
        assert opacity["condition"][0]["param"] == param["name"]
        assert opacity["value"] < opacity["condition"][0]["value"]


def test_drift_chart_follows_steps_in_order():
    steps = pd.DataFrame(
        {
            "step": [2, 2, 1, 1, 10],
            "step_label": ["viewed dress", "viewed dress", "home", "home", None],
            "product_id": ["B", "A", "A", "B", "A"],
            "rank": [1, 2, 1, 2, 30],
        }
    )
    chart = charts.drift_chart(steps, k=5, info=INFO)
    spec = chart.to_dict()
    encoding = layers(spec)["line"]["encoding"]
    assert encoding["x"]["sort"] == ["1. home", "2. viewed dress"]  # step 10's only rank is beyond k
    assert encoding["y"]["scale"]["reverse"] is True
    assert "Step" in tooltip_titles(encoding)
    assert {row["product_id"]: row["movement"] for row in rows(spec)} == {"A": "down", "B": "up"}


def marks(spec: dict) -> list[tuple[str, dict]]:
    """Every layer of a chart spec with its mark type, in order (two layers may share a mark)."""
    return [(layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"], layer)
            for layer in spec["layer"]]


def test_rank_change_chart_labels_by_name_and_marks_new_and_dropped():
    changes = rank_changes(LANES["Baseline"], LANES["Shopper A"], k=3)  # ABCDEFGH -> BADCXEFG
    spec = charts.rank_change_chart(changes, INFO).to_dict()
    by_mark = layers(spec)
    assert [mark for mark, _ in marks(spec)] == ["rule", "bar", "point", "text", "text"]

    bars = by_mark["bar"]
    assert bars["encoding"]["x"]["field"] == "places"
    assert bars["encoding"]["y"]["field"] == "label"
    assert bars["encoding"]["y"]["sort"] == ["Straw bag", "Linen dress", "D", "C"]
    drawn = {row["label"]: (row["change"], row["places"], row["end"], row["note"]) for row in rows(spec, bars)}
    assert drawn == {
        "Straw bag": ("up", 1, 1, ""),
        "Linen dress": ("down", -1, -1, ""),
        "D": ("new", None, 0, "new (from #4)"),  # new in the top 3: drawn apart, a diamond on the zero line
        "C": ("dropped", None, 0, "dropped (to #4)"),  # dropped from it: a cross there
    }
    assert bars["encoding"]["color"]["scale"]["domain"] == list(charts.CHANGE_COLORS)
    assert bars["transform"] == [{"filter": "isValid(datum.places) && datum.places != 0"}]

    markers = by_mark["point"]
    assert markers["encoding"]["shape"]["field"] == "change"
    assert markers["encoding"]["x"]["field"] == "end"  # at a bar's end, or on the zero line
    assert markers["transform"] == [{"filter": {"field": "change", "oneOf": ["same", "new", "dropped"]}}]
    assert {"Product", "Reference rank", "Rank", "Stock"} <= set(tooltip_titles(markers["encoding"]))


def test_rank_change_chart_draws_new_products_apart_from_the_moves_so_that_it_agrees_with_the_counts():
    # Issue 22: "Moved up 0" above fifteen bars "from #70": the products new in the top K were drawn as moves.
    reference = [f"p{i}" for i in range(1, 81)]
    other = ["p70", *[p for p in reference if p not in ("p70", "p3")][:38], "p3"]  # p3 falls to #40
    changes = rank_changes(reference, other, k=10)
    spec = charts.rank_change_chart(changes).to_dict()
    layered = marks(spec)
    bars, markers = layered[1][1], layered[2][1]
    data = {row["product_id"]: row for row in rows(spec, bars)}
    assert (data["p70"]["change"], data["p70"]["places"], data["p70"]["end"]) == ("new", None, 0)  # no bar
    assert data["p70"]["note"] == "new (from #70)" and data["p70"]["moved"] == ""
    assert (data["p3"]["change"], data["p3"]["places"], data["p3"]["note"]) == ("dropped", None, "dropped (to #40)")
    # the bars drawn are the moves counted: as many right as "Moved up", left as "Moved down"
    barred = [row for row in rows(spec, bars) if row["places"] is not None and row["places"] != 0]
    counts = dict(change_counts(changes, 10))
    assert sum(row["places"] > 0 for row in barred) == counts["Moved up"]
    assert sum(row["places"] < 0 for row in barred) == counts["Moved down"]
    assert {row["change"] for row in barred} <= {"up", "down"}
    # new and dropped ones are markers in their own colour and shape, with their own legend entries
    assert markers["transform"] == [{"filter": {"field": "change", "oneOf": ["same", "new", "dropped"]}}]
    assert markers["encoding"]["shape"]["scale"]["domain"] == ["same", "new", "dropped"]
    assert {"new", "dropped"} <= set(bars["encoding"]["color"]["scale"]["domain"])
    texts = [layer for mark, layer in layered if mark == "text"]
    assert [t["encoding"]["text"]["field"] for t in texts] == ["note", "note"]
    assert [t["mark"]["align"] for t in texts] == ["left", "right"]  # beside the marker, either way
    gone = charts.rank_change_chart(rank_changes(reference, ["p70"], k=10)).to_dict()
    left = {row["product_id"]: row for row in rows(gone, marks(gone)[1][1])}
    assert left["p1"]["places"] is None and left["p1"]["end"] == 0 and left["p1"]["note"] == "dropped (not returned)"


def test_rank_change_chart_tells_apart_products_with_the_same_name():
    changes = rank_changes(["A", "B"], ["B", "A"])
    info = pd.DataFrame({"name": ["Tee", "Tee"]}, index=pd.Index(["A", "B"], dtype="str"))
    spec = charts.rank_change_chart(changes, info).to_dict()
    assert layers(spec)["bar"]["encoding"]["y"]["sort"] == ["Tee · B", "Tee · A"]


def test_rank_change_chart_at_a_large_k_draws_its_biggest_moves_and_says_so():
    # At K 50 the chart had a row a product: up to 100 rows, 2,200 px, three screens on a projector.
    reference = [f"p{i}" for i in range(1, 101)]
    other = [*reversed(reference[:50]), *reference[50:]]  # the top 50 reversed: p1 falls 49 places, p50 rises 49
    changes = rank_changes(reference, other, k=50)
    assert len(changes) == 50
    spec = charts.rank_change_chart(changes, top=charts.CHANGES_TOP).to_dict()
    labels = layers(spec)["bar"]["encoding"]["y"]["sort"]
    assert len(labels) == charts.CHANGES_TOP
    assert labels[0] == "p50" and labels[-1] == "p1"  # the biggest moves, in the list's order
    assert set(labels) == {f"p{i}" for i in (*range(1, 11), *range(41, 51))}
    assert spec["title"]["subtitle"] == "Compared with the reference list: the 20 biggest moves of 50 products."
    assert len(layers(charts.rank_change_chart(changes).to_dict())["bar"]["encoding"]["y"]["sort"]) == 50  # all
    few = rank_changes(list("AB"), list("BA"))
    assert charts.biggest_moves(few, charts.CHANGES_TOP) is few
    absent = rank_changes([f"p{i}" for i in range(30)], ["p29"], k=30)  # 29 with no move to draw, one up 29
    assert list(charts.biggest_moves(absent, 3)["product_id"])[0] == "p29"


def test_lift_chart_draws_bars_from_one_on_a_linear_scale_with_a_bar_for_a_share_of_none():
    products = pd.DataFrame(
        {"color": ["red", "red", "blue", "blue"], "brand": ["x", "y", "x", "y"]},
        index=pd.Index(list("ABCD"), dtype="str"),
    )
    # lane one's top 2 is both red: blue has a 0% share there (issue 23: a log scale drew no bar for it)
    lift = attribute_lift(products, {"one": ["A", "B"], "two": ["C", "A"]}, list("ABCD"), k=2)
    spec = charts.lift_chart(lift).to_dict()
    bars = layers(spec)["bar"]["encoding"]
    assert bars["x"]["field"] == "lift"
    assert bars["x"]["scale"].get("type", "linear") == "linear" and bars["x"]["scale"]["domainMin"] == 0
    assert bars["x2"] == {"datum": 1}
    assert bars["yOffset"]["field"] == "lane"
    assert bars["color"]["scale"]["domain"] == ["one", "two"]
    assert {"Share of top k", "Share of category", "Lift"} <= set(tooltip_titles(bars))
    drawn = {(row["lane"], row["label"]): row["lift"] for row in rows(spec, layers(spec)["bar"])}
    assert drawn[("one", "Color: blue")] == 0  # a bar from 1 down to 0
    zero = layers(spec)["text"]
    assert zero["mark"]["text"] == "0%" and zero["transform"] == [{"filter": "datum.lift == 0"}]
    assert zero["encoding"]["x"]["field"] == "lift" and zero["encoding"]["yOffset"]["field"] == "lane"
    assert "rule" in layers(spec)


@pytest.mark.parametrize("measure, domain", [("rbo", [0, 1]), ("jaccard", [0, 1]), ("kendall", [-1, 0, 1])])
def test_similarity_heatmap_colours_cells_over_the_measures_range(measure, domain):
    matrix = similarity_matrix(LANES, measure, k=4)
    spec = charts.similarity_heatmap(matrix, measure).to_dict()
    by_mark = layers(spec)
    assert set(by_mark) == {"rect", "text"}
    cells = by_mark["rect"]["encoding"]
    assert cells["color"]["scale"]["domain"] == domain
    assert cells["x"]["sort"] == cells["y"]["sort"] == ["A · Baseline", "B · Shopper A", "C · Shopper v1.2"]
    assert cells["tooltip"]
    assert by_mark["text"]["encoding"]["text"]["field"] == "value_text"
    assert len(rows(spec)) == len(LANES) ** 2


def test_similarity_heatmap_keeps_its_literal_label_colours_out_of_the_cells_scale():
    # A layer with `scale: null` sharing its colour scale with a layer that has one makes
    # Vega-Lite's compiler throw in the browser ("Cannot read properties of null (reading
    # 'type')"): the heatmaps of the compare page's Measures tab were drawn empty.
    spec = charts.similarity_heatmap(similarity_matrix(LANES, "rbo"), "rbo").to_dict()
    assert layers(spec)["text"]["encoding"]["color"]["scale"] is None
    assert layers(spec)["rect"]["encoding"]["color"]["scale"]
    assert spec["resolve"]["scale"]["color"] == "independent"


def test_similarity_heatmap_shows_a_dash_where_the_measure_is_undefined():
    matrix = similarity_matrix({"a": ["A", "B"], "b": ["C"]}, "kendall")
    spec = charts.similarity_heatmap(matrix, "kendall").to_dict()
    assert {row["value_text"] for row in rows(spec)} == {"1.00", "–"}


@pytest.mark.parametrize(
    "counts",
    [
        {"out of stock": 3, "low": 5, "in stock": 12},
        pd.Series({"out of stock": 3, "low": 5, "in stock": 12}),
        pd.DataFrame({"bucket": ["out of stock", "low", "in stock"], "count": [3, 5, 12]}),
    ],
)
def test_stock_distribution_chart_keeps_bucket_order(counts):
    chart = catalog_charts.stock_distribution_chart(counts)
    spec = chart.to_dict()
    assert isinstance(chart, alt.Chart)
    assert spec["mark"]["type"] == "bar"
    assert spec["encoding"]["x"]["sort"] == ["out of stock", "low", "in stock"]
    assert [row["share"] for row in rows(spec)] == [0.15, 0.25, 0.6]
    assert tooltip_titles(spec["encoding"]) == ["Stock", "Products", "Share"]


def test_category_sizes_chart_puts_the_largest_first():
    spec = catalog_charts.category_sizes_chart({"bags": 12, "dresses": 30}).to_dict()
    assert spec["mark"]["type"] == "bar"
    assert spec["encoding"]["y"]["sort"] == "-x"
    assert spec["encoding"]["x"]["field"] == "count"
    assert tooltip_titles(spec["encoding"]) == ["Category", "Products", "Share"]


def test_counts_frame_rejects_an_ambiguous_frame():
    with pytest.raises(ValueError, match="count"):
        catalog_charts.category_sizes_chart(pd.DataFrame({"a": ["x"], "b": [1]}))


def test_every_chart_has_a_title_and_fills_its_container(bump):
    _, bump_spec = bump
    specs = [
        bump_spec,
        charts.rank_change_chart(rank_changes(list("AB"), list("BA"))).to_dict(),
        charts.similarity_heatmap(similarity_matrix(LANES, "rbo"), "rbo").to_dict(),
        catalog_charts.category_sizes_chart({"bags": 1}).to_dict(),
    ]
    for spec in specs:
        assert spec["title"]
        assert spec["width"] == "container"
