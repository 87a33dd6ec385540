"""What the history keeps, as the team sets it (issue 23): an admin's choice on the Team page, kept in the history's
database, wins over the deployment's FASHIONAI_HISTORY_MAX_AGE_DAYS and FASHIONAI_HISTORY_MAX_COUNT.

    settings = TeamSettings("sqlite:////data/history.db")          # the history's address
    settings.retention(default)            # the team's Retention where an admin set one, else `default`
    settings.set_retention(Retention(30, 50_000), by="lead@store.com", default=default)   # -> RetentionChange
    settings.set_retention(None, by=..., default=default)          # back to the deployment's settings
    read_retention(engine, default)        # the same read on another store's engine (the history's pruning)
    retention_words(retention)             # "90 days, at most 100,000 snapshots"

One row a setting (`fashionai_team_settings`: its name, value as text, when and by whom it was set), made if
missing. `default` is always the deployment's (`fashionai.config.resolve_history_config`); the table holds only
what an admin chose. A database that cannot be used raises `TeamSettingsUnavailable` (plain words, no password).
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import URL

from fashionai.config import DEFAULT_MAX_AGE_DAYS, DEFAULT_MAX_COUNT, HISTORY_MAX_AGE, HISTORY_MAX_COUNT, normalize_url
from fashionai.database import Database, DatabaseUnavailable, guard_database, naive_utc_now, utc

__all__ = ["MAX_AGE_DAYS", "Retention", "RetentionChange", "TeamSettings", "TeamSettingsUnavailable",
           "read_retention", "retention_words"]

log = logging.getLogger(__name__)

AGE_KEY, COUNT_KEY = str(HISTORY_MAX_AGE.key), str(HISTORY_MAX_COUNT.key)
"""The rows' names: the settings' own keys (as in .streamlit/secrets.toml)."""
MAX_AGE_DAYS = 36_500
"""The most days a team may choose (a hundred years; 0 is forever)."""


@dataclass(frozen=True)
class Retention:
    """What the history keeps: snapshots of at most `max_age_days` days (None: forever), the newest `max_count`
    (None: no limit). `set_by` and `set_at`: the admin who chose it on the Team page, and when (UTC); blank for
    the deployment's own settings."""

    max_age_days: float | None = DEFAULT_MAX_AGE_DAYS
    max_count: int | None = DEFAULT_MAX_COUNT
    set_by: str = ""
    set_at: datetime | None = None

    @property
    def team_set(self) -> bool:
        """Whether an admin chose it (rather than the deployment's settings)."""
        return bool(self.set_by)

    def limits(self) -> tuple[float | None, int | None]:
        return self.max_age_days, self.max_count


@dataclass(frozen=True)
class RetentionChange:
    """What `TeamSettings.set_retention` did: the retention before and after."""

    before: Retention
    after: Retention

    @property
    def changed(self) -> bool:
        return self.before.limits() != self.after.limits() or self.before.team_set != self.after.team_set

    def words(self) -> str:
        """One line for the activity log: "history kept: 90 days, at most 100,000 snapshots → 30 days, ..."."""
        after = retention_words(self.after) + ("" if self.after.team_set else " (the deployment's settings)")
        return f"history kept: {retention_words(self.before)} → {after}"


def retention_words(retention: Retention) -> str:
    """What the history keeps, in words: "90 days, at most 100,000 snapshots", "forever, no limit of snapshots"."""
    days = retention.max_age_days
    age = "forever" if not days else f"{days:g} day{'s' if days != 1 else ''}"
    count = (f"at most {retention.max_count:,} snapshot{'s' if retention.max_count != 1 else ''}"
             if retention.max_count else "no limit of snapshots")
    return f"{age}, {count}"


def _days(value: object) -> float | None:
    """Days as the team may choose them: a number from 0 (forever: None) to MAX_AGE_DAYS. ValueError in words."""
    try:
        days = float(str(value).strip())
    except ValueError:
        days = -1.0
    if not (math.isfinite(days) and 0 <= days <= MAX_AGE_DAYS):
        raise ValueError(f"Days kept must be a number from 0 (forever) to {MAX_AGE_DAYS:,}, not {value!r}.")
    return days or None


