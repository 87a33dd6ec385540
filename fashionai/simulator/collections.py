"""The simulator's sample merchandising collections: slices over its own catalog, and the active one.

Pure and deterministic, no HTTP: the simulator's collection route answers with
`DailyCollections.active(collection_id)`, the JSON of the vendor's field names.

    collections = sample_collections(products, now)     # {"1": [slice, ...], ..., "4": [...]}
    active_slice(collections, "1", now)                  # the slice the API returns, or None (404)
    daily = DailyCollections(products, clock)            # built once a UTC day, on first use
    daily.active("1")                                    # active_slice at clock()

The sample collections (dates relative to `now`'s day, in UTC):

    1 Winter Collection   an expired, an active and a scheduled slice (jackets, knitwear)
    2 Office Edit         two active slices at once: the API returns the one that started last;
                          the longer one filters by price, so pricier pieces are `active: false`
    3 Summer Preview      an expired and a scheduled slice, none active: the API answers 404
    4 Street & Sport      one long active slice (sporty and streetwear, at most 500 products),
                          with a product listed twice and one no longer in the catalog

A product out of stock never passes a slice's filters (`active: false`); unknown stock does.
Slices draw on the catalog's categories and styles; on a catalog whose words match none,
a slice draws on the whole catalog, so every slice has products.
"""

from __future__ import annotations

import copy
import hashlib
import re
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone
from typing import Any

import numpy as np
import pandas as pd

from fashionai.api.collections import MAX_SLICE_PRODUCTS, parse_instant, slice_status
from fashionai.simulator.affinity import simulated_available

__all__ = ["COLLECTION_IDS", "RETIRED_ID", "DailyCollections", "active_slice", "sample_collections"]


@dataclass(frozen=True)
class _Slice:
    slice_id: int
    name: str
    first_day: int  # days from now's day (UTC) to the day it starts, at 00:00:00
    last_day: int  # days from now's day to the day it ends, at 23:59:59
    words: tuple[str, ...] = ()  # any of these in the category (case-insensitive); () = any category
    styles: tuple[str, ...] = ()  # () = any style
    size: int = 24  # products it holds, at most
    max_price: float | None = None  # its price filter: pricier products are listed, inactive
    oddities: bool = False  # lists one product twice and one the catalog no longer has


@dataclass(frozen=True)
class _Collection:
    collection_id: int
    name: str
    description: str
    slices: tuple[_Slice, ...]


_WINTER_WORDS = ("jacket", "coat", "blazer", "knit", "sweater", "cardigan", "casaco", "jaqueta", "malha", "tricô")
_HOLIDAY_WORDS = ("knit", "sweater", "cardigan", "malha", "tricô")
_OFFICE_WORDS = ("jacket", "blazer", "trouser", "pant", "skirt", "top", "shirt", "calça", "saia", "camisa")
_SUMMER_WORDS = ("dress", "sandal", "skirt", "top", "vestido", "sandália", "saia")

COLLECTIONS = (
    _Collection(1, "Winter Collection", "Coats, knits and layers for the cold months.", (
        _Slice(10, "Autumn Layers", -60, -11, words=_WINTER_WORDS, size=30),
        _Slice(11, "Wool Coats & Knits", -10, 20, words=_WINTER_WORDS, size=40),
        _Slice(12, "Holiday Knits", 21, 60, words=_HOLIDAY_WORDS, size=24),
    )),
    _Collection(2, "Office Edit", "Tailoring and easy pieces for the working week.", (
        _Slice(20, "Workwear Essentials", -30, 30, styles=("office", "minimal"), size=48, max_price=400.0),
        _Slice(21, "Tailoring Week", -3, 4, words=_OFFICE_WORDS, styles=("office",), size=24),
    )),
    _Collection(3, "Summer Preview", "Light fabrics, sandals and colour for the warm season.", (
        _Slice(30, "Last Summer", -200, -100, words=_SUMMER_WORDS, size=30),
        _Slice(31, "Summer Preview", 30, 90, words=_SUMMER_WORDS, size=30),
    )),
    _Collection(4, "Street & Sport", "Everything sporty and street, in one long edit.", (
        _Slice(40, "Full Range", -5, 25, styles=("sporty", "streetwear"), size=MAX_SLICE_PRODUCTS, oddities=True),
    )),
)
COLLECTION_IDS = tuple(str(collection.collection_id) for collection in COLLECTIONS)
"""The sample collections' ids, as the URL spells them: "1".."4"."""
RETIRED_ID = "retired-1"
"""The id a slice with oddities lists for a product the catalog no longer has (made unique)."""


