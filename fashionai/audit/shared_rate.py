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
in any WINDOW. Times are the database's own clock on PostgreSQL (the servers' clocks may
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
from collections.abc import Callable

import sqlalchemy as sa

from fashionai.audit.ratelimit import MAX_NAP, SLACK, WINDOW, RateLimiter
from fashionai.audit.store import AuditStore
from fashionai.database import DatabaseUnavailable, create_tables, guard_database

log = logging.getLogger(__name__)

AUDITS = "audits"
"""The row every audit run shares."""

metadata = sa.MetaData()
limits_table = sa.Table(
    "fashionai_rate_limits", metadata,
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("last_at", sa.Float),  # seconds (the clock's): the last turn taken; None before the first
    sa.Column("sends", sa.Text, nullable=False),  # JSON: the times of the last floor(rate) turns, oldest first
    sa.Column("paused_until", sa.Float, nullable=False),  # seconds: a 429 holds every caller until then
)
_L = limits_table.c

_guarded = guard_database(lambda limiter, err: limiter.store.history.unavailable(err))


class SharedRateLimiter:
    """At most `rate` calls a second for every caller of every process on the store's database."""

    def __init__(self, store: AuditStore, rate: float, *, name: str = AUDITS,
                 clock: Callable[[], float] | None = None, sleep: Callable[[float], None] = time.sleep) -> None:
        if isinstance(rate, bool) or not isinstance(rate, int | float) or not math.isfinite(rate) or rate <= 0:
            raise ValueError(f"the rate must be a positive number of requests per second, not {rate!r}")
        self.store, self.rate, self.name = store, float(rate), name
        self.interval = (1.0 + SLACK) / self.rate
        self._keep = max(1, math.floor(self.rate)) if self.rate >= 1 else 0  # turns a WINDOW may hold
        self._clock, self._sleep = clock, sleep
        self._ready = False
        self._lock = threading.Lock()

    def acquire(self, stop: Callable[[], bool] | None = None) -> bool:
        """Wait for this caller's turn; True when it may send, False when `stop()` said to give up first."""
        while True:
            wait = self._take_turn()
            if wait <= 0:
                return True
            if stop is not None and stop():
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
        """One look at the row, in one transaction: 0 and the turn written when it is due, else seconds to wait."""
        with self._engine().begin() as conn:
            self._lock_row(conn)
            row = conn.execute(sa.select(_L.last_at, _L.sends, _L.paused_until).where(_L.name == self.name)).one()
            now = self._now(conn)
            sends = [float(t) for t in json.loads(row.sends)]
            wait = row.paused_until - now
            if row.last_at is not None:
                wait = max(wait, row.last_at + self.interval - now)
            if self._keep and len(sends) >= self._keep:
                wait = max(wait, sends[-self._keep] + WINDOW - now)
            if wait > 0:
                return wait
            kept = [*sends, now][-self._keep:] if self._keep else []
            conn.execute(sa.update(limits_table).where(_L.name == self.name)
                         .values(last_at=now, sends=json.dumps(kept)))
            return 0.0

    def _lock_row(self, conn: sa.Connection) -> None:
        """Lock the row to the end of the transaction by updating it (made first when it is not there)."""
        touch = sa.update(limits_table).where(_L.name == self.name).values(name=_L.name)
        if conn.execute(touch).rowcount == 1:
            return
        conn.execute(sa.insert(limits_table), [self._fresh_row()])  # removed since this process made it

    def _fresh_row(self) -> dict[str, object]:
        return {"name": self.name, "last_at": None, "sends": "[]", "paused_until": 0.0}

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
                    try:
                        with engine.begin() as conn:
                            if conn.execute(sa.select(_L.name).where(_L.name == self.name)).first() is None:
                                conn.execute(sa.insert(limits_table), [self._fresh_row()])
                    except sa.exc.IntegrityError:  # another process made the row at the same moment
                        pass
                    self._ready = True
        return engine


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
