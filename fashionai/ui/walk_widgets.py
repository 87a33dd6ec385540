"""The shopper walk page's calls and drawing: each click's calls (exactly what the live storefront sends),
the places (home rows, the category grid and the search box's results with movement badges, the product page, the
look drawer)
and the trail. Imported by pages/walk.py directly (not re-exported)."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timezone
from typing import Any

import pandas as pd
import streamlit as st

from fashionai.api import redaction
from fashionai.api.errors import FashionAIError, NotFoundError
from fashionai.api.profiles import ShopperProfile
from fashionai.catalog import join_ranking
from fashionai.catalog.model import stock_kind_of
from fashionai.domain import EventType
from fashionai.journeys.journey import JOURNEY_EVENTS
from fashionai.journeys.view import product_names
from fashionai.measures.movement import Move
from fashionai.storefront.preview import NATIVE_ORDER, LookPreview, preview_look, preview_storefront
from fashionai.storefront.profile import look_matches
from fashionai.storefront.search_view import empty_words, preview_search
from fashionai.text.formatting import escape_markdown, ms_words, plural, unknown_stock_note
from fashionai.ui.cards import CARD_WIDTH, MISSING, paginate, product_card, product_grid
from fashionai.ui.errors import drill_note, show_error
from fashionai.ui.filters_widgets import filter_marks
from fashionai.ui.merch_widgets import collection_panel, collection_picker, profile_panel, shown_profile
from fashionai.ui.page_context import Context
from fashionai.ui.session import (
    category_visit_time,
    previous_category_visit,
    previous_search,
    remember_category_visit,
    remember_search,
)
from fashionai.ui.store_settings import unknown_in_stock
from fashionai.ui.storefront_widgets import look_columns
from fashionai.walk.steps import (
    CATEGORY,
    EMPTY_SHELF,
    HOME,
    HOME_SHELF_TITLE,
    LOOK,
    PRODUCT,
    SEARCH,
    SIMILAR_FOR_SHOPPER,
    SIMILAR_FOR_SHOPPER_TITLE,
    SIMILAR_ROW,
    CategoryPage,
    HomePage,
    SearchPage,
    ProductPage,
    Walk,
    category_page,
    product_page,
    search_page,
    with_similar,
)
from fashionai.walk.trail import NO_SLICE, TrailEntry, answered, failed, trail_frame

Go = Callable[..., None]
"""The page's click handler: ``go(place, item)`` keeps the click for the page to act on (no call here)."""

SIMILAR_AGAIN = "similar"
"""A click that is no place: the product page's similar products asked again."""
ROW = 8
"""Products a home row shows."""
PROFILE_KEY = "walk_profile"
"""The walk's profile panel (its lookup kept under f"{PROFILE_KEY}_result")."""
UNKNOWN_PRODUCT = "Fashion.AI does not know this product, so it has no similar products for it."


# --------------------------------------------------------------------------- the calls of each click


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _failure_words(err: BaseException) -> str:
    code = getattr(err, "status_code", None)
    return f"HTTP {code}" if code is not None else ("no answer" if isinstance(err, FashionAIError) else "error")


TOKEN_REJECTED = "HTTP 401"
"""The failure words (`_failure_words`) of a call whose app token Fashion.AI rejected (AuthenticationError):
every other call of the same click would be rejected too, so none is sent and the message is said once."""


def _ask(walk: Walk, what: str, event: str, item: str, fn: Callable[[], Any]) -> tuple[Any, TrailEntry]:
    """Send one call (``fn``), show its failure in plain words; the result (None on failure) and its trail entry."""
    started = time.monotonic()
    try:
        with st.spinner(f"{what}…", show_time=True):
            result = fn()
    except NotFoundError as err:
        if event != EventType.SIMILAR:
            show_error(err, what=what)
        return None, failed(event, item, _failure_words(err), at=_now(), elapsed=time.monotonic() - started,
                            change="Fashion.AI does not know this product" if event == EventType.SIMILAR
                            else "failed: nothing changed")
    except Exception as err:  # noqa: BLE001 - a message, never a traceback; what is on screen stays
        show_error(err, what=what)
        drill_note()
        return None, failed(event, item, redaction.redact(_failure_words(err)), at=_now(),
                            elapsed=time.monotonic() - started)
    if event == EventType.COLLECTION:
        return result, answered(walk.trail, event, item, result.product_ids, elapsed=result.elapsed,
                                snapshot=result.exchange_id, at=_now(), note=None if result.slice else NO_SLICE)
    answer = getattr(result, "recommendation", None) or getattr(result, "answer", result)  # a preview holds its answer
    return result, answered(walk.trail, event, item, answer.products, elapsed=answer.elapsed,
                            snapshot=answer.exchange_id, at=_now())


