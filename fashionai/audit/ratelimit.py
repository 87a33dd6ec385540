"""A client-side rate limit for an audit's workers: smooth, shared, and paused all at once by a 429.

    limiter = RateLimiter(20.0)        # 20 requests per second
    limiter.acquire()                  # blocks until this caller may send
    limiter.pause_for(30.0)            # Fashion.AI said 429, Retry-After: 30: every caller waits

Calls are spaced evenly, 1/rate seconds apart on a schedule (never a burst after a quiet
moment). A caller that wakes a little late keeps the schedule (the next turn is counted
from the turn, not from the late wake), so a busy machine does not lose rate; and the
last `rate` calls are remembered, so no window of one second ever holds more than `rate`
calls however late or early the wakes. Waits are taken in naps of at most `MAX_NAP` seconds, so a caller that is told to
stop (`acquire(stop=...)`) leaves soon, even in a long pause. Thread-safe; the clock and
the sleep are given, so tests never really wait.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable

MAX_NAP = 0.25
"""Seconds a waiting caller sleeps at most before looking again (at a cancel, a pause)."""
WINDOW = 1.02
"""Seconds in which at most `rate` calls go: a second, and room for the jitter between a call leaving a worker and
arriving at Fashion.AI, so that no second at the server holds more than the rate either."""
SLACK = 1e-9
"""Calls are spaced this much (relatively) more than 1/rate, so that rounding never lets rate+1 into a second."""


class RateLimiter:
    """At most `rate` calls a second, spaced evenly, for every thread that shares it."""

    def __init__(self, rate: float, *, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        if isinstance(rate, bool) or not isinstance(rate, int | float) or not math.isfinite(rate) or rate <= 0:
            raise ValueError(f"the rate must be a positive number of requests per second, not {rate!r}")
        self.rate = float(rate)
        self.interval = (1.0 + SLACK) / self.rate
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._last: float | None = None  # the last caller's turn (on the schedule)
        self._window: deque[float] = deque(maxlen=max(1, math.floor(self.rate)))  # when the last callers went
        self._paused_until = -math.inf

    def acquire(self, stop: Callable[[], bool] | None = None) -> bool:
        """Wait for this caller's turn; True when it may send, False when `stop()` said to give up first."""
        while True:
            with self._lock:
                now = self._clock()
                turn = now if self._last is None else self._last + self.interval
                wait = max(self._paused_until, turn) - now
                if self.rate >= 1 and len(self._window) == self._window.maxlen:
                    wait = max(wait, self._window[0] + WINDOW - now)
                if wait <= 0:
                    # late by less than a turn (and not after a pause): keep the schedule; else start it again
                    on_time = now - turn < self.interval and turn >= self._paused_until
                    self._last = turn if on_time else now
                    self._window.append(now)
                    return True
            if stop is not None and stop():
                return False
            self._sleep(min(wait, MAX_NAP))

    def pause_for(self, seconds: float) -> None:
        """Hold every caller back for `seconds` from now (a pause already longer stays as it is)."""
        seconds = float(seconds)
        if not math.isfinite(seconds) or seconds <= 0:
            return
        with self._lock:
            self._paused_until = max(self._paused_until, self._clock() + seconds)

    def paused_for(self) -> float:
        """Seconds the pause still lasts; 0 when there is none."""
        with self._lock:
            return max(0.0, self._paused_until - self._clock())
