"""Benchmark a query set run as an audit plan under its rate limit, against the simulator on loopback (issue 24,
item 6: 1,000 queries × 20 shoppers run at >= 0.9 of the configured rate).

    .venv/bin/python benchmarks/search_throughput.py [--queries 1000] [--shoppers 20] [--rate 40] [--latency 0.05]

Serves the simulator over loopback HTTP with `Faults(latency=...)` (the bundled sample catalog) and runs a plan
of `--shoppers` pasted sessions, each opening one category and then searching each of `--queries` queries drawn
from the catalog (`relevance.queries.catalog_queries`: categories, brands, colours and names with a typo) once:
a site search, page 1, K results, through the audit runner at `--rate` requests per second, stored in a
throwaway history. The arrival of every request at the server is timed (`audit_throughput`'s way). Prints:

- throughput_ratio: the rate achieved (requests over the time from the first to the last) / the configured rate
  (goal >= 0.9);
- max_window: the most requests that arrived within any 1-second window (goal <= the rate).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.audit_throughput import GOAL, rate_of, timed_run, timed_simulator  # noqa: E402
from fashionai.audit.plan import AuditPlan, PastedShopper  # noqa: E402
from fashionai.audit.search_plan import MAX_PLAN_QUERIES, with_searches  # noqa: E402
from fashionai.catalog import load_catalog  # noqa: E402
from fashionai.catalog.sample import SAMPLE_CATALOG_PATH  # noqa: E402
from fashionai.domain import EventType  # noqa: E402
from fashionai.relevance.queries import catalog_queries  # noqa: E402


def query_plan(catalog, queries: int, shoppers: int, rate: float, concurrency: int) -> AuditPlan:
    """`shoppers` pasted sessions, one category page each, then each of the first `queries` queries drawn from
    the catalog."""
    drawn = catalog_queries(catalog, per_kind=MAX_PLAN_QUERIES).queries[:queries]
    if len(drawn) < queries:
        raise SystemExit(f"the catalog gives {len(drawn)} queries, fewer than the {queries} asked for")
    plan = AuditPlan(name="Search throughput", categories=(catalog.categories[0],), synthetic_personas=0,
                     stability_twins=0, rate=rate, concurrency=concurrency, product_sample=0,
                     placements=(EventType.CATEGORY_VIEW,),
                     sessions=tuple(PastedShopper(f"bench-search-{n}") for n in range(shoppers)))
    return with_searches(plan, drawn)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--queries", type=int, default=MAX_PLAN_QUERIES)
    parser.add_argument("--shoppers", type=int, default=20)
    parser.add_argument("--rate", type=float, default=40.0)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--strict", action="store_true", help="exit 1 when a goal is missed")
    args = parser.parse_args(argv)

    catalog = load_catalog(SAMPLE_CATALOG_PATH)
    with timed_simulator(catalog, args.latency) as (base_url, arrivals), tempfile.TemporaryDirectory() as folder:
        plan = query_plan(catalog, args.queries, args.shoppers, args.rate, args.concurrency)
        calls, wall = timed_run(catalog, plan, base_url, arrivals, folder)
        achieved, window = rate_of(arrivals)
    ratio = achieved / args.rate
    print(f"{args.queries} queries × {args.shoppers} shoppers: {calls} calls ({args.queries * args.shoppers} of them searches) at "
          f"{args.rate:g}/s, {args.latency * 1000:.0f} ms latency, {args.concurrency} workers")
    print(f"run {wall:.1f} s, achieved {achieved:.2f}/s")
    print(f"throughput_ratio {ratio:.3f} (goal >= {GOAL})")
    print(f"max_window {window} (goal <= {args.rate:g}: requests that arrived within any one second)")
    ok = ratio >= GOAL and window <= args.rate
    print("goal met" if ok else f"goal missed (ratio >= {GOAL}, max_window <= {args.rate:g})")
    return 0 if ok or not args.strict else 1


if __name__ == "__main__":
    sys.exit(main())
