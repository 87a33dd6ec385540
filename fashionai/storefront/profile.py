"""A written shopper profile as a merchandiser reads it, and the shelves' products that match its looks.

    profile_sections(profile)            # Sections with English titles; the vendor's texts as sent (Portuguese)
    look_matches(profile, frame)         # {"0042": ["blazer de linho"], ...}: products named like a look item
    shelf_matches(profile, shelves)      # the same over several shelves, as one frame

Matching is by words: a product matches a look item when its name holds every word of the item,
ignoring case, accents, plural endings and short words such as "de", "com", "e", "with" or "the"
(`STOP_WORDS`). "blazer de linho" matches "Blazer Linho Off-White"; "calças" matches "Calça Reta".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from fashionai.api.profiles import ShopperProfile
from fashionai.text.formatting import is_missing

__all__ = ["STOP_WORDS", "Line", "Section", "item_words", "look_items", "look_matches", "name_words",
           "profile_sections", "shelf_matches"]

STOP_WORDS = frozenset({
    # Portuguese
    "a", "o", "as", "os", "um", "uma", "uns", "umas", "de", "da", "do", "das", "dos", "em", "na", "no", "nas", "nos",
    "com", "sem", "e", "ou", "para", "pra", "por", "pelo", "pela", "ao", "aos", "à", "às",
    # English
    "an", "the", "and", "or", "of", "with", "without", "in", "on", "for", "to", "by",
})
"""Words a look item's match ignores (compared without accents)."""

_WORD = re.compile(r"[0-9a-z]+")


def _fold(text: str) -> str:
    """Lowercase, without accents ("Calça" -> "calca")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_FOLDED_STOP_WORDS = frozenset(_fold(word) for word in STOP_WORDS)


def _stem(word: str) -> str:
    """A word without its plural ending, so "calcas" and "calca", "dresses" and "dress" read alike."""
    if len(word) > 4 and word.endswith("es") and word[:-2].endswith(("s", "x", "z", "ch", "sh")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def name_words(text: object) -> frozenset[str]:
    """The words of a product name (or any text) as matching compares them: folded, stemmed, stop
    words left out ("T-Shirt" keeps its "t", so it does not match any shirt). Empty for a missing value."""
    if is_missing(text):
        return frozenset()
    return frozenset(_stem(word) for word in _WORD.findall(_fold(str(text)))
                     if word not in _FOLDED_STOP_WORDS)


def item_words(item: str) -> frozenset[str]:
    """The words a product's name must all hold to match this look item (empty: it matches nothing)."""
    return name_words(item)


def look_items(profile: ShopperProfile) -> tuple[str, ...]:
    """Every item of every suggested look, as written, in the profile's order, each once."""
    seen: dict[str, None] = {}
    for occasion in profile.occasions:
        for item in occasion.look:
            if item.strip():
                seen.setdefault(item.strip(), None)
    return tuple(seen)


def look_matches(profile: ShopperProfile, products_frame: pd.DataFrame) -> dict[str, list[str]]:
    """The products of `products_frame` (columns product_id and name) whose name matches an item of a
    suggested look: product id -> the items it matches, as written. Products in the frame's order,
    each once; those matching nothing are left out."""
    items = [(item, words) for item in look_items(profile) if (words := item_words(item))]
    if not items or products_frame.empty or "name" not in products_frame.columns:
        return {}
    matches: dict[str, list[str]] = {}
    for product_id, name in zip(products_frame["product_id"], products_frame["name"], strict=True):
        words = name_words(name)
        if not words or is_missing(product_id):
            continue
        found = [item for item, needed in items if needed <= words]
        if found:
            held = matches.setdefault(str(product_id), [])
            held.extend(item for item in found if item not in held)
    return matches


SHELF_MATCH_COLUMNS = ["shelf", "product_id", "name", "look_items"]


def shelf_matches(profile: ShopperProfile, shelves: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """`look_matches` over each shelf (name -> frame with product_id and name): one row per shelf and
    matching product, `look_items` the items it matches joined by ", "."""
    rows: list[dict[str, str | None]] = []
    for shelf, frame in shelves.items():
        if frame is None:
            continue
        matches = look_matches(profile, frame)
        names = dict(zip(frame["product_id"].astype("str"), frame["name"], strict=True)) if matches else {}
        rows.extend({"shelf": shelf, "product_id": product_id, "name": names.get(product_id),
                     "look_items": ", ".join(items)} for product_id, items in matches.items())
    return pd.DataFrame(rows, columns=SHELF_MATCH_COLUMNS).astype({"shelf": "str", "product_id": "str"})


# --------------------------------------------------------------------------- sections in plain language


@dataclass(frozen=True)
class Line:
    """One thing a section says: an English `label`, or a label as the vendor wrote it (an occasion's
    name); a `text` and/or a list of `items`, in the vendor's words."""

    label: str
    text: str = ""
    items: tuple[str, ...] = ()


@dataclass(frozen=True)
class Section:
    """A part of the profile: an English `title`, what it is for (`about`), and its lines (none: the
    profile says nothing there)."""

    title: str
    about: str
    lines: tuple[Line, ...]


def _lines(*candidates: Line) -> tuple[Line, ...]:
    return tuple(line for line in candidates if line.text.strip() or line.items)


def _new_behaviour(value: bool | None) -> str:
    if value is None:
        return ""
    return ("Yes: this is new for this shopper, unlike their history" if value
            else "No: in line with their history")


def profile_sections(profile: ShopperProfile) -> tuple[Section, ...]:
    """The profile's sections in the order a merchandiser reads them: style, occasions (with their
    looks), the buying moment now, opportunities, the marketing briefing and content hooks."""
    moment, briefing = profile.buying_moment, profile.briefing
    return (
        Section("Style", "Who this shopper is, as Fashion.AI describes them.", _lines(
            Line("Style", profile.customer.style),
            Line("Description", profile.customer.description),
        )),
        Section("Occasions", "When this shopper dresses up, who they are then, and a suggested look for each.",
                tuple(Line(occasion.name.strip() or f"Occasion {number}", occasion.persona, occasion.look)
                      for number, occasion in enumerate(profile.occasions, start=1))),
        Section("Buying moment now", "What this shopper is doing in the store now.", _lines(
            Line("Summary", moment.summary),
            Line("Against their history", moment.relation_to_history),
            Line("New behaviour", _new_behaviour(moment.new_behaviour)),
            Line("Browsing", items=moment.browsing),
        )),
        Section("Opportunities", "What Fashion.AI suggests offering now.",
                _lines(Line("Opportunities", items=moment.opportunities))),
        Section("Marketing briefing", "How to speak to this shopper in campaigns.", _lines(
            Line("Tone of voice", items=briefing.tone_of_voice),
            Line("Visual direction", items=briefing.visual_direction),
            Line("Campaign guidance", items=briefing.campaign_guidance),
        )),
        Section("Content hooks", "Ideas for content this shopper would respond to.",
                _lines(Line("Content hooks", items=profile.content_hooks))),
    )