def open_home(ctx: Context, walk: Walk, collection_id: str | None) -> Walk:
    """Home: customShelf, the chosen collection's active slice, the best sellers (a row failing keeps its last)."""
    client, catalog, home = ctx.client, ctx.catalog, walk.home
    shelf, entry = _ask(walk, "Asking for the shelf", EventType.CUSTOM_SHELF, "",
                        lambda: client.custom_shelf(walk.session_id, user_id=walk.user_id))
    walk = walk.logged(entry)
    rejected = entry.error == TOKEN_REJECTED  # the collection and best sellers would be rejected too: not asked
    collection, best = home.collection, None
    if collection_id and not rejected:
        collection, entry = _ask(walk, "Asking for the collection", EventType.COLLECTION, collection_id,
                                 lambda: client.collection(collection_id))
        walk = walk.logged(entry)
        collection = collection if collection is not None else home.collection
    if not rejected:
        best, entry = _ask(walk, "Asking for the best sellers", EventType.SALES_RANKING, "", client.sales_ranking)
        walk = walk.logged(entry)
    home = HomePage(
        shelf=shelf or home.shelf,
        shelf_products=join_ranking(catalog, shelf.products) if shelf is not None else home.shelf_products,
        collection=collection,
        best_sellers=best or home.best_sellers,
        best_products=join_ranking(catalog, best.products) if best is not None else home.best_products)
    return walk.went(HOME, home=home)


def open_category(ctx: Context, walk: Walk, category: str) -> Walk:
    """A category page: one categoryView (an empty answer shows the store's order), badges against the
    session's previous visit of it (any page's), or the store's own order."""
    preview, entry = _ask(walk, "Opening the category", EventType.CATEGORY_VIEW, category, lambda: preview_storefront(
        ctx.client, ctx.catalog, walk.session_id, category, user_id=walk.user_id))
    if preview is None:
        return walk.logged(entry)
    page = category_page(preview, previous_category_visit(walk.session_id, preview.category_id),
                         ctx.catalog.category_ids(preview.category_id),
                         before_at=category_visit_time(walk.session_id, preview.category_id))
    remember_category_visit(walk.session_id, preview.category_id, page.shown_ids)
    return walk.went(CATEGORY, [entry], category=page)


def open_search(ctx: Context, walk: Walk, query: str) -> Walk:
    """The search box: one search (the first page), its results with badges against this session's search of the
    query before (any page's), or, on its first, against the store's own text match."""
    preview, entry = _ask(walk, "Searching", EventType.SEARCH, query.strip(), lambda: preview_search(
        ctx.client, ctx.catalog, walk.session_id, query, user_id=walk.user_id))
    if preview is None:
        return walk.logged(entry)
    before = previous_search(walk.session_id, preview.query, preview.page)
    page = search_page(preview, None if before is None else before[0], before_at=None if before is None else before[1])
    remember_search(walk.session_id, preview.query, preview.page, page.shown_ids)
    return walk.went(SEARCH, [entry], search=page)


def open_product(ctx: Context, walk: Walk, product_id: str, limit: int) -> Walk:
    """A product page: productView, similar (`limit`), and shopTheLook (the button's rule needs the look)."""
    view, entry = _ask(walk, "Opening the product", EventType.PRODUCT_VIEW, product_id,
                       lambda: ctx.client.product_view(walk.session_id, product_id, user_id=walk.user_id))
    walk = walk.logged(entry)
    if view is None:
        return walk
    page = product_page(ctx.catalog, product_id, view)
    walk = ask_similar(ctx, walk.went(PRODUCT, product=page), limit)
    look, entry = _ask(walk, "Asking for the look", EventType.SHOP_THE_LOOK, product_id, lambda: preview_look(
        ctx.client, ctx.catalog, walk.session_id, product_id, user_id=walk.user_id))
    shown = walk.product or page  # the page as ask_similar left it, with its similar products or without
    return walk.went(PRODUCT, [entry], product=shown if look is None else replace(shown, look=look))


def ask_similar(ctx: Context, walk: Walk, limit: int) -> Walk:
    """The product page's similar products again (only that call), `limit` of them."""
    page = walk.product
    if page is None:
        return walk
    similar, entry = _ask(walk, "Asking for similar products", EventType.SIMILAR, page.product_id,
                          lambda: ctx.client.similar(walk.session_id, page.product_id, user_id=walk.user_id,
                                                     limit=limit))
    unknown = similar is None and entry.change.startswith("Fashion.AI does not know")
    if similar is None and not unknown:
        return walk.logged(entry)
    return walk.went(PRODUCT, [entry], product=with_similar(page, ctx.catalog, similar, unknown=unknown))


# --------------------------------------------------------------------------- drawing


