"""The history: every answer the app received from Fashion.AI or the simulator, kept as snapshots.

    store = HistoryStore(default_history_url())
    store.record(snapshot_from_exchange(exchange, backend="simulator"))
    store.query(Filters(session_id="sess-1", since=yesterday))   # newest first
    store.get(["3f2a…", "9c1b…"])                                 # in the order asked
    store.summaries(Filters(session_id="sess-1"))                 # the same, without the ranked ids

A `Snapshot` is what one call sent and got back: time, backend, endpoint, event, session,
user, the id asked about, the ranked product ids, latency, and the outcome (HTTP status
or the error's class name). Never a header, so never the token: snapshots are made from
the client's `Exchange`, which holds none. A `SnapshotSummary` is a snapshot without its
ranked ids (their count and the first few instead): a category answer can hold tens of
thousands of ids, and a list of snapshots need not read them.

One code path (SQLAlchemy Core) for the two stores:

- SQLite, the default: one file, created with its folder on first use, in WAL mode with
  a busy timeout, so the many browser sessions of one server (threads) write at once.
  Every write transaction starts with its write (reads happen before, apart), so a
  waiting writer never has to give up on a stale read.
- PostgreSQL, for a team with several app servers: ``postgresql://user:pw@host/db``
  (driven by psycopg 3; ``postgres://`` and ``postgresql+psycopg://`` work too).

Where it lives: ``FASHIONAI_HISTORY_URL``, else ``history_url`` under ``[fashionai]`` in
secrets, else ``history.db`` in the user's data folder (platformdirs), never inside the
repository. A plain path is taken as a SQLite file.

Retention: snapshots older than ``FASHIONAI_HISTORY_MAX_AGE_DAYS`` (default 90) and
beyond the newest ``FASHIONAI_HISTORY_MAX_COUNT`` (default 100,000) are deleted when
the store is first used and every `RETENTION_EVERY` records after that; 0 means no limit.
A snapshot dated more than `FUTURE_TOLERANCE` ahead of the clock (a clock that was
wrong) counts as the oldest, so it can never push real snapshots out.

Exports are JSON (`snapshots_to_json`); `HistoryStore.import_json` checks a file
completely before adding anything, so a bad file changes nothing. The checks take
whatever the studio records (any text, any length: the file's size is the bound) and
refuse wrong structure. An import never costs a snapshot already there: snapshots
dated beyond `FUTURE_TOLERANCE` are left out, and so are those that would take the
history over its ``max_count`` (the newest that fit are added); each is counted.

A history that cannot be used raises `HistoryUnavailable`, whose message says why in
plain words (a damaged file, a read-only file, a folder that cannot be made, a database
that does not answer). A read-only SQLite file (or an address ending ``?mode=ro``) is
read, and saving is off (`HistoryStore.read_only`).

Times are UTC: stored without a zone, returned as aware datetimes.
"""

from __future__ import annotations

import functools
import json
import logging
import math
import re
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote, urlsplit

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import URL, make_url

from fashionai.api.client import Exchange, Recommendation, RequestRecord
from fashionai.catalog import Catalog, join_ranking
from fashionai.comparison import Comparison
from fashionai.domain import SNAPSHOT_ID, Backend, EventType
from fashionai.lanes import (
    BEST_SELLERS,
    NATIVE,
    SOURCE_FASHIONAI,
    SOURCE_NATIVE,
    SOURCE_SALES,
    Lane,
    LaneSpec,
    with_unique_labels,
)
from fashionai.preview import NATIVE_ORDER, PERSONALIZED, LookPreview, StorefrontPreview

log = logging.getLogger(__name__)
T = TypeVar("T")

APP_NAME = "fashionai-studio"
ENV_URL = "FASHIONAI_HISTORY_URL"
ENV_MAX_AGE = "FASHIONAI_HISTORY_MAX_AGE_DAYS"
ENV_MAX_COUNT = "FASHIONAI_HISTORY_MAX_COUNT"
DEFAULT_MAX_AGE_DAYS = 90
DEFAULT_MAX_COUNT = 100_000
RETENTION_EVERY = 200
"""Records between two automatic retention runs (per process)."""
BUSY_TIMEOUT = 15.0
"""Seconds a SQLite writer waits for another one before giving up."""


EXPORT_FORMAT = "fashionai-studio/snapshots"
EXPORT_VERSION = 1
MAX_IMPORT_BYTES = 50_000_000
MAX_IMPORT_SNAPSHOTS = 100_000
MAX_PRODUCTS = 1_000_000
"""Ranked ids an imported snapshot may hold: a category answer can hold a whole large category."""
FUTURE_TOLERANCE = timedelta(days=1)
"""How far ahead of this server's clock a snapshot may be dated: another machine's clock may run a little fast.
Later than that, an import leaves it out and retention counts it as the oldest."""
MAX_GET = 100
"""Snapshot ids looked up in one query (an IN list the database takes comfortably)."""
DEFAULT_LIMIT = 500

_ERROR_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,99}$")


class HistoryError(ValueError):
    """The history cannot be used as configured; the message says what to change."""


class HistoryImportError(HistoryError):
    """A snapshot file cannot be imported; the message names what is wrong and where."""


CORRUPT, READ_ONLY, MISSING_FOLDER, UNREACHABLE, FAILED = (
    "corrupt", "read_only", "missing_folder", "unreachable", "failed")
"""Why a history cannot be used (`HistoryUnavailable.cause`)."""


class HistoryUnavailable(HistoryError):
    """The history's database cannot be used now; `cause` says why, the message says it in plain words.

    CORRUPT: the SQLite file is damaged or is no database; READ_ONLY: it can be read, saving
    is off; MISSING_FOLDER: its folder does not exist and cannot be made; UNREACHABLE: the
    database server does not answer; FAILED: any other database failure.
    """

    def __init__(self, message: str, cause: str = FAILED) -> None:
        super().__init__(message)
        self.cause = cause


# --------------------------------------------------------------------------- snapshots


FIRST_PRODUCTS = 5
"""Ranked ids a summary keeps: the first few, for a list of snapshots."""


