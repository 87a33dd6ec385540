"""The catalog library: uploaded catalogs kept on the server, in the history's database, by content fingerprint.

    library = CatalogLibrary("sqlite:////data/history.db")   # or postgresql://… (the history's address)
    added = library.add(catalog, name="Summer 2026", file_name="produtos.csv")
    library.list()                                           # KeptCatalog entries, most recently used first
    library.get(catalog.fingerprint)                         # the Catalog again, exactly (None if not kept)

Each catalog is one row of `fashionai_catalogs` (its fingerprint, an editable name, the
file name, the column mapping, when it was added and last used, its size as stored and a
health summary) and one of `fashionai_catalog_data` (its products as Parquet bytes, and
what the Catalog knew of its file, as JSON). Adding the same catalog again (the same
fingerprint: the same bytes read with the same columns) keeps one copy and only marks it
used. Both tables are created if missing, on SQLite or PostgreSQL, so a team on PostgreSQL
shares its library as it shares its history.

Limits: at most `max_bytes` (as stored) and `max_count` catalogs; adding one that goes over
lets go of the catalogs used least recently first (never the one being added). A catalog
larger than the whole `max_bytes` is refused (`CatalogTooLarge`). Adds take turns, also
between servers: each holds the database's write lock (SQLite's BEGIN IMMEDIATE, PostgreSQL's
`pg_advisory_xact_lock`) from its insert until it has made room, so concurrent adds cannot
each see room that the others are taking.

A database that cannot be used raises `LibraryUnavailable` (plain words, no password).
"""

from __future__ import annotations

import json
import logging
import re
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone

import pyarrow as pa
import sqlalchemy as sa
from sqlalchemy.engine import URL

from fashionai.catalog.model import Catalog
from fashionai.catalog.stored import catalog_facts, catalog_parquet, rebuild_catalog
from fashionai.config import DEFAULT_LIBRARY_MAX_BYTES, DEFAULT_LIBRARY_MAX_COUNT, LibraryError, normalize_url
from fashionai.database import (
    Database,
    DatabaseUnavailable,
    guard_database,
    naive_utc_now,
    utc,
)

__all__ = ["FINGERPRINT", "CatalogLibrary", "CatalogTooLarge", "KeptCatalog", "LibraryAdded", "LibraryUnavailable",
           "size_words"]

log = logging.getLogger(__name__)

FINGERPRINT = re.compile(r"^[0-9a-f]{64}$")
"""What a catalog's fingerprint looks like (sha256, hex): the library's key, and what a link carries."""
MAX_NAME = 200
"""Characters a catalog's name keeps."""
ADD_LOCK_KEY = 0x66616963_6C696272  # "faiclibr"
"""The PostgreSQL advisory lock (transaction-scoped) an add holds while it inserts and makes room."""

