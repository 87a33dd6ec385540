"""An audit's run: its calls to Fashion.AI under a rate limit, stored as they arrive; cancelled and resumed.

    runner = start_run(store, client, plan, catalog, backend="simulator", catalog_name="sample",
                       max_calls=10_000)
    threading.Thread(target=runner.run).start()
    runner.progress            # done, total, errors, status (PAUSED during a 429), time left
    runner.cancel()            # stored CANCELLED at once; workers stop after their call in flight; resumable
    runner = resume_run(store, client, run_id, catalog, backend="simulator")   # RunTaken when another runs it

A runner holds its run alone (`AuditStore.claim`, made by `start_run` and `resume_run`
before anything runs, so a second resume is refused at once, in plain words), beats the
run's heartbeat every HEARTBEAT_EVERY seconds while it works, and lets go of it when it
stops; a runner that finds the run taken over (its heartbeat had stopped) stops too.

What is done is what the store says is done, so a run resumes where it stopped: the
reference calls (the best sellers, asked first, in order) and each shopper's calls in
order on its own session, shoppers side by side on `plan.concurrency` workers, every call
through one `RateLimiter` at `plan.rate`, then through the deployment's `SharedRateLimiter`
(every run of every server on the database together, when `shared_rate` is given). Each answer becomes a history snapshot linked to
its call (`AuditStore.record`) as it arrives; a failed call is an answer too (the error
rate counts it), except:

- a 429: every worker pauses (and every run of the deployment, through the shared limit), then the same call is sent again (Fashion.AI did not record
  it, and it is never stored). The pause is the longer of its Retry-After and a backoff
  that doubles on each 429 in a row from BACKOFF's floor to its cap (so `Retry-After: 0`
  or a date in the past never makes a storm of requests), at most MAX_PAUSE. After
  GIVE_UP_AFTER seconds of 429s with no call answered, the run stops, FAILED, resumable;
- a rejected token (401, 403), or a history that cannot save: the run stops, FAILED, with
  a plain message, and can be resumed once that is fixed.

The client is used through a copy with no retries of its own and the runner's observer.
Memory stays flat: a shopper's calls are made when its turn comes, answers go to the store.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from datetime import datetime, timezone

from fashionai.api.client import Exchange, FashionAIClient
from fashionai.api.errors import AuthenticationError, FashionAIError, PermissionDeniedError, RateLimitError
from fashionai.audit.model import HEARTBEAT_EVERY, Answer, AuditRun, Call, Progress, RunStatus, Shopper, new_owner
from fashionai.audit.estimate import estimate_plan
from fashionai.audit.plan import AuditPlan, PlanError, ResolvedPlan, plan_from_json, resolve_plan
from fashionai.audit.ratelimit import RateLimiter
from fashionai.audit.search_plan import send_search
from fashionai.audit.shared_rate import Pace, SharedRateLimiter
from fashionai.audit.store import AuditStore, RunTaken
from fashionai.catalog import Catalog
from fashionai.domain import Backend, EventType
from fashionai.history import HistoryUnavailable, Snapshot, snapshot_from_exchange
from fashionai.text.formatting import duration_words

log = logging.getLogger(__name__)

MAX_PAUSE = 300.0
"""The longest pause a 429 gets (seconds), whatever its Retry-After says."""
BACKOFF = (1.0, 60.0)
"""The pause after a 429 (a floor under its Retry-After): the first, doubled on each one in a row, up to the second."""
GIVE_UP_AFTER = 300.0
"""Seconds of 429s with no call answered after which the run stops (FAILED, resumable) instead of waiting on."""
CANCELLED_WORDS = "Cancelled: resume it to make the calls left."

Scorer = Callable[[Iterable[Answer], bool], str | None]
"""Makes the scorecard JSON of a run's answers when it stops; its second argument says whether the run is partial."""


