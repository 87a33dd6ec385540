"""A comparison: the lanes of one category measured against each other, at one k and p.

`Comparison` holds every fetched `lanes.Lane` with the category's native order and
the catalog rows of every product shown. The measures, the bump chart's frame, the
attribute lift, the change lists and the side-by-side top k are read off the lanes'
rankings, encoded once (`ranking.Rankings`), when first asked for. `remeasure(k=...,
p=...)` gives the same lanes at another k or p without calling Fashion.AI again.

`Comparison.of` builds one from lanes however they were got: fetched now
(`fetch.compare_lanes`) or rebuilt from saved answers (the history's replays).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from types import MappingProxyType
from typing import TypeVar

import pandas as pd

from fashionai.catalog import Catalog
from fashionai.catalog.stock import in_stock
from fashionai.compare.lanes import Lane
from fashionai.domain import DEFAULT_K, DEFAULT_P
from fashionai.measures.attributes import attribute_lift, known_attributes
from fashionai.measures.ranked_ids import check_k, check_p, unique_ids
from fashionai.measures.ranking import MEASURES, Rankings, move_note
from fashionai.text.formatting import is_missing, safe_image_url

T = TypeVar("T")

MEMO_SIZE = 96
"""Views' values (`Comparison.memo`) kept per set of lanes, the oldest dropped first: enough for every
chart of a few dozen views, a few megabytes at most."""
INFO_COLUMNS = ("name", "category", "stock", "in_stock", "price", "image_url", "color", "style", "brand")
"""The catalog columns a comparison keeps of every product it shows."""

CHANGE_WORDS = {"up": "up {n}", "down": "down {n}", "same": "same place", "new": "new in the top {k}, {note}",
                "dropped": "dropped from the top {k}, {note}"}
"""Words for each change; {note} says where a new product came from or a dropped one went
(`ranking.move_note`: "from #70", "to #25", "not returned", ...)."""


@dataclass(frozen=True, eq=False)
class Comparison:
    """Every lane of one category, and what the measures and charts need, for one k and p.

    The measure and chart frames are computed from the stored rankings when first
    read, then kept; they are read-only. `remeasure` returns a new Comparison for
    another k or p, sharing the lanes (no call to Fashion.AI).
    """

    category: str
    lanes: tuple[Lane, ...]
    native: tuple[str, ...]  # the category in catalog order
    products: pd.DataFrame = field(repr=False)  # catalog rows (INFO_COLUMNS) of every id shown, by product id
    k: int = DEFAULT_K
    p: float = DEFAULT_P
    search: bool = False  # the lanes are of a search query (`category` is the query, `native` the store's match)
    _shared: dict = field(default_factory=dict, repr=False)
    """What does not depend on k or p (the encoded rankings, which keep every measure of a pair) and
    the views' values kept by `memo`, shared with every `remeasure` of these lanes."""

    def __post_init__(self) -> None:
        check_k(self.k)
        check_p(self.p)

    @classmethod
    def of(
        cls, category: str, lanes: Sequence[Lane], native: Sequence[str], catalog: Catalog, *,
        k: int = DEFAULT_K, p: float = DEFAULT_P, search: bool = False,
    ) -> Comparison:
        """The comparison of these lanes of `category` (whose catalog order is `native`), with the
        catalog rows of every product they show (`search`: the lanes are of a query, `category`, and `native` is the
        store's own text match). ValueError for a k or p the measures refuse."""
        native = tuple(native)
        return cls(category, tuple(lanes), native, _products(catalog, native, lanes), k=k, p=p, search=search)

    # Derived from the rankings at k and p, computed when first read (then kept).

    @property
    def encoded(self) -> Rankings:
        """The drawable lanes' rankings encoded once (`ranking.Rankings`), shared across k and p."""
        rankings = self._shared.get("rankings")
        if rankings is None:
            rankings = self._shared.setdefault("rankings", Rankings(self.rankings))
        return rankings

    @cached_property
    def pairwise(self) -> pd.DataFrame:
        """Every measure for every pair of drawable lanes (`Rankings.pairwise_table`)."""
        return self.encoded.pairwise_table(p=self.p, k=self.k)

    def pair(self, one: str, two: str) -> dict | None:
        """The `pairwise` row of lanes `one` and `two` (either way round), if measured."""
        table = self.pairwise
        rows = table[((table["lane_a"] == one) & (table["lane_b"] == two))
                     | ((table["lane_a"] == two) & (table["lane_b"] == one))]
        return rows.iloc[0].to_dict() if len(rows) else None

    @cached_property
    def matrices(self) -> MappingProxyType:
        """Measure name -> lane-by-lane `Rankings.similarity_matrix`, for every measure.

        The engine keeps each pair's measure, so no pair is measured twice (`pairwise` included).
        """
        return MappingProxyType({measure: self.encoded.similarity_matrix(measure, p=self.p, k=self.k)
                                 for measure in MEASURES})

    @cached_property
    def rank_long(self) -> pd.DataFrame:
        """`Rankings.rank_matrix` of the drawable lanes: the bump chart's data."""
        return self.encoded.rank_matrix(self.k)

    @cached_property
    def lift(self) -> pd.DataFrame:
        """`attributes.attribute_lift` of every drawable lane's top k against the category."""
        attributes = known_attributes(self.products, self.encoded, self.k)
        return attribute_lift(self.products, self.rankings, self.native, k=self.k, attributes=attributes)

    @property
    def rankings(self) -> dict[str, tuple[str, ...]]:
        """Label -> ranking of every lane that has one to draw, in lane order."""
        return {lane.label: lane.ranking for lane in self.lanes if lane.usable}

    @property
    def labels(self) -> list[str]:
        return [lane.label for lane in self.lanes]

    @property
    def usable_labels(self) -> list[str]:
        return list(self.rankings)

    @property
    def info(self) -> pd.DataFrame:
        """Name, stock and in_stock by product id: tooltips for the charts."""
        return self.products[[c for c in ("name", "stock", "in_stock") if c in self.products.columns]]

    def lane(self, label: str) -> Lane:
        for lane in self.lanes:
            if lane.label == label:
                return lane
        raise KeyError(label)

    def default_reference(self) -> str | None:
        """The native order if it can be drawn, else the first lane that can."""
        usable = self.usable_labels
        native = [lane.label for lane in self.lanes if lane.native_order and lane.usable]
        return native[0] if native else (usable[0] if usable else None)

    def remeasure(self, *, k: int | None = None, p: float | None = None) -> Comparison:
        """The same lanes measured at another k and/or p, from the stored rankings (no call).

        A view asked for again gets the same Comparison back, with what it already computed."""
        k = self.k if k is None else k
        p = self.p if p is None else p
        if k == self.k and p == self.p:
            return self  # keeps what was already computed
        check_k(k)
        check_p(p)
        return self.memo(("view", k, p), lambda: replace(self, k=k, p=p))

    def memo(self, key: tuple, build: Callable[[], T]) -> T:
        """The value kept under `key` for these lanes, built by `build()` the first time it is asked for.

        Shared by every `remeasure` of these lanes, so `key` must hold every view value the value depends
        on (k, p, the reference, ...). At most MEMO_SIZE values are kept, the oldest dropped first."""
        kept: dict = self._shared.setdefault("memo", {})
        if key in kept:
            kept[key] = kept.pop(key)  # the most recently used last
            return kept[key]
        value = build()
        kept[key] = value
        while len(kept) > MEMO_SIZE:
            kept.pop(next(iter(kept)))
        return value

    def changes(self, reference: str, other: str) -> pd.DataFrame:
        """The change list from `reference` to `other` in the top k, with names and images.

        Columns: movement (words: "up 3", "new in the top 10, from #70", ...), image_url (safe to
        show), name, rank, ref_rank, change, delta, stock, price, product_id. Rows as
        `Rankings.changes`: other's top k by rank, then the dropped ones.
        """
        frame = self.encoded.changes(reference, other, k=self.k)
        return _with_products(frame, self.products, self.k)

    def change_summary(self, reference: str) -> pd.DataFrame:
        """For every other lane: how many of its top k moved up, down, stayed, are new, dropped."""
        rows = []
        for label in self.encoded.names:
            if label == reference:
                continue
            counts = self.encoded.changes(reference, label, k=self.k)["change"].value_counts()
            rows.append({"lane": label} | {c: int(counts.get(c, 0)) for c in CHANGE_WORDS})
        columns = ["lane", "up", "down", "same", "new", "dropped"]
        return pd.DataFrame(rows, columns=columns).astype({"lane": "str"} | dict.fromkeys(columns[1:], "int64"))

    def top_k(self) -> pd.DataFrame:
        """The top k of every drawable lane side by side: rows are ranks, cells product names."""
        names = self.products["name"] if "name" in self.products.columns else pd.Series(dtype="str")
        table = {}
        encoded = self.encoded
        for label in encoded.names:
            top = encoded.ids(encoded.top(label, self.k))
            table[label] = pd.Series([_display_name(names.get(pid), pid) for pid in top]
                                     + [""] * (self.k - len(top)), dtype="str")
        frame = pd.DataFrame(table)
        frame.index = pd.RangeIndex(1, self.k + 1, name="rank")
        return frame


