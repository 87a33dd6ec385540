"""The history store (fashionai.history.store) on SQLite, and on PostgreSQL when FASHIONAI_TEST_POSTGRES_URL
names a server (see tests/history_helpers.py): saving, reading, summaries, retention, many writers, a broken history.
"""

from __future__ import annotations

import multiprocessing
import os
import sqlite3
import threading
import uuid
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import httpx
import pandas as pd
import pytest

from fashionai.api.client import FashionAIClient
from fashionai.database import BUSY_TIMEOUT
from fashionai.history import (
    CORRUPT,
    MISSING_FOLDER,
    READ_ONLY,
    UNREACHABLE,
    Filters,
    HistoryStore,
    HistoryUnavailable,
    snapshot_from_exchange,
    snapshots_frame,
    snapshots_to_json,
)
from fashionai.history._sql import MAX_GET, first_ids
from tests.history_helpers import NOW, snap


TOKEN = "tok-SECRET-9f8e7d6c5b4a"


# --------------------------------------------------------------------------- round trip


def test_a_recorded_snapshot_comes_back_exactly(store):
    original = snap(user_id="90", products=("000814", "ção-1", "p 3"), elapsed=0.5, attempts=2)
    store.record(original)
    assert store.get([original.id]) == [original]
    [back] = store.query()
    assert back == original
    assert back.recorded_at.tzinfo is not None and back.recorded_at == NOW
    assert back.products == ("000814", "ção-1", "p 3")  # ids stay text: leading zeros kept


def test_a_failure_is_recorded_with_its_outcome(store):
    failed = snap(products=(), status_code=429, error="RateLimitError")
    timeout = snap(products=(), status_code=None, error="APITimeoutError")
    store.record(failed)
    store.record(timeout)
    assert {s.outcome for s in store.query()} == {"RateLimitError (HTTP 429)", "APITimeoutError"}
    assert store.count(Filters(ok=False)) == 2 and store.count(Filters(ok=True)) == 0


def test_local_times_are_stored_as_utc(store):
    brasilia = timezone(timedelta(hours=-3))
    store.record(snap(recorded_at=datetime(2026, 4, 17, 9, 0, tzinfo=brasilia)))
    [back] = store.query()
    assert back.recorded_at == datetime(2026, 4, 17, 12, 0, tzinfo=timezone.utc)


def test_get_keeps_the_order_asked_and_leaves_out_unknown_ids(store):
    a, b = snap(), snap()
    store.record(a)
    store.record(b)
    assert [s.id for s in store.get([b.id, "0" * 32, a.id, b.id])] == [b.id, a.id]
    assert store.get([]) == []


def test_get_and_get_summaries_read_every_id_asked_beyond_one_query(store):
    saved = [store.record(snap(recorded_at=NOW - timedelta(seconds=i))) for i in range(MAX_GET + 5)]
    asked = [s.id for s in reversed(saved)]
    assert [s.id for s in store.get(asked)] == asked
    assert [s.id for s in store.get_summaries(asked)] == asked


def test_query_filters_and_orders_newest_first(store):
    day = timedelta(days=1)
    rows = [
        snap(recorded_at=NOW - 2 * day, session_id="s1", item_id="dresses"),
        snap(recorded_at=NOW - day, session_id="s1", item_id="pants", user_id="90"),
        snap(recorded_at=NOW, session_id="s2", item_id="p9", event_type="shopTheLook", backend="live"),
        snap(recorded_at=NOW + timedelta(seconds=1), session_id=None, item_id="dresses",
             event_type="salesRanking", backend="live"),
    ]
    for row in rows:
        store.record(row)

    def ids(**criteria):
        return [s.id for s in store.query(Filters(**criteria))]

    assert ids() == [r.id for r in reversed(rows)]
    assert ids(session_id="s1") == [rows[1].id, rows[0].id]
    assert ids(user_id="90") == [rows[1].id]
    assert ids(item_id="dresses") == [rows[3].id, rows[0].id]
    assert ids(event_type="shopTheLook") == [rows[2].id]
    assert ids(backend="live") == [rows[3].id, rows[2].id]
    assert ids(since=NOW - day, until=NOW) == [rows[1].id]
    assert ids(session_id="s1", item_id="pants") == [rows[1].id]
    assert ids(session_id="nobody") == []
    assert [s.id for s in store.query(limit=2, offset=1)] == [rows[2].id, rows[1].id]
    assert store.count(Filters(session_id="s1")) == 2


