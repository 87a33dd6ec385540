import threading

import httpx
import pytest

from fashionai.api.client import FashionAIClient
from fashionai.api.errors import AuthenticationError, ServerError
from fashionai.catalog import load_catalog
from fashionai.compare.fetch import compare_lanes
from fashionai.compare.lanes import (
    BEST_SELLERS,
    NATIVE,
    PERSONA,
    SOURCE_FASHIONAI,
    SOURCE_NATIVE,
    SOURCE_SALES,
    LaneSpec,
    best_sellers_lane,
    check_specs,
    native_lane,
    parse_session_lines,
    persona_lane,
    session_lane,
    unique_labels,
    with_unique_labels,
)
from fashionai.domain import EventType
from fashionai.journeys.journey import Journey, Step
from fashionai.measures.ranking import rbo, similarity_matrix
from fashionai.output import charts
from fashionai.text.formatting import PLACEHOLDER_IMAGE
from tests.comparison_helpers import API, BASE, DRESSES, WAIT, small_catalog


@pytest.fixture(scope="module")
def catalog():
    """The comparison's small catalog (tests/comparison_helpers.py)."""
    return small_catalog()


# --------------------------------------------------------------------------- specs


def test_a_lane_spec_checks_what_its_kind_needs():
    with pytest.raises(ValueError, match="unknown lane kind"):
        LaneSpec("shelf", "x")
    with pytest.raises(ValueError, match="no session id"):
        LaneSpec("session", "x", session_id="  ")
    with pytest.raises(ValueError, match="no journey"):
        LaneSpec(PERSONA, "x")
    with pytest.raises(ValueError, match="needs a label"):
        LaneSpec(NATIVE, " ")
    assert session_lane(" s1 ", " 90 ") == LaneSpec("session", "s1 · user 90", session_id="s1", user_id="90")


def test_events_a_lane_sends():
    journey = Journey("j", "", "Dresses", (Step(EventType.CUSTOM_SHELF), Step(EventType.PRODUCT_VIEW, "01")))
    assert [spec.events for spec in (native_lane(), best_sellers_lane(), session_lane("s"), persona_lane(journey))] \
        == [0, 0, 1, 4]


def test_two_to_eight_lanes_with_distinct_labels_and_sessions():
    with pytest.raises(ValueError, match="2 to 8 lanes"):
        check_specs([native_lane()])
    with pytest.raises(ValueError, match="2 to 8 lanes"):
        check_specs([session_lane(f"s{i}") for i in range(9)])
    with pytest.raises(ValueError, match="same label 'Native order'"):
        check_specs([native_lane(), native_lane()])
    with pytest.raises(ValueError, match="session 's1' is in two lanes"):
        check_specs([session_lane("s1"), session_lane("s1", label="again")])
    check_specs([session_lane("s1"), session_lane("s1", "90")])  # another user is another shopper


def test_repeated_labels_are_numbered():
    assert unique_labels(["A", "B", "A", "A", "A (2)"]) == ["A", "B", "A (2)", "A (3)", "A (2) (2)"]
    specs = with_unique_labels([session_lane("s1", label="X"), session_lane("s2", label="X")])
    assert [s.label for s in specs] == ["X", "X (2)"] and specs[1].session_id == "s2"


def test_session_lines_take_an_optional_user():
    specs = parse_session_lines("sess-1\n\n  sess-2 , 90 \n")
    assert [(s.session_id, s.user_id) for s in specs] == [("sess-1", None), ("sess-2", "90")]
    with pytest.raises(ValueError, match="line 2"):
        parse_session_lines("ok\n, 90")


def test_session_lines_take_an_optional_name_that_labels_the_lane():
    specs = parse_session_lines("fai-audit-1, , Casual shopper\nsess-2, 90, Office,  evening \nsess-3, 91,  \n")
    assert [(s.session_id, s.user_id, s.label) for s in specs] == [
        ("fai-audit-1", None, "Casual shopper"), ("sess-2", "90", "Office, evening"), ("sess-3", "91", "sess-3 · user 91")]
    named = with_unique_labels([*parse_session_lines("s1, , Best sellers"), session_lane("s2", label="Best sellers")])
    assert [s.label for s in named] == ["Best sellers", "Best sellers (2)"]


# --------------------------------------------------------------------------- fan-out


