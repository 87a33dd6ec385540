"""Catalog text is data, never markup: a hostile catalog renders as plain text on every page.

The catalog of tests/hostile.py has names, categories, brands, colours, styles and an id
that are HTML, Markdown, Streamlit directives and LaTeX, and image addresses that are
scripts, local files and HTML. Every page is driven through its main flow, then every
element the app drew is searched:

- every string Streamlit renders as Markdown (bodies, labels, help, tab and expander
  titles, metric values, progress text) holds catalog text only escaped or in a code span,
  except a product card's picture, the one HTML the app writes: it must be exactly one
  element of the card picture's shape (`card_picture_problems`), catalog text only in its
  attributes, escaped;
- every image (card pictures' CSS layers too), and every cell of a dataframe's image
  column, is http(s) or data:image/.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from html.parser import HTMLParser

import pytest
from google.protobuf.message import Message

from fashionai.output.images import CARD_PICTURE_CLASS
from fashionai.text.formatting import PLACEHOLDER_IMAGE, escape_markdown, safe_image_url
from fashionai.ui.navigation import PAGE_SPECS
from tests.apptest_helpers import button, texts
from tests.hostile import (
    ALLOWED_IMAGE,
    HOSTILE_ID,
    IMAGE_URLS,
    MARKER,
    PAYLOADS,
    PIXEL,
    hostile_csv,
    line_break_csv,
    unsafe_pieces,
    wrap,
)
from tests.pages.app_contents import nodes

PLAIN_TEXT = {("Text", "body"), ("Code", "code_text"), ("Json", "body")}
"""(proto, field) pairs Streamlit shows exactly as given, never as Markdown."""
MARKDOWN_FIELDS = {"body", "label", "help", "text", "caption", "captions", "delta", "description"}
MARKDOWN_OPTIONS = {"Radio", "ButtonGroup"}
"""Widgets whose options are Markdown too (a selectbox's and a multiselect's are plain text)."""


# --------------------------------------------------------------------------- walking what was drawn


def proto_strings(message: Message, path: str = "") -> Iterator[tuple[str, str]]:
    """Every (field path, string) in a protobuf message, nested messages included."""
    for field, value in message.ListFields():
        values = value if field.is_repeated else [value]
        if field.type == field.TYPE_MESSAGE:
            for item in values:
                yield from proto_strings(item, f"{path}.{field.name}")
        elif field.type == field.TYPE_STRING:
            for item in values:
                yield f"{path}.{field.name}", item


CSS_URL = re.compile(r'url\("([^"\\\n\r]*)"\)')
"""A url("...") of a card picture's style: a whole CSS string, no quote, backslash or line break inside."""


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict]] = []
        self.text = ""

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text += data

    def handle_comment(self, data):
        self.found.append(("!--", {}))


def is_card_picture(proto, text: str) -> bool:
    return type(proto).__name__ == "Markdown" and text.startswith(f'<div class="{CARD_PICTURE_CLASS}"')


def card_picture_problems(text: str) -> list[str]:
    """What is wrong with a card picture's HTML, as a browser parses it: it must be an empty frame (a div with a
    class, role="img", a label and a style) holding one empty div with a style only, the styles made of
    url("...") layers and fixed declarations only."""
    parser = _Elements()
    parser.feed(text)
    parser.close()
    if len(parser.found) != 2 or parser.text or "\n" in text or "\r" in text or not text.endswith("></div></div>"):
        return [f"not a frame and its layer: {parser.found!r} {parser.text!r}"]
    (tag, attrs), (inner, layer) = parser.found
    problems = [] if tag == inner == "div" and set(attrs) == {"class", "role", "aria-label", "style"} and set(
        layer) == {"style"} else [f"{tag} {attrs} {inner} {layer}"]
    if attrs.get("class") != CARD_PICTURE_CLASS or attrs.get("role") != "img":
        problems.append(f"class or role: {attrs}")
    for style in (attrs.get("style") or "", layer.get("style") or ""):
        outside = CSS_URL.sub("URL", style)
        if re.search(r"[\"'()\\<>]", outside.replace("URL", "")):
            problems.append(f"a value left its url(): {outside[:120]}")
        problems += [f"image {url[:60]}" for url in CSS_URL.findall(style) if not ALLOWED_IMAGE.match(url)]
    return problems


