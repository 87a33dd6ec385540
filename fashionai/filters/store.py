"""The dashboard's filters kept as a team setting, in the history's database (issue 25).

    store = FilterStore("sqlite:////data/history.db")        # or postgresql://… (the history's address)
    store.settings()                                          # FilterSettings: every type's filters
    change = store.set_filters("categoryView", DashboardFilters(max_price=300), person=admin)
    change.detail                                             # "Category page: up to R$ 300,00" (the log's words)

One row a recommendation type (`fashionai_dashboard_filters`: the type, its filters as JSON, when and by whom
last set), made if missing. Only a person with the right to change the team's settings (an admin:
`Action.CHANGE_SETTINGS`) may set them: anyone else gets `FiltersRefused` with the refusal's words. A row that
cannot be read back (written by a later version) is left out, not guessed. A database that cannot be used raises
`FiltersUnavailable` (plain words, no password).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import URL

from fashionai.config import normalize_url
from fashionai.database import Database, DatabaseUnavailable, guard_database, naive_utc_now, utc
from fashionai.domain import DEFAULT_CURRENCY, call_label
from fashionai.filters.check import price_range_words
from fashionai.filters.model import DISCOUNT_WORDS, DashboardFilters, Discount, FilterSettings
from fashionai.team import Action, Person, can, refusal

__all__ = ["FilterChange", "FilterStore", "FiltersRefused", "FiltersRow", "FiltersUnavailable", "filters_words"]

log = logging.getLogger(__name__)


class FiltersUnavailable(DatabaseUnavailable):
    """The filters' database cannot be used now; the message says why, in plain words."""


class FiltersRefused(Exception):
    """The person may not change the team's filters; the message is the refusal's words. (Not a PermissionError:
    that is an OSError, which the database's guard would take for a database failure.)"""


def filters_words(filters: DashboardFilters | None, currency: str = DEFAULT_CURRENCY) -> str:
    """One type's filters in a few words: "R$ 50,00–R$ 300,00; only full-price products; stock above 5"."""
    if filters is None or not filters.is_set:
        return "no filter"
    said = []
    if filters.min_price is not None or filters.max_price is not None:
        said.append(f"price {price_range_words(filters, currency)}")
    if filters.discount != Discount.ALL:
        said.append(DISCOUNT_WORDS[filters.discount])
    if filters.low_stock_limit is not None:
        said.append(f"stock above {filters.low_stock_limit}")
    if filters.full_size_run:
        said.append("full size run")
    return "; ".join(said)


@dataclass(frozen=True)
class FilterChange:
    """What `FilterStore.set_filters` did: one type's filters before and after."""

    event: str
    before: DashboardFilters | None
    after: DashboardFilters | None

    @property
    def changed(self) -> bool:
        return (self.before or DashboardFilters()) != (self.after or DashboardFilters())

    @property
    def detail(self) -> str:
        """The change as the activity log's detail says it."""
        return f"{call_label(self.event)}: {filters_words(self.before)} → {filters_words(self.after)}"


metadata = sa.MetaData()
filters_table = sa.Table(
    "fashionai_dashboard_filters",
    metadata,
    sa.Column("event", sa.String(40), primary_key=True),
    sa.Column("filters", sa.Text, nullable=False),  # DashboardFilters.to_json
    sa.Column("changed_at", sa.DateTime(timezone=False), nullable=False),  # UTC
    sa.Column("changed_by", sa.String(320), nullable=False),
)
_F = filters_table.c

_guarded = guard_database(lambda store, err: store._unavailable(err))


@dataclass(frozen=True)
class FiltersRow:
    """One type's filters as stored, and who set them when."""

    event: str
    filters: DashboardFilters
    changed_at: datetime
    changed_by: str


class FilterStore(Database):
    """The team's dashboard filters in SQLite or PostgreSQL (the history's database). Thread-safe."""

    def __init__(self, url: str | URL) -> None:
        super().__init__(normalize_url(url).difference_update_query(["mode"]))

    def __repr__(self) -> str:
        return f"FilterStore({self.display_url!r})"

    @_guarded
    def rows(self) -> list[FiltersRow]:
        """Every type's filters as stored (a row this version cannot read is left out, and logged)."""
        self._ensure()
        with self._engine.connect() as conn:
            stored = list(conn.execute(sa.select(filters_table).order_by(_F.event)))
        rows = []
        for row in stored:
            try:
                filters = DashboardFilters.from_json(json.loads(row.filters))
                FilterSettings({row.event: filters})  # a type the dashboard filters
            except (ValueError, TypeError) as err:
                log.warning("The dashboard filters stored for %r cannot be read: %s", row.event, err)
                continue
            rows.append(FiltersRow(str(row.event), filters, utc(row.changed_at), str(row.changed_by)))
        return rows

    def settings(self) -> FilterSettings:
        """The team's filters, per recommendation type."""
        return FilterSettings({row.event: row.filters for row in self.rows()})

    @_guarded
    def set_filters(self, event: str, filters: DashboardFilters, *, person: Person) -> FilterChange:
        """Set `event`'s filters (none set: the row goes). FiltersRefused when `person` may not change the team's
        settings; FiltersError for a type the dashboard does not filter."""
        if not can(person, Action.CHANGE_SETTINGS):
            raise FiltersRefused(refusal(person, Action.CHANGE_SETTINGS))
        FilterSettings({event: filters})  # FiltersError for a type the dashboard does not filter
        event = str(event)
        before = self.settings().for_event(event)
        with self._engine.begin() as conn:  # delete, then insert: the same on SQLite and PostgreSQL
            conn.execute(sa.delete(filters_table).where(_F.event == event))
            if filters.is_set:
                conn.execute(sa.insert(filters_table), [{
                    "event": event, "filters": json.dumps(filters.to_json()), "changed_at": naive_utc_now(),
                    "changed_by": person.email.strip().lower()}])
        return FilterChange(event, before, filters if filters.is_set else None)

    # --- the database

    def _ensure(self) -> None:
        self._ensure_tables(filters_table)

    def _unavailable(self, err: BaseException) -> FiltersUnavailable:
        where, why = self.failure_words(err)
        return FiltersUnavailable(
            f"The team's dashboard filters (kept in {where}, beside the history) cannot be used: {why}. Products "
            "are not checked against them until the database can be read.")

