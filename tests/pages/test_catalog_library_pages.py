"""AppTest of the catalog library on the pages: an upload is kept, a reload (a new session with the URL's
``catalog``) and a share link open it again, a link naming a catalog this server lacks says so, and the
Catalog page's Library tab chooses, renames and deletes."""

from __future__ import annotations

import os

import pytest
from streamlit.testing.v1 import AppTest

from fashionai import ui
from fashionai.catalog.library import CatalogLibrary
from tests.apptest_helpers import button, open_page
from tests.apptest_helpers import texts as raw_texts
from tests.conftest import APP

PAGE = "pages/catalog.py"
SHOP_CSV = "sku;nome;categoria;preço;estoque\n0001;Vestido Azul;Vestidos;129,90;3\n0002;Saia;Saias;89,00;0\n"
OTHER_CSV = "id,name,category,stock\nA1,Red scarf,Scarves,3\nA2,Blue scarf,Scarves,0\nA3,Wool hat,Hats,5\n"


@pytest.fixture
def library():
    opened = CatalogLibrary(os.environ["FASHIONAI_HISTORY_URL"])
    yield opened
    opened.close()


def texts(node) -> str:
    """The text under `node`, Markdown escapes taken out (``loja\\.csv`` reads ``loja.csv``)."""
    return raw_texts(node).replace("\\", "")


def upload(app, name, data):
    app.file_uploader(key="catalog_page_upload").set_value((name, data, "text/csv")).run()
    assert not app.exception
    return app


def in_use(app):
    held = app.session_state.get(ui.UPLOAD_KEY)
    return None if held is None else held.catalog() if hasattr(held, "catalog") else held


