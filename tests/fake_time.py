"""A clock for the rate limit's and the runner's tests: it only moves when someone sleeps."""

import threading


class FakeTime:
    """A clock that only moves when someone sleeps (thread-safe)."""

    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []
        self._lock = threading.Lock()

    def clock(self) -> float:
        with self._lock:
            return self.now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.slept.append(seconds)
            self.now += seconds


class ThreadedTime(FakeTime):
    """A FakeTime that remembers, for each thread, the last time it told that thread: read right after a limiter
    lets a caller go, it is the moment the limiter granted (other threads' sleeps may have moved the clock since)."""

    def __init__(self) -> None:
        super().__init__()
        self._seen = threading.local()

    def clock(self) -> float:
        value = super().clock()
        self._seen.value = value
        return value

    def last_seen(self) -> float:
        return self._seen.value