def markdown_strings(at) -> list[tuple[str, str]]:
    """(where, text) of every string the browser would render as Markdown; not a card's picture (checked by
    `card_picture_problems`)."""
    found = []
    for node in nodes(at._tree):
        proto = getattr(node, "proto", None)
        if not isinstance(proto, Message):
            continue
        kind = type(proto).__name__
        for path, text in proto_strings(proto):
            name = path.rsplit(".", 1)[-1]
            if (kind, name) in PLAIN_TEXT or is_card_picture(proto, text):
                continue
            if name in MARKDOWN_FIELDS or (name == "options" and kind in MARKDOWN_OPTIONS):
                found.append((f"{kind}{path}", text))
    return found


def card_pictures(at) -> list[str]:
    """The HTML of every product card's picture drawn."""
    return [text for node in nodes(at._tree) if isinstance(proto := getattr(node, "proto", None), Message)
            for _, text in proto_strings(proto) if is_card_picture(proto, text)]


def image_urls(at) -> list[str]:
    """Every address the browser would load as an image: st.image, card pictures' layers and dataframe image
    columns."""
    urls = [url for picture in card_pictures(at) for url in CSS_URL.findall(picture)]
    for node in nodes(at._tree):
        proto = getattr(node, "proto", None)
        kind = type(proto).__name__
        if kind == "ImageList":
            urls += [image.url for image in proto.imgs]
        elif kind in ("Dataframe", "Arrow") and getattr(proto, "columns", ""):
            config = json.loads(proto.columns)
            frame = node.value
            for column, settings in config.items():
                if (settings.get("type_config") or {}).get("type") == "image" and column in frame.columns:
                    urls += [url for url in frame[column].tolist() if isinstance(url, str)]
    return urls


def chart_specs(at) -> list[str]:
    specs = []
    for node in nodes(at._tree):
        proto = getattr(node, "proto", None)
        if type(proto).__name__ in ("ArrowVegaLiteChart", "VegaLiteChart"):
            specs.append(proto.spec)
    return specs


def assert_catalog_text_is_inert(at, *, expect_catalog_text: bool = True) -> None:
    assert not at.exception, [e.value for e in at.exception]
    strings = markdown_strings(at)
    unsafe = [(where, pieces) for where, text in strings if (pieces := unsafe_pieces(text))]
    assert unsafe == []
    if expect_catalog_text:  # the check saw catalog text, so it means something
        assert any(MARKER in text for _, text in strings)
    pictures = card_pictures(at)
    assert [(picture[:200], problems) for picture in pictures if (problems := card_picture_problems(picture))] == []
    if expect_catalog_text and pictures:  # the pictures' labels are catalog text, escaped
        assert any(MARKER in picture for picture in pictures)
    bad_images = [url[:80] for url in image_urls(at) if not ALLOWED_IMAGE.match(url)]
    assert bad_images == []
    for spec in chart_specs(at):  # a chart draws text, never links or pictures from the catalog
        assert '"href"' not in spec and '"image"' not in spec


# --------------------------------------------------------------------------- the pieces


def test_the_check_finds_raw_markup_and_accepts_escaped_or_code_text():
    assert unsafe_pieces(f"**{wrap('<b>x</b>')}**") == ["<b>x</b>"]
    assert unsafe_pieces(f"see {wrap('[a](javascript:x)')}") == ["[a](javascript:x)"]
    for payload in PAYLOADS:
        assert unsafe_pieces(escape_markdown(wrap(payload))) == []
        assert unsafe_pieces(f"id `{wrap(payload).replace('`', chr(39))}`") == []
        assert unsafe_pieces(wrap(payload)) != []


def test_the_picture_check_catches_a_value_that_left_its_place():
    from fashionai.output.images import card_picture

    head = f'<div class="{CARD_PICTURE_CLASS}" role="img" aria-label="x" style="'
    assert card_picture_problems(card_picture("https://ok.example/a.png", "x")) == []
    layer = '"><div style="background-image: url(&quot;https://a/&quot;)'
    assert card_picture_problems(head + layer + '"></div></div>') == []
    assert card_picture_problems(head + layer + '; background: url(javascript:alert(1))"></div></div>')
    assert card_picture_problems(head + '"><div style="background-image: url(&quot;javascript:x&quot;)"></div></div>')
    assert card_picture_problems(head + layer + '"></div></div><script>alert(1)</script></div></div>')
    assert card_picture_problems(head + '"><div onclick="a()" style=""></div></div>')
    assert card_picture_problems(head + '"></div>')


