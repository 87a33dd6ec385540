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
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import SupportsInt
from urllib.parse import urlsplit

import altair as alt
import pandas as pd

from fashionai.api import redaction
from fashionai.catalog.model import stock_kind_of
from fashionai.config import ENV_IMAGE_HOSTS
from fashionai.domain import DEFAULT_CURRENCY
from fashionai.output.picture_fetch import FetchPolicy, fetch_pictures, fetchable
from fashionai.output.pictures import inline_picture
from fashionai.text.formatting import format_price, is_missing, one_line, stock_status

__all__ = ["KEY_HEADING", "MAX_CARDS", "SUMMARY_HEADING", "Card", "Handover", "Section", "card_picture", "cards_from_frame", "now", "scrub",
           "when_words", "with_fetched_pictures"]

KEY_HEADING = "Key to the chart above: each letter drawn in its points, and its product"
"""The heading of the section under a bump or drift chart: each letter on the chart and its product."""

SUMMARY_HEADING = "In short"
"""The heading of a handover's summary: the deck's second slide, the report's first section."""

MAX_CARDS = 20
"""The most product cards a section hands over (a storefront's first rows)."""


def scrub(text: object) -> str:
    """`text` on one line as a reader sees it (`redaction.normalise`: entities decoded, invisible characters
    dropped), with the app token (every form) and any e-mail address replaced by words."""
    if is_missing(text):
        return ""
    cleaned = redaction.redact(redaction.normalise(one_line(text)))
    return redaction.EMAIL.sub(redaction.PERSONAL_REPLACEMENT, cleaned)


@dataclass(frozen=True)
class Card:
    """One product as a card: its name, price and stock in words, its rank, and an inline picture (or None)."""

    name: str
    price: str = ""
    stock: str = ""
    rank: int | None = None
    image: str | None = None  # an inline PNG, JPEG or GIF (pictures.inline_picture), never an address
    note: str = ""  # how it moved, say ("up 3", "new in the top 10")
    address: str | None = field(default=None, repr=False)  # its picture's http(s) address, when not inline


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
    # By keyword only: a summary given by position once landed in `notes` (both came after `sections`).
    notes: tuple[str, ...] = field(default=(), kw_only=True)  # about the file itself (pictures left out, and why),
    # on the title slide
    summary: str = field(default="", kw_only=True)  # what it shows, its findings in one plain paragraph: the deck's
    # first slide after the title, the report's first paragraph

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


def _rank(value: SupportsInt | str | None) -> int | None:
    return None if value is None or is_missing(value) else int(value)


def cards_from_frame(frame: pd.DataFrame | None, *, currency: str = DEFAULT_CURRENCY,
                     notes: Iterable[str] | None = None,
                     limit: int = MAX_CARDS) -> tuple[Card, ...]:
    """Cards of a joined storefront frame (`catalog.join_ranking`'s columns, or `Comparison.products` rows with a
    product_id): its first `limit` rows, in order. A product the catalog lacks is named by its id."""
    if frame is None or frame.empty:
        return ()
    rows = frame.head(limit).to_dict("records")
    kind = stock_kind_of(frame)  # yes/no stock has no "low stock"
    notes_list: Sequence[str] = list(notes) if notes is not None else ()
    cards = []
    for number, row in enumerate(rows):
        pid = str(row.get("product_id", ""))
        known = row.get("in_catalog", True) is not False and not is_missing(row.get("name"))
        name = str(row["name"]) if known and str(row["name"]).strip() else f"Unknown product {pid}"
        stock = stock_status(row.get("stock"), kind) if row.get("in_catalog", True) is not False else "not in catalog"
        picture, address = card_picture(row.get("image_url"))
        cards.append(Card(name, format_price(row.get("price"), currency), stock,
                          _rank(row.get("rank", number + 1)), picture,
                          notes_list[number] if number < len(notes_list) else "", address))
    return tuple(cards)


_WEB = re.compile(r"^https?://", re.IGNORECASE)


def card_picture(image: object) -> tuple[str | None, str | None]:
    """A card's picture from an image value: (the inline picture, None) when it is one a handover holds
    (`pictures.inline_picture`), else (None, its http(s) address) when it is one, else (None, None)."""
    picture = inline_picture(image)
    if picture is None and isinstance(image, str) and _WEB.match(image.strip()):
        return None, image.strip()
    return picture, None


def with_fetched_pictures(handover: Handover, policy: FetchPolicy) -> Handover:
    """`handover` with its cards' pictures at an address fetched under `policy` (`picture_fetch`), in parallel;
    a note says which hosts' pictures were left out because the deployment does not allow them, and how many
    pictures of allowed hosts could not be used."""
    addresses = [card.address for section in handover.sections for card in section.cards
                 if card.image is None and card.address]
    if not addresses:
        return handover
    fetched = fetch_pictures(addresses, policy)
    sections = tuple(replace(section, cards=tuple(
        replace(card, image=fetched.get(card.address)) if card.image is None and card.address else card
        for card in section.cards)) for section in handover.sections)
    unique = list(dict.fromkeys(addresses))
    refused = sorted({_host(url) for url in unique if not fetchable(url, policy.hosts) and _host(url)})
    failed = [url for url in unique if fetchable(url, policy.hosts) and fetched.get(url) is None]
    notes = list(handover.notes)
    if refused:
        shown = ", ".join(refused[:5]) + (f" and {len(refused) - 5} more" if len(refused) > 5 else "")
        notes.append(f"Product pictures from {shown} were left out: this server fetches pictures only from the "
                     f"image hosts it allows. To put them in, allow {refused[0] if len(refused) == 1 else 'them'} "
                     f"with {ENV_IMAGE_HOSTS} (or image_hosts in .streamlit/secrets.toml).")
    if failed:
        notes.append(f"{len(failed)} product {'picture' if len(failed) == 1 else 'pictures'} could not be fetched "
                     "(not a picture, too big, too slow or not found) and show a box instead.")
    return replace(handover, sections=sections, notes=tuple(notes))


def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""
