"""What a shopper would see: one Fashion.AI answer joined with the store's catalog.

Each preview function here makes exactly one recommendation call (one tracking event)
and returns a frozen result the pages render; the `rejoin_` functions join an answer
already received with another catalog, and the `_from_snapshot` functions rebuild a
preview from a saved answer (`fashionai.history`), both without a call. All of them build
the preview the same way (`_storefront`, `_look`): an empty storefront answer shows the
catalog's own order. Client errors propagate unchanged so the page can say what happened
while keeping what it already shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

import pandas as pd

from fashionai.api.client import FashionAIClient
from fashionai.api.endpoints import sends_body
from fashionai.api.models import Recommendation, RequestRecord, event_body
from fashionai.api.search import SearchAnswer, search_body
from fashionai.catalog import Catalog, join_ranking
from fashionai.catalog.stock import sellable as sellable  # the stock rule's verdict, re-exported for the pages
from fashionai.domain import EventType
from fashionai.measures.movement import Move, movements

if TYPE_CHECKING:  # only its attributes are read: the history's package re-exports these replays
    from fashionai.history.model import Snapshot

NATIVE_ORDER = "native order"
PERSONALIZED = "Fashion.AI"


# --------------------------------------------------------------------------- stock (the rule: catalog/stock.py)


def unknown_stock(products: pd.DataFrame) -> pd.Series:
    """Products of a join_ranking frame that the catalog holds without a known stock: those the setting decides."""
    return products["in_catalog"].astype(bool) & products["in_stock"].isna()


def shown_products(products: pd.DataFrame, *, hide_out_of_stock: bool, unknown_in_stock: bool) -> pd.DataFrame:
    """The products of a join_ranking frame on screen: all of them, or, hiding out-of-stock products, those that
    count as in stock (`sellable`) and those the catalog lacks (kept in place, marked "not in catalog")."""
    if not hide_out_of_stock:
        return products
    keep = ~products["in_catalog"].astype(bool) | sellable(products["in_stock"], unknown_in_stock=unknown_in_stock)
    return products[keep]


@dataclass(frozen=True)
class StorefrontPreview:
    """A category page as one shopper's session would see it."""

    session_id: str
    user_id: str | None
    category_id: str
    recommendation: Recommendation
    products: pd.DataFrame
    """join_ranking's frame of what is shown: Fashion.AI's order, or the native order."""
    source: str
    """``PERSONALIZED`` or ``NATIVE_ORDER`` (Fashion.AI answered with an empty list)."""
    category_size: int
    """How many products the catalog holds in this category."""

    @property
    def fallback(self) -> bool:
        return self.source == NATIVE_ORDER

    @property
    def returned(self) -> int:
        return len(self.recommendation.products)

    @property
    def unknown_ids(self) -> int:
        return int((~self.products["in_catalog"]).sum())

    @property
    def out_of_stock(self) -> int:
        return int((self.products["in_stock"] == False).sum())  # noqa: E712  (NA is not False)

    @property
    def unknown_stock(self) -> int:
        """Products shown that the catalog holds with unknown stock."""
        return int(unknown_stock(self.products).sum())

    def shown(self, *, hide_out_of_stock: bool, unknown_in_stock: bool) -> pd.DataFrame:
        """The products on screen (`shown_products`)."""
        return shown_products(self.products, hide_out_of_stock=hide_out_of_stock, unknown_in_stock=unknown_in_stock)

    @property
    def never_returned(self) -> int:
        """Catalog products of the category that the answer left out."""
        if self.fallback:
            return 0
        shown = self.products.loc[self.products["in_catalog"], "product_id"].nunique()
        return max(self.category_size - shown, 0)


