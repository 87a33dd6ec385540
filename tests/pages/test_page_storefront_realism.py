"""Storefront realism in AppTest: the Settings page's unknown stock and image address template, their effect
on the storefront (hiding out-of-stock products) and the look's button, and the storefront's movement badges."""

from __future__ import annotations

import re

from streamlit.testing.v1 import AppTest

from fashionai.catalog import load_catalog
from fashionai.storefront.preview import look_from_snapshot
from fashionai.ui.session import IMAGE_TEMPLATE_KEY, UNKNOWN_STOCK_KEY
from tests.apptest_helpers import button, card_pictures, texts
from tests.history_helpers import snap

UNKNOWN_CSV = b"""id,name,category,stock,price
a1,Alpha top,Tops,5,10
a2,Beta top,Tops,0,10
a3,Gamma top,Tops,,10
a4,Delta top,Tops,,10
b1,Shoe,Shoes,3,20
b2,Boot,Shoes,,20
"""
"""No image column; two tops of unknown stock, one out of stock, one in stock."""
TEMPLATE = "https://cdn.example.com/img/{product_id}.jpg"


def upload(at: AppTest, data: bytes = UNKNOWN_CSV) -> AppTest:
    at.run()
    at.file_uploader(key="catalog_upload").set_value(("store.csv", data, "text/csv")).run()
    assert not at.exception
    return at


def settings(at: AppTest) -> AppTest:
    at.switch_page("pages/settings.py").run()
    assert not at.exception
    return at


def storefront(at: AppTest, category: str | None = None) -> AppTest:
    at.switch_page("pages/storefront.py").run()
    if category is not None:
        at.selectbox(key="storefront_category").set_value(category).run()
    return at


def badges(at: AppTest) -> list[str]:
    return [m.value for m in at.main.markdown if "-badge[" in m.value]


def move_badges(at: AppTest) -> list[str]:
    """The move badges' labels (↑n, ↓n, new, =) on screen."""
    return [re.sub(r"^:\w+-badge\[(.*)\]$", r"\1", b) for b in badges(at)
            if re.search(r"badge\[(↑\d+|↓\d+|new|=)\]$", b)]


# --------------------------------------------------------------------------- the settings


def test_the_settings_page_keeps_unknown_stock_and_a_checked_image_template(app):
    at = settings(upload(app))
    assert at.toggle(key="unknown_stock_input").value is False
    assert "Now unknown stock counts as out of stock" in texts(at)
    at.toggle(key="unknown_stock_input").set_value(True).run()
    assert at.session_state[UNKNOWN_STOCK_KEY] is True
    assert "Now unknown stock counts as in stock" in texts(at)

    for refused, words in (("https://cdn.example.com/img/photo.jpg", "must contain {product_id}"),
                           ("ftp://cdn.example.com/{product_id}.jpg", "http:// or https://"),
                           ("https://cdn.example.com/{product_id}/{size}.jpg", "no braces other")):
        at.text_input(key="image_template_input").set_value(refused).run()
        assert not at.exception
        assert any("was not applied" in e.value and words in e.value for e in at.error), refused
        assert IMAGE_TEMPLATE_KEY not in at.session_state
    at.text_input(key="image_template_input").set_value(TEMPLATE).run()
    assert at.session_state[IMAGE_TEMPLATE_KEY] == TEMPLATE
    assert any("now use this address" in s.value for s in at.success)
    assert "https://cdn.example.com/img/ab-12.jpg" in texts(at)

    storefront(at)  # away and back: both kept, and shown in their widgets again
    at = settings(at)
    assert at.toggle(key="unknown_stock_input").value is True
    assert at.text_input(key="image_template_input").value == TEMPLATE
    at.text_input(key="image_template_input").set_value("").run()  # blank: no template
    assert IMAGE_TEMPLATE_KEY not in at.session_state


def test_settings_say_what_the_unknown_stock_switch_does_to_a_catalog_without_stock(app):
    """Issue 21, item 23: "stock is unknown for every product (never counted as in stock)" stood right under
    the switch that counts it as in stock."""
    at = settings(upload(app, b"id,name,category\na1,Alpha top,Tops\na2,Beta top,Tops\n"))
    at.toggle(key="unknown_stock_input").set_value(True).run()
    shown = texts(at)
    assert "never counted as in stock" not in shown
    assert "With no stock in the catalog, unknown stock counts as in stock now" in shown
    at.toggle(key="unknown_stock_input").set_value(False).run()
    assert "With no stock in the catalog, unknown stock counts as out of stock now" in texts(at)


def test_the_image_template_says_how_many_products_it_gives_a_picture_to(app):
    lines = UNKNOWN_CSV.decode().splitlines()
    with_images = "\n".join([lines[0] + ",image", lines[1] + ",https://cdn.example.com/a1.jpg",
                             *(line + "," for line in lines[2:])]) + "\n"
    at = settings(upload(app, with_images.encode()))
    at.text_input(key="image_template_input").set_value(TEMPLATE).run()
    assert "It gives a picture to 5 products of the 6 in your catalog" in texts(at)


def test_products_without_an_image_use_the_template_on_cards_and_tables(app):
    at = settings(upload(app))
    at.text_input(key="image_template_input").set_value(TEMPLATE).run()
    at = storefront(at, "Tops")
    button(at, "Preview storefront").click().run()
    assert not at.exception
    pictures = card_pictures(at.main)
    assert len(pictures) == 4
    assert all(f"https://cdn.example.com/img/{pid}.jpg" in pic for pid, pic in zip(["a1", "a2", "a3", "a4"], pictures, strict=True))
    table = at.dataframe[0].value
    assert list(table["image_url"]) == [f"https://cdn.example.com/img/{pid}.jpg" for pid in ["a1", "a2", "a3", "a4"]]