metadata = sa.MetaData()
catalogs_table = sa.Table(
    "fashionai_catalogs",
    metadata,
    sa.Column("fingerprint", sa.String(64), primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("file_name", sa.Text, nullable=False),
    sa.Column("mapping", sa.Text, nullable=False),  # JSON: our field -> the file's column
    sa.Column("added_at", sa.DateTime(timezone=False), nullable=False),  # UTC
    sa.Column("last_used_at", sa.DateTime(timezone=False), nullable=False),  # UTC
    sa.Column("size_bytes", sa.BigInteger, nullable=False),  # as stored: the Parquet bytes
    sa.Column("health", sa.Text, nullable=False),  # JSON: a few counts
    sa.Column("owner", sa.String(320)),  # who added it (a person's e-mail, "local"); added later: see _ensure
)
data_table = sa.Table(
    "fashionai_catalog_data",
    metadata,
    sa.Column("fingerprint", sa.String(64), primary_key=True),
    sa.Column("products", sa.LargeBinary, nullable=False),  # Parquet (zstd) of Catalog.products, index kept
    sa.Column("facts", sa.Text, nullable=False),  # JSON: the Catalog's other fields (warnings, mapping, …)
)
_C, _D = catalogs_table.c, data_table.c


class LibraryUnavailable(LibraryError, DatabaseUnavailable):
    """The library's database cannot be used now; the message says why, and that the session's catalog still works."""


class CatalogTooLarge(LibraryError):
    """A catalog larger than the whole library may hold: used for the browser session, not kept."""


@dataclass(frozen=True)
class KeptCatalog:
    """A catalog the library keeps, as its list shows it (its products are read only by `CatalogLibrary.get`)."""

    fingerprint: str
    name: str
    file_name: str
    mapping: dict[str, str | None]
    added_at: datetime  # UTC
    last_used_at: datetime  # UTC
    size: int  # bytes, as stored
    health: dict[str, int]  # products, categories, uncategorised, in_stock, low, out, unknown_stock, prices
    owner: str | None = None  # who added it (a person's e-mail, "local"); None: added before owners were kept

    @property
    def products(self) -> int:
        return int(self.health.get("products", 0))


@dataclass(frozen=True)
class LibraryAdded:
    """What `CatalogLibrary.add` did: the entry kept, whether it was new, and the catalogs let go to make room."""

    kept: KeptCatalog
    new: bool
    let_go: tuple[KeptCatalog, ...] = ()


def size_words(size: int | None) -> str:
    """A size in bytes in plain words: "12.3 MB", "2 GB"; "no limit" for None."""
    if size is None:
        return "no limit"
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= scale:
            return f"{size / scale:,.1f}".removesuffix(".0") + f" {unit}"
    return f"{size:,} bytes"


_guarded = guard_database(lambda library, err: library._unavailable(err))
"""A method whose database failures become the plain-words error (the next use starts again)."""


class CatalogLibrary(Database):
    """Catalogs kept in SQLite or PostgreSQL (the history's database), keyed by fingerprint. Thread-safe.

    Every method raises LibraryUnavailable when the database cannot be used; the library
    tries again on the next call.
    """

    def __init__(self, url: str | URL, *, max_bytes: int | None = DEFAULT_LIBRARY_MAX_BYTES,
                 max_count: int | None = DEFAULT_LIBRARY_MAX_COUNT) -> None:
        # the history's engines: its file or database, its busy timeout and WAL, its connection settings;
        # always opened to be written (an address's ?mode=ro is the history's, not the library's)
        super().__init__(normalize_url(url).difference_update_query(["mode"]))
        self.max_bytes = max_bytes or None
        self.max_count = max_count or None
        if self.dialect == "sqlite":  # a write transaction begins with the write lock: BEGIN IMMEDIATE
            sa.event.listen(self._engine, "connect", _begin_immediate)

    def __repr__(self) -> str:
        return f"CatalogLibrary({self.display_url!r})"

    # --- writing

    @_guarded
    def add(self, catalog: Catalog, *, name: str | None = None, file_name: str | None = None,
            mapping: Mapping[str, str | None] | None = None, now: datetime | None = None,
            owner: str | None = None) -> LibraryAdded:
        """Keep `catalog` (named `name`, else its file name), added by `owner`; the same catalog again is only
        marked used (it stays the first adder's).

        `mapping` is the column mapping to show (default: the catalog's own). Makes room by letting
        go of the catalogs used least recently. Raises CatalogTooLarge, LibraryUnavailable.
        """
        self._ensure()
        fingerprint = catalog.fingerprint
        moment = (now.astimezone(timezone.utc).replace(tzinfo=None) if now is not None else naive_utc_now())
        if self.touch(fingerprint, now=now):
            return self._added(fingerprint, new=False)
        file_name = str(file_name or catalog.source_name or "")
        try:
            blob = catalog_parquet(catalog)
            facts = json.dumps(catalog_facts(catalog), ensure_ascii=False, default=str)
        except (pa.ArrowException, TypeError, ValueError) as err:  # a frame Parquet cannot hold
            raise LibraryError(f"{file_name or 'This catalog'} cannot be kept in the catalog library ({err}); it is "
                               "your catalog for this browser session only.") from err
        if self.max_bytes is not None and len(blob) > self.max_bytes:
            raise CatalogTooLarge(
                f"{file_name or 'This catalog'} takes {size_words(len(blob))} kept, more than the whole catalog "
                f"library may hold ({size_words(self.max_bytes)}), so it is not kept: it is your catalog for this "
                "browser session only, and a reload or a link goes back to the server's catalog.")
        row = {
            "fingerprint": fingerprint,
            "name": _clean_name(name) or file_name or "catalog",
            "file_name": file_name,
            "mapping": json.dumps(dict(mapping if mapping is not None else catalog.mapping), sort_keys=True),
            "added_at": moment,
            "last_used_at": moment,
            "size_bytes": len(blob),
            "health": json.dumps(_health(catalog)),
            "owner": str(owner).strip().lower() if owner else None,
        }
        try:
            with self._engine.begin() as conn:
                self._take_turn(conn)
                conn.execute(sa.insert(catalogs_table), [row])
                conn.execute(sa.insert(data_table), [{"fingerprint": fingerprint, "products": blob,
                                                      "facts": facts}])
                let_go = self._make_room(conn, keep=fingerprint)
                kept = _kept(conn.execute(sa.select(catalogs_table).where(_C.fingerprint == fingerprint)).one())
        except sa.exc.IntegrityError:  # another session kept it at the same moment
            self.touch(fingerprint, now=now)
            return self._added(fingerprint, new=False)
        if let_go:
            log.info("The catalog library let go of %d catalogs to make room", len(let_go))
        # read as written, in the same transaction: another session making room right after may let it go, and the
        # add still kept it (it is this session's catalog all the same)
        return LibraryAdded(kept, new=True, let_go=tuple(let_go))

    def _take_turn(self, conn: sa.Connection) -> None:
        """Wait for other adds (of any server) to commit, and hold them off until this transaction ends.
        On SQLite the transaction's first write takes the database's write lock (BEGIN IMMEDIATE)."""
        if self.dialect == "postgresql":
            conn.execute(sa.select(sa.func.pg_advisory_xact_lock(ADD_LOCK_KEY)))

    def _make_room(self, conn: sa.Connection, *, keep: str) -> list[KeptCatalog]:
        """Delete the catalogs used least recently (never `keep`) until the rest fit both limits."""
        if self.max_bytes is None and self.max_count is None:
            return []
        rows = conn.execute(sa.select(catalogs_table).order_by(_C.last_used_at, _C.added_at, _C.fingerprint)).all()
        total, count = sum(row.size_bytes for row in rows), len(rows)
        let_go = []
        for row in rows:
            if ((self.max_bytes is None or total <= self.max_bytes)
                    and (self.max_count is None or count <= self.max_count)):
                break
            if row.fingerprint == keep:
                continue
            let_go.append(_kept(row))
            total, count = total - row.size_bytes, count - 1
        if let_go:
            gone = [entry.fingerprint for entry in let_go]
            conn.execute(sa.delete(data_table).where(_D.fingerprint.in_(gone)))
            conn.execute(sa.delete(catalogs_table).where(_C.fingerprint.in_(gone)))
        return let_go

    @_guarded
    def touch(self, fingerprint: str, *, now: datetime | None = None) -> bool:
        """Mark the catalog used now (the last to be let go); False if the library does not keep it."""
        self._ensure()
        moment = now.astimezone(timezone.utc).replace(tzinfo=None) if now is not None else naive_utc_now()
        with self._engine.begin() as conn:
            return conn.execute(sa.update(catalogs_table).where(_C.fingerprint == fingerprint)
                                .values(last_used_at=moment)).rowcount > 0

    @_guarded
    def rename(self, fingerprint: str, name: str) -> bool:
        """Give the catalog another name (blank keeps the old one); False if the library does not keep it."""
        self._ensure()
        cleaned = _clean_name(name)
        if not cleaned:
            return self.entry(fingerprint) is not None
        with self._engine.begin() as conn:
            return conn.execute(sa.update(catalogs_table).where(_C.fingerprint == fingerprint)
                                .values(name=cleaned)).rowcount > 0

    @_guarded
    def delete(self, fingerprint: str) -> bool:
        """Let go of the catalog; False if the library did not keep it."""
        self._ensure()
        with self._engine.begin() as conn:
            conn.execute(sa.delete(data_table).where(_D.fingerprint == fingerprint))
            return conn.execute(sa.delete(catalogs_table).where(_C.fingerprint == fingerprint)).rowcount > 0

    # --- reading

    @_guarded
    def list(self, *, owner: str | None = None) -> list[KeptCatalog]:
        """Every catalog kept (those `owner` added, when given), most recently used first."""
        self._ensure()
        statement = sa.select(catalogs_table).order_by(_C.last_used_at.desc(), _C.added_at.desc(), _C.fingerprint)
        if owner is not None:
            statement = statement.where(_C.owner == str(owner).strip().lower())
        with self._engine.connect() as conn:
            rows = conn.execute(statement).all()
        return [_kept(row) for row in rows]

    @_guarded
    def entry(self, fingerprint: str) -> KeptCatalog | None:
        """The catalog's entry (not its products), or None if the library does not keep it."""
        self._ensure()
        return self._entry(fingerprint)

    def _entry(self, fingerprint: str) -> KeptCatalog | None:
        with self._engine.connect() as conn:
            row = conn.execute(sa.select(catalogs_table).where(_C.fingerprint == fingerprint)).first()
        return _kept(row) if row is not None else None

    def _added(self, fingerprint: str, *, new: bool, let_go: tuple[KeptCatalog, ...] = ()) -> LibraryAdded:
        """What `add` answers for the catalog it has just kept or touched under `fingerprint`."""
        entry = self._entry(fingerprint)
        if entry is None:  # let go by another session in between
            raise LibraryUnavailable("The catalog library let go of this catalog as it was kept (another session "
                                     "made room at the same moment). Your catalog is still in use; keep it again.")
        return LibraryAdded(entry, new=new, let_go=let_go)

    @_guarded
    def get(self, fingerprint: str) -> Catalog | None:
        """The catalog kept under `fingerprint`, rebuilt exactly (its frame, ids as text, fingerprint and facts),
        or None if the library does not keep it."""
        if not FINGERPRINT.match(str(fingerprint)):
            return None
        self._ensure()
        with self._engine.connect() as conn:
            row = conn.execute(sa.select(data_table).where(_D.fingerprint == fingerprint)).first()
        return None if row is None else rebuild_catalog(fingerprint, row.products, json.loads(row.facts))

    @_guarded
    def total_bytes(self) -> int:
        """The bytes all kept catalogs take, as stored."""
        self._ensure()
        with self._engine.connect() as conn:
            return int(conn.execute(sa.select(sa.func.coalesce(sa.func.sum(_C.size_bytes), 0))).scalar_one())

    # --- the database

    def _ensure(self) -> None:
        """The folder (SQLite) and the tables, on first use (a library made before owners were kept gets the column)."""
        self._ensure_tables(catalogs_table, data_table, later_columns={catalogs_table: ("owner",)})

    def _unavailable(self, err: BaseException) -> LibraryUnavailable:
        where, why = self.failure_words(err)
        return LibraryUnavailable(
            f"The catalog library (kept in {where}, beside the history) cannot be used: {why}. The catalog you "
            "upload works for this browser session, but it is not kept for a reload or a link until the library "
            "can be written again.")


def _begin_immediate(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    """SQLite begins each write transaction with BEGIN IMMEDIATE: the write lock is taken (or waited for)
    before anything is read, so a transaction never decides on what another writer is changing."""
    dbapi_connection.isolation_level = "IMMEDIATE"


def _clean_name(name: str | None) -> str:
    return " ".join(str(name or "").split())[:MAX_NAME]


def _kept(row: sa.Row) -> KeptCatalog:
    return KeptCatalog(fingerprint=row.fingerprint, name=row.name, file_name=row.file_name,
                       mapping=json.loads(row.mapping), added_at=utc(row.added_at),
                       last_used_at=utc(row.last_used_at), size=int(row.size_bytes),
                       health=json.loads(row.health), owner=row.owner)


def _health(catalog: Catalog) -> dict[str, int]:
    """A few counts for the library's list: products, categories and stock."""
    health = catalog.health()
    return {"products": health.rows, "categories": len(health.categories), "uncategorised": health.uncategorised,
            "in_stock": health.stock["in_stock"], "low": health.stock["low"], "out": health.stock["out"],
            "unknown_stock": health.stock["unknown"], "prices": int(health.price["count"] or 0)}