def test_lanes_come_back_in_order_and_a_failure_stays_in_its_lane(catalog):
    # "slow" answers only once every other lane is done, so it finishes last; "broken" fails.
    others_done = threading.Event()
    api = API(answers={"broken": 500, "slow": ["02", "01"]}, hold={"slow": others_done})
    specs = [session_lane("slow"), session_lane("broken"), native_lane(), best_sellers_lane(), session_lane("fine")]
    finished = []

    def on_done(result, done, total):
        finished.append(result.name)
        if done == total - 1:
            others_done.set()

    comparison = compare_lanes(api.client(), catalog, "Dresses", specs, on_done=on_done)
    assert finished[-1] == "slow"
    assert comparison.labels == ["slow", "broken", "Native order", "Best sellers", "fine"]
    slow, broken, native, best, fine = comparison.lanes
    assert isinstance(broken.error, ServerError) and not broken.usable and broken.ranking == ()
    assert "could not be fetched" in broken.note
    assert slow.ranking == ("02", "01") and slow.source == SOURCE_FASHIONAI
    assert native.ranking == tuple(DRESSES) and native.source == SOURCE_NATIVE
    assert best.ranking == ("05", "04", "03", "02", "01") and best.source == SOURCE_SALES
    assert fine.ranking == tuple(DRESSES[::-1])
    assert comparison.usable_labels == ["slow", "Native order", "Best sellers", "fine"]
    assert list(comparison.matrices["rbo"].index) == comparison.usable_labels  # the broken lane is left out


def test_lanes_are_fetched_at_the_same_time(catalog):
    # Each answer waits at a barrier that opens only when all four lanes are in flight together.
    barrier = threading.Barrier(4, timeout=WAIT)

    class Gate(threading.Event):
        def wait(self, timeout=None):
            barrier.wait()
            return True

    api = API(hold={f"s{i}": Gate() for i in range(3)})

    def best_sellers_at_the_barrier(request):
        if request.method == "GET":
            barrier.wait()
        return api(request)

    client = FashionAIClient("t", base_url=BASE, transport=httpx.MockTransport(best_sellers_at_the_barrier))
    specs = [session_lane(f"s{i}") for i in range(3)] + [best_sellers_lane()]
    comparison = compare_lanes(client, catalog, "Dresses", specs)
    assert all(lane.ok for lane in comparison.lanes)


def test_an_empty_answer_draws_the_native_order_and_says_so(catalog):
    api = API(answers={"new-shopper": []})
    comparison = compare_lanes(api.client(), catalog, "Dresses", [session_lane("new-shopper"), best_sellers_lane()])
    lane = comparison.lane("new-shopper")
    assert lane.fallback and lane.answer == () and lane.ranking == tuple(DRESSES)
    assert lane.source == SOURCE_NATIVE
    assert "doesn't know this session yet" in lane.note and "native order" in lane.note


def test_an_empty_sales_ranking_is_left_out(catalog):
    api = API(best=[])
    specs = [session_lane("s"), native_lane(), best_sellers_lane()]
    comparison = compare_lanes(api.client(), catalog, "Dresses", specs)
    best = comparison.lane("Best sellers")
    assert best.ok and not best.usable and not best.fallback
    assert "no sales ranking" in best.note
    assert comparison.usable_labels == ["s", "Native order"]


def test_ids_the_catalog_lacks_are_counted(catalog):
    api = API(answers={"s": ["01", "zz", "02"]})
    comparison = compare_lanes(api.client(), catalog, "Dresses", [session_lane("s"), native_lane()])
    assert comparison.lane("s").unknown == 1
    assert "1 of them is not in your catalog" in comparison.lane("s").note


def test_a_persona_runs_its_journey_on_a_fresh_session_watching_this_category(catalog):
    api = API(answers={"fresh-1": ["04", "01"]})
    journey = Journey("Boho", "", "Tops", (Step(EventType.PRODUCT_VIEW, "04"), Step(EventType.CUSTOM_SHELF)))
    comparison = compare_lanes(api.client(), catalog, "Dresses", [persona_lane(journey), native_lane()],
                               new_session=lambda: "fresh-1")
    sent = [(b["sessionId"], b["eventType"], b["data"]["id"]) for b in api.bodies()]
    assert sent == [("fresh-1", "productView", "04"), ("fresh-1", "categoryView", "Dresses"),
                    ("fresh-1", "customShelf", ""), ("fresh-1", "categoryView", "Dresses")]
    lane = comparison.lane("Boho")
    assert lane.ranking == ("04", "01") and lane.session_id == "fresh-1"
    assert lane.journey.complete and lane.journey.journey.target_category == "Dresses"
    assert "after 2 steps (4 events)" in lane.note


def test_a_persona_that_fails_midway_shows_the_error_in_its_lane(catalog):
    api = API(answers={"fresh": 401})
    journey = Journey("Boho", "", "Dresses", (Step(EventType.PRODUCT_VIEW, "04"),))
    comparison = compare_lanes(api.client(), catalog, "Dresses", [persona_lane(journey), native_lane()],
                               new_session=lambda: "fresh")
    lane = comparison.lane("Boho")
    assert isinstance(lane.error, AuthenticationError)
    assert "stopped at step 1 of 1" in lane.note
    assert comparison.lane("Native order").usable


