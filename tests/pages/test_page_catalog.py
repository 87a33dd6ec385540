"""AppTest of the Catalog page: upload, column mapping, health, preview, and the reconciliation."""

from __future__ import annotations

import gc
import json
import weakref

import pytest
from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df
from streamlit.testing.v1 import AppTest

from fashionai import ui
from fashionai.catalog import uploads
from fashionai.catalog.uploads import Upload
from tests.apptest_helpers import button, metrics, open_page, texts

PAGE = "pages/catalog.py"
SHOP_CSV = "sku;nome;categoria;preço;estoque\n0001;Vestido Azul;Vestidos;129,90;3\n0002;Saia;Saias;89,00;0\n"
TWO_NAMES_CSV = ("id,name,title,category,stock,blank\n"
                 "A1,red scarf,Red Scarf (wool),Scarves,3,\n"
                 "A2,blue scarf,Blue Scarf (silk),Scarves,0,\n"
                 "A3,wool hat,Wool Hat,Hats,5,\n")


def upload(app, name, data):
    app.file_uploader(key="catalog_page_upload").set_value((name, data, "text/csv")).run()
    assert not app.exception
    return app


def in_use(app):
    """The session's own catalog: its upload's, or the server's read with other columns."""
    held = app.session_state.get(ui.UPLOAD_KEY)
    return held.catalog() if isinstance(held, Upload) else held


def errors(app):
    return " ".join(e.value for e in app.error)


# --------------------------------------------------------------------------- the server's catalog


def test_page_shows_the_server_catalogs_health_and_products(app):
    open_page(app, PAGE)
    figures = metrics(app)
    assert figures["Products"] == "1,200"
    assert figures["Categories"] == "12"
    stock = ("In stock (4 or more)", "Low stock (1–3)", "Out of stock", "Stock unknown")
    assert sum(int(figures[label].replace(",", "")) for label in stock) == 1200
    assert len(app.get("vega_lite_chart")) == 2  # stock distribution and category sizes
    assert "bundled sample catalog" in texts(app.main)
    assert "UTF-8, values separated by commas" in texts(app.main)
    table = app.dataframe[0].value
    assert len(table) == 24 and table["product_id"].is_unique  # one page of products, not all of them
    assert "Showing 1–24 of 1,200" in texts(app.main)
    assert "No answers yet" in texts(app.main)


def chart_counts(app, title: str) -> dict[str, int]:
    """label -> count of the drawn chart with this title."""
    for chart in app.get("vega_lite_chart"):
        spec = json.loads(chart.proto.spec)
        if spec.get("title") == title or (spec.get("title") or {}).get("text") == title:
            data = chart.proto.datasets[0].data.data if chart.proto.datasets else chart.proto.data.data
            frame = convert_arrow_bytes_to_pandas_df(data)
            return dict(zip(frame["label"], frame["count"].astype(int), strict=True))
    raise AssertionError(f"no chart titled {title!r}")


STOCK_CSV = "id,name,stock\n" + "".join(f"P{i},product {i},{i % 9 - 2 if i % 10 else ''}\n" for i in range(100))


def test_the_stock_figures_are_the_stock_charts_bars(app):
    """One count, one meaning: "In stock" said 1,099 (low stock included) beside a bar of 980."""
    open_page(app, PAGE)
    upload(app, "stock.csv", STOCK_CSV.encode())
    bars = chart_counts(app, "How much of the catalog is in stock")
    figures = metrics(app)
    assert {label: int(figures[label].replace(",", "")) for label in bars} == bars
    assert sum(bars.values()) == int(figures["Products"]) == 100
    assert bars["Low stock (1–3)"] > 0 and bars["In stock (4 or more)"] > 0  # both buckets met


def test_search_finds_products_by_name(app):
    open_page(app, PAGE)
    app.text_input(key="catalog_search").set_value("dress").run()
    assert not app.exception
    table = app.dataframe[0].value
    assert len(table) and all("dress" in name.lower() for name in table["name"])
    assert "products matching `dress`: an exact id first" in texts(app.main)


# --------------------------------------------------------------------------- uploads