def test_filters_for_days_take_whole_utc_days(store):
    store.record(early := snap(recorded_at=datetime(2026, 4, 16, 0, 0, tzinfo=timezone.utc)))
    store.record(late := snap(recorded_at=datetime(2026, 4, 16, 23, 59, 59, tzinfo=timezone.utc)))
    store.record(snap(recorded_at=datetime(2026, 4, 17, 0, 0, tzinfo=timezone.utc)))
    day = date(2026, 4, 16)
    assert {s.id for s in store.query(Filters.for_days(day, day))} == {early.id, late.id}
    assert store.count(Filters.for_days(None, day, session_id="sess-1")) == 2


def test_distinct_values_are_listed_most_recent_first(store):
    store.record(snap(session_id="old", recorded_at=NOW - timedelta(hours=2)))
    store.record(snap(session_id="new", recorded_at=NOW))
    store.record(snap(session_id="old", recorded_at=NOW - timedelta(hours=1)))
    store.record(snap(session_id=None, event_type="salesRanking"))
    assert store.distinct("session_id") == ["new", "old"]
    assert set(store.distinct("event_type")) == {"categoryView", "salesRanking"}
    with pytest.raises(ValueError):
        store.distinct("products")


# --------------------------------------------------------------------------- summaries: a list without the ids


def test_summaries_are_the_snapshots_without_their_ids(store):
    day = timedelta(days=1)
    long = snap(session_id="s1", products=tuple(f"p{i}" for i in range(50_000)), recorded_at=NOW - day)
    short = snap(session_id="s1", user_id="90", products=("a", "b"), elapsed=0.5, attempts=2)
    failed = snap(session_id="s2", products=(), status_code=429, error="RateLimitError")
    for saved in (long, short, failed):
        store.record(saved)
    summaries = store.summaries()
    assert [s.id for s in summaries] == [s.id for s in store.query()]  # the same ones, newest first
    by_id = {s.id: s for s in summaries}
    for saved in (long, short, failed):
        summary = by_id[saved.id]
        assert (summary.product_count, summary.first_products) == (len(saved.products), saved.products[:5])
        assert (summary.label, summary.outcome, summary.ok) == (saved.label, saved.outcome, saved.ok)
        assert (summary.recorded_at, summary.elapsed, summary.attempts, summary.endpoint) == (
            saved.recorded_at, saved.elapsed, saved.attempts, saved.endpoint)
    assert [s.id for s in store.summaries(Filters(session_id="s1"), limit=1, offset=1)] == [long.id]
    assert [s.id for s in store.get_summaries([failed.id, "0" * 32, long.id])] == [failed.id, long.id]
    assert store.get_summaries([]) == []


def test_summaries_read_first_ids_of_any_length_and_text(store):
    odd = ("x" * 3_000, 'quote " and \\ back', "ção\n", "y" * 2_500, "5", "six")  # the first five pass 4,000 chars
    store.record(snap(products=odd))
    [summary] = store.summaries()
    assert summary.first_products == odd[:5] and summary.product_count == 6


def test_the_list_of_snapshots_reads_the_same_from_summaries(store):
    for products in (("a", "b", "c", "d", "e"), ("a", "b", "c", "d", "e", "f"), ()):
        store.record(snap(products=products))
    from_snapshots = snapshots_frame(store.query())
    from_summaries = snapshots_frame(store.summaries())
    pd.testing.assert_frame_equal(from_summaries, from_snapshots)
    assert sorted(from_summaries["first_products"]) == ["", "a, b, c, d, e", "a, b, c, d, e …"]


@pytest.mark.parametrize(("head", "count", "first"), [
    ('["a","b","c"]', 2, ("a", "b")),
    ('["a", "b" ,"c"]', 3, ("a", "b", "c")),
    ('["a","b","c', 3, None),  # cut inside the third id
    ('["a","b\\"', 2, None),  # an escaped quote does not end the id
    ('["a","b"', 2, ("a", "b")),  # cut right after it: whole
    ("[]", 0, ()),
])
def test_first_ids_are_read_off_a_cut_json_list(head, count, first):
    assert first_ids(head, count) == first


# --------------------------------------------------------------------------- retention


