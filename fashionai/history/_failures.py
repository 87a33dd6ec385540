"""A failure of the history's database, in plain words: the `HistoryUnavailable` a store raises, with its cause.

What went wrong (a damaged file, a read-only file, a folder that cannot be made, a
database that does not answer) and what to do about it, without a password.
"""

from __future__ import annotations

import functools
import re
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa

from fashionai.history.model import CORRUPT, FAILED, MISSING_FOLDER, READ_ONLY, UNREACHABLE, HistoryUnavailable

T = TypeVar("T")


def says_read_only(err: BaseException) -> bool:
    """Whether the database's error says the file is read-only."""
    text = str(getattr(err, "orig", None) or err).lower()
    return "readonly" in text or "read-only" in text


def read_only_message(path: Path | None, *, asked: bool) -> str:
    """Why saving is off, and what to do, for a read-only SQLite history (`asked`: opened with ?mode=ro)."""
    how = ("it was opened read-only (its address ends with ?mode=ro)" if asked
           else "the studio may not write to it or to its folder")
    return (f"The history file {path} is read-only ({how}), so saving is off: new answers are not saved "
            "and imports are refused. Saved answers can still be read. Make the file and its folder writable "
            "by the studio to save again.")


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


def unavailable(err: BaseException, *, dialect: str, path: Path | None, display_url: str, password: object,
                read_only_asked: bool) -> HistoryUnavailable:
    """`err`, a failure of the database at `display_url` (or its SQLite file `path`), in plain words with
    its cause; `password` is masked where the database's own words repeat it (`database_detail`)."""
    detail = database_detail(err, password)
    lowered = detail.lower()
    if dialect == "sqlite":
        folder = path.parent if path is not None else None
        if isinstance(err, OSError) or (folder is not None and not folder.is_dir()):
            reason = getattr(err, "strerror", None) or detail or "it is missing"
            return HistoryUnavailable(
                f"The history's folder {folder} does not exist and cannot be made ({reason}). Create it, or "
                "set FASHIONAI_HISTORY_URL to a file in a folder the studio can write to. Previews still "
                "work, but nothing is saved until then.", MISSING_FOLDER)
        if "not a database" in lowered or "malformed" in lowered or "corrupt" in lowered:
            return HistoryUnavailable(
                f"The history file {path} is damaged or is not a history database ({detail}). Move it "
                "aside, and the studio starts a new, empty history there; or restore a backup. Previews "
                "still work, but nothing is saved until then.", CORRUPT)
        if says_read_only(err):
            return HistoryUnavailable(read_only_message(path, asked=read_only_asked), READ_ONLY)
        if "unable to open" in lowered:
            return HistoryUnavailable(
                f"The history file {path} cannot be opened ({detail}): check that the studio may read "
                "and write it and its folder.", FAILED)
        return HistoryUnavailable(f"The history file {path} could not be used ({detail}). Try again; "
                                  "if it keeps happening, check the file and its disk.", FAILED)
    if isinstance(err, (sa.exc.OperationalError, sa.exc.InterfaceError)) and (
            "connect" in lowered or "server" in lowered or "timeout" in lowered or "closed" in lowered):
        return HistoryUnavailable(
            f"The history database at {display_url} cannot be reached ({detail}). Check that it is "
            "running and that FASHIONAI_HISTORY_URL names it. Previews still work, but nothing is saved "
            "until it answers.", UNREACHABLE)
    return HistoryUnavailable(f"The history database at {display_url} failed ({detail or type(err).__name__})."
                              " Try again; if it keeps happening, tell the studio's maintainers.", FAILED)


DATABASE_ERRORS = (sa.exc.SQLAlchemyError, sqlite3.Error, OSError)
"""What a database in use can raise: turned into the plain-words error of whoever holds it."""


def guard_database(passthrough: type[Exception], convert: Callable[[Any, BaseException], Exception]
                   ) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """A decorator for the methods of a store kept in the history's database (the catalog library, the audits):
    a database failure becomes ``convert(store, err)``, raised from it, and ``store._ready`` is reset so that
    the next use starts again (folder, tables); an error of `passthrough`'s kind goes on as it is."""
    def decorate(method: Callable[..., T]) -> Callable[..., T]:
        @functools.wraps(method)
        def guarded(self: Any, *args: Any, **kwargs: Any) -> T:
            try:
                return method(self, *args, **kwargs)
            except passthrough:
                raise
            except DATABASE_ERRORS as err:
                self._ready = False
                raise convert(self, err) from err
        return guarded
    return decorate
