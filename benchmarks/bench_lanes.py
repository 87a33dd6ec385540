"""Benchmark the lane fan-out: 8 lanes against a loopback API that answers in 300 ms.

    .venv/bin/python benchmarks/bench_lanes.py [--latency 0.3] [--lanes 8] [--runs 3]

Serves the simulator over loopback HTTP with `Faults(latency=...)` (the bundled
sample catalog), then, in the same run and through the same client:

- one call: a categoryView for one session;
- the lanes: `compare_lanes` with `--lanes` session lanes, each a categoryView of
  its own session, fetched at once, up to the Comparison holding every lane.

The measures and chart frames are computed when the page first reads them; their
time is printed too, apart from the ratio.

Prints lanes_ratio = lanes' wall time / one call's time (goal < 2: the lanes run
side by side, not one after another). Both sides are the median of `--runs`, after
one warm-up call; every session is new, so each call does the same work.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fashionai.api.client import FashionAIClient  # noqa: E402
from fashionai.catalog import load_catalog  # noqa: E402
from fashionai.catalog.sample import SAMPLE_CATALOG_PATH  # noqa: E402
from fashionai.compare.fetch import compare_lanes  # noqa: E402
from fashionai.compare.lanes import session_lane  # noqa: E402
from fashionai.simulator import Faults, Simulator, start_server  # noqa: E402
from fashionai.text.formatting import new_session_id  # noqa: E402

GOAL = 2.0
TOKEN = "bench-token"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--latency", type=float, default=0.3, help="seconds the API takes per call")
    parser.add_argument("--lanes", type=int, default=8)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--strict", action="store_true", help="exit 1 when the ratio misses its goal")
    args = parser.parse_args(argv)

    catalog = load_catalog(SAMPLE_CATALOG_PATH)
    category = catalog.categories[0]
    simulator = Simulator(catalog.products, token=TOKEN, faults=Faults(latency=args.latency))
    server, thread, base_url = start_server(simulator)
    try:
        with FashionAIClient(TOKEN, base_url=base_url, timeout=10 * args.latency + 5) as client:
            client.category_view(new_session_id("bench-warmup"), category)

            singles, fans, measures = [], [], []
            for _ in range(args.runs):
                started = time.perf_counter()
                client.category_view(new_session_id("bench-one"), category)
                singles.append(time.perf_counter() - started)

                specs = [session_lane(new_session_id(f"bench-lane{i}")) for i in range(args.lanes)]
                started = time.perf_counter()
                comparison = compare_lanes(client, catalog, category, specs)
                fans.append(time.perf_counter() - started)
                started = time.perf_counter()
                _ = comparison.pairwise, comparison.matrices, comparison.rank_long, comparison.lift
                measures.append(time.perf_counter() - started)
                failed = [lane.label for lane in comparison.lanes if not lane.ok]
                if failed:
                    print(f"lanes failed: {failed}", file=sys.stderr)
                    return 1
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)

    one, fan = statistics.median(singles), statistics.median(fans)
    print(f"one call {one * 1000:.0f} ms, {args.lanes} lanes {fan * 1000:.0f} ms "
          f"(latency {args.latency * 1000:.0f} ms, median of {args.runs})")
    print(f"measures and chart frames of the {args.lanes} lanes, computed afterwards: "
          f"{statistics.median(measures) * 1000:.0f} ms (not part of the ratio)")
    ratio = fan / one
    print(f"lanes_ratio {ratio:.2f} (goal < {GOAL:g})")
    return 1 if args.strict and ratio >= GOAL else 0  # a slow, busy machine misses it: read, don't fail


if __name__ == "__main__":
    sys.exit(main())
