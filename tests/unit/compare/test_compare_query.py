"""Compare lanes of a search query (fashionai.compare.search_lanes): each lane a session searching the same query's
first page, a persona's steps on a fresh session first, the store's text match as the native lane (no call), the
compare measures between them, a failing lane kept with its error, and the lanes rebuilt from saved snapshots."""

import json

import httpx
import pytest

from fashionai.api.client import FashionAIClient
from fashionai.compare.lanes import SOURCE_NATIVE, best_sellers_lane, native_lane, persona_lane, session_lane
from fashionai.compare.search_lanes import (
    compare_query,
    query_events,
    query_lane_note,
    replay_query,
    store_page,
)
from fashionai.compare.view import lane_cards
from tests.comparison_helpers import PERSONA, query_catalog
from tests.history_helpers import snap

@pytest.fixture(scope="module")
def catalog():
    return query_catalog()


def vendor(by_session, failing=()):
    """A fake Fashion.AI: a search answers `by_session[sessionId]`; every call noted in `calls`."""
    calls = []

    def handle(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        calls.append((request.url.path.rsplit("/", 1)[-1], body.get("sessionId"), request.url.params.get("query")))
        if "/search" in request.url.path:
            if body["sessionId"] in failing:
                return httpx.Response(500, json={"message": "down"})
            items = by_session.get(body["sessionId"], [])
            return httpx.Response(200, json={"items": items, "totalItems": len(items), "totalPages": 1,
                                             "currentPage": 1})
        return httpx.Response(200, json={"products": []})
    client = FashionAIClient("t", base_url="http://x/api/v1", transport=httpx.MockTransport(handle), max_retries=0)
    return client, calls


def test_every_lane_searches_the_same_query_and_is_measured_against_the_others(catalog):
    client, calls = vendor({"anna": ["004", "001", "002"], "fresh-1": ["002", "001"]})
    specs = [session_lane("anna", "90", "Anna"), persona_lane(PERSONA), native_lane("Store's text match")]
    with client:
        comparison = compare_query(client, catalog, "  azul ", specs, k=3, new_session=lambda: "fresh-1")
    searches = [(session, query) for path, session, query in calls if path == "search"]
    assert sorted(searches) == [("anna", "azul"), ("fresh-1", "azul")]
    assert [path for path, session, _ in calls if session == "fresh-1"] == ["recommendation", "recommendation",
                                                                             "search"]  # its taste, then the search
    assert comparison.search and comparison.category == "azul"
    assert comparison.rankings == {"Anna": ("004", "001", "002"), "Boho shopper": ("002", "001"),
                                   "Store's text match": store_page(catalog, "azul")}
    assert comparison.lane("Store's text match").source == SOURCE_NATIVE
    assert comparison.pair("Anna", "Boho shopper")["overlap_at_k"] == pytest.approx(2 / 3)
    assert list(comparison.changes("Anna", "Boho shopper")["product_id"][:2]) == ["002", "001"]
    assert comparison.lane("Anna").recommendation.query == "azul"  # its exchange: the history's snapshot id


def test_an_empty_search_shows_the_stores_match_and_a_failing_lane_keeps_its_error(catalog):
    client, _ = vendor({"anna": []}, failing=("bob",))
    specs = [session_lane("anna"), session_lane("bob"), native_lane()]
    with client:
        comparison = compare_query(client, catalog, "vestido", specs)
    anna, bob, _ = comparison.lanes
    assert anna.fallback and anna.ranking == ("001", "002")
    assert "found nothing" in query_lane_note(anna) and "text match" in query_lane_note(anna)
    assert not bob.ok and query_lane_note(bob).startswith("This search could not be made")
    cards = {card.label: card for card in lane_cards(comparison)}
    assert cards["bob"].state == "failed" and "could not be made" in cards["bob"].note
    assert "search" in cards["anna"].note


@pytest.mark.parametrize(("specs", "query", "words"), [
    ([session_lane("a"), best_sellers_lane()], "azul", "sales ranking"),
    ([session_lane("a"), session_lane("a", label="again")], "azul", "two lanes"),
    ([session_lane("a"), native_lane()], "   ", "blank"),
])
def test_what_a_search_comparison_refuses_before_any_call(catalog, specs, query, words):
    client, calls = vendor({})
    with client, pytest.raises(ValueError, match=words):
        compare_query(client, catalog, query, specs)
    assert calls == []


def test_a_lanes_events_for_a_search():
    assert [query_events(spec) for spec in (session_lane("a"), persona_lane(PERSONA), native_lane())] == [1, 3, 0]


def search_snap(session, products, query="azul"):
    return snap(event_type="search", session_id=session, item_id=query, products=tuple(products),
                total_items=len(products), total_pages=1,
                endpoint=f"http://x/api/v1/products/protected/search?page=1&limit=20&query={query}")


def test_saved_searches_replay_as_the_same_lanes_without_a_call(catalog):
    specs = [session_lane("anna"), session_lane("bob"), native_lane()]
    lanes = [(specs[0], search_snap("anna", ["004", "001"])), (specs[1], search_snap("bob", [])), (specs[2], None)]
    comparison = replay_query("azul", lanes, catalog, k=2, p=0.9)
    assert comparison.search and comparison.category == "azul" and comparison.k == 2
    assert comparison.rankings["anna"] == ("004", "001")
    assert comparison.lane("bob").fallback and comparison.rankings["bob"] == store_page(catalog, "azul")
    with pytest.raises(ValueError, match="not for"):
        replay_query("vestido", lanes, catalog, k=2, p=0.9)


def test_a_search_comparisons_export_names_its_query_and_each_lanes_saved_search(catalog):
    from fashionai.compare.export import comparison_export

    client, _ = vendor({"anna": ["004", "001"]})
    with client:
        comparison = compare_query(client, catalog, "azul", [session_lane("anna"), native_lane()])
    meta = comparison_export(comparison, "Native order").meta
    assert meta["query"] == "azul" and "category" not in meta
    assert [lane["snapshot_id"] is not None for lane in meta["lanes"]] == [True, False]


def test_two_saved_searches_of_one_query_compare_as_a_search(catalog):
    from fashionai.compare.replay import compare_snapshots

    comparison = compare_snapshots([search_snap("anna", []), search_snap("anna", ["004", "002"])], catalog, k=2,
                                   p=0.9)
    assert comparison.search and comparison.category == "azul"
    first, second = comparison.lanes
    assert first.fallback and first.ranking == store_page(catalog, "azul")  # not the empty category's order
    assert second.ranking == ("004", "002")


@pytest.mark.parametrize(("query", "words"), [("  ", "The search is blank"), ("x" * 501, "at most 500")])
def test_a_query_the_client_would_refuse_is_said_before_the_click(query, words):
    from fashionai.compare.view import NATIVE_OPTION, choose_lanes, lane_options

    choice = choose_lanes(lane_options([], {}, search=True), [NATIVE_OPTION], "sess-a", add_sidebar=False,
                          session_id=None, user_id=None, query=query)
    assert any(words in problem for problem in choice.problems)
    assert choose_lanes(lane_options([], {}, search=True), [NATIVE_OPTION], "sess-a", add_sidebar=False,
                        session_id=None, user_id=None, query="azul").problems == ()