def test_retention_by_age_deletes_what_is_older(store):
    old = snap(recorded_at=NOW - timedelta(days=31))
    recent = snap(recorded_at=NOW - timedelta(days=29))
    store.record(old)
    store.record(recent)
    assert store.apply_retention(max_age_days=30, now=NOW) == 1
    assert [s.id for s in store.query()] == [recent.id]


def test_retention_by_count_keeps_the_newest(store):
    rows = [snap(recorded_at=NOW + timedelta(seconds=i)) for i in range(10)]
    for row in rows:
        store.record(row)
    assert store.apply_retention(max_count=4) == 6
    assert [s.id for s in store.query()] == [r.id for r in reversed(rows[-4:])]
    assert store.apply_retention(max_count=4) == 0


def test_retention_by_count_breaks_ties_of_time_by_id(store):
    rows = [snap(id=f"{i:032x}") for i in range(5)]  # all at the same moment
    for row in rows:
        store.record(row)
    store.apply_retention(max_count=2)
    assert {s.id for s in store.query()} == {rows[4].id, rows[3].id}


def test_retention_by_age_and_count_together(store):
    for i in range(6):
        store.record(snap(recorded_at=NOW - timedelta(days=i * 10)))
    assert store.apply_retention(max_age_days=35, max_count=2, now=NOW) == 4
    assert store.count() == 2


def test_zero_keeps_everything(store):
    store.record(snap(recorded_at=NOW - timedelta(days=1000)))
    assert store.apply_retention(max_age_days=0, max_count=0, now=NOW) == 0
    assert store.count() == 1


def test_the_configured_retention_runs_on_first_use_and_every_few_records(store_url):
    seed = HistoryStore(store_url, max_age_days=None, max_count=None)
    seed.record(snap(recorded_at=datetime.now(timezone.utc) - timedelta(days=400)))
    seed.close()
    store = HistoryStore(store_url, max_age_days=365, max_count=3, retention_every=5)
    assert store.count() == 0  # first use: the 400-day-old snapshot is gone
    for _ in range(4):
        store.record(snap(recorded_at=datetime.now(timezone.utc)))
    assert store.count() == 4  # the fifth record has not happened yet
    store.record(snap(recorded_at=datetime.now(timezone.utc)))
    assert store.count() == 3
    store.close()


# --------------------------------------------------------------------------- many writers, restarts


def _write_many(store: HistoryStore, prefix: str, n: int, errors: list, start: threading.Barrier) -> None:
    try:
        start.wait()
        for i in range(n):
            store.record(snap(session_id=f"{prefix}-{i}"))
    except Exception as err:  # noqa: BLE001 - collected and asserted on: a lost write must fail the test
        errors.append(err)


