"""One rate limit for every audit run of a deployment, shared through the studio's database.

    limiter = SharedRateLimiter(store, 20.0)   # 20 requests a second for every run, on every server, together
    limiter.acquire(stop=...)                   # blocks until this caller may send; False when told to stop first
    limiter.pause_for(30.0)                     # Fashion.AI said 429: every run of the deployment waits
    pace = Pace(RateLimiter(plan.rate), limiter) # a run's turns: its plan's pace, then the deployment's

Each run keeps its plan's own pace with its in-process `RateLimiter`; this one, asked last before a
call leaves, holds the sum of every run of every process that uses the same database (SQLite, or
PostgreSQL for several servers) to the deployment's rate (FASHIONAI_AUDIT_RATE).

Its state is one row (`fashionai_rate_limits`, named "audits"): when the last calls of the
deployment went, and until when a 429 holds everyone. A caller takes its turn in one
transaction that locks the row first, by updating it (SQLite's write lock, PostgreSQL's row
lock, both held to the commit), then reads it and writes its own turn when one is due; so
of two processes asking at once, one goes and the other reads what the first wrote. The
rule is the in-process limiter's: calls at least 1/rate apart, and at most `rate` of them
in any WINDOW. **Fair between runs**: each limiter (one a run) is a caller of its own, and the row keeps
each caller's last ask and last turn (`queue`); a turn that is due goes to the waiting caller served
least recently (round robin: a run never seen first), so two runs waiting at once alternate, whatever
the calls at once of each, and a run that is not waiting leaves every turn to the others. A caller that
has not asked for STALE seconds (gone, or stopped) is not waited for: real seconds, read on the
database's clock on PostgreSQL and the wall clock on SQLite, even when a test drives the rate's clock. Times are the database's own clock on PostgreSQL (the servers' clocks may
differ; the database's is one) and this machine's wall clock on SQLite (one file is on one
machine); tests give a clock and a sleep, so they never really wait.

Every database failure raises the history's `HistoryUnavailable`, in plain words.
"""

from __future__ import annotations

import json
import logging
import math
import threading
import time
import uuid
from collections.abc import Callable

import sqlalchemy as sa

from fashionai.audit.ratelimit import MAX_NAP, SLACK, WINDOW, RateLimiter
from fashionai.audit.store import AuditStore
from fashionai.database import DatabaseUnavailable, add_missing_columns, create_tables, guard_database

log = logging.getLogger(__name__)

AUDITS = "audits"
"""The row every audit run shares."""
STALE = 2.0
"""Seconds after its last ask that a waiting caller is still waited for (a waiting caller asks every MAX_NAP)."""
FORGET = 60.0
"""Seconds after its last ask that a caller is dropped from the row's queue."""
_ROW_LOCKS: dict[sa.URL, threading.Lock] = {}
"""One lock a database in this process, taken around a look at the row: the callers of one process queue for it here
in turn, rather than polling the database's lock (SQLite's busy wait lets a caller that asks often starve one that
asks rarely). Every other process still meets the database's own lock."""
_ROW_LOCKS_GUARD = threading.Lock()


def _row_lock(engine: sa.Engine) -> threading.Lock:
    with _ROW_LOCKS_GUARD:  # by the address itself (a URL is compared by value), never said as text
        return _ROW_LOCKS.setdefault(engine.url, threading.Lock())

metadata = sa.MetaData()
limits_table = sa.Table(
    "fashionai_rate_limits", metadata,
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("last_at", sa.Float),  # seconds (the clock's): the last turn taken; None before the first
    sa.Column("sends", sa.Text, nullable=False),  # JSON: the times of the last floor(rate) turns, oldest first
    sa.Column("paused_until", sa.Float, nullable=False),  # seconds: a 429 holds every caller until then
    sa.Column("queue", sa.Text),  # JSON: caller -> {"a": last ask (real time), "s": last turn or null, "w": waiting}
)
_L = limits_table.c

_guarded = guard_database(lambda limiter, err: limiter.store.history.unavailable(err))