def test_hostile_image_addresses_become_the_placeholder_or_https():
    expected = dict.fromkeys(IMAGE_URLS, PLACEHOLDER_IMAGE) | {"//evil.example/x.png": "https://evil.example/x.png"}
    for url in IMAGE_URLS:
        safe = safe_image_url(url)
        assert ALLOWED_IMAGE.match(safe)
        assert safe == expected[url], url


# --------------------------------------------------------------------------- every page


@pytest.fixture
def hostile(app):
    """The app with the hostile catalog uploaded in the sidebar."""
    app.run()
    app.file_uploader(key="catalog_upload").set_value(("evil.csv", hostile_csv(), "text/csv")).run()
    assert "evil\\.csv: 24 products" in texts(app.sidebar)
    assert_catalog_text_is_inert(app, expect_catalog_text=False)  # only in widgets' options so far
    return app


def storefront(at) -> None:
    button(at, "Preview storefront").click().run()  # an empty answer: the catalog's own order
    assert_catalog_text_is_inert(at)
    button(at, "Preview storefront").click().run()  # personalized
    assert "order: Fashion.AI" in texts(at)


def shop_the_look(at) -> None:
    at.switch_page("pages/shop_the_look.py").run()
    at.text_input(key="look_query").set_value(MARKER).run()
    assert_catalog_text_is_inert(at, expect_catalog_text=False)
    at.selectbox(key="look_product").set_value(HOSTILE_ID).run()
    button(at, "Shop the look").click().run()
    assert at.session_state["look_preview"].product_id == HOSTILE_ID


def compare(at) -> None:
    at.switch_page("pages/compare.py").run()
    assert_catalog_text_is_inert(at, expect_catalog_text=False)
    lanes = at.multiselect(key="compare_lanes").value
    assert any(lane.startswith("Persona: ") and MARKER in lane for lane in lanes)  # named from a hostile style
    button(at, "Compare lanes").click().run()
    assert at.session_state["compare_result"] is not None


def journey(at) -> None:
    at.switch_page("pages/journey.py").run()
    assert_catalog_text_is_inert(at)
    button(at, "Run journey").click().run()
    assert at.session_state["journey_run"] is not None


def history(at) -> None:
    button(at, "Preview storefront").click().run()
    button(at, "Preview storefront").click().run()
    at.switch_page("pages/shop_the_look.py").run()
    button(at, "Shop the look").click().run()
    at.switch_page("pages/history.py").run()
    assert_catalog_text_is_inert(at, expect_catalog_text=False)
    choice = at.multiselect(key="history_selected")
    ids = choice.options
    assert len(ids) == 3
    for index in range(3):  # each snapshot alone: a storefront, a storefront, a look
        at.multiselect(key="history_selected").set_value([at.multiselect(key="history_selected").options[index]
                                                           ]).run()
        assert_catalog_text_is_inert(at)
    at.multiselect(key="history_selected").set_value(at.multiselect(key="history_selected").options[:2]).run()
    assert "Two snapshots compared" in texts(at)


def search(at) -> None:
    at.switch_page("pages/search.py").run()
    at.text_input(key="search_query").input(MARKER)
    button(at, "Search").click().run()
    assert at.session_state["search_preview"].query == MARKER
    labels = at.get("button_group")[0].options  # the suggestions: catalog names, drawn as Markdown by st.pills
    assert labels and all(MARKER in label for label in labels)
    assert [label for label in labels if live_markup(label)] == []
    button(at, "Compare").click().run()
    assert at.session_state["search_same_query"] is not None
    button(at, "Ask the WhatsApp search").click().run()
    assert at.session_state["search_whatsapp"] is not None


def walk(at) -> None:
    """Into a hostile category, then a product page: its "← back to" button is labelled with the category."""
    at.switch_page("pages/walk.py").run()
    picker = at.selectbox(key="walk_pick_category")
    picker.set_value(next(option for option in picker.options if MARKER in option)).run()
    button(at, "Open category").click().run()
    assert_catalog_text_is_inert(at)
    [b for b in at.button if b.label == "Open"][0].click().run()
    assert any(b.label.startswith("← back to") and MARKER in b.label for b in at.button)


