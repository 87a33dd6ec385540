"""A failure of the history's database, in plain words: the `HistoryUnavailable` a store raises, with its cause.

What went wrong (a damaged file, a read-only file, a folder that cannot be made, a
database that does not answer) and what to do about it, in the history's words, without a password;
the database's own words (`database_detail`) and read-only detection are the database room's.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from fashionai.database import database_detail, says_read_only
from fashionai.history.model import CORRUPT, FAILED, MISSING_FOLDER, READ_ONLY, UNREACHABLE, HistoryUnavailable


def read_only_message(path: Path | None, *, asked: bool) -> str:
    """Why saving is off, and what to do, for a read-only SQLite history (`asked`: opened with ?mode=ro)."""
    how = ("it was opened read-only (its address ends with ?mode=ro)" if asked
           else "the studio may not write to it or to its folder")
    return (f"The history file {path} is read-only ({how}), so saving is off: new answers are not saved "
            "and imports are refused. Saved answers can still be read. Make the file and its folder writable "
            "by the studio to save again.")


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
