"""Snapshots as JSON files (fashionai.history.transfer): export, the import's checks, and what an import
adds to a store (never a snapshot already there), on SQLite and PostgreSQL (see tests/history_helpers.py).
"""

from __future__ import annotations

import json
import threading
from datetime import datetime, timedelta, timezone

import pytest

from fashionai.history import (
    EXPORT_FORMAT,
    FUTURE_TOLERANCE,
    Filters,
    HistoryImportError,
    HistoryStore,
    snapshot_to_dict,
    snapshots_from_json,
    snapshots_to_json,
)
from tests.history_helpers import NOW, snap



# --------------------------------------------------------------------------- export and import


def test_export_and_import_round_trip_into_another_store(store, tmp_path):
    saved = [store.record(snap(session_id=f"s{i}", recorded_at=NOW - timedelta(minutes=i))) for i in range(3)]
    text = store.export_json(Filters(session_id="s1"))
    payload = json.loads(text)
    assert payload["format"] == EXPORT_FORMAT and payload["version"] == 1
    assert [s["id"] for s in payload["snapshots"]] == [saved[1].id]
    assert payload["snapshots"][0]["recorded_at"].endswith("Z")

    other = HistoryStore((tmp_path / "other.db").as_posix(), max_age_days=None)
    result = other.import_json(store.export_json().encode("utf-8-sig"))  # a BOM is fine
    assert (result.added, result.already_there, result.too_old) == (3, 0, 0)
    assert sorted(other.query(), key=lambda s: s.id) == sorted(saved, key=lambda s: s.id)
    again = other.import_json(store.export_json())
    assert (again.added, again.already_there) == (0, 3)
    other.close()


def test_a_snapshot_of_a_whole_large_category_round_trips(store, tmp_path):
    big = store.record(snap(products=tuple(f"{i:06d}" for i in range(120_000))))
    other = HistoryStore((tmp_path / "other.db").as_posix(), max_age_days=None)
    assert other.import_json(store.export_json()).added == 1
    assert other.get([big.id]) == [big]
    other.close()


def test_export_by_ids_keeps_only_those(store):
    a, b = store.record(snap()), store.record(snap())
    assert [s.id for s in snapshots_from_json(store.export_json(ids=[b.id]))] == [b.id]
    assert a.id not in store.export_json(ids=[b.id])


def test_import_leaves_out_what_the_history_would_not_keep(store_url):
    store = HistoryStore(store_url, max_age_days=30, max_count=None)
    fresh, stale = snap(recorded_at=NOW - timedelta(days=1)), snap(recorded_at=NOW - timedelta(days=60))
    result = store.import_json(snapshots_to_json([fresh, stale, fresh]), now=NOW)
    assert (result.added, result.already_there, result.too_old) == (1, 1, 1)
    store.close()


def test_the_same_file_imported_at_once_by_several_sessions_adds_each_snapshot_once(store_url):
    text = snapshots_to_json([snap(recorded_at=datetime.now(timezone.utc)) for _ in range(30)])
    stores = [HistoryStore(store_url) for _ in range(4)]
    results, errors = [], []
    start = threading.Barrier(len(stores))

    def run(store):
        try:
            start.wait()
            results.append(store.import_json(text))
        except Exception as err:  # noqa: BLE001 - asserted on below
            errors.append(err)

    workers = [threading.Thread(target=run, args=(store,)) for store in stores]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert not errors
    assert sum(r.added for r in results) == 30
    assert all(r.added + r.already_there == 30 for r in results)
    assert stores[0].count() == 30
    for store in stores:
        store.close()


def _export(**changes) -> str:
    item = snapshot_to_dict(snap()) | changes
    return json.dumps({"format": EXPORT_FORMAT, "version": 1, "snapshots": [item]})


@pytest.mark.parametrize("data, words", [
    (b"\xff\xfe not text", "not UTF-8"),
    ("{not json", "not valid JSON (line 1, column 2)"),
    ("[]", "not a snapshot export"),
    (json.dumps({"format": "something-else", "version": 1, "snapshots": []}), "not a snapshot export"),
    (json.dumps({"format": EXPORT_FORMAT, "version": 2, "snapshots": []}), "newer version"),
    (json.dumps({"format": EXPORT_FORMAT, "version": 1}), 'no "snapshots" list'),
    (_export(id="not-an-id"), '#1: "id" must be 32'),
    (_export(recorded_at="yesterday"), '"recorded_at" must be a time'),
    (_export(recorded_at="2026-04-17T10:00:00"), "time zone"),
    (_export(backend="staging"), '"backend" must be one of'),
    (_export(event_type="purchase"), '"event_type" must be one of'),
    (_export(endpoint="javascript:alert(1)"), '"endpoint" must be an http'),
    (_export(endpoint="https://user:pw@x.test/api"), "without a user name or password"),
    (_export(products="p1,p2"), '"products" must be a list'),
    (_export(products=["p1", 2]), "product #2"),
    (_export(products=["p1", ""]), "product #2"),
    (_export(session_id=7), '"session_id" must be text or null'),
    (_export(session_id="a\ud800b"), '"session_id" holds a character that is not text'),
    (_export(products=["p1", "\udfff"]), "product #2"),
    (_export(products=["p1", " \u00a0\t"]), "product #2"),
    (_export(elapsed=-1), '"elapsed"'),
    (_export(elapsed="fast"), '"elapsed"'),
    (_export(attempts=0), '"attempts"'),
    (_export(status_code=1000), '"status_code"'),
    (_export(error="<script>"), '"error" must be an error class name'),
])
def test_a_bad_import_file_is_refused_with_a_clear_message(data, words):
    with pytest.raises(HistoryImportError) as caught:
        snapshots_from_json(data)
    assert words in str(caught.value)