def settings(at) -> None:
    at.switch_page("pages/settings.py").run()
    button(at, "Check the connection").click().run()
    assert "Connected" in texts(at)


FLOWS: dict[str, Callable] = {
    "pages/storefront.py": storefront,
    "pages/shop_the_look.py": shop_the_look,
    "pages/compare.py": compare,
    "pages/journey.py": journey,
    "pages/history.py": history,
    "pages/search.py": search,
    "pages/settings.py": settings,
    "pages/walk.py": walk,
}


def navigation_pages() -> list[str]:
    """Every page the frame lists (fashionai/ui/navigation.py): a page added later is opened with the hostile catalog
    too."""
    return [spec.path for spec in PAGE_SPECS]


def test_every_listed_page_has_a_flow_or_is_opened():
    assert len(navigation_pages()) == 12  # never none: the hostile catalog is tried on every page
    assert set(FLOWS) <= set(navigation_pages())


@pytest.mark.parametrize("page", navigation_pages())
def test_catalog_text_renders_as_text_on_every_page(hostile, page):
    flow = FLOWS.get(page)
    if flow is None:  # a page without a flow of its own here: open it
        hostile.switch_page(page).run()
        assert_catalog_text_is_inert(hostile, expect_catalog_text=False)
        return
    flow(hostile)
    assert_catalog_text_is_inert(hostile, expect_catalog_text=page != "pages/settings.py")


def test_the_page_check_catches_a_page_that_renders_catalog_text_raw(hostile, monkeypatch):
    """The check above is not vacuous: with escaping switched off, the storefront fails it."""
    import fashionai.text.formatting
    from fashionai.ui import cards, catalog_widgets, errors, links, page_context

    monkeypatch.setattr(fashionai.text.formatting, "escape_markdown", str)
    for module in (cards, catalog_widgets, errors, links, page_context):  # the ui modules that escape
        monkeypatch.setattr(module, "escape_markdown", str)
    with pytest.raises(AssertionError, match=r"Heading.body"):  # the category as the page's subheader
        storefront(hostile)


# --------------------------------------------------------------------------- line breaks on the catalog page

def live_markup(text: str) -> list[str]:
    """Images and links the Markdown `text` would draw: CommonMark ends lines at \\r too, so the
    text is cut into its paragraphs and inline code, and escapes, taken out before looking."""
    found = []
    for paragraph in re.split(r"(?:\r\n|\r|\n)[ \t]*(?:\r\n|\r|\n)", text):
        plain = re.sub(r"`[^`]*`", "", re.sub(r"\\.", "", paragraph, flags=re.S))  # code spans end at a blank line
        found += re.findall(r"!?\[[^\]]*\]\([^)]*\)", plain)
    return found


def test_the_markup_check_sees_an_image_after_a_blank_line_of_carriage_returns():
    assert live_markup(f"`{MARKER}\r\r{PIXEL}`") == [PIXEL]  # the code span ends at the blank line
    assert live_markup(f"`{MARKER} {PIXEL}`") == [] and live_markup(escape_markdown(PIXEL)) == []


def test_line_breaks_in_headers_and_categories_never_become_markdown_on_the_catalog_page(app):
    app.run()
    app.switch_page("pages/catalog.py").run()
    app.file_uploader(key="catalog_page_upload").set_value(("breaks.csv", line_break_csv(), "text/csv")).run()
    assert not app.exception, [e.value for e in app.exception]
    assert "breaks\\.csv is now your catalog" in texts(app)
    app.switch_page("pages/storefront.py").run()
    button(app, "Preview storefront").click().run()  # an answer about a hostile category, to reconcile
    app.switch_page("pages/catalog.py").run()
    assert not app.exception, [e.value for e in app.exception]
    assert app.selectbox(key="catalog_reconcile_category").value.startswith(MARKER)

    strings = markdown_strings(app)
    drawn = " ".join(text for _, text in strings)
    assert "Kept as they are, under their own names" in drawn and "products of `7734" in drawn
    assert sum(MARKER in text and "pixel" in text for _, text in strings) >= 2  # headers and a category
    assert [(where, found) for where, text in strings if (found := live_markup(text))] == []
    assert not any("\r" in text or "\x0b" in text or "\u2028" in text for _, text in strings)
    assert all(ALLOWED_IMAGE.match(url) and "any-host" not in url for url in image_urls(app))