def product_row(frame: pd.DataFrame, *, key: str, go: Go, currency: str, moves: Mapping[str, Move] | None = None,
                against: str = "the list before", profile: ShopperProfile | None = None,
                breaches: Mapping[str, Sequence[str]] | None = None) -> None:
    """Product cards (ui.product_card) of CARD_WIDTH, as many a row as fit (a row wraps: three at 1,024 px, four at
    1,280), each with an "Open" button under it that opens its product page; with the shopper's `profile`, a card
    whose name matches an item of a suggested look says which; `breaches` (by id): the dashboard filters each
    breaks (`filter_marks`)."""
    marks = {} if profile is None else look_matches(profile, frame)
    with st.container(horizontal=True, gap="small"):
        for number, (_, row) in enumerate(frame.iterrows()):
            product_id = str(row["product_id"])
            with st.container(width=CARD_WIDTH):
                move = None if moves is None else moves.get(product_id)
                product_card(row, currency=currency, move=move, against=against, stock_kind=stock_kind_of(frame),
                             breaches=(breaches or {}).get(product_id, ()))
                if items := marks.get(product_id):
                    st.caption(":material/checkroom: In a suggested look: " + escape_markdown(", ".join(items)))
                st.button("Open", key=f"{key}_open_{number}", icon=":material/open_in_new:", width="stretch",
                          on_click=go, args=(PRODUCT, product_id))


def home_section(ctx: Context, walk: Walk, go: Go, *, picker_key: str) -> str | None:
    """The home page's rows; returns the collection id chosen for the next visit of home."""
    currency, home = ctx.settings.currency, walk.home
    chosen = collection_picker(ctx, key=picker_key)
    st.button("Open the home page", type="primary", icon=":material/home:", on_click=go, args=(HOME, None),
              help="Asks for the home shelf, the chosen collection's active slice and the best sellers.")
    if not walk.trail:
        st.info("Press **Open the home page** to start the walk as this shopper.", icon=":material/touch_app:")
        return chosen
    profile = None
    if walk.user_id:
        with st.expander(f"Shopper profile of user {walk.user_id}", icon=":material/person:", expanded=True):
            profile_panel(ctx, walk.user_id, home.shelves(), key=PROFILE_KEY)
        profile = shown_profile(PROFILE_KEY, walk.user_id)
    st.markdown(f"#### {HOME_SHELF_TITLE}")
    if home.shelf is not None and not home.shelf.products:
        st.caption(EMPTY_SHELF)
    elif home.shelf_products is not None:
        shelf = home.shelf_products.head(ROW)
        product_row(shelf, key="walk_shelf", go=go, currency=currency, profile=profile,
                    breaches=filter_marks(ctx.catalog, EventType.CUSTOM_SHELF, shelf, currency=currency))
    if home.collection is not None:
        st.markdown("#### Collection")
        collection_panel(ctx, home.collection, key="walk_collection", row=ROW)
    st.markdown("#### Best sellers")
    if home.best_products is not None:
        if home.best_products.empty:
            st.caption("Fashion.AI has no sales ranking yet.")
        product_row(home.best_products.head(ROW), key="walk_best", go=go, currency=currency, profile=profile)
    return chosen


def category_section(ctx: Context, page: CategoryPage, go: Go) -> None:
    """The category page: where its order comes from, what the arrows compare with, the grid."""
    preview = page.preview
    st.subheader(escape_markdown(preview.category_id))
    if preview.fallback:
        st.caption(f"Fashion.AI answered with an empty list, so the page shows the {NATIVE_ORDER} (a normal "
                   "answer for a new shopper; the visit was recorded, so the next one usually ranks).")
    st.caption(f"Order: {preview.source} · {plural(len(preview.products), 'product')}. The arrows compare each "
               f"product's place with {page.against}.")
    shown = paginate(preview.products, key="walk_category_grid", default_size=12)
    product_row(shown, key="walk_category", go=go, currency=ctx.settings.currency, moves=page.moves,
                against=page.against, breaches=filter_marks(ctx.catalog, EventType.CATEGORY_VIEW, shown,
                                                            currency=ctx.settings.currency))


def search_section(ctx: Context, page: SearchPage, go: Go) -> None:
    """The search box's results: where their order comes from, what the arrows compare with, the cards (Open: the
    product page); an empty answer explained, with the store's own text match instead."""
    preview = page.preview
    st.subheader(f"Search: “{escape_markdown(preview.query)}”")
    if words := empty_words(preview):
        st.caption(words)
    st.caption(f"Order: {preview.source} · {plural(len(preview.products), 'product')} of "
               f"{preview.answer.total_items:,} found. The arrows compare each product's place with {page.against}.")
    shown = paginate(preview.products, key="walk_search_grid", default_size=12)
    product_row(shown, key="walk_search", go=go, currency=ctx.settings.currency, moves=page.moves,
                against=page.against, breaches=filter_marks(ctx.catalog, EventType.SEARCH, shown,
                                                            currency=ctx.settings.currency))


