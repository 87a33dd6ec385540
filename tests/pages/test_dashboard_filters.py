"""The dashboard's filters in the pages (issue 25): an admin records a type's filters on Settings (saved for everyone,
written in the activity log), anyone else is refused on the server; the storefront marks a product that breaks them
with a badge and its reasons, and says what the catalog cannot support."""

from __future__ import annotations

import os

import pytest

from fashionai.domain import CALL_LABELS, EventType
from fashionai.filters import DashboardFilters, Discount
from fashionai.filters.store import FilterStore
from fashionai.team import LOCAL_PERSON
from fashionai.team.activity import ActivityAction, ActivityLog
from tests.apptest_helpers import button, texts
from tests.pages.history_pages import open_history, snap
from tests.team_helpers import AUTH_SECRETS, signed_in

pytestmark = pytest.mark.slow

ADMIN = signed_in("lead@store.com", "Lea Admin", ["admin"])
VIEWER = signed_in("vic@store.com", "Vic Viewer", [])
CATALOG = b"""id,name,category,stock,price
a1,Alpha top,Tops,2,10
a2,Beta top,Tops,50,400
a3,Gamma top,Tops,,10
"""


def history_url() -> str:
    return os.environ["FASHIONAI_HISTORY_URL"]


def settings_page(app, user=None):
    if user is not None:
        app.secrets = AUTH_SECRETS
        app.user = user
    app.run()
    app.switch_page("pages/settings.py").run()
    assert not app.exception
    return app


def preview_tops(app) -> str:
    """The storefront previewed for the Tops category: the main area's text, Markdown's escapes taken out."""
    app.switch_page("pages/storefront.py").run()
    app.selectbox(key="storefront_category").set_value("Tops").run()
    button(app, "Preview storefront").click().run()
    assert not app.exception
    return texts(app.main).replace("\\", "")


def test_an_admin_records_a_types_filters_and_the_change_is_logged(app):
    at = settings_page(app, ADMIN)
    at.selectbox(key="filters_event").set_value(CALL_LABELS[EventType.CUSTOM_SHELF]).run()
    at.number_input(key="filters_max_price").set_value(300.0)
    at.number_input(key="filters_low_stock").set_value(5)
    at.radio(key="filters_discount").set_value("full_price")
    button(at, "Save the filters").click().run()
    assert not at.exception
    assert any("Home shelf: no filter → price up to R$ 300,00; only full-price products; stock above 5"
               in s.value.replace("\\", "") for s in at.success)
    assert FilterStore(history_url()).settings().for_event(EventType.CUSTOM_SHELF) == DashboardFilters(
        max_price=300, discount=Discount.FULL_PRICE_ONLY, low_stock_limit=5)
    (row,) = ActivityLog(history_url()).entries(action=ActivityAction.FILTERS_CHANGED)
    assert (row.who, row.page) == ("lead@store.com", "Settings") and row.detail.startswith("Home shelf:")
    table = at.dataframe[-1].value
    assert "stock above 5" in table.set_index("Recommendation type").loc["Home shelf", "Filters"]


def test_a_price_range_upside_down_is_refused_in_words(app):
    at = settings_page(app, ADMIN)
    at.number_input(key="filters_min_price").set_value(300.0)
    at.number_input(key="filters_max_price").set_value(50.0)
    button(at, "Save the filters").click().run()
    assert not at.exception
    assert at.error and "upside down" in at.error[0].value.replace("\\", "")
    assert not FilterStore(history_url()).settings()


def test_a_viewer_sees_the_filters_and_may_not_save_them(app):
    """The button is off for a viewer, saying why; the store refuses anyone but an admin on the server
    (tests/unit/filters/test_store.py)."""
    FilterStore(history_url()).set_filters("categoryView", DashboardFilters(low_stock_limit=3), person=LOCAL_PERSON)
    at = settings_page(app, VIEWER)
    assert "stock above 3" in " ".join(at.dataframe[-1].value["Filters"])
    assert button(at, "Save the filters").disabled
    assert any("to change settings takes the admin role" in c.value.replace("\\", "") for c in at.caption)
    assert FilterStore(history_url()).settings().for_event("categoryView") == DashboardFilters(low_stock_limit=3)
    assert not ActivityLog(history_url()).entries(action=ActivityAction.FILTERS_CHANGED)


