"""Benchmark an audit's throughput under its rate limit, against the simulator on loopback.

    .venv/bin/python benchmarks/audit_throughput.py [--calls 2000] [--rate 40] [--latency 0.05]

Serves the simulator over loopback HTTP with `Faults(latency=...)` (the bundled sample
catalog) and runs an audit of about `--calls` calls (shoppers over every
category and three product pages of each) at `--rate` requests per second, stored in a throwaway history. The arrival of
every request at the server is timed. Prints:

- throughput_ratio: the rate achieved (requests over the time from the first to the last)
  / the configured rate (goal >= 0.9);
- max_window: the most requests that arrived within any 1-second window (goal <= the rate);
- baseline_ratio: the same calls at no limit (the highest rate a plan takes, with the most
  workers) against the limited run's time: how much the limit, not the API, held it back.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fashionai.api.client import FashionAIClient  # noqa: E402
from fashionai.audit.model import MAX_CONCURRENCY, MAX_PASTED, RATE_RANGE  # noqa: E402
from fashionai.audit.plan import AuditPlan, PastedShopper, resolve_plan  # noqa: E402
from fashionai.audit.runner import start_run  # noqa: E402
from fashionai.audit.store import AuditStore  # noqa: E402
from fashionai.catalog import load_catalog  # noqa: E402
from fashionai.catalog.sample import SAMPLE_CATALOG_PATH  # noqa: E402
from fashionai.domain import EventType  # noqa: E402
from fashionai.history import HistoryStore  # noqa: E402
from fashionai.simulator import Faults, Simulator, start_server  # noqa: E402

GOAL = 0.9


def plan_of(catalog, calls: int, rate: float, concurrency: int) -> AuditPlan:
    """Shoppers (sessions given, as a plan's pasted ones) over every category and three product pages of
    each, the fewest that make at least `calls` calls."""
    def plan(personas: int) -> AuditPlan:
        return AuditPlan(name="Throughput", synthetic_personas=0, stability_twins=0, rate=rate,
                         concurrency=concurrency, sessions=tuple(PastedShopper(f"bench-{n}") for n in range(personas)),
                         placements=(EventType.CATEGORY_VIEW, EventType.PRODUCT_VIEW), product_sample=3)

    low, high = 1, MAX_PASTED
    while low < high:
        middle = (low + high) // 2
        if resolve_plan(plan(middle), catalog, "0" * 32).total_calls >= calls:
            high = middle
        else:
            low = middle + 1
    return plan(low)


def max_window(times: list[float], window: float = 1.0) -> int:
    times, best, start = sorted(times), 0, 0
    for end, moment in enumerate(times):
        while moment - times[start] >= window:
            start += 1
        best = max(best, end - start + 1)
    return best


def timed_run(catalog, plan: AuditPlan, base_url: str, arrivals: list[float], folder: str) -> tuple[int, float]:
    history = HistoryStore(f"sqlite:///{folder}/history-{plan.rate:g}.db", max_age_days=None, max_count=None)
    client = FashionAIClient("bench-token", base_url=base_url, timeout=30)
    arrivals.clear()
    started = time.monotonic()
    run = start_run(AuditStore(history), client, plan, catalog, backend="simulator", catalog_name="sample",
                    max_calls=None).run()
    wall = time.monotonic() - started
    client.close()
    history.close()
    assert run.done_calls == run.total_calls, run
    return run.total_calls, wall


@contextmanager
def timed_simulator(catalog, latency: float) -> Iterator[tuple[str, list[float]]]:
    """The simulator of `catalog` served on loopback with `latency`, each request's arrival time kept in the list
    given with its base URL (in order); stopped afterwards."""
    simulator = Simulator(catalog.products, faults=Faults(latency=latency))
    arrivals: list[float] = []
    lock = threading.Lock()
    handle = simulator.handle

    def timed_handle(*a, **k):
        with lock:
            arrivals.append(time.monotonic())
        return handle(*a, **k)

    simulator.handle = timed_handle  # type: ignore[method-assign]
    server, _, base_url = start_server(simulator)
    try:
        yield base_url, arrivals
    finally:
        server.shutdown()
        server.server_close()


def rate_of(arrivals: list[float]) -> tuple[float, int]:
    """The rate achieved (requests over the time from the first to the last) and the most in any one second."""
    span = max(arrivals) - min(arrivals)
    return ((len(arrivals) - 1) / span if span > 0 else float("inf")), max_window(arrivals)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--rate", type=float, default=40.0)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--strict", action="store_true", help="exit 1 when a goal is missed")
    args = parser.parse_args(argv)

    catalog = load_catalog(SAMPLE_CATALOG_PATH)
    with timed_simulator(catalog, args.latency) as (base_url, arrivals), tempfile.TemporaryDirectory() as folder:
        plan = plan_of(catalog, args.calls, args.rate, args.concurrency)
        calls, wall = timed_run(catalog, plan, base_url, arrivals, folder)
        achieved, window = rate_of(arrivals)
        free = plan_of(catalog, args.calls, RATE_RANGE[1], MAX_CONCURRENCY)
        free = AuditPlan(**{**free.__dict__, "name": "Baseline"})
        _, baseline_wall = timed_run(catalog, free, base_url, arrivals, folder)
    ratio = achieved / args.rate
    print(f"calls {calls} at {args.rate:g}/s, {args.latency * 1000:.0f} ms latency, {args.concurrency} workers")
    print(f"limited run {wall:.1f} s, achieved {achieved:.2f}/s; baseline (no limit) {baseline_wall:.1f} s")
    print(f"throughput_ratio {ratio:.3f} (goal >= {GOAL})")
    print(f"max_window {window} (goal <= {args.rate:g}: requests that arrived within any one second)")
    print(f"baseline_ratio {baseline_wall / wall:.3f}")
    ok = ratio >= GOAL and window <= args.rate
    print("goal met" if ok else f"goal missed (ratio >= {GOAL}, max_window <= {args.rate:g})")
    return 0 if ok or not args.strict else 1


if __name__ == "__main__":
    sys.exit(main())