def test_upload_on_the_page_is_the_catalog_on_every_page(app):
    open_page(app, PAGE)
    upload(app, "loja.csv", SHOP_CSV.encode("cp1252"))
    assert metrics(app)["Products"] == "2"
    assert "loja\\.csv is now your catalog on every page" in texts(app.main)
    assert "loja\\.csv: 2 products" in texts(app.sidebar)  # the sidebar, drawn before the page, follows
    assert "Windows-1252, values separated by semicolons" in texts(app.main)
    assert list(app.dataframe[0].value["product_id"]) == ["0001", "0002"]  # ids stay text

    app.switch_page("pages/storefront.py").run()
    assert app.selectbox(key="storefront_category").options == ["Vestidos", "Saias"]


def test_the_same_content_twice_is_parsed_once(app, monkeypatch):
    calls = []
    original = uploads.load_catalog

    def counting(source, **kwargs):
        if isinstance(source, bytes):  # an upload (the server's catalog is read from its path)
            calls.append(kwargs.get("name"))
        return original(source, **kwargs)

    monkeypatch.setattr(uploads, "load_catalog", counting)
    open_page(app, PAGE)
    upload(app, "loja.csv", SHOP_CSV.encode())
    first = in_use(app)
    upload(app, "copy of loja.csv", SHOP_CSV.encode())
    assert in_use(app) is first
    app.switch_page("pages/storefront.py").run()
    app.file_uploader(key="catalog_upload").set_value(("again.csv", SHOP_CSV.encode(), "text/csv")).run()
    assert in_use(app) is first
    assert calls == ["loja.csv"]


@pytest.mark.parametrize(("name", "data", "reason"), [
    ("empty.csv", b"", "empty"),
    ("book.xlsx", b"PK\x03\x04\x14\x00\x06\x00rest of a workbook", "excel workbook"),
    ("photo.csv", bytes(range(256)) * 20, "binary"),
    ("header.csv", b"id,name\n", "no products"),
])
def test_a_bad_upload_is_a_message_and_the_previous_catalog_stays(app, name, data, reason):
    open_page(app, PAGE)
    upload(app, "loja.csv", SHOP_CSV.encode())
    before = in_use(app)

    upload(app, name, data)

    message = errors(app)
    assert "could not be used" in message and reason in message.lower()
    assert "The catalog in use before is still in use" in message
    assert in_use(app) is before
    assert metrics(app)["Products"] == "2"
    assert "loja\\.csv: 2 products" in texts(app.sidebar)


def test_a_bad_first_upload_keeps_the_server_catalog(app):
    open_page(app, PAGE)
    upload(app, "book.xlsx", b"PK\x03\x04rest")
    assert "could not be used" in errors(app)
    assert in_use(app) is None
    assert metrics(app)["Products"] == "1,200"


def test_a_stock_too_large_to_be_real_and_a_negative_stock_are_warnings_not_a_failure(app):
    open_page(app, PAGE)
    upload(app, "huge.csv", b"id,name,stock\nA1,scarf,10000000000000000000\nA2,hat,-3\nA3,belt,4\n")

    page = texts(app.main)
    assert "Something unexpected" not in texts(app) and not app.error
    assert metrics(app)["Products"] == "3"
    warning = " ".join(w.value for w in app.warning).replace("\\", "")
    assert "1 stock value in column 'stock' could not be read (e.g. '10000000000000000000')" in warning
    assert "too large to be a real stock; those products count as unknown stock" in warning
    assert "1 stock quantity is negative in column 'stock' (e.g. '-3'); it counts as out of stock" in warning
    assert "huge\\.csv is now your catalog on every page" in page


def test_use_the_servers_catalog_again(app):
    open_page(app, PAGE)
    upload(app, "loja.csv", SHOP_CSV.encode())
    button(app, "Use the server's catalog").click().run()
    assert not app.exception
    assert in_use(app) is None
    assert metrics(app)["Products"] == "1,200"
    assert "bundled sample catalog: 1,200 products" in texts(app.sidebar)


# --------------------------------------------------------------------------- column mapping


def test_choosing_another_name_column_reads_the_file_again(app):
    open_page(app, PAGE)
    upload(app, "scarves.csv", TWO_NAMES_CSV.encode())
    assert app.selectbox(key="catalog_map_name").value == "name"
    assert app.selectbox(key="catalog_map_name").options[0] == "(none)"

    app.selectbox(key="catalog_map_name").set_value("title")
    button(app, "Apply mapping").click().run()

    assert not app.exception
    catalog = in_use(app)
    assert catalog.mapping["name"] == "title"
    assert catalog.products.loc["A1", "name"] == "Red Scarf (wool)"
    assert "Read again with the new columns: 3 products" in texts(app.main)
    assert app.selectbox(key="catalog_map_name").value == "title"
    assert "scarves\\.csv: 3 products" in texts(app.sidebar)