def test_the_storefront_marks_a_product_that_breaks_a_filter_with_its_reasons(app):
    FilterStore(history_url()).set_filters("categoryView", DashboardFilters(
        low_stock_limit=3, max_price=300, discount=Discount.DISCOUNTED_ONLY), person=LOCAL_PERSON)
    app.run()
    app.file_uploader(key="catalog_upload").set_value(("store.csv", CATALOG, "text/csv")).run()
    shown = preview_tops(app)
    assert "breaks a dashboard filter" in shown
    assert "At or below the low-stock limit (2 ≤ 3)" in shown
    assert "Price R$ 400,00 outside up to R$ 300,00" in shown
    assert "2 products break a dashboard filter set for Category page (of 3 products checked)" in shown
    assert "No sale price column: the discount filter cannot be checked." in shown
    assert "1 product has unknown stock" in shown


def test_the_walks_category_page_and_shop_the_look_mark_breaking_products(app):
    """Every sample product costs less than R$ 10.000: a least price above that breaks every one."""
    store = FilterStore(history_url())
    for event in ("categoryView", "productView", "shopTheLook", "similar"):
        store.set_filters(event, DashboardFilters(min_price=10_000), person=LOCAL_PERSON)
    app.run()
    app.switch_page("pages/walk.py").run()
    category = app.selectbox(key="walk_pick_category").options[0]
    app.selectbox(key="walk_pick_category").set_value(category).run()
    button(app, "Open category").click().run()
    assert not app.exception
    shown = texts(app.main).replace("\\", "")
    assert "breaks a dashboard filter" in shown and "outside R$ 10.000,00 or more" in shown
    assert "break a dashboard filter set for Category page" in shown
    [b for b in app.button if b.label == "Open"][0].click().run()  # its product page: productView and similar
    assert not app.exception
    shown = texts(app.main).replace("\\", "")
    assert "set for Product page" in shown and "set for Similar products" in shown

    app.switch_page("pages/shop_the_look.py").run()
    button(app, "Shop the look").click().run()
    assert not app.exception
    shown = texts(app.main).replace("\\", "")
    assert "breaks a dashboard filter" in shown and "set for Shop the look" in shown


SIZES = b"sku,tamanho,estoque\na1,P,3\na1,M,0\na1,G,0\na2,U,9\n"
SIZES_UNNAMED = b"sku,col,estoque\na1,P,3\na1,M,0\n"


def test_a_stock_per_size_file_attached_on_the_catalog_page_checks_the_full_size_run(app):
    FilterStore(history_url()).set_filters("categoryView", DashboardFilters(full_size_run=True), person=LOCAL_PERSON)
    app.run()
    app.switch_page("pages/catalog.py").run()
    app.file_uploader(key="catalog_page_upload").set_value(("store.csv", CATALOG, "text/csv")).run()
    app.file_uploader(key="catalog_extras_upload").set_value([("sizes.csv", SIZES, "text/csv")]).run()
    assert not app.exception
    assert "sizes.csv (stock per size): 2 products of the catalog found" in texts(app.main).replace("\\", "")
    button(app, "Apply").click().run()
    assert not app.exception
    shown = preview_tops(app)
    assert "Size run not full: M, G out of stock" in shown
    assert "1 product has no stock per size: the size-run filter was not checked for it" in shown


def test_a_sizes_file_whose_size_column_is_not_recognised_offers_the_choice(app):
    app.run()
    app.switch_page("pages/catalog.py").run()
    app.file_uploader(key="catalog_page_upload").set_value(("store.csv", CATALOG, "text/csv")).run()
    app.file_uploader(key="catalog_extras_upload").set_value([("s.csv", SIZES_UNNAMED, "text/csv")]).run()
    [kind] = [s for s in app.selectbox if s.label == "Kind"]
    kind.set_value("sizes").run()
    assert not app.exception
    assert "choose the column that holds the sizes" in " ".join(e.value for e in app.error).replace("\\", "")
    [sizes] = [s for s in app.selectbox if s.label == "Sizes"]
    sizes.set_value("col").run()
    assert not app.exception and not app.error
    assert "s.csv (stock per size): 1 product of the catalog found" in texts(app.main).replace("\\", "")


def test_a_saved_storefront_opened_on_the_history_page_is_checked_against_todays_filters(app, store, catalog):
    FilterStore(history_url()).set_filters("categoryView", DashboardFilters(min_price=10_000), person=LOCAL_PERSON)
    saved = store.record(snap(catalog))
    at = open_history(app)
    at.multiselect(key="history_selected").set_value([saved.id]).run()
    assert not at.exception
    shown = texts(at.main).replace("\\", "")
    assert "breaks a dashboard filter" in shown
    assert "12 products break a dashboard filter set for Category page (of 12 products checked)" in shown
