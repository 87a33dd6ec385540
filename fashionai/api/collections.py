"""A merchandising collection's active slice, typed: `GET .../merchandising-collections/protected/{id}`.

    slice_ = parse_collection(body)        # a CollectionSlice, or ShapeError
    slice_window(slice_, now)              # ("active", days left)
    client.collection("winter")            # a CollectionAnswer: its .slice, or None (HTTP 404)

The facts of a collection said here once: a slice holds at most `MAX_SLICE_PRODUCTS`
products and is active from its start to its end, both included (`slice_status`); the API
answers the active slice that started last, and 404 when none is active (a normal state).
"""

from __future__ import annotations

import math
import numbers
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal, NamedTuple
from urllib.parse import quote

from fashionai.api._shape import ShapeError, id_text, json_type, parse_instant, path_value
from fashionai.api.endpoints import ENDPOINTS
from fashionai.api.models import RequestRecord, SliceSeen

__all__ = ["COLLECTION_PATH", "MAX_SLICE_PRODUCTS", "NO_ACTIVE_SLICE", "CollectionAnswer", "CollectionSlice", "SliceProduct",
           "SliceStatus", "SliceWindow", "collection_path", "parse_collection", "parse_instant", "slice_status",
           "slice_window"]
# parse_instant (from _shape.py) is public here: a slice's dates read as the client reads them, by the simulator too

MAX_SLICE_PRODUCTS = 500
"""The most products a collection slice holds (the vendor's limit)."""
COLLECTION_PATH = ENDPOINTS["collection"].path
NO_ACTIVE_SLICE = 404
"""The HTTP status of a collection's answer when no slice is active now: a normal state, not a failure."""

SliceStatus = Literal["active", "scheduled", "expired"]


@dataclass(frozen=True)
class SliceProduct:
    """One product of a slice: its id, its hand-set position (1 first), and whether it passes
    the slice's filters (`active`)."""

    product_id: str
    position: int
    active: bool


@dataclass(frozen=True)
class CollectionSlice:
    """The active slice of a collection, as Fashion.AI answers it.

    `starts_at`/`ends_at` are aware datetimes in UTC. `products` are in position order
    (ties keep the answer's order); a product listed twice is kept twice (see `repeated_ids`).
    """

    collection_id: str
    collection_name: str
    description: str
    slice_id: str
    slice_name: str
    starts_at: datetime
    ends_at: datetime
    products: tuple[SliceProduct, ...]

    @property
    def product_ids(self) -> tuple[str, ...]:
        """The product ids in position order, repeats included."""
        return tuple(product.product_id for product in self.products)

    @property
    def repeated_ids(self) -> frozenset[str]:
        """The product ids listed more than once."""
        return frozenset(pid for pid, count in Counter(self.product_ids).items() if count > 1)

    @property
    def seen(self) -> SliceSeen:
        """What the history keeps of this slice beside its ids: its id, its name, its inactive products' ids."""
        return SliceSeen(self.slice_id, self.slice_name,
                         tuple(product.product_id for product in self.products if not product.active))


@dataclass(frozen=True)
class CollectionAnswer:
    """What `FashionAIClient.collection` got: the active slice, or None when no slice is active
    now (HTTP 404, a normal state: nothing is scheduled for this moment), and how it was obtained.

    `request` is what was sent (no headers, so no token); `elapsed` the seconds for the whole
    call, retries included; `attempts` the requests sent; `exchange_id` the `Exchange` the
    client's observer was given; `response_body` the parsed JSON (None for a 404).
    """

    collection_id: str  # as asked
    slice: CollectionSlice | None
    request: RequestRecord
    status_code: int
    elapsed: float
    attempts: int
    exchange_id: str | None = field(default=None, compare=False)
    response_body: Any = field(default=None, repr=False)  # Any: the parsed JSON, as received

    @property
    def active(self) -> bool:
        """Whether a slice is active now."""
        return self.slice is not None

    @property
    def product_ids(self) -> tuple[str, ...]:
        """The active slice's product ids in position order; () when none is active."""
        return () if self.slice is None else self.slice.product_ids


def _text(body: Mapping[str, Any], key: str, *, required: bool) -> str:
    if key not in body or body[key] is None:
        if required:
            raise ShapeError(f'the body has no "{key}"')
        return ""
    value = body[key]
    if not isinstance(value, str):
        raise ShapeError(f'"{key}" is a JSON {json_type(value)}, not a text')
    return value


