"""The preview logic on the in-process simulator: one event per preview, fallback, stock rule; and a
saved answer (a history snapshot) opened as the preview it was, without a call."""

from datetime import UTC, datetime

import httpx
import pandas as pd
import pytest

from fashionai.api.client import FashionAIClient
from fashionai.catalog import load_catalog
from fashionai.measures.movement import DOWN, NEW, UP, Move
from fashionai.simulator import Simulator, SimulatorTransport
from fashionai.storefront.preview import (
    NATIVE_ORDER,
    PERSONALIZED,
    PREVIOUS_VISIT,
    STORE_ORDER,
    preview_look,
    preview_storefront,
    sellable,
    storefront_badges,
    storefront_from_snapshot,
)
from tests.history_helpers import snap

CSV = b"""id,name,category,stock,price,style,color
001,Red Dress,Dresses,5,100,boho,red
002,Blue Dress,Dresses,0,120,office,blue
003,Green Dress,Dresses,,90,boho,green
010,Denim Jacket,Jackets,3,200,boho,blue
011,Black Blazer,Jackets,0,300,office,black
020,Sandals,Shoes,2,80,boho,red
"""


@pytest.fixture
def catalog():
    return load_catalog(CSV)


@pytest.fixture
def sim(catalog):
    return Simulator(catalog.products)


@pytest.fixture
def client(sim):
    with FashionAIClient("t", base_url="http://sim/api/v1", transport=SimulatorTransport(sim)) as c:
        yield c


def test_cold_session_falls_back_to_native_order(client, catalog, sim):
    preview = preview_storefront(client, catalog, " s1 ", "Dresses")
    assert preview.fallback and preview.source == NATIVE_ORDER
    assert preview.returned == 0
    assert list(preview.products["product_id"]) == ["001", "002", "003"]
    assert preview.session_id == "s1"
    assert sim.events_recorded("s1") == 1


def test_second_preview_is_personalized_and_joined(client, catalog):
    preview_storefront(client, catalog, "s1", "Dresses")
    preview = preview_storefront(client, catalog, "s1", "Dresses", user_id="  ")
    assert preview.source == PERSONALIZED
    assert preview.user_id is None
    assert sorted(preview.products["product_id"]) == ["001", "002", "003"]
    assert list(preview.products["rank"]) == [1, 2, 3]
    assert preview.out_of_stock == 1  # 002; 003's unknown stock is not counted as out
    assert preview.unknown_ids == 0
    assert preview.never_returned == 0
    assert preview.category_size == 3


def test_unknown_category_is_empty_with_no_native_products(client, catalog):
    preview = preview_storefront(client, catalog, "s1", "No Such Category")
    assert preview.fallback and preview.category_size == 0 and preview.products.empty


def storefront_answering(products: list[str]):
    """The storefront preview of Dresses when Fashion.AI answers with `products`."""
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"products": products})

    with FashionAIClient("t", base_url="http://x/api/v1", transport=httpx.MockTransport(handler)) as client:
        return preview_storefront(client, load_catalog(CSV), "s", "Dresses")


def test_ids_the_catalog_lacks_are_kept_in_place():
    preview = storefront_answering(["003", "999", "001"])
    assert list(preview.products["product_id"]) == ["003", "999", "001"]
    assert list(preview.products["in_catalog"]) == [True, False, True]
    assert preview.unknown_ids == 1
    assert preview.never_returned == 1  # 002 was not in the answer


def test_never_returned_counts_a_repeated_id_once():
    assert storefront_answering(["003", "003", "001"]).never_returned == 1


def test_look_button_rule_needs_a_piece_with_valid_stock():
    catalog = load_catalog(CSV)

    def answer(ids):
        def handler(request):
            return httpx.Response(200, json={"products": ids})
        return FashionAIClient("t", base_url="http://x/api/v1", transport=httpx.MockTransport(handler))

    with answer(["011", "003", "404"]) as client:  # out of stock, unknown stock, not in catalog
        look = preview_look(client, catalog, "s", "001")
    assert not look.button_visible(unknown_in_stock=False) and look.shown_pieces(unknown_in_stock=False).empty
    assert look.unknown_stock == 1  # 003 (404 is not in the catalog: no stock to know)
    # Unknown stock counted as in stock (the setting): 003 is shown and the button with it; 404 never is.
    assert look.button_visible(unknown_in_stock=True)
    assert list(look.shown_pieces(unknown_in_stock=True)["product_id"]) == ["003"]
    with answer(["011", "010"]) as client:
        look = preview_look(client, catalog, "s", "001")
    assert look.button_visible(unknown_in_stock=False) and look.unknown_stock == 0
    assert list(look.shown_pieces(unknown_in_stock=False)["product_id"]) == ["010"]
    assert look.main.iloc[0]["name"] == "Red Dress"
    with answer([]) as client:
        empty = preview_look(client, catalog, "s", "001")
    assert not empty.button_visible(unknown_in_stock=False) and not empty.button_visible(unknown_in_stock=True)