@pytest.mark.parametrize("shared", [True, False], ids=["one store", "a store per writer"])
def test_many_threads_writing_at_once_lose_nothing(store_url, shared):
    threads, per_thread = 8, 40
    stores = ([HistoryStore(store_url, max_age_days=None)] * threads if shared
              else [HistoryStore(store_url, max_age_days=None) for _ in range(threads)])
    errors: list = []
    start = threading.Barrier(threads)
    workers = [threading.Thread(target=_write_many, args=(stores[i], f"t{i}", per_thread, errors, start))
               for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert not errors
    reader = HistoryStore(store_url, max_age_days=None)
    assert reader.count() == threads * per_thread
    assert len(reader.distinct("session_id", limit=10_000)) == threads * per_thread
    for store in {id(s): s for s in [*stores, reader]}.values():
        store.close()


def _process_writer(url: str, prefix: str, n: int) -> None:
    store = HistoryStore(url, max_age_days=None)
    for i in range(n):
        store.record(snap(session_id=f"{prefix}-{i}"))
    store.close()


@pytest.mark.slow  # new Python processes: seconds of imports
def test_several_processes_writing_at_once_lose_nothing(store_url):
    """Like several app servers (PostgreSQL) or several Streamlit processes on one file (SQLite)."""
    spawn = multiprocessing.get_context("spawn")
    workers = [spawn.Process(target=_process_writer, args=(store_url, f"proc{i}", 25)) for i in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert [w.exitcode for w in workers] == [0, 0, 0]
    assert HistoryStore(store_url, max_age_days=None).count() == 75


def test_nothing_is_lost_when_the_app_restarts(store_url):
    first = HistoryStore(store_url, max_age_days=None)
    saved = [first.record(snap(session_id=f"s{i}")) for i in range(5)]
    first.close()  # the process ends: every pooled connection closed
    second = HistoryStore(store_url, max_age_days=None)
    assert sorted(s.id for s in second.query()) == sorted(s.id for s in saved)
    second.record(snap())
    assert second.count() == 6
    second.close()


# --------------------------------------------------------------------------- SQLite specifics


def test_the_sqlite_file_and_its_folder_are_created_on_first_use_in_wal_mode(tmp_path):
    path = tmp_path / "deep" / "folder" / "history.db"
    store = HistoryStore(path.as_posix())  # a plain path is a SQLite file
    assert not path.parent.exists()  # opening the store creates nothing
    assert store.count() == 0
    assert path.is_file()
    store.record(snap())
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    with store._engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == int(BUSY_TIMEOUT * 1000)
    store.close()


def test_a_real_client_call_is_saved_without_the_token(tmp_path):
    path = tmp_path / "history.db"
    store = HistoryStore(path.as_posix())

    def handler(request):
        assert request.headers["X-FashionAI-APP-Token"] == TOKEN
        return httpx.Response(200, json={"products": ["p2", "p1"]})

    client = FashionAIClient(TOKEN, "https://catalog.test/api/v1", transport=httpx.MockTransport(handler),
                             on_exchange=lambda exchange: store.record(snapshot_from_exchange(exchange, "live")))
    answer = client.category_view("sess-9", "dresses", user_id="90")
    store.close()

    [saved] = HistoryStore(path.as_posix()).get([answer.exchange_id])
    assert (saved.session_id, saved.user_id, saved.item_id, saved.event_type) == ("sess-9", "90", "dresses",
                                                                                  "categoryView")
    assert saved.products == ("p2", "p1") and saved.backend == "live" and saved.outcome == "HTTP 200"
    stored = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.is_file())
    assert b"sess-9" in stored  # the bytes are there to be read ...
    assert TOKEN.encode() not in stored  # ... and the token is not among them
    assert b"X-FashionAI" not in stored


def test_snapshot_of_a_sales_ranking_names_its_category():
    exchange = _exchange(url="https://x.test/api/v1/products/protected/sales-ranking?categoryId=t%C3%AAnis",
                         method="GET", body=None, event_type=None)
    saved = snapshot_from_exchange(exchange, "live")
    assert (saved.event_type, saved.item_id, saved.session_id) == ("salesRanking", "tênis", None)


def test_snapshot_of_a_custom_shelf_asks_for_an_empty_id():
    body = {"sessionId": "s", "eventType": "customShelf", "data": {"id": ""}}
    saved = snapshot_from_exchange(_exchange(body=body, event_type="customShelf"), "simulator")
    assert saved.item_id == "" and saved.event_type == "customShelf"


def _exchange(*, url="https://x.test/api/v1/products/protected/recommendation", method="POST",
              body=None, event_type="categoryView"):
    from fashionai.api.client import Exchange, RequestRecord

    return Exchange(id=uuid.uuid4().hex, request=RequestRecord(method, url, body, event_type), status_code=200,
                    products=("p1",), error=None, elapsed=0.1, attempts=1, timestamp=NOW)


def test_a_store_never_shows_its_password():
    store = HistoryStore("postgresql://studio:s3cr3t@db.internal:5432/studio")
    assert "s3cr3t" not in store.display_url and "s3cr3t" not in repr(store)
    assert store.dialect == "postgresql" and store.path is None


# --------------------------------------------------------------------------- a broken history says what is wrong


def test_a_corrupt_file_is_named_as_damaged(tmp_path):
    path = tmp_path / "history.db"
    path.write_bytes(b"this is not a database, a colleague overwrote it " * 200)
    store = HistoryStore(path.as_posix())
    for use in (store.count, lambda: store.get(["a" * 32]), lambda: store.record(snap()),
                lambda: store.import_json(snapshots_to_json([snap()]))):
        with pytest.raises(HistoryUnavailable) as caught:
            use()
        assert caught.value.cause == CORRUPT
        assert "damaged" in str(caught.value) and str(path) in str(caught.value)
    store.close()


def test_a_folder_that_cannot_be_made_is_named(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    store = HistoryStore((blocker / "sub" / "history.db").as_posix())
    with pytest.raises(HistoryUnavailable) as caught:
        store.summaries()
    assert caught.value.cause == MISSING_FOLDER
    assert str(blocker / "sub") in str(caught.value) and "FASHIONAI_HISTORY_URL" in str(caught.value)
    store.close()


def test_a_folder_removed_while_running_is_made_again(tmp_path):
    import shutil

    folder = tmp_path / "data"
    store = HistoryStore((folder / "history.db").as_posix())
    store.record(snap())
    store.close()
    shutil.rmtree(folder)
    assert store.count() == 0  # a new, empty history where the old one was
    store.close()


def test_a_database_that_does_not_answer_is_named_without_its_password():
    store = HistoryStore("postgresql://studio:pw-SECRET-42@127.0.0.1:1/history?connect_timeout=3")
    for use in (store.count, lambda: store.record(snap())):
        with pytest.raises(HistoryUnavailable) as caught:
            use()
        assert caught.value.cause == UNREACHABLE
        assert "cannot be reached" in str(caught.value) and "pw-SECRET-42" not in str(caught.value)
    store.close()


def _read_only_probe(url: str, known_id: str, results) -> None:
    """In a child process without root's rights (root writes any file): what a read-only history does."""
    if os.geteuid() == 0:
        os.setgid(65534)
        os.setuid(65534)
    store = HistoryStore(url)
    out = {"ids": [s.id for s in store.get([known_id])], "count": store.count()}
    out["read_only"] = store.read_only
    for name, use in (("record", lambda: store.record(snap())),
                      ("import", lambda: store.import_json(snapshots_to_json([snap()])))):
        try:
            use()
            out[name] = "saved"
        except HistoryUnavailable as err:
            out[name] = (err.cause, str(err))
    results.put(out)


@pytest.mark.parametrize("journal", ["wal", "delete"])
def test_a_read_only_file_is_read_and_says_saving_is_off(journal):
    # A read-only file could not even be read: the WAL pragma of the connect hook failed.
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="fashionai-ro-"))  # outside pytest's root-only folders
    try:
        folder.chmod(0o755)
        path = folder / "history.db"
        writer = HistoryStore(path.as_posix())
        kept = writer.record(snap())
        writer.close()
        with sqlite3.connect(path) as conn:
            conn.execute(f"PRAGMA journal_mode = {journal}")
        for extra in folder.glob("history.db-*"):
            extra.unlink()
        path.chmod(0o444)
        folder.chmod(0o555)
        results = multiprocessing.get_context("fork").Queue()
        child = multiprocessing.get_context("fork").Process(
            target=_read_only_probe, args=(path.as_posix(), kept.id, results))
        child.start()
        out = results.get(timeout=60)
        child.join(timeout=60)
    finally:
        folder.chmod(0o755)
        shutil.rmtree(folder, ignore_errors=True)
    assert out["ids"] == [kept.id] and out["count"] == 1 and out["read_only"] is True
    for name in ("record", "import"):
        cause, message = out[name]
        assert cause == READ_ONLY and "read-only" in message and "saving is off" in message


