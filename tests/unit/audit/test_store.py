"""The audit store: plans, runs, shoppers and calls beside the history, on SQLite (and PostgreSQL when set)."""

from __future__ import annotations

import threading
import uuid
from dataclasses import replace
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from fashionai.audit import store as audit_store
from fashionai.audit.model import HEARTBEAT_LIMIT, STALLED_LABEL, Call, Purpose, RunStatus
from fashionai.audit.plan import AuditPlan, resolve_plan
from fashionai.audit.store import AuditStore
from fashionai.catalog import load_catalog
from fashionai.catalog.sample import SAMPLE_CATALOG_PATH
from fashionai.history import HistoryStore, HistoryUnavailable
from tests import history_helpers
from tests.history_helpers import snap

store_url, store = history_helpers.store_url, history_helpers.store


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(SAMPLE_CATALOG_PATH)


@pytest.fixture
def audits(store):
    return AuditStore(store)


def resolved(catalog, name="Weekly", personas=2):
    plan = AuditPlan(name=name, categories=tuple(catalog.categories[:2]), synthetic_personas=personas,
                     stability_twins=1)
    return resolve_plan(plan, catalog, uuid.uuid4().hex)


def new_run(audits, catalog, **kwargs):
    plan = resolved(catalog, **kwargs)
    return plan, audits.create_run(plan, backend="simulator", catalog_fingerprint=catalog.fingerprint,
                                   catalog_name="sample")


def record_all(audits, plan, run):
    for call in plan.all_calls():
        shopper = plan.shoppers[call.shopper] if call.shopper >= 0 else None
        audits.record(run.id, call, snap(event_type=call.event_type, item_id=call.item_id,
                                         session_id=shopper.session_id if shopper else None,
                                         products=(f"p{call.shopper}", f"s{call.step}")))


def test_plans_are_saved_listed_replaced_and_deleted(audits):
    audits.save_plan(AuditPlan(name="Weekly", synthetic_personas=3))
    audits.save_plan(AuditPlan(name="Daily", synthetic_personas=1))
    audits.save_plan(AuditPlan(name="Weekly", synthetic_personas=7))  # same name: replaced
    assert [p.name for p in audits.plans()] == ["Daily", "Weekly"]
    assert audits.plan("Weekly").synthetic_personas == 7
    assert audits.plan("Nope") is None
    audits.delete_plan("Daily")
    assert [p.name for p in audits.plans()] == ["Weekly"]


def test_a_new_run_is_running_with_its_shoppers_and_nothing_done(audits, catalog):
    plan, run = new_run(audits, catalog)
    assert run.status == RunStatus.RUNNING and run.done_calls == 0 and run.total_calls == plan.total_calls
    assert audits.run(run.id) == run
    assert audits.done_steps(run.id) == {}


@pytest.mark.parametrize("stored, read", [("('Myntra sample with images', True)", "Myntra sample with images"),
                                           ("('bundled sample catalog', False)", "bundled sample catalog"),
                                           ('("Ana\'s catalog", True)', "Ana's catalog"),
                                           ("(not a pair)", "(not a pair)")])
def test_a_run_stored_with_its_catalogs_name_as_a_pair_reads_as_the_name(audits, catalog, stored, read):
    plan = resolved(catalog)
    run = audits.create_run(plan, backend="simulator", catalog_fingerprint=catalog.fingerprint, catalog_name=stored)
    assert run.catalog_name == read and audits.run(run.id).catalog_name == read  # as older runs were stored


def test_record_links_the_snapshot_counts_it_and_is_idempotent(audits, catalog, store):
    plan, run = new_run(audits, catalog)
    call = plan.shopper_calls(plan.shoppers[0])[0]
    first = snap()
    assert audits.record(run.id, call, first) is True
    assert audits.record(run.id, call, snap()) is False  # the same call again: nothing kept
    assert audits.run(run.id).done_calls == 1
    assert audits.done_steps(run.id) == {0: 1}
    assert store.count() == 1 and store.get([first.id])


def test_answers_stream_in_shopper_and_step_order_with_their_shoppers(audits, catalog, monkeypatch):
    monkeypatch.setattr(audit_store, "PAGE", 3)  # several pages
    plan, run = new_run(audits, catalog)
    record_all(audits, plan, run)
    answers = list(audits.answers(run.id))
    assert len(answers) == plan.total_calls == audits.run(run.id).done_calls
    assert [(a.shopper, a.step) for a in answers] == sorted((c.shopper, c.step) for c in plan.all_calls())
    reference = answers[0]
    assert reference.shopper == -1 and reference.shopper_key == "reference" and reference.purpose == Purpose.REFERENCE
    twin = answers[-1]
    assert twin.twin_of == plan.shoppers[0].key and twin.session_id == plan.shoppers[-1].session_id
    assert twin.products == (f"p{twin.shopper}", f"s{twin.step}") and twin.ok
    assert audits.done_steps(run.id)[-1] == len(plan.categories)