def _slice_product(item: object, number: int) -> SliceProduct:
    what = f"product #{number}"
    if not isinstance(item, dict):
        raise ShapeError(f'{what} is a JSON {json_type(item)}, not an object with "productId"')
    for key in ("productId", "position", "active"):
        if key not in item:
            raise ShapeError(f'{what} has no "{key}"')
    product_id = id_text(item["productId"], f'the "productId" of {what}')
    position = item["position"]
    if isinstance(position, bool) or not isinstance(position, numbers.Integral) or position < 1:
        shown = repr(position) if json_type(position) == "number" else f"a JSON {json_type(position)}"
        raise ShapeError(f"{what} has position {shown}, not a whole number of at least 1")
    active = item["active"]
    if not isinstance(active, bool):
        raise ShapeError(f'"active" of {what} is a JSON {json_type(active)}, not true or false')
    return SliceProduct(product_id, int(position), active)


def parse_collection(body: object) -> CollectionSlice:
    """The slice in a collection answer, or a ShapeError saying what breaks the documented shape.

    Required: collectionId, sliceId (strings or whole numbers), collectionName, sliceName
    (texts), startsAt, endsAt (ISO 8601 with a zone; the end not before the start) and
    products (a list of at most MAX_SLICE_PRODUCTS objects with productId, position and
    active). collectionDescription may be missing or null (then "").
    """
    if not isinstance(body, dict):
        raise ShapeError(f"the body is a JSON {json_type(body)}, not an object with a collection slice")
    for key in ("collectionId", "sliceId"):
        if key not in body or body[key] is None:
            raise ShapeError(f'the body has no "{key}"')
    collection_id = id_text(body["collectionId"], '"collectionId"')
    slice_id = id_text(body["sliceId"], '"sliceId"')
    collection_name = _text(body, "collectionName", required=True)
    slice_name = _text(body, "sliceName", required=True)
    description = _text(body, "collectionDescription", required=False)
    for key in ("startsAt", "endsAt"):
        if key not in body or body[key] is None:
            raise ShapeError(f'the body has no "{key}"')
    starts_at = parse_instant(body["startsAt"], '"startsAt"')
    ends_at = parse_instant(body["endsAt"], '"endsAt"')
    if ends_at < starts_at:
        raise ShapeError('the slice ends ("endsAt") before it starts ("startsAt")')
    if "products" not in body:
        raise ShapeError('the body has no "products" list')
    items = body["products"]
    if not isinstance(items, list):
        raise ShapeError(f'"products" is a JSON {json_type(items)}, not a list')
    if len(items) > MAX_SLICE_PRODUCTS:
        raise ShapeError(
            f"the slice lists {len(items):,} products, more than the {MAX_SLICE_PRODUCTS} a slice may hold"
        )
    products = [_slice_product(item, number) for number, item in enumerate(items, start=1)]
    products.sort(key=lambda product: product.position)  # stable: equal positions keep their order
    return CollectionSlice(
        collection_id=collection_id,
        collection_name=collection_name,
        description=description,
        slice_id=slice_id,
        slice_name=slice_name,
        starts_at=starts_at,
        ends_at=ends_at,
        products=tuple(products),
    )


def slice_status(starts_at: datetime, ends_at: datetime, now: datetime) -> SliceStatus:
    """Scheduled before its start, active from its start to its end (both included), expired after."""
    _require_aware(now)
    if now < starts_at:
        return "scheduled"
    if now > ends_at:
        return "expired"
    return "active"


class SliceWindow(NamedTuple):
    """Where `now` falls in a slice's window.

    `days_left`: whole days until the slice ends, a started day counting as one (ends in
    5 hours: 1); 0 once it has ended. For a scheduled slice it counts to the end too;
    the page shows when it starts from `starts_at`.
    """

    status: SliceStatus
    days_left: int


def slice_window(slice_: CollectionSlice, now: datetime) -> SliceWindow:
    """The slice's status at `now` (an aware datetime) and the days left until it ends.

    Fashion.AI returns only an active slice: if this says "scheduled" or "expired" for an
    answer just received, this machine's clock and Fashion.AI's disagree.
    """
    status = slice_status(slice_.starts_at, slice_.ends_at, now)
    left = slice_.ends_at - now
    days = 0 if left <= timedelta(0) else math.ceil(left / timedelta(days=1))
    return SliceWindow(status, days)


def _require_aware(now: datetime) -> None:
    if not isinstance(now, datetime) or now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be a datetime with a time zone (e.g. datetime.now(timezone.utc))")


def collection_path(collection_id: object) -> str:
    """The URL path of a collection's active slice, the id percent-encoded."""
    text = path_value(collection_id, "the collection id")
    return COLLECTION_PATH.format(collection_id=quote(text, safe=""))

