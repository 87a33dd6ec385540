"""How catalog values are shown: prices, stock badges, safe image addresses, ids.

Pure functions, no Streamlit. Catalog text is data, never markup: anything that
goes into a Markdown context passes through :func:`escape_markdown` first.
"""

from __future__ import annotations

import base64
import math
import re
import secrets
from typing import Literal, SupportsFloat

import pandas as pd

from fashionai.catalog.stock import StockState, stock_state
from fashionai.domain import DEFAULT_CURRENCY

_SAFE_IMAGE = re.compile(r"^(https?://[^\s\"'<>]+|data:image/(png|jpe?g|gif|webp|svg\+xml|avif)[;,][^\s\"'<>]*)$", re.I)
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$=&])")  # & too: "&lt;" must not show as "<"
LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
"""Every character Python's str.splitlines breaks a line at. Markdown ends a line at \\r as at
\\n, so a blank line made of any of them would end a code span or a paragraph, and what
follows it would be read as fresh Markdown (an image, a link, a heading)."""
_LINE_BREAK = re.compile(f"[{LINE_BREAKS}]+")
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
"""The bidirectional embeddings, overrides and isolates (U+202A-202E, U+2066-2069): text after one can read
backwards ("txt.exe" shown for "exe.txt")."""
_CONTROL = re.compile(f"[\x00-\x1f\x7f-\x9f{BIDI_CONTROLS}]")
"""A control character: C0 (NUL and the rest, U+0000-001F), DEL, C1 (U+0080-009F), a bidi control."""
_CONTROL_NAMES = {"\x00": "NUL", "\t": "a tab", "\n": "a line break", "\r": "a carriage return", "\x7f": "DEL",
                  "\u202a": "a left-to-right embedding", "\u202b": "a right-to-left embedding",
                  "\u202c": "a pop directional formatting", "\u202d": "a left-to-right override",
                  "\u202e": "a right-to-left override", "\u2066": "a left-to-right isolate",
                  "\u2067": "a right-to-left isolate", "\u2068": "a first strong isolate",
                  "\u2069": "a pop directional isolate"}



def _placeholder(words: str) -> str:
    """The card's placeholder picture (a garment's outline) with `words` under it, as a data: URI."""
    svg = ("<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 300 360'>"
           "<rect width='300' height='360' fill='#f3eef0'/>"
           "<path d='M120 120h60l-8 24h-44z M105 150h90v120h-90z' fill='#d9cdd2'/>"
           "<text x='150' y='310' font-family='sans-serif' font-size='20' fill='#8a7a80' "
           f"text-anchor='middle'>{words}</text></svg>")
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


PLACEHOLDER_IMAGE = _placeholder("no image")
"""What a product without a picture shows."""
NOT_LOADED_IMAGE = _placeholder("picture did not load")
"""What a product whose picture has an address shows under it: seen only when the picture does not load."""


def safe_image_url(value: object) -> str:
    """An image address the browser may load: http(s) or a data:image URI, else a placeholder.

    Anything else (a local path, javascript:, file:) is never passed on: Streamlit
    would read a local path from the server's disk.
    """
    if not isinstance(value, str):
        return PLACEHOLDER_IMAGE
    text = value.strip()
    if text.startswith("//"):
        text = "https:" + text
    return text if _SAFE_IMAGE.match(text) else PLACEHOLDER_IMAGE


def is_missing(value: object) -> bool:
    if value is None or value is pd.NA:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def format_price(value: SupportsFloat | str | None, currency: str = DEFAULT_CURRENCY) -> str:
    """``R$ 1.299,90`` for reais, ``$1,299.90`` style otherwise; an em dash when unknown."""
    if value is None or is_missing(value):
        return "—"
    try:
        amount = float(value)
    except (TypeError, ValueError):
        return "—"
    if math.isinf(amount):
        return "—"
    text = f"{amount:,.2f}"
    if currency == DEFAULT_CURRENCY:  # reais, written the Brazilian way
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
        return f"{DEFAULT_CURRENCY} {text}"
    return f"{currency}{text}" if len(currency) == 1 else f"{currency} {text}"


def plural(count: int, singular: str, plural_form: str | None = None, *, with_count: bool = True) -> str:
    """A count with its noun in agreement: ``1 step``, ``3 steps``, ``1,200 products``.

    ``plural_form`` for nouns not made with an -s (``plural(n, "is", "are")``); with
    ``with_count=False`` only the word (``f"{plural(n, 'lane')} {plural(n, 'is', 'are', with_count=False)} chosen"``).
    """
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count:,} {word}" if with_count else word


