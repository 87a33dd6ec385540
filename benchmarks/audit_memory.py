"""Benchmark an audit's memory: a 100,000-call run holds no more than a 10,000-call one (goal <= 1.2x).

    .venv/bin/python benchmarks/audit_memory.py [--small 10000] [--large 100000] [--traced]

Runs two audits on the in-process simulator (the bundled sample catalog, every category
with its sampled product pages, shoppers given by session) into a throwaway history, on a clock
that never really waits (the rate limit is not what is measured). Prints memory_ratio = the
large run's peak / the small run's peak, where the peak is:

- by default, the whole process's peak resident memory (each run in a fresh process, as the
  CLI runs it: catalog, simulator, store and the run);
- with --traced, only the Python memory allocated during the run (tracemalloc, after the
  catalog and simulator are loaded): a far stricter ratio, and about ten times slower.
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fashionai.api.client import FashionAIClient  # noqa: E402
from fashionai.audit.model import MAX_PASTED, MAX_PRODUCT_SAMPLE  # noqa: E402
from fashionai.audit.plan import AuditPlan, PastedShopper, resolve_plan  # noqa: E402
from fashionai.audit.runner import start_run  # noqa: E402
from fashionai.audit.store import AuditStore  # noqa: E402
from fashionai.catalog import load_catalog  # noqa: E402
from fashionai.catalog.sample import SAMPLE_CATALOG_PATH  # noqa: E402
from fashionai.domain import EventType  # noqa: E402
from fashionai.history import HistoryStore  # noqa: E402
from fashionai.simulator import Simulator, SimulatorTransport  # noqa: E402

GOAL = 1.2


class VirtualTime:
    """A clock that moves only when someone sleeps: the rate limit costs no real time."""

    def __init__(self) -> None:
        self.now, self._lock = 0.0, threading.Lock()

    def clock(self) -> float:
        with self._lock:
            return self.now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.now += seconds


def plan_of(catalog, calls: int) -> AuditPlan:
    """Shoppers (sessions given, as a plan's pasted ones) over every category with their product pages,
    the fewest that make at least `calls` calls."""
    def plan(shoppers: int) -> AuditPlan:
        return AuditPlan(name=f"Memory {calls}", synthetic_personas=0, stability_twins=0, rate=500.0,
                         concurrency=4, product_sample=MAX_PRODUCT_SAMPLE,
                         sessions=tuple(PastedShopper(f"bench-{n}") for n in range(shoppers)),
                         placements=(EventType.CATEGORY_VIEW, EventType.PRODUCT_VIEW))

    low, high = 1, MAX_PASTED
    while low < high:
        middle = (low + high) // 2
        if resolve_plan(plan(middle), catalog, "0" * 32).total_calls >= calls:
            high = middle
        else:
            low = middle + 1
    return plan(low)


def peak_of(catalog, calls: int, folder: str) -> tuple[int, int, float]:
    """(calls made, peak bytes allocated during the run, seconds)."""
    simulator = Simulator(catalog.products)
    client = FashionAIClient("bench-token", base_url="http://sim/api/v1", transport=SimulatorTransport(simulator))
    history = HistoryStore(f"sqlite:///{folder}/history-{calls}.db", max_age_days=None, max_count=None)
    audits = AuditStore(history)
    audits.runs()  # the tables made before tracing
    fake = VirtualTime()
    gc.collect()
    tracemalloc.start()
    started = time.monotonic()
    run = start_run(audits, client, plan_of(catalog, calls), catalog, backend="simulator", catalog_name="sample",
                    max_calls=None, clock=fake.clock, sleep=fake.sleep).run()
    seconds = time.monotonic() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    history.close()
    client.close()
    assert run.done_calls == run.total_calls, run
    return run.total_calls, peak, seconds


def process_peak_of(calls: int) -> tuple[int, int, float]:
    """(calls made, the process's peak resident bytes, seconds): one run in a fresh process."""
    done = subprocess.run([sys.executable, __file__, "--one", str(calls)], check=True, capture_output=True, text=True)
    made, peak, seconds = json.loads(done.stdout.strip().splitlines()[-1])
    return made, peak, seconds


def one(calls: int) -> None:
    """The child of process_peak_of: run, then print [calls, peak resident bytes, seconds]."""
    catalog = load_catalog(SAMPLE_CATALOG_PATH)
    with tempfile.TemporaryDirectory() as folder:
        simulator = Simulator(catalog.products)
        client = FashionAIClient("bench-token", base_url="http://sim/api/v1", transport=SimulatorTransport(simulator))
        history = HistoryStore(f"sqlite:///{folder}/history.db", max_age_days=None, max_count=None)
        fake = VirtualTime()
        started = time.monotonic()
        run = start_run(AuditStore(history), client, plan_of(catalog, calls), catalog, backend="simulator",
                        catalog_name="sample", max_calls=None, clock=fake.clock, sleep=fake.sleep).run()
        seconds = time.monotonic() - started
        assert run.done_calls == run.total_calls, run
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux
    print(json.dumps([run.total_calls, peak, seconds]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--traced", action="store_true", help="trace the run's own allocations (slow, strict)")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--strict", action="store_true", help="exit 1 when the ratio misses its goal")
    args = parser.parse_args(argv)
    if args.one:
        one(args.one)
        return 0
    if args.traced:
        catalog = load_catalog(SAMPLE_CATALOG_PATH)
        with tempfile.TemporaryDirectory() as folder:
            small = peak_of(catalog, args.small, folder)
            large = peak_of(catalog, args.large, folder)
        what = "allocated during the run"
    else:
        small, large = process_peak_of(args.small), process_peak_of(args.large)
        what = "resident, whole process"
    for calls, peak, seconds in (small, large):
        print(f"{calls:>7,} calls: peak {peak / 2**20:.1f} MiB {what}, {seconds:.1f} s")
    ratio = large[1] / small[1]
    print(f"memory_ratio {ratio:.3f} (goal <= {GOAL})")
    print("goal met" if ratio <= GOAL else f"goal missed (<= {GOAL})")
    return 0 if ratio <= GOAL or not args.strict else 1


if __name__ == "__main__":
    sys.exit(main())
