import dataclasses
import threading

import pytest

from fashionai.compare._fanout import TaskResult, fan_out

WAIT = 5  # seconds before a test that should never wait this long gives up


def test_results_keep_input_order_when_later_tasks_finish_first():
    # "c" finishes first; "b" waits until "c" is reported, "a" until "b" is.
    reported = {name: threading.Event() for name in "abc"}

    def lane(name, after=None):
        def run():
            if after is not None and not reported[after].wait(WAIT):
                raise TimeoutError(f"{after} was never reported")
            return name.upper()

        return run

    finished = []

    def on_done(result, done, total):
        finished.append(result.name)
        reported[result.name].set()

    results = fan_out(
        {"a": lane("a", after="b"), "b": lane("b", after="c"), "c": lane("c")}, on_done=on_done
    )
    assert finished == ["c", "b", "a"]
    assert [r.name for r in results] == ["a", "b", "c"]
    assert [r.value for r in results] == ["A", "B", "C"]
    assert all(r.error is None for r in results)


def test_an_exception_stays_in_its_task():
    boom = ValueError("boom")

    def fail():
        raise boom

    results = fan_out([("first", lambda: 1), ("broken", fail), ("last", lambda: 3)])
    assert [(r.name, r.value, r.error) for r in results] == [
        ("first", 1, None),
        ("broken", None, boom),
        ("last", 3, None),
    ]
    assert [r.ok for r in results] == [True, False, True]


def test_tasks_run_concurrently():
    # The barrier only opens when all eight tasks are waiting at it together.
    barrier = threading.Barrier(8, timeout=WAIT)
    results = fan_out({f"lane {i}": barrier.wait for i in range(8)}, max_workers=8)
    assert [r.error for r in results] == [None] * 8


def test_max_workers_bounds_how_many_tasks_run_at_once():
    lock = threading.Lock()
    running = 0
    peak = 0
    pairs = threading.Barrier(2, timeout=WAIT)  # tasks go through two at a time

    def lane():
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
        pairs.wait()
        with lock:
            running -= 1

    results = fan_out([(str(i), lane) for i in range(6)], max_workers=2)
    assert [r.error for r in results] == [None] * 6
    assert peak == 2


def test_on_done_reports_progress_from_the_calling_thread():
    calls = []
    caller = threading.get_ident()
    fan_out(
        {name: (lambda: None) for name in "xyz"},
        on_done=lambda result, done, total: calls.append((threading.get_ident(), done, total)),
    )
    assert calls == [(caller, 1, 3), (caller, 2, 3), (caller, 3, 3)]


def test_results_are_frozen_and_timed():
    (result,) = fan_out({"only": lambda: "value"})
    assert result == TaskResult("only", "value", None, result.elapsed)
    assert result.elapsed >= 0
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.value = "other"


def test_no_tasks_give_no_results():
    assert fan_out({}) == []


def test_max_workers_must_be_positive():
    with pytest.raises(ValueError, match="max_workers"):
        fan_out({"a": lambda: 1}, max_workers=0)
