"""The shopper walk: one session clicking through the store, home, category, product page and look.

    walk = Walk.start(session, user)                          # at home, nothing asked yet
    walk = walk.at_category(category_page(preview, before, native), entry)
    walk = walk.at_product(product_page(...), entry)          # and with_similar, with_look, ...
    walk = walk.went(SEARCH, [entry], search=search_page(preview, before))   # the search box's results
    walk = replay_walk(session, user, snapshots, catalog)     # a shared walk, from the history (no call)

A `Walk` is where the shopper is (`place`), what each place last showed (`home`, `category`,
`product`) and the trail of calls (`fashionai.walk.trail`). It is frozen: each answer gives a new
walk. The calls themselves are the page's (each click sends what the live storefront sends);
this module builds what they show from their answers, or from saved answers. No Streamlit here.

The product page asks for the look when it opens: the "shop the look" button shows only when a
piece of the look has stock, and only the look's answer says so. Opening the drawer is no call.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

import pandas as pd

from fashionai.api.collections import CollectionAnswer
from fashionai.api.models import Recommendation
from fashionai.catalog import Catalog, join_ranking
from fashionai.domain import EventType
from fashionai.history.model import Snapshot
from fashionai.measures.movement import Move
from fashionai.storefront.preview import (
    PREVIOUS_VISIT,
    STORE_ORDER,
    LookPreview,
    StorefrontPreview,
    look_from_snapshot,
    recommendation_from_snapshot,
    rejoin_look,
    rejoin_storefront,
    storefront_badges,
    storefront_from_snapshot,
)
from fashionai.storefront.search_view import (
    SearchPreview,
    rejoin_search,
    search_badges,
    search_preview_from_snapshot,
)
from fashionai.walk.trail import TrailEntry, answered, failed

__all__ = ["AGAINST_NATIVE", "AGAINST_VISIT", "CATEGORY", "EMPTY_SHELF", "HOME", "HOME_SHELF_TITLE", "LOOK",
           "NOTHING_SHOWN", "PRODUCT", "SEARCH", "SIMILAR_FOR_SHOPPER", "SIMILAR_FOR_SHOPPER_TITLE", "SIMILAR_ROW",
           "CategoryPage", "HomePage", "ProductPage", "SearchPage", "Walk", "category_page", "entry_from_snapshot",
           "product_page", "rejoin_walk", "replay_walk", "search_page"]

HOME, CATEGORY, PRODUCT, LOOK, SEARCH = "home", "category", "product", "look", "search"
"""The places of a walk: the home page, a category page, a product page, its look drawer open, the search box's
results."""

AGAINST_VISIT, AGAINST_NATIVE = PREVIOUS_VISIT, STORE_ORDER
"""What a category page's arrows compare with: the storefront preview's words (`fashionai.storefront.preview`)."""


HOME_SHELF_TITLE = "For you"
"""The home shelf's title, on the page and in its handout."""
EMPTY_SHELF = ("Fashion.AI knows nothing about this shopper yet: an empty answer is normal for a new session. "
               "The live storefront then shows no \"For you\" row (the store's own order elsewhere).")
NOTHING_SHOWN = "Nothing to show: Fashion.AI's answer was empty."
SIMILAR_FOR_SHOPPER_TITLE = "Similar for this shopper"
SIMILAR_FOR_SHOPPER = ("What the product page itself answers: products like this one, ranked for this shopper's "
                       "visits so far.")
SIMILAR_ROW = ("The second row: products like this one as Fashion.AI's similar-products call gives them, a row a "
               "store can place on the product page or for cross-selling.")
"""Why a product page has two rows of similar products: said on the page and in its handout."""


@dataclass(frozen=True)
class HomePage:
    """What the home page last showed: the customShelf ("For you"), a collection's answer, the best sellers.
    A shelf is None until asked (or when its call failed)."""

    shelf: Recommendation | None = None
    shelf_products: pd.DataFrame | None = field(default=None, repr=False)
    collection: CollectionAnswer | None = None  # when a collection was asked
    best_sellers: Recommendation | None = None
    best_products: pd.DataFrame | None = field(default=None, repr=False)

    def shelves(self) -> dict[str, pd.DataFrame]:
        """The home's rows of products by title (for the profile panel): those answered."""
        rows = {HOME_SHELF_TITLE: self.shelf_products, "Best sellers": self.best_products}
        return {title: frame for title, frame in rows.items() if frame is not None}


