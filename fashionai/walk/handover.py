"""The shopper walk handed over as a deck or a report (`output.handover.Handover`).

    walk_handover(walk, backend=..., catalog=..., catalog_data=catalog)

Every call in order, then what each place showed last, each call named by what the shopper sees and each
product by its name. No call, no Streamlit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

import pandas as pd

from fashionai.api.collections import CollectionAnswer
from fashionai.catalog import Catalog
from fashionai.domain import DEFAULT_CURRENCY, EventType, call_label
from fashionai.journeys.view import product_names
from fashionai.output.handover import Handover, Section, cards_from_frame, now, when_words
from fashionai.search.handover import search_results_section
from fashionai.storefront.collection import NoActiveSlice, view_collection
from fashionai.text.formatting import plural
from fashionai.walk.steps import (
    EMPTY_SHELF,
    HOME_SHELF_TITLE,
    NOTHING_SHOWN,
    SIMILAR_FOR_SHOPPER,
    SIMILAR_FOR_SHOPPER_TITLE,
    SIMILAR_ROW,
    Walk,
)
from fashionai.walk.trail import trail_frame

__all__ = ["walk_handover"]


def _product_name(frame: pd.DataFrame | None, product_id: str) -> str:
    """The product's name in a joined frame's first row, else "product <id>"."""
    if frame is not None and not frame.empty and "name" in frame.columns:
        name = frame["name"].iloc[0]
        if isinstance(name, str) and name.strip():
            return name.strip()
    return f"product {product_id}"


def _call_words(row: Mapping) -> str:
    """One call of the trail in words: "12:01:02 UTC · Product page: Linen Midi Dress: 12 products, ..."."""
    products = f"{plural(int(row['products']), 'product')}, " if pd.notna(row["products"]) else ""
    about = f": {row['about']}" if row["about"] else ""
    return f"{row['time']} UTC · {row['call']}{about}: {products}{row['changed']}"


def _collection_section(answer: CollectionAnswer | None, catalog_data: Catalog | None, currency: str,
                        made_at: datetime) -> Section | None:
    """The home page's collection row: its active slice's first products (or that none is active now)."""
    if answer is None or catalog_data is None:
        return None
    view = view_collection(answer.collection_id, answer.slice, catalog_data, made_at)
    if isinstance(view, NoActiveSlice):
        return Section(f"Home: {call_label(EventType.COLLECTION)} {view.collection_id}",
                       (("No slice of this collection is active now (a normal state: they are all scheduled or "
                         "expired)."),))
    said = ((f"The active slice {view.slice_name}, {plural(view.counts.listed, 'product')} placed by hand, "
             f"runs {when_words(view.starts_at)} to {when_words(view.ends_at)}."),)
    return Section(f"Home: {view.collection_name}", said, cards=cards_from_frame(view.products, currency=currency))


def _shown(heading: str, frame: pd.DataFrame, currency: str, readings: tuple[str, ...] = (), *,
           notes: Sequence[str] | None = None, empty: str = NOTHING_SHOWN) -> Section:
    """A place's products as cards, under its sentences; an empty answer says so (`empty`) instead."""
    cards = cards_from_frame(frame, currency=currency, notes=notes)
    return Section(heading, readings if cards else (*readings, empty), cards=cards)


def walk_handover(walk: Walk, *, backend: str, catalog: str, catalog_data: Catalog | None = None,
                  currency: str = DEFAULT_CURRENCY, made_at: datetime | None = None) -> Handover:
    """The shopper walk: every call in order, then what each place showed last (the home page's shelf,
    collection and best sellers, the category page with its moves, the product page, its two rows of similar
    products and its look). Each call is named by what the shopper sees, a product by its name."""
    made_at = made_at or now()
    names = product_names(catalog_data) if catalog_data is not None else None
    calls = tuple(_call_words(row) for row in trail_frame(walk.trail, names).to_dict("records"))
    sections = [Section("The walk, call by call", calls or ("The walk has not sent any call yet.",))]
    home = walk.home
    if home.shelf_products is not None:
        sections.append(_shown(f"Home: {HOME_SHELF_TITLE}", home.shelf_products, currency, empty=EMPTY_SHELF))
    if (collection := _collection_section(home.collection, catalog_data, currency, made_at)) is not None:
        sections.append(collection)
    if home.best_products is not None:
        sections.append(_shown(f"Home: {call_label(EventType.SALES_RANKING)}", home.best_products, currency))
    if walk.category is not None:
        page = walk.category
        frame = page.preview.products
        notes = [page.moves[pid].label if pid in page.moves else "" for pid in frame["product_id"]]
        sections.append(_shown(f"{call_label(EventType.CATEGORY_VIEW)}: {page.preview.category_id}", frame, currency,
                               (page.note.replace("\\", ""),) if page.note else (), notes=notes))
    if walk.search is not None:
        results = walk.search
        sections.append(search_results_section(results.preview, results.moves, currency,
                                               heading=f"{call_label(EventType.SEARCH)}: “{results.preview.query}”"))
    if walk.product is not None:
        product = walk.product
        name = _product_name(product.main, product.product_id)
        sections.append(Section(f"{call_label(EventType.PRODUCT_VIEW)}: {name}",
                                cards=cards_from_frame(product.main, currency=currency)))
        sections.append(_shown(f"{SIMILAR_FOR_SHOPPER_TITLE}: {name}", product.view_products, currency,
                               (SIMILAR_FOR_SHOPPER,)))
        if product.similar_products is not None:
            sections.append(_shown(f"{call_label(EventType.SIMILAR)}: {name}", product.similar_products, currency,
                                   (SIMILAR_ROW,)))
        if product.look is not None:
            sections.append(_shown(f"{call_label(EventType.SHOP_THE_LOOK)}: {name}", product.look.look, currency))
    who = f"session {walk.session_id}" + (f", user {walk.user_id}" if walk.user_id else "")
    subject = f"A shopper walk of {who}: {plural(len(walk.trail), 'call')}"
    return Handover("Shopper walk", subject, made_at, backend, catalog, tuple(sections), summary=_walk_summary(walk))


def _walk_summary(walk: Walk) -> str:
    """The walk in one paragraph: where the shopper went, in order, and what the last visit of each place changed."""
    if not walk.trail:
        return "The walk has not sent any call yet: nothing was shown."
    places = list(dict.fromkeys(call_label(entry.event) for entry in walk.trail))
    said = [f"One shopper ({plural(len(walk.trail), 'call')}) went through the store: {', '.join(places)}."]
    if walk.category is not None:
        visit = next(e for e in reversed(walk.trail) if e.event == EventType.CATEGORY_VIEW)
        said.append(f"The last visit of the category page {walk.category.preview.category_id}: {visit.change}, "
                    f"its order from {walk.category.preview.source}.")
    failed = sum(1 for entry in walk.trail if not entry.ok)
    if failed:
        said.append(f"{plural(failed, 'call')} failed; the pages show what came before.")
    return " ".join(said)