class _Described:
    """Words for a snapshot or its summary: the outcome and a label for pickers."""

    recorded_at: datetime
    event_type: str
    session_id: str | None
    user_id: str | None
    item_id: str | None
    status_code: int | None
    error: str | None

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def outcome(self) -> str:
        """``HTTP 200``, ``RateLimitError (HTTP 429)``, ``APITimeoutError``."""
        if self.ok:
            return f"HTTP {self.status_code}" if self.status_code is not None else "ok"
        return f"{self.error} (HTTP {self.status_code})" if self.status_code is not None else str(self.error)

    @property
    def label(self) -> str:
        """Short words for pickers: when, which event, for whom."""
        who = self.session_id or "no session"
        if self.user_id:
            who += f" · user {self.user_id}"
        item = f" {self.item_id}" if self.item_id else ""
        return f"{self.recorded_at:%Y-%m-%d %H:%M:%S} UTC · {self.event_type}{item} · {who}"


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

    def __post_init__(self) -> None:
        object.__setattr__(self, "recorded_at", _utc(self.recorded_at))
        object.__setattr__(self, "products", tuple(str(pid) for pid in self.products))

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

    def __post_init__(self) -> None:
        object.__setattr__(self, "recorded_at", _utc(self.recorded_at))
        object.__setattr__(self, "first_products", tuple(str(pid) for pid in self.first_products))


def snapshot_from_exchange(exchange: Exchange, backend: str) -> Snapshot:
    """The snapshot of one of the client's exchanges (request body and URL, never headers)."""
    request = exchange.request
    event, session, user, item = request.asked()  # as sent: never a header, so never the token
    return Snapshot(
        id=exchange.id,
        recorded_at=exchange.timestamp,
        backend=backend,
        endpoint=request.url,
        event_type=event,
        session_id=_text_or_none(session),
        user_id=_text_or_none(user),
        item_id=item,
        products=exchange.products,
        elapsed=float(exchange.elapsed),
        attempts=int(exchange.attempts),
        status_code=exchange.status_code,
        error=exchange.error,
    )


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

    @classmethod
    def for_days(cls, first: date | None, last: date | None, **criteria: Any) -> Filters:
        """Filters for whole UTC days from `first` to `last`, both included."""
        since = datetime.combine(first, time(), timezone.utc) if first else None
        until = datetime.combine(last, time(), timezone.utc) + timedelta(days=1) if last and last < date.max else None
        return cls(since=since, until=until, **criteria)


@dataclass(frozen=True)
class ImportResult:
    added: int
    already_there: int  # same snapshot id already in the history
    too_old: int  # older than the history keeps: not added
    in_future: int = 0  # dated beyond FUTURE_TOLERANCE ahead of this server's clock: not added
    over_limit: int = 0  # beyond the history's max_count, which keeps the snapshots already there: not added


# --------------------------------------------------------------------------- configuration


@dataclass(frozen=True)
class HistoryConfig:
    url: str = field(repr=False)  # may hold a database password
    source: str
    max_age_days: float | None = DEFAULT_MAX_AGE_DAYS
    max_count: int | None = DEFAULT_MAX_COUNT


def default_history_url() -> str:
    """``sqlite:///…/history.db`` in the user's data folder (e.g. ~/.local/share/fashionai-studio)."""
    import platformdirs  # only needed here

    path = platformdirs.user_data_path(APP_NAME, appauthor=False) / "history.db"
    return "sqlite:///" + path.as_posix()


def resolve_history_config(environ: Mapping[str, str], secrets: Mapping[str, Any] | None = None) -> HistoryConfig:
    """Where the history lives and what it keeps: the environment, then secrets, then defaults."""
    section: Mapping[str, Any] = {}
    if secrets and isinstance(secrets.get("fashionai"), Mapping):
        section = secrets["fashionai"]

    def setting(env: str, key: str) -> tuple[str | None, str]:
        value = str(environ.get(env) or "").strip()
        if value:
            return value, f"{env} environment variable"
        value = str(section.get(key) or "").strip()
        return (value, f".streamlit/secrets.toml ([fashionai] {key})") if value else (None, "default")

    url, source = setting(ENV_URL, "history_url")
    if url is None:
        url, source = default_history_url(), "default (your user data folder)"
    normalize_url(url)  # refuse a bad address now, with a message saying where it came from

    age_text, age_source = setting(ENV_MAX_AGE, "history_max_age_days")
    count_text, count_source = setting(ENV_MAX_COUNT, "history_max_count")
    return HistoryConfig(
        url=url,
        source=source,
        max_age_days=_limit(age_text, age_source, DEFAULT_MAX_AGE_DAYS, float, "a number of days"),
        max_count=_limit(count_text, count_source, DEFAULT_MAX_COUNT, int, "a whole number of snapshots"),
    )


def _limit(text: str | None, source: str, default: Any, kind: type, what: str) -> Any:
    if text is None:
        return default
    try:
        value = kind(text)
    except ValueError:
        value = -1
    if not (isinstance(value, (int, float)) and math.isfinite(value) and value >= 0):
        raise HistoryError(f"{source} must be {what} (0 keeps everything), not {text!r}.")
    return value or None


def normalize_url(url: str | URL) -> URL:
    """A SQLAlchemy URL for SQLite or PostgreSQL; a plain path is a SQLite file. Raises HistoryError."""
    if isinstance(url, URL):
        parsed = url
    else:
        text = str(url or "").strip()
        if not text:
            raise HistoryError("The history address is blank: set FASHIONAI_HISTORY_URL or unset it for the default.")
        if "://" not in text:
            text = "sqlite:///" + Path(text).expanduser().as_posix()
        elif text.startswith("postgres://"):
            text = "postgresql://" + text[len("postgres://"):]
        try:
            parsed = make_url(text)
        except (sa.exc.ArgumentError, ValueError) as err:
            raise HistoryError(
                "The history address is not a database URL. Use a file path, sqlite:////path/history.db "
                "or postgresql://user:password@host/database."
            ) from err
    backend, _, driver = parsed.drivername.partition("+")
    if backend == "postgresql" and driver in ("", "psycopg"):
        return parsed.set(drivername="postgresql+psycopg")
    if backend == "sqlite" and driver in ("", "pysqlite"):
        return parsed
    raise HistoryError(
        f"The history can be stored in SQLite or PostgreSQL, not {parsed.drivername!r}. Use a file path, "
        "sqlite:////path/history.db or postgresql://user:password@host/database."
    )


# --------------------------------------------------------------------------- the table

