"""At most one runner runs an audit run: two resumes racing (threads, one database: SQLite, and PostgreSQL when
FASHIONAI_TEST_POSTGRES_URL is set) send the plan's calls once between them; the other is refused in plain words;
a cancel is stored at once; a run taken over stops. On the in-process simulator, counting its requests."""

from __future__ import annotations

import threading

import httpx
import pytest

from fashionai.api.client import FashionAIClient
from fashionai.audit.model import RunStatus
from fashionai.audit.plan import AuditPlan, PlanError
from fashionai.audit.runner import resume_run, start_run
from fashionai.audit.store import AuditStore, runs_table
from fashionai.catalog import load_catalog
from fashionai.catalog.sample import SAMPLE_CATALOG_PATH
from fashionai.history import HistoryStore
from fashionai.simulator import Simulator, SimulatorTransport
from tests import history_helpers

store_url = history_helpers.store_url


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(SAMPLE_CATALOG_PATH)


@pytest.fixture
def audits(store_url):
    history = HistoryStore(store_url, max_age_days=None, max_count=None)
    yield AuditStore(history)
    history.close()


class Counting(httpx.BaseTransport):
    """The simulator, counting the requests it is sent."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner, self.count, self._lock = inner, 0, threading.Lock()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        with self._lock:
            self.count += 1
        return self.inner.handle_request(request)


def counted_client(catalog):
    transport = Counting(SimulatorTransport(Simulator(catalog.products)))
    return transport, FashionAIClient("t", base_url="http://sim/api/v1", transport=transport)


def plan(catalog, concurrency=2):
    return AuditPlan(name="Race", categories=tuple(catalog.categories[:2]), synthetic_personas=3, stability_twins=1,
                     rate=500.0, concurrency=concurrency)


def cancelled_run(audits, catalog, client, after=3):
    """A run cancelled after `after` calls (stored, resumable)."""
    box = {}

    def stop_early(progress):
        if progress.done >= after:
            box["runner"].cancel()

    box["runner"] = start_run(audits, client, plan(catalog), catalog, backend="simulator", catalog_name="sample",
                              max_calls=None, on_progress=stop_early)
    run = box["runner"].run()
    assert run.status == RunStatus.CANCELLED and 0 < run.done_calls < run.total_calls
    assert getattr(run, "owner", None) is None  # let go of
    return run


def test_two_resumes_at_once_send_the_plans_calls_once_and_the_other_is_refused(audits, catalog):
    transport, client = counted_client(catalog)
    run = cancelled_run(audits, catalog, client)
    barrier, results, refused = threading.Barrier(2), [], []

    def resume():
        barrier.wait()
        try:
            runner = resume_run(audits, client, run.id, catalog, backend="simulator")
        except PlanError as err:
            refused.append(str(err))
            return
        results.append(runner.run())

    threads = [threading.Thread(target=resume) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    stored = audits.run(run.id)
    assert transport.count == stored.total_calls  # every call of the plan once: no duplicate tracking event
    assert stored.status == RunStatus.DONE and stored.done_calls == stored.total_calls and stored.owner is None
    assert len(results) == 1 and len(refused) == 1, (results, refused)
    assert "already being run by process" in refused[0] or "finished" in refused[0]
    assert "UNIQUE" not in refused[0] and "constraint" not in refused[0].lower()


def test_a_cancel_is_stored_at_once_and_the_run_is_let_go_when_it_stops(audits, catalog):
    _, client = counted_client(catalog)
    box, seen = {}, {}

    def cancel_once(progress):
        if progress.done >= 2 and "status" not in seen:
            box["runner"].cancel()
            seen["status"] = audits.run(box["runner"].run_id).status  # before the workers stopped

    box["runner"] = start_run(audits, client, plan(catalog), catalog, backend="simulator", catalog_name="sample",
                              max_calls=None, on_progress=cancel_once)
    run = box["runner"].run()
    assert seen["status"] == RunStatus.CANCELLED
    assert run.status == RunStatus.CANCELLED and run.owner is None and run.resumable


def test_a_runner_whose_run_was_taken_over_stops_and_leaves_the_run_to_the_new_owner(audits, catalog):
    _, client = counted_client(catalog)
    box, noticed = {}, threading.Event()

    def taken_over(progress):
        if progress.done == 2 and not noticed.is_set():  # another process claims it (this one's heartbeat stopped)
            with audits._engine().begin() as conn:
                conn.execute(runs_table.update().where(runs_table.c.id == box["runner"].run_id)
                             .values(owner="elsewhere:9:tok"))
            for _ in range(2000):  # the next heartbeat finds out (waited on the runner's state, not on time)
                if box["runner"].progress.message:
                    break
                noticed.wait(0.01)
            noticed.set()

    box["runner"] = start_run(audits, client, plan(catalog, concurrency=1), catalog, backend="simulator",
                              catalog_name="sample", max_calls=None, on_progress=taken_over, heartbeat_every=0.01)
    run = box["runner"].run()
    assert run.status == RunStatus.RUNNING and run.owner == "elsewhere:9:tok"  # untouched by the old runner
    assert run.done_calls == 2 < run.total_calls
    assert "Another process took this run over" in box["runner"].progress.message


def test_a_run_cancelled_from_another_server_stops_at_its_next_heartbeat(audits, catalog):
    """The page of another server stores the run cancelled (it cannot reach this runner's thread): the runner
    reads it at its heartbeat, stops after its calls in flight, keeps what it made and lets the run go."""
    box, asked = {}, threading.Event()

    class Held(httpx.BaseTransport):  # answers 3 calls, then holds each until the cancel has reached the runner
        def __init__(self) -> None:
            self.inner, self.count, self._lock = SimulatorTransport(Simulator(catalog.products)), 0, threading.Lock()

        def handle_request(self, request):
            with self._lock:
                self.count += 1
                count = self.count
            if count == 4:
                asked.set()
            if count > 3:
                box["runner"]._cancel.wait(timeout=60)
            return self.inner.handle_request(request)

    client = FashionAIClient("t", base_url="http://sim/api/v1", transport=Held())
    box["runner"] = start_run(audits, client, plan(catalog, concurrency=1), catalog, backend="simulator",
                              catalog_name="sample", max_calls=None, heartbeat_every=0.05)
    result = {}
    worker = threading.Thread(target=lambda: result.update(run=box["runner"].run()))
    worker.start()
    assert asked.wait(timeout=60)
    audits.set_status(box["runner"].run_id, RunStatus.CANCELLED, message="Cancelled from another server.")
    worker.join(timeout=60)
    assert not worker.is_alive()
    run = audits.run(box["runner"].run_id)
    assert run.status == RunStatus.CANCELLED and 3 <= run.done_calls < run.total_calls
    assert run.owner is None and run.resumable  # let go of: any server may resume it