class AuditRunner:
    """Makes the calls of `run` the store has not recorded yet. `run()` blocks; `cancel()` and
    `progress` may be used from any thread."""

    def __init__(self, store: AuditStore, client: FashionAIClient, resolved: ResolvedPlan, run: AuditRun, *,
                 score: Scorer | None = None, clock: Callable[[], float] | None = None,
                 sleep: Callable[[float], None] = time.sleep,
                 on_progress: Callable[[Progress], None] | None = None, owner: str | None = None,
                 heartbeat_every: float = HEARTBEAT_EVERY, give_up_after: float | None = None,
                 shared_rate: float | None = None) -> None:
        """`shared_rate`: the deployment's rate for every run together (FASHIONAI_AUDIT_RATE), kept through the
        store's database; None: this run keeps to its plan's rate alone. `clock` (tests) drives both limits;
        unset, the plan's pace is kept on this process's monotonic clock and the shared rate on the database's."""
        self.store, self.resolved, self.record = store, resolved, run
        self._give_up_after = GIVE_UP_AFTER if give_up_after is None else give_up_after
        self._storm_since: float | None = None  # when the 429s in a row began
        self.owner = owner or new_owner()
        self._heartbeat_every = heartbeat_every
        self._score, self._clock, self._on_progress = score, clock or time.monotonic, on_progress
        self._local = threading.local()
        self._client = client.with_observer(self._observe, max_retries=0)
        self._limiter = Pace(RateLimiter(resolved.plan.rate, clock=self._clock, sleep=sleep),
                             SharedRateLimiter(store, shared_rate, clock=clock, sleep=sleep) if shared_rate else None)
        self._lock = threading.Lock()
        self._cancel = threading.Event()
        self._fatal: str | None = None
        self._done, self._made, self._errors, self._in_a_row = run.done_calls, 0, 0, 0
        self._started: float | None = None
        self._status = RunStatus(run.status) if run.status in set(RunStatus) else RunStatus.RUNNING

    # --- from any thread

    @property
    def run_id(self) -> str:
        return self.resolved.run_id

    def cancel(self) -> None:
        """Stop: the run is stored CANCELLED at once; each worker finishes its call in flight (stored), then stops."""
        self._cancel.set()
        with self._lock:
            if self._status == RunStatus.RUNNING:
                self._status = RunStatus.CANCELLED
        try:
            self.record = self.store.set_status(self.run_id, RunStatus.CANCELLED, message=CANCELLED_WORDS,
                                                owner=self.owner)
        except (HistoryUnavailable, KeyError):  # said when the run stops
            log.warning("The cancel of audit run %s could not be stored yet", self.run_id[:8])

    @property
    def progress(self) -> Progress:
        with self._lock:
            done, made, errors, fatal, status = self._done, self._made, self._errors, self._fatal, self._status
        paused = self._limiter.paused_for()
        elapsed = self._clock() - self._started if self._started is not None else 0.0
        rate = made / elapsed if made and elapsed > 0 else 0.0
        left = max(0, self.resolved.total_calls - done)
        eta = (left / rate + paused) if rate else (0.0 if not left else None)
        if status == RunStatus.RUNNING and paused > 0:
            status = RunStatus.PAUSED
        return Progress(done, self.resolved.total_calls, errors, status, paused, eta, rate, fatal or "")

    # --- the run

    def run(self) -> AuditRun:
        """Make every call not made yet; the run as stored when it stops (DONE, CANCELLED or FAILED)."""
        run_id = self.resolved.run_id
        try:
            self.record = self.store.claim(run_id, self.owner)
            done = self.store.done_steps(run_id)
        except RunTaken as err:  # another runner holds it: no call made, nothing written
            with self._lock:
                self._fatal, self.record = str(err), err.run
            return self.record
        except (HistoryUnavailable, KeyError) as err:
            return self._stopped(RunStatus.FAILED, f"The audit could not start: {err}")
        with self._lock:
            cancelled = self._cancel.is_set()
            self._done, self._started = sum(done.values()), self._clock()
            self._status = RunStatus.CANCELLED if cancelled else RunStatus.RUNNING
        stop_beating = threading.Event()
        beater = threading.Thread(target=self._beat, args=(stop_beating,), name="fashionai-audit-heartbeat",
                                  daemon=True)
        beater.start()
        try:
            return self._run_claimed(run_id, done)
        finally:
            stop_beating.set()

    def _run_claimed(self, run_id: str, done: dict[int, int]) -> AuditRun:
        units = self._units(done)
        units_lock = threading.Lock()
        workers = [threading.Thread(target=self._work, args=(units, units_lock), name=f"fashionai-audit-{n}",
                                    daemon=True) for n in range(self.resolved.plan.concurrency)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()

        with self._lock:
            fatal, made_all = self._fatal, self._done >= self.resolved.total_calls
        if fatal is not None:
            status, message = RunStatus.FAILED, fatal
        elif made_all:
            status, message = RunStatus.DONE, ""
        else:
            status, message = RunStatus.CANCELLED, CANCELLED_WORDS
        scorecard = None
        if self._score is not None:
            try:
                scorecard = self._score(self.store.answers(run_id), status != RunStatus.DONE)
            except HistoryUnavailable as err:
                message = message or f"The scorecard could not be read: {err}"
            except Exception as err:  # a scorecard that fails must not lose the run
                log.exception("The scorecard of audit run %s failed", run_id)
                message = message or f"The scorecard could not be computed ({type(err).__name__})."
        return self._stopped(status, message, scorecard)

    def _stopped(self, status: RunStatus, message: str, scorecard: str | None = None) -> AuditRun:
        with self._lock:
            self._status, self._fatal = status, self._fatal or (message if status == RunStatus.FAILED else None)
        try:
            self.record = self.store.set_status(self.resolved.run_id, status, message=message,
                                                scorecard_json=scorecard, owner=self.owner, release=True)
        except HistoryUnavailable as err:  # the history is down: say it, with what is known
            self.record = replace(self.record, status=status, message=message or str(err),
                                  done_calls=self._done, updated_at=datetime.now(timezone.utc))
        self._report()
        return self.record

    def _units(self, done: dict[int, int]) -> Iterator[tuple[Shopper | None, int]]:
        """What is left, in order: the reference calls (one unit), then each shopper's calls not made."""
        if done.get(-1, 0) < len(self.resolved.categories):
            yield None, done.get(-1, 0)
        for shopper in self.resolved.shoppers:
            if done.get(shopper.index, 0) < self.resolved.calls_per_shopper(shopper):
                yield shopper, done.get(shopper.index, 0)

    def _beat(self, stop: threading.Event) -> None:
        """The run's heartbeat while it works; stops the run when another runner took it over, or when it was
        cancelled on another server (its stored status says so)."""
        while not stop.wait(self._heartbeat_every):
            try:
                held = self.store.beat(self.run_id, self.owner)
            except HistoryUnavailable as err:  # the workers say it when they cannot save
                log.warning("The heartbeat of audit run %s could not be stored: %s", self.run_id[:8], err)
                continue
            if not held:
                self._fail("Another process took this run over (this one gave no sign of life for too long), "
                           "so it stopped here.")
                return
            if self._cancelled_elsewhere():
                self.cancel()
                return

    def _cancelled_elsewhere(self) -> bool:
        """Whether the run is stored cancelled: pressed on another server (or process) than the one running it."""
        try:
            stored = self.store.run(self.run_id)
        except HistoryUnavailable:
            return False
        return stored is not None and stored.status == RunStatus.CANCELLED

    def _stopping(self) -> bool:
        return self._cancel.is_set() or self._fatal is not None

    def _work(self, units: Iterator[tuple[Shopper | None, int]], units_lock: threading.Lock) -> None:
        try:
            while not self._stopping():
                with units_lock:
                    unit = next(units, None)
                if unit is None:
                    return
                shopper, skip = unit
                calls = self.resolved.reference_calls() if shopper is None else self.resolved.shopper_calls(shopper)
                for call in calls[skip:]:
                    if self._stopping() or not self._make(call, shopper):
                        return
        except Exception as err:  # a worker never dies silently: the run stops and says so
            log.exception("An audit worker failed")
            self._fail(f"An unexpected error stopped the audit ({type(err).__name__}). It can be resumed.")

    def _make(self, call: Call, shopper: Shopper | None) -> bool:
        """Send `call` until it is answered (a 429 pauses everyone and sends it again), then store it."""
        while True:
            if not self._turn():
                return False
            self._local.exchange, error = None, None
            try:
                self._send(call, shopper)
            except RateLimitError as err:
                if not self._pause(err.retry_after):
                    return False
                continue
            except (AuthenticationError, PermissionDeniedError) as err:
                self._fail(f"Fashion.AI refused the app token (HTTP {err.status_code}), so the audit stopped. "
                           "Check FASHIONAI_APP_TOKEN (or app_token in .streamlit/secrets.toml), then resume it.")
                return False
            except (FashionAIError, ValueError) as err:
                error = type(err).__name__
            break
        with self._lock:
            self._in_a_row, self._storm_since = 0, None
        exchange: Exchange | None = self._local.exchange
        snapshot = (snapshot_from_exchange(exchange, self.record.backend) if exchange is not None
                    else self._unsent(call, shopper, error or "Error"))
        try:
            self.store.record(self.resolved.run_id, call, snapshot, owner=self.record.started_by)
        except HistoryUnavailable as err:
            self._fail(f"The answers can no longer be saved, so the audit stopped: {err}")
            return False
        with self._lock:
            self._done, self._made, self._errors = self._done + 1, self._made + 1, self._errors + (error is not None)
        self._report()
        return True

    def _turn(self) -> bool:
        """Wait for this call's turn (the plan's pace, then the deployment's); False when the run stops first, or
        the shared rate cannot be read (the run then fails, saying so)."""
        try:
            return self._limiter.acquire(stop=self._stopping)
        except HistoryUnavailable as err:
            self._fail(f"The audits' shared rate limit cannot be read in the database, so the audit stopped: {err}")
            return False

    def _send(self, call: Call, shopper: Shopper | None) -> None:
        client, item = self._client, call.item_id
        if call.event_type == EventType.SALES_RANKING:
            client.sales_ranking(item)
            return
        if shopper is None:
            raise ValueError(f"a {call.event_type} call needs a shopper")
        session, user = shopper.session_id, shopper.user_id
        if call.event_type == EventType.CATEGORY_VIEW:
            client.category_view(session, item, user_id=user)
        elif call.event_type == EventType.PRODUCT_VIEW:
            client.product_view(session, item, user_id=user)
        elif call.event_type == EventType.SHOP_THE_LOOK:
            client.shop_the_look(session, item, user_id=user)
        elif call.event_type == EventType.CUSTOM_SHELF:
            client.custom_shelf(session, user_id=user)
        elif call.event_type == EventType.SEARCH:  # a journey's search step, or a query of the plan's query set
            send_search(client, call, session, user, k=self.resolved.plan.k)
        else:
            raise ValueError(f"an audit cannot send {call.event_type!r}")

    def _observe(self, exchange: Exchange) -> None:
        self._local.exchange = exchange

    def _unsent(self, call: Call, shopper: Shopper | None, error: str) -> Snapshot:
        """The snapshot of a call refused before it was sent (an id the client does not take)."""
        return Snapshot(id=uuid.uuid4().hex, recorded_at=datetime.now(timezone.utc), backend=self.record.backend,
                        endpoint="", event_type=call.event_type, session_id=shopper.session_id if shopper else None,
                        user_id=shopper.user_id if shopper else None, item_id=call.item_id, products=(),
                        elapsed=0.0, attempts=0, status_code=None, error=error)

    def _pause(self, retry_after: float | None) -> bool:
        """Pause every worker after a 429; False (the run stops, FAILED) when 429s alone came for GIVE_UP_AFTER."""
        with self._lock:
            now = self._clock()
            self._storm_since = now if self._storm_since is None else self._storm_since
            storm = now - self._storm_since
            self._in_a_row += 1
            backoff = min(BACKOFF[0] * 2 ** min(self._in_a_row - 1, 32), BACKOFF[1])
        if storm >= self._give_up_after:
            self._fail(f"Fashion.AI answered every call with 429 (too many requests) for {duration_words(storm)}, "
                       "so the audit stopped instead of waiting on. Resume it later, or lower the plan's rate.")
            return False
        self._limiter.pause_for(min(max(retry_after or 0.0, backoff), MAX_PAUSE))
        self._report()
        return True

    def _fail(self, message: str) -> None:
        with self._lock:
            if self._fatal is None:
                self._fatal = message

    def _report(self) -> None:
        if self._on_progress is not None:
            try:
                self._on_progress(self.progress)
            except Exception:  # a progress display never stops a run
                log.exception("An audit's progress callback failed")


# --------------------------------------------------------------------------- starting and resuming


def start_run(store: AuditStore, client: FashionAIClient, plan: AuditPlan, catalog: Catalog, *, backend: str,
              catalog_name: str, max_calls: int | None, confirmed_live: bool = False, started_by: str | None = None,
              **options: object) -> AuditRunner:
    """A new run of `plan` over `catalog` (stored, not started: call `.run()`), recorded as started by the
    e-mail `started_by`. PlanError, in plain words, for a plan over the call cap `max_calls` (None: no cap) or a
    live run not confirmed; `options` go to the runner."""
    resolved = resolve_plan(plan, catalog, uuid.uuid4().hex)
    calls = resolved.total_calls
    if max_calls is not None and calls > max_calls:
        raise PlanError(f"This plan makes {calls:,} calls, more than the {max_calls:,} an audit may make here. "
                        "Ask for fewer shoppers, categories or product pages, or raise FASHIONAI_AUDIT_MAX_CALLS.")
    if backend == Backend.LIVE and not confirmed_live:
        raise PlanError(f"This audit would send the live Fashion.AI {estimate_plan(resolved).words()} "
                        "It needs an explicit confirmation first.")
    owner = new_owner()
    run = store.create_run(resolved, backend=backend, catalog_fingerprint=catalog.fingerprint,
                           catalog_name=catalog_name, owner=owner, started_by=started_by)
    return AuditRunner(store, client, resolved, run, owner=owner, **options)  # type: ignore[arg-type]


def resume_run(store: AuditStore, client: FashionAIClient, run_id: str, catalog: Catalog, *, backend: str,
               **options: object) -> AuditRunner:
    """The runner that makes the calls a stored run has not made: its plan resolved again with its own id, so
    its shoppers and sessions are the same, and the run claimed for it. PlanError, in plain words, when it
    cannot be resumed (RunTaken when another runner holds it)."""
    run = store.run(run_id)
    if run is None:
        raise PlanError(f"There is no audit run {str(run_id)[:40]!r} (or several runs start with it).")
    if run.status == RunStatus.DONE or run.done_calls >= run.total_calls:
        raise PlanError(f"The audit run {run.short_id} is finished: there is nothing left to resume.")
    if run.catalog_fingerprint != catalog.fingerprint:
        raise PlanError(f"The audit run {run.short_id} was made over another catalog ({run.catalog_name}). "
                        "Resume it with that catalog, or start a new run over this one.")
    if str(backend) != run.backend:
        raise PlanError(f"The audit run {run.short_id} was made on the {run.backend} backend, not the {backend} "
                        "one: resume it there, or start a new run.")
    resolved = resolve_plan(plan_from_json(run.plan_json), catalog, run.id)
    owner = new_owner()
    try:
        run = store.claim(run.id, owner)
    except KeyError as err:
        raise PlanError(f"The audit run {run.short_id} was deleted.") from err
    return AuditRunner(store, client, resolved, run, owner=owner, **options)  # type: ignore[arg-type]