@dataclass(frozen=True)
class CategoryPage:
    """A category page: the storefront shown, each product's move, and what the moves compare with."""

    preview: StorefrontPreview
    moves: Mapping[str, Move]
    against: str  # AGAINST_VISIT or AGAINST_NATIVE
    note: str = ""  # the sentence saying so, above the grid (Markdown)

    @property
    def shown_ids(self) -> tuple[str, ...]:
        return tuple(self.preview.products["product_id"])


@dataclass(frozen=True)
class ProductPage:
    """A product page: its main piece, productView's similar products for this shopper, the similar call's
    answer (None: not asked or failed; `similar_unknown`: Fashion.AI does not know the product), and the look."""

    product_id: str
    main: pd.DataFrame = field(repr=False)
    view: Recommendation
    view_products: pd.DataFrame = field(repr=False)
    similar: Recommendation | None = None
    similar_products: pd.DataFrame | None = field(default=None, repr=False)
    similar_unknown: bool = False
    look: LookPreview | None = None


def category_page(preview: StorefrontPreview, before: Sequence[str] | None, native: Sequence[str], *,
                  before_at: datetime | None = None) -> CategoryPage:
    """The category page of `preview`, its moves against `before` (the session's previous visit, seen at
    `before_at`), or, on a first visit, against the store's own order `native`: the storefront page's badges."""
    badges = storefront_badges(preview, before, native=native, previous_at=before_at)
    return CategoryPage(preview, badges.moves, badges.against, badges.note)


@dataclass(frozen=True)
class SearchPage:
    """The search box's results: a page of the search, each product's move, and what the moves compare with."""

    preview: SearchPreview
    moves: Mapping[str, Move]
    against: str  # the Search page's words: this session's search before, or the store's own text match
    note: str = ""  # the sentence saying so, above the results (Markdown)

    @property
    def shown_ids(self) -> tuple[str, ...]:
        return tuple(str(i) for i in self.preview.products["product_id"])


def search_page(preview: SearchPreview, before: Sequence[str] | None, *,
                before_at: datetime | None = None) -> SearchPage:
    """The results of `preview`, their moves against `before` (this session's search of the query's page before,
    seen at `before_at`), or, on a first search, against the store's own text match: the Search page's badges."""
    badges = search_badges(preview, None if before is None else tuple(before), previous_at=before_at)
    return SearchPage(preview, badges.moves, badges.against, badges.note)


def product_page(catalog: Catalog, product_id: str, view: Recommendation) -> ProductPage:
    """A product page as productView answered it (similar and the look come after)."""
    return ProductPage(product_id, join_ranking(catalog, [product_id]), view, join_ranking(catalog, view.products))


def with_similar(page: ProductPage, catalog: Catalog, similar: Recommendation | None, *,
                 unknown: bool = False) -> ProductPage:
    """The page with the similar call's answer (None and `unknown`: a 404 for the product)."""
    frame = None if similar is None else join_ranking(catalog, similar.products)
    return replace(page, similar=similar, similar_products=frame, similar_unknown=unknown)


@dataclass(frozen=True)
class Walk:
    """One shopper's walk: where they are, what each place last showed, the trail of calls."""

    session_id: str
    user_id: str | None
    place: str = HOME
    home: HomePage = HomePage()
    category: CategoryPage | None = None
    product: ProductPage | None = None
    search: SearchPage | None = None
    trail: tuple[TrailEntry, ...] = ()

    @staticmethod
    def start(session_id: str, user_id: str | None = None) -> Walk:
        return Walk(session_id, user_id or None)

    @property
    def last_category(self) -> str | None:
        return None if self.category is None else self.category.preview.category_id

    @property
    def came_from(self) -> str | None:
        """Where the product page was opened from, as far as the trail says: CATEGORY or SEARCH (the later of the
        two answered), None before either."""
        for entry in reversed(self.trail):
            if entry.ok and entry.event in (EventType.CATEGORY_VIEW, EventType.SEARCH):
                return CATEGORY if entry.event == EventType.CATEGORY_VIEW else SEARCH
        return None

    def went(self, place: str, entries: Sequence[TrailEntry] = (), **shown: Any) -> Walk:  # Any: Walk's fields, each its own
        """The walk after a click: at `place`, showing `shown` (home, category, product, search), its calls'
        `entries`."""
        return replace(self, place=place, trail=self.trail + tuple(entries), **shown)

    def logged(self, *entries: TrailEntry) -> Walk:
        """The same place, with more calls in the trail (failures, say)."""
        return replace(self, trail=self.trail + entries)