metadata = sa.MetaData()
snapshots_table = sa.Table(
    "fashionai_snapshots",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("recorded_at", sa.DateTime(timezone=False), nullable=False),  # UTC
    sa.Column("backend", sa.String(16), nullable=False),
    sa.Column("endpoint", sa.Text, nullable=False),
    sa.Column("event_type", sa.String(32), nullable=False),
    sa.Column("session_id", sa.Text),
    sa.Column("user_id", sa.Text),
    sa.Column("item_id", sa.Text),
    sa.Column("products", sa.Text, nullable=False),  # a JSON array of ids, best first
    sa.Column("product_count", sa.Integer, nullable=False),
    sa.Column("elapsed", sa.Float, nullable=False),  # seconds
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("status_code", sa.Integer),
    sa.Column("error", sa.String(100)),
    sa.Index("ix_fashionai_snapshots_recorded_at", "recorded_at"),
    sa.Index("ix_fashionai_snapshots_session", "session_id", "recorded_at"),
    sa.Index("ix_fashionai_snapshots_item", "item_id", "recorded_at"),
)
_T = snapshots_table.c
_NEWEST_FIRST = (_T.recorded_at.desc(), _T.id.desc())
FILTER_COLUMNS = ("session_id", "user_id", "item_id", "event_type", "backend")


def _row(snapshot: Snapshot) -> dict[str, Any]:
    return {
        "id": snapshot.id,
        "recorded_at": snapshot.recorded_at.astimezone(timezone.utc).replace(tzinfo=None),
        "backend": snapshot.backend,
        "endpoint": snapshot.endpoint,
        "event_type": snapshot.event_type,
        "session_id": snapshot.session_id,
        "user_id": snapshot.user_id,
        "item_id": snapshot.item_id,
        "products": json.dumps(list(snapshot.products), ensure_ascii=False, separators=(",", ":")),
        "product_count": len(snapshot.products),
        "elapsed": snapshot.elapsed,
        "attempts": snapshot.attempts,
        "status_code": snapshot.status_code,
        "error": snapshot.error,
    }


def _snapshot(row: sa.Row) -> Snapshot:
    values = row._asdict()
    values.pop("product_count", None)
    values["products"] = tuple(json.loads(values["products"]))
    return Snapshot(**values)


_HEAD_CHARS = 4_000
"""Characters of the stored id list a summary reads: enough for the first ids, unless they are very long."""
_SUMMARY_COLUMNS = [column for column in snapshots_table.c if column.name != "products"]


def _summary(row: sa.Row, first: tuple[str, ...]) -> SnapshotSummary:
    values = row._asdict()
    values.pop("products_head", None)
    return SnapshotSummary(**values, first_products=first)


_DECODER = json.JSONDecoder()


def _first_ids(head: str, count: int) -> tuple[str, ...] | None:
    """The first `count` ids of a JSON array of ids cut anywhere (`head`); None if it holds fewer whole."""
    ids: list[str] = []
    position = head.find("[") + 1
    try:
        while len(ids) < count:
            while head[position] in " \t\r\n,":
                position += 1
            value, position = _DECODER.raw_decode(head, position)
            ids.append(str(value))
    except (IndexError, ValueError):  # the cut came first
        return None
    return tuple(ids)


def _utc(moment: datetime) -> datetime:
    if not isinstance(moment, datetime):
        raise TypeError(f"a snapshot's time must be a datetime, not {type(moment).__name__}")
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


def _naive_utc(moment: datetime) -> datetime:
    return _utc(moment).replace(tzinfo=None)


def _text_or_none(value: Any) -> str | None:
    return None if value is None else str(value)


# --------------------------------------------------------------------------- the store


def _batches(ids: list[str]) -> Iterator[list[str]]:
    """`ids` in lists of at most MAX_GET, one query each."""
    return (ids[start:start + MAX_GET] for start in range(0, len(ids), MAX_GET))


def _guarded(method: Callable[..., T]) -> Callable[..., T]:
    """A store method whose database failures become HistoryUnavailable, in plain words."""
    @functools.wraps(method)
    def guarded(self: HistoryStore, *args: Any, **kwargs: Any) -> T:
        for attempt in (1, 2):
            try:
                return method(self, *args, **kwargs)
            except HistoryError:
                raise
            except (sa.exc.SQLAlchemyError, sqlite3.Error, OSError) as err:
                was_ready, self._ready = self._ready, False  # the next use starts again: folder, schema
                folder = self.path.parent if self.path is not None else None
                if attempt == 1 and was_ready and folder is not None and not folder.exists():
                    self._engine.dispose()  # its folder was removed while in use: make a new history there
                    continue
                raise self._unavailable(err) from err
        raise AssertionError("unreachable")
    return guarded


