"""Audit runs in the background: one thread a run, watched and cancelled by id."""

from __future__ import annotations

import threading

from fashionai.audit import background


class FakeRunner:
    def __init__(self, run_id: str, fail: bool = False) -> None:
        self.run_id = run_id
        self.release = threading.Event()
        self.cancelled = False
        self.fail = fail

    def run(self):
        self.release.wait(5)
        if self.fail:
            raise RuntimeError("boom")
        return "done"

    def cancel(self):
        self.cancelled = True
        self.release.set()


def test_a_run_runs_once_in_the_background_and_can_be_cancelled():
    runner = FakeRunner("a" * 32)
    assert background.start_in_background(runner)
    assert background.active(runner.run_id) is runner
    assert not background.start_in_background(FakeRunner("a" * 32))  # already running here: not twice
    assert background.cancel(runner.run_id) and runner.cancelled
    assert background.wait(runner.run_id, timeout=5)
    assert background.active(runner.run_id) is None
    assert not background.cancel(runner.run_id)


def test_a_runner_that_raises_ends_its_thread_without_taking_the_server_down(caplog):
    runner = FakeRunner("b" * 32, fail=True)
    background.start_in_background(runner)
    runner.release.set()
    assert background.wait(runner.run_id, timeout=5)
    assert background.active(runner.run_id) is None
    assert "stopped unexpectedly" in caplog.text


def test_an_unknown_run_is_not_active():
    assert background.active("c" * 32) is None
    assert background.wait("c" * 32)