class SharedRateLimiter:
    """At most `rate` calls a second for every caller of every process on the store's database."""

    def __init__(self, store: AuditStore, rate: float, *, name: str = AUDITS,
                 clock: Callable[[], float] | None = None, sleep: Callable[[float], None] = time.sleep,
                 caller: str | None = None) -> None:
        """`caller`: who takes turns through this limiter (one a run: its threads share its turns); a new one by
        default."""
        if isinstance(rate, bool) or not isinstance(rate, int | float) or not math.isfinite(rate) or rate <= 0:
            raise ValueError(f"the rate must be a positive number of requests per second, not {rate!r}")
        self.store, self.rate, self.name = store, float(rate), name
        self.interval = (1.0 + SLACK) / self.rate
        self._keep = max(1, math.floor(self.rate)) if self.rate >= 1 else 0  # turns a WINDOW may hold
        self._clock, self._sleep = clock, sleep
        self.caller = caller or uuid.uuid4().hex
        self._ready = False
        self._lock = threading.Lock()

    def acquire(self, stop: Callable[[], bool] | None = None) -> bool:
        """Wait for this caller's turn; True when it may send, False when `stop()` said to give up first."""
        while True:
            wait = self._take_turn()
            if wait <= 0:
                return True
            if stop is not None and stop():
                self._leave()
                return False
            self._sleep(min(wait, MAX_NAP))

    @_guarded
    def pause_for(self, seconds: float) -> None:
        """Hold every caller of the deployment back for `seconds` from now (a longer pause stays as it is)."""
        seconds = float(seconds)
        if not math.isfinite(seconds) or seconds <= 0:
            return
        with self._engine().begin() as conn:
            self._lock_row(conn)
            until = self._now(conn) + seconds
            conn.execute(sa.update(limits_table).where(_L.name == self.name, _L.paused_until < until)
                         .values(paused_until=until))

    @_guarded
    def paused_for(self) -> float:
        """Seconds the deployment's pause still lasts; 0 when there is none."""
        with self._engine().connect() as conn:
            until = conn.execute(sa.select(_L.paused_until).where(_L.name == self.name)).scalar()
            return max(0.0, (until or 0.0) - self._now(conn))

    # --- the row

    @_guarded
    def _take_turn(self) -> float:
        """One look at the row, in one transaction: 0 and the turn written when it is due and this caller's (the
        waiting caller served least recently), else seconds to wait; this caller's ask written either way."""
        engine = self._engine()
        with _row_lock(engine), engine.begin() as conn:
            self._lock_row(conn)
            row = conn.execute(sa.select(_L.last_at, _L.sends, _L.paused_until, _L.queue)
                               .where(_L.name == self.name)).one()
            now, alive = self._now(conn), _alive_now(conn)
            sends = [float(t) for t in json.loads(row.sends)]
            queue = _queue(row.queue, alive)
            mine = queue.setdefault(self.caller, {"s": None})
            mine.update(a=alive, w=True)
            wait = row.paused_until - now
            if row.last_at is not None:
                wait = max(wait, row.last_at + self.interval - now)
            if self._keep and len(sends) >= self._keep:
                wait = max(wait, sends[-self._keep] + WINDOW - now)
            if wait <= 0 and _next_caller(queue, alive) != self.caller:  # due, but another run's turn
                wait = min(self.interval, MAX_NAP)
            values: dict[str, object] = {"queue": json.dumps(queue)}
            if wait <= 0:
                mine.update(s=now, w=False)
                kept = [*sends, now][-self._keep:] if self._keep else []
                values = {"last_at": now, "sends": json.dumps(kept), "queue": json.dumps(queue)}
            conn.execute(sa.update(limits_table).where(_L.name == self.name).values(**values))
            return max(wait, 0.0)

    def _leave(self) -> None:
        """This caller waits no more (told to stop): the others are not held for it (best effort)."""
        try:
            with self._engine().begin() as conn:
                self._lock_row(conn)
                text = conn.execute(sa.select(_L.queue).where(_L.name == self.name)).scalar()
                queue = _queue(text, _alive_now(conn))
                if self.caller in queue:
                    queue[self.caller]["w"] = False
                    conn.execute(sa.update(limits_table).where(_L.name == self.name).values(queue=json.dumps(queue)))
        except (sa.exc.SQLAlchemyError, OSError) as err:  # it is not waited for past STALE all the same
            log.warning("An audit run's leaving the shared rate's queue was not stored: %s", err)

    def _lock_row(self, conn: sa.Connection) -> None:
        """Lock the row to the end of the transaction by updating it (made first when it is not there)."""
        touch = sa.update(limits_table).where(_L.name == self.name).values(name=_L.name)
        if conn.execute(touch).rowcount == 1:
            return
        conn.execute(sa.insert(limits_table), [self._fresh_row()])  # removed since this process made it

    def _fresh_row(self) -> dict[str, object]:
        return {"name": self.name, "last_at": None, "sends": "[]", "paused_until": 0.0, "queue": "{}"}

    def _now(self, conn: sa.Connection) -> float:
        if self._clock is not None:
            return float(self._clock())
        if conn.dialect.name == "postgresql":  # one clock for every server: the database's, as it is now
            return float(conn.execute(sa.text("SELECT extract(epoch FROM clock_timestamp())")).scalar_one())
        return time.time()

    def _engine(self) -> sa.Engine:
        engine = self.store.history.engine()
        if not self._ready:
            with self._lock:
                if not self._ready:
                    create_tables(engine, metadata)
                    add_missing_columns(engine, limits_table, ("queue",))  # a row made before fairness
                    try:
                        with engine.begin() as conn:
                            if conn.execute(sa.select(_L.name).where(_L.name == self.name)).first() is None:
                                conn.execute(sa.insert(limits_table), [self._fresh_row()])
                    except sa.exc.IntegrityError:  # another process made the row at the same moment
                        pass
                    self._ready = True
        return engine