def reload(query: dict) -> AppTest:
    """A new browser session on the same server opening this URL (a reload, or a colleague's link)."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(query)
    at.run()
    assert not at.exception
    return at


def test_an_upload_is_kept_and_a_reload_opens_it_again(app, library):
    open_page(app, PAGE)
    upload(app, "loja.csv", SHOP_CSV.encode())
    catalog = in_use(app)
    [kept] = library.list()
    assert kept.fingerprint == catalog.fingerprint and kept.name == "loja.csv" and kept.file_name == "loja.csv"
    assert "Kept in the catalog library as **loja.csv**" in texts(app.main)
    assert app.query_params["catalog"] == catalog.fingerprint  # the URL names it: a reload opens it again

    again = reload({"catalog": catalog.fingerprint})
    reopened = in_use(again)
    assert reopened is not None and reopened.fingerprint == catalog.fingerprint
    assert reopened.products.index.tolist() == ["0001", "0002"]  # ids as text, leading zeros kept
    assert again.query_params["catalog"] == catalog.fingerprint
    assert "loja.csv" in texts(again.sidebar)
    assert not [w for w in again.warning if "does not have" in w.value]
    again.switch_page(PAGE).run()  # every page keeps the catalog in its URL
    assert not again.exception and again.query_params["catalog"] == catalog.fingerprint
    assert "In use: **loja.csv**" in texts(again.main)


def test_a_share_link_carries_the_catalog(app, library):
    open_page(app, PAGE)
    upload(app, "loja.csv", SHOP_CSV.encode())
    fingerprint = in_use(app).fingerprint
    app.switch_page("pages/storefront.py").run()
    assert not app.exception
    assert app.query_params["catalog"] == fingerprint
    shared = dict(app.query_params)
    colleague = reload(shared)
    assert in_use(colleague).fingerprint == fingerprint
    assert "Vestidos" in {option for box in colleague.selectbox for option in box.options}  # its categories
    assert "loja.csv" in texts(colleague.sidebar)


def test_the_sidebars_upload_is_kept_and_named_in_the_url_at_once(app, library):
    app.run()
    app.sidebar.file_uploader(key="catalog_upload").set_value(("loja.csv", SHOP_CSV.encode(), "text/csv")).run()
    assert not app.exception
    fingerprint = in_use(app).fingerprint
    assert [entry.fingerprint for entry in library.list()] == [fingerprint]
    assert app.query_params["catalog"] == fingerprint
    assert "Kept in the catalog library as **loja.csv**" in texts(app.sidebar)
    button(app, "Use the server's catalog instead").click().run()
    assert in_use(app) is None and "catalog" not in app.query_params
    assert library.entry(fingerprint) is not None  # still kept for later


def test_the_same_file_again_takes_the_name_the_library_gave_it(app, library):
    open_page(app, PAGE)
    upload(app, "loja.csv", SHOP_CSV.encode())
    library.rename(in_use(app).fingerprint, "Winter shop")
    upload(app, "copy of loja.csv", SHOP_CSV.encode())
    assert len(library.list()) == 1
    assert "In use: **Winter shop**" in texts(app.main)
    assert "Already in the catalog library, as **Winter shop**" in texts(app.main)


def test_a_catalog_opened_from_the_library_cannot_be_mapped_again_and_says_why(app):
    open_page(app, PAGE)
    upload(app, "loja.csv", SHOP_CSV.encode())
    again = reload({"catalog": in_use(app).fingerprint})
    again.switch_page(PAGE).run()
    again.selectbox(key="catalog_map_name").set_value("(none)")
    [form_button] = [b for b in again.button if b.label == "Apply mapping"]
    form_button.click().run()
    assert not again.exception
    assert "keeps its products but not its file" in texts(again.main)
    assert in_use(again).products.index.tolist() == ["0001", "0002"]


def test_a_link_naming_a_catalog_this_server_lacks_says_so_and_opens_the_servers(app):
    at = reload({"catalog": "ab" * 32, "page": "storefront", "v": "1"})
    warnings = " ".join(w.value for w in at.warning)
    assert "This link names a catalog this server does not have" in warnings
    assert "Showing the server's catalog" in warnings
    assert in_use(at) is None and "catalog" not in at.query_params
    assert "bundled sample catalog" in texts(at.sidebar)


def test_a_link_with_a_catalog_that_is_no_fingerprint_opens_the_servers(app):
    at = reload({"catalog": "<b>not-a-catalog</b>"})
    warnings = " ".join(w.value for w in at.warning)
    assert "does not have" in warnings and "<b>" not in warnings
    assert in_use(at) is None and "catalog" not in at.query_params


def library_tab(app):
    return app.selectbox(key="catalog_library_chosen")


def test_choose_rename_and_delete_from_the_library_tab(app, library):
    open_page(app, PAGE)
    upload(app, "loja.csv", SHOP_CSV.encode())
    first = in_use(app).fingerprint
    upload(app, "scarves.csv", OTHER_CSV.encode())
    second = in_use(app).fingerprint
    assert {entry.fingerprint for entry in library.list()} == {first, second}
    assert "Every catalog uploaded is kept on this server" in texts(app.main)
    assert "up to 50 catalogs" in texts(app.main) and "2 GB" in texts(app.main)

    library_tab(app).set_value(first).run()
    button(app, "Use this catalog").click().run()
    assert not app.exception
    assert in_use(app).fingerprint == first and app.query_params["catalog"] == first
    assert "**loja.csv** is now your catalog" in texts(app.main)

    app.text_input(key="catalog_library_name").input("Summer 2026").run()
    button(app, "Rename").click().run()
    assert library.entry(first).name == "Summer 2026"
    assert "In use: **Summer 2026**" in texts(app.main)

    button(app, "Delete…").click().run()
    assert "Delete **Summer 2026** from the catalog library" in texts(app.main)
    button(app, "Cancel").click().run()
    assert library.entry(first) is not None
    button(app, "Delete…").click().run()
    button(app, "Yes, delete it").click().run()
    assert not app.exception
    assert library.entry(first) is None and library.entry(second) is not None
    assert "back on the server's catalog" in texts(app.main)
    assert in_use(app) is None and "catalog" not in app.query_params


def test_a_library_that_cannot_be_written_leaves_the_upload_in_use(app, monkeypatch, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the history's folder should be")
    monkeypatch.setenv("FASHIONAI_HISTORY_URL", (blocker / "history.db").as_posix())
    open_page(app, PAGE)
    upload(app, "loja.csv", SHOP_CSV.encode())
    assert in_use(app).products.index.tolist() == ["0001", "0002"]
    assert "Not kept in the catalog library" in texts(app.main)
    assert "catalog" not in app.query_params
    app.switch_page(PAGE).run()
    assert not app.exception
    assert "The catalog library cannot be read" in texts(app.main)
