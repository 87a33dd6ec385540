"""Benchmark a search over a large catalog against the same search over a catalog of just its matches.

    .venv/bin/python benchmarks/bench_search.py [--rows 1000000] [--query "vestido azul"] [--runs 5]

Generates a catalog of `--rows` products (the sample's generator) and a second catalog holding only the
products the query matches there; serves the simulator over loopback for each, and times, through the same
client, what a search page needs for a query: `client.search` (a page of 20) and its ids joined with the
catalog (`join_ranking`). Each side is timed on a new session every run, after one warm-up search (which
builds the simulator's index of the catalog's text, once per catalog: its time is printed apart).

Prints search_ratio = the large catalog's median / the small one's (goal <= 1.5: a search costs what it
matches, not the catalog's size), the runs alternating so both sides see the same load.
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
from fashionai.catalog import join_ranking, load_catalog  # noqa: E402
from fashionai.catalog.sample import generate_catalog  # noqa: E402
from fashionai.simulator import Simulator, start_server  # noqa: E402
from fashionai.text.formatting import new_session_id  # noqa: E402

GOAL = 1.5
TOKEN = "bench-token"


class Side:
    """One catalog served by its own simulator, with a client to it."""

    def __init__(self, frame, name: str) -> None:
        started = time.perf_counter()
        self.catalog = load_catalog(frame.to_csv(index=False).encode(), name=name)
        self.simulator = Simulator(self.catalog.products, token=TOKEN)
        self.server, _, base_url = start_server(self.simulator)
        self.client = FashionAIClient(TOKEN, base_url=base_url, timeout=120)
        self.loaded = time.perf_counter() - started

    def search(self, query: str) -> float:
        started = time.perf_counter()
        answer = self.client.search(new_session_id("bench"), query)
        join_ranking(self.catalog, answer.items)
        return time.perf_counter() - started

    def close(self) -> None:
        self.client.close()
        self.server.shutdown()
        self.server.server_close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--query", default="vestido azul")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--strict", action="store_true", help="exit 1 when the ratio misses its goal")
    args = parser.parse_args(argv)

    frame = generate_catalog(args.rows, images="none")
    large = Side(frame, "large")
    try:
        started = time.perf_counter()
        large.search(args.query)  # builds the index of the catalog's text
        print(f"index_seconds {time.perf_counter() - started:.2f} (the first search over {args.rows:,} products)")
        rows, _ = large.simulator._search.matches(args.query)
        small = Side(frame.iloc[sorted(rows.tolist())], "matches")
        try:
            small.search(args.query)
            print(f"matches {len(rows):,} of {args.rows:,} products")
            big_times, small_times = [], []
            for _ in range(args.runs):
                big_times.append(large.search(args.query))
                small_times.append(small.search(args.query))
        finally:
            small.close()
    finally:
        large.close()
    big, little = statistics.median(big_times), statistics.median(small_times)
    print(f"search_large_ms {big * 1000:.1f}")
    print(f"search_matches_ms {little * 1000:.1f}")
    ratio = big / little
    print(f"search_ratio {ratio:.2f} (goal <= {GOAL}; median of {args.runs} runs each)")
    return 1 if args.strict and ratio > GOAL else 0


if __name__ == "__main__":
    sys.exit(main())