def _count(value: object) -> int | None:
    """Snapshots as the team may choose them: a whole number from 0 (no limit: None). ValueError in words."""
    try:
        count = int(str(value).strip())
    except ValueError:
        count = -1
    if count < 0:
        raise ValueError(f"Snapshots kept must be a whole number, 0 for no limit, not {value!r}.")
    return count or None


metadata = sa.MetaData()
settings_table = sa.Table(
    "fashionai_team_settings",
    metadata,
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("value", sa.String(200), nullable=False),
    sa.Column("changed_at", sa.DateTime(timezone=False), nullable=False),  # UTC
    sa.Column("changed_by", sa.String(320), nullable=False),
)
_S = settings_table.c


def _from_rows(rows: dict[str, sa.Row], default: Retention) -> Retention:
    """The retention the rows say, or `default` when they say none (or one that cannot be read: said in the log)."""
    if AGE_KEY not in rows or COUNT_KEY not in rows:
        return default
    try:
        days, count = _days(rows[AGE_KEY].value), _count(rows[COUNT_KEY].value)
    except ValueError as err:
        log.warning("The team's retention in the database cannot be read, so the deployment's applies: %s", err)
        return default
    newest = max(rows[AGE_KEY], rows[COUNT_KEY], key=lambda row: row.changed_at)
    return Retention(days, count, set_by=str(newest.changed_by) or "unknown", set_at=utc(newest.changed_at))


def read_retention(engine: sa.Engine, default: Retention) -> Retention:
    """The team's retention in the database `engine` opens, else `default` (also when the table was never made:
    no admin chose one, or the database can only be read). Database errors are the caller's to say."""
    with engine.connect() as conn:
        if not sa.inspect(conn).has_table(settings_table.name):
            return default
        rows = {row.name: row for row in conn.execute(sa.select(settings_table)
                                                      .where(_S.name.in_((AGE_KEY, COUNT_KEY))))}
    return _from_rows(rows, default)


class TeamSettingsUnavailable(DatabaseUnavailable):
    """The team's settings' database cannot be used now; the message says why, in plain words."""


_guarded = guard_database(lambda store, err: store._unavailable(err))


class TeamSettings(Database):
    """The team's settings (the history's retention), in SQLite or PostgreSQL (the history's database)."""

    def __init__(self, url: str | URL) -> None:
        super().__init__(normalize_url(url).difference_update_query(["mode"]))

    def __repr__(self) -> str:
        return f"TeamSettings({self.display_url!r})"

    @_guarded
    def retention(self, default: Retention) -> Retention:
        """What the history keeps: the team's where an admin chose it, else `default` (the deployment's)."""
        self._ensure()
        return read_retention(self._engine, default)

    @_guarded
    def set_retention(self, days_and_count: tuple[object, object] | None, *, by: str,
                      default: Retention) -> RetentionChange:
        """Keep snapshots `days_and_count` = (days, snapshots), 0 for no limit, chosen by `by`; None: back to the
        deployment's settings (`default`). ValueError, in words, for a value the team may not choose."""
        before = self.retention(default)
        if days_and_count is None:
            with self._engine.begin() as conn:
                conn.execute(sa.delete(settings_table).where(_S.name.in_((AGE_KEY, COUNT_KEY))))
            return RetentionChange(before, default)
        days, count = _days(days_and_count[0]), _count(days_and_count[1])
        who, now = str(by or "").strip().lower() or "unknown", naive_utc_now()
        rows = [{"name": AGE_KEY, "value": f"{days or 0:g}", "changed_at": now, "changed_by": who},
                {"name": COUNT_KEY, "value": str(count or 0), "changed_at": now, "changed_by": who}]
        with self._engine.begin() as conn:  # delete, then insert: the same on SQLite and PostgreSQL
            conn.execute(sa.delete(settings_table).where(_S.name.in_((AGE_KEY, COUNT_KEY))))
            conn.execute(sa.insert(settings_table), rows)
        return RetentionChange(before, Retention(days, count, set_by=who, set_at=utc(now)))

    # --- the database

    def _ensure(self) -> None:
        self._ensure_tables(settings_table)

    def _unavailable(self, err: BaseException) -> TeamSettingsUnavailable:
        where, why = self.failure_words(err)
        return TeamSettingsUnavailable(
            f"The team's settings (kept in {where}, beside the history) cannot be used: {why}. The history keeps "
            "what the deployment's settings say until it can be read.")
