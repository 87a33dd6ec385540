"""What the history holds: snapshots (one answer each), their summaries, the filters that select them, the errors.

A `Snapshot` is what one call sent and got back: time, backend, endpoint, event, session,
user, the id asked about (a search's query), the ranked product ids, latency, and the outcome (HTTP status
or the error's class name); for a site search also its totals (its page is in its URL), for a collection's slice its
id, name and inactive products. Never a header, so never the token: snapshots are made from
the client's `Exchange`, which holds none (`snapshot_from_exchange`). A `SnapshotSummary`
is a snapshot without its ranked ids (their count and the first few instead): a category
answer can hold tens of thousands of ids, and a list of snapshots need not read them.

Times are UTC: naive values are taken as UTC, and every time is held as an aware datetime.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pandas as pd

from fashionai.api.client import Exchange
from fashionai.api.collections import NO_ACTIVE_SLICE
from fashionai.config import HistoryError
from fashionai.database import DatabaseUnavailable
from fashionai.database import utc as aware_utc
from fashionai.domain import EventType, backend_label, call_label
from fashionai.team.people import who_words

FIRST_PRODUCTS = 5
"""Ranked ids a summary keeps: the first few, for a list of snapshots."""
MAX_NAME = 200
"""The longest name a snapshot may be given ("before the winter campaign")."""
FUTURE_TOLERANCE = timedelta(days=1)
"""How far ahead of this server's clock a snapshot may be dated: another machine's clock may run a little fast.
Later than that, an import leaves it out and retention counts it as the oldest."""


# --------------------------------------------------------------------------- errors


class HistoryImportError(HistoryError):
    """A snapshot file cannot be imported; the message names what is wrong and where."""


CORRUPT, READ_ONLY, MISSING_FOLDER, UNREACHABLE, FAILED = (
    "corrupt", "read_only", "missing_folder", "unreachable", "failed")
"""Why a history cannot be used (`HistoryUnavailable.cause`)."""


class HistoryUnavailable(HistoryError, DatabaseUnavailable):
    """The history's database cannot be used now; `cause` says why, the message says it in plain words.

    CORRUPT: the SQLite file is damaged or is no database; READ_ONLY: it can be read, saving
    is off; MISSING_FOLDER: its folder does not exist and cannot be made; UNREACHABLE: the
    database server does not answer; FAILED: any other database failure.
    """

    def __init__(self, message: str, cause: str = FAILED) -> None:
        super().__init__(message)
        self.cause = cause


# --------------------------------------------------------------------------- snapshots


class _Described:
    """Words for a snapshot or its summary: the outcome and a label for pickers."""

    recorded_at: datetime
    endpoint: str
    event_type: str
    session_id: str | None
    user_id: str | None
    item_id: str | None
    status_code: int | None
    error: str | None
    total_items: int | None
    total_pages: int | None

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def outcome(self) -> str:
        """``HTTP 200``, ``RateLimitError (HTTP 429)``, ``APITimeoutError``; a collection's 404 (a normal
        answer) ``No active slice (HTTP 404)``."""
        if self.ok and self.event_type == EventType.COLLECTION and self.status_code == NO_ACTIVE_SLICE:
            return f"No active slice (HTTP {NO_ACTIVE_SLICE})"
        if self.ok:
            return f"HTTP {self.status_code}" if self.status_code is not None else "ok"
        return f"{self.error} (HTTP {self.status_code})" if self.status_code is not None else str(self.error)

    @property
    def search_page(self) -> int | None:
        """The page a site search asked for (its URL's ``page``); None for any other call."""
        if self.event_type != EventType.SEARCH:
            return None
        page = parse_qs(urlsplit(self.endpoint).query).get("page", [""])[0]
        return int(page) if page.isdigit() else None

    @property
    def search_words(self) -> str | None:
        """A search as people read it: 'Search “vestido azul”, page 2 of 5 (47 results)', 'WhatsApp search
        “tênis”, size 42'; None for any other call."""
        if self.event_type not in (EventType.SEARCH, EventType.DETAILED_SEARCH):
            return None
        words = f"{call_label(self.event_type)} “{self.item_id or ''}”"
        if self.event_type == EventType.DETAILED_SEARCH:
            size = parse_qs(urlsplit(self.endpoint).query).get("size", [""])[0]
            return words + (f", size {size}" if size else "")
        if self.search_page is not None:
            words += f", page {self.search_page:,}"
            if self.total_pages:
                words += f" of {self.total_pages:,}"
        if self.total_items is not None:
            words += f" ({self.total_items:,} result{'' if self.total_items == 1 else 's'})"
        return words

    @property
    def label(self) -> str:
        """Short words for pickers: when, which event (a search in words), for whom."""
        who = self.session_id or "no session"
        if self.user_id:
            who += f" · user {self.user_id}"
        item = f" {self.item_id}" if self.item_id else ""
        return f"{self.recorded_at:%Y-%m-%d %H:%M:%S} UTC · {self.search_words or self.event_type + item} · {who}"


@dataclass(frozen=True)
class Snapshot(_Described):
    """One answer the app received (or the failure it met instead)."""

    id: str  # 32 hex digits: the client's Exchange.id, unique across deployments
    recorded_at: datetime  # when the answer arrived, UTC (naive values are taken as UTC)
    backend: str  # a Backend
    endpoint: str  # the URL called, with its query (never a header)
    event_type: str  # an EventType
    session_id: str | None
    user_id: str | None
    item_id: str | None  # the category or product id asked about; "" for customShelf
    products: tuple[str, ...]  # ranked ids, best first; () for an empty answer or a failure
    elapsed: float  # seconds, retries included
    attempts: int = 1
    status_code: int | None = None  # the last HTTP status; None when no answer arrived
    error: str | None = None  # the error's class name; None when the call succeeded
    total_items: int | None = None  # a site search's totals (its answer's); None for any other answer
    total_pages: int | None = None
    slice_id: str | None = None  # a collection answer's slice (its id, its name, its inactive products' ids);
    slice_name: str | None = None  # None for any other answer, a 404, and a slice saved before they were kept
    inactive: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "recorded_at", utc(self.recorded_at))
        object.__setattr__(self, "products", tuple(str(pid) for pid in self.products))
        if self.inactive is not None:
            object.__setattr__(self, "inactive", tuple(str(pid) for pid in self.inactive))

    @property
    def product_count(self) -> int:
        return len(self.products)

    @property
    def first_products(self) -> tuple[str, ...]:
        """The first FIRST_PRODUCTS ranked ids."""
        return self.products[:FIRST_PRODUCTS]