def rejoin_walk(walk: Walk, catalog: Catalog) -> Walk:
    """The same walk joined with another catalog (no call): every place's names, prices and stock from
    `catalog`; the trail and the moves (which compare ids) stay."""
    def joined(answer: Recommendation | None) -> pd.DataFrame | None:
        return None if answer is None else join_ranking(catalog, answer.products)

    home = replace(walk.home, shelf_products=joined(walk.home.shelf), best_products=joined(walk.home.best_sellers))
    category = None if walk.category is None else replace(
        walk.category, preview=rejoin_storefront(walk.category.preview, catalog))
    product = walk.product
    if product is not None:
        product = replace(product, main=join_ranking(catalog, [product.product_id]),
                          view_products=join_ranking(catalog, product.view.products),
                          similar_products=joined(product.similar),
                          look=None if product.look is None else rejoin_look(product.look, catalog))
    search = None if walk.search is None else replace(walk.search, preview=rejoin_search(walk.search.preview, catalog))
    return replace(walk, home=home, category=category, product=product, search=search)


# --------------------------------------------------------------------------- a walk from the history (no call)


def entry_from_snapshot(trail: Sequence[TrailEntry], snapshot: Snapshot) -> TrailEntry:
    """The trail's entry for a saved answer (what it changed against `trail`, the entries before it)."""
    item = snapshot.item_id or ""
    if not snapshot.ok:
        return failed(snapshot.event_type, item, snapshot.outcome, at=snapshot.recorded_at, elapsed=snapshot.elapsed)
    return answered(trail, snapshot.event_type, item, snapshot.products, elapsed=snapshot.elapsed,
                    snapshot=snapshot.id, at=snapshot.recorded_at)


def replay_walk(session_id: str, user_id: str | None, snapshots: Sequence[Any], catalog: Catalog) -> Walk:
    """The walk these saved answers (in order) made: its trail, and each place as the last answers left it,
    joined with today's catalog. No call. A collection's saved answer is in the trail only."""
    walk = Walk.start(session_id, user_id)
    visits: dict[str, tuple[str, ...]] = {}  # category -> the ids its last visit showed
    searches: dict[tuple[str, int], tuple[str, ...]] = {}  # (query, page) -> the ids its last search showed
    for snapshot in snapshots:
        entry = entry_from_snapshot(walk.trail, snapshot)
        event = snapshot.event_type
        if not entry.ok:
            walk = walk.logged(entry)
        elif event == EventType.CUSTOM_SHELF:
            answer = recommendation_from_snapshot(snapshot)
            walk = walk.went(HOME, [entry], home=replace(walk.home, shelf=answer,
                                                         shelf_products=join_ranking(catalog, answer.products)))
        elif event == EventType.SALES_RANKING:
            answer = recommendation_from_snapshot(snapshot)
            walk = walk.went(HOME, [entry], home=replace(walk.home, best_sellers=answer,
                                                         best_products=join_ranking(catalog, answer.products)))
        elif event == EventType.CATEGORY_VIEW:
            preview = storefront_from_snapshot(snapshot, catalog)
            shown = category_page(preview, visits.get(preview.category_id), catalog.category_ids(preview.category_id))
            visits[preview.category_id] = shown.shown_ids
            walk = walk.went(CATEGORY, [entry], category=shown)
        elif event == EventType.SEARCH:
            searched = search_preview_from_snapshot(snapshot, catalog)
            key = (searched.query.casefold(), searched.page)
            results = search_page(searched, searches.get(key))
            searches[key] = results.shown_ids
            walk = walk.went(SEARCH, [entry], search=results)
        elif event == EventType.PRODUCT_VIEW:
            page = product_page(catalog, entry.item_id, recommendation_from_snapshot(snapshot))
            walk = walk.went(PRODUCT, [entry], product=page)
        elif event == EventType.SIMILAR and walk.product is not None and walk.product.product_id == entry.item_id:
            page = with_similar(walk.product, catalog, recommendation_from_snapshot(snapshot))
            walk = walk.went(PRODUCT, [entry], product=page)
        elif event == EventType.SHOP_THE_LOOK and walk.product is not None \
                and walk.product.product_id == entry.item_id:
            look = look_from_snapshot(snapshot, catalog)
            walk = walk.went(PRODUCT, [entry], product=replace(walk.product, look=look))
        else:  # a collection (its panel needs the live answer), or an answer for another place
            walk = walk.logged(entry)
    return walk

