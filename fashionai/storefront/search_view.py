"""What the Search page shows for one shopper: a page of Fashion.AI's site search joined with the catalog.

    preview = preview_search(client, catalog, session, "vestido azul", page=1)   # one search: a tracking event
    preview.products                     # join_ranking's frame: Fashion.AI's page, or the store's text match
    badges = search_badges(preview, previous, previous_at=at)   # arrows against this session's search before
    search_suggestions(catalog)          # what the query box offers: categories, brands, colours, names

An empty answer is explained, and the storefront's answer to it shown: the store's own text match
(`text_match`), every product of it (paged on screen). Client errors propagate unchanged, so the page can say what
happened and keep what it shows. No Streamlit here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

import pandas as pd

from fashionai.api.client import FashionAIClient
from fashionai.api.search import DEFAULT_SEARCH_LIMIT, SearchAnswer
from fashionai.catalog import Catalog, fold_str, join_ranking
from fashionai.measures.movement import movements
from fashionai.storefront.preview import Badges, search_from_snapshot, shown_products, unknown_stock
from fashionai.storefront.text_match import query_words, text_match
from fashionai.text.formatting import plural

if TYPE_CHECKING:  # only its attributes are read
    from fashionai.history.model import Snapshot

__all__ = [
    "MAX_SUGGESTIONS",
    "PERSONALIZED",
    "PREVIOUS_SEARCH",
    "SHOWN_SUGGESTIONS",
    "STORE_MATCH",
    "SearchPreview",
    "empty_words",
    "preview_search",
    "rejoin_search",
    "search_badges",
    "search_suggestions",
    "suggest",
]

PERSONALIZED = "Fashion.AI's search"
STORE_MATCH = "the store's own text match"
"""Where a results page's order comes from: Fashion.AI's answer, or, for an empty answer, the store's own search."""
PREVIOUS_SEARCH = "this session's previous search for the same query"
MAX_SUGGESTIONS = 2000
"""The most suggestions the query box offers (categories, brands and colours first, then names)."""
SUGGESTED_FIELDS = ("category", "brand", "color", "name")
SHOWN_SUGGESTIONS = 8
"""Suggestions shown under the query box at once."""


@dataclass(frozen=True)
class SearchPreview:
    """One page of a search as one shopper's session would see it."""

    session_id: str
    user_id: str | None
    query: str
    answer: SearchAnswer
    products: pd.DataFrame
    """join_ranking's frame of what is shown: Fashion.AI's page, or, when it found nothing, the store's text match."""
    store_match: tuple[str, ...]
    """The store's own text match for the query, every product (`text_match`)."""

    @property
    def page(self) -> int:
        return self.answer.page

    @property
    def limit(self) -> int:
        return self.answer.limit

    @property
    def fallback(self) -> bool:
        """Fashion.AI found nothing at all, so the page shows the store's own text match."""
        return self.answer.total_items == 0

    @property
    def past_the_end(self) -> bool:
        """An empty page after the last one (the query has results, on earlier pages)."""
        return self.answer.empty and self.answer.total_items > 0

    @property
    def source(self) -> str:
        return STORE_MATCH if self.fallback else PERSONALIZED

    @property
    def pages(self) -> int:
        """Fashion.AI's pages for the query, to move through one search at a time (1 when it found nothing)."""
        return max(self.answer.total_pages, 1)

    @property
    def unknown_ids(self) -> int:
        return int((~self.products["in_catalog"]).sum())

    @property
    def out_of_stock(self) -> int:
        return int((self.products["in_stock"] == False).sum())

    @property
    def unknown_stock(self) -> int:
        """Products shown that the catalog holds with unknown stock: those the setting decides."""
        return int(unknown_stock(self.products).sum())

    def shown(self, *, hide_out_of_stock: bool, unknown_in_stock: bool) -> pd.DataFrame:
        """The results on screen, as the storefront's (`shown_products`)."""
        return shown_products(self.products, hide_out_of_stock=hide_out_of_stock, unknown_in_stock=unknown_in_stock)

    def store_page(self) -> tuple[str, ...]:
        """The store's own text match, the same page as this one."""
        start = (self.page - 1) * self.limit
        return self.store_match[start:start + self.limit]


def _preview(session_id: str, user_id: str | None, answer: SearchAnswer, catalog: Catalog) -> SearchPreview:
    """The page of an answer, ranks counted from its first place; when Fashion.AI found nothing at all, the whole
    store's text match instead (paged on screen, no call)."""
    store = text_match(catalog, answer.query)
    first = (answer.page - 1) * answer.limit if answer.total_items else 0
    shown = list(answer.items) if answer.total_items else list(store)
    frame = join_ranking(catalog, shown)
    frame["rank"] = range(first + 1, first + 1 + len(shown))
    return SearchPreview(session_id, user_id, answer.query, answer, frame, store)