class HistoryStore:
    """Snapshots in SQLite or PostgreSQL. Thread-safe: one store serves every browser session.

    Every method raises HistoryUnavailable when the database cannot be used; the store
    tries again on the next call (a database back up, a folder made again).
    """

    def __init__(
        self,
        url: str | URL,
        *,
        max_age_days: float | None = DEFAULT_MAX_AGE_DAYS,
        max_count: int | None = DEFAULT_MAX_COUNT,
        retention_every: int = RETENTION_EVERY,
    ) -> None:
        self._url = normalize_url(url)
        self.max_age_days = max_age_days or None
        self.max_count = max_count or None
        self._retention_every = max(1, retention_every)
        self._since_retention = 0
        self._lock = threading.Lock()
        self._ready = False
        self.read_only = False
        """True when the history can only be read (a read-only SQLite file): saving is off."""
        if self.dialect == "sqlite":
            self._read_only_asked = self._url.query.get("mode") == "ro"
            self._url = self._url.difference_update_query(["mode"])
            self._engine = self._sqlite_engine(read_only=self._read_only_asked)
        else:  # a database that does not answer fails the write in seconds, not minutes
            timeout = {} if "connect_timeout" in self._url.query else {"connect_timeout": 5}
            self._engine = sa.create_engine(self._url, pool_pre_ping=True, pool_size=5, max_overflow=10,
                                            connect_args=timeout)

    def _sqlite_engine(self, *, read_only: bool = False, immutable: bool = False) -> sa.Engine:
        url = self._url
        if (read_only or immutable) and self.path is not None:  # SQLite's URI form opens a file read-only
            uri = "file:" + quote(self.path.as_posix()) + "?mode=ro" + ("&immutable=1" if immutable else "")
            url = url.set(database=uri).update_query_dict({"uri": "true"})
        engine = sa.create_engine(url, connect_args={"timeout": BUSY_TIMEOUT})
        sa.event.listen(engine, "connect", _sqlite_on_connect)
        return engine

    @property
    def dialect(self) -> str:
        return self._url.get_backend_name()

    @property
    def display_url(self) -> str:
        """The address with any password hidden: safe to show and log."""
        return self._url.render_as_string(hide_password=True)

    @property
    def path(self) -> Path | None:
        """The SQLite file, or None (PostgreSQL, or SQLite in memory)."""
        database = self._url.database
        return Path(database) if self.dialect == "sqlite" and database and database != ":memory:" else None

    def __repr__(self) -> str:
        return f"HistoryStore({self.display_url!r})"

    def close(self) -> None:
        """Close every pooled connection (the store opens new ones if used again)."""
        self._engine.dispose()

    # --- writing

    @_guarded
    def record(self, snapshot: Snapshot) -> Snapshot:
        """Save one snapshot (its own short transaction); now and then apply the retention."""
        self._ensure()
        self._refuse_if_read_only()
        with self._engine.begin() as conn:
            conn.execute(sa.insert(snapshots_table), [_row(snapshot)])
        with self._lock:
            self._since_retention += 1
            due = self._since_retention >= self._retention_every
            if due:
                self._since_retention = 0
        if due:
            self.apply_retention()
        return snapshot

    @_guarded
    def apply_retention(
        self, max_age_days: float | None = None, max_count: int | None = None, *, now: datetime | None = None
    ) -> int:
        """Delete snapshots older than max_age_days and beyond the newest max_count; return how many.

        Without arguments the store's own limits apply; 0 or None means no limit. A
        snapshot dated beyond FUTURE_TOLERANCE ahead of `now` (a clock that was wrong)
        counts as the oldest: it goes before any snapshot with a possible time.
        """
        self._ensure(retention=False)
        if self.read_only:
            return 0
        max_age_days = self.max_age_days if max_age_days is None else (max_age_days or None)
        max_count = self.max_count if max_count is None else (max_count or None)
        now_naive = _naive_utc(now or datetime.now(timezone.utc))
        deleted = 0
        if max_age_days is not None:
            cutoff = now_naive - timedelta(days=max_age_days)
            with self._engine.begin() as conn:
                deleted += conn.execute(sa.delete(snapshots_table).where(_T.recorded_at < cutoff)).rowcount
        if max_count is not None:
            impossible = sa.case((_T.recorded_at > now_naive + FUTURE_TOLERANCE, 1), else_=0)
            beyond = sa.select(_T.id).order_by(impossible, *_NEWEST_FIRST).offset(int(max_count))
            with self._engine.begin() as conn:  # one statement: safe against concurrent writers
                deleted += conn.execute(sa.delete(snapshots_table).where(_T.id.in_(beyond))).rowcount
        if deleted:
            log.info("History retention removed %d snapshots from %s", deleted, self.display_url)
        return deleted

    @_guarded
    def import_json(self, data: str | bytes, *, now: datetime | None = None) -> ImportResult:
        """Add the snapshots of an export file; all are checked before any is added.

        Never costs a snapshot already there. Left out and counted: snapshots already in
        the history (same id), older than it keeps, dated beyond FUTURE_TOLERANCE ahead of
        this server's clock, and those beyond its max_count (the newest that fit are added).
        Raises HistoryImportError for a bad file, HistoryUnavailable when it cannot be saved.
        """
        incoming = snapshots_from_json(data)
        self._ensure()
        self._refuse_if_read_only()
        now = _utc(now or datetime.now(timezone.utc))
        possible = [s for s in incoming if s.recorded_at <= now + FUTURE_TOLERANCE]
        in_future, incoming = len(incoming) - len(possible), possible
        too_old = 0
        if self.max_age_days is not None:
            cutoff = now - timedelta(days=self.max_age_days)
            kept = [s for s in incoming if s.recorded_at >= cutoff]
            too_old, incoming = len(incoming) - len(kept), kept
        unique: dict[str, Snapshot] = {}
        for snapshot in incoming:
            unique.setdefault(snapshot.id, snapshot)
        if self.dialect == "postgresql":
            _refuse_nul(list(unique.values()))
        added, over_limit = self._insert_new(list(unique.values()))
        return ImportResult(added=added, already_there=len(incoming) - added - over_limit, too_old=too_old,
                            in_future=in_future, over_limit=over_limit)

    def _insert_new(self, snapshots: list[Snapshot]) -> tuple[int, int]:
        """Insert the snapshots whose ids are not stored yet, as many as max_count leaves room for
        (the newest first): (how many were added, how many had no room). Reads, then writes in a
        transaction of its own (so a SQLite writer never holds a stale read)."""
        present: set[str] = set()
        with self._engine.connect() as conn:
            for start in range(0, len(snapshots), 500):
                ids = [s.id for s in snapshots[start:start + 500]]
                present.update(conn.execute(sa.select(_T.id).where(_T.id.in_(ids))).scalars())
            stored = (int(conn.execute(sa.select(sa.func.count()).select_from(snapshots_table)).scalar_one())
                      if self.max_count is not None else 0)
        new = [s for s in snapshots if s.id not in present]
        over_limit = 0
        if self.max_count is not None and len(new) > self.max_count - stored:
            room = max(0, self.max_count - stored)
            new = sorted(new, key=lambda s: (s.recorded_at, s.id), reverse=True)
            new, over_limit = new[:room], len(new) - room
        if not new:
            return 0, over_limit
        try:
            with self._engine.begin() as conn:
                conn.execute(sa.insert(snapshots_table), [_row(s) for s in new])
            return len(new), over_limit
        except sa.exc.IntegrityError:  # another import added some meanwhile: one at a time
            added = 0
            for snapshot in new:
                try:
                    with self._engine.begin() as conn:
                        conn.execute(sa.insert(snapshots_table), [_row(snapshot)])
                    added += 1
                except sa.exc.IntegrityError:
                    pass
            return added, over_limit

    # --- reading

    @_guarded
    def query(self, filters: Filters | None = None, *, limit: int = DEFAULT_LIMIT, offset: int = 0) -> list[Snapshot]:
        """The snapshots that match, newest first."""
        self._ensure()
        statement = (sa.select(snapshots_table).where(*_conditions(filters or Filters()))
                     .order_by(*_NEWEST_FIRST).limit(max(0, int(limit))).offset(max(0, int(offset))))
        with self._engine.connect() as conn:
            return [_snapshot(row) for row in conn.execute(statement)]

    @_guarded
    def summaries(self, filters: Filters | None = None, *, limit: int = DEFAULT_LIMIT,
                  offset: int = 0) -> list[SnapshotSummary]:
        """What `query` returns, as summaries: the ranked ids are not read (their count and the first few)."""
        self._ensure()
        statement = (self._summary_select().where(*_conditions(filters or Filters()))
                     .order_by(*_NEWEST_FIRST).limit(max(0, int(limit))).offset(max(0, int(offset))))
        return self._summaries(statement)

    @_guarded
    def get_summaries(self, ids: Iterable[str]) -> list[SnapshotSummary]:
        """What `get` returns, as summaries: the ranked ids are not read (their count and the first few)."""
        wanted = list(dict.fromkeys(str(i) for i in ids))
        if not wanted:
            return []
        self._ensure()
        found = {summary.id: summary for batch in _batches(wanted)
                 for summary in self._summaries(self._summary_select().where(_T.id.in_(batch)))}
        return [found[i] for i in wanted if i in found]

    @staticmethod
    def _summary_select() -> sa.Select:
        return sa.select(*_SUMMARY_COLUMNS, sa.func.substr(_T.products, 1, _HEAD_CHARS).label("products_head"))

    def _summaries(self, statement: sa.Select) -> list[SnapshotSummary]:
        with self._engine.connect() as conn:
            rows = conn.execute(statement).all()
            firsts = [_first_ids(row.products_head, min(FIRST_PRODUCTS, row.product_count)) for row in rows]
            cut = [row.id for row, first in zip(rows, firsts) if first is None]  # first ids longer than the head
            whole = {row.id: row.products for row in
                     conn.execute(sa.select(_T.id, _T.products).where(_T.id.in_(cut)))} if cut else {}
        return [_summary(row, first if first is not None else tuple(json.loads(whole[row.id])[:FIRST_PRODUCTS]))
                for row, first in zip(rows, firsts)]

    @_guarded
    def count(self, filters: Filters | None = None) -> int:
        self._ensure()
        statement = sa.select(sa.func.count()).select_from(snapshots_table).where(*_conditions(filters or Filters()))
        with self._engine.connect() as conn:
            return int(conn.execute(statement).scalar_one())

    @_guarded
    def get(self, ids: Iterable[str]) -> list[Snapshot]:
        """The snapshots with these ids, in the order asked; ids not in the history are left out."""
        wanted = list(dict.fromkeys(str(i) for i in ids))
        if not wanted:
            return []
        self._ensure()
        found = {}
        with self._engine.connect() as conn:
            for batch in _batches(wanted):
                found |= {row.id: _snapshot(row) for row in
                          conn.execute(sa.select(snapshots_table).where(_T.id.in_(batch)))}
        return [found[i] for i in wanted if i in found]

    @_guarded
    def distinct(self, column: str, *, limit: int = 1000) -> list[str]:
        """The values of a filter column (FILTER_COLUMNS), most recently seen first."""
        if column not in FILTER_COLUMNS:
            raise ValueError(f"column must be one of {FILTER_COLUMNS}, not {column!r}")
        self._ensure()
        target = snapshots_table.c[column]
        statement = (sa.select(target).where(target.is_not(None)).group_by(target)
                     .order_by(sa.func.max(_T.recorded_at).desc(), target).limit(limit))
        with self._engine.connect() as conn:
            return [str(value) for value in conn.execute(statement).scalars()]

    def export_json(self, filters: Filters | None = None, *, ids: Iterable[str] | None = None,
                    limit: int = MAX_IMPORT_SNAPSHOTS) -> str:
        """The chosen snapshots (by ids, else by filters) as an export file."""
        chosen = self.get(ids) if ids is not None else self.query(filters, limit=limit)
        return snapshots_to_json(chosen)

    # --- plumbing

    def _ensure(self, *, retention: bool = True) -> None:
        """Create the file, folder and table on first use, then apply the retention once.

        A SQLite file that can only be read is opened read-only (`read_only`): nothing is created.
        """
        if self._ready:
            return
        with self._lock:
            if self._ready:
                return
            if self.path is not None and not self._read_only_asked:
                try:
                    self.path.parent.mkdir(parents=True, exist_ok=True)
                except OSError as err:
                    raise self._unavailable(err) from err
            if self.dialect == "sqlite" and self._read_only_asked:
                self._open_read_only()
            else:
                try:
                    _create_schema(self._engine)
                except sa.exc.OperationalError as err:
                    if self.dialect == "sqlite" and _says_read_only(err):
                        self._open_read_only()
                    else:  # another server created it at the same moment, or a real failure (said again)
                        _create_schema(self._engine)
                except sa.exc.SQLAlchemyError:  # another server created it at the same moment
                    _create_schema(self._engine)
            self._ready = True
        if retention and not self.read_only:
            try:
                self.apply_retention()
            except HistoryError as err:  # retention is housekeeping: never block a read or write
                log.warning("History retention failed on %s: %s", self.display_url, err)

    def _open_read_only(self) -> None:
        """Read the SQLite file without writing to it: SQLite's read-only mode, else (a WAL file in a
        folder where SQLite cannot make its shared-memory file) as an immutable file."""
        self._engine.dispose()
        for immutable in (False, True):
            engine = self._sqlite_engine(read_only=True, immutable=immutable)
            try:
                with engine.connect() as conn:
                    has_table = sa.inspect(conn).has_table(snapshots_table.name)
            except sa.exc.OperationalError as err:
                engine.dispose()
                if immutable or not (_says_read_only(err) or "unable to open" in str(err).lower()):
                    raise
                continue
            self._engine, self.read_only = engine, True
            if not has_table:
                raise HistoryUnavailable(
                    f"The history file {self.path} can only be read, and it holds no history yet, so saving is "
                    "off. Make the file and its folder writable by the studio, or point FASHIONAI_HISTORY_URL "
                    "at a folder it can write to.", READ_ONLY)
            log.warning("The history %s is read-only: saving is off", self.display_url)
            return

    def _refuse_if_read_only(self) -> None:
        if self.read_only:
            raise HistoryUnavailable(self.read_only_message(), READ_ONLY)

    def read_only_message(self) -> str:
        """Why saving is off, and what to do, for a read-only history."""
        how = ("it was opened read-only (its address ends with ?mode=ro)" if self._read_only_asked
               else "the studio may not write to it or to its folder")
        return (f"The history file {self.path} is read-only ({how}), so saving is off: new answers are not saved "
                "and imports are refused. Saved answers can still be read. Make the file and its folder writable "
                "by the studio to save again.")

    def _unavailable(self, err: BaseException) -> HistoryUnavailable:
        """`err`, a failure of the database or its file, in plain words with its cause."""
        detail = str(getattr(err, "orig", None) or err).strip().splitlines()[0][:300] if str(err) else ""
        password = self._url.password
        if password:
            detail = detail.replace(str(password), "***")
        lowered = detail.lower()
        if self.dialect == "sqlite":
            folder = self.path.parent if self.path is not None else None
            if isinstance(err, OSError) or (folder is not None and not folder.is_dir()):
                reason = getattr(err, "strerror", None) or detail or "it is missing"
                return HistoryUnavailable(
                    f"The history's folder {folder} does not exist and cannot be made ({reason}). Create it, or "
                    "set FASHIONAI_HISTORY_URL to a file in a folder the studio can write to. Previews still "
                    "work, but nothing is saved until then.", MISSING_FOLDER)
            if "not a database" in lowered or "malformed" in lowered or "corrupt" in lowered:
                return HistoryUnavailable(
                    f"The history file {self.path} is damaged or is not a history database ({detail}). Move it "
                    "aside, and the studio starts a new, empty history there; or restore a backup. Previews "
                    "still work, but nothing is saved until then.", CORRUPT)
            if _says_read_only(err):
                self.read_only = True
                return HistoryUnavailable(self.read_only_message(), READ_ONLY)
            if "unable to open" in lowered:
                return HistoryUnavailable(
                    f"The history file {self.path} cannot be opened ({detail}): check that the studio may read "
                    "and write it and its folder.", FAILED)
            return HistoryUnavailable(f"The history file {self.path} could not be used ({detail}). Try again; "
                                      "if it keeps happening, check the file and its disk.", FAILED)
        if isinstance(err, (sa.exc.OperationalError, sa.exc.InterfaceError)) and (
                "connect" in lowered or "server" in lowered or "timeout" in lowered or "closed" in lowered):
            return HistoryUnavailable(
                f"The history database at {self.display_url} cannot be reached ({detail}). Check that it is "
                "running and that FASHIONAI_HISTORY_URL names it. Previews still work, but nothing is saved "
                "until it answers.", UNREACHABLE)
        return HistoryUnavailable(f"The history database at {self.display_url} failed ({detail or type(err).__name__})."
                                  " Try again; if it keeps happening, tell the studio's maintainers.", FAILED)


