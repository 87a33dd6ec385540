"""A hostile catalog: product text that is markup, image addresses that are not images.

Shared by the AppTest check (tests/test_hostile_content.py) and the browser check
(tests/browser/test_hostile_content.py). Every hostile text is wrapped in MARKER on both
sides, so a check can find each piece of catalog text wherever the app put it (MARKER is
digits: it survives the title-casing personas give a style name).
"""

from __future__ import annotations

import csv
import io
import re

MARKER = "7734"

PAYLOADS = (
    "<script>alert('xss-script')</script>",
    '<img src=x onerror="alert(\'xss-img\')">',
    "**bold** and _italic_",
    "[link](javascript:alert('xss-link'))",
    "![img](http://evil.example/track.png)",
    ":red[x] :material/warning: :red-badge[y]",
    "$math$ and $$x^2$$",
    "`tick` and ``double``",
    "<b>html</b> &amp; <a href='https://evil.example'>a</a>",
    "# heading | pipe | ~~strike~~",
)
"""Markup a name, a category, a brand or a style may hold; each must show as plain text."""

IMAGE_URLS = (
    "javascript:alert('xss-image')",
    "JaVaScRiPt:alert('xss-image')",
    "file:///etc/passwd",
    "/etc/passwd",
    "data:text/html,<script>alert('xss-data')</script>",
    "//evil.example/x.png",
    "https://ok.example/a.png\" onerror=\"alert('xss-attr')",
    "vbscript:msgbox(1)",
)
"""Image addresses that must never reach the browser as they are (//host is taken as https)."""

ALLOWED_IMAGE = re.compile(r"^(https?://|data:image/)", re.I)

ROWS_PER_CATEGORY = 8
HOSTILE_ID = f"{MARKER}<i>id</i>{MARKER}"
"""A product id that is markup too: ids are shown in captions."""


def wrap(text: str) -> str:
    return f"{MARKER}{text}{MARKER}"


def hostile_csv() -> bytes:
    """A small catalog (3 categories of 8 products) whose every text column is hostile."""
    categories = [wrap(PAYLOADS[0]), wrap(PAYLOADS[3]), wrap(PAYLOADS[5])]
    styles = [wrap(PAYLOADS[1]), wrap(PAYLOADS[4])]
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerow(["product_id", "name", "category", "color", "style", "brand", "price", "stock", "image_url"])
    number = 0
    for category in categories:
        for row in range(ROWS_PER_CATEGORY):
            number += 1
            product_id = HOSTILE_ID if number == 1 else f"H{number:03d}"
            writer.writerow([
                product_id,
                wrap(PAYLOADS[number % len(PAYLOADS)]),
                category,
                wrap(PAYLOADS[(number + 3) % len(PAYLOADS)]),
                styles[row % len(styles)],
                wrap(PAYLOADS[(number + 6) % len(PAYLOADS)]),
                f"{10 + number}.90",
                row % 4 * 3,  # 0, 3, 6, 9: out of stock, low, in stock
                IMAGE_URLS[number % len(IMAGE_URLS)],
            ])
    return buffer.getvalue().encode()


MARKDOWN_SPECIAL = set("\\`*_{}[]()#+-.!|<>~:$=&")
"""Characters that can make Markdown (or HTML) out of text, each escaped by fashionai.text.formatting."""

_MARKED = re.compile(re.escape(MARKER) + r"(.*?)" + re.escape(MARKER), re.S)
_ESCAPED_STAND_IN = "\0"


def _outside_code(markdown: str) -> str:
    """The Markdown with code spans left out and every backslash-escaped character made neutral.

    As CommonMark reads it: an escaped backtick opens no code span; a run of backticks
    opens one that the next run of the same length closes.
    """
    out, i = [], 0
    while i < len(markdown):
        char = markdown[i]
        if char == "\\" and i + 1 < len(markdown):
            out.append(_ESCAPED_STAND_IN)
            i += 2
        elif char == "`":
            run = len(markdown[i:]) - len(markdown[i:].lstrip("`"))
            close = re.compile(r"(?<!`)" + "`" * run + r"(?!`)").search(markdown, i + run)
            if close is None:  # no closing run: the backticks are text
                out.append(markdown[i:i + run])
                i += run
                continue
            content = markdown[i + run:close.start()]
            pairs = content.count(MARKER)
            # Catalog text wholly inside a code span is inert: leave the span out. A span that
            # catalog text's own backticks made stays (as backticks), so that text is flagged.
            out.append("" if pairs and pairs % 2 == 0 else "`" + content + "`")
            i = close.end()
        else:
            out.append(char)
            i += 1
    return "".join(out)


def unsafe_pieces(markdown: str) -> list[str]:
    """Catalog text (between markers) in a Markdown string that is not inert.

    Inert means inside a code span, or with every character that could make markup
    escaped with a backslash. Returns the offending pieces, [] when the string is safe.
    """
    return [piece for piece in _MARKED.findall(_outside_code(markdown)) if MARKDOWN_SPECIAL & set(piece)]


# Line breaks that hide an image and a link in the catalog page's headers and categories.

PIXEL = "![p](http://any-host/pixel.png)"
LINK = "[click](http://any-host/go)"
BREAKS = ["\r\r", "\r\n\r\n", "\n\n", "\x0b\x0b", "\x0c\x0c", "\x1c\x1d\x1e", "\x85\x85", "\u2028\u2029"]


def line_break_csv() -> bytes:
    """A catalog whose extra column headers and categories hide an image and a link behind blank lines."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerow(["product_id", "name", "category", "stock", "price",
                     *(f"{MARKER}{brk}{PIXEL}{brk}{LINK}" for brk in BREAKS)])
    for row in range(len(BREAKS) * 2):
        brk = BREAKS[row % len(BREAKS)]
        writer.writerow([f"P{row}", f"product {row}", f"{MARKER}{brk}{PIXEL}", row, "10.00", *(["x"] * len(BREAKS))])
    return buffer.getvalue().encode()