def _require_aware(now: object) -> datetime:
    if not isinstance(now, datetime) or now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be a datetime with a time zone (e.g. datetime.now(timezone.utc))")
    return now


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _table(products: pd.DataFrame) -> pd.DataFrame:
    """id (str), category, style (lowercased str, "" when missing), price, stock (floats, NaN when
    missing): one row per distinct id, in catalog order. Vectorised: a million rows take a second."""
    ids = products["product_id"] if "product_id" in products.columns else products.index.to_series()
    ids = pd.Series(ids.to_numpy(), dtype=ids.dtype).astype("str")  # missing ids stay missing

    def column(name: str) -> pd.Series:
        if name not in products.columns:
            return pd.Series(np.nan, index=ids.index)
        return pd.Series(products[name].to_numpy(), index=ids.index, dtype=products[name].dtype)

    def words(name: str) -> pd.Series:
        return column(name).astype("str").str.lower().fillna("")

    frame = pd.DataFrame({
        "id": ids,
        "category": words("category"),
        "style": words("style"),
        "price": pd.to_numeric(column("price"), errors="coerce").astype("float64"),
        "stock": pd.to_numeric(column("stock"), errors="coerce").astype("float64"),
    })
    frame = frame[frame["id"].notna() & (frame["id"].str.strip() != "")]
    frame = frame.drop_duplicates("id").reset_index(drop=True)
    frame["hash"] = pd.util.hash_array(frame["id"].to_numpy(dtype=object), hash_key=_HASH_KEY, categorize=False)
    return frame


_HASH_KEY = "fashionai-slices"  # 16 characters, as pandas wants
_ODD = np.uint64(0x9E3779B97F4A7C15)  # multiplying by an odd number shuffles the bits, one to one


def _hash_order(hashed: pd.Series, slice_id: int) -> np.ndarray:
    """A fixed, hand-picked-looking order of a slice's products (the same on every run): their
    id hashes, mixed with the slice's own number, sorted."""
    salt = np.uint64(int(hashlib.blake2b(f"slice-{slice_id}".encode(), digest_size=8).hexdigest(), 16))
    mixed = (hashed.to_numpy(dtype=np.uint64) ^ salt) * _ODD  # wraps around, as meant
    return np.argsort(mixed, kind="stable")  # equal values keep catalog order


def _pick(table: pd.DataFrame, spec: _Slice) -> pd.DataFrame:
    chosen = pd.Series(True, index=table.index)
    if spec.words:
        pattern = re.compile("|".join(re.escape(word) for word in spec.words))
        matching = [category for category in table["category"].unique() if pattern.search(category)]
        chosen &= table["category"].isin(matching)
    if spec.styles:
        chosen &= table["style"].isin(spec.styles)
    picked = table[chosen]
    if picked.empty:  # a catalog with other words: draw on all of it
        picked = table
    order = _hash_order(picked["hash"], spec.slice_id)
    room = spec.size - (2 if spec.oddities else 0)
    return picked.iloc[order[:room]]


