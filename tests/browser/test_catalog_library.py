"""The catalog library in a real browser: an uploaded catalog survives a reload, travels in a share link to a
second browser (same names), and a link naming a catalog this server does not have says so."""

from __future__ import annotations

import re
import secrets

import pytest

from tests.browser.conftest import _new_page
from tests.browser.streamlit_page import alert, expect, expect_no_exception, main, open_app, sidebar, upload_catalog

pytestmark = pytest.mark.browser


def catalog_file(tmp_path, marker: str):
    path = tmp_path / f"library-{marker}.csv"
    rows = "".join(f"{marker}-{i},Vestido {marker} {i},Vestidos,{100 + i},{i}\n" for i in range(1, 9))
    path.write_text("product_id,name,category,price,stock\n" + rows, encoding="utf-8")
    return path


def test_an_uploaded_catalog_survives_a_reload_and_travels_in_a_link(studio, browser, studio_server, tmp_path):
    marker = secrets.token_hex(4)
    upload_catalog(studio, catalog_file(tmp_path, marker))
    expect(sidebar(studio).get_by_text(f"library-{marker}.csv", exact=False).first).to_be_visible()
    expect(studio).to_have_url(re.compile(r"[?&]catalog=[0-9a-f]{64}"))

    studio.reload()  # a new Streamlit session: the address names the catalog, the library has it
    expect(sidebar(studio).get_by_text(f"library-{marker}.csv", exact=False).first).to_be_visible()
    expect_no_exception(studio)

    context, colleague = _new_page(browser, studio_server)  # a second browser, the same link
    try:
        open_app(colleague, studio.url)
        expect(sidebar(colleague).get_by_text(f"library-{marker}.csv", exact=False).first).to_be_visible()
        expect(sidebar(colleague).get_by_text("8 products", exact=False).first).to_be_visible()
        expect_no_exception(colleague)
    finally:
        context.close()


def test_a_link_naming_a_catalog_this_server_lacks_says_so(studio, studio_server):
    open_app(studio, studio_server.url + "/?catalog=" + "ab" * 32)
    expect(alert(main(studio), "", "does not have").or_(
        studio.get_by_text("does not have", exact=False)).first).to_be_visible()
    expect(sidebar(studio).get_by_text("bundled sample catalog", exact=False).first).to_be_visible()
    expect_no_exception(studio)
