"""`python -m fashionai audit run | resume` in the terminal: the run driven in a worker thread, so that Ctrl+C or
SIGTERM cancels it (what was made stays stored), its progress on stderr, the run's id last, and the exit code
(split out of cli.py by job)."""

from __future__ import annotations

import signal
import sys
import threading
import time
from collections.abc import Callable
from types import FrameType
from typing import Any, TextIO

from fashionai.audit._cli_team import ShellLog
from fashionai.audit.model import RUN_STATUS_LABELS, RunStatus
from fashionai.audit.runner import AuditRunner, Progress
from fashionai.text.formatting import duration_words

EXIT_DONE, EXIT_FAILED, EXIT_REFUSED, EXIT_INTERRUPTED, EXIT_TERMINATED = 0, 1, 2, 130, 143
PROGRESS_EVERY = 1.0
"""Seconds between two progress lines."""


class Terminated(BaseException):
    """SIGTERM arrived while a run was driven: treated as Ctrl+C (the run is cancelled, resumable), exit 143."""


def _terminate(signum: int, frame: FrameType | None) -> None:
    raise Terminated


# --------------------------------------------------------------------------- running in the terminal


def drive(runner: AuditRunner, logbook: ShellLog) -> int:
    """Run in a worker thread so that Ctrl+C or SIGTERM cancels it (what was made stays stored); the run's id last."""
    result: dict[str, Any] = {}
    finished = threading.Event()  # waited on, not the thread: a join cut by Ctrl+C can lose track of it

    def work() -> None:
        try:
            result["run"] = runner.run()
        finally:
            finished.set()

    in_main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _terminate) if in_main else None
    threading.Thread(target=work, name="fashionai-audit", daemon=True).start()
    interrupted = terminated = False
    try:
        while not finished.is_set():
            try:
                finished.wait(0.2)
            except (KeyboardInterrupt, Terminated) as stop:
                if not interrupted:
                    why = "SIGTERM" if isinstance(stop, Terminated) else "Ctrl+C"
                    print(f"\n{why}: stopping after the calls in flight (what was made is kept)…", file=sys.stderr)
                interrupted, terminated = True, terminated or isinstance(stop, Terminated)
                runner.cancel()
    finally:
        if in_main:
            signal.signal(signal.SIGTERM, previous if previous is not None else signal.SIG_DFL)
    run = result.get("run", runner.record)
    logbook.ended(run)
    print(file=sys.stderr)
    print(f"{RUN_STATUS_LABELS.get(run.status, run.status)}: {run.done_calls:,} of {run.total_calls:,} calls."
          + (f" {run.message}" if run.message else ""), file=sys.stderr)
    if run.status in (RunStatus.CANCELLED, RunStatus.FAILED):
        print(f"Resume it with: python -m fashionai audit resume {run.short_id}", file=sys.stderr)
    print(run.id, flush=True)
    if run.status == RunStatus.DONE:
        return EXIT_DONE
    if terminated:
        print("Stopped by SIGTERM: the run is cancelled and can be resumed (exit 143).", file=sys.stderr)
        return EXIT_TERMINATED
    return EXIT_INTERRUPTED if interrupted or run.status == RunStatus.CANCELLED else EXIT_FAILED


def printer(stream: TextIO | None = None, every: float = PROGRESS_EVERY) -> Callable[[Progress], None]:
    """Progress lines on stderr, at most one every `every` seconds (one line rewritten on a terminal)."""
    stream = stream or sys.stderr
    last: list[Any] = [0.0, ""]
    lock = threading.Lock()
    tty = bool(getattr(stream, "isatty", lambda: False)())

    def show(progress: Progress) -> None:
        now, words = time.monotonic(), progress_words(progress)
        with lock:
            if words == last[1] or (now - last[0] < every and progress.done < progress.total):
                return
            last[0], last[1] = now, words
        stream.write(("\r" if tty else "") + words + ("" if tty else "\n"))
        stream.flush()

    return show


def progress_words(progress: Progress) -> str:
    """One line: calls done of all, the rate, the time left, errors, a 429 pause."""
    words = f"{progress.done:,}/{progress.total:,} calls ({progress.share:.0%})"
    if progress.calls_per_second:
        words += f" · {progress.calls_per_second:.1f}/s"
    if progress.eta_seconds is not None and progress.done < progress.total:
        words += f" · about {duration_words(progress.eta_seconds)} left"
    if progress.errors:
        words += f" · {progress.errors:,} failed"
    if progress.paused_seconds > 0:
        words += f" · paused by Fashion.AI (429) for {progress.paused_seconds:.0f} s"
    return words
