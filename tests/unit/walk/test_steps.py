"""The shopper walk's logic: the trail and what each call changed, the journey a walk makes, the
share view of its trail, and a walk rebuilt from saved answers without a call."""

from datetime import datetime, timedelta, timezone

import pytest

from fashionai.catalog import load_catalog
from fashionai.journeys.journey import MAX_STEPS
from fashionai.output import share
from fashionai.walk.steps import AGAINST_NATIVE, AGAINST_VISIT, CATEGORY, HOME, PRODUCT, Walk, replay_walk
from fashionai.walk.trail import (
    answered,
    failed,
    previous_answer,
    trail_frame,
    walk_journey,
    walk_view,
    what_changed,
)
from tests.history_helpers import snap

AT = datetime(2026, 4, 17, 12, 0, tzinfo=timezone.utc)
CSV = b"""id,name,category,stock,price
001,Red Dress,Dresses,5,100
002,Blue Dress,Dresses,0,120
003,Green Dress,Dresses,,90
010,Denim Jacket,Jackets,3,200
011,Black Blazer,Jackets,0,300
"""


def entry(trail, event, item, products, snapshot=None):
    return answered(trail, event, item, products, elapsed=0.02, snapshot=snapshot, at=AT)


# --------------------------------------------------------------------------- what changed


@pytest.mark.parametrize("event, products, previous, words", [
    ("categoryView", ["a", "b"], None, "first visit"),
    ("customShelf", [], None, "first visit: empty"),
    ("customShelf", [], [], "empty again"),
    ("customShelf", ["a", "b"], [], "2 products now (was empty)"),
    ("categoryView", [], ["a"], "empty now (was 1 product)"),
    ("categoryView", ["a", "b"], ["a", "b"], "no change"),
    ("customShelf", ["a", "x", "y", "z", "w", "v", "b", "c"], ["a", "b", "c", "d", "e", "f", "g", "h"],
     "shelf changed: 5 new of 8"),
    ("customShelf", ["b", "a"], ["a", "b"], "shelf changed: the same products, reordered"),
    ("categoryView", ["c", "a", "b", "n"], ["a", "b", "c"], "1 moved up, 2 down, 1 new in the top 12"),
])
def test_what_changed_says_it_against_the_same_call_before(event, products, previous, words):
    assert what_changed(event, products, previous) == words


def test_what_changed_looks_at_the_top_only():
    before = [str(i) for i in range(20)]
    now = before[:12] + list(reversed(before[12:]))
    assert what_changed("categoryView", now, before) == "the top 12 is unchanged; products below it moved"


def test_the_trail_compares_each_call_with_the_same_call_and_id_earlier():
    trail = (entry((), "categoryView", "Dresses", ["1", "2", "3"]),)
    trail += (entry(trail, "categoryView", "Jackets", ["9"]),)  # another category: its own first answer
    trail += (entry(trail, "categoryView", "Dresses", ["3", "1", "2"]),)
    assert [e.change for e in trail] == ["first visit", "first visit", "1 moved up, 2 down in the top 12"]
    assert previous_answer(trail, "categoryView", "Dresses") == ("3", "1", "2")
    assert previous_answer(trail, "productView", "1") is None


def test_a_failure_is_in_the_trail_and_is_no_answer_to_compare_with():
    trail = (entry((), "customShelf", "", ["a"]), failed("customShelf", "", "HTTP 500", at=AT))
    assert not trail[1].ok and trail[1].products == ()
    assert previous_answer(trail, "customShelf", "") == ("a",)
    assert entry(trail, "customShelf", "", ["a"]).change == "no change"


def test_trail_frame_lists_every_call_in_order():
    trail = (entry((), "customShelf", "", []), entry((), "salesRanking", "", ["a", "b"]),
             failed("similar", "001", "HTTP 404", at=AT, change="Fashion.AI does not know this product"))
    frame = trail_frame(trail, {"001": "Vestido Aurora"})
    assert list(frame.columns) == ["time", "call", "about", "products", "ms", "changed"]
    assert list(frame["call"]) == ["Home shelf", "Best sellers", "Similar products"]  # what the shopper sees
    assert list(frame["about"]) == ["", "", "Vestido Aurora"]  # a product by its name
    assert frame["products"].tolist()[:2] == [0, 2] and frame["products"].isna().iloc[2]
    assert frame["changed"].iloc[2] == "Fashion.AI does not know this product (HTTP 404)"
    assert list(frame["ms"]) == [20, 20, 0]


# --------------------------------------------------------------------------- a walk as a journey, as a link