def preview_search(client: FashionAIClient, catalog: Catalog, session_id: str, query: str, *,
                   user_id: str | None = None, page: int = 1, limit: int = DEFAULT_SEARCH_LIMIT) -> SearchPreview:
    """Search `query` for the session (one call, a tracking event) and join the page with the catalog; ranks
    count from the page's first place (page 2 of 20 starts at 21)."""
    session, user = str(session_id or "").strip(), str(user_id or "").strip() or None
    answer = client.search(session, query, user_id=user, page=page, limit=limit)
    return _preview(session, user, answer, catalog)


def search_preview_from_snapshot(snapshot: Snapshot, catalog: Catalog) -> SearchPreview:
    """The page a saved site search showed (`search_from_snapshot`), joined with today's catalog: no call."""
    answer = search_from_snapshot(snapshot)
    return _preview(snapshot.session_id or "", snapshot.user_id, answer, catalog)


def rejoin_search(preview: SearchPreview, catalog: Catalog) -> SearchPreview:
    """The same answer joined with another catalog (no call); the store's text match is redone on it."""
    return _preview(preview.session_id, preview.user_id, preview.answer, catalog)


def search_badges(preview: SearchPreview, previous: tuple[str, ...] | None, *,
                  previous_at: datetime | None = None) -> Badges:
    """Each product's move against this session's `previous` search for the same query and page (its ids as
    shown then, at `previous_at`), or, on a first search, against the store's own text match (the same page)."""
    shown = [str(product_id) for product_id in preview.products["product_id"]]
    if previous is not None:
        when = f" ({previous_at:%H:%M:%S} UTC)" if previous_at is not None else ""
        return Badges(movements(shown, previous), PREVIOUS_SEARCH, f"Arrows compare with {PREVIOUS_SEARCH}{when}.")
    why = "the first search of this query (this page) for this session"
    return Badges(movements(shown, preview.store_page()), STORE_MATCH, f"Arrows compare with {STORE_MATCH}: {why}.")


def empty_words(preview: SearchPreview) -> str | None:
    """Why the page is empty or shows the store's match, in plain words (Markdown); None when Fashion.AI answered."""
    if preview.past_the_end:
        return (f"Page {preview.page} is past the last one: Fashion.AI found "
                f"{plural(preview.answer.total_items, 'product')} on {plural(preview.answer.total_pages, 'page')}. "
                "Go back to page 1.")
    if not preview.fallback:
        return None
    found = len(preview.store_match)
    words = ("**Fashion.AI's search found nothing for this query.** A query with no result is what shoppers "
             "leave the store after: ")
    if found:
        return words + (f"the store's own text match finds {plural(found, 'product')} (every word of the query in "
                        "a product's name, category, brand, colour or style), shown below instead. Check the query's "
                        "spelling, or whether Fashion.AI has the catalog these products are in.")
    return words + ("the store's own text match finds none either. Try other words (a category, a brand, a colour), "
                    "or check that the catalog holds such products.")


def search_suggestions(catalog: Catalog, limit: int = MAX_SUGGESTIONS) -> list[str]:
    """What the query box offers, at most `limit`: the catalog's categories, brands and colours, then its product
    names, each once (the first spelling met), in the catalog's order."""
    products = catalog.products
    seen: dict[str, str] = {}
    for field in SUGGESTED_FIELDS:
        if field not in products.columns:
            continue
        column = products[field] if field != "name" else products[field].head(limit)  # names: the first ones
        for value in column.dropna().astype("str").unique():
            text = " ".join(value.split())
            if text and text.casefold() not in seen:
                seen[text.casefold()] = text
                if len(seen) >= limit:
                    return list(seen.values())
    return list(seen.values())


def suggest(suggestions: list[str], typed: str, limit: int = SHOWN_SUGGESTIONS) -> list[str]:
    """The suggestions for what is typed, at most `limit`: with nothing typed, the first ones (categories, then
    brands); else those holding every word typed (case and accents ignored), those starting with it first; the
    very text typed is no suggestion."""
    words = query_words(typed)
    if not words:
        return suggestions[:limit]
    typed_text = " ".join(words)
    found = [(not fold_str(text).startswith(typed_text), number, text) for number, text in enumerate(suggestions)
             if all(word in fold_str(text) for word in words) and " ".join(query_words(text)) != typed_text]
    return [text for *_, text in sorted(found)[:limit]]
