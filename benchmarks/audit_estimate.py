"""Benchmark an audit's estimate over a catalog of many categories: counted (what the Audits page and `audit run`
do before anything else) against walking every call of the resolved plan (what they did before).

    .venv/bin/python benchmarks/audit_estimate.py [--categories 100000] [--per-category 2]

Writes a catalog of `--categories` categories of `--per-category` products each (three colours, two styles),
then times, on the example plan (every category, five personas, two of them twice): `plan_estimate` (a second
time too: the catalog's categories are indexed by the first) and `estimate_plan(resolve_plan(...))` walking the
calls as before. Prints estimate_ratio = counted (second time) / resolved and walked (goal <= 0.2), and checks
both count the same calls.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

from fashionai.audit.estimate import plan_estimate  # noqa: E402
from fashionai.audit.plan import example_plan, resolve_plan  # noqa: E402
from fashionai.catalog import load_catalog  # noqa: E402

GOAL = 0.2


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--categories", type=int, default=100_000)
    parser.add_argument("--per-category", type=int, default=2)
    args = parser.parse_args()
    n = args.categories * args.per_category
    ids = [f"p{i}" for i in range(n)]
    frame = pd.DataFrame({"id": ids, "name": ids, "category": [f"c{i % args.categories}" for i in range(n)],
                          "price": [i % 97 + 1 for i in range(n)], "color": [("red", "blue", "black")[i % 3]
                                                                              for i in range(n)],
                          "style": [("a", "b")[i % 2] for i in range(n)], "stock": 1})
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "catalog.csv"
        frame.to_csv(path, index=False)
        catalog = load_catalog(path)
        plan = example_plan(catalog)
        start = time.perf_counter()
        first = plan_estimate(plan, catalog)
        counted_first = time.perf_counter() - start
        start = time.perf_counter()
        counted = plan_estimate(plan, catalog)
        counted_again = time.perf_counter() - start
        start = time.perf_counter()
        walked = Counter(call.event_type for call in resolve_plan(plan, catalog, "0" * 32).all_calls())
        resolved_walked = time.perf_counter() - start
    assert first.calls == counted.calls == sum(walked.values()), (counted.calls, sum(walked.values()))
    print(f"{args.categories:,} categories, {n:,} products, {counted.calls:,} calls: counted {counted_first:.2f} s "
          f"(again {counted_again:.2f} s), resolved and walked {resolved_walked:.2f} s")
    print(f"estimate_ratio {counted_again / resolved_walked:.3f} (goal <= {GOAL})")


if __name__ == "__main__":
    main()