def test_a_blank_category_or_bad_measures_are_refused(catalog):
    api = API()
    with pytest.raises(ValueError, match="category"):
        compare_lanes(api.client(), catalog, " ", [native_lane(), best_sellers_lane()])
    with pytest.raises(ValueError, match="p must be"):
        compare_lanes(api.client(), catalog, "Dresses", [native_lane(), best_sellers_lane()], p=1.0)
    assert api.requests == []  # refused before any call


# --------------------------------------------------------------------------- measures and frames


@pytest.fixture
def compared(catalog):
    api = API(answers={"s": ["04", "01", "05", "zz"]})
    comparison = compare_lanes(api.client(), catalog, "Dresses", [native_lane(), session_lane("s")], k=3, p=0.8)
    return api, comparison


def test_measures_are_computed_from_the_rankings(compared):
    _, comparison = compared
    row = comparison.pairwise.iloc[0]
    assert (row["lane_a"], row["lane_b"]) == ("Native order", "s")
    native, session = list(comparison.rankings.values())
    assert row["rbo"] == pytest.approx(rbo(native, session, 0.8))
    assert row["overlap_at_k"] == pytest.approx(1 / 3)  # top 3: {01,02,03} vs {04,01,05}
    assert row["jaccard_at_k"] == pytest.approx(1 / 5)
    assert row["kendall_tau"] == pytest.approx(1 / 3)  # shared 01,04,05: (01,04) and (01,05) swap
    assert set(comparison.matrices) == {"rbo", "overlap", "jaccard", "kendall"}
    assert comparison.matrices["jaccard"].loc["s", "s"] == 1.0


def test_remeasure_recomputes_without_calling_the_api(compared):
    api, comparison = compared
    calls = len(api.requests)
    wider = comparison.remeasure(k=5, p=0.95)
    assert len(api.requests) == calls
    assert (wider.k, wider.p) == (5, 0.95) and wider.lanes is comparison.lanes
    assert wider.pairwise.iloc[0]["overlap_at_k"] == pytest.approx(3 / 5)
    assert comparison.remeasure(k=3, p=0.8) is comparison  # same view: same frames
    with pytest.raises(ValueError):
        comparison.remeasure(k=0)


def test_remeasure_shares_the_encoded_rankings_and_matrices_agree_with_the_pair_table(compared):
    _, comparison = compared
    wider = comparison.remeasure(k=5, p=0.95)
    assert wider.encoded is comparison.encoded  # encoded once; Kendall's tau of a pair kept with it
    for measure, column in {"rbo": "rbo", "overlap": "overlap_at_k", "jaccard": "jaccard_at_k",
                            "kendall": "kendall_tau"}.items():
        matrix = wider.matrices[measure]
        assert matrix.equals(similarity_matrix(wider.rankings, measure, p=0.95, k=5))
        for row in wider.pairwise.itertuples(index=False):
            assert matrix.loc[row.lane_a, row.lane_b] == pytest.approx(getattr(row, column), nan_ok=True)


def test_the_change_list_has_names_safe_images_and_plain_words(compared):
    _, comparison = compared
    changes = comparison.changes("Native order", "s")
    assert list(changes.columns) == ["movement", "image_url", "name", "rank", "ref_rank", "change", "delta",
                                     "stock", "price", "product_id"]
    by_id = changes.set_index("product_id")
    assert by_id.loc["01", "movement"] == "down 1"  # 1st in the native order, 2nd for the shopper
    assert by_id.loc["04", "movement"] == "new in the top 3, from #4"
    assert by_id.loc["04", "delta"] == 3  # its real move, from the 4th to the 1st place
    assert by_id.loc["02", "movement"] == "dropped from the top 3, not returned"
    assert by_id.loc["04", "name"] == "Maxi Dress"
    assert by_id.loc["04", "image_url"] == "https://img.test/04.jpg"
    assert by_id.loc["03", "image_url"] == PLACEHOLDER_IMAGE  # a javascript: address never reaches the page
    assert by_id.loc["02", "stock"] == 0