def _slice_products(table: pd.DataFrame, spec: _Slice) -> list[dict[str, Any]]:
    picked = _pick(table, spec)
    passes = pd.Series(simulated_available(picked["stock"]), index=picked.index)  # unknown stock passes
    if spec.max_price is not None:
        passes &= ~(picked["price"] > spec.max_price)  # unknown price passes
    items = [
        {"productId": pid, "active": bool(ok)}
        for pid, ok in zip(picked["id"], passes, strict=True)
    ]
    if spec.oddities and items:
        retired, n = RETIRED_ID, 1
        while (table["id"] == retired).any():
            n += 1
            retired = f"retired-{n}"
        middle = len(items) // 2
        items.insert(middle, dict(items[0]))  # listed twice, as a hand-built slice can
        items.append({"productId": retired, "active": False})
    items = items[:MAX_SLICE_PRODUCTS]
    return [{"productId": item["productId"], "position": position, "active": item["active"]}
            for position, item in enumerate(items, start=1)]


def sample_collections(products: pd.DataFrame, now: datetime) -> dict[str, list[dict[str, Any]]]:
    """The sample collections over a catalog, each a list of its slices in the vendor's JSON.

    `products`: product ids in a `product_id` column or the index (as str); `category`,
    `style`, `price`, `stock` columns used when present (missing values allowed). Slice
    dates are relative to `now`'s day in UTC (an aware datetime), so the answer is the same
    for the same catalog all day. The work is one pass over the catalog per slice: build it
    once a day and keep it, rather than on every request.
    """
    today = datetime.combine(_require_aware(now).astimezone(timezone.utc).date(), time(), timezone.utc)
    table = _table(products)
    collections: dict[str, list[dict[str, Any]]] = {}
    for collection in COLLECTIONS:
        slices = []
        for spec in collection.slices:
            starts = today + timedelta(days=spec.first_day)
            ends = today + timedelta(days=spec.last_day, hours=23, minutes=59, seconds=59)
            slices.append({
                "collectionId": collection.collection_id,
                "collectionName": collection.name,
                "collectionDescription": collection.description,
                "sliceId": spec.slice_id,
                "sliceName": spec.name,
                "startsAt": _stamp(starts),
                "endsAt": _stamp(ends),
                "products": _slice_products(table, spec),
            })
        collections[str(collection.collection_id)] = slices
    return collections


def active_slice(
    collections: Mapping[str, Sequence[Mapping[str, Any]]], collection_id: object, now: datetime
) -> dict[str, Any] | None:
    """The slice the API answers for a collection at `now`: of the active ones (start and end
    included), the one that started last (on a tie, the later listed); None when the
    collection is unknown or has no active slice (the API's 404). A copy: change it freely."""
    _require_aware(now)
    slices = collections.get(str(collection_id), ())
    best, best_key = None, None
    for index, candidate in enumerate(slices):
        starts = parse_instant(candidate["startsAt"], "startsAt")
        ends = parse_instant(candidate["endsAt"], "endsAt")
        if slice_status(starts, ends, now) != "active":
            continue
        if best_key is None or (starts, index) > best_key:
            best, best_key = candidate, (starts, index)
    return None if best is None else copy.deepcopy(dict(best))


COLLECTION_COLUMNS = ("product_id", "category", "style", "price", "stock")
"""The catalog columns the sample collections read (the ids may be the index instead)."""


class DailyCollections:
    """The sample collections over one catalog, built on first use and again when `clock()`'s
    UTC day changes; thread-safe. Keeps only COLLECTION_COLUMNS of the catalog.

    `clock` returns the current time as an aware datetime (tests fix it).
    """

    def __init__(self, products: pd.DataFrame, clock: Callable[[], datetime]) -> None:
        self._products = products[[name for name in COLLECTION_COLUMNS if name in products.columns]]
        self._clock = clock
        self._lock = threading.Lock()
        self._day: object = None
        self._collections: dict[str, list[dict[str, Any]]] = {}

    def active(self, collection_id: object) -> dict[str, Any] | None:
        """The collection's active slice now (a copy), or None: unknown, or nothing active (404)."""
        now = _require_aware(self._clock())
        day = now.astimezone(timezone.utc).date()
        with self._lock:
            if self._day != day:
                self._collections = sample_collections(self._products, now)
                self._day = day
            collections = self._collections
        return active_slice(collections, collection_id, now)
