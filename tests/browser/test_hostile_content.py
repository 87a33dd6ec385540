"""A hostile catalog in a real browser: its markup shows as text, nothing of it runs.

The catalog of tests/hostile.py (names, categories, styles and an id that are <script>,
<img onerror>, Markdown links and images, directives; image addresses that are
javascript:, file:, data:text/html) is uploaded, then previewed on the storefront, asked
about on shop the look and compared. No dialog may open (every payload calls alert), no
script or handler from the catalog may be in the DOM, no link or image may carry a
disallowed address, and the catalog's text must be on screen as the characters it is.
"""

from __future__ import annotations

import re

import pytest

from tests.browser.streamlit_page import (
    click_button,
    expect,
    expect_no_exception,
    go_to,
    main,
    sidebar,
    upload_catalog,
    upload_file,
)
from tests.hostile import ALLOWED_IMAGE, MARKER, hostile_csv

pytestmark = pytest.mark.browser

FORMATTED_WORDS = ["bold", "italic", "link", "img", "html", "a", "id", "strike", "heading", "tick", "double", "x", "y"]
"""The words the payloads would format (**bold**, <i>id</i>, ``double``...): never an element of their own."""
DOM_FINDINGS_JS = """() => {
    const FORMATTED = """ + str(FORMATTED_WORDS) + """;
    const all = [...document.querySelectorAll('*')];
    const handlers = all.filter(e => [...e.attributes].some(a => a.name.startsWith('on')));
    return {
        scripts: [...document.scripts].map(s => s.textContent).filter(t => t.includes('xss')),
        handlers: handlers.map(e => e.outerHTML.slice(0, 120)),
        links: [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))
            .filter(h => !/^(https?:|\\/|\\?|#|mailto:)/i.test(h.trim())),
        images: [...document.querySelectorAll('img[src]')].map(i => i.getAttribute('src')).concat(
            all.flatMap(e => [...getComputedStyle(e).backgroundImage.matchAll(/url\\("([^"]*)"\\)/g)].map(m => m[1]))),
        pictures: document.querySelectorAll('.fai-card-picture').length,
        formatted: [...document.querySelectorAll('strong, em, b, i, a, del, s, h1, h2, h3, h4, h5, h6, code')]
            .filter(e => FORMATTED.includes(e.textContent.trim())).map(e => e.outerHTML.slice(0, 120)),
        katex: document.querySelectorAll('.katex').length,
    };
}"""


@pytest.fixture
def hostile_catalog(tmp_path):
    path = tmp_path / "hostile.csv"
    path.write_bytes(hostile_csv())
    return path


def assert_nothing_ran(page, dialogs: list[str]) -> None:
    expect_no_exception(page)
    found = page.evaluate(DOM_FINDINGS_JS)
    assert dialogs == []
    assert found["scripts"] == []
    assert found["handlers"] == []
    assert found["links"] == []
    assert found["formatted"] == []
    assert [src[:60] for src in found["images"] if not ALLOWED_IMAGE.match(src)] == []  # <img> and CSS backgrounds
    assert found["katex"] == 0  # "$math$" stayed text


def test_a_hostile_catalog_shows_as_text_and_runs_nothing(studio, hostile_catalog):
    dialogs: list[str] = []
    studio.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    upload_catalog(studio, hostile_catalog)
    expect(sidebar(studio).get_by_text("hostile.csv: 24 products")).to_be_visible()
    click_button(main(studio), "Preview storefront")
    click_button(main(studio), "Preview storefront")
    # The category is the page's subheader, as the characters it is.
    expect(main(studio).get_by_test_id("stHeading").filter(
        has_text=f"{MARKER}<script>alert('xss-script')</script>{MARKER}")).to_be_visible()
    expect(main(studio).get_by_test_id("stCaptionContainer").filter(
        has_text=f"id {MARKER}<i>id</i>{MARKER}").first).to_be_attached()
    expect(main(studio).get_by_test_id("stText").filter(has_text=re.compile(r"\*\*bold\*\*")).first).to_be_visible()
    assert_nothing_ran(studio, dialogs)
    assert studio.evaluate(DOM_FINDINGS_JS)["pictures"] > 0  # the cards' pictures were there to be checked

    go_to(studio, "Shop the look")
    click_button(main(studio), "Shop the look")
    assert_nothing_ran(studio, dialogs)

    go_to(studio, "Compare lanes")
    click_button(main(studio), "Compare lanes")
    expect(main(studio).get_by_test_id("stHeading").filter(has_text=re.compile(MARKER + r": \d lanes"))).to_be_visible()
    assert_nothing_ran(studio, dialogs)


def test_line_breaks_in_headers_and_categories_fetch_nothing_from_a_foreign_host(studio, tmp_path):
    """'`7734\\r\\r![p](http://any-host/pixel.png)`' drew the picture, and the browser fetched it."""
    from tests.hostile import line_break_csv  # one hostile file for AppTest and browser

    fetched: list[str] = []

    def refuse_and_record(route) -> None:
        fetched.append(route.request.url)
        route.abort("blockedbyclient")

    studio.route(re.compile(r"any-host"), refuse_and_record)
    path = tmp_path / "breaks.csv"
    path.write_bytes(line_break_csv())
    go_to(studio, "Catalog")
    upload_file(main(studio), "Upload a catalog (CSV)", path)
    expect(main(studio).get_by_text("breaks.csv is now your catalog", exact=False)).to_be_visible()
    studio.get_by_text("Columns: which column of the file holds what").click()  # the headers, kept as they are
    expect(main(studio).get_by_text("Kept as they are, under their own names", exact=False)).to_be_visible()

    go_to(studio, "Storefront preview")
    click_button(main(studio), "Preview storefront")
    go_to(studio, "Catalog")
    studio.get_by_role("tab", name=re.compile("Reconciliation")).click()
    expect(main(studio).get_by_text("In your catalog, never returned")).to_be_visible()

    expect_no_exception(studio)
    assert studio.locator("img[src*='any-host']").count() == 0
    assert not [u for u in studio.evaluate(DOM_FINDINGS_JS)["images"] if "any-host" in u]  # CSS backgrounds too
    assert studio.locator("a[href*='any-host']").count() == 0
    assert fetched == []  # no request of any kind (an <img>, a CSS background, a link) reached the host
    expect(main(studio).get_by_text(re.compile(r"products of 7734")).first).to_be_visible()  # one line, as text