def test_a_bad_mapping_is_a_message_and_keeps_the_catalog(app):
    open_page(app, PAGE)
    upload(app, "scarves.csv", TWO_NAMES_CSV.encode())
    before = in_use(app)

    app.selectbox(key="catalog_map_product_id").set_value("blank")
    button(app, "Apply mapping").click().run()

    assert not app.exception
    assert "That mapping could not be used" in errors(app) and "'blank'" in errors(app)
    assert in_use(app) is before
    assert app.selectbox(key="catalog_map_product_id").value == "id"  # back to the columns in use


def test_leaving_a_field_out_and_an_unchanged_mapping(app):
    open_page(app, PAGE)
    button(app, "Apply mapping").click().run()
    assert "Nothing changed" in texts(app.main)
    assert in_use(app) is None

    app.selectbox(key="catalog_map_stock").set_value("(none)")
    button(app, "Apply mapping").click().run()
    assert not app.exception
    assert "stock" not in in_use(app).mapping  # the server's file, read again for this browser session
    assert metrics(app)["Stock unknown"] == "1,200"
    button(app, "Use the server's catalog").click().run()
    assert metrics(app)["Stock unknown"] == "0"


def test_mapping_choices_survive_a_visit_to_another_page(app):
    open_page(app, PAGE)
    upload(app, "scarves.csv", TWO_NAMES_CSV.encode())
    app.switch_page("pages/storefront.py").run()
    app.switch_page(PAGE).run()
    assert app.selectbox(key="catalog_map_name").value == "name"
    button(app, "Apply mapping").click().run()
    assert "Nothing changed" in texts(app.main)


# --------------------------------------------------------------------------- reconciliation


def previewed(app):
    """Two storefront previews (the second personalized) of the default category on the sample catalog."""
    app.run()
    button(app, "Preview storefront").click().run()
    button(app, "Preview storefront").click().run()
    preview = app.session_state["storefront_preview"]
    assert preview.returned > 30
    return preview


def test_reconciliation_after_a_preview_lists_ids_the_new_catalog_lacks(app):
    preview = previewed(app)
    returned = list(preview.recommendation.products)
    kept = returned[::2]
    lines = ["product_id,name,category,stock"]
    lines += [f"{pid},Product {pid},{preview.category_id},4" for pid in kept]
    lines += [f"NEW-1,Never shown,{preview.category_id},9", "NEW-2,Elsewhere,Other,1"]

    app.switch_page(PAGE).run()
    upload(app, "partial.csv", "\n".join(lines).encode())

    figures = metrics(app)
    lacking = [pid for pid in returned if pid not in kept]
    assert figures["Answers"] == "1"
    assert figures["Distinct ids returned"] == f"{len(returned):,}"
    assert figures["Not in your catalog"] == f"{len(lacking):,}"
    shown = [table.value for table in app.dataframe if "first_seen_in" in table.value.columns][0]  # one page
    assert len(shown) == 24 and set(shown["product_id"]) <= set(lacking)
    assert set(shown["first_seen_in"]) == {"Storefront preview"}
    assert f"Showing 1–24 of {len(lacking)}" in texts(app.main)

    assert app.selectbox(key="catalog_reconcile_category").value == preview.category_id
    never = [table.value for table in app.dataframe if "in_stock" in table.value.columns
             and "rank" not in table.value.columns][-1]
    assert list(never["product_id"]) == ["NEW-1"]
    assert f"1 of the {len(kept) + 1:,} products of `{preview.category_id}` are in none" in texts(app.main)

    app.selectbox(key="catalog_reconcile_category").set_value("Other").run()
    assert "No answer is a storefront (a category page) of this category" in texts(app.main)


def test_reconciliation_from_the_history_of_the_shopper_session(app):
    previewed(app)
    app.session_state["catalog_reconcile_source"] = "Saved answers of these shopper sessions"
    app.switch_page(PAGE).run()
    assert not app.exception
    figures = metrics(app)
    assert figures["Answers"] == "2"  # the empty first answer and the personalized one
    assert figures["Not in your catalog"] == "0"
    (answers,) = [table.value for table in app.dataframe if "seen_in" in table.value.columns]
    assert all(seen.startswith("History, ") for seen in answers["seen_in"])
    assert set(answers["session_id"]) == {app.text_input(key="shopper_session_id").value}
    assert list(answers["returned"])[-1] == 0  # newest first: the first, empty answer is last