def product_section(ctx: Context, page: ProductPage, go: Go, *, limit_key: str) -> None:
    """The product page: the main piece and its look button, productView's and similar's products."""
    currency = ctx.settings.currency
    with st.container(horizontal=True, gap="medium"):  # the main piece beside its look button, the shelves below
        with st.container(width=CARD_WIDTH + 48):
            product_grid(page.main, columns=1, currency=currency, show_rank=False)
        main = st.container(width="stretch")
    with main:
        look, rule = page.look, unknown_in_stock()
        if look is not None and look.button_visible(unknown_in_stock=rule):
            st.button("Shop the look", type="primary", icon=":material/checkroom:",
                      on_click=go, args=(LOOK, page.product_id), help="Opens the look's drawer (no call).")
        elif look is not None:
            st.caption("No \"shop the look\" button: no piece of its look has stock in your catalog.")
        else:
            st.caption("No \"shop the look\" button: the look could not be asked for.")
        if look is not None and look.unknown_stock:
            st.caption(":material/help: " + unknown_stock_note(look.unknown_stock, unknown_in_stock=rule,
                                                               noun="piece", kept="counted", left_out="left out"))
    st.markdown(f"#### {SIMILAR_FOR_SHOPPER_TITLE}")
    st.caption(SIMILAR_FOR_SHOPPER)
    viewed = page.view_products.head(ROW)
    product_row(viewed, key="walk_view", go=go, currency=currency,
                breaches=filter_marks(ctx.catalog, EventType.PRODUCT_VIEW, viewed, currency=currency))
    st.markdown("#### Similar products")
    st.caption(SIMILAR_ROW)
    with st.container(horizontal=True, vertical_alignment="bottom"):
        st.number_input("How many similar products", min_value=1, max_value=100, step=1, key=limit_key, width=220)
        st.button("Ask again", icon=":material/refresh:", on_click=go, args=(SIMILAR_AGAIN, page.product_id),
                  help="Asks for similar products again: sends only the similar call, with this many.")
    if page.similar_unknown:
        st.info(UNKNOWN_PRODUCT, icon=":material/help:")
    elif page.similar_products is not None:
        product_row(page.similar_products, key="walk_similar", go=go, currency=currency,
                    breaches=filter_marks(ctx.catalog, EventType.SIMILAR, page.similar_products, currency=currency))


def look_drawer(ctx: Context, look: LookPreview, go: Go) -> None:
    """The look's drawer as the storefront opens it: the pieces with stock (name, price, stock)."""
    pieces = look.shown_pieces(unknown_in_stock=unknown_in_stock())
    st.markdown("#### Shop the look")
    hidden = len(look.look) - len(pieces)
    st.caption("The drawer, as the storefront opens it: only the pieces with stock"
               + (f" ({plural(hidden, 'piece')} without stock or not in your catalog left out)." if hidden else ".")
               + " Opening it sent nothing: the look was asked for when the product page opened.")
    with look_columns(look, currency=ctx.settings.currency):
        product_row(pieces, key="walk_look", go=go, currency=ctx.settings.currency,
                    breaches=filter_marks(ctx.catalog, EventType.SHOP_THE_LOOK, pieces,
                                          currency=ctx.settings.currency))
    st.button("Close the look", icon=":material/close:", on_click=go, args=(PRODUCT, None))


def trail_panel(ctx: Context, walk: Walk) -> None:
    """Every call of the walk in order, by what the shopper sees (a product by its name), with what each changed."""
    st.markdown("#### Trail")
    if not walk.trail:
        st.caption("No call yet. Each click's calls are listed here, in order.")
        return
    events = sum(1 for entry in walk.trail if entry.event in JOURNEY_EVENTS)  # what Fashion.AI records
    st.caption(f"{plural(len(walk.trail), 'call')}, {plural(events, 'tracking event')} · times UTC")
    frame = trail_frame(walk.trail, product_names(ctx.catalog))
    shown = frame.assign(products=[MISSING if pd.isna(n) else f"{n:,}" for n in frame["products"]],
                         ms=[ms_words(ms / 1000) for ms in frame["ms"]])
    # A table, not a grid: it wraps, so every column (what it changed above all) is read whole at 1,024 px. It
    # reads its cells as Markdown: names and ids come from the catalog, so every cell is made inert.
    st.table(shown.map(escape_markdown).rename(columns={
        "time": "Time", "call": "Call", "about": "Of", "products": "Products", "ms": "Took",
        "changed": "What it changed"}), hide_index=True)