def test_the_walk_as_a_journey_keeps_its_tracking_events_watching_the_last_category():
    trail = ()
    for event, item in [("customShelf", ""), ("salesRanking", ""), ("collection", "7"), ("categoryView", "Dresses"),
                        ("productView", "001"), ("similar", "001"), ("shopTheLook", "001"),
                        ("categoryView", "Jackets")]:
        trail += (entry(trail, event, item, ["001"]),)
    trail += (failed("productView", "010", "HTTP 500", at=AT),)
    journey, note = walk_journey(trail, "My walk")
    assert [(s.event_type, s.id) for s in journey.steps] == [
        ("customShelf", ""), ("categoryView", "Dresses"), ("productView", "001"), ("shopTheLook", "001"),
        ("categoryView", "Jackets")]
    assert journey.target_category == "Jackets" and journey.name == "My walk"
    assert "watching Jackets" in note and "4 calls" in note


def test_a_walk_longer_than_a_journey_keeps_its_last_events():
    trail = ()
    for number in range(MAX_STEPS + 5):
        trail += (entry(trail, "categoryView", f"c{number}", ["001"]),)
    journey, note = walk_journey(trail, "Long")
    assert len(journey.steps) == MAX_STEPS and journey.steps[0].id == "c5"
    assert "the first 5 events" in note


def test_a_walk_without_a_category_is_no_journey():
    with pytest.raises(ValueError, match="open a category first"):
        walk_journey((entry((), "customShelf", "", []),), "Shelf only")


def test_the_walk_view_names_the_saved_answers_in_order_and_at_most_forty():
    trail = tuple(entry((), "categoryView", "c", ["1"], snapshot=f"{n:032x}") for n in range(45))
    trail += (failed("productView", "1", "HTTP 500", at=AT),)
    view = walk_view("sess-1", "", trail)
    assert view.user is None and view.session == "sess-1"
    assert view.snapshots == tuple(f"{n:032x}" for n in range(5, 45))
    decoded = share.decode("walk", share.encode(view))
    assert decoded.problems == () and decoded.view == view


# --------------------------------------------------------------------------- from saved answers


def test_a_walk_replays_from_its_saved_answers():
    catalog = load_catalog(CSV)
    when = [AT + timedelta(seconds=n) for n in range(8)]
    snapshots = [
        snap(event_type="customShelf", item_id="", products=(), recorded_at=when[0]),
        snap(event_type="salesRanking", item_id=None, session_id=None, products=("010", "001"), recorded_at=when[1]),
        snap(event_type="categoryView", item_id="Dresses", products=(), recorded_at=when[2]),
        snap(event_type="categoryView", item_id="Dresses", products=("003", "001", "002"), recorded_at=when[3]),
        snap(event_type="productView", item_id="001", products=("002", "003"), recorded_at=when[4]),
        snap(event_type="similar", item_id="001", products=("003",), recorded_at=when[5]),
        snap(event_type="shopTheLook", item_id="001", products=("010", "011"), recorded_at=when[6]),
        snap(event_type="productView", item_id="010", products=(), error="ServerError", status_code=500,
             recorded_at=when[7]),
    ]
    walk = replay_walk("sess-1", None, snapshots, catalog)
    assert [e.event for e in walk.trail] == [s.event_type for s in snapshots]
    assert [e.snapshot for e in walk.trail][:7] == [s.id for s in snapshots][:7]
    assert walk.trail[3].change == "3 products now (was empty)" and not walk.trail[7].ok
    assert walk.place == PRODUCT and walk.product.product_id == "001"  # the failed product page opened nothing
    assert list(walk.home.best_products["product_id"]) == ["010", "001"]
    assert walk.home.shelf.products == ()
    page = walk.category
    assert page.against == AGAINST_VISIT  # the second visit compares with the first (native order)
    assert page.moves["003"].label == "↑2" and page.moves["001"].label == "↓1"
    assert list(walk.product.similar_products["product_id"]) == ["003"]
    assert walk.product.look.button_visible(unknown_in_stock=False)  # 010 has stock
    assert walk.last_category == "Dresses"


def test_a_first_visit_compares_with_the_stores_order():
    catalog = load_catalog(CSV)
    walk = replay_walk("s", None, [snap(event_type="categoryView", item_id="Dresses", products=("002", "001"))],
                       catalog)
    assert walk.place == CATEGORY and walk.category.against == AGAINST_NATIVE
    assert walk.category.moves["002"].label == "↑1"


def test_a_new_walk_is_at_home_with_nothing_asked():
    walk = Walk.start("s", "")
    assert walk.place == HOME and walk.trail == () and walk.user_id is None
    assert walk.home.shelves() == {}