def _says_read_only(err: BaseException) -> bool:
    text = str(getattr(err, "orig", None) or err).lower()
    return "readonly" in text or "read-only" in text


def _refuse_nul(snapshots: list[Snapshot]) -> None:
    """PostgreSQL text cannot hold the NUL character: say which snapshot holds one, before adding any."""
    for snapshot in snapshots:
        texts = (snapshot.endpoint, snapshot.session_id, snapshot.user_id, snapshot.item_id, *snapshot.products)
        if any(text and "\x00" in text for text in texts):
            raise HistoryImportError(
                f"snapshot {snapshot.id} holds the NUL character (\\u0000), which a PostgreSQL history cannot "
                "store (a SQLite history can)")


def _create_schema(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        conn.execute(sa.schema.CreateTable(snapshots_table, if_not_exists=True))
        for index in snapshots_table.indexes:
            conn.execute(sa.schema.CreateIndex(index, if_not_exists=True))


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT * 1000)}")
    try:
        cursor.execute("PRAGMA journal_mode = WAL")  # readers never block the writer, nor it them
    except sqlite3.DatabaseError:  # a read-only or damaged file: the first real statement says which
        pass
    cursor.close()


def _conditions(filters: Filters) -> list[sa.ColumnElement[bool]]:
    conditions = []
    for name in FILTER_COLUMNS:
        value = getattr(filters, name)
        if value is not None:
            conditions.append(snapshots_table.c[name] == value)
    if filters.since is not None:
        conditions.append(_T.recorded_at >= _naive_utc(filters.since))
    if filters.until is not None:
        conditions.append(_T.recorded_at < _naive_utc(filters.until))
    if filters.ok is not None:
        conditions.append(_T.error.is_(None) if filters.ok else _T.error.is_not(None))
    return conditions


