"""The activity log: who did what, when, from which page, in the history's database (issue 23).

    log = ActivityLog("sqlite:////data/history.db")        # or postgresql://… (the history's address)
    log.record(who="ana@store.com", action=ActivityAction.CATALOG_DELETED, page="Catalog", detail="Summer 2026")
    log.entries(who="ana@store.com", action=ActivityAction.SIGNED_IN, day=date(2026, 12, 7))   # newest first
    log.people()                                             # who signed in, and when last

Append-only: the log has no update or delete path (this module writes only INSERTs, and a test reads
its source to keep it so). It is never trimmed: there is no retention of the log (a team that must
drop old rows does it in the database, by hand, as an admin of the database).

What a row may hold: who (the team member's e-mail, or "local" without sign-in), the action, the
page, whom it concerns (`about`: a team member's e-mail, for a role changed), and a detail of one
line at most MAX_DETAIL characters, with the app token (every form the client knows) and any e-mail
address replaced by "[personal data]": a shopper's e-mail typed for a
profile look-up is logged as "profile by e-mail", never the address; a catalog is named, its rows
never written. `count`: how many, for the actions that count (live calls made on one page visit).

The table (`fashionai_activity`) is made if missing, on SQLite or PostgreSQL, beside the history's.
A database that cannot be used raises `ActivityUnavailable` (plain words, no password).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import Any
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.engine import URL

from fashionai.api import redaction
from fashionai.api.models import Exchange
from fashionai.config import normalize_url
from fashionai.database import (
    Database,
    DatabaseUnavailable,
    guard_database,
    naive_utc,
    naive_utc_now,
    utc,
)

__all__ = ["DEFAULT_ENTRIES", "MAX_DETAIL", "ActivityAction", "ActivityEntry", "ActivityLog", "ActivityUnavailable",
           "CallCounter", "PersonSeen", "clean_detail"]

MAX_DETAIL = 200
"""Characters a row's detail keeps (one line): a name, a count in words, never a file's contents."""
DEFAULT_ENTRIES = 1_000
"""Rows `ActivityLog.entries` returns unless asked for another number."""
MAX_WHO = 320
"""Characters of who did it (an e-mail address is at most 320)."""


class ActivityAction(StrEnum):
    """Every action the activity log records (issue 23), in the words the Activity page shows."""

    SIGNED_IN = "signed in"
    LIVE_CALLS = "live calls"  # made on one page visit, as a count
    PROFILE_LOOKUP = "profile looked up"  # its detail says how ("profile by e-mail"), never the value
    AUDIT_PLANNED = "audit planned"
    AUDIT_STARTED = "audit started"
    AUDIT_CANCELLED = "audit cancelled"
    AUDIT_RESUMED = "audit resumed"
    AUDIT_FINISHED = "audit finished"
    CATALOG_UPLOADED = "catalog uploaded"
    CATALOG_RENAMED = "catalog renamed"
    CATALOG_DELETED = "catalog deleted"
    SNAPSHOT_NAMED = "snapshot named"
    SNAPSHOT_IMPORTED = "snapshot imported"
    SNAPSHOT_DELETED = "snapshot deleted"
    RETENTION_CHANGED = "retention changed"
    FILTERS_CHANGED = "dashboard filters changed"  # its detail: the type, its filters before and after
    ROLE_CHANGED = "role changed"
    REFUSED = "action refused"


@dataclass(frozen=True)
class ActivityEntry:
    """One row of the log: when (UTC), who, what, from which page, its detail and count."""

    id: int
    at: datetime  # UTC
    who: str
    action: ActivityAction | str  # a value this version does not know stays as text
    page: str = ""
    detail: str = ""
    count: int | None = None
    about: str = ""  # the team member an action concerns (whose role changed), by e-mail


@dataclass(frozen=True)
class PersonSeen:
    """Someone the log has seen sign in: their e-mail, when last (UTC), and that row's detail (where their role
    came from, when the identity provider gave it)."""

    who: str
    last_seen: datetime
    detail: str = ""


class ActivityUnavailable(DatabaseUnavailable):
    """The activity log's database cannot be used now; the message says why, in plain words."""


metadata = sa.MetaData()
activity_table = sa.Table(
    "fashionai_activity",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime(timezone=False), nullable=False),  # UTC
    sa.Column("who", sa.String(MAX_WHO), nullable=False),
    sa.Column("action", sa.String(40), nullable=False),
    sa.Column("page", sa.String(100), nullable=False),
    sa.Column("detail", sa.String(MAX_DETAIL), nullable=False),
    sa.Column("count", sa.Integer),
    sa.Column("about", sa.String(MAX_WHO), nullable=False),
    sa.Index("ix_fashionai_activity_at", "at"),
    sa.Index("ix_fashionai_activity_who", "who", "at"),
)
_A = activity_table.c


