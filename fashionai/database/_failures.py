"""A database's failure: what counts as one, its own words with the password masked, whether it says
read-only, and the guard that turns it into a store's error in plain words.

    DatabaseUnavailable         the base of every store's "cannot be used now" error
      fashionai.history.HistoryUnavailable
      fashionai.catalog.library.LibraryUnavailable
"""

from __future__ import annotations

import functools
import re
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa

T = TypeVar("T")


class DatabaseUnavailable(ValueError):
    """A store's database cannot be used now; the message says why in plain words, without a password.

    The base of each store's own error (the history's, the catalog library's), so that one
    `except DatabaseUnavailable` meets any of them."""


DATABASE_ERRORS = (sa.exc.SQLAlchemyError, sqlite3.Error, OSError)
"""What a database in use can raise: turned into the plain-words error of whoever holds it."""


def says_read_only(err: BaseException) -> bool:
    """Whether the database's error says the file is read-only."""
    text = str(getattr(err, "orig", None) or err).lower()
    return "readonly" in text or "read-only" in text


_URL_PASSWORD = re.compile(r"(?P<head>\b[A-Za-z][A-Za-z0-9+.-]*://[^:/?#@\s]*:)[^@\s/]*(?=@)")
"""The password of an address written in a message: scheme://user:PASSWORD@host."""
_PASSWORD_SETTING = re.compile(r"(?P<head>\bpassword\s*=\s*)(?:'(?:[^'\\]|\\.)*'|\"[^\"]*\"|[^\s,;&)]+)", re.IGNORECASE)
"""A password as a connection string writes it: password=PASSWORD (libpq's, quoted or not)."""
MASKED = "***"
MIN_BARE_PASSWORD_CHARS = 4
"""A password at least this long is masked wherever a message repeats it too; a shorter one only where an
address or password= names it (masking every "a" of a one-letter password would garble the message)."""


def database_detail(err: BaseException, password: object) -> str:
    """The first line of a database's error (300 characters at most), its password masked: in any address
    (scheme://user:***@host) and password=*** setting, and, when it is long enough to be itself, wherever
    it shows."""
    detail = str(getattr(err, "orig", None) or err).strip().splitlines()[0][:300] if str(err) else ""
    detail = _PASSWORD_SETTING.sub(lambda m: m["head"] + MASKED, _URL_PASSWORD.sub(lambda m: m["head"] + MASKED,
                                                                                   detail))
    secret = "" if password is None else str(password)
    if len(secret) >= MIN_BARE_PASSWORD_CHARS:
        detail = detail.replace(secret, MASKED)
    return detail


def guard_database(convert: Callable[[Any, BaseException], Exception], *, again_when_folder_gone: bool = False
                   ) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """A decorator for a store's methods: a database failure (DATABASE_ERRORS) becomes ``convert(store, err)``,
    raised from it, and ``store._ready`` is reset so that the next use starts again (folder, tables). An error
    already in plain words (a ValueError, such as the stores' own) is none of those, and goes on as it is.

    `again_when_folder_gone` (for a `Database`): when the SQLite file's folder was removed while the store was
    in use, its engine is disposed and the method tried once more (the store makes it again)."""
    def decorate(method: Callable[..., T]) -> Callable[..., T]:
        @functools.wraps(method)
        def guarded(self: Any, *args: Any, **kwargs: Any) -> T:  # Any: the store and its method's own arguments
            for attempt in (1, 2):
                try:
                    return method(self, *args, **kwargs)
                except DATABASE_ERRORS as err:
                    was_ready, self._ready = self._ready, False  # the next use starts again: folder, tables
                    if again_when_folder_gone and attempt == 1 and was_ready and _folder_gone(self.path):
                        self._engine.dispose()  # its folder was removed while in use: make it again there
                        continue
                    raise convert(self, err) from err
            raise AssertionError("unreachable")
        return guarded
    return decorate


def _folder_gone(path: Path | None) -> bool:
    return path is not None and not path.parent.exists()