def test_a_snapshot_dropped_by_retention_is_skipped_and_counted(audits, catalog, store):
    plan, run = new_run(audits, catalog)
    record_all(audits, plan, run)
    store.apply_retention(max_count=plan.total_calls - 2)
    assert audits.missing_answers(run.id) == 2
    assert len(list(audits.answers(run.id))) == plan.total_calls - 2


def test_status_scorecard_and_pause_kept_as_running(audits, catalog):
    _, run = new_run(audits, catalog)
    assert audits.set_status(run.id, RunStatus.PAUSED).status == RunStatus.RUNNING
    done = audits.set_status(run.id, RunStatus.CANCELLED, message="stopped", scorecard_json='{"k": 1}')
    assert (done.status, done.message, done.scorecard_json) == (RunStatus.CANCELLED, "stopped", '{"k": 1}')
    assert audits.run(run.id).scorecard_json == '{"k": 1}'
    with pytest.raises(KeyError):
        audits.set_status("0" * 32, RunStatus.DONE)


def test_runs_newest_first_by_plan_and_found_by_a_unique_prefix(audits, catalog):
    _, older = new_run(audits, catalog, name="A")
    _, newer = new_run(audits, catalog, name="B")
    assert [r.id for r in audits.runs()][:2] in ([newer.id, older.id], [older.id, newer.id])
    assert {r.id for r in audits.runs()} == {older.id, newer.id}
    assert [r.id for r in audits.runs(plan_name="A")] == [older.id]
    assert audits.run(older.id[:10]).id == older.id
    assert audits.run(older.id.upper()).id == older.id
    assert audits.run("") is None and audits.run("zz'; drop") is None
    common = 0
    while older.id[common] == newer.id[common]:
        common += 1
    if common:
        assert audits.run(older.id[:common]) is None  # ambiguous


def test_runs_are_listed_newest_first(audits, catalog, store):
    _, first = new_run(audits, catalog)
    _, second = new_run(audits, catalog)
    with store.engine().begin() as conn:  # make the order certain
        conn.execute(sa.update(audit_store.runs_table).where(audit_store.runs_table.c.id == first.id)
                     .values(started_at=first.started_at.replace(tzinfo=None, year=2000)))
    assert [r.id for r in audits.runs()] == [second.id, first.id]
    assert len(audits.runs(limit=1)) == 1


def test_deleting_a_run_keeps_its_snapshots(audits, catalog, store):
    plan, run = new_run(audits, catalog)
    record_all(audits, plan, run)
    audits.delete_run(run.id)
    assert audits.run(run.id) is None and audits.done_steps(run.id) == {}
    assert store.count() == plan.total_calls


def test_the_snapshot_and_its_link_are_one_transaction(store):
    def broken(conn):
        raise sa.exc.OperationalError("INSERT", {}, Exception("disk I/O error"))

    with pytest.raises(HistoryUnavailable):
        store.record(snap(), also=broken)
    assert store.count() == 0


def test_a_damaged_database_says_so_in_plain_words(tmp_path, catalog):
    path = tmp_path / "history.db"
    path.write_bytes(b"this is not a database at all" * 100)
    audits = AuditStore(HistoryStore(f"sqlite:///{path.as_posix()}"))
    with pytest.raises(HistoryUnavailable) as caught:
        audits.runs()
    assert "damaged" in str(caught.value) and "Traceback" not in str(caught.value)


def test_a_run_record_round_trips_every_column(audits, catalog):
    plan, run = new_run(audits, catalog)
    stored = audits.run(run.id)
    assert replace(stored, updated_at=run.updated_at) == run
    assert stored.plan_name == "Weekly" and stored.catalog_fingerprint == catalog.fingerprint
    call = Call(-1, 0, "salesRanking", plan.categories[0], Purpose.REFERENCE, plan.categories[0])
    audits.record(run.id, call, snap(event_type="salesRanking", session_id=None, error="ServerError",
                                     status_code=500, products=()))
    (answer,) = audits.answers(run.id)
    assert not answer.ok and answer.error == "ServerError" and answer.status_code == 500


# --------------------------------------------------------------------------- who runs a run


