"""Run several lanes (e.g. one recommendation call per shopper) at once.

`fetch_lanes` runs each lane's callable in a thread pool and returns one
`LaneResult` per lane, in input order. A lane that raises does not disturb the
others: its exception is kept in its result. Lane callables run in worker threads,
so they must not call Streamlit; `on_done` runs in the caller's thread and may.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class LaneResult:
    """What one lane produced: `value` when it returned, `error` when it raised.

    elapsed is the lane's own running time in seconds (not its wait for a worker).
    """

    name: str
    value: Any | None
    error: BaseException | None
    elapsed: float

    @property
    def ok(self) -> bool:
        return self.error is None


Tasks = Mapping[str, Callable[[], Any]] | Sequence[tuple[str, Callable[[], Any]]]
OnDone = Callable[[LaneResult, int, int], None]


def _run(name: str, task: Callable[[], Any]) -> LaneResult:
    start = time.perf_counter()
    try:
        value = task()
    except Exception as err:  # isolate the lane; KeyboardInterrupt and the like still propagate
        return LaneResult(name, None, err, time.perf_counter() - start)
    return LaneResult(name, value, None, time.perf_counter() - start)


def fetch_lanes(
    tasks: Tasks, *, max_workers: int = 8, on_done: OnDone | None = None
) -> list[LaneResult]:
    """Run every lane's callable concurrently; return their results in input order.

    tasks maps lane names to zero-argument callables (or is a sequence of
    (name, callable) pairs). At most max_workers lanes run at once. on_done, if
    given, is called in the calling thread as each lane finishes, with
    (result, number finished so far, total): use it for progress. If on_done raises,
    lanes not yet started are cancelled and the exception propagates once the running
    ones finish.
    """
    if max_workers < 1:
        raise ValueError(f"max_workers must be at least 1, got {max_workers}")
    pairs = list(tasks.items()) if isinstance(tasks, Mapping) else list(tasks)
    if not pairs:
        return []

    results: list[LaneResult | None] = [None] * len(pairs)
    pool = ThreadPoolExecutor(max_workers=min(max_workers, len(pairs)), thread_name_prefix="lane")
    try:
        futures = {pool.submit(_run, name, task): i for i, (name, task) in enumerate(pairs)}
        for done, future in enumerate(as_completed(futures), start=1):
            result = future.result()
            results[futures[future]] = result
            if on_done is not None:
                on_done(result, done, len(pairs))
    finally:  # on an error, drop lanes not yet started and wait for running ones
        pool.shutdown(wait=True, cancel_futures=True)
    return results  # type: ignore[return-value]  # every slot is filled above
