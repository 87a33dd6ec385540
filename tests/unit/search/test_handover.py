"""The Search page's deck and report: the shopper's results as cards with their moves, the same query for the
others (their sentences, the bump chart, their cards), the WhatsApp cards with their disagreements; made into a
deck and a report offline."""

import base64
import json

import httpx
import pytest

from fashionai.api.client import FashionAIClient
from fashionai.catalog import load_catalog
from fashionai.output.deck import deck_bytes
from fashionai.output.report import report_html
from fashionai.search.handover import search_handover
from fashionai.search.same_query import compare_same_query
from fashionai.storefront.search_view import preview_search, search_badges
from fashionai.storefront.whatsapp_view import preview_whatsapp

CSV = b"""id,name,category,color,stock,price
001,Vestido Midi,Vestidos,Azul,3,100
002,Vestido Longo,Vestidos,Azul,20,120
003,Blusa Azul,Tops,Branco,1,90
"""


def vendor(request: httpx.Request) -> httpx.Response:
    body = json.loads(request.content)
    if request.url.path.endswith("/detailed"):
        return httpx.Response(200, json={"products": [
            {"productId": "002", "sku": "S2", "name": "Vestido Longo Azul", "images": [], "price": 120},
            {"productId": "001", "sku": "S1", "name": "Vestido Midi", "images": [], "price": 100}]})
    if request.url.path.endswith("/search"):
        items = ["001", "002"] if body["sessionId"] == "shopper" else ["002", "001"]
        return httpx.Response(200, json={"items": items, "totalItems": 2, "totalPages": 1, "currentPage": 1})
    return httpx.Response(200, json={"products": []})


@pytest.fixture(scope="module")
def handover():
    catalog = load_catalog(CSV)
    with FashionAIClient("t", base_url="http://x/api/v1", transport=httpx.MockTransport(vendor)) as client:
        preview = preview_search(client, catalog, "shopper", "vestido azul")
        same = compare_same_query(client, catalog, preview, [], new_session=lambda: "fresh")
        chat = preview_whatsapp(client, catalog, "shopper", "vestido azul")
    moves = search_badges(preview, None).moves
    return search_handover(preview, moves=moves, same=same, chat=chat, backend="Built-in simulator",
                           catalog="test catalog")


def test_the_handover_holds_the_results_the_others_and_the_chat(handover):
    headings = [section.heading for section in handover.sections]
    assert headings[0] == "Search “vestido azul”: what this shopper sees"
    assert "What the same query gives" in headings and "WhatsApp preview: “vestido azul”" in headings
    results = handover.sections[0]
    assert [card.name for card in results.cards] == ["Vestido Midi", "Vestido Longo"]
    assert [card.note for card in results.cards] == ["=", "="]  # the same order as the store's own text match
    lanes = handover.sections[1].readings
    assert lanes[1].startswith("Anonymous shopper: Fashion.AI's search for a fresh synthetic session (fresh)")
    assert "share all of their top 2 products" in lanes[1]
    assert any(section.chart is not None for section in handover.sections)
    chat = handover.sections[-1]
    assert chat.readings[0] == "1 card of 2 disagrees with the catalog."
    assert "name “Vestido Longo Azul” here, “Vestido Longo” in your catalog" in chat.readings[1]
    assert "Anonymous shopper" in handover.summary and "vestido azul" in handover.subject


def test_the_handover_is_made_into_a_deck_and_a_report(handover):
    assert deck_bytes(handover)[:2] == b"PK"
    page = report_html(handover)
    assert "Vestido Longo Azul" in page and "What the same query gives" in page



SVG = "data:image/svg+xml;base64," + base64.b64encode(
    b'<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4" height="4"/></svg>').decode()


def pictured(request: httpx.Request) -> httpx.Response:
    if request.url.path.endswith("/detailed"):
        return httpx.Response(200, json={"products": [
            {"productId": "001", "sku": "S1", "name": "Vestido Midi", "images": ["not a picture", SVG], "price": 100},
            {"productId": "002", "sku": "S2", "name": "Vestido Longo", "images": ["https://cdn.example.com/2.jpg"],
             "price": 120}]})
    return vendor(request)


def test_the_chat_cards_keep_their_pictures():
    """The WhatsApp cards handed over showed "no picture" whatever the answer held: only an http(s) address was
    kept, and the simulator's (and many catalogs') pictures are inline. A chat card's picture is read as every
    card's is now: the first inline picture (drawn as a PNG), else the first address."""
    catalog = load_catalog(CSV)
    with FashionAIClient("t", base_url="http://x/api/v1", transport=httpx.MockTransport(pictured)) as client:
        preview = preview_search(client, catalog, "shopper", "vestido azul")
        chat = preview_whatsapp(client, catalog, "shopper", "vestido azul")
    handover = search_handover(preview, chat=chat, backend="Built-in simulator", catalog="test catalog")
    first, second = handover.sections[-1].cards
    assert first.image is not None and first.image.startswith("data:image/png") and first.address is None
    assert second.image is None and second.address == "https://cdn.example.com/2.jpg"
