"""The Search page's logic on a fake Fashion.AI: a page joined with the catalog, ranks from the page's first place,
an empty answer explained and replaced by the store's own text match, a page past the end, the movement badges
(against the session's search before, or the store's match), the query box's suggestions."""

import json
from datetime import UTC, datetime

import httpx
import pytest

from fashionai.api.client import FashionAIClient
from fashionai.catalog import load_catalog
from fashionai.measures.movement import DOWN, NEW, SAME, UP, Move
from fashionai.storefront.search_view import (
    PERSONALIZED,
    PREVIOUS_SEARCH,
    STORE_MATCH,
    empty_words,
    preview_search,
    rejoin_search,
    search_badges,
    search_suggestions,
    suggest,
)

CSV = """id,name,category,brand,color,stock,price
001,Vestido Midi,Vestidos,Maré,Azul,3,100
002,Vestido Longo,Vestidos,Rota,Azul,0,120
003,Blusa Azul,Tops,Maré,Branco,,90
004,Calça Jeans,Calças,Rota,Azul,5,150
""".encode()


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(CSV)


def searching(answer: dict, seen: list | None = None):
    """A client whose Fashion.AI answers every search with `answer` (and notes each request in `seen`)."""
    def handler(request: httpx.Request) -> httpx.Response:
        if seen is not None:
            seen.append(request)
        return httpx.Response(200, json=answer)

    return FashionAIClient("t", base_url="http://x/api/v1", transport=httpx.MockTransport(handler))


def page(items, total, pages, current=1):
    return {"items": items, "totalItems": total, "totalPages": pages, "currentPage": current}


def test_a_page_is_joined_with_the_catalog_in_fashionais_order(catalog):
    seen = []
    with searching(page(["002", "999", "001"], 3, 1), seen) as client:
        preview = preview_search(client, catalog, " s1 ", "vestido azul", user_id=" ")
    assert len(seen) == 1 and json.loads(seen[0].content) == {"userId": None, "sessionId": "s1"}
    assert list(preview.products["product_id"]) == ["002", "999", "001"]
    assert list(preview.products["in_catalog"]) == [True, False, True]
    assert (preview.session_id, preview.user_id, preview.source) == ("s1", None, PERSONALIZED)
    assert (preview.unknown_ids, preview.out_of_stock, preview.fallback) == (1, 1, False)
    assert empty_words(preview) is None


def test_ranks_count_from_the_pages_first_place(catalog):
    with searching(page(["004", "003"], 22, 11, 2)) as client:
        preview = preview_search(client, catalog, "s1", "azul", page=2, limit=2)
    assert list(preview.products["rank"]) == [3, 4]
    assert preview.pages == 11


def test_an_empty_answer_shows_the_stores_text_match_and_says_why(catalog):
    with searching(page([], 0, 0)) as client:
        preview = preview_search(client, catalog, "s1", "vestido azul")
    assert preview.fallback and preview.source == STORE_MATCH
    assert list(preview.products["product_id"]) == ["001", "002"]  # the store's match: every word, file order
    assert preview.store_match == ("001", "002")
    words = empty_words(preview)
    assert "found nothing" in words and "finds 2 products" in words


def test_nothing_anywhere_says_so(catalog):
    with searching(page([], 0, 0)) as client:
        preview = preview_search(client, catalog, "s1", "sneaker")
    assert preview.products.empty and preview.pages == 1 and preview.store_page() == ()
    assert "finds none either" in empty_words(preview)


def test_a_page_past_the_last_is_no_fallback(catalog):
    with searching(page([], 5, 1, 3)) as client:
        preview = preview_search(client, catalog, "s1", "azul", page=3)
    assert not preview.fallback and preview.past_the_end and preview.products.empty
    assert "Page 3 is past the last one" in empty_words(preview)


def test_a_first_search_is_compared_with_the_stores_match_then_with_the_search_before(catalog):
    with searching(page(["004", "001", "003"], 3, 1)) as client:
        preview = preview_search(client, catalog, "s1", "azul")
    first = search_badges(preview, None)
    assert first.against == STORE_MATCH  # the store's match for "azul": 003 (in the name), then 001, 002, 004
    assert first.moves == {"004": Move(UP, 3), "001": Move(SAME), "003": Move(DOWN, 2)}
    again = search_badges(preview, ("001", "004", "002"), previous_at=datetime(2026, 1, 1, 9, 30, tzinfo=UTC))
    assert again.against == PREVIOUS_SEARCH and "(09:30:00 UTC)" in again.note
    assert again.moves["004"] == Move(UP, 1) and again.moves["001"] == Move(DOWN, 1)
    assert again.moves["003"] == Move(NEW)


def test_rejoining_keeps_the_answer_and_reads_the_new_catalog(catalog):
    with searching(page(["001"], 1, 1)) as client:
        preview = preview_search(client, catalog, "s1", "vestido")
    other = load_catalog(b"id,name,stock\n001,Renamed,0\n")
    again = rejoin_search(preview, other)
    assert again.answer is preview.answer
    assert again.products["name"].tolist() == ["Renamed"] and again.out_of_stock == 1


def test_suggestions_are_categories_brands_colours_then_names_each_once(catalog):
    assert search_suggestions(catalog) == ["Vestidos", "Tops", "Calças", "Maré", "Rota", "Azul", "Branco",
                                           "Vestido Midi", "Vestido Longo", "Blusa Azul", "Calça Jeans"]
    assert search_suggestions(catalog, limit=4) == ["Vestidos", "Tops", "Calças", "Maré"]


def test_suggest_offers_what_holds_every_word_typed_those_starting_with_it_first():
    offered = ["Vestidos", "Tops", "Maré", "Vestido Midi", "Blusa Vestido", "Vestido Longo Azul", "Azul"]
    assert suggest(offered, "") == offered[:8] and suggest(offered, "", limit=2) == ["Vestidos", "Tops"]
    assert suggest(offered, "vestido") == ["Vestidos", "Vestido Midi", "Vestido Longo Azul", "Blusa Vestido"]
    assert suggest(offered, "AZUL vestido") == ["Vestido Longo Azul"]
    assert suggest(offered, "mare") == []  # the very text typed ("Maré", accents ignored) is no suggestion
    assert suggest(offered, "sneaker") == []


def test_hiding_out_of_stock_results_follows_the_storefronts_rule(catalog):
    with searching(page(["002", "999", "003", "001"], 4, 1)) as client:
        preview = preview_search(client, catalog, "s1", "azul")
    assert preview.unknown_stock == 1  # 003: the catalog gives no stock
    shown = preview.shown(hide_out_of_stock=True, unknown_in_stock=False)
    assert list(shown["product_id"]) == ["999", "001"]  # 002 out, 003 unknown (counted out), 999 kept: not in catalog
    assert list(preview.shown(hide_out_of_stock=True, unknown_in_stock=True)["product_id"]) == ["999", "003", "001"]
    assert preview.shown(hide_out_of_stock=False, unknown_in_stock=False) is preview.products