# --------------------------------------------------------------------------- export and import


def snapshot_to_dict(snapshot: Snapshot) -> dict[str, Any]:
    return {
        "id": snapshot.id,
        "recorded_at": snapshot.recorded_at.isoformat().replace("+00:00", "Z"),
        "backend": snapshot.backend,
        "endpoint": snapshot.endpoint,
        "event_type": snapshot.event_type,
        "session_id": snapshot.session_id,
        "user_id": snapshot.user_id,
        "item_id": snapshot.item_id,
        "products": list(snapshot.products),
        "elapsed": snapshot.elapsed,
        "attempts": snapshot.attempts,
        "status_code": snapshot.status_code,
        "error": snapshot.error,
    }


def snapshots_to_json(snapshots: Iterable[Snapshot], *, exported_at: datetime | None = None) -> str:
    """An export file: ``{"format", "version", "exported_at", "snapshots": [...]}``, UTF-8 JSON."""
    payload = {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": _utc(exported_at or datetime.now(timezone.utc)).isoformat().replace("+00:00", "Z"),
        "snapshots": [snapshot_to_dict(s) for s in snapshots],
    }
    return json.dumps(payload, ensure_ascii=False, indent=1) + "\n"


def snapshots_from_json(data: str | bytes) -> list[Snapshot]:
    """The snapshots of an export file, every field checked. Raises HistoryImportError."""
    if isinstance(data, bytes):
        if len(data) > MAX_IMPORT_BYTES:
            raise HistoryImportError(f"the file is larger than {MAX_IMPORT_BYTES // 1_000_000} MB")
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            raise HistoryImportError("the file is not UTF-8 text: it is not a snapshot export") from err
    elif len(data) > MAX_IMPORT_BYTES:
        raise HistoryImportError(f"the file is larger than {MAX_IMPORT_BYTES // 1_000_000} MB")
    try:
        payload = json.loads(data)
    except (json.JSONDecodeError, RecursionError) as err:
        where = f" (line {err.lineno}, column {err.colno})" if isinstance(err, json.JSONDecodeError) else ""
        raise HistoryImportError(f"the file is not valid JSON{where}") from err
    if not isinstance(payload, dict) or payload.get("format") != EXPORT_FORMAT:
        raise HistoryImportError(
            f'the file is not a snapshot export of the studio (it needs "format": "{EXPORT_FORMAT}")')
    version = payload.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise HistoryImportError('the file\'s "version" must be a whole number')
    if version > EXPORT_VERSION:
        raise HistoryImportError(
            f"the file was made by a newer version of the studio (format version {version}; this one reads "
            f"{EXPORT_VERSION}). Update the studio to import it")
    items = payload.get("snapshots")
    if not isinstance(items, list):
        raise HistoryImportError('the file has no "snapshots" list')
    if len(items) > MAX_IMPORT_SNAPSHOTS:
        raise HistoryImportError(f"the file holds {len(items):,} snapshots; at most {MAX_IMPORT_SNAPSHOTS:,} "
                                 "can be imported at once")
    snapshots, problems = [], []
    for number, item in enumerate(items, start=1):
        try:
            snapshots.append(_checked_snapshot(item))
        except HistoryImportError as err:
            problems.append(f"snapshot #{number}: {err}")
            if len(problems) == 5:
                break
    if problems:
        more = " (and maybe more)" if len(problems) == 5 else ""
        raise HistoryImportError("; ".join(problems) + more)
    return snapshots


