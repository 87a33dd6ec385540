"""A second upload whose ids collide with the first replaces it cleanly.

Nothing of the first catalog stays: not its names or stock on the pages (a preview made
with it is joined again with the new one, without a call), not in the simulator that
answers (it ranks the new catalog), not in the personas or in the comparisons and
journeys built from them (cleared, with a note).
"""

from __future__ import annotations

import pandas as pd

from fashionai import ui
from fashionai.api.client import FashionAIClient
from fashionai.catalog import load_catalog
from fashionai.simulator import Simulator, SimulatorTransport
from fashionai.storefront.preview import (
    NATIVE_ORDER,
    PERSONALIZED,
    preview_look,
    preview_storefront,
    rejoin_look,
    rejoin_storefront,
)
from tests.apptest_helpers import button, metrics, texts

HEADER = "product_id,name,category,style,price,stock\n"
FIRST = HEADER + "".join(f"000{i},Velho {i},Vestidos,{'boho' if i % 2 else 'office'},{100 + i},5\n"
                         for i in range(1, 7))
SECOND = HEADER + "".join(
    f"000{i},Novo {i},{'Vestidos' if i <= 3 else 'Saias'},{'sporty' if i % 2 else 'classic'},{200 + i},"
    f"{0 if i == 1 else 9}\n" for i in range(1, 8))
"""The same ids 0001-0006 (and a new 0007): new names, prices, styles; 0001 out of stock; 0004-0006 moved."""


def upload(at, name: str, text: str):
    at.file_uploader(key="catalog_upload").set_value((name, text.encode(), "text/csv")).run()
    assert not at.exception
    return at


# --------------------------------------------------------------------------- joining again, no call


def simulator_client(catalog) -> FashionAIClient:
    return FashionAIClient("t" * 12, base_url="http://sim.local/api/v1",
                           transport=SimulatorTransport(Simulator(catalog.products)))


def test_rejoin_takes_names_stock_and_order_from_the_new_catalog():
    first, second = load_catalog(FIRST.encode()), load_catalog(SECOND.encode())
    client = simulator_client(first)
    empty = preview_storefront(client, first, "s1", "Vestidos")
    assert empty.source == NATIVE_ORDER and empty.category_size == 6
    ranked = preview_storefront(client, first, "s1", "Vestidos")
    assert ranked.source == PERSONALIZED

    again = rejoin_storefront(ranked, second)
    assert again.recommendation is ranked.recommendation  # the same answer: no call
    assert set(again.products["name"].dropna()) <= {f"Novo {i}" for i in range(1, 7)}
    assert again.products.set_index("product_id").loc["0001", "in_stock"] == False  # noqa: E712
    assert again.category_size == 3
    assert rejoin_storefront(empty, second).products["product_id"].tolist() == ["0001", "0002", "0003"]

    look = preview_look(client, first, "s1", "0001")
    moved = rejoin_look(look, second)
    assert moved.main.iloc[0]["name"] == "Novo 1" and not bool(moved.main.iloc[0]["in_stock"])
    pd.testing.assert_series_equal(moved.look["product_id"], look.look["product_id"])


# --------------------------------------------------------------------------- the app


def test_a_second_upload_with_the_same_ids_replaces_the_first_everywhere(app):
    app.run()
    upload(app, "first.csv", FIRST)
    button(app, "Preview storefront").click().run()
    button(app, "Preview storefront").click().run()  # personalized, from the first catalog's simulator
    assert "Velho" in texts(app)
    app.switch_page("pages/shop_the_look.py").run()
    app.selectbox(key="look_product").set_value("0001").run()
    button(app, "Shop the look").click().run()
    assert app.session_state["look_preview"].main.iloc[0]["name"] == "Velho 1"
    app.switch_page("pages/compare.py").run()
    first_lanes = app.multiselect(key="compare_lanes").options
    button(app, "Compare lanes").click().run()
    assert app.session_state["compare_result"] is not None
    app.switch_page("pages/journey.py").run()
    button(app, "Run journey").click().run()
    assert app.session_state["journey_run"] is not None

    app.switch_page("pages/storefront.py").run()
    upload(app, "second.csv", SECOND)
    assert "second\\.csv: 7 products" in texts(app.sidebar)
    assert "Velho" not in texts(app)  # the preview on screen shows the new names
    assert "were cleared" in " ".join(i.value for i in app.info)
    assert "compare_result" not in app.session_state and "journey_run" not in app.session_state
    assert app.selectbox(key="storefront_category").options == ["Vestidos", "Saias"]

    # The simulator that answers now is the new catalog's: Vestidos is 0001-0003 there.
    button(app, "Preview storefront").click().run()  # a new simulator: it knows nothing of the session yet
    button(app, "Preview storefront").click().run()
    preview = app.session_state["storefront_preview"]
    assert preview.source == PERSONALIZED
    assert set(preview.recommendation.products) <= {"0001", "0002", "0003"}
    assert metrics(app)["Products in this category"] == "3"
    assert "Velho" not in texts(app) and "Novo" in texts(app)

    # The look kept its answer, with the new catalog's stock: 0001 is out of stock now.
    app.switch_page("pages/shop_the_look.py").run()
    look = app.session_state["look_preview"]
    assert look.main.iloc[0]["name"] == "Novo 1"
    assert "Velho" not in texts(app)

    # Personas come from the new catalog's styles.
    app.switch_page("pages/compare.py").run()
    lanes = app.multiselect(key="compare_lanes").options
    assert lanes != first_lanes
    assert not [lane for lane in lanes if "Boho" in lane or "Office" in lane]
    assert any("Sporty" in lane for lane in lanes)


def test_the_same_catalog_uploaded_again_keeps_the_results(app):
    app.run()
    upload(app, "first.csv", FIRST)
    button(app, "Preview storefront").click().run()
    kept = app.session_state["storefront_preview"]
    upload(app, "first-again.csv", FIRST)
    assert app.session_state["storefront_preview"] is kept
    assert not [i for i in app.info if "were cleared" in i.value]


def test_going_back_to_the_servers_catalog_follows_too(app):
    app.run()
    upload(app, "first.csv", FIRST)
    button(app, "Preview storefront").click().run()
    button(app, "Use the server's catalog instead").click().run()
    assert not app.exception
    assert "Velho" not in texts(app)  # 0001-0006 in the sample are other products (or none)
    assert "bundled sample catalog" in texts(app.sidebar)


def test_the_uploaders_help_gives_the_size_limit(app):
    app.run()
    help_text = app.file_uploader(key="catalog_upload").help
    assert "Files up to 300 MB" in help_text
    assert ui.upload_limit() == "300 MB"