@dataclass(frozen=True)
class LookPreview:
    """Shop the look for one main piece: the look, and whether the button would show."""

    session_id: str
    user_id: str | None
    product_id: str
    main: pd.DataFrame
    """join_ranking's one-row frame for the main piece (in_catalog False when unknown)."""
    recommendation: Recommendation
    look: pd.DataFrame
    """join_ranking's frame of the returned pieces, in Fashion.AI's order."""

    def shown_pieces(self, *, unknown_in_stock: bool) -> pd.DataFrame:
        """Pieces the storefront may show: in the catalog and in stock (`sellable`: unknown stock as the
        setting says)."""
        keep = self.look["in_catalog"].astype(bool) & sellable(self.look["in_stock"], unknown_in_stock=unknown_in_stock)
        return self.look[keep]

    def button_visible(self, *, unknown_in_stock: bool) -> bool:
        """The vendor's rule: show "shop the look" only if a returned piece has stock (`shown_pieces`)."""
        return not self.shown_pieces(unknown_in_stock=unknown_in_stock).empty

    @property
    def unknown_stock(self) -> int:
        """Pieces the catalog holds with unknown stock: those the setting decides."""
        return int(unknown_stock(self.look).sum())


@dataclass(frozen=True)
class Badges:
    """The movement badges of a storefront: each product's move (by id), what they compare with (`against`,
    for the badges' tooltips) and the sentence saying so above the grid (`note`, Markdown)."""

    moves: dict[str, Move]
    against: str
    note: str


PREVIOUS_VISIT = "this session's previous visit of the category"
STORE_ORDER = "the store's own order"


def storefront_badges(preview: StorefrontPreview, previous: Sequence[str] | None, *, native: Sequence[str],
                      previous_at: datetime | None = None, replay: bool = False) -> Badges:
    """What each product of `preview` moved against this session's `previous` visit of the category (its ids
    in the order shown then, seen at `previous_at`), or, on a first visit (None) or for a `replay` of a saved
    answer, against the store's own order (`native`, the category's ids in file order)."""
    shown = list(preview.products["product_id"])
    if previous is not None and not replay:
        when = f" ({previous_at:%H:%M:%S} UTC)" if previous_at is not None else ""
        return Badges(movements(shown, previous), PREVIOUS_VISIT, f"Arrows compare with {PREVIOUS_VISIT}{when}.")
    why = "a saved answer, not a visit" if replay else "first visit of this category for this session"
    return Badges(movements(shown, native), STORE_ORDER, f"Arrows compare with {STORE_ORDER}: {why}.")


def _clean_user(user_id: str | None) -> str | None:
    return (user_id or "").strip() or None


def _storefront(session_id: str, user_id: str | None, category_id: str, recommendation: Recommendation,
                catalog: Catalog) -> StorefrontPreview:
    """The storefront of an answer: Fashion.AI's order, or the catalog's own for an empty answer."""
    native = catalog.category_ids(category_id)
    answer = recommendation.products
    ids, source = (answer, PERSONALIZED) if answer else (native, NATIVE_ORDER)
    return StorefrontPreview(
        session_id=session_id,
        user_id=user_id,
        category_id=category_id,
        recommendation=recommendation,
        products=join_ranking(catalog, list(ids)),
        source=source,
        category_size=len(native),
    )


def _look(session_id: str, user_id: str | None, product_id: str, recommendation: Recommendation,
          catalog: Catalog) -> LookPreview:
    """The look of an answer: the main piece and the returned pieces, their stock from `catalog`."""
    return LookPreview(
        session_id=session_id,
        user_id=user_id,
        product_id=product_id,
        main=join_ranking(catalog, [product_id]),
        recommendation=recommendation,
        look=join_ranking(catalog, list(recommendation.products)),
    )


def preview_storefront(
    client: FashionAIClient,
    catalog: Catalog,
    session_id: str,
    category_id: str,
    *,
    user_id: str | None = None,
) -> StorefrontPreview:
    """Ask for the category's ranking; an empty answer falls back to the catalog's order."""
    user_id = _clean_user(user_id)
    category_id = category_id.strip()
    recommendation = client.category_view(session_id.strip(), category_id, user_id=user_id)
    return _storefront(session_id.strip(), user_id, category_id, recommendation, catalog)


def preview_look(
    client: FashionAIClient,
    catalog: Catalog,
    session_id: str,
    product_id: str,
    *,
    user_id: str | None = None,
) -> LookPreview:
    """Ask which pieces complete the look of ``product_id`` and check their stock locally."""
    user_id = _clean_user(user_id)
    product_id = product_id.strip()
    recommendation = client.shop_the_look(session_id.strip(), product_id, user_id=user_id)
    return _look(session_id.strip(), user_id, product_id, recommendation, catalog)