def test_a_bad_import_adds_nothing(store):
    good = snapshot_to_dict(snap())
    bad = snapshot_to_dict(snap()) | {"products": None}
    text = json.dumps({"format": EXPORT_FORMAT, "version": 1, "snapshots": [good, bad]})
    with pytest.raises(HistoryImportError, match="snapshot #2"):
        store.import_json(text)
    assert store.count() == 0


def test_many_bad_snapshots_are_summed_up_not_all_listed():
    items = [snapshot_to_dict(snap()) | {"backend": "x"} for _ in range(9)]
    text = json.dumps({"format": EXPORT_FORMAT, "version": 1, "snapshots": items})
    with pytest.raises(HistoryImportError) as caught:
        snapshots_from_json(text)
    assert str(caught.value).count("snapshot #") == 5 and "maybe more" in str(caught.value)


# --------------------------------------------------------------------------- an import never costs what was there


def _full_store(store_url, count=30, max_count=30) -> tuple[HistoryStore, set[str]]:
    store = HistoryStore(store_url, max_age_days=None, max_count=max_count, retention_every=10_000)
    real = [snap(recorded_at=NOW - timedelta(hours=i)) for i in range(count)]
    assert store.import_json(snapshots_to_json(real), now=NOW).added == count
    return store, {s.id for s in real}


def test_an_import_dated_in_the_future_never_wipes_the_history(store_url):
    # 100,000 snapshots dated 2999 made retention delete all 300 real ones.
    store, real = _full_store(store_url)
    future = [snap(recorded_at=datetime(2999, 1, 1, tzinfo=timezone.utc) + timedelta(seconds=i)) for i in range(200)]
    result = store.import_json(snapshots_to_json(future), now=NOW)
    assert (result.added, result.in_future) == (0, 200)
    store.apply_retention(now=NOW)
    assert {s.id for s in store.query(limit=1000)} == real
    store.close()


def test_a_colleague_clock_a_few_hours_fast_is_tolerated(store_url):
    store = HistoryStore(store_url, max_age_days=None, max_count=None)
    ahead = snap(recorded_at=NOW + FUTURE_TOLERANCE - timedelta(minutes=1))
    beyond = snap(recorded_at=NOW + FUTURE_TOLERANCE + timedelta(minutes=1))
    result = store.import_json(snapshots_to_json([ahead, beyond]), now=NOW)
    assert (result.added, result.in_future) == (1, 1)
    assert store.get([ahead.id, beyond.id]) == [ahead]
    store.close()


def test_an_import_over_the_limit_keeps_every_snapshot_there_and_adds_only_what_fits(store_url):
    store, real = _full_store(store_url, count=25)
    newer = [snap(recorded_at=NOW - timedelta(minutes=i)) for i in range(20)]  # newer than most real ones
    result = store.import_json(snapshots_to_json(newer), now=NOW)
    assert (result.added, result.over_limit, result.already_there) == (5, 15, 0)
    assert store.apply_retention(now=NOW) == 0
    kept = {s.id for s in store.query(limit=1000)}
    assert real <= kept and kept - real == {s.id for s in newer[:5]}  # the newest that fit
    full = store.import_json(snapshots_to_json([snap(recorded_at=NOW)]), now=NOW)
    assert (full.added, full.over_limit) == (0, 1)
    store.close()


def test_a_wrong_clock_when_recording_cannot_make_retention_delete_real_snapshots(store_url):
    store, real = _full_store(store_url, count=30, max_count=30)
    for i in range(5):  # the server's clock ran centuries ahead for a while
        store.record(snap(recorded_at=datetime(2999, 1, 1, tzinfo=timezone.utc) + timedelta(seconds=i)))
    assert store.apply_retention(now=NOW) == 5  # once the clock is right, the impossible times go first
    assert {s.id for s in store.query(limit=1000)} == real
    store.close()


# --------------------------------------------------------------------------- what the studio records, it imports


ODD = dict(item_id="Vestidos\u00a0Longos", session_id="sess\t1", user_id="u\u200b90",
           products=("p\u200b1", "x" * 600, "ção 3", "nul\x00id"))


def test_what_the_studio_records_it_exports_and_imports(store, tmp_path):
    # A category with a non-breaking space, an id with a zero-width space, a session with a
    # tab, ids over 500 characters: the export of such snapshots was refused by its own import.
    if store.dialect == "postgresql":  # PostgreSQL text cannot hold NUL: its recorder cannot store one
        odd = snap(**(ODD | {"products": ODD["products"][:-1]}))
    else:
        odd = snap(**ODD)
    sales = snap(event_type="salesRanking", item_id="y" * 5000,
                 endpoint="https://x.test/api/v1/products/ranking?category=" + "y" * 5000)
    store.record(odd)
    store.record(sales)
    other = HistoryStore((tmp_path / "other.db").as_posix(), max_age_days=None)
    result = other.import_json(store.export_json())
    assert result.added == 2
    assert other.get([odd.id, sales.id]) == [odd, sales]
    other.close()


def test_an_import_into_postgresql_names_a_nul_it_cannot_store(store_url):
    store = HistoryStore(store_url, max_age_days=None, max_count=None)
    if store.dialect != "postgresql":
        pytest.skip("only PostgreSQL refuses NUL in text")
    with pytest.raises(HistoryImportError, match="NUL"):
        store.import_json(snapshots_to_json([snap(), snap(session_id="a\x00b")]))
    assert store.count() == 0
    store.close()

