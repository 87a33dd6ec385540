"""The audit's rate limit: smooth spacing, a shared 429 pause, a stop that ends a wait; on a fake clock."""

from __future__ import annotations

import threading
from itertools import pairwise

import pytest

from fashionai.audit.ratelimit import MAX_NAP, RateLimiter
from tests.fake_time import FakeTime


def limiter(rate: float, fake: FakeTime) -> RateLimiter:
    return RateLimiter(rate, clock=fake.clock, sleep=fake.sleep)


def max_in_window(times: list[float], window: float = 1.0) -> int:
    times = sorted(times)
    return max(sum(1 for t in times if start <= t < start + window) for start in times)


def test_calls_are_spaced_evenly_never_more_than_the_rate_in_any_second():
    fake = FakeTime()
    limit = limiter(10, fake)
    granted = []
    for _ in range(35):
        assert limit.acquire()
        granted.append(fake.clock())
    gaps = [b - a for a, b in pairwise(granted)]
    assert min(gaps) >= 0.1 - 1e-9
    assert max_in_window(granted) <= 10
    assert granted[-1] - granted[0] == pytest.approx(3.4, rel=0.025)  # smooth: within WINDOW's 2% of the rate


def test_no_burst_after_a_quiet_moment():
    fake = FakeTime()
    limit = limiter(5, fake)
    limit.acquire()
    fake.sleep(10)  # quiet for ten seconds: no credit is saved up
    times = []
    for _ in range(3):
        limit.acquire()
        times.append(fake.clock())
    assert times[1] - times[0] >= 0.2 - 1e-9 and times[2] - times[1] >= 0.2 - 1e-9


def test_a_pause_holds_every_caller_until_it_ends():
    fake = FakeTime()
    limit = limiter(100, fake)
    limit.acquire()
    limit.pause_for(3.0)
    assert limit.paused_for() == pytest.approx(3.0)
    limit.pause_for(1.0)  # a shorter pause does not shorten it
    assert limit.paused_for() == pytest.approx(3.0)
    start = fake.clock()
    assert limit.acquire()
    assert fake.clock() - start >= 3.0 - 1e-9
    assert max(fake.slept) <= MAX_NAP
    assert limit.paused_for() == 0.0


def test_stop_ends_a_wait_and_says_so():
    fake = FakeTime()
    limit = limiter(1, fake)
    limit.pause_for(60)
    asked = []

    def stop():
        asked.append(1)
        return len(asked) > 2

    assert limit.acquire(stop=stop) is False
    assert fake.clock() - 100.0 < 1.0  # left after a couple of naps, not a minute


def test_threads_share_one_limit():
    fake = FakeTime()
    limit = limiter(20, fake)
    granted: list[float] = []
    lock = threading.Lock()
    original = limit._clock
    seen = threading.local()

    def clock():
        seen.last = original()
        return seen.last

    limit._clock = clock

    def worker():
        for _ in range(10):
            assert limit.acquire()
            with lock:
                granted.append(seen.last)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(granted) == 40
    granted.sort()
    assert min(b - a for a, b in pairwise(granted)) >= 0.05 - 1e-9
    assert max_in_window(granted) <= 20


@pytest.mark.parametrize("rate", [0, -1, float("nan"), float("inf"), True, "5"])
def test_a_rate_that_is_no_positive_number_is_refused(rate):
    with pytest.raises(ValueError):
        RateLimiter(rate)


class LateTime(FakeTime):
    """A busy machine: every sleep oversleeps by `late` seconds."""

    def __init__(self, late: float) -> None:
        super().__init__()
        self.late = late

    def sleep(self, seconds: float) -> None:
        super().sleep(seconds + self.late)


def test_late_wakes_keep_the_schedule_and_never_put_more_than_the_rate_in_a_second():
    fake = LateTime(late=0.01)  # 40% of a turn late, every time
    limit = limiter(40.0, fake)
    times = []
    for _ in range(400):
        assert limit.acquire()
        times.append(fake.now)
    achieved = (len(times) - 1) / (times[-1] - times[0])
    assert achieved >= 0.97 * 40  # a schedule counted from each late wake would give 40 / 1.4 ≈ 29 a second
    assert max_in_window(times) <= 40
