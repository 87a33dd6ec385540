"""A collection's active slice as a merchandiser checks it: its window and its products, joined with
the catalog, in position order, each marked where a shopper would not see it as listed.

    view = view_collection("4", slice_, catalog, now)   # a CollectionView, or NoActiveSlice for None
    view.products                                        # position, product_id, flags, the catalog's columns
    view.counts.inactive, view.window.days_left

The marks (`FLAGS`), each a boolean column of `products`:

    inactive      `active: false` in the answer: the product fails the slice's filters
    out_of_stock  in the catalog with a stock of 0 or less (unknown stock is not out of stock)
    unknown       not in the catalog at all
    repeated      listed more than once in the slice (every listing is marked)

`None` for the slice (the API's 404) is a normal state, "no slice is active now", not an error.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

import numpy as np
import pandas as pd

from fashionai.api.collections import CollectionSlice, SliceWindow, slice_window
from fashionai.catalog import Catalog, join_ranking
from fashionai.catalog.stock import known_out
from fashionai.text.formatting import plural

__all__ = ["FLAGS", "NO_ACTIVE_SLICE", "CollectionView", "NoActiveSlice", "SliceCounts", "out_of_stock_listings",
           "product_notes", "view_collection"]

FLAGS = ("inactive", "out_of_stock", "unknown", "repeated")
"""The boolean columns of `CollectionView.products` that mark a product, in the order notes say them."""
NO_ACTIVE_SLICE = "No slice is active now"
"""What the API's 404 for a collection means, in the words the pages use."""


class SliceCounts(NamedTuple):
    """How many listings a slice has, and how many of them carry each mark. `repeated` counts the
    product ids listed more than once (an id listed three times counts once)."""

    listed: int
    inactive: int
    out_of_stock: int
    unknown: int
    repeated: int


@dataclass(frozen=True)
class CollectionView:
    """A slice joined with the catalog at `now`.

    `products`: one row per listing in position order (repeats kept): `position`, `rank` (the
    position again, for the product cards), `product_id`, `active`, the FLAGS, `times_listed`,
    then join_ranking's columns (in_catalog, in_stock, name, price, image_url, stock, ...).
    """

    collection_id: str
    collection_name: str
    description: str
    slice_id: str
    slice_name: str
    starts_at: datetime
    ends_at: datetime
    window: SliceWindow
    products: pd.DataFrame
    counts: SliceCounts

    @property
    def clock_disagrees(self) -> bool:
        """Fashion.AI answers only an active slice: one this machine's clock calls scheduled or
        expired means the two clocks disagree."""
        return self.window.status != "active"


@dataclass(frozen=True)
class NoActiveSlice:
    """The API's 404 for a collection: none of its slices is active now (a normal state)."""

    collection_id: str
    message: str = NO_ACTIVE_SLICE


def view_collection(collection_id: str, slice_: CollectionSlice | None, catalog: Catalog,
                    now: datetime) -> CollectionView | NoActiveSlice:
    """The slice answered for `collection_id` (None: the API's 404) joined with `catalog`, its
    window at `now` (an aware datetime; a naive one is a ValueError)."""
    if slice_ is None:
        return NoActiveSlice(str(collection_id))
    window = slice_window(slice_, now)
    products = _products(slice_, catalog)
    counts = SliceCounts(
        listed=len(products),
        inactive=int(products["inactive"].sum()),
        out_of_stock=int(products["out_of_stock"].sum()),
        unknown=int(products["unknown"].sum()),
        repeated=len(slice_.repeated_ids),
    )
    return CollectionView(
        collection_id=slice_.collection_id,
        collection_name=slice_.collection_name,
        description=slice_.description,
        slice_id=slice_.slice_id,
        slice_name=slice_.slice_name,
        starts_at=slice_.starts_at,
        ends_at=slice_.ends_at,
        window=window,
        products=products,
        counts=counts,
    )


def _products(slice_: CollectionSlice, catalog: Catalog) -> pd.DataFrame:
    joined = join_ranking(catalog, slice_.product_ids).drop(columns=["rank"])
    positions = [product.position for product in slice_.products]
    active = pd.array([product.active for product in slice_.products], dtype="bool")
    times = joined["product_id"].map(joined["product_id"].value_counts()).astype("int64")
    in_catalog = joined["in_catalog"].astype("bool")
    front = pd.DataFrame({
        "position": pd.array(positions, dtype="int64"),
        "rank": pd.array(positions, dtype="int64"),
        "product_id": joined["product_id"],
        "active": active,
        "inactive": ~active,
        "out_of_stock": out_of_stock_listings(joined),
        "unknown": (~in_catalog).to_numpy(),
        "repeated": (times > 1).to_numpy(),
        "times_listed": times.to_numpy(),
    })
    return pd.concat([front, joined.drop(columns=["product_id"])], axis=1)


def out_of_stock_listings(joined: pd.DataFrame) -> np.ndarray:
    """Which rows of `join_ranking`'s frame are out of stock, as a collection's products are marked: in the
    catalog with a stock the stock rule calls out (unknown stock is not out; a product not in the catalog is
    "unknown", not out of stock)."""
    return joined["in_catalog"].astype("bool").to_numpy() & known_out(joined["stock"])


def product_notes(row: pd.Series) -> list[str]:
    """The marks of one listing in plain words (empty when it has none), e.g.
    ["inactive: fails the slice's filters", "listed 2 times"]."""
    notes = []
    if bool(row.get("inactive", False)):
        notes.append("inactive: fails the slice's filters")
    if bool(row.get("out_of_stock", False)):
        notes.append("out of stock")
    if bool(row.get("unknown", False)):
        notes.append("not in your catalog")
    if bool(row.get("repeated", False)):
        notes.append(f"listed {plural(int(row.get('times_listed', 2)), 'time')}")
    return notes
