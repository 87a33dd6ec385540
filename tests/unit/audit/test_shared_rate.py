"""One rate limit for every audit run of a deployment, through the database (issue 23, item 6): two limiters and
two runners, each on an engine of its own (as two processes or two servers would be) on one database (SQLite, and
PostgreSQL when FASHIONAI_TEST_POSTGRES_URL is set), together never exceed the deployment's rate; a 429 seen by one
pauses the other. On a fake clock: nothing really waits, and the times are the ones the limiter granted."""

from __future__ import annotations

import itertools
import threading

import httpx
import pytest

from fashionai.api.client import FashionAIClient
from fashionai.audit.model import RunStatus
from fashionai.audit.plan import AuditPlan
from fashionai.audit.runner import start_run
from fashionai.audit.shared_rate import SharedRateLimiter, limits_table
from fashionai.audit.store import AuditStore
from fashionai.catalog import load_catalog
from fashionai.catalog.sample import SAMPLE_CATALOG_PATH
from fashionai.history import HistoryStore, HistoryUnavailable
from fashionai.simulator import Simulator, SimulatorTransport
from tests.fake_time import SteppedTime, ThreadedTime



@pytest.fixture(scope="module")
def catalog():
    return load_catalog(SAMPLE_CATALOG_PATH)


@pytest.fixture
def two_stores(store_url):
    """Two audit stores on one database, each with an engine (a connection pool) of its own."""
    histories = [HistoryStore(store_url, max_age_days=None, max_count=None) for _ in range(2)]
    yield [AuditStore(history) for history in histories]
    for history in histories:
        history.close()


def max_in_window(times: list[float], window: float = 1.0) -> int:
    times = sorted(times)
    return max(sum(1 for t in times if start <= t < start + window) for start in times)