class CallCounter:
    """Calls counted as they finish, in any thread (a page's lanes run at once), taken off in one go: the live
    calls of one page visit, logged as one row with their count."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._count = 0

    def add(self) -> None:
        with self._lock:
            self._count += 1

    def take(self) -> int:
        """The calls counted since the last take (and none left)."""
        with self._lock:
            count, self._count = self._count, 0
        return count

    def observing(self, observer: Callable[[Exchange], None] | None) -> Callable[[Exchange], None]:
        """A client's on_exchange that counts each call, then hands it to `observer` (the history's recorder)."""
        def observe(exchange: Exchange) -> None:
            self.add()
            if observer is not None:
                observer(exchange)
        return observe


def clean_detail(text: object) -> str:
    """A detail as the log keeps it: one line, at most MAX_DETAIL characters, the token and e-mails replaced."""
    line = " ".join(str(text or "").split())
    cleaned = redaction.redact(redaction.normalise(line))
    return redaction.EMAIL.sub(redaction.PERSONAL_REPLACEMENT, cleaned)[:MAX_DETAIL]


def _clean(text: object, limit: int) -> str:
    return " ".join(str(text or "").split())[:limit]


_guarded = guard_database(lambda log, err: log._unavailable(err))
"""A method whose database failures become ActivityUnavailable (the next use starts again)."""


class ActivityLog(Database):
    """The activity log in SQLite or PostgreSQL (the history's database). Thread-safe; append-only.

    Every method raises ActivityUnavailable when the database cannot be used; the log tries again
    on the next call.
    """

    def __init__(self, url: str | URL) -> None:
        # always opened to be written (an address's ?mode=ro is the history's, not the log's)
        super().__init__(normalize_url(url).difference_update_query(["mode"]))

    def __repr__(self) -> str:
        return f"ActivityLog({self.display_url!r})"

    @_guarded
    def record(self, *, who: str, action: ActivityAction, page: str = "", detail: str = "",
               count: int | None = None, about: str = "", at: datetime | None = None) -> ActivityEntry:
        """Add one row (its own short transaction) and return it. `about`: the team member the action concerns
        (whose role changed), by e-mail; a detail's e-mails are replaced. ValueError for an unknown action."""
        action = ActivityAction(action)
        row = {"at": naive_utc(at) if at is not None else naive_utc_now(),
               "who": _clean(who, MAX_WHO).lower() or "unknown", "action": action.value,
               "page": _clean(page, 100), "detail": clean_detail(detail),
               "count": None if count is None else int(count), "about": _clean(about, MAX_WHO).lower()}
        self._ensure()
        with self._engine.begin() as conn:
            inserted = conn.execute(sa.insert(activity_table).values(**row)).inserted_primary_key
        new_id = inserted[0] if inserted is not None else None
        return _entry({**row, "id": new_id})

    @_guarded
    def entries(self, *, who: str | None = None, action: ActivityAction | str | None = None,
                day: date | None = None, limit: int = DEFAULT_ENTRIES) -> list[ActivityEntry]:
        """The rows that match (a person, an action, a UTC day), newest first, at most `limit`."""
        statement = sa.select(activity_table)
        if who:
            statement = statement.where(_A.who == str(who).strip().lower())
        if action:
            statement = statement.where(_A.action == str(action))
        if day is not None:
            start = datetime.combine(day, time())
            statement = statement.where(_A.at >= start, _A.at < start + timedelta(days=1))
        statement = statement.order_by(_A.at.desc(), _A.id.desc()).limit(max(0, int(limit)))
        self._ensure()
        with self._engine.connect() as conn:
            return [_entry(row._asdict()) for row in conn.execute(statement)]

    @_guarded
    def people(self, *, action: ActivityAction = ActivityAction.SIGNED_IN) -> list[PersonSeen]:
        """Everyone with a row of `action` (by default: who signed in), the most recently seen first, with the
        detail of their latest such row."""
        seen = (sa.select(_A.who, sa.func.max(_A.at).label("last_seen"), sa.func.max(_A.id).label("latest"))
                .where(_A.action == action.value).group_by(_A.who).subquery())
        statement = (sa.select(seen.c.who, seen.c.last_seen, _A.detail).select_from(seen)
                     .join(activity_table, _A.id == seen.c.latest).order_by(seen.c.last_seen.desc(), seen.c.who))
        self._ensure()
        with self._engine.connect() as conn:
            return [PersonSeen(row.who, utc(row.last_seen), row.detail) for row in conn.execute(statement)]

    @_guarded
    def everyone(self) -> list[str]:
        """Every person with a row in the log, by e-mail (the Activity page's choice of person)."""
        self._ensure()
        with self._engine.connect() as conn:
            return [str(who) for who in conn.execute(sa.select(_A.who).distinct().order_by(_A.who)).scalars()]

    # --- the database

    def _ensure(self) -> None:
        self._ensure_tables(activity_table)

    def _unavailable(self, err: BaseException) -> ActivityUnavailable:
        where, why = self.failure_words(err)
        return ActivityUnavailable(
            f"The activity log (kept in {where}, beside the history) cannot be used: {why}. What you do still "
            "works, but it is not written in the log until the database can be written again.")


def _entry(values: Mapping[str, Any]) -> ActivityEntry:  # a row's values, as the database gave them
    action = str(values["action"])
    known = action in ActivityAction._value2member_map_
    count = values.get("count")
    return ActivityEntry(id=int(values["id"]), at=utc(values["at"]),
                         who=str(values["who"]), action=ActivityAction(action) if known else action,
                         page=str(values.get("page") or ""), detail=str(values.get("detail") or ""),
                         count=None if count is None else int(count),
                         about=str(values.get("about") or ""))
