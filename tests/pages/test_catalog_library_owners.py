"""The Catalog page's Library tab opens on "Mine", with "Everyone" one choice away, and says who added each catalog;
a catalog uploaded, renamed or deleted is written in the activity log (issue 23)."""

from __future__ import annotations

import os

from fashionai.catalog import load_catalog
from fashionai.catalog.library import CatalogLibrary
from fashionai.team.activity import ActivityAction, ActivityLog
from tests.apptest_helpers import button, open_page

PAGE = "pages/catalog.py"
SHOP_CSV = "sku;nome;categoria;preço;estoque\n0001;Vestido Azul;Vestidos;129,90;3\n0002;Saia;Saias;89,00;0\n"
OTHER_CSV = b"id,name,category,stock\nA1,Red scarf,Scarves,3\nA2,Blue scarf,Scarves,0\n"


def test_mine_then_everyone_with_who_added_each_and_every_change_in_the_log(app):
    url = os.environ["FASHIONAI_HISTORY_URL"]
    library = CatalogLibrary(url)
    library.add(load_catalog(OTHER_CSV, name="bo.csv"), name="Bo's scarves", owner="bo@store.com")
    open_page(app, PAGE)
    app.file_uploader(key="catalog_page_upload").set_value(("loja.csv", SHOP_CSV.encode(), "text/csv")).run()
    assert not app.exception
    frame = next(d.value for d in app.dataframe if "Added by" in d.value.columns)
    assert frame["Name"].tolist() == ["loja.csv"] and frame["Added by"].tolist() == ["local user"]
    app.radio(key="catalog_library_owner").set_value("Everyone").run()
    frame = next(d.value for d in app.dataframe if "Added by" in d.value.columns)
    assert dict(zip(frame["Name"], frame["Added by"], strict=True)) == {"loja.csv": "local user", "Bo's scarves": "bo@store.com"}

    mine = next(e for e in library.list() if e.name == "loja.csv").fingerprint
    app.selectbox(key="catalog_library_chosen").set_value(mine).run()
    app.text_input(key="catalog_library_name").input("Summer 2026").run()
    button(app, "Rename").click().run()
    button(app, "Delete…").click().run()
    button(app, "Yes, delete it").click().run()
    assert not app.exception
    log = ActivityLog(url)
    actions = [(e.action, e.detail) for e in reversed(log.entries())]
    assert actions == [(ActivityAction.CATALOG_UPLOADED, "loja.csv (loja.csv)"),
                       (ActivityAction.CATALOG_RENAMED, "loja.csv → Summer 2026"),
                       (ActivityAction.CATALOG_DELETED, "Summer 2026 (added by local user)")]
    assert {e.who for e in log.entries()} == {"local"} and log.entries()[-1].count == 2
    assert "Vestido" not in " ".join(e.detail for e in log.entries())  # a catalog's name, never its rows
