"""AppTest of the frame and every page (the list app.py navigates, fashionai/ui/navigation.py), then the
storefront, shop-the-look and settings pages in detail, on the simulator and live."""

from __future__ import annotations

import json

import pytest

from fashionai.catalog.sample import load_sample_frame
from fashionai.text.formatting import escape_markdown, format_price
from fashionai.ui.navigation import PAGE_SPECS
from tests.apptest_helpers import button, card_pictures, metrics, texts

TOKEN = "live-token-SECRET-7d3f"
PAGES = [spec.path for spec in PAGE_SPECS]  # every page app.py navigates


def assert_no_token(at):
    """The token is in no element, no widget value and nothing the session state holds as text."""
    assert TOKEN not in repr(at)  # the element tree and the session state
    assert TOKEN not in texts(at)


# ----------------------------------------------------------------------------- simulator


def test_the_page_list_is_every_page_file():
    """app.py navigates every file of pages/, and nothing else (the list is written once)."""
    from tests import ROOT

    assert sorted(spec.path for spec in PAGE_SPECS) == sorted(
        f"pages/{path.name}" for path in (ROOT / "pages").glob("*.py") if path.name != "__init__.py")


@pytest.mark.parametrize("page", PAGES)
def test_every_page_opens_on_the_simulator(app, page):
    app.run()
    app.switch_page(page).run()
    assert not app.exception
    assert "Built-in simulator" in texts(app.sidebar)


def test_frame_offers_a_synthetic_session_and_the_sample_catalog(app):
    app.run()
    session = app.text_input(key="shopper_session_id").value
    assert session.startswith("studio-test-")
    assert "bundled sample catalog: 1,200 products" in texts(app.sidebar)
    button(app, "New synthetic session").click().run()
    assert app.text_input(key="shopper_session_id").value not in ("", session)


def test_storefront_first_preview_falls_back_then_personalizes(app):
    app.run()
    category = app.selectbox(key="storefront_category").value
    assert category  # a category is chosen by default

    button(app, "Preview storefront").click().run()
    assert not app.exception
    first = metrics(app)
    assert first["Returned by Fashion.AI"] == "0"
    assert "empty list" in texts(app) and "store's own order" in texts(app)
    assert int(first["Products in this category"]) > 0

    button(app, "Preview storefront").click().run()
    assert not app.exception
    second = metrics(app)
    assert second["Returned by Fashion.AI"] == second["Products in this category"]
    assert "order: Fashion.AI" in texts(app)
    assert len(card_pictures(app.main)) == 24  # one page of product cards, each with its picture
    badges = [m.value for m in app.main.markdown if "-badge[" in m.value]
    stock = [b for b in badges if "stock]" in b or "not in catalog]" in b]
    assert len(stock) == 24 and any("in stock" in b for b in stock)
    assert len(badges) == 48  # and each card its move since the first preview


def test_storefront_toggle_and_paging_do_not_call_again(app):
    app.run()
    button(app, "Preview storefront").click().run()
    button(app, "Preview storefront").click().run()
    before = app.session_state["storefront_preview"]
    app.toggle(key="storefront_hide_oos").set_value(True).run()
    assert app.session_state["storefront_preview"] is before
    app.number_input(key="storefront_grid_page").set_value(2).run()
    assert not app.exception
    assert app.session_state["storefront_preview"] is before
    assert "Showing 25–48" in texts(app)


def test_the_storefront_table_writes_prices_as_the_cards_do_with_headers_in_words(app):
    app.run()
    button(app, "Preview storefront").click().run()
    button(app, "Preview storefront").click().run()
    [table] = app.dataframe
    frame = table.value
    prices = list(frame["price"])
    assert all(p.startswith("R$ ") and p[-3] == "," for p in prices), prices[:3]  # R$ 249,90, not 249.90
    first = app.session_state["storefront_preview"].products.iloc[0]
    card = next(c.value for c in app.main.caption if c.value.startswith("#1 "))
    assert escape_markdown(prices[0]) in card  # the card's very words
    assert prices[0] == format_price(first["price"])
    columns = json.loads(table.proto.columns)
    labels = {name: config.get("label") for name, config in columns.items() if name != "_index"}
    assert set(labels) == set(frame.columns)
    assert all(label and label[0].isupper() and "_" not in label for label in labels.values()), labels
    assert labels["image_url"] == "Image" and labels["brand"] == "Brand"
    assert table.proto.placeholder == "—"  # not "None" where a value is missing


def test_a_missing_value_in_the_storefront_table_is_a_dash_not_none(app, fake_api):
    app.run()
    button(app, "Preview storefront").click().run()  # ids the catalog lacks: no name, price or stock
    [table] = app.dataframe
    assert set(table.value["price"]) == {"—"}
    assert table.value["name"].isna().all() and table.proto.placeholder == "—"


