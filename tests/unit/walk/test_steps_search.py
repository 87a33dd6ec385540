"""The walk's search box in its logic: the results' arrows (against the session's search before, or the store's own
text match), the results joined again with a new catalog, the search in the trail by its query, and a walk's
searches kept as search steps of the journey it makes."""

from datetime import UTC, datetime

import httpx
import pytest

from fashionai.api.client import FashionAIClient
from fashionai.catalog import load_catalog
from fashionai.measures.movement import UP, Move
from fashionai.storefront.search_view import PREVIOUS_SEARCH, STORE_MATCH, preview_search
from fashionai.walk.steps import SEARCH, Walk, rejoin_walk, search_page
from fashionai.walk.trail import answered, trail_frame, walk_journey

AT = datetime(2026, 4, 17, 12, 0, tzinfo=UTC)
CSV = b"""id,name,category,stock
001,Red Dress,Dresses,5
002,Blue Dress,Dresses,0
010,Denim Jacket,Jackets,3
"""


@pytest.fixture
def preview():
    def handler(request):
        return httpx.Response(200, json={"items": ["002", "001"], "totalItems": 2, "totalPages": 1,
                                         "currentPage": 1})

    with FashionAIClient("t", base_url="http://x/api/v1", transport=httpx.MockTransport(handler)) as client:
        return preview_search(client, load_catalog(CSV), "s1", "dress")


def test_first_results_compare_with_the_stores_match_then_with_the_search_before(preview):
    first = search_page(preview, None)
    assert first.against == STORE_MATCH and first.moves["002"] == Move(UP, 1)  # the store's match: 001, 002
    again = search_page(preview, ["001", "002"], before_at=AT)
    assert again.against == PREVIOUS_SEARCH and "12:00:00 UTC" in again.note
    assert first.shown_ids == ("002", "001")


def test_the_results_follow_a_new_catalog(preview):
    walk = Walk.start("s1").went(SEARCH, search=search_page(preview, None))
    again = rejoin_walk(walk, load_catalog(b"id,name,stock\n001,Renamed,1\n"))
    assert again.search.preview.answer is preview.answer
    assert list(again.search.preview.products["name"].fillna("")) == ["", "Renamed"]
    assert again.search.moves == walk.search.moves


def test_a_search_is_in_the_trail_by_its_query_and_a_step_of_the_journey():
    trail = ()
    for event, item in [("search", "vestido azul"), ("categoryView", "Dresses"), ("productView", "001")]:
        trail += (answered(trail, event, item, ["001"], elapsed=0.01, snapshot=None, at=AT),)
    frame = trail_frame(trail, {"001": "Red Dress"})
    assert list(frame["call"]) == ["Search", "Category page", "Product page"]
    assert list(frame["about"]) == ["vestido azul", "Dresses", "Red Dress"]
    journey, note = walk_journey(trail, "With a search")
    assert [(step.event_type, step.id) for step in journey.steps] == [
        ("search", "vestido azul"), ("categoryView", "Dresses"), ("productView", "001")]
    assert "left out" not in note


def test_a_shared_walk_replays_its_searches_from_the_history():
    from fashionai.walk.steps import PRODUCT, replay_walk
    from tests.history_helpers import snap

    url = "http://simulator.local/api/v1/products/protected/search?page=1&limit=20&query=dress"
    snapshots = [
        snap(event_type="search", item_id="dress", endpoint=url, products=("001", "002"), recorded_at=AT),
        snap(event_type="search", item_id="dress", endpoint=url, products=("002", "001"), recorded_at=AT),
        snap(event_type="productView", item_id="002", products=("001",), recorded_at=AT),
    ]
    walk = replay_walk("sess-1", None, snapshots, load_catalog(CSV))
    assert [entry.event for entry in walk.trail] == ["search", "search", "productView"]
    assert walk.place == PRODUCT and walk.product.product_id == "002"
    results = walk.search
    assert results.shown_ids == ("002", "001") and results.against == PREVIOUS_SEARCH  # the second against the first
    assert results.moves["002"] == Move(UP, 1)
    assert walk.trail[1].change == "1 moved up, 1 down in the top 12"


def test_the_walks_handover_shows_its_search_results(preview):
    from fashionai.walk.handover import walk_handover

    walk = Walk.start("s1").went(SEARCH, search=search_page(preview, None))
    handover = walk_handover(walk, backend="Built-in simulator", catalog="test")
    (section,) = [s for s in handover.sections if s.heading == "Search: “dress”"]
    assert [card.name for card in section.cards] == ["Blue Dress", "Red Dress"]
    assert [card.note for card in section.cards] == ["↑1", "↓1"]


def test_a_product_page_was_opened_from_the_later_of_a_category_and_a_search():
    from fashionai.walk.steps import CATEGORY

    trail = ()
    walk = Walk.start("s1")
    assert walk.came_from is None
    for event, item, came_from in [("categoryView", "Dresses", CATEGORY), ("search", "dress", SEARCH),
                                   ("productView", "001", SEARCH), ("categoryView", "Jackets", CATEGORY)]:
        trail += (answered(trail, event, item, ["001"], elapsed=0.01, snapshot=None, at=AT),)
        assert Walk("s1", None, trail=trail).came_from == came_from