def test_a_history_opened_read_only_on_purpose_is_read_and_saves_nothing(tmp_path):
    path = tmp_path / "history.db"
    writer = HistoryStore(path.as_posix())
    kept = writer.record(snap())
    writer.close()
    store = HistoryStore(f"sqlite:///{path.as_posix()}?mode=ro")
    assert store.get([kept.id]) == [kept] and store.read_only
    with pytest.raises(HistoryUnavailable, match="saving is off"):
        store.record(snap())
    assert store.count() == 1
    store.close()


def test_a_broken_history_never_breaks_a_client_call(tmp_path):
    path = tmp_path / "history.db"
    path.write_bytes(b"garbage " * 1000)
    store = HistoryStore(path.as_posix())
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json={"products": ["p1"]}))
    with FashionAIClient("t", base_url="https://x.test/api/v1", transport=transport,
                         on_exchange=lambda e: store.record(snapshot_from_exchange(e, "live"))) as client:
        assert client.category_view("sess-1", "dresses").products == ("p1",)
    store.close()


# --------------------------------------------------------------------------- days at the edges of the calendar


@pytest.mark.parametrize("first, last", [(date.min, date.max), (date(9999, 12, 31), None), (None, date.max)])
def test_days_at_the_ends_of_the_calendar_make_filters(store, first, last):
    store.record(snap())
    filters = Filters.for_days(first, last)
    assert store.count(filters) == (1 if first in (None, date.min) else 0)
