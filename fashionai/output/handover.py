"""What a deck or a report hands over: a title, what was compared, when, against which backend and
catalog, a summary of its findings in one paragraph, then sections (a heading, plain sentences, a chart, a grid
of product cards).

    handover = Handover("Compare lanes: Dresses", "4 lanes of Dresses", made_at, "Built-in simulator",
                        "Sample catalog", (Section("How the top 10 reshuffles", ("...",), chart=bump),))
    deck.deck_bytes(handover)      # a PowerPoint file (fashionai.output.deck)
    report.report_html(handover)   # one self-contained HTML file (fashionai.output.report)

`scrub` is the one door every text goes through on its way into a file: the app token (in every form
`api.redaction` knows) and e-mail addresses never reach a deck or a report, whatever a catalog or an
answer held. No Streamlit here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import altair as alt
import pandas as pd

from fashionai.api import redaction
from fashionai.output.pictures import inline_picture
from fashionai.output.present import format_price, is_missing, one_line, stock_status

__all__ = ["MAX_CARDS", "SUMMARY_HEADING", "Card", "Handover", "Section", "cards_from_frame", "now", "scrub",
           "when_words"]

SUMMARY_HEADING = "In short"
"""The heading of a handover's summary: the deck's second slide, the report's first section."""

MAX_CARDS = 20
"""The most product cards a section hands over (a storefront's first rows)."""

_EMAIL = re.compile(r"[^\s@<>\"'(),;:]+@[^\s@<>\"'(),;:]+\.[^\s@<>\"'(),;:]+")


def scrub(text: Any) -> str:
    """`text` on one line, with the app token (every form) and any e-mail address replaced by words."""
    if is_missing(text):
        return ""
    cleaned = redaction.redact(one_line(text))
    return _EMAIL.sub(redaction.PERSONAL_REPLACEMENT, cleaned)


@dataclass(frozen=True)
class Card:
    """One product as a card: its name, price and stock in words, its rank, and an inline picture (or None)."""

    name: str
    price: str = ""
    stock: str = ""
    rank: int | None = None
    image: str | None = None  # an inline PNG, JPEG or GIF (pictures.inline_picture), never an address
    note: str = ""  # how it moved, say ("up 3", "new in the top 10")


@dataclass(frozen=True, eq=False)
class Section:
    """A part of the handover: a heading, its plain sentences, an optional chart and product cards."""

    heading: str
    readings: tuple[str, ...] = ()
    chart: alt.TopLevelMixin | None = field(default=None, repr=False)
    cards: tuple[Card, ...] = ()


@dataclass(frozen=True, eq=False)
class Handover:
    """Everything a deck or a report says: a title slide's facts, then the sections in order."""

    title: str
    subject: str  # what was compared, in words
    made_at: datetime  # UTC
    backend: str  # "Built-in simulator", "Live Fashion.AI API"
    catalog: str  # the catalog's name
    sections: tuple[Section, ...] = ()
    summary: str = ""  # what it shows, its findings in one plain paragraph: the deck's first slide after the title,
    # the report's first paragraph

    @property
    def facts(self) -> tuple[tuple[str, str], ...]:
        """The title slide's lines: (label, value), scrubbed."""
        return (("What was compared", scrub(self.subject)), ("When", when_words(self.made_at)),
                ("Backend", scrub(self.backend)), ("Catalog", scrub(self.catalog)))


def when_words(moment: datetime) -> str:
    """"29 Nov 2026, 18:25 UTC" (a naive time is taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return f"{moment.astimezone(UTC):%d %b %Y, %H:%M} UTC"


def now() -> datetime:
    return datetime.now(UTC)


def _rank(value: Any) -> int | None:
    return None if is_missing(value) else int(value)


def cards_from_frame(frame: pd.DataFrame | None, *, currency: str = "R$", notes: Iterable[str] | None = None,
                     limit: int = MAX_CARDS) -> tuple[Card, ...]:
    """Cards of a joined storefront frame (`catalog.join_ranking`'s columns, or `Comparison.products` rows with a
    product_id): its first `limit` rows, in order. A product the catalog lacks is named by its id."""
    if frame is None or frame.empty:
        return ()
    rows = frame.head(limit).to_dict("records")
    notes_list: Sequence[str] = list(notes) if notes is not None else ()
    cards = []
    for number, row in enumerate(rows):
        pid = str(row.get("product_id", ""))
        known = row.get("in_catalog", True) is not False and not is_missing(row.get("name"))
        name = str(row["name"]) if known and str(row["name"]).strip() else f"Unknown product {pid}"
        stock = stock_status(row.get("stock")) if row.get("in_catalog", True) is not False else "not in catalog"
        cards.append(Card(name, format_price(row.get("price"), currency), stock,
                          _rank(row.get("rank", number + 1)), inline_picture(row.get("image_url")),
                          notes_list[number] if number < len(notes_list) else ""))
    return tuple(cards)
