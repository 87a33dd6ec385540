"""`Database`: a store's database from its address, SQLite or PostgreSQL (the base of each store on it)."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import URL

from fashionai.config import normalize_url
from fashionai.database._engine import postgresql_engine, sqlite_engine, sqlite_file
from fashionai.database._failures import database_detail, says_read_only


class Database:
    """A store's database: its address (said safely by `display_url`), its engine, whether it can only be read.

    A SQLite address ending ``?mode=ro`` is opened read-only (`_read_only_asked`); `read_only` is the store's
    to set once it finds the file can only be read. `_lock` and `_ready` are the store's first-use guard (its
    folder and tables made once); `guard_database` resets `_ready` after a failure.
    """

    def __init__(self, url: str | URL) -> None:
        self._url = normalize_url(url)
        self._lock = threading.Lock()
        self._ready = False
        self.read_only = False
        """True when the database can only be read (a read-only SQLite file): writing is off."""
        self._read_only_asked = False
        if self.dialect == "sqlite":
            self._read_only_asked = self._url.query.get("mode") == "ro"
            self._url = self._url.difference_update_query(["mode"])
            self._engine = self._sqlite_engine(read_only=self._read_only_asked)
        else:
            self._engine = postgresql_engine(self._url)

    def _sqlite_engine(self, *, read_only: bool = False, immutable: bool = False) -> sa.Engine:
        return sqlite_engine(self._url, self.path, read_only=read_only, immutable=immutable)

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
        return sqlite_file(self._url)

    def close(self) -> None:
        """Close every pooled connection (the store opens new ones if used again)."""
        self._engine.dispose()

    def _ensure_tables(self, *tables: sa.Table, later_columns: Mapping[sa.Table, tuple[str, ...]] | None = None
                       ) -> None:
        """The folder (SQLite) and `tables` with their indexes, made once on first use, unless they exist (safe
        when another server makes them at the same moment); `later_columns`, columns added since a table was
        first made, added to a database made before them (`add_missing_columns`)."""
        if self._ready:
            return
        with self._lock:
            if self._ready:
                return
            if self.path is not None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            try:
                self._create_tables(tables)
            except sa.exc.SQLAlchemyError as err:  # another server created them at the same moment?
                if says_read_only(err):
                    raise
                self._create_tables(tables)
            for table, names in (later_columns or {}).items():
                add_missing_columns(self._engine, table, names)
            self._ready = True

    def _create_tables(self, tables: tuple[sa.Table, ...]) -> None:
        with self._engine.begin() as conn:
            for table in tables:
                conn.execute(sa.schema.CreateTable(table, if_not_exists=True))
                for index in table.indexes:
                    conn.execute(sa.schema.CreateIndex(index, if_not_exists=True))

    def failure_words(self, err: BaseException) -> tuple[str, str]:
        """Where this database is and why it failed, in plain words for a store's message (no password):
        ("the file /data/history.db", "it is read-only")."""
        where = f"the file {self.path}" if self.path is not None else f"the database at {self.display_url}"
        detail = database_detail(err, self._url.password)
        if isinstance(err, OSError):
            return where, f"its folder cannot be made ({getattr(err, 'strerror', None) or detail})"
        return where, "it is read-only" if says_read_only(err) else detail or type(err).__name__


def create_tables(engine: sa.Engine, metadata: sa.MetaData) -> None:
    """`metadata`'s tables and indexes, made unless they exist; safe when another process makes them at the same
    moment (a first failure is tried once more: the second finds them made). For a store standing on another
    store's database (the audits, the shared rate); a store with a `Database` of its own uses `_ensure_tables`."""
    try:
        metadata.create_all(engine, checkfirst=True)
    except sa.exc.SQLAlchemyError:  # another process made them at the same moment
        metadata.create_all(engine, checkfirst=True)


def add_missing_columns(engine: sa.Engine, table: sa.Table, names: tuple[str, ...]) -> None:
    """Columns of `table` named in `names` that a database made before them lacks, added (nullable: its rows keep
    working, the column empty for them). Safe when another process adds one at the same moment."""
    with engine.connect() as conn:
        have = {column["name"] for column in sa.inspect(conn).get_columns(table.name)}
    for name in names:
        if name in have:
            continue
        kind = table.c[name].type.compile(dialect=engine.dialect)
        try:
            with engine.begin() as conn:
                conn.execute(sa.text(f'ALTER TABLE {table.name} ADD COLUMN "{name}" {kind}'))
        except sa.exc.SQLAlchemyError:  # another process added it at the same moment: fine if it is there now
            with engine.connect() as conn:
                if name not in {c["name"] for c in sa.inspect(conn).get_columns(table.name)}:
                    raise
