"""The database room: what every store kept in the studio's database (the history, the catalog library,
the audits) stands on, SQLite or PostgreSQL. The stores import this public face, never its private modules.

    Database              a store's database from its address: engine, dialect, file, the address said
                          safely (display_url, password hidden), read-only asked (?mode=ro) or found
    add_missing_columns   columns added since a table was made, added to a database made before (nullable)
    create_tables         a store's tables made unless they exist, tried once more when another process made them
    sqlite_engine, postgresql_engine, sqlite_file, BUSY_TIMEOUT
                          the engine made from an address (SQLite's busy timeout, WAL, read-only forms;
                          PostgreSQL's pool): the only `create_engine` of the package
    says_read_only        whether a database's error says its file is read-only
    database_detail       a database's own words for a failure, its password masked
    DATABASE_ERRORS, guard_database
                          what a database can raise, and the one guard that turns it into a store's
                          error in plain words (resetting the store for its next use)
    DatabaseUnavailable   the base of every store's "cannot be used now" error
    utc, naive_utc, naive_utc_now
                          times as stored: UTC without a zone, handed out aware

Modules: _base.py (Database), _engine.py (engines), _failures.py (failures and the guard), _time.py (times).
"""

from fashionai.database._base import Database, add_missing_columns, create_tables
from fashionai.database._engine import BUSY_TIMEOUT, postgresql_engine, sqlite_engine, sqlite_file, sqlite_on_connect
from fashionai.database._failures import (
    DATABASE_ERRORS,
    MASKED,
    MIN_BARE_PASSWORD_CHARS,
    DatabaseUnavailable,
    database_detail,
    guard_database,
    says_read_only,
)
from fashionai.database._time import naive_utc, naive_utc_now, utc

__all__ = [
    "BUSY_TIMEOUT",
    "DATABASE_ERRORS",
    "MASKED",
    "MIN_BARE_PASSWORD_CHARS",
    "Database",
    "DatabaseUnavailable",
    "add_missing_columns",
    "create_tables",
    "database_detail",
    "guard_database",
    "naive_utc",
    "naive_utc_now",
    "postgresql_engine",
    "says_read_only",
    "sqlite_engine",
    "sqlite_file",
    "sqlite_on_connect",
    "utc",
]
