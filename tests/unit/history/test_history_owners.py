"""Who made each snapshot (issue 23), on SQLite and on PostgreSQL when FASHIONAI_TEST_POSTGRES_URL names a server:
kept beside the snapshot as it is recorded or imported, filtered by (the History page's "Mine"), gone with its
snapshot; a history made before owners keeps working (its snapshots' table as it was)."""

from __future__ import annotations

import sqlite3

from fashionai.history import Filters, HistoryStore
from tests import history_helpers
from tests.history_helpers import NOW, old_history, snap

store_url, store = history_helpers.store_url, history_helpers.store  # the fixtures: each test once per database


def test_a_snapshot_recorded_for_a_person_is_theirs_and_mine_filters_by_it(store):
    ana, bo, nobody = snap(), snap(), snap()
    store.record(ana, owner="Ana@Store.com")
    store.record(bo, owner="bo@store.com")
    store.record(nobody)
    assert store.owners([ana.id, bo.id, nobody.id]) == {ana.id: "ana@store.com", bo.id: "bo@store.com"}
    assert [s.id for s in store.summaries(Filters(owner="ana@store.com"))] == [ana.id]
    assert store.count(Filters(owner="bo@store.com")) == 1 and store.count(Filters()) == 3
    assert [s.id for s in store.query(Filters(owner="local"))] == []


def test_an_import_makes_the_new_snapshots_the_importers_and_leaves_the_others_alone(store, tmp_path):
    theirs, mine = snap(), snap()
    store.record(mine, owner="ana@store.com")
    store.record(theirs, owner="bo@store.com")
    export = store.export_json(ids=[theirs.id, mine.id])
    other = HistoryStore((tmp_path / "other.db").as_posix(), max_age_days=None, max_count=None)
    other.record(mine, owner="ana@store.com")
    assert other.import_json(export, now=NOW, owner="cy@store.com").added == 1
    assert other.owners([theirs.id, mine.id]) == {theirs.id: "cy@store.com", mine.id: "ana@store.com"}
    other.close()


def test_an_owner_goes_with_its_snapshot(store):
    old = snap(recorded_at=NOW.replace(year=2020))
    store.record(old, owner="ana@store.com")
    store.apply_retention(max_age_days=30, now=NOW)
    assert store.owners([old.id]) == {}
    assert store.count(Filters(owner="ana@store.com")) == 0


def test_a_history_made_before_owners_keeps_working_and_its_snapshots_table_is_as_it_was(tmp_path):
    path = tmp_path / "old.db"
    opened = HistoryStore(old_history(path), max_age_days=0)
    assert opened.owners(["a" * 32]) == {} and opened.count(Filters(owner="local")) == 0
    opened.record(snap(), owner="local")
    assert opened.count(Filters(owner="local")) == 1 and opened.count() == 2
    opened.close()
    columns = [row[1] for row in sqlite3.connect(path).execute("PRAGMA table_info(fashionai_snapshots)")]
    assert "owner" not in columns


def test_a_read_only_history_made_before_owners_has_none(tmp_path):
    path = tmp_path / "ro.db"
    writer = HistoryStore(f"sqlite:///{path.as_posix()}", max_age_days=0)
    writer.record(snap(), owner="ana@store.com")
    writer.close()
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TABLE fashionai_snapshot_owners")
    reader = HistoryStore(f"sqlite:///{path.as_posix()}?mode=ro", max_age_days=0)
    assert reader.owners([s.id for s in reader.query()]) == {}
    reader.close()


def test_a_snapshot_deleted_goes_with_its_name_and_owner(store):
    kept, gone = snap(), snap()
    store.record(kept, owner="ana@store.com")
    store.record(gone, owner="ana@store.com")
    store.set_name(gone.id, "to go")
    assert store.delete([gone.id, "not-there"]) == 1
    assert [s.id for s in store.query()] == [kept.id]
    assert store.names([gone.id]) == {} and store.owners([gone.id, kept.id]) == {kept.id: "ana@store.com"}