def test_the_biggest_movers_move_as_far_as_they_did_in_words_and_numbers():
    # The case: against the native order a product went from #70 to #1 (and the
    # old #2 fell to #12); both were drawn and listed as no movement.
    rows = "".join(f"{i:03d},Sweater {i},Knits,{100 + i},5\n" for i in range(1, 81))
    catalog = load_catalog(("id,name,category,price,stock\n" + rows).encode())
    native = [f"{i:03d}" for i in range(1, 81)]
    answer = ["070", "001", *native[2:11], "002"]  # 070 first; 002 pushed to #12
    api = API(answers={"s": answer})
    comparison = compare_lanes(api.client(), catalog, "Knits", [native_lane(), session_lane("s")], k=10)
    changes = comparison.changes("Native order", "s").set_index("product_id")
    assert changes.loc["070", ["ref_rank", "rank", "change", "delta"]].tolist() == [70, 1, "new", 69]
    assert changes.loc["070", "movement"] == "new in the top 10, from #70"
    assert changes.loc["002", ["ref_rank", "rank", "change", "delta"]].tolist() == [2, 12, "dropped", -10]
    assert changes.loc["002", "movement"] == "dropped from the top 10, to #12"
    spec = charts.rank_change_chart(changes.reset_index()[["product_id", "ref_rank", "rank", "change", "delta"]],
                                    comparison.info).to_dict()
    drawn = {row["product_id"]: (row["places"], row["note"])
             for rows in spec["datasets"].values() for row in rows if "product_id" in row}
    # the chart draws them apart from the moves (no bar: the counts say new and dropped), noted with where they were
    assert drawn["070"] == (None, "new (from #70)") and drawn["002"] == (None, "dropped (to #12)")


def test_an_unknown_product_is_named_as_such(catalog):
    api = API(answers={"s": ["zz", "01"]})
    comparison = compare_lanes(api.client(), catalog, "Dresses", [native_lane(), session_lane("s")], k=2)
    changes = comparison.changes("Native order", "s").set_index("product_id")
    assert changes.loc["zz", "name"] == "Unknown product zz"
    assert changes.loc["zz", "image_url"] == PLACEHOLDER_IMAGE
    assert comparison.top_k().loc[1, "s"] == "Unknown product zz"


def test_change_summary_counts_each_lanes_moves(compared):
    _, comparison = compared
    summary = comparison.change_summary("Native order")
    assert summary.to_dict("records") == [{"lane": "s", "up": 0, "down": 1, "same": 0, "new": 2, "dropped": 2}]


def test_top_k_puts_lanes_side_by_side(compared):
    _, comparison = compared
    table = comparison.top_k()
    assert list(table.index) == [1, 2, 3]
    assert list(table["s"]) == ["Maxi Dress", "Linen Dress", "Shirt Dress"]
    assert list(table["Native order"]) == ["Linen Dress", "Satin Dress", "Wrap Dress"]


def test_the_reference_defaults_to_the_native_order(catalog):
    api = API()
    specs = [session_lane("s"), best_sellers_lane(), native_lane()]
    comparison = compare_lanes(api.client(), catalog, "Dresses", specs)
    assert comparison.default_reference() == "Native order"
    without = compare_lanes(api.client(), catalog, "Dresses", [session_lane("s2"), best_sellers_lane()])
    assert without.default_reference() == "s2"


def test_the_frames_feed_the_chart_builders(compared):
    _, comparison = compared
    bump = charts.bump_chart(comparison.rank_long, k=comparison.k, lane_order=comparison.usable_labels,
                             info=comparison.info).to_dict()
    rows = bump["datasets"][bump["layer"][0]["data"]["name"]] if "data" in bump["layer"][0] else \
        bump["datasets"][bump["data"]["name"]]
    assert {row["name"] for row in rows} >= {"Linen Dress", "Maxi Dress"}
    lift = comparison.lift
    assert set(lift["attribute"]) == {"color", "style", "brand", "price_band"}
    boho = lift[(lift["lane"] == "s") & (lift["attribute"] == "style") & (lift["value"] == "boho")]
    assert boho["count"].item() == 2  # Maxi and Linen dress in the shopper's top 3
    charts.lift_chart(lift).to_dict()
    charts.similarity_heatmap(comparison.matrices["kendall"], "kendall").to_dict()
    changes = comparison.changes("Native order", "s")
    moves = changes[["product_id", "ref_rank", "rank", "change", "delta"]]
    charts.rank_change_chart(moves, comparison.info).to_dict()


def test_lift_skips_attributes_the_catalog_leaves_blank():
    csv = "id,name,category,color,price\n" + "".join(f"{i},Item {i},Tops,{c},\n" for i, c in enumerate("RRGB"))
    catalog = load_catalog(csv.encode())
    api = API(answers={"s": ["3", "2"]})
    comparison = compare_lanes(api.client(), catalog, "Tops", [native_lane(), session_lane("s")], k=2)
    assert set(comparison.lift["attribute"]) == {"color"}  # no style or brand column, no price given
    charts.lift_chart(comparison.lift).to_dict()


def test_products_are_read_only_catalog_rows_with_stock_flags(compared):
    _, comparison = compared
    products = comparison.products
    assert list(products.index) == DRESSES  # the category, plus known ids the lanes show
    assert products.loc["02", "in_stock"] == False  # noqa: E712
    assert str(products["price"].dtype) == "float64"
    assert list(comparison.info.columns) == ["name", "stock", "in_stock"]


def test_kinds_are_named():
    assert BEST_SELLERS == "best_sellers"