def test_without_a_template_a_product_without_an_image_shows_the_placeholder(app):
    at = storefront(upload(app), "Tops")
    button(at, "Preview storefront").click().run()
    pictures = card_pictures(at.main)
    assert len(pictures) == 4 and not any("cdn.example.com" in pic for pic in pictures)
    assert all(pic.count("url(") == 1 and "data:image/svg+xml" in pic for pic in pictures)  # the placeholder only


# --------------------------------------------------------------------------- unknown stock decides verdicts


def test_hiding_out_of_stock_products_follows_the_unknown_stock_setting(app):
    at = storefront(upload(app), "Tops")
    button(at, "Preview storefront").click().run()  # a new session: the store's own order, a1 to a4
    assert len(card_pictures(at.main)) == 4
    assert "unknown stock" not in texts(at.main)  # nothing hidden, nothing decided: not said

    at.toggle(key="storefront_hide_oos").set_value(True).run()
    assert len(card_pictures(at.main)) == 1  # a1 only: a2 is out of stock, a3 and a4 unknown
    assert ("2 products with unknown stock are hidden: unknown stock counts as out of stock (change it in "
            "Settings).") in texts(at.main)

    at = settings(at)
    at.toggle(key="unknown_stock_input").set_value(True).run()
    at = storefront(at)
    at.toggle(key="storefront_hide_oos").set_value(True).run()
    assert not at.exception
    assert len(card_pictures(at.main)) == 3  # a1, a3, a4
    assert ("2 products with unknown stock are shown: unknown stock counts as in stock (change it in "
            "Settings).") in texts(at.main)


def look_of_unknown_stock(at: AppTest) -> None:
    """A look of a1 whose pieces are b2 (unknown stock) and a2 (out of stock), as if just asked."""
    catalog = load_catalog(UNKNOWN_CSV)
    saved = snap(event_type="shopTheLook", item_id="a1", products=("b2", "a2"))
    at.session_state["look_preview"] = look_from_snapshot(saved, catalog)


def test_the_look_button_follows_the_unknown_stock_setting(app):
    at = upload(app)
    at.switch_page("pages/shop_the_look.py").run()
    look_of_unknown_stock(at)
    at.run()
    assert not at.exception
    assert any("button would be hidden" in e.value and "unknown stock" in e.value for e in at.error)
    assert ("1 suggested piece with unknown stock is left out of the look: unknown stock counts as out of stock "
            "(change it in Settings).") in texts(at.main)
    at.toggle(key="look_only_valid").set_value(True).run()
    assert len(card_pictures(at.main)) == 1  # the main piece only

    at = settings(at)
    at.toggle(key="unknown_stock_input").set_value(True).run()
    at.switch_page("pages/shop_the_look.py").run()
    look_of_unknown_stock(at)
    at.run()
    assert not at.exception and not at.error
    assert any("button would be shown" in s.value and "1 of 2" in s.value for s in at.success)
    assert ("1 suggested piece with unknown stock is counted with the look: unknown stock counts as in stock "
            "(change it in Settings).") in texts(at.main)
    at.toggle(key="look_only_valid").set_value(True).run()
    assert len(card_pictures(at.main)) == 2  # the main piece and b2


# --------------------------------------------------------------------------- movement badges


def test_a_second_preview_of_the_category_wears_arrows_against_the_first(app):
    at = app
    at.run()
    button(at, "Preview storefront").click().run()  # the store's own order, compared with itself
    assert not at.exception
    assert ("Arrows compare with the store's own order: first visit of this category for this session."
            in texts(at.main))
    first = move_badges(at)
    assert len(first) == 24 and set(first) == {"="}

    button(at, "Preview storefront").click().run()  # personalized: moved against the first visit
    assert not at.exception
    assert re.search(r"Arrows compare with this session's previous visit of the category \(\d\d:\d\d:\d\d UTC\)\.",
                     texts(at.main))
    second = move_badges(at)
    assert len(second) == 24 and any(label.startswith(("↑", "↓")) for label in second)
    assert any("since this session's previous visit of the category" in (b.help or "")
               for b in at.main.markdown if "-badge[" in b.value)

    at.number_input(key="storefront_grid_page").set_value(2).run()  # paging keeps the badges, calls nothing
    assert re.search(r"previous visit of the category \(\d\d:\d\d:\d\d UTC\)", texts(at.main))


def test_a_switch_of_category_compares_with_the_store_order_and_so_does_a_link(app, catalog):
    at = app
    at.run()
    button(at, "Preview storefront").click().run()
    at.selectbox(key="storefront_category").set_value(catalog.categories[1]).run()
    button(at, "Preview storefront").click().run()  # this category's first visit
    assert "store's own order: first visit of this category" in texts(at.main)
    at.selectbox(key="storefront_category").set_value(catalog.categories[0]).run()
    button(at, "Preview storefront").click().run()  # back: the visit before on this category
    assert "previous visit of the category (" in texts(at.main)

    other = AppTest.from_file(at._script_path, default_timeout=60)  # a colleague opens the share link
    other.query_params.update(dict(at.query_params))
    other.run()
    assert not other.exception
    assert "Arrows compare with the store's own order: a saved answer, not a visit." in texts(other.main)
    assert len(move_badges(other)) == 24
