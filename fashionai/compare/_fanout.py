"""Run several zero-argument tasks (e.g. one recommendation call per lane) at once in threads.

`fan_out` runs each task in a thread pool and returns one `TaskResult` per task, in
input order. A task that raises does not disturb the others: its exception is kept
in its result. Tasks run in worker threads, so they must not call Streamlit;
`on_done` runs in the caller's thread and may.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class TaskResult:
    """What one task produced: `value` when it returned, `error` when it raised.

    elapsed is the task's own running time in seconds (not its wait for a worker).
    """

    name: str
    value: object  # what the task returned (None when it raised), read by the caller that gave the task
    error: BaseException | None
    elapsed: float

    @property
    def ok(self) -> bool:
        return self.error is None


Tasks = Mapping[str, Callable[[], Any]] | Sequence[tuple[str, Callable[[], Any]]]
OnDone = Callable[[TaskResult, int, int], None]


def _run(name: str, task: Callable[[], Any]) -> TaskResult:
    start = time.perf_counter()
    try:
        value = task()
    except Exception as err:  # noqa: BLE001 - isolate the task; KeyboardInterrupt and the like still propagate
        return TaskResult(name, None, err, time.perf_counter() - start)
    return TaskResult(name, value, None, time.perf_counter() - start)


def fan_out(
    tasks: Tasks, *, max_workers: int = 8, on_done: OnDone | None = None
) -> list[TaskResult]:
    """Run every task concurrently; return their results in input order.

    tasks maps names to zero-argument callables (or is a sequence of (name,
    callable) pairs). At most max_workers tasks run at once. on_done, if given, is
    called in the calling thread as each task finishes, with (result, number
    finished so far, total): use it for progress. If on_done raises, tasks not yet
    started are cancelled and the exception propagates once the running ones finish.
    """
    if max_workers < 1:
        raise ValueError(f"max_workers must be at least 1, got {max_workers}")
    pairs = list(tasks.items()) if isinstance(tasks, Mapping) else list(tasks)
    if not pairs:
        return []

    results: list[TaskResult | None] = [None] * len(pairs)
    pool = ThreadPoolExecutor(max_workers=min(max_workers, len(pairs)), thread_name_prefix="fan-out")
    try:
        futures = {pool.submit(_run, name, task): i for i, (name, task) in enumerate(pairs)}
        for done, future in enumerate(as_completed(futures), start=1):
            result = future.result()
            results[futures[future]] = result
            if on_done is not None:
                on_done(result, done, len(pairs))
    finally:  # on an error, drop tasks not yet started and wait for running ones
        pool.shutdown(wait=True, cancel_futures=True)
    return results  # type: ignore[return-value]  # every slot is filled above