def _alive_now(conn: sa.Connection) -> float:
    """The clock a caller's last ask is read on (whether it still waits): the wall clock, the database's on
    PostgreSQL (one for every server). Never a test's clock: a caller is alive in real time."""
    if conn.dialect.name == "postgresql":
        return float(conn.execute(sa.text("SELECT extract(epoch FROM clock_timestamp())")).scalar_one())
    return time.time()


def _queue(text: str | None, now: float) -> dict[str, dict[str, object]]:
    """The row's callers, those that asked within FORGET seconds (a queue that cannot be read starts again)."""
    try:
        queue = json.loads(text or "{}")
    except ValueError:
        return {}
    if not isinstance(queue, dict):
        return {}
    return {caller: entry for caller, entry in queue.items()
            if isinstance(entry, dict) and isinstance(entry.get("a"), int | float) and now - entry["a"] <= FORGET}


def _next_caller(queue: dict[str, dict[str, object]], now: float) -> str | None:
    """Whose turn a due turn is: of the callers waiting (asked within STALE seconds), the one served least
    recently (one never served first; ties by name)."""
    def asked(entry: dict[str, object]) -> float:
        value = entry.get("a")
        return float(value) if isinstance(value, int | float) else -math.inf

    waiting = [caller for caller, entry in queue.items() if entry.get("w") and now - asked(entry) <= STALE]

    def served(caller: str) -> tuple[bool, float, str]:
        last = queue[caller].get("s")
        return (isinstance(last, int | float), float(last) if isinstance(last, int | float) else 0.0, caller)

    return min(waiting, key=served, default=None)


class Pace:
    """A run's turns: its plan's pace (in-process), then the deployment's shared rate, asked last so that a
    turn taken is a call sent; a 429 pauses both (Fashion.AI's rate is the deployment's: every run waits)."""

    def __init__(self, own: RateLimiter, shared: SharedRateLimiter | None = None) -> None:
        self.own, self.shared = own, shared

    def acquire(self, stop: Callable[[], bool] | None = None) -> bool:
        """True when the call may go; False when `stop()` said to give up first. HistoryUnavailable when the
        shared rate cannot be read."""
        if not self.own.acquire(stop=stop):
            return False
        return self.shared is None or self.shared.acquire(stop=stop)

    def pause_for(self, seconds: float) -> None:
        self.own.pause_for(seconds)
        if self.shared is None:
            return
        try:
            self.shared.pause_for(seconds)
        except DatabaseUnavailable as err:  # this run still waits; its next turn says that the database is down
            log.warning("The audits' shared pause could not be stored: %s", err)

    def paused_for(self) -> float:
        """Seconds this run's own pause still lasts (read in process: a progress bar asks often)."""
        return self.own.paused_for()