def rejoin_storefront(preview: StorefrontPreview, catalog: Catalog) -> StorefrontPreview:
    """The same answer joined with another catalog (no call): names, prices, stock and the
    fallback order all come from `catalog`."""
    return _storefront(preview.session_id, preview.user_id, preview.category_id, preview.recommendation, catalog)


def rejoin_look(look: LookPreview, catalog: Catalog) -> LookPreview:
    """The same look joined with another catalog (no call): the stock check is redone on it."""
    return _look(look.session_id, look.user_id, look.product_id, look.recommendation, catalog)


# --------------------------------------------------------------------------- from a saved answer (no call)


def recommendation_from_snapshot(snapshot: Snapshot) -> Recommendation:
    """The answer a successful snapshot recorded, as the client returned it (the request rebuilt)."""
    if not snapshot.ok:
        raise ValueError(f"snapshot {snapshot.id} recorded a failure ({snapshot.outcome}), not an answer")
    body: dict[str, Any] | None = None
    if snapshot.event_type in (EventType.SEARCH, EventType.DETAILED_SEARCH):  # the query is in the URL
        body = search_body(snapshot.session_id or "", snapshot.user_id)
    elif sends_body(snapshot.event_type):  # a POST by the table of calls; the sales ranking and a collection are GETs
        body = event_body(snapshot.event_type, snapshot.session_id, snapshot.item_id or "", snapshot.user_id)
    request = RequestRecord("POST" if body is not None else "GET", snapshot.endpoint, body,
                            None if body is None else snapshot.event_type)
    return Recommendation(
        products=snapshot.products,
        request=request,
        status_code=snapshot.status_code or 200,
        response_body={"products": list(snapshot.products)},
        elapsed=snapshot.elapsed,
        attempts=snapshot.attempts,
        exchange_id=snapshot.id,
    )


def search_from_snapshot(snapshot: Snapshot) -> SearchAnswer:
    """The page of a site search a snapshot recorded, as the client returned it (no call): its ids, its totals
    (a snapshot saved without them: this page's count, one page) and the page and limit its URL asked for."""
    if snapshot.event_type != EventType.SEARCH:
        raise ValueError(f"snapshot {snapshot.id} is a {snapshot.event_type}, not a site search")
    answer = recommendation_from_snapshot(snapshot)
    page = snapshot.search_page or 1
    limit = parse_qs(urlsplit(snapshot.endpoint).query).get("limit", [""])[0]
    total_items = len(snapshot.products) if snapshot.total_items is None else snapshot.total_items
    total_pages = (1 if snapshot.products else 0) if snapshot.total_pages is None else snapshot.total_pages
    return SearchAnswer(
        items=snapshot.products, total_items=total_items, total_pages=total_pages, current_page=page,
        query=snapshot.item_id or "", page=page, limit=int(limit) if limit.isdigit() else len(snapshot.products),
        request=answer.request, status_code=answer.status_code, elapsed=answer.elapsed, attempts=answer.attempts,
        exchange_id=snapshot.id, response_body={"totalItems": total_items, "totalPages": total_pages,
                                                "currentPage": page, "items": list(snapshot.products)},
    )


def storefront_from_snapshot(snapshot: Snapshot, catalog: Catalog) -> StorefrontPreview:
    """The storefront a categoryView snapshot showed, joined with today's catalog."""
    if snapshot.event_type != EventType.CATEGORY_VIEW:
        raise ValueError(f"snapshot {snapshot.id} is a {snapshot.event_type}, not a storefront (categoryView)")
    recommendation = recommendation_from_snapshot(snapshot)
    return _storefront(snapshot.session_id or "", snapshot.user_id, snapshot.item_id or "", recommendation, catalog)


def look_from_snapshot(snapshot: Snapshot, catalog: Catalog) -> LookPreview:
    """The look a shopTheLook snapshot returned, its stock checked against today's catalog."""
    if snapshot.event_type != EventType.SHOP_THE_LOOK:
        raise ValueError(f"snapshot {snapshot.id} is a {snapshot.event_type}, not a shop-the-look answer")
    recommendation = recommendation_from_snapshot(snapshot)
    return _look(snapshot.session_id or "", snapshot.user_id, snapshot.item_id or "", recommendation, catalog)
