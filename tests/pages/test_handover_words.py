"""What a person reads, on every page and in every handout (deck and report of the compare, walk, journey and
audit pages), with an uploaded catalog in use: the catalog is named as the sidebar names it, no program
internals leak (`None`, `nan`, a tuple, an object's repr), and the handouts and the merchandiser's pages say each
call by what the shopper sees, never by the API's name.

The deck and the report are made when a download button is clicked, on a thread of the server with no script
run (Streamlit calls a download's data there): the builders are caught here and called the same way, outside
the script run, after it ended.
"""

from __future__ import annotations

import html.parser
import io
import re
from collections.abc import Callable

import pytest
from pptx import Presentation
from streamlit.testing.v1 import AppTest

from fashionai.audit import background
from fashionai.catalog.sample import SAMPLE_CATALOG_PATH
from fashionai.output.deck import deck_bytes
from fashionai.output.handover import Handover
from fashionai.output.report import report_html
from fashionai.ui import handover_widgets
from fashionai.ui.session import UPLOAD_NAME_KEY
from tests.apptest_helpers import button, open_page, texts
from tests.pages.audit_pages import small_plan

UPLOAD = "Loja Aurora.csv"

LEAKS = {
    "None": re.compile(r"\bNone\b(?! of)"),
    "nan": re.compile(r"\b(?:nan|NaN)\b"),
    "a tuple": re.compile(r"\('|, (?:True|False)\)"),
    "an object's repr": re.compile(r"<fashionai\.|\b[A-Z]\w*\(\w+="),
}


JARGON = re.compile(r"customShelf|productView|salesRanking|categoryView|shopTheLook|first answer|custom shelf|"
                    r"Product page:? \d")
"""The API's names (the request inspector's words only), and a product page named by its id."""


def jargon(text: str) -> list[str]:
    return [text[max(0, m.start() - 60):m.end() + 60] for m in JARGON.finditer(text)]


def leaks(text: str) -> list[str]:
    """Each leak found in `text`, with the words around it."""
    found = []
    for what, pattern in LEAKS.items():
        for match in pattern.finditer(text):
            found.append(f"{what}: …{text[max(0, match.start() - 60):match.end() + 60]}…")
    return found


def deck_text(data: bytes) -> str:
    deck = Presentation(io.BytesIO(data))
    return "\n".join(shape.text_frame.text for slide in deck.slides for shape in slide.shapes
                     if shape.has_text_frame)


class _Words(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.words: list[str] = []
        self._skip = False

    def handle_starttag(self, tag, attrs):
        self._skip = tag == "style"
        self.words += [value or "" for name, value in attrs if name == "alt"]

    def handle_endtag(self, tag):
        self._skip = False

    def handle_data(self, data):
        if not self._skip:
            self.words.append(data)


def report_text(page: str) -> str:
    parser = _Words()
    parser.feed(page)
    return "\n".join(parser.words)


@pytest.fixture
def builds(monkeypatch) -> dict[str, Callable[[], Handover]]:
    """Each page's handover builder, by its buttons' key, as the page handed it over (no button drawn)."""
    caught: dict[str, Callable[[], Handover]] = {}

    def catch(build, *, key, name="fashionai-handover"):
        caught[key] = build

    monkeypatch.setattr(handover_widgets, "handover_buttons", catch)
    return caught


def with_upload(app: AppTest) -> str:
    """The app with the bundled sample uploaded under another name as this session's catalog: its name."""
    app.run()
    app.file_uploader(key="catalog_upload").set_value((UPLOAD, SAMPLE_CATALOG_PATH.read_bytes(), "text/csv")).run()
    assert not app.exception
    name = app.session_state[UPLOAD_NAME_KEY]
    assert name and "sample" not in name.lower()
    return name


def prose(app: AppTest) -> str:
    """Every text of the page but its code blocks (the request inspector's requests and curl commands)."""
    return "\n".join(texts([element]) for node in (app.main, app.sidebar) for element in node
                     if element.type != "code")


def page_words_are_plain(app: AppTest, page: str, *, merchandiser: bool = False) -> None:
    """No leak on `page`; on a merchandiser's page (every page but its code blocks), no API name in its prose."""
    assert not app.exception, (page, app.exception)
    assert leaks(texts(app)) == [], page
    if merchandiser:
        assert jargon(prose(app)) == [], page


def handout_is_plain(build: Callable[[], Handover], catalog: str) -> Handover:
    """The handover built outside the script run, as a click does: it names `catalog`; its deck and its
    report leak nothing."""
    handover = build()
    assert dict(handover.facts)["Catalog"] == catalog
    for words in (deck_text(deck_bytes(handover)), report_text(report_html(handover))):
        assert f"Catalog: {catalog}" in words or f"Catalog\n{catalog}" in words
        assert leaks(words) == []
        assert jargon(words) == []
    return handover


def test_the_leak_patterns_catch_what_they_are_for():
    assert leaks("Catalog: ('Myntra sample with images', True)")
    assert leaks("with its catalog (('bundled sample catalog', False))")
    assert leaks("price None") and leaks("stock nan") and leaks("<fashionai.walk.steps.Walk object at 0x1>")
    assert leaks("Catalog(products=...)")
    assert leaks("None of the products is out of stock; Dresses (12 products)") == []


def test_pages_and_handouts_name_the_uploaded_catalog_and_leak_nothing(app, builds):
    name = with_upload(app)

    open_page(app, "pages/walk.py")
    button(app, "Open the home page").click().run()
    category = app.selectbox(key="walk_pick_category").options[0]
    app.selectbox(key="walk_pick_category").set_value(category).run()
    button(app, "Open category").click().run()
    [b for b in app.button if b.label == "Open"][0].click().run()
    page_words_are_plain(app, "walk", merchandiser=True)

    open_page(app, "pages/compare.py")
    button(app, "Compare lanes").click().run()
    page_words_are_plain(app, "compare", merchandiser=True)

    open_page(app, "pages/journey.py")
    (steps,) = [frame.value for frame in app.dataframe if "event_type" in frame.value.columns]  # the editor
    products = steps["event_type"].isin(["productView", "shopTheLook"])
    assert products.any() and steps.loc[products, "name"].str.len().gt(0).all()  # a name beside each product id
    button(app, "Run journey").click().run()
    page_words_are_plain(app, "journey", merchandiser=True)

    open_page(app, "pages/audit.py")
    small_plan(app, personas=2, categories=("Dresses",))
    button(app, "Start the audit").click().run()
    assert not app.exception, app.exception
    assert background.wait(app.session_state["audit_run"], timeout=60)
    app.run()
    page_words_are_plain(app, "audit", merchandiser=True)

    for page in ("pages/storefront.py", "pages/shop_the_look.py", "pages/catalog.py", "pages/history.py",
                 "pages/settings.py"):
        open_page(app, page)
        page_words_are_plain(app, page, merchandiser=True)

    assert set(builds) == {"walk_handover", "compare_handover", "journey_handover", "audit_handover"}
    for key in ("walk_handover", "compare_handover", "journey_handover", "audit_handover"):
        handout_is_plain(builds[key], name)
