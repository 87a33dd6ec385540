"""Snapshot names (a table of their own beside the snapshots) on SQLite, and on PostgreSQL when
FASHIONAI_TEST_POSTGRES_URL names a server: given, changed, taken away, kept through retention of others,
and a history made before names still works."""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta

import pytest

from fashionai.history import MAX_NAME, HistoryImportError, HistoryStore
from fashionai.history.transfer import read_export
from tests import history_helpers
from tests.history_helpers import NOW, old_history, snap

store_url, store = history_helpers.store_url, history_helpers.store


def test_a_snapshot_gets_a_name_that_can_be_changed_and_taken_away(store):
    first, second = snap(), snap(session_id="sess-2")
    store.record(first)
    store.record(second)
    assert store.names([first.id, second.id]) == {}
    assert store.set_name(first.id, "  before the   winter campaign ") == "before the winter campaign"
    assert store.names([first.id, second.id]) == {first.id: "before the winter campaign"}
    store.set_name(first.id, "after the campaign")
    assert store.names([first.id]) == {first.id: "after the campaign"}
    store.set_name(first.id, "")
    assert store.names([first.id]) == {}


def test_a_name_too_long_is_refused(store):
    saved = store.record(snap())
    with pytest.raises(ValueError, match=f"at most {MAX_NAME} characters"):
        store.set_name(saved.id, "x" * (MAX_NAME + 1))


def test_the_name_of_a_snapshot_retention_removed_goes_with_it(store):
    old, new = snap(recorded_at=NOW - timedelta(days=200)), snap(recorded_at=NOW)
    store.record(old)
    store.record(new)
    store.set_name(old.id, "old one")
    store.set_name(new.id, "new one")
    assert store.apply_retention(max_age_days=90, now=NOW) == 1
    assert store.names([old.id, new.id]) == {new.id: "new one"}


def test_a_history_made_before_names_keeps_working_and_gets_the_names_table(tmp_path):
    path = tmp_path / "old.db"
    opened = HistoryStore(old_history(path), max_age_days=0)  # the snapshots' table as an earlier version made it
    assert [s.id for s in opened.query()] == ["a" * 32]
    opened.set_name("a" * 32, "kept")
    assert opened.names(["a" * 32]) == {"a" * 32: "kept"}
    opened.close()
    columns = [row[1] for row in sqlite3.connect(path).execute("PRAGMA table_info(fashionai_snapshots)")]
    assert "name" not in columns  # the snapshots' table is as it was


def test_a_read_only_history_made_before_names_has_none(tmp_path):
    path = tmp_path / "ro.db"
    writer = HistoryStore(f"sqlite:///{path.as_posix()}", max_age_days=0)
    writer.record(snap())
    writer.close()
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TABLE fashionai_snapshot_names")
    reader = HistoryStore(f"sqlite:///{path.as_posix()}?mode=ro", max_age_days=0)
    assert reader.names([s.id for s in reader.query()]) == {}
    reader.close()


def test_names_travel_with_an_export_and_name_only_unnamed_snapshots_on_import(store, tmp_path):
    named, plain = snap(), snap(session_id="sess-2")
    store.record(named)
    store.record(plain)
    store.set_name(named.id, "before the winter campaign")
    exported = store.export_json(ids=[named.id, plain.id])
    assert json.loads(exported)["names"] == {named.id: "before the winter campaign"}

    other = HistoryStore(f"sqlite:///{(tmp_path / 'other.db').as_posix()}", max_age_days=0)
    other.record(plain)
    other.set_name(plain.id, "theirs")
    result = other.import_json(exported)
    assert (result.added, result.already_there) == (1, 1)
    assert other.names([named.id, plain.id]) == {named.id: "before the winter campaign", plain.id: "theirs"}
    other.close()


def test_an_export_without_names_has_no_names_key_and_bad_names_are_refused(store):
    saved = store.record(snap())
    exported = json.loads(store.export_json(ids=[saved.id]))
    assert "names" not in exported
    exported["names"] = {saved.id: "x" * (MAX_NAME + 1)}
    with pytest.raises(HistoryImportError, match="cannot be kept"):
        read_export(json.dumps(exported))
    exported["names"] = {"f" * 32: "not in the file", saved.id: " ok "}
    assert read_export(json.dumps(exported))[1] == {saved.id: "ok"}