def test_count_messages_agree_with_their_count(app, fake_api):
    fake_api.products = [load_sample_frame()["product_id"].iloc[0], "NOT-IN-CATALOG"]
    app.run()
    button(app, "Preview storefront").click().run()
    warning = texts(app)
    assert "1 of the returned product ids is not in your catalog" in warning
    assert "cannot show it." in warning


def test_storefront_blank_session_is_a_message_not_a_traceback(app):
    app.run()
    app.text_input(key="shopper_session_id").set_value("   ").run()
    button(app, "Preview storefront").click().run()
    assert not app.exception
    assert "did not work" in texts(app)


def test_storefront_shows_request_and_curl_without_token(app):
    app.run()
    button(app, "Preview storefront").click().run()
    code = "\n".join(c.value for c in app.code)
    assert '"eventType": "categoryView"' in code
    assert "$FASHIONAI_APP_TOKEN" in code


def test_a_long_answer_is_shown_cut_to_its_top_saying_how_many_more():
    from fashionai.ui import ANSWER_EXCERPT_IDS, answer_excerpt

    ids = [f"{i:06d}" for i in range(50_000)]
    text = answer_excerpt({"products": ids, "extra": 1})
    shown = json.loads(text[: text.index("\n…")])
    assert shown == {"products": ids[:ANSWER_EXCERPT_IDS], "extra": 1}
    assert f"… and {50_000 - ANSWER_EXCERPT_IDS:,} more product ids" in text
    assert json.loads(answer_excerpt({"products": ids[:3]})) == {"products": ids[:3]}  # short: whole
    assert answer_excerpt("<html>") == '"<html>"'  # not a dict: as received


def test_shop_the_look_shows_a_look_and_the_button_rule(app):
    app.run()
    app.switch_page("pages/shop_the_look.py").run()
    assert app.selectbox(key="look_product").value  # a main piece is chosen by default
    button(app, "Shop the look").click().run()
    assert not app.exception
    assert 'button would be shown' in texts(app)
    look = app.session_state["look_preview"]
    assert look.button_visible(unknown_in_stock=False) and len(look.look) > 0


def test_shop_the_look_search_by_name_and_unknown_id(app):
    app.run()
    app.switch_page("pages/shop_the_look.py").run()
    app.text_input(key="look_query").set_value("dress").run()
    options = app.selectbox(key="look_product").options
    assert options and all("dress" in o.lower() for o in options[:5])
    app.text_input(key="look_query").set_value("NOPE-123").run()
    app.checkbox(key="look_as_id").check().run()  # the user says it is an id
    app.selectbox(key="look_product").set_value("NOPE-123").run()
    button(app, "Shop the look").click().run()
    assert not app.exception
    assert "would be hidden" in texts(app)


def test_shop_the_look_sends_no_word_that_matches_nothing_unless_the_user_says_it_is_an_id(app):
    """Issue 21, item 19: "jeans" matching no product became a shopTheLook call (and a tracking event) for
    id "jeans". Now the page says nothing matches and asks nothing until the box is ticked."""
    app.run()
    app.switch_page("pages/shop_the_look.py").run()
    app.text_input(key="look_query").set_value("trouzers").run()
    assert "No product matches `trouzers`" in texts(app)
    assert app.selectbox(key="look_product").options == []
    button(app, "Shop the look").click().run()
    assert not app.exception
    assert "look_preview" not in app.session_state  # no call, no tracking event
    assert "Choose a main piece first" in texts(app)

    app.checkbox(key="look_as_id").check().run()
    assert app.selectbox(key="look_product").value == "trouzers"
    button(app, "Shop the look").click().run()
    assert app.session_state["look_preview"].product_id == "trouzers"


def test_shop_the_look_offers_the_closest_names_of_a_misspelt_word(app):
    app.run()
    app.switch_page("pages/shop_the_look.py").run()
    app.text_input(key="look_query").set_value("jeanz").run()
    offered = [b for b in app.button if "Jeans" in b.label]
    assert offered
    offered[0].click().run()
    assert not app.exception
    chosen = app.selectbox(key="look_product").value
    assert chosen and "Jeans" in app.session_state["look_search_result"][1].at[chosen, "name"]


def test_settings_connection_check_on_simulator(app):
    app.run()
    app.switch_page("pages/settings.py").run()
    assert "Built-in simulator" in texts(app)
    button(app, "Check the connection").click().run()
    assert not app.exception
    assert "Connected" in texts(app)


def test_upload_a_catalog_and_a_bad_file_keeps_the_good_one(app):
    csv = "sku;nome;categoria;preço;estoque\n0001;Vestido Azul;Vestidos;129,90;3\n0002;Saia;Saias;89,00;0\n"
    app.run()
    app.file_uploader(key="catalog_upload").set_value(("loja.csv", csv.encode("cp1252"), "text/csv")).run()
    assert not app.exception
    assert "loja\\.csv: 2 products" in texts(app.sidebar)
    assert app.selectbox(key="storefront_category").options == ["Vestidos", "Saias"]

    app.file_uploader(key="catalog_upload").set_value(("book.xlsx", b"PK\x03\x04rest", "text/csv")).run()
    assert not app.exception
    assert "could not be used" in texts(app.sidebar)
    assert "loja\\.csv: 2 products" in texts(app.sidebar)

    button(app, "Use the server's catalog instead").click().run()
    assert "bundled sample catalog" in texts(app.sidebar)


