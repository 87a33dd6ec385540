"""Product pictures: the image address template, and a card's picture whose values cannot leave their places."""

from __future__ import annotations

import base64
import html
import re
from html.parser import HTMLParser

import pandas as pd
import pytest

from fashionai.output.images import (
    CARD_PICTURE_CLASS,
    card_picture,
    check_image_template,
    css_url,
    template_image,
    with_image,
    with_template_images,
)
from fashionai.text.formatting import NOT_LOADED_IMAGE, PLACEHOLDER_IMAGE

TEMPLATE = "https://cdn.example.com/img/{product_id}.jpg"

# --------------------------------------------------------------------------- the template


@pytest.mark.parametrize("template", [TEMPLATE, "http://img.example/p?id={product_id}&size=2",
                                      "  https://cdn.example.com/{product_id}/{product_id}.png  "])
def test_usable_templates(template):
    assert check_image_template(template) is None


@pytest.mark.parametrize("template, words", [
    ("", "Type an address"),
    ("https://cdn.example.com/img/photo.jpg", "must contain {product_id}"),
    ("https://cdn.example.com/{product_id}/{size}.jpg", "no braces other than {product_id}"),
    ("https://cdn.example.com/{product_id}}.jpg", "no braces other than {product_id}"),
    ("https://cdn.example.com/{{product_id}.jpg", "no braces other than {product_id}"),
    ("ftp://cdn.example.com/{product_id}.jpg", "http:// or https://"),
    ("javascript:alert(1)//{product_id}", "http:// or https://"),
    ("/img/{product_id}.jpg", "http:// or https://"),
    ("https:///{product_id}.jpg", "name a server"),
    ('https://cdn.example.com/{product_id}.jpg" onerror="x', "spaces, quotes"),
    ("https://cdn.example.com/a b/{product_id}.jpg", "spaces, quotes"),
])
def test_templates_refused_in_plain_words(template, words):
    problem = check_image_template(template)
    assert problem is not None and words in problem


def test_the_product_id_is_percent_encoded_in_the_template():
    assert template_image(TEMPLATE, "ab 1") == "https://cdn.example.com/img/ab%201.jpg"
    assert template_image(TEMPLATE, "../x?y#z") == "https://cdn.example.com/img/..%2Fx%3Fy%23z.jpg"
    assert template_image(TEMPLATE, '"><script>') == "https://cdn.example.com/img/%22%3E%3Cscript%3E.jpg"
    assert template_image(TEMPLATE, "007") == "https://cdn.example.com/img/007.jpg"  # ids stay strings


def test_the_template_fills_only_catalog_rows_without_an_image():
    frame = pd.DataFrame({
        "product_id": pd.array(["a", "b", "c", "d", "e"], dtype="str"),
        "in_catalog": [True, True, True, False, True],
        "image_url": pd.array(["https://shop/a.png", None, "  ", None, "javascript:x"], dtype="str"),
    })
    filled = with_template_images(frame, TEMPLATE)
    expected = ["https://shop/a.png", "https://cdn.example.com/img/b.jpg", "https://cdn.example.com/img/c.jpg",
                None, "javascript:x"]  # d is not in the catalog; e has an image (made a placeholder when drawn)
    assert [None if pd.isna(v) else v for v in filled["image_url"]] == expected
    assert pd.isna(frame.at[1, "image_url"])  # not changed in place
    assert with_template_images(frame, None) is frame
    assert [None if pd.isna(v) else v for v in (with_image(row, TEMPLATE) for _, row in frame.iterrows())] == expected


def test_a_catalog_without_an_image_column_gets_the_templates_images():
    frame = pd.DataFrame({"product_id": pd.array(["x 1", "y"], dtype="str"), "name": ["X", "Y"]})
    filled = with_template_images(frame, TEMPLATE)
    assert filled["image_url"].tolist() == ["https://cdn.example.com/img/x%201.jpg", "https://cdn.example.com/img/y.jpg"]
    assert "image_url" not in frame.columns


# --------------------------------------------------------------------------- a card's picture


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def parsed(markup: str) -> tuple[str, dict[str, str | None]]:
    """The frame of a picture's `markup` (as a browser's parser sees it), its attributes decoded, with "layer"
    set to its one child's style: two elements, no text, nothing else."""
    parser = _Elements()
    parser.feed(markup)
    parser.close()
    assert len(parser.elements) == 2 and "".join(parser.text) == "", (parser.elements, parser.text)
    (tag, attrs), (inner, layer) = parser.elements
    assert inner == "div" and set(layer) == {"style"} and markup.endswith("></div></div>")
    return tag, attrs | {"layer": layer["style"]}