def _products(catalog: Catalog, native: tuple[str, ...], lanes: Sequence[Lane]) -> pd.DataFrame:
    """Catalog rows of the category and of every id a lane shows (INFO_COLUMNS, with in_stock)."""
    ids = unique_ids([native, *(lane.ranking for lane in lanes)])
    source = catalog.products
    positions = catalog.positions(ids)
    columns = [c for c in INFO_COLUMNS if c in source.columns]
    frame = source.iloc[positions[positions >= 0]][columns].copy()
    frame.index = pd.Index(frame.index, dtype="str", name="product_id")
    if "stock" in frame.columns:
        frame["in_stock"] = in_stock(frame["stock"])
    if "price" in frame.columns:  # plain floats, NaN where unknown (price bands read float64)
        frame["price"] = pd.to_numeric(frame["price"], errors="coerce").astype("float64")
    return frame[[c for c in INFO_COLUMNS if c in frame.columns]]


def _display_name(name: object, product_id: str) -> str:
    if is_missing(name) or not str(name).strip():
        return f"Unknown product {product_id}"
    return str(name)


def _with_products(changes: pd.DataFrame, products: pd.DataFrame, k: int) -> pd.DataFrame:
    """`rank_changes` with the words for each move, and the product's name, safe image, stock, price."""
    frame = changes.copy()
    ids = frame["product_id"]

    def column(name: str) -> pd.Series:
        return products[name] if name in products.columns else pd.Series(dtype="object")

    names, images = column("name"), column("image_url")
    frame["name"] = pd.Series([_display_name(names.get(pid), pid) for pid in ids], index=frame.index, dtype="str")
    frame["image_url"] = pd.Series([safe_image_url(images.get(pid)) for pid in ids], index=frame.index, dtype="str")
    frame["stock"] = pd.array([column("stock").get(pid) for pid in ids], dtype="Int64")
    frame["price"] = pd.array([column("price").get(pid) for pid in ids], dtype="float64")
    frame["movement"] = pd.Series([
        CHANGE_WORDS[change].format(n="" if is_missing(delta) else abs(int(delta)), k=k,
                                    note=move_note(change, ref_rank, rank))
        for change, delta, ref_rank, rank in zip(frame["change"], frame["delta"], frame["ref_rank"], frame["rank"], strict=True)
    ], index=frame.index, dtype="str")
    order = ["movement", "image_url", "name", "rank", "ref_rank", "change", "delta", "stock", "price", "product_id"]
    return frame[order].reset_index(drop=True)