def _checked_snapshot(item: Any) -> Snapshot:
    if not isinstance(item, dict):
        raise HistoryImportError("it is not an object")

    def text(name: str, *, optional: bool) -> str | None:
        """Any text the studio may have recorded (a tab, a non-breaking or zero-width space, any length)."""
        value = item.get(name)
        if value is None and optional:
            return None
        if not isinstance(value, str):
            raise HistoryImportError(f'"{name}" must be text' + (" or null" if optional else ""))
        if not _is_text(value):
            raise HistoryImportError(f'"{name}" holds a character that is not text (a lone UTF-16 surrogate)')
        return value

    snapshot_id = text("id", optional=False)
    if not SNAPSHOT_ID.match(snapshot_id or ""):
        raise HistoryImportError('"id" must be 32 lowercase hexadecimal digits')
    try:
        moment = text("recorded_at", optional=False) or ""
        if len(moment) > 40:
            raise ValueError("too long for a time")
        recorded_at = datetime.fromisoformat(moment)
    except ValueError as err:
        raise HistoryImportError('"recorded_at" must be a time like "2026-04-17T10:30:00Z"') from err
    if recorded_at.tzinfo is None:
        raise HistoryImportError('"recorded_at" must say its time zone (end it with Z for UTC)')
    backend = item.get("backend")
    if backend not in tuple(Backend):
        raise HistoryImportError(f'"backend" must be one of {", ".join(Backend)}')
    event_type = item.get("event_type")
    if event_type not in tuple(EventType):
        raise HistoryImportError(f'"event_type" must be one of {", ".join(EventType)}')
    endpoint = text("endpoint", optional=False) or ""
    parts = urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.hostname or "@" in parts.netloc:
        raise HistoryImportError('"endpoint" must be an http(s) address without a user name or password')
    products = item.get("products")
    if not isinstance(products, list) or len(products) > MAX_PRODUCTS:
        raise HistoryImportError(f'"products" must be a list of at most {MAX_PRODUCTS:,} product ids')
    for position, pid in enumerate(products, start=1):
        if not isinstance(pid, str) or not pid.strip() or not _is_text(pid):  # the client's own rule for an id
            raise HistoryImportError(f'product #{position} in "products" is not a product id (non-empty text)')
    elapsed = item.get("elapsed")
    if isinstance(elapsed, bool) or not isinstance(elapsed, (int, float)) or not (
            math.isfinite(elapsed) and 0 <= elapsed < 86_400):
        raise HistoryImportError('"elapsed" must be a number of seconds')
    attempts = item.get("attempts", 1)
    if isinstance(attempts, bool) or not isinstance(attempts, int) or not 1 <= attempts <= 100:
        raise HistoryImportError('"attempts" must be a whole number from 1 to 100')
    status = item.get("status_code")
    if status is not None and (isinstance(status, bool) or not isinstance(status, int) or not 100 <= status <= 599):
        raise HistoryImportError('"status_code" must be an HTTP status (100 to 599) or null')
    error = item.get("error")
    if error is not None and (not isinstance(error, str) or not _ERROR_NAME.match(error)):
        raise HistoryImportError('"error" must be an error class name such as "RateLimitError", or null')
    return Snapshot(
        id=snapshot_id,
        recorded_at=recorded_at,
        backend=backend,
        endpoint=endpoint,
        event_type=event_type,
        session_id=text("session_id", optional=True),
        user_id=text("user_id", optional=True),
        item_id=text("item_id", optional=True),
        products=tuple(products),
        elapsed=float(elapsed),
        attempts=attempts,
        status_code=status,
        error=error,
    )


