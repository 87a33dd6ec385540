"""Audit runs working in the background of this server: started from the page, watched from any browser session.

    started = start_in_background(runner)   # a daemon thread runs runner.run()
    active(run_id)                           # the runner while its thread lives, else None
    cancel(run_id)                           # asks it to stop after its calls in flight

A run is stored as it goes (fashionai.audit.store), so a server that stops loses only
the calls in flight: the run shows as stopped and can be resumed.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:  # the runner module imports more than this one needs at run time
    from fashionai.audit.runner import Progress

log = logging.getLogger(__name__)


class Runner(Protocol):
    @property
    def run_id(self) -> str: ...

    @property
    def progress(self) -> Progress: ...

    def run(self) -> object: ...

    def cancel(self) -> None: ...


_LOCK = threading.Lock()
_RUNNING: dict[str, tuple[Runner, threading.Thread]] = {}


def start_in_background(runner: Runner, *, then: Callable[[Any], None] | None = None) -> bool:
    """Run `runner` in a daemon thread, then `then(what it returned)` there (the activity log's "audit finished");
    False (nothing started) when that run is already running here."""
    run_id = runner.run_id
    with _LOCK:
        held = _RUNNING.get(run_id)
        if held is not None and held[1].is_alive():
            return False

        def work() -> None:
            try:
                ended = runner.run()
                if then is not None:
                    then(ended)
            except Exception:  # the runner stores its own failure; this is the last guard of its thread
                log.exception("Audit run %s stopped unexpectedly", run_id[:8])

        thread = threading.Thread(target=work, name=f"audit-{run_id[:8]}", daemon=True)
        _RUNNING[run_id] = (runner, thread)
        thread.start()
        return True


def active(run_id: str) -> Runner | None:
    """The runner of `run_id` while it runs in this server, else None."""
    with _LOCK:
        held = _RUNNING.get(run_id)
        if held is None:
            return None
        if not held[1].is_alive():
            del _RUNNING[run_id]
            return None
        return held[0]


def cancel(run_id: str) -> bool:
    """Ask the run to stop (it stores what it has, and can be resumed); False when it is not running here."""
    runner = active(run_id)
    if runner is None:
        return False
    runner.cancel()
    return True


def wait(run_id: str, timeout: float | None = None) -> bool:
    """Wait for the run's thread to end (tests, the command line); True when it has."""
    with _LOCK:
        held = _RUNNING.get(run_id)
    if held is None:
        return True
    held[1].join(timeout)
    return not held[1].is_alive()