def test_the_stock_rule_decides_unknown_stock_by_the_setting():
    in_stock = pd.Series([True, False, pd.NA], dtype="boolean", index=[7, 8, 9])
    pd.testing.assert_series_equal(sellable(in_stock, unknown_in_stock=False),
                                   pd.Series([True, False, False], index=[7, 8, 9]))
    pd.testing.assert_series_equal(sellable(in_stock, unknown_in_stock=True),
                                   pd.Series([True, False, True], index=[7, 8, 9]))


def test_hiding_out_of_stock_products_follows_the_unknown_stock_setting():
    preview = storefront_answering(["003", "002", "001", "404"])  # unknown, out, in, not in catalog
    assert preview.unknown_stock == 1
    assert list(preview.shown(hide_out_of_stock=False, unknown_in_stock=False)["product_id"]) == [
        "003", "002", "001", "404"]
    assert list(preview.shown(hide_out_of_stock=True, unknown_in_stock=False)["product_id"]) == ["001", "404"]
    assert list(preview.shown(hide_out_of_stock=True, unknown_in_stock=True)["product_id"]) == ["003", "001", "404"]


def test_badges_compare_with_the_previous_visit_or_the_store_order():
    catalog = load_catalog(CSV)
    preview = storefront_answering(["003", "001", "002"])
    native = catalog.category_ids("Dresses")  # 001, 002, 003
    first = storefront_badges(preview, None, native=native)
    assert first.moves == {"003": Move(UP, 2), "001": Move(DOWN, 1), "002": Move(DOWN, 1)}
    assert first.against == STORE_ORDER
    assert first.note == "Arrows compare with the store's own order: first visit of this category for this session."
    at = datetime(2025, 3, 1, 10, 24, 51, tzinfo=UTC)
    again = storefront_badges(preview, ("001", "003"), native=native, previous_at=at)
    assert again.moves == {"003": Move(UP, 1), "001": Move(DOWN, 1), "002": Move(NEW)}
    assert again.note == f"Arrows compare with {PREVIOUS_VISIT} (10:24:51 UTC)." and again.against == PREVIOUS_VISIT
    replay = storefront_badges(preview, ("001", "003"), native=native, replay=True)
    assert replay.moves == first.moves and replay.note.endswith("a saved answer, not a visit.")


def test_look_on_simulator_has_no_out_of_stock_piece(client, catalog):
    look = preview_look(client, catalog, "s1", "001")
    assert len(look.look) > 0
    assert not (look.look["in_stock"] == False).any()  # noqa: E712
    assert "Dresses" not in set(look.look["category"])


def test_unknown_main_piece(client, catalog):
    look = preview_look(client, catalog, "s1", "nope")
    assert not bool(look.main.iloc[0]["in_catalog"])
    assert look.look.empty and not look.button_visible(unknown_in_stock=True)


# --------------------------------------------------------------------------- a saved answer (no call)


@pytest.fixture(scope="module")
def saved_catalog():
    """The catalog saved answers are opened against (lower-case categories, unlike CSV)."""
    csv = ("id,name,category,price,stock\n"
           "p1,Red dress,dresses,100,5\np2,Blue dress,dresses,120,0\np3,Green dress,dresses,90,2\n"
           "p4,Black dress,dresses,150,9\nq1,Jeans,pants,80,1\n")
    return load_catalog(csv.encode())


def test_a_storefront_snapshot_opens_as_the_storefront_it_was(saved_catalog):
    preview = storefront_from_snapshot(snap(products=("p3", "p1", "zz")), saved_catalog)
    assert list(preview.products["product_id"]) == ["p3", "p1", "zz"]
    assert preview.source == "Fashion.AI" and preview.unknown_ids == 1 and preview.category_size == 4
    assert preview.recommendation.request.json == {"sessionId": "sess-1", "eventType": "categoryView",
                                                   "data": {"id": "dresses"}}


def test_an_empty_answer_opens_as_the_native_order(saved_catalog):
    preview = storefront_from_snapshot(snap(products=()), saved_catalog)
    assert preview.fallback and list(preview.products["product_id"]) == ["p1", "p2", "p3", "p4"]


def test_a_failure_or_another_event_is_not_a_storefront(saved_catalog):
    with pytest.raises(ValueError, match="failure"):
        storefront_from_snapshot(snap(products=(), error="ServerError", status_code=500), saved_catalog)
    with pytest.raises(ValueError, match="not a storefront"):
        storefront_from_snapshot(snap(event_type="shopTheLook", item_id="p1"), saved_catalog)