def css_urls(style: str) -> list[str]:
    """The url("...") values of a style, each a whole CSS string with no quote, backslash or line break in it."""
    return re.findall(r'url\("([^"\\\n\r]*)"\)', style)


def test_a_picture_draws_the_image_over_the_placeholder_with_the_name_as_its_label():
    tag, attrs = parsed(card_picture("https://shop.example/a.jpg", "Red dress"))
    assert tag == "div" and attrs["class"] == CARD_PICTURE_CLASS and attrs["role"] == "img"
    assert attrs["aria-label"] == "Red dress"
    assert "aspect-ratio: 5 / 6" in attrs["style"] and "content-visibility: auto" in attrs["style"]  # lazy
    assert css_urls(attrs["style"]) == []
    assert css_urls(attrs["layer"]) == ["https://shop.example/a.jpg", NOT_LOADED_IMAGE]
    assert "background-size: cover, contain" in attrs["layer"]


def test_without_an_image_the_picture_is_the_placeholder_alone_at_the_same_shape():
    for missing in (None, float("nan"), "", "javascript:alert(1)", "file:///etc/passwd"):
        _, attrs = parsed(card_picture(missing, "X"))
        assert css_urls(attrs["layer"]) == [PLACEHOLDER_IMAGE]
        assert "background-size: contain" in attrs["layer"] and "aspect-ratio: 5 / 6" in attrs["style"]


@pytest.mark.parametrize("hostile", [
    'https://evil.example/a.jpg") ; background:url(javascript:alert(1)); x:("',
    'https://evil.example/a.jpg"><script>alert(1)</script>',
    "https://evil.example/a.jpg'><img src=x onerror=alert(1)>",
    "https://evil.example/a\\\"b.jpg",
    "https://evil.example/a.jpg\n\n<script>alert(1)</script>",
    "https://evil.example/a(b)c.jpg?x=1&y=2;z",
    "https://evil.example/&quot;);background:red;x:(&quot;.jpg",
])
def test_a_hostile_image_address_cannot_leave_its_css_string_or_attribute(hostile):
    markup = card_picture(hostile, "name")
    _, attrs = parsed(markup)  # still one element, no other, no text
    assert set(attrs) == {"class", "role", "aria-label", "style", "layer"}
    style = attrs["layer"]
    urls = css_urls(style)
    assert len(urls) in (1, 2) and urls[-1] == (NOT_LOADED_IMAGE if len(urls) == 2 else PLACEHOLDER_IMAGE)
    # Nothing but the two layers: every quote and parenthesis of the address is inside a url("...").
    outside = re.sub(r'url\("[^"\\\n\r]*"\)', "URL", style)
    assert "javascript" not in outside and '"' not in outside and "(" not in outside.replace("URL", "")
    for url in urls[:-1]:
        assert url.startswith("https://evil.example/")
        assert not set(url) & set("\"'()\\ <>\n\r")


def test_a_hostile_name_stays_in_its_label():
    name = '"><script>alert(1)</script>\n\n**bold** <img src=x onerror=alert(1)>'
    markup = card_picture(None, name)
    assert "<script" not in markup and "<img" not in markup and "\n" not in markup
    _, attrs = parsed(markup)
    assert attrs["aria-label"] == '"><script>alert(1)</script> **bold** <img src=x onerror=alert(1)>'


def test_css_url_encodes_what_would_end_a_css_string():
    assert css_url('a"b\\c d(e)f\ng<h>') == 'url("a%22b%5Cc%20d%28e%29f%0Ag%3Ch%3E")'
    assert css_url("https://x/a.jpg?q=1&r=%20") == 'url("https://x/a.jpg?q=1&r=%20")'  # & and % escapes stay
    assert html.escape(css_url("https://x/?a=1&b=2")) == "url(&quot;https://x/?a=1&amp;b=2&quot;)"



def test_a_picture_with_an_address_that_does_not_load_says_so_not_no_image():
    """Issue 21, item 23: a card whose picture has an address but did not load said "no image"."""
    under = base64.b64decode(NOT_LOADED_IMAGE.split(",", 1)[1]).decode()
    assert "picture did not load" in under and "no image" not in under
    assert "no image" in base64.b64decode(PLACEHOLDER_IMAGE.split(",", 1)[1]).decode()
    _, attrs = parsed(card_picture("https://shop.example/a.jpg", "Red dress"))
    assert css_urls(attrs["layer"])[-1] == NOT_LOADED_IMAGE