@dataclass(frozen=True)
class SnapshotSummary(_Described):
    """A snapshot without its ranked ids: how many there are and the first few (FIRST_PRODUCTS).

    What a list of snapshots shows, read without the ids (`HistoryStore.summaries`);
    `HistoryStore.get` reads the whole snapshot.
    """

    id: str
    recorded_at: datetime  # UTC
    backend: str
    endpoint: str
    event_type: str
    session_id: str | None
    user_id: str | None
    item_id: str | None
    product_count: int
    first_products: tuple[str, ...]
    elapsed: float
    attempts: int = 1
    status_code: int | None = None
    error: str | None = None
    total_items: int | None = None
    total_pages: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "recorded_at", utc(self.recorded_at))
        object.__setattr__(self, "first_products", tuple(str(pid) for pid in self.first_products))


def snapshot_from_exchange(exchange: Exchange, backend: str) -> Snapshot:
    """The snapshot of one of the client's exchanges (request body and URL, never headers)."""
    request = exchange.request
    event, session, user, item = request.asked()  # as sent: never a header, so never the token
    seen = exchange.slice_seen
    return Snapshot(
        id=exchange.id,
        recorded_at=exchange.timestamp,
        backend=backend,
        endpoint=request.url,
        event_type=event,
        session_id=None if session is None else str(session),
        user_id=None if user is None else str(user),
        item_id=item,
        products=exchange.products,
        elapsed=float(exchange.elapsed),
        attempts=int(exchange.attempts),
        status_code=exchange.status_code,
        error=exchange.error,
        total_items=None if exchange.totals is None else exchange.totals[0],
        total_pages=None if exchange.totals is None else exchange.totals[1],
        slice_id=None if seen is None else seen.slice_id,
        slice_name=None if seen is None else seen.slice_name,
        inactive=None if seen is None else seen.inactive,
    )