def test_of_two_claims_at_once_exactly_one_holds_the_run_and_the_other_is_told_who(audits, catalog):
    _, run = new_run(audits, catalog)
    audits.set_status(run.id, RunStatus.CANCELLED)
    barrier, won, lost = threading.Barrier(2), [], []

    def claim(owner):
        barrier.wait()
        try:
            won.append(audits.claim(run.id, owner))
        except audit_store.RunTaken as err:
            lost.append(str(err))

    threads = [threading.Thread(target=claim, args=(f"host-{n}:{100 + n}:tok{n}",)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(won) == 1 and len(lost) == 1
    winner = won[0]
    assert winner.status == RunStatus.RUNNING and winner.working() and audits.run(run.id).owner == winner.owner
    host, pid, _ = winner.owner.split(":")
    assert f"already being run by process {pid} on {host} since" in lost[0] and "Traceback" not in lost[0]


def test_a_run_whose_heartbeat_stopped_can_be_claimed_and_its_old_owner_loses_it(audits, catalog):
    _, run = new_run(audits, catalog)
    first = audits.claim(run.id, "a:1:x")
    assert audits.claim(run.id, "a:1:x").owner == "a:1:x"  # the holder claims it again
    with pytest.raises(audit_store.RunTaken):
        audits.claim(run.id, "b:2:y")
    later = first.heartbeat + timedelta(seconds=HEARTBEAT_LIMIT + 1)
    assert not audits.run(run.id).working(later) and audits.run(run.id).resumable is False  # alive now
    assert audits.claim(run.id, "b:2:y", now=later).owner == "b:2:y"
    assert not audits.beat(run.id, "a:1:x")  # the old owner finds out
    stopped = audits.set_status(run.id, RunStatus.FAILED, message="late", owner="a:1:x", release=True)
    assert (stopped.status, stopped.owner) == (RunStatus.RUNNING, "b:2:y")  # not its run any more: untouched
    released = audits.set_status(run.id, RunStatus.CANCELLED, owner="b:2:y", release=True)
    assert released.owner is None and released.heartbeat is None and released.resumable


def test_a_finished_run_stays_finished(audits, catalog):
    _, run = new_run(audits, catalog)
    audits.set_status(run.id, RunStatus.DONE)
    assert audits.set_status(run.id, RunStatus.FAILED, message="UNIQUE constraint failed").status == RunStatus.DONE
    with pytest.raises(audit_store.RunTaken, match="finished"):
        audits.claim(run.id, "a:1:x")
    assert audits.run(run.id).status == RunStatus.DONE


def test_a_database_made_before_runs_had_owners_gets_the_columns_and_keeps_its_runs(store, catalog):
    old = sa.MetaData()
    columns = [sa.Column(c.name, c.type, primary_key=c.primary_key, nullable=c.nullable)
               for c in audit_store.runs_table.columns if c.name not in ("owner", "heartbeat", "claimed_at")]
    old_runs = sa.Table(audit_store.runs_table.name, old, *columns)
    plan = resolved(catalog)
    now = datetime(2026, 1, 2, 3, 4)
    with store.engine().begin() as conn:
        old.create_all(conn)
        conn.execute(sa.insert(old_runs), [{
            "id": plan.run_id, "plan_name": "Old", "plan_json": "{}", "backend": "simulator",
            "catalog_fingerprint": "f", "catalog_name": "c", "started_at": now, "updated_at": now,
            "status": "running", "total_calls": 5, "done_calls": 2, "message": "", "scorecard_json": None}])
    audits = AuditStore(store)
    (run,) = audits.runs()
    assert (run.plan_name, run.owner, run.heartbeat) == ("Old", None, None)
    assert run.resumable and run.status_label == STALLED_LABEL  # running, but no one says so
    assert audits.claim(run.id, "a:1:x").owner == "a:1:x"


# --------------------------------------------------------------------------- who started a run


def test_a_run_records_who_started_it_apart_from_the_process_running_it(audits, catalog):
    plan = resolved(catalog)
    run = audits.create_run(plan, backend="simulator", catalog_fingerprint=catalog.fingerprint,
                            catalog_name="sample", owner="host-a:1:tok", started_by="ana@example.com")
    mine = resolved(catalog, name="Other")
    audits.create_run(mine, backend="simulator", catalog_fingerprint=catalog.fingerprint, catalog_name="sample",
                      started_by="bo@example.com")
    stored = audits.run(run.id)
    assert (stored.started_by, stored.owner) == ("ana@example.com", "host-a:1:tok")
    released = audits.set_status(run.id, RunStatus.CANCELLED, owner="host-a:1:tok", release=True)
    assert (released.started_by, released.owner) == ("ana@example.com", None)  # the process goes, the person stays
    assert audits.claim(run.id, "host-b:2:tok").started_by == "ana@example.com"  # resumed elsewhere: still hers
    assert [r.id for r in audits.runs(started_by="ana@example.com")] == [run.id]
    assert len(audits.runs()) == 2 and audits.runs(started_by="nobody@example.com") == []


def test_a_database_made_before_runs_recorded_their_starter_gets_the_column(store, catalog):
    old = sa.MetaData()
    columns = [sa.Column(c.name, c.type, primary_key=c.primary_key, nullable=c.nullable)
               for c in audit_store.runs_table.columns if c.name != "started_by"]
    old_runs = sa.Table(audit_store.runs_table.name, old, *columns)
    plan = resolved(catalog)
    now = datetime(2026, 1, 2, 3, 4)
    with store.engine().begin() as conn:
        old.create_all(conn)
        conn.execute(sa.insert(old_runs), [{
            "id": plan.run_id, "plan_name": "Old", "plan_json": "{}", "backend": "simulator",
            "catalog_fingerprint": "f", "catalog_name": "c", "started_at": now, "updated_at": now,
            "status": "cancelled", "total_calls": 5, "done_calls": 2, "message": "", "scorecard_json": None}])
    (run,) = AuditStore(store).runs()
    assert (run.plan_name, run.started_by) == ("Old", None)