# ----------------------------------------------------------------------------- live (fake API)


def test_live_mode_says_live_and_hides_the_token(app, fake_api):
    app.run()
    assert "Live Fashion.AI API" in texts(app.sidebar)
    button(app, "Preview storefront").click().run()
    assert not app.exception
    app.switch_page("pages/settings.py").run()
    assert "…7d3f" in texts(app)
    assert "FASHIONAI_APP_TOKEN" in texts(app)
    assert_no_token(app)
    sent = fake_api.requests[-1]
    assert sent.headers["X-FashionAI-APP-Token"] == TOKEN
    assert json.loads(sent.body)["eventType"] == "categoryView"


def test_live_unknown_ids_are_kept_and_flagged(app, fake_api):
    fake_api.products = [load_sample_frame()["product_id"].iloc[0], "NOT-IN-CATALOG"]
    app.run()
    button(app, "Preview storefront").click().run()
    assert metrics(app)["Not in your catalog"] == "1"
    assert "not in catalog" in texts(app.main)  # the card of the unknown id says so


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        ("401", "rejected the app token"),
        ("403", "403"),
        ("404", "404"),
        ("500", "500"),
        ("429", "429"),
        ("html", "HTML"),
        ("badjson", "200"),
        ("redirect", "redirect"),
        ("drop", "connection"),
    ],
)
def test_live_failures_are_messages_that_keep_the_last_result(app, fake_api, mode, expected):
    fake_api.mode = "ok"
    app.run()
    button(app, "Preview storefront").click().run()
    kept = app.session_state["storefront_preview"]
    fake_api.mode = mode
    button(app, "Preview storefront").click().run()
    assert not app.exception
    errors = " ".join(e.value for e in app.error)
    assert "did not work" in errors
    assert expected.lower() in errors.lower()
    assert app.session_state["storefront_preview"] is kept  # what the user had is still shown
    assert metrics(app)  # and still rendered
    assert_no_token(app)


def test_live_timeout_is_a_message(app, fake_api, monkeypatch):
    monkeypatch.setenv("FASHIONAI_TIMEOUT", "0.5")
    fake_api.mode = "slow"
    app.run()
    button(app, "Preview storefront").click().run()
    assert not app.exception
    assert "did not answer" in " ".join(e.value for e in app.error)
    assert len(fake_api.requests) == 1  # an event is never retried after a read timeout


PRIMARY_BUTTONS = {"pages/storefront.py": "Preview storefront", "pages/shop_the_look.py": "Shop the look",
                   "pages/settings.py": "Check the connection"}
"""Pages whose one primary button calls the API."""


@pytest.mark.parametrize("page", list(PRIMARY_BUTTONS))
def test_every_page_survives_a_broken_live_endpoint(app, fake_api, page):
    fake_api.mode = "500"
    app.run()
    app.switch_page(page).run()
    button(app, PRIMARY_BUTTONS[page]).click().run()
    assert not app.exception
    assert "did not work" in " ".join(e.value for e in app.error)


def test_live_unreachable_endpoint(app, monkeypatch):
    monkeypatch.setenv("FASHIONAI_APP_TOKEN", TOKEN)
    monkeypatch.setenv("FASHIONAI_BASE_URL", "http://127.0.0.1:9/api/v1")
    app.run()
    button(app, "Preview storefront").click().run()
    assert not app.exception
    assert "connect" in " ".join(e.value for e in app.error).lower()


def test_forced_simulator_with_a_token(app, monkeypatch):
    monkeypatch.setenv("FASHIONAI_APP_TOKEN", TOKEN)
    monkeypatch.setenv("FASHIONAI_BACKEND", "simulator")
    app.run()
    assert "Built-in simulator (forced" in texts(app.sidebar)


def test_bad_configuration_is_a_message(app, monkeypatch):
    monkeypatch.setenv("FASHIONAI_TIMEOUT", "soon")
    app.run()
    assert not app.exception
    assert "FASHIONAI_TIMEOUT" in " ".join(e.value for e in app.error)


def test_secrets_token_is_used(app, fake_api, monkeypatch):
    monkeypatch.delenv("FASHIONAI_APP_TOKEN")
    app.secrets["fashionai"] = {"app_token": TOKEN, "base_url": fake_api.base_url}
    app.run()
    assert "Live Fashion.AI API" in texts(app.sidebar)
    app.switch_page("pages/settings.py").run()
    assert "secrets.toml" in texts(app)