def clean_name(name: str | None) -> str:
    """A snapshot's name as kept: spaces collapsed, "" for none. ValueError past MAX_NAME or with a NUL."""
    text = " ".join(str(name or "").split())
    if len(text) > MAX_NAME or "\x00" in text:
        raise ValueError(f"a snapshot's name holds at most {MAX_NAME} characters")
    return text


def utc(moment: datetime) -> datetime:
    """`moment` as an aware UTC datetime (a naive one is taken as UTC). TypeError for anything else."""
    if not isinstance(moment, datetime):
        raise TypeError(f"a snapshot's time must be a datetime, not {type(moment).__name__}")
    return aware_utc(moment)


# --------------------------------------------------------------------------- selecting and listing


@dataclass(frozen=True)
class Filters:
    """What `HistoryStore.query` and `count` select; None means any. `until` is exclusive."""

    session_id: str | None = None
    user_id: str | None = None
    item_id: str | None = None  # the category or product asked about
    event_type: str | None = None
    backend: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    ok: bool | None = None  # True: answers only; False: failures only
    owner: str | None = None  # who made them (a person's e-mail, "local"): the History page's "Mine"

    @classmethod
    def for_days(cls, first: date | None, last: date | None, **criteria: Any) -> Filters:  # Any: Filters' fields
        """Filters for whole UTC days from `first` to `last`, both included."""
        since = datetime.combine(first, time(), timezone.utc) if first else None
        until = datetime.combine(last, time(), timezone.utc) + timedelta(days=1) if last and last < date.max else None
        return cls(since=since, until=until, **criteria)


@dataclass(frozen=True)
class ImportResult:
    """What an import did with each snapshot of the file (`HistoryStore.import_json`)."""

    added: int
    already_there: int  # same snapshot id already in the history
    too_old: int  # older than the history keeps: not added
    in_future: int = 0  # dated beyond FUTURE_TOLERANCE ahead of this server's clock: not added
    over_limit: int = 0  # beyond the history's max_count, which keeps the snapshots already there: not added


def first_products_text(ids: Sequence[str], count: int, product_names: Mapping[str, Any] | None = None) -> str:
    """A list's first products: "Red dress (000814), 000815 …", each with its name when the catalog has one."""
    def shown(pid: str) -> str:
        name = product_names.get(pid) if product_names is not None else None
        return f"{name} ({pid})" if isinstance(name, str) and name.strip() else pid
    return ", ".join(shown(pid) for pid in ids) + (" …" if count > FIRST_PRODUCTS else "")


def snapshots_frame(snapshots: Sequence[Snapshot | SnapshotSummary], *,
                    product_names: Mapping[str, Any] | None = None,
                    snapshot_names: Mapping[str, str] | None = None,
                    snapshot_owners: Mapping[str, str] | None = None) -> pd.DataFrame:
    """One row a snapshot (or summary), for browsing: its name (`snapshot_names`), when, what, for whom, how
    many products and the first ones (with their `product_names`, from the catalog in use), the outcome, and
    who made it (`snapshot_owners`, in words)."""
    columns = {"name": "str", "recorded_at": "datetime64[us, UTC]", "event_type": "str", "item_id": "str",
               "session_id": "str", "user_id": "str", "products": "int64", "first_products": "str",
               "elapsed_ms": "float64", "outcome": "str", "backend": "str", "made_by": "str", "id": "str"}
    rows = [{
        "name": (snapshot_names or {}).get(s.id, ""), "recorded_at": s.recorded_at, "event_type": s.event_type,
        "item_id": s.item_id or "", "session_id": s.session_id or "", "user_id": s.user_id or "",
        "products": s.product_count, "first_products": first_products_text(s.first_products, s.product_count,
                                                                           product_names),
        "elapsed_ms": round(s.elapsed * 1000, 1), "outcome": s.outcome, "backend": backend_label(s.backend),
        "made_by": who_words((snapshot_owners or {}).get(s.id)), "id": s.id,
    } for s in snapshots]
    frame = pd.DataFrame(rows, columns=list(columns))
    return frame.astype(columns)
