"""The database room's public face: an address said safely, read-only asked, one guard, times as stored."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from fashionai.catalog.library import CatalogLibrary, LibraryUnavailable
from fashionai.database import (
    BUSY_TIMEOUT,
    Database,
    DatabaseUnavailable,
    create_tables,
    guard_database,
    naive_utc,
    says_read_only,
    utc,
)
from fashionai.history import HistoryStore, HistoryUnavailable


def test_an_address_is_said_without_its_password():
    database = Database("postgresql://studio:s3cret-pw@db.internal:5432/studio")
    try:
        assert database.dialect == "postgresql" and database.path is None
        assert "s3cret-pw" not in database.display_url and "studio:***@db.internal" in database.display_url
    finally:
        database.close()


def test_a_sqlite_address_asking_read_only_is_opened_read_only(tmp_path):
    path = tmp_path / "history.db"
    sqlite3.connect(path).close()
    database = Database(f"sqlite:///{path.as_posix()}?mode=ro")
    try:
        assert database._read_only_asked and database.path == path and "mode" not in database.display_url
        with database._engine.connect() as conn, pytest.raises(sa.exc.OperationalError) as caught:
            conn.exec_driver_sql("CREATE TABLE t (x INTEGER)")
        assert says_read_only(caught.value)
        with database._engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == int(BUSY_TIMEOUT * 1000)
    finally:
        database.close()


def test_every_store_on_the_database_says_the_same_address():
    url = "postgresql://studio:s3cret-pw@127.0.0.1:9/db"
    stores = [HistoryStore(url), CatalogLibrary(url)]
    try:
        assert len({store.display_url for store in stores}) == 1
    finally:
        for store in stores:
            store.close()


class _Store:
    def __init__(self) -> None:
        self._ready = True

    @guard_database(lambda store, err: DatabaseUnavailable(f"plain words ({type(err).__name__})"))
    def fails(self, err: BaseException) -> None:
        raise err


def test_the_guard_turns_a_database_failure_into_plain_words_and_starts_again():
    store = _Store()
    failure = sa.exc.OperationalError("SELECT 1", {}, Exception("disk I/O error"))
    with pytest.raises(DatabaseUnavailable, match="plain words") as caught:
        store.fails(failure)
    assert caught.value.__cause__ is failure and store._ready is False


def test_the_guard_lets_an_error_already_in_plain_words_go_on():
    store = _Store()
    with pytest.raises(HistoryUnavailable):
        store.fails(HistoryUnavailable("already said"))
    with pytest.raises(LibraryUnavailable):
        store.fails(LibraryUnavailable("already said"))
    assert store._ready is True


def test_times_are_stored_in_utc_without_a_zone():
    moment = datetime(2026, 1, 2, 3, 4, tzinfo=timezone(timedelta(hours=2)))
    assert naive_utc(moment) == datetime(2026, 1, 2, 1, 4)  # noqa: DTZ001 - naive UTC is what is stored
    assert utc(datetime(2026, 1, 2, 1, 4)) == datetime(2026, 1, 2, 1, 4, tzinfo=timezone.utc)  # noqa: DTZ001
    with pytest.raises(TypeError):
        utc("2026-01-02")  # type: ignore[arg-type]


def test_a_stores_tables_are_made_unless_they_exist_and_tried_once_more_after_a_failure(monkeypatch):
    """create_tables: made unless they exist; a first failure (another server creating them at that moment) is
    tried once more, and a second one goes on to the store (its guard says it in plain words)."""
    metadata = sa.MetaData()
    sa.Table("things", metadata, sa.Column("name", sa.String, primary_key=True))
    engine = sa.create_engine("sqlite://")
    create_tables(engine, metadata)
    create_tables(engine, metadata)  # they exist: nothing to do
    assert sa.inspect(engine).has_table("things")

    tries = []
    real = sa.MetaData.create_all

    def racing(self, *args, fail=(1,), **kwargs):
        tries.append(len(tries) + 1)
        if tries[-1] in fail:
            raise sa.exc.OperationalError("CREATE TABLE things", {}, Exception("table things already exists"))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(sa.MetaData, "create_all", racing)
    create_tables(engine, metadata)
    assert tries == [1, 2]
    tries.clear()
    monkeypatch.setattr(sa.MetaData, "create_all", lambda self, *args, **kwargs: racing(self, fail=(1, 2)))
    with pytest.raises(sa.exc.OperationalError):
        create_tables(engine, metadata)
    assert tries == [1, 2]
