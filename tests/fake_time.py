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


class SteppedTime(FakeTime):
    """A clock that moves only when every thread taking part sleeps: then to the earliest wake-up, and only that
    sleeper goes on. So one thread runs at a time, in the order their sleeps end, however fast or slow each really
    is (a ThreadedTime lets a thread that sleeps often run the clock on while another waits for a lock).

    Made with the number of threads taking part; each calls `leave()` when it ends. `last_seen()` as ThreadedTime.
    """

    def __init__(self, threads: int) -> None:
        super().__init__()
        self._seen = threading.local()
        self._turn = threading.Condition()
        self._awake = threads
        self._sleepers: list[tuple[float, int]] = []
        self._woken: set[int] = set()
        self._count = 0

    def clock(self) -> float:
        with self._turn:
            self._seen.value = self.now
            return self.now

    def last_seen(self) -> float:
        return self._seen.value

    def sleep(self, seconds: float) -> None:
        with self._turn:
            self.slept.append(seconds)
            self._count += 1
            mine = (self.now + max(0.0, seconds), self._count)
            self._sleepers.append(mine)
            self._awake -= 1
            self._wake_next()
            self._turn.wait_for(lambda: mine[1] in self._woken)
            self._woken.discard(mine[1])

    def leave(self) -> None:
        """This thread takes part no more."""
        with self._turn:
            self._awake -= 1
            self._wake_next()

    def _wake_next(self) -> None:
        if self._awake or not self._sleepers:
            return
        self._sleepers.sort()
        wake, number = self._sleepers.pop(0)
        self.now = max(self.now, wake)
        self._awake += 1
        self._woken.add(number)
        self._turn.notify_all()
