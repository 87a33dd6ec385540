"""The storefront and a look as exports (`output.exports.Export`: CSV for spreadsheets, JSON for programs).

    storefront_export(preview, shown)                      # the storefront as shown
    look_export(look, pieces, unknown_in_stock=setting)    # the look's pieces, and whether its button shows
    search_export(preview, shown)                          # a page of a search as shown
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from fashionai.catalog.stock import UNKNOWN_IN_STOCK_DEFAULT
from fashionai.output.exports import Export, product_table, slug
from fashionai.storefront.preview import LookPreview, StorefrontPreview
from fashionai.storefront.search_view import SearchPreview

__all__ = ["look_export", "search_export", "storefront_export"]


FILTER_COLUMN = "dashboard_filters_broken"
"""The export's column of each product's dashboard-filter breaches, in words ("" for none)."""


def storefront_export(preview: StorefrontPreview, shown: pd.DataFrame | None = None, *,
                      breaches: Mapping[str, Sequence[str]] | None = None) -> Export:
    """The storefront as shown (``shown``: after hiding out-of-stock products, if that was on); with `breaches`
    (`FilterCheck.breaches`, given when a filter is recorded for category pages), a column of each product's."""
    frame = preview.products if shown is None else shown
    if breaches is not None:
        frame = frame.assign(**{FILTER_COLUMN: ["; ".join(breaches.get(str(pid), ())) for pid in frame["product_id"]]})
    meta = {
        "kind": "storefront",
        "category": preview.category_id,
        "session_id": preview.session_id,
        "user_id": preview.user_id,
        "order": preview.source,
        "returned_by_fashionai": preview.returned,
        "snapshot_id": preview.recommendation.exchange_id,
    }
    return Export(slug("storefront", preview.category_id, preview.session_id), {"products": product_table(frame)},
                  meta)


def look_export(look: LookPreview, pieces: pd.DataFrame | None = None, *,
                unknown_in_stock: bool = UNKNOWN_IN_STOCK_DEFAULT) -> Export:
    """Shop the look: the pieces suggested for one main piece, with their stock, and whether the button would
    show (unknown stock counting as in stock only with `unknown_in_stock`, the setting)."""
    frame = look.look if pieces is None else pieces
    meta = {
        "kind": "shop_the_look",
        "main_product_id": look.product_id,
        "session_id": look.session_id,
        "user_id": look.user_id,
        "button_visible": look.button_visible(unknown_in_stock=unknown_in_stock),
        "unknown_stock_counts_as": "in stock" if unknown_in_stock else "out of stock",
        "snapshot_id": look.recommendation.exchange_id,
    }
    return Export(slug("look", look.product_id, look.session_id), {"pieces": product_table(frame)}, meta)


def search_export(preview: SearchPreview, shown: pd.DataFrame | None = None) -> Export:
    """A page of a search as shown (`shown`: the page of the store's text match on screen, when it stands in)."""
    answer = preview.answer
    meta = {
        "kind": "search",
        "query": preview.query,
        "page": answer.page,
        "total_items": answer.total_items,
        "total_pages": answer.total_pages,
        "session_id": preview.session_id,
        "user_id": preview.user_id,
        "order": preview.source,
        "snapshot_id": answer.exchange_id,
    }
    frame = preview.products if shown is None else shown
    return Export(slug("search", preview.query, f"p{answer.page}", preview.session_id),
                  {"products": product_table(frame)}, meta)
