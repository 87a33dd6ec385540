"""The history's database (`fashionai.history.store`'s base): its address, its engine, read-only or not.

A SQLite address ending ``?mode=ro`` is opened read-only; an address's password is never shown
(`HistoryDatabase.display_url`). `guarded` makes a store method's database failures a
`HistoryUnavailable` in plain words (`fashionai.history._failures`), trying once more when the
SQLite file's folder was removed while in use.
"""

from __future__ import annotations

import functools
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import URL

from fashionai.config import HistoryError, normalize_url
from fashionai.history._failures import read_only_message, unavailable
from fashionai.history._sql import postgresql_engine, sqlite_engine, sqlite_file
from fashionai.history.model import READ_ONLY, HistoryUnavailable

T = TypeVar("T")


def guarded(method: Callable[..., T]) -> Callable[..., T]:
    """A store method whose database failures become HistoryUnavailable, in plain words."""
    @functools.wraps(method)
    def call(self: HistoryDatabase, *args: Any, **kwargs: Any) -> T:
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
    return call


class HistoryDatabase:
    """The history's database, SQLite or PostgreSQL, as `HistoryStore` holds it: its address and engine,
    whether it can only be read, and its failures in plain words."""

    def __init__(self, url: str | URL) -> None:
        self._url = normalize_url(url)
        self._lock = threading.Lock()
        self._ready = False
        self.read_only = False
        """True when the history can only be read (a read-only SQLite file): saving is off."""
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

    def unavailable(self, err: BaseException) -> HistoryUnavailable:
        """`err`, a failure of this database met by such a room, as the history says it: in plain words."""
        return self._unavailable(err)

    def _refuse_if_read_only(self) -> None:
        if self.read_only:
            raise HistoryUnavailable(self.read_only_message(), READ_ONLY)

    def read_only_message(self) -> str:
        """Why saving is off, and what to do, for a read-only history."""
        return read_only_message(self.path, asked=self._read_only_asked)

    def _unavailable(self, err: BaseException) -> HistoryUnavailable:
        """`err`, a failure of the database or its file, in plain words with its cause."""
        error = unavailable(err, dialect=self.dialect, path=self.path, display_url=self.display_url,
                            password=self._url.password, read_only_asked=self._read_only_asked)
        if error.cause == READ_ONLY:
            self.read_only = True
        return error
