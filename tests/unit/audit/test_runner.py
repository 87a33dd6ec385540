"""The audit's runner: every call stored once, cancel and resume, a 429 that pauses every worker, stops.

On the in-process simulator, or an httpx.MockTransport playing Fashion.AI; on a fake clock
(the rate limit's waits and the 429 pauses move it; nothing really waits).
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from itertools import pairwise

import httpx
import pytest

from fashionai.api.client import FashionAIClient
from fashionai.audit.model import AUDIT_SESSION_PREFIX, RunStatus
from fashionai.audit.plan import AuditPlan, PlanError
from fashionai.audit.runner import BACKOFF, GIVE_UP_AFTER, resume_run, start_run
from fashionai.history import HistoryUnavailable
from fashionai.simulator import Simulator, SimulatorTransport
from tests.fake_time import FakeTime

BASE = "http://sim/api/v1"


@pytest.fixture
def fake():
    return FakeTime()


def tiny_plan(catalog, **changes):
    values = dict(name="Tiny", categories=tuple(catalog.categories[:2]), synthetic_personas=2, stability_twins=1,
                  rate=50.0, concurrency=3)
    return AuditPlan(**(values | changes))


def start(audits, client, plan, catalog, fake, **options):
    return start_run(audits, client, plan, catalog, backend="simulator", catalog_name="sample", max_calls=10_000,
                     clock=fake.clock, sleep=fake.sleep, **options)


def sim_client(catalog):
    simulator = Simulator(catalog.products)
    return simulator, FashionAIClient("t", base_url=BASE, transport=SimulatorTransport(simulator))


def keys(answers):
    return [(a.shopper, a.step) for a in answers]


def test_every_call_is_stored_once_and_the_run_is_done(audits, catalog, fake):
    simulator, client = sim_client(catalog)
    runner = start(audits, client, tiny_plan(catalog), catalog, fake)
    run = runner.run()
    answers = list(audits.answers(run.id))
    planned = [(c.shopper, c.step) for c in runner.resolved.all_calls()]
    assert run.status == RunStatus.DONE and run.done_calls == run.total_calls == len(planned)
    assert sorted(keys(answers)) == sorted(planned) and len(set(keys(answers))) == len(planned)
    assert all(a.ok for a in answers), [a for a in answers if not a.ok][:2]
    assert all(a.products for a in answers if a.purpose != "warmup")
    assert all(a.session_id.startswith(AUDIT_SESSION_PREFIX) for a in answers if a.shopper >= 0)
    events = sum(1 for c in runner.resolved.all_calls() if c.event_type != "salesRanking")
    assert simulator.events_recorded() == events  # each tracking event sent exactly once
    progress = runner.progress
    assert (progress.done, progress.total, progress.status, progress.errors) == (len(planned), len(planned),
                                                                                  RunStatus.DONE, 0)


def test_cancel_then_resume_ends_with_exactly_the_planned_calls_on_the_same_sessions(audits, catalog, fake):
    simulator, client = sim_client(catalog)
    holder = {}

    def cancel_early(progress):
        if progress.done >= 5:
            holder["runner"].cancel()

    runner = holder["runner"] = start(audits, client, tiny_plan(catalog), catalog, fake, on_progress=cancel_early)
    first = runner.run()
    assert first.status == RunStatus.CANCELLED and first.resumable
    assert 5 <= first.done_calls < first.total_calls
    sessions = {s.index: s.session_id for s in runner.resolved.shoppers}

    again = resume_run(audits, client, first.id[:8], catalog, backend="simulator", clock=fake.clock,
                       sleep=fake.sleep)
    assert {s.index: s.session_id for s in again.resolved.shoppers} == sessions
    done = again.run()
    answers = list(audits.answers(done.id))
    assert done.status == RunStatus.DONE and done.done_calls == done.total_calls == len(answers)
    assert Counter(keys(answers)) == Counter((c.shopper, c.step) for c in runner.resolved.all_calls())
    events = sum(1 for c in runner.resolved.all_calls() if c.event_type != "salesRanking")
    assert simulator.events_recorded() == events
    assert {a.session_id for a in answers if a.shopper >= 0} == set(sessions.values())
    with pytest.raises(PlanError, match="finished"):
        resume_run(audits, client, done.id, catalog, backend="simulator")


def mock_api(fake, answer):
    """A client over a MockTransport whose `answer(n, request)` -> (status, headers); requests kept with their time."""
    seen, lock = [], threading.Lock()

    def handler(request):
        with lock:
            seen.append((fake.clock(), request.url.path))
            number = len(seen)
        status, headers = answer(number, request)
        body = {"products": ["000814", "049995"]} if status == 200 else {"error": "no"}
        return httpx.Response(status, headers=headers, content=json.dumps(body).encode())

    return seen, FashionAIClient("t", base_url=BASE, transport=httpx.MockTransport(handler))


def test_a_429_pauses_every_worker_for_its_retry_after_and_loses_no_answer(audits, catalog, fake):
    seen, client = mock_api(fake, lambda n, r: (429, {"Retry-After": "7"}) if n in (6, 7) else (200, {}))
    statuses = []
    runner = start(audits, client, tiny_plan(catalog), catalog, fake,
                   on_progress=lambda p: statuses.append(p.status))
    run = runner.run()
    answers = list(audits.answers(run.id))
    assert run.status == RunStatus.DONE and len(answers) == run.total_calls
    assert all(a.ok for a in answers)  # the 429s were sent again, never stored
    assert len(seen) == run.total_calls + 2
    limited_at = seen[5][0]
    later = [t for t, _ in seen[7:]]
    assert all(t >= limited_at + 7 - 1e-6 for t in later)  # nobody sent during the pause
    assert RunStatus.PAUSED in statuses


def test_a_429_without_retry_after_backs_off(audits, catalog, fake):
    seen, client = mock_api(fake, lambda n, r: (429, {}) if n == 3 else (200, {}))
    run = start(audits, client, tiny_plan(catalog), catalog, fake).run()
    assert run.status == RunStatus.DONE and len(list(audits.answers(run.id))) == run.total_calls
    assert seen[3][0] - seen[2][0] >= 1.0 - 1e-6


def test_other_failures_are_stored_as_failed_answers_and_the_run_goes_on(audits, catalog, fake):
    bad = catalog.categories[1]
    _, client = mock_api(fake, lambda n, r: (500, {}) if bad.encode() in r.content or bad in str(r.url)
                            else (200, {}))
    runner = start(audits, client, tiny_plan(catalog), catalog, fake)
    run = runner.run()
    answers = list(audits.answers(run.id))
    failed = [a for a in answers if not a.ok]
    assert run.status == RunStatus.DONE and len(answers) == run.total_calls
    assert failed and all(a.item_id == bad and a.status_code == 500 for a in failed)
    assert runner.progress.errors == len(failed)


@pytest.mark.parametrize("status", [401, 403])
def test_a_rejected_token_stops_the_run_failed_in_plain_words(audits, catalog, fake, status):
    _, client = mock_api(fake, lambda n, r: (status, {}) if n >= 4 else (200, {}))
    run = start(audits, client, tiny_plan(catalog), catalog, fake).run()
    assert run.status == RunStatus.FAILED and run.resumable
    assert "refused the app token" in run.message and "FASHIONAI_APP_TOKEN" in run.message
    assert all(a.ok for a in audits.answers(run.id))  # the refused calls are not answers
    assert audits.run(run.id).status == RunStatus.FAILED


def test_a_history_that_cannot_save_stops_the_run_failed_in_plain_words(audits, catalog, fake, monkeypatch):
    _, client = sim_client(catalog)
    original, calls = audits.history.record, []

    def failing(snapshot, **kwargs):
        calls.append(1)
        if len(calls) > 3:
            raise HistoryUnavailable("The history database at postgresql://db cannot be reached (timeout).")
        return original(snapshot, **kwargs)

    monkeypatch.setattr(audits.history, "record", failing)
    run = start(audits, client, tiny_plan(catalog), catalog, fake).run()
    assert run.status == RunStatus.FAILED and run.done_calls == 3
    assert run.message.startswith("The answers can no longer be saved") and "cannot be reached" in run.message


def test_the_scorecard_is_computed_when_the_run_stops_and_stored(audits, catalog, fake):
    _, client = sim_client(catalog)
    run = start(audits, client, tiny_plan(catalog), catalog, fake,
                score=lambda answers, partial: json.dumps({"answers": sum(1 for _ in answers)})).run()
    assert json.loads(audits.run(run.id).scorecard_json) == {"answers": run.total_calls}


def test_a_plan_over_the_call_cap_is_refused_before_anything_is_sent(audits, catalog, fake):
    simulator, client = sim_client(catalog)
    with pytest.raises(PlanError, match="more than the 5 an audit may make"):
        start_run(audits, client, tiny_plan(catalog), catalog, backend="simulator", catalog_name="s", max_calls=5)
    assert simulator.events_recorded() == 0 and audits.runs() == []


def test_a_live_run_needs_a_confirmation(audits, catalog):
    _, client = sim_client(catalog)
    with pytest.raises(PlanError, match="confirmation"):
        start_run(audits, client, tiny_plan(catalog), catalog, backend="live", catalog_name="s", max_calls=None)
    assert audits.runs() == []
    runner = start_run(audits, client, tiny_plan(catalog), catalog, backend="live", catalog_name="s",
                       max_calls=None, confirmed_live=True)
    assert runner.record.backend == "live"


def test_resume_refuses_another_catalog_or_an_unknown_run(audits, catalog, fake):
    _, client = sim_client(catalog)
    runner = start(audits, client, tiny_plan(catalog), catalog, fake)

    class Other:  # what resume_run reads of a catalog before anything else: its fingerprint
        fingerprint = "another"

    with pytest.raises(PlanError, match="another catalog"):
        resume_run(audits, client, runner.record.id, Other(), backend="simulator")
    with pytest.raises(PlanError, match="no audit run"):
        resume_run(audits, client, "ffffffff", catalog, backend="simulator")
    with pytest.raises(PlanError, match="backend"):
        resume_run(audits, client, runner.record.id, catalog, backend="live")


# --------------------------------------------------------------------------- a 429 storm


PAST = "Wed, 21 Oct 2015 07:28:00 GMT"


@pytest.mark.parametrize("retry_after", [{"Retry-After": "0"}, {"Retry-After": PAST}, {}])
def test_a_429_storm_backs_off_exponentially_and_gives_up_resumable_after_the_limit(audits, catalog, fake,
                                                                                   retry_after):
    seen, client = mock_api(fake, lambda n, r: (429, retry_after))
    began = fake.clock()
    # one worker: with three, the gaps between their tries on the shared fake clock depended on how the
    # threads were scheduled (a 0.04 s gap, a 120 s one, under a loaded machine)
    run = start(audits, client, tiny_plan(catalog, concurrency=1), catalog, fake).run()
    assert run.status == RunStatus.FAILED and run.resumable and run.done_calls == 0
    assert "429" in run.message and "Resume it later" in run.message
    assert GIVE_UP_AFTER <= fake.clock() - began <= GIVE_UP_AFTER + BACKOFF[1] + 1  # bounded: it stops
    times = [t for t, _ in seen]
    gaps = [later - earlier for earlier, later in pairwise(times) if later - earlier > 1e-9]
    assert gaps and min(gaps) >= BACKOFF[0] - 1e-6 and max(gaps) <= BACKOFF[1] + 0.1  # a floor, a cap (+ the window)
    assert len(seen) <= 15  # about a dozen tries in five minutes (not hundreds a second)
    assert not list(audits.answers(run.id))


def test_the_backoff_doubles_from_its_floor_and_starts_again_after_an_answer(audits, catalog, fake):
    seen, client = mock_api(fake, lambda n, r: (429, {"Retry-After": "0"}) if n in (2, 3, 4, 6) else (200, {}))
    run = start(audits, client, tiny_plan(catalog, concurrency=1), catalog, fake).run()
    assert run.status == RunStatus.DONE and len(list(audits.answers(run.id))) == run.total_calls
    times = [t for t, _ in seen]
    assert [round(times[n] - times[n - 1], 3) for n in (2, 3, 4)] == [1.0, 2.0, 4.0]
    assert round(times[6] - times[5], 3) == 1.0  # an answer in between: from the floor again
