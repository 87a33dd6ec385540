"""Decks and reports of search views beyond the Search page: a comparison of a search query's lanes names the search
(not a category), and a journey with a search step says the step's query and its results."""

from __future__ import annotations

import json

import httpx
import pytest

from fashionai.api.client import FashionAIClient
from fashionai.catalog import load_catalog
from fashionai.compare.handover import comparison_handover
from fashionai.compare.lanes import native_lane, session_lane
from fashionai.compare.search_lanes import compare_query
from fashionai.domain import EventType
from fashionai.journeys.handover import journey_handover
from fashionai.journeys.journey import Journey, Step
from fashionai.journeys.run import run_journey
from fashionai.output.deck import deck_bytes
from fashionai.output.report import report_html
from tests.handover_helpers import FACTS, WHEN, slide_texts

CSV = """id,name,category,color,price,stock
001,Vestido Midi,Vestidos,Azul,100,3
002,Vestido Longo,Vestidos,Azul,120,2
003,Blusa Azul,Tops,Branco,50,1
004,Calça Azul,Calças,Azul,80,5
""".encode()


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(CSV)


def answering(search, products=("002", "001")):
    def handle(request: httpx.Request) -> httpx.Response:
        if "/search" in request.url.path:
            session = json.loads(request.content)["sessionId"]
            items = search.get(session, [])
            return httpx.Response(200, json={"items": items, "totalItems": len(items), "totalPages": 1,
                                             "currentPage": 1})
        return httpx.Response(200, json={"products": list(products)})
    return FashionAIClient("t", base_url="http://x/api/v1", transport=httpx.MockTransport(handle), max_retries=0)


def test_a_search_comparison_hands_over_naming_the_search(catalog):
    with answering({"anna": ["004", "001", "002"], "bob": ["002", "004"]}) as client:
        comparison = compare_query(client, catalog, "azul", [session_lane("anna"), session_lane("bob"),
                                                             native_lane()], k=3)
    handover = comparison_handover(comparison, reference="Native order", others=["anna", "bob"], other="anna",
                                   made_at=WHEN, **FACTS)
    assert handover.title == "Compare lanes: search “azul”"
    assert "the search “azul”" in handover.subject and "category" not in handover.subject
    lanes = handover.sections[0].readings
    assert any("Fashion.AI's search for session anna: 3 products" in line for line in lanes)
    assert any("The store's own search" in line for line in lanes)
    texts = "\n".join(slide_texts(deck_bytes(handover)))
    assert "search “azul”" in texts
    assert "search “azul”" in report_html(handover)


def test_a_journey_with_a_search_step_hands_over_its_query_and_results(catalog):
    journey = Journey("Searcher", "", "Vestidos", (Step(EventType.SEARCH, "vestido azul"),
                                                   Step(EventType.CATEGORY_VIEW, "Vestidos")))
    with answering({"journeyer": ["001", "002"]}) as client:
        run = run_journey(client, journey, session_id="journeyer", native=catalog.category_ids("Vestidos"))
    handover = journey_handover(run, k=2, catalog_data=catalog, made_at=WHEN, **FACTS)
    [steps] = [section for section in handover.sections if section.heading == "The steps"]
    assert steps.readings[0].startswith("Step 1: searches for “vestido azul” (2 results on the search's first page)")
    texts = "\n".join(slide_texts(deck_bytes(handover)))
    assert "searches for “vestido azul”" in texts and "None" not in texts
    assert "searches for “vestido azul”" in report_html(handover)