def column_title(column: object) -> str:
    """A table header from a column name: ``image_url`` -> ``Image url``, ``SKU`` stays ``SKU``."""
    text = " ".join(str(column).replace("_", " ").split())
    return text[:1].upper() + text[1:]


STOCK_STATUS_WORDS = {StockState.IN: "in stock", StockState.LOW: "low stock", StockState.OUT: "out of stock",
                      StockState.UNKNOWN: "stock unknown"}
"""Each state of the stock rule (`fashionai.catalog.stock`) as a card's badge says it."""


def stock_status(stock: object, kind: str = "quantity") -> str:
    """One of ``in stock``, ``low stock``, ``out of stock``, ``stock unknown``: the stock rule's state
    (`kind` is the catalog's `stock_kind`: yes/no stock has no low stock)."""
    return STOCK_STATUS_WORDS[stock_state(stock, kind)]


BadgeColor = Literal["red", "orange", "yellow", "blue", "green", "violet", "gray", "grey", "primary"]
"""The colours a badge on screen may take (Streamlit's st.badge)."""

STOCK_BADGE_COLOR: dict[str, BadgeColor] = {
    "in stock": "green",
    "low stock": "orange",
    "out of stock": "red",
    "stock unknown": "gray",
    "not in catalog": "violet",
}


def one_line(text: object) -> str:
    """`text` on one line: each run of line breaks (any of LINE_BREAKS, \\r too) becomes a space."""
    return _LINE_BREAK.sub(" ", str(text))


def control_characters(text: str) -> str:
    """The control characters in `text` (see `_CONTROL`) in words, "NUL (U+0000), a right-to-left override
    (U+202E)"; "" when it holds none. What a refusal of an id or a name says."""
    found = dict.fromkeys(_CONTROL.findall(str(text)))
    return ", ".join(f"{_CONTROL_NAMES.get(c, 'a control character')} (U+{ord(c):04X})" for c in found)


def visible(text: object) -> str:
    """`text` with every control character (C0, DEL, C1, bidi controls) written as <U+XXXX>: a name printed in a
    terminal or a log as it is, never reordered or cut by what it holds."""
    return _CONTROL.sub(lambda m: f"<U+{ord(m.group()):04X}>", str(text))


def escape_markdown(text: object) -> str:
    """Catalog text made inert for Markdown: on one line, every special character escaped."""
    if is_missing(text):
        return ""
    return _MD_SPECIAL.sub(r"\\\1", one_line(text))


def new_session_id(prefix: str = "studio-test") -> str:
    """A fresh, clearly synthetic shopper session id."""
    return f"{prefix}-{secrets.token_hex(4)}"


def code_span(text: object) -> str:
    """Catalog or user text as an inline code span in Markdown (backticks cannot break out)."""
    if is_missing(text):
        return ""
    return "`" + one_line(text).replace("`", "'") + "`"


STOCK_RULE_WORDS = {True: "unknown stock counts as in stock", False: "unknown stock counts as out of stock"}
"""The setting "Treat unknown stock as in stock", on (True) and off, in words."""


def unknown_stock_note(count: int, *, unknown_in_stock: bool, noun: str = "product", kept: str = "shown",
                       left_out: str = "hidden") -> str:
    """Where the setting decides a verdict: ``12 products with unknown stock are hidden: unknown stock counts as
    out of stock (change it in Settings).`` (`kept` with the setting on, `left_out` with it off)."""
    verb = plural(count, "is", "are", with_count=False)
    outcome = kept if unknown_in_stock else left_out
    return (f"{plural(count, noun)} with unknown stock {verb} {outcome}: {STOCK_RULE_WORDS[unknown_in_stock]} "
            "(change it in Settings).")


def duration_words(seconds: float) -> str:
    """A duration in plain words: "40 seconds", "3 minutes", "1 hour 20 minutes"."""
    seconds = max(0.0, float(seconds))
    if seconds < 90:
        whole = max(1, math.ceil(seconds))
        return f"{whole} second{'s' * (whole != 1)}"
    minutes = math.ceil(seconds / 60)
    if minutes < 60:
        return f"{minutes} minutes"
    hours, rest = divmod(minutes, 60)
    return f"{hours} hour{'s' * (hours != 1)}" + (f" {rest} minutes" if rest else "")


def ms_words(seconds: float) -> str:
    """A call's time in milliseconds as a person reads it: "140 ms", "1,204 ms"; "under 1 ms" rather than "0 ms"."""
    shown = f"{max(0.0, float(seconds)) * 1000:,.0f}"
    return "under 1 ms" if shown == "0" else f"{shown} ms"