def test_two_limiters_on_one_database_never_let_more_than_the_rate_go_in_any_second(two_stores):
    fake = ThreadedTime()
    limiters = [SharedRateLimiter(store, 8.0, clock=fake.clock, sleep=fake.sleep) for store in two_stores]
    granted, lock = [], threading.Lock()

    def caller(limiter):
        for _ in range(20):
            assert limiter.acquire()
            with lock:
                granted.append(fake.last_seen())

    threads = [threading.Thread(target=caller, args=(limiter,)) for limiter in limiters for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(granted) == 80
    granted.sort()
    assert max_in_window(granted) <= 8
    assert min(b - a for a, b in itertools.pairwise(granted)) >= 1 / 8 - 1e-9  # spaced, never a burst


def test_a_pause_asked_by_one_holds_the_other(two_stores):
    fake = ThreadedTime()
    first, second = (SharedRateLimiter(store, 100.0, clock=fake.clock, sleep=fake.sleep) for store in two_stores)
    assert first.acquire()
    first.pause_for(3.0)
    assert second.paused_for() == pytest.approx(3.0)
    start = fake.clock()
    assert second.acquire()
    assert fake.last_seen() - start >= 3.0 - 1e-9
    assert first.paused_for() == 0.0


def test_a_stop_ends_the_wait(two_stores):
    fake = ThreadedTime()
    limiter = SharedRateLimiter(two_stores[0], 1.0, clock=fake.clock, sleep=fake.sleep)
    assert limiter.acquire()
    assert limiter.acquire(stop=lambda: True) is False


def test_a_database_that_is_down_says_so_in_plain_words(tmp_path):
    broken = tmp_path / "broken.db"
    broken.write_bytes(b"this is not a database \x00\xff" * 100)
    history = HistoryStore(f"sqlite:///{broken.as_posix()}", max_age_days=None, max_count=None)
    with pytest.raises(HistoryUnavailable) as caught:
        SharedRateLimiter(AuditStore(history), 5.0).acquire()
    assert "Traceback" not in str(caught.value)


# --------------------------------------------------------------------------- two runs


class Recording(httpx.BaseTransport):
    """The simulator, writing down when each request was let go (the time the limiter granted its caller)."""

    def __init__(self, catalog, fake: ThreadedTime, times: list[float], lock: threading.Lock) -> None:
        self.inner, self.fake, self.times, self.lock = SimulatorTransport(Simulator(catalog.products)), fake, times, lock

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        with self.lock:
            self.times.append(self.fake.last_seen())
        return self.inner.handle_request(request)


def two_runs(two_stores, catalog, *, shared_rate):
    """Two runs of a plan at 50 requests a second, started by two people on two engines, run at once."""
    fake, times, lock = ThreadedTime(), [], threading.Lock()
    plan = AuditPlan(name="Pace", categories=tuple(catalog.categories[:2]), synthetic_personas=3, stability_twins=1,
                     rate=50.0, concurrency=2)
    runners = []
    for store, person in zip(two_stores, ("ana@example.com", "bo@example.com"), strict=True):
        client = FashionAIClient("t", base_url="http://sim/api/v1", transport=Recording(catalog, fake, times, lock))
        runners.append(start_run(store, client, plan, catalog, backend="simulator", catalog_name="sample",
                                 max_calls=None, started_by=person, clock=fake.clock, sleep=fake.sleep,
                                 shared_rate=shared_rate))
    results = []
    threads = [threading.Thread(target=lambda r=runner: results.append(r.run())) for runner in runners]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, times


def test_two_runs_at_once_together_keep_to_the_deployments_rate(two_stores, catalog):
    results, times = two_runs(two_stores, catalog, shared_rate=10.0)
    assert [run.status for run in results] == [RunStatus.DONE, RunStatus.DONE]
    assert len(times) == sum(run.total_calls for run in results)
    assert max_in_window(times) <= 10


def test_without_the_shared_limit_two_runs_would_together_go_past_it(two_stores, catalog):
    """The measure above can fail: each run alone keeps to its plan's 50 a second, together far past 10."""
    _, times = two_runs(two_stores, catalog, shared_rate=None)
    assert max_in_window(times) > 10


def test_the_limit_is_one_row_of_the_database(two_stores):
    fake = ThreadedTime()
    for store in two_stores:
        SharedRateLimiter(store, 5.0, clock=fake.clock, sleep=fake.sleep).acquire()
    with two_stores[0].history.engine().connect() as conn:
        assert conn.execute(limits_table.select()).all()[0].name == "audits"
        assert len(conn.execute(limits_table.select()).all()) == 1


# --------------------------------------------------------------------------- fairness between runs


def shares_of_two_runs(two_stores, *, threads_a: int, threads_b: int, rate: float = 8.0, slots: int = 60):
    """Two runs on one database (one limiter each, as a run has), run A asking from `threads_a` threads at once and
    run B from `threads_b`, until `slots` turns are granted: the times granted to each, and all of them."""
    fake = SteppedTime(threads_a + threads_b)  # one thread runs at a time: the order is the limiter's alone
    limiters = {"A": SharedRateLimiter(two_stores[0], rate, clock=fake.clock, sleep=fake.sleep),
                "B": SharedRateLimiter(two_stores[1], rate, clock=fake.clock, sleep=fake.sleep)}
    granted: dict[str, list[float]] = {"A": [], "B": []}
    lock = threading.Lock()

    def enough() -> bool:
        with lock:
            return sum(len(times) for times in granted.values()) >= slots

    def caller(run: str) -> None:
        try:
            while not enough():
                if limiters[run].acquire(stop=enough):
                    with lock:
                        granted[run].append(fake.last_seen())
        finally:
            fake.leave()

    threads = [threading.Thread(target=caller, args=(run,))
               for run, count in (("A", threads_a), ("B", threads_b)) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return granted, sorted(granted["A"] + granted["B"])


@pytest.mark.parametrize(("threads_a", "threads_b"), [(1, 1), (4, 1), (1, 4)])
def test_two_runs_waiting_at_once_each_get_a_fair_share_of_the_slots(two_stores, threads_a, threads_b):
    """Round-robin through the row: while both runs wait, neither takes the turns of the other (one CI run on SQLite
    gave one run all but one slot), whatever the calls at once of each; the total still keeps to the rate."""
    granted, every = shares_of_two_runs(two_stores, threads_a=threads_a, threads_b=threads_b)
    total = len(every)
    assert total >= 60
    assert len(granted["A"]) >= total / 3 and len(granted["B"]) >= total / 3, {k: len(v) for k, v in granted.items()}
    assert max_in_window(every) <= 8
    assert min(b - a for a, b in itertools.pairwise(every)) >= 1 / 8 - 1e-9


def test_a_run_that_stopped_waiting_holds_no_turn_back(two_stores):
    """Work-conserving: a run that was served and waits no more, or that gave up its wait, leaves every turn to the
    other, which then goes at the whole rate."""
    fake = ThreadedTime()
    first, second = (SharedRateLimiter(store, 8.0, clock=fake.clock, sleep=fake.sleep) for store in two_stores)
    assert second.acquire()
    assert second.acquire(stop=lambda: True) is False  # not due yet: it gives up, and says so in the row
    times = []
    for _ in range(8):
        assert first.acquire()
        times.append(fake.last_seen())
    assert max(b - a for a, b in itertools.pairwise(times)) < 0.15  # 1/8 s apart (the window's 0.02 s once)
