"""A loaded catalog and what is asked of it: our fields, `Catalog`, its health, and joining rankings.

    catalog.products                                # DataFrame indexed by product id
    catalog.warnings                                # what was wrong and what was done
    join_ranking(catalog, ["0042", "0007", "9999"]) # one row per ranked id, in order

A Catalog is read-only once built (by `fashionai.catalog.load`), so one object can be
shared between sessions. Ids are looked up through hashes rather than a Python object per
product (``_ids``).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal, TypeAlias

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from fashionai.catalog._ids import IdLookup
from fashionai.catalog._rows import RowStore
from fashionai.catalog._values import fold, fold_str
from fashionai.catalog.stock import in_stock, stock_counts

__all__ = ["CORE_FIELDS", "FIELDS", "MAX_ID_CHARS", "Catalog", "CatalogError", "CatalogHealth", "join_ranking"]

FIELDS: dict[str, str] = {
    "product_id": "Product id",
    "name": "Name",
    "category": "Category",
    "stock": "Stock",
    "price": "Price",
    "sale_price": "Sale price",
    "image_url": "Image URL",
    "brand": "Brand",
    "color": "Color",
    "style": "Style",
    "gender": "Gender",
    "size": "Size",
}
"""Our field names, each with a plain-English label, in display order."""

CORE_FIELDS = ("name", "category", "stock", "price", "image_url")
"""Fields every Catalog.products has as columns (blank when the file has none)."""

MAX_ID_CHARS = 1_000
"""The longest product id a catalog keeps, in characters. Real ids are codes of a few dozen
characters; a longer one is a column chosen wrongly or a hostile file. Rows with a longer id
are skipped (counted in `Catalog.long_ids`, with a warning), and a ranked id longer than every
id of the catalog is unknown without being hashed (see `_ids.IdLookup.positions`)."""

StockKind: TypeAlias = Literal["quantity", "yes/no", "missing"]
"""How a catalog says its stock: as quantities, as yes/no, or not at all."""


class CatalogError(ValueError):
    """The file cannot be used as a catalog; the message says why and what to do, in the page's
    words. `columns` are the file's columns when it was read that far, so that the page can offer
    them for mapping."""

    def __init__(self, message: str, *, columns: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.columns = list(columns)


@dataclass(frozen=True)
class CatalogHealth:
    """Figures for a catalog health report."""

    rows: int
    categories: dict[str, int]  # products per category, in the store's order
    uncategorised: int
    stock: dict[str, int]  # each StockState (catalog/stock.py): in_stock, low, out, unknown
    price: dict[str, float | None]  # count, missing, min, median, mean, max
    warnings: list[str]


@dataclass(frozen=True, eq=False)
class Catalog:
    """A loaded catalog. Read-only: share it, never change its frame.

    `products` is indexed by product id (str). `join_ranking`, `search` and
    `category_ids` find ids fast from the first call; pandas' own lookups
    (``products.loc[ids]``, ``id in products.index``) build pandas' hash table the
    first time, a fraction of a second for a million products.
    """

    products: pd.DataFrame = field(repr=False)
    warnings: list[str]
    mapping: dict[str, str]  # our field -> the file's column used for it
    source_columns: list[str]
    _fingerprint: Future[str] = field(repr=False)
    _lookup: IdLookup = field(repr=False)
    source_name: str = ""  # file name when known
    encoding: str = "utf-8"
    delimiter: str = ","
    skipped_rows: int = 0  # rows without a product id
    long_ids: int = 0  # rows skipped because their id is longer than MAX_ID_CHARS
    duplicate_ids: int = 0  # rows dropped because their id came earlier
    stock_kind: StockKind = "quantity"

    @property
    def fingerprint(self) -> str:
        """sha256 (hex) of the file's bytes and the columns override. Hashed beside the
        load, so reading it right away may wait a moment."""
        return self._fingerprint.result()

    @cached_property
    def nbytes(self) -> int:
        """The memory the catalog holds, in bytes: its frame (pandas' deep memory_usage, which
        for arrow-backed text reads the buffers) and its id lookup; not the rows the first join packs
        (``_rows``: about 26 bytes a product of the sample's columns, an eighth more)."""
        return int(self.products.memory_usage(index=True, deep=True).sum()) + self._lookup.nbytes

    @cached_property
    def categories(self) -> list[str]:
        """Category values in order of first appearance: the store's native order."""
        return list(self._category_positions)

    def category_ids(self, category: str) -> list[str]:
        """Product ids of a category in file order; [] for a category not in the file."""
        positions = self._category_positions.get(category)
        return [] if positions is None else self.products.index[positions].tolist()

    def positions(self, product_ids: Sequence[str] | np.ndarray) -> np.ndarray:
        """Row position in `products` of each id (-1 where the catalog lacks it), by the shared id index."""
        return self._lookup.positions(list(product_ids))

    def count_unknown(self, product_ids: Sequence[str]) -> int:
        """How many of `product_ids` (repeats counted) the catalog lacks."""
        return int((self.positions(product_ids) < 0).sum()) if len(product_ids) else 0

    def search(self, text: str, limit: int = 20) -> pd.DataFrame:
        """Products whose id is `text` (first) or whose name contains it, ignoring case
        and accents; at most `limit` rows, in file order after the exact id."""
        query = text.strip()
        if not query or limit < 1:
            return self.products.iloc[:0]
        exact = self._lookup.positions([query])[0]
        found = [exact] if exact >= 0 else []
        contains = pc.match_substring(self._folded_names, fold_str(query))
        hits = np.flatnonzero(pc.fill_null(contains, False).to_numpy(zero_copy_only=False))
        found += [p for p in hits[: limit + 1] if p != exact]
        return self.products.iloc[found[:limit]]

    def near(self, text: str, limit: int = 3) -> pd.DataFrame:
        """Products whose name holds the word closest to one of `text`'s words (a misspelling such
        as "jeanz" finds the jeans), when `search` finds none; at most `limit` rows, in file order.
        The words are compared with those of the names (difflib), not with every name."""
        words = [word for word in re.split(r"\W+", fold_str(text)) if len(word) > 2]
        close = [hit for word in words for hit in difflib.get_close_matches(word, self._name_words, n=1, cutoff=0.75)]
        if not close:
            return self.products.iloc[:0]
        return self.search(close[0], limit=limit)

    def health(self) -> CatalogHealth:
        """Figures for a health report: rows, categories, stock and prices."""
        products = self.products
        prices = products["price"].dropna()
        return CatalogHealth(
            rows=len(products),
            categories={name: len(rows) for name, rows in self._category_positions.items()},
            uncategorised=int(products["category"].isna().sum()),
            stock=stock_counts(products["stock"], self.stock_kind),
            price={
                "count": len(prices),
                "missing": len(products) - len(prices),
                **{stat: float(getattr(prices, stat)()) if len(prices) else None
                   for stat in ("min", "median", "mean", "max")},
            },
            warnings=list(self.warnings),
        )

    @cached_property
    def _category_positions(self) -> dict[str, np.ndarray]:
        return self.products.groupby("category", sort=False).indices

    @cached_property
    def _rows(self) -> RowStore:
        """The rows packed for `join_ranking` (``_rows``), built by the first join: a fraction of a second
        and a few dozen bytes a product for a million products. A changed catalog is a new Catalog
        (``dataclasses.replace``), which packs its own."""
        return RowStore(self.products)

    @cached_property
    def _name_words(self) -> list[str]:
        """The distinct words of the names, folded, longer than two letters."""
        words = pc.unique(pc.list_flatten(pc.split_pattern_regex(self._folded_names, r"\W+"))).drop_null()
        return [word for word in words.to_pylist() if len(word) > 2]

    @cached_property
    def _folded_names(self) -> pa.ChunkedArray:
        return fold(pa.chunked_array([pa.array(self.products["name"].array)]))


STOCK_KIND_ATTR = "stock_kind"
"""The key of a joined frame's `attrs` that holds its catalog's `stock_kind` (pandas keeps `attrs` through
slices, filters and `head`), so a card says a yes/no stock's "yes" as in stock, not as a quantity of one."""


def stock_kind_of(frame: pd.DataFrame) -> str:
    """The stock kind of a joined frame's catalog ("quantity" when the frame does not say)."""
    return str(frame.attrs.get(STOCK_KIND_ATTR, "quantity"))


def join_ranking(catalog: Catalog, product_ids: Iterable[str]) -> pd.DataFrame:
    """One row per ranked id, in the given order (repeats kept): rank (from 1),
    product_id, in_catalog, in_stock (NA when unknown), then the catalog's columns,
    blank for ids the catalog does not hold. Its `attrs` name the catalog's stock kind (`stock_kind_of`)."""
    ids = ["" if product_id is None else str(product_id).strip() for product_id in product_ids]
    positions = catalog._lookup.positions(ids)
    fields = catalog._rows.take(positions)  # packed rows: the same arrays as each column's take
    joined = pd.DataFrame({
        "rank": np.arange(1, len(ids) + 1),
        "product_id": pd.array(ids, dtype="str"),
        "in_catalog": positions >= 0,
        "in_stock": in_stock(fields["stock"]),
        **fields,
    })
    joined.attrs[STOCK_KIND_ATTR] = catalog.stock_kind  # read by the cards: yes/no stock has no "low stock"
    return joined


