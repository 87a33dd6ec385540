"""The same query beside one shopper's search: other shoppers on fresh synthetic sessions (the shopper's own
session never sent anything), a persona's steps before its search, the store's text match as a lane without a
call, the compare page's measures between them, a failing lane kept with its error."""

import json

import httpx
import pytest

from fashionai.api.client import FashionAIClient
from fashionai.compare.lanes import parse_session_lines
from fashionai.search.same_query import (
    ANONYMOUS,
    SHOPPER,
    STORE_LANE,
    check_sessions,
    compare_same_query,
    lane_words,
    same_query_cost,
)
from fashionai.storefront.search_view import preview_search
from tests.comparison_helpers import PERSONA, query_catalog

@pytest.fixture(scope="module")
def catalog():
    return query_catalog()


class Vendor:
    """A fake Fashion.AI: searches answer by session (`by_session`, else `default`); every call is noted."""

    def __init__(self, default, by_session=None, failing=()):
        self.default, self.by_session, self.failing, self.calls = default, by_session or {}, failing, []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        self.calls.append((request.url.path.rsplit("/", 1)[-1], body.get("sessionId"), body.get("eventType")))
        if "/search" in request.url.path:
            if body["sessionId"] in self.failing:
                return httpx.Response(500, json={"message": "down"})
            items = self.by_session.get(body["sessionId"], self.default)
            return httpx.Response(200, json={"items": items, "totalItems": len(items), "totalPages": 1,
                                             "currentPage": 1})
        return httpx.Response(200, json={"products": []})


def client_on(vendor):
    return FashionAIClient("t", base_url="http://x/api/v1", transport=httpx.MockTransport(vendor), max_retries=0)


def sessions():
    numbers = iter(range(1, 10))
    return lambda: f"fresh-{next(numbers)}"


def test_the_others_search_on_fresh_sessions_and_the_shopper_sends_nothing_more(catalog):
    vendor = Vendor(["004", "001", "002"], {"fresh-1": ["001", "002"], "fresh-2": ["002", "001", "004"]})
    with client_on(vendor) as client:
        preview = preview_search(client, catalog, "shopper", "azul")
        vendor.calls.clear()
        same = compare_same_query(client, catalog, preview, [PERSONA], new_session=sessions())
    assert [session for _, session, _ in vendor.calls] == ["fresh-1", "fresh-2", "fresh-2", "fresh-2"]
    assert [(path, event) for path, _, event in vendor.calls] == [
        ("search", None), ("recommendation", "categoryView"), ("recommendation", "productView"), ("search", None)]
    comparison = same.comparison
    assert comparison.labels == [SHOPPER, ANONYMOUS, "Boho shopper (persona)", STORE_LANE]
    assert comparison.rankings[SHOPPER] == ("004", "001", "002")
    assert comparison.rankings[ANONYMOUS] == ("001", "002")
    assert comparison.rankings[STORE_LANE] == ("003", "004", "001", "002")  # the store's own match, no call
    assert comparison.k == 4  # the longest lane, not more
    assert same.reading(ANONYMOUS).startswith("These two storefronts share 2 of their top 4 products")
    changes = comparison.changes(SHOPPER, ANONYMOUS)
    assert changes.set_index("product_id").loc["004", "change"] == "dropped"


def test_a_lane_that_fails_keeps_its_error_and_the_others_go_on(catalog):
    vendor = Vendor(["001"], failing=("fresh-1",))
    with client_on(vendor) as client:
        preview = preview_search(client, catalog, "shopper", "vestido")
        same = compare_same_query(client, catalog, preview, [], new_session=sessions())
    anonymous = same.comparison.lane(ANONYMOUS)
    assert not anonymous.ok and anonymous.error is not None
    assert lane_words(anonymous, 1) == "This search could not be made; the other lanes are not affected."
    assert same.comparison.usable_labels == [SHOPPER, STORE_LANE]


def test_an_empty_answer_draws_the_stores_match_as_the_page_does(catalog):
    vendor = Vendor([])
    with client_on(vendor) as client:
        preview = preview_search(client, catalog, "shopper", "vestido")
        same = compare_same_query(client, catalog, preview, [], new_session=sessions())
    lane = same.comparison.lane(ANONYMOUS)
    assert lane.fallback and lane.ranking == ("001", "002")
    assert "found nothing" in lane_words(lane, 1)


def test_what_compare_sends_is_said_before_it_is_pressed():
    assert same_query_cost([]).startswith("Comparing sends 1 tracking event: an anonymous shopper's search on fresh")
    with_persona = same_query_cost([PERSONA], parse_session_lines("sess-9, 90\nsess-8"))
    assert with_persona.startswith("Comparing sends 6 tracking events")
    assert "Boho shopper's 2 visits (its taste) then its search on fresh synthetic sessions" in with_persona
    assert "a search for each of the 2 shopper sessions added, recorded as each one's behaviour" in with_persona
    assert "a search for the shopper session added, recorded as its behaviour" in same_query_cost(
        [], parse_session_lines("sess-9"))
    assert "The sidebar shopper's session is not touched" in with_persona


def test_added_shopper_sessions_search_the_query_as_themselves(catalog):
    vendor = Vendor(["001"], {"sess-9": ["002", "001"]})
    with client_on(vendor) as client:
        preview = preview_search(client, catalog, "shopper", "vestido")
        vendor.calls.clear()
        same = compare_same_query(client, catalog, preview, [], sessions=parse_session_lines("sess-9, 90, Anna"),
                                  new_session=sessions())
    assert [session for _, session, _ in vendor.calls] == ["fresh-1", "sess-9"]
    assert same.comparison.labels == [SHOPPER, ANONYMOUS, "Anna", STORE_LANE]
    assert same.comparison.rankings["Anna"] == ("002", "001")
    assert lane_words(same.comparison.lane("Anna"), 1) == "Fashion.AI's search for session sess-9: 2 products."


@pytest.mark.parametrize("lines, words", [
    ("shopper", "session shopper is the sidebar's shopper, already the first lane"),
    ("a\nb\na", "session a is added twice"),
    ("a\nb\nc\nd\ne\nf", "at most 8 lanes are compared; these choices make 9"),
])
def test_sessions_that_cannot_be_compared_are_refused_in_words(lines, words):
    with pytest.raises(ValueError, match=words):
        check_sessions(parse_session_lines(lines), [], "shopper")
