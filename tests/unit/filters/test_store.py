"""The team's dashboard filters kept in the history's database (fashionai.filters.store): saved and read back,
changed by admins only, each change in words for the activity log, a database that cannot be used said so."""

from __future__ import annotations

import pytest

from fashionai.domain import EventType
from fashionai.filters import DashboardFilters, Discount, FiltersError
from fashionai.filters.store import FilterStore, FiltersRefused, FiltersUnavailable
from fashionai.history import HistoryStore
from fashionai.team import LOCAL_PERSON, Person, Role

ADMIN = Person("lead@store.com", roles=frozenset({Role.ADMIN}))
MERCHANDISER = Person("ana@store.com", roles=frozenset({Role.MERCHANDISER}))


@pytest.fixture
def store(store_url):
    opened = FilterStore(store_url)
    yield opened
    opened.close()


def test_filters_saved_are_read_back_per_type(store):
    assert not store.settings()
    filters = DashboardFilters(min_price=50, max_price=300, discount=Discount.FULL_PRICE_ONLY, low_stock_limit=5,
                               full_size_run=True)
    change = store.set_filters("categoryView", filters, person=ADMIN)
    assert (change.before, change.after, change.changed) == (None, filters, True)
    assert change.detail == ("Category page: no filter → price R$ 50,00–R$ 300,00; only full-price products; "
                             "stock above 5; full size run")
    settings = store.settings()
    assert settings.for_event(EventType.CATEGORY_VIEW) == filters
    assert settings.for_event(EventType.SEARCH) is None
    [row] = store.rows()
    assert row.changed_by == "lead@store.com" and row.changed_at.tzinfo is not None


def test_filters_cleared_remove_the_type_and_the_change_says_so(store):
    store.set_filters("customShelf", DashboardFilters(low_stock_limit=2), person=ADMIN)
    change = store.set_filters("customShelf", DashboardFilters(), person=ADMIN)
    assert change.detail == "Home shelf: stock above 2 → no filter"
    assert store.settings().for_event("customShelf") is None
    assert not store.set_filters("customShelf", DashboardFilters(), person=ADMIN).changed


def test_only_an_admin_may_set_the_filters(store):
    with pytest.raises(FiltersRefused, match="merchandiser; to change settings takes the admin role"):
        store.set_filters("categoryView", DashboardFilters(max_price=10), person=MERCHANDISER)
    assert not store.settings()
    store.set_filters("categoryView", DashboardFilters(max_price=10), person=LOCAL_PERSON)  # no sign-in: admin
    assert store.settings().for_event("categoryView") == DashboardFilters(max_price=10)


def test_a_type_the_dashboard_does_not_filter_is_refused(store):
    with pytest.raises(FiltersError, match="salesRanking"):
        store.set_filters("salesRanking", DashboardFilters(max_price=10), person=ADMIN)


def test_a_row_this_version_cannot_read_is_left_out(store):
    store.set_filters("categoryView", DashboardFilters(max_price=10), person=ADMIN)
    store.set_filters("search", DashboardFilters(min_price=1), person=ADMIN)
    with store._engine.begin() as conn:
        conn.exec_driver_sql("UPDATE fashionai_dashboard_filters SET filters = '{\"discount\": \"half\"}' "
                             "WHERE event = 'search'")
    assert list(store.settings().by_event) == ["categoryView"]


def test_the_filters_live_beside_the_history(store_url):
    history = HistoryStore(store_url)
    store = FilterStore(store_url)
    try:
        store.set_filters("search", DashboardFilters(min_price=1), person=ADMIN)
        assert history.count() == 0
        assert FilterStore(store_url).settings().for_event("search") == DashboardFilters(min_price=1)
    finally:
        store.close()
        history.close()


def test_a_database_that_cannot_be_used_says_so(tmp_path):
    path = tmp_path / "history.db"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(FiltersUnavailable, match=r"dashboard filters .* cannot be used"):
        FilterStore(path.as_posix()).settings()