def _is_text(value: str) -> bool:
    """Whether `value` can be stored as text: UTF-8 holds it (a lone surrogate from a JSON escape it cannot)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def snapshots_frame(snapshots: Sequence[Snapshot | SnapshotSummary]) -> pd.DataFrame:
    """One row a snapshot (or summary), for browsing: when, what, for whom, how many products, the outcome."""
    columns = {"recorded_at": "datetime64[us, UTC]", "event_type": "str", "item_id": "str", "session_id": "str",
               "user_id": "str", "products": "int64", "first_products": "str", "elapsed_ms": "float64",
               "outcome": "str", "backend": "str", "id": "str"}
    rows = [{
        "recorded_at": s.recorded_at, "event_type": s.event_type, "item_id": s.item_id or "",
        "session_id": s.session_id or "", "user_id": s.user_id or "", "products": s.product_count,
        "first_products": ", ".join(s.first_products) + (" …" if s.product_count > FIRST_PRODUCTS else ""),
        "elapsed_ms": round(s.elapsed * 1000, 1), "outcome": s.outcome, "backend": s.backend, "id": s.id,
    } for s in snapshots]
    frame = pd.DataFrame(rows, columns=list(columns))
    return frame.astype(columns)


# --------------------------------------------------------------------------- snapshots as views (no call)


def recommendation_from_snapshot(snapshot: Snapshot) -> Recommendation:
    """The answer a successful snapshot recorded, as the client returned it (the body rebuilt)."""
    if not snapshot.ok:
        raise ValueError(f"snapshot {snapshot.id} recorded a failure ({snapshot.outcome}), not an answer")
    body: dict[str, Any] | None = None
    if snapshot.event_type != EventType.SALES_RANKING:
        body = {}
        if snapshot.user_id is not None:
            body["userId"] = snapshot.user_id
        body.update(sessionId=snapshot.session_id, eventType=snapshot.event_type, data={"id": snapshot.item_id or ""})
    request = RequestRecord("POST" if body is not None else "GET", snapshot.endpoint, body,
                            None if body is None else snapshot.event_type)
    return Recommendation(
        products=snapshot.products,
        request=request,
        status_code=snapshot.status_code or 200,
        response_body={"products": list(snapshot.products)},
        elapsed=snapshot.elapsed,
        attempts=snapshot.attempts,
        exchange_id=snapshot.id,
    )


def storefront_from_snapshot(snapshot: Snapshot, catalog: Catalog) -> StorefrontPreview:
    """The storefront a categoryView snapshot showed, joined with today's catalog."""
    if snapshot.event_type != EventType.CATEGORY_VIEW:
        raise ValueError(f"snapshot {snapshot.id} is a {snapshot.event_type}, not a storefront (categoryView)")
    recommendation = recommendation_from_snapshot(snapshot)
    category = snapshot.item_id or ""
    native = catalog.category_ids(category)
    ids, source = (snapshot.products, PERSONALIZED) if snapshot.products else (native, NATIVE_ORDER)
    return StorefrontPreview(
        session_id=snapshot.session_id or "",
        user_id=snapshot.user_id,
        category_id=category,
        recommendation=recommendation,
        products=join_ranking(catalog, list(ids)),
        source=source,
        category_size=len(native),
    )


def look_from_snapshot(snapshot: Snapshot, catalog: Catalog) -> LookPreview:
    """The look a shopTheLook snapshot returned, its stock checked against today's catalog."""
    if snapshot.event_type != EventType.SHOP_THE_LOOK:
        raise ValueError(f"snapshot {snapshot.id} is a {snapshot.event_type}, not a shop-the-look answer")
    product = snapshot.item_id or ""
    return LookPreview(
        session_id=snapshot.session_id or "",
        user_id=snapshot.user_id,
        product_id=product,
        main=join_ranking(catalog, [product]),
        recommendation=recommendation_from_snapshot(snapshot),
        look=join_ranking(catalog, list(snapshot.products)),
    )


def snapshot_lane(snapshot: Snapshot, label: str | None = None) -> LaneSpec:
    """The lane a snapshot stands for: a shopper session's answer, or the best sellers."""
    if snapshot.event_type == EventType.SALES_RANKING:
        return LaneSpec(BEST_SELLERS, label or f"{snapshot.recorded_at:%Y-%m-%d %H:%M:%S} · best sellers")
    session = snapshot.session_id or "no session"
    who = f"{session} · user {snapshot.user_id}" if snapshot.user_id else session
    return LaneSpec("session", label or f"{snapshot.recorded_at:%Y-%m-%d %H:%M:%S} · {who}",
                    session_id=session, user_id=snapshot.user_id)


def replay_comparison(
    category: str,
    lanes: Sequence[tuple[LaneSpec, Snapshot | None]],
    catalog: Catalog,
    *,
    k: int,
    p: float,
) -> Comparison:
    """A comparison rebuilt from saved snapshots, without calling Fashion.AI.

    Each lane is a spec with the snapshot of its (last) call, or None for the native
    order. An empty answer of a session or persona shows the native order, as on the
    compare page. ValueError for a failed snapshot or a call lane without one.
    """
    category = str(category or "").strip()
    native = tuple(catalog.category_ids(category))
    specs = with_unique_labels([spec for spec, _ in lanes])
    built = []
    for spec, (_, snapshot) in zip(specs, lanes):
        if spec.kind == NATIVE:
            built.append(Lane(spec, native, None, SOURCE_NATIVE))
            continue
        if snapshot is None:
            raise ValueError(f"lane {spec.label!r} has no saved snapshot")
        recommendation = recommendation_from_snapshot(snapshot)
        answer = snapshot.products
        unknown = catalog.count_unknown(answer)
        common = {"session_id": snapshot.session_id, "recommendation": recommendation, "elapsed": snapshot.elapsed}
        if spec.kind == BEST_SELLERS:
            built.append(Lane(spec, answer, answer, SOURCE_SALES, unknown=unknown, **common))
        elif not answer:
            built.append(Lane(spec, native, answer, SOURCE_NATIVE, **common))
        else:
            built.append(Lane(spec, answer, answer, SOURCE_FASHIONAI, unknown=unknown, **common))
    return Comparison.of(category, built, native, catalog, k=k, p=p)


def compare_snapshots(snapshots: Sequence[Snapshot], catalog: Catalog, *, k: int, p: float) -> Comparison:
    """Two or more successful snapshots as lanes (e.g. one session yesterday and today).

    The category is the first snapshot's when it is a categoryView (its native order
    is the fallback for an empty answer and the base of the "why" figures).
    """
    if len(snapshots) < 2:
        raise ValueError("choose at least two snapshots to compare")
    failed = [s for s in snapshots if not s.ok]
    if failed:
        raise ValueError(f"the snapshot of {failed[0].recorded_at:%Y-%m-%d %H:%M:%S} recorded a failure "
                         f"({failed[0].outcome}): it has no ranking to compare")
    first = snapshots[0]
    category = first.item_id if first.event_type in (EventType.CATEGORY_VIEW, EventType.SALES_RANKING) and first.item_id else ""
    return replay_comparison(category, [(snapshot_lane(s), s) for s in snapshots], catalog, k=k, p=p)
