"""The engine made from an address: SQLite (busy timeout, WAL, read-only forms) or PostgreSQL (a pool).

Every store on the studio's database gets its engine here, so they share one file or server with
the same connection settings.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import quote

import sqlalchemy as sa
from sqlalchemy.engine import URL

BUSY_TIMEOUT = 15.0
"""Seconds a SQLite writer waits for another one before giving up."""


def sqlite_file(url: URL) -> Path | None:
    """The SQLite file `url` names, or None (PostgreSQL, or SQLite in memory)."""
    database = url.database
    return Path(database) if url.get_backend_name() == "sqlite" and database and database != ":memory:" else None


def sqlite_engine(url: URL, path: Path | None, *, read_only: bool = False, immutable: bool = False) -> sa.Engine:
    """An engine on the SQLite file `path` (at `url`) that waits BUSY_TIMEOUT for another writer, in WAL mode;
    `read_only` opens the file read-only, `immutable` also tells SQLite nothing else writes it."""
    if (read_only or immutable) and path is not None:  # SQLite's URI form opens a file read-only
        uri = "file:" + quote(path.as_posix()) + "?mode=ro" + ("&immutable=1" if immutable else "")
        url = url.set(database=uri).update_query_dict({"uri": "true"})
    engine = sa.create_engine(url, connect_args={"timeout": BUSY_TIMEOUT})
    sa.event.listen(engine, "connect", sqlite_on_connect)
    return engine


def postgresql_engine(url: URL) -> sa.Engine:
    """A pooled engine on the PostgreSQL database at `url`: one that does not answer fails in seconds, not minutes."""
    timeout = {} if "connect_timeout" in url.query else {"connect_timeout": 5}
    return sa.create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10, connect_args=timeout)


def sqlite_on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    """A new SQLite connection's settings: wait BUSY_TIMEOUT for another writer; WAL mode."""
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT * 1000)}")
    try:
        cursor.execute("PRAGMA journal_mode = WAL")  # readers never block the writer, nor it them
    except sqlite3.DatabaseError:  # a read-only or damaged file: the first real statement says which
        pass
    cursor.close()