def test_the_same_answers_from_the_pages_and_from_the_history_say_where_each_was_seen(app):
    app.run()
    button(app, "Preview storefront").click().run()  # one answer, on the page and in the history alike
    app.switch_page(PAGE).run()
    (answers,) = [table.value for table in app.dataframe if "seen_in" in table.value.columns]
    assert list(answers["seen_in"]) == ["Storefront preview"]
    app.segmented_control(key="catalog_reconcile_source").set_value("Saved answers of these shopper sessions").run()
    assert not app.exception
    (answers,) = [table.value for table in app.dataframe if "seen_in" in table.value.columns]
    assert len(answers) == 1 and answers["seen_in"].iloc[0].startswith("History, ")


def test_never_returned_pages_through_the_category(app):
    previewed(app)
    app.switch_page(PAGE).run()
    category = app.session_state["catalog_reconcile_category"]
    others = [c for c in app.selectbox(key="catalog_reconcile_category").options if c != category]
    app.selectbox(key="catalog_reconcile_category").set_value(others[0]).run()
    caption = texts(app.main)
    assert f"products of `{others[0]}` are in none of these answers" in caption

    def never_ids():
        return list([table.value for table in app.dataframe if "in_stock" in table.value.columns
                     and "rank" not in table.value.columns][-1]["product_id"])
    first = never_ids()
    app.number_input(key="catalog_never_page").set_value(2).run()
    assert not app.exception
    second = never_ids()
    assert len(first) == 24 and len(second) and not set(first) & set(second)


def test_a_sessions_upload_is_freed_when_the_session_ends(app):
    """Two 90 MB uploads kept 1.2 GB after both tabs closed: the server cached 16 parsed uploads."""
    session = AppTest.from_file(app._script_path, default_timeout=60)  # one of our own, to end (the fixture's lives on)
    open_page(session, PAGE)
    upload(session, "loja.csv", SHOP_CSV.encode())
    session.switch_page("pages/storefront.py").run()  # used on another page too
    assert not session.exception
    catalog = weakref.ref(in_use(session))
    products = weakref.ref(in_use(session).products)
    assert catalog() is not None

    del session  # the browser session ends: Streamlit drops its state (and the server, the session)
    gc.collect()

    assert catalog() is None and products() is None


def test_going_back_to_the_servers_catalog_frees_the_upload(app):
    open_page(app, PAGE)
    upload(app, "loja.csv", SHOP_CSV.encode())
    catalog = weakref.ref(in_use(app))
    button(app, "Use the server's catalog").click().run()
    gc.collect()
    assert in_use(app) is None and catalog() is None


def test_a_one_product_catalog_is_counted_in_agreement(app):
    """'1 products' and '1 categories' read as a typo to a merchandiser (issue 10, item 17)."""
    upload(open_page(app, PAGE), "one.csv", b"id,name,category,stock\nA1,Red Scarf,Scarves,3\n")
    assert in_use(app) is not None and len(in_use(app).products) == 1
    everything = texts(app.main) + texts(app.sidebar)
    assert "1 product" in everything
    assert "1 products" not in everything and "1 categories" not in everything
    app.switch_page("pages/settings.py").run()
    assert not app.exception
    settings_text = texts(app.main)
    assert "1 product · 1 category" in settings_text


def test_the_simulator_of_an_upload_goes_with_the_upload(app):
    """A preview builds a simulator over the uploaded catalog (an index of every product): it must not
    keep the upload's products alive after the session ends, as a cache of 8 simulators did."""
    session = AppTest.from_file(app._script_path, default_timeout=60)
    open_page(session, PAGE)
    upload(session, "loja.csv", SHOP_CSV.encode())
    session.switch_page("pages/storefront.py").run()
    button(session, "Preview storefront").click().run()
    assert not session.exception
    assert "Vestido Azul" in texts(session.main) or "Saia" in texts(session.main)  # the simulator answered
    simulator = weakref.ref(ui.get_simulator(in_use(session)))
    products = weakref.ref(in_use(session).products)

    del session
    gc.collect()

    assert simulator() is None and products() is None
