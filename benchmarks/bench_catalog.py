"""Benchmark catalog loading and joining, each against a baseline measured in the same run.

    .venv/bin/python benchmarks/bench_catalog.py [--rows 1000000] [--runs 5]

Writes a catalog CSV of `--rows` products to a temporary folder, then prints:

- load_ratio: load_catalog(path) time / pyarrow.csv.read_csv(path) time (goal <= 1.5);
  also shown: the time until Catalog.fingerprint, hashed in the background, is ready
- memory_ratio: peak extra memory of load_catalog / file size (goal <= 3); the peak is
  the process's VmHWM (arrow allocates outside tracemalloc's sight), each load in a
  fresh process
- join_ratio: join_ranking of 1,000 products of one category in the big catalog / the
  same join in a catalog holding only those 1,000 products (goal <= 1.5)
- preview_ratio: a storefront preview (preview_storefront: one categoryView call through
  FashionAIClient to the in-process simulator, its answer joined with the catalog) of a
  category of 1,000 products inside the big catalog / the same preview in a catalog that
  holds only that category, each with its own simulator over its own catalog and a
  session that has browsed before (goal <= 1.5)

Load timings are the best of `--runs`, alternating the two sides so a busy machine slows
both alike; join and preview timings the best of at least `TIMED_CALLS` alternating calls.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fashionai.api.client import FashionAIClient  # noqa: E402
from fashionai.catalog import join_ranking, load_catalog  # noqa: E402
from fashionai.simulator import Simulator, SimulatorTransport  # noqa: E402
from fashionai.storefront.preview import preview_storefront  # noqa: E402

LOAD_GOAL, MEMORY_GOAL, JOIN_GOAL, PREVIEW_GOAL = 1.5, 3.0, 1.5, 1.5
JOIN_SIZE = 1000
TIMED_CALLS = 200
"""The fewest calls of each side the join and preview ratios take their best from. A join takes a few
milliseconds: the best of 30 (`--runs 3`) moved from 1.20 to 1.69 between six runs in one process, the
best of 200 from 1.57 to 1.65 (2026-12-07, real-time priority on a shared 2-core machine)."""
SPOTLIGHT = "Vestidos de festa"
SIMULATOR_URL = "http://simulator.local/api/v1"


def write_catalog(path: Path, rows: int) -> None:
    """A catalog CSV with the sample's columns, quoted only where needed.

    `JOIN_SIZE` products spread evenly through the file are moved into a category of
    their own, `SPOTLIGHT`: the small category the join and preview ratios look at.
    """
    try:
        from fashionai.catalog.sample import generate_catalog
    except ImportError:
        table = _generated(rows)
    else:
        table = pa.Table.from_pandas(generate_catalog(rows, images="url"), preserve_index=False)
    spotlight = np.zeros(rows, dtype=bool)
    spotlight[np.linspace(0, rows - 1, min(JOIN_SIZE, rows)).astype(np.int64)] = True
    categories = pc.if_else(pa.array(spotlight), SPOTLIGHT, table["category"])
    table = table.set_column(table.schema.get_field_index("category"), "category", categories)
    pacsv.write_csv(table, path, pacsv.WriteOptions(quoting_style="needed"))


def write_category(path: Path, small_path: Path, category: str, size: int) -> None:
    """A catalog of the first `size` products of one category of the catalog at `path`."""
    table = pacsv.read_csv(path, convert_options=pacsv.ConvertOptions(
        column_types={"product_id": pa.string()}))
    rows = np.flatnonzero(table["category"].to_numpy(zero_copy_only=False) == category)[:size]
    pacsv.write_csv(table.take(rows), small_path, pacsv.WriteOptions(quoting_style="needed"))


def _generated(rows: int) -> pa.Table:
    """A stand-in for fashionai.catalog.sample: ids with leading zeros, R$-like prices."""
    rng = np.random.default_rng(7)
    ids = np.char.zfill(np.arange(1, rows + 1).astype(str), 8)
    categories = np.array([f"Category {i}" for i in range(40)])[rng.integers(0, 40, rows)]
    return pa.table({
        "product_id": ids,
        "name": np.char.add("Product ", ids),
        "category": categories,
        "color": np.array(["Black", "White", "Navy"])[rng.integers(0, 3, rows)],
        "style": np.array(["casual", "office", "sporty"])[rng.integers(0, 3, rows)],
        "brand": np.array(["Maré Alta", "Linha Norte"])[rng.integers(0, 2, rows)],
        "price": np.round(rng.uniform(30, 900, rows), 1) - 0.1,
        "stock": rng.integers(0, 50, rows),
        "image_url": np.char.add(np.char.add("https://img.example.com/p/", ids), ".jpg"),
    })


def measure(kind: str, path: Path) -> dict:
    """Time and peak extra memory of one load, in a fresh process."""
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(path)],
        check=True, capture_output=True, text=True,
    )
    return json.loads(out.stdout)


def _child(kind: str, path: str) -> None:
    load = {"pyarrow": pacsv.read_csv, "catalog": load_catalog}[kind]
    before = _status("VmRSS")
    cpu = time.process_time()
    start = time.perf_counter()
    result = load(path)
    seconds = time.perf_counter() - start
    cpu = time.process_time() - cpu
    if kind == "catalog":
        result.fingerprint  # noqa: B018 - hashed in the background: wait for it
    with_fingerprint = time.perf_counter() - start
    extra = _status("VmHWM") - before
    del result
    print(json.dumps({"seconds": seconds, "with_fingerprint": with_fingerprint, "extra": extra,
                      "cpu": cpu}))


def _status(key: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) * 1024
    raise KeyError(key)


def best_times(functions: list, runs: int) -> list[float]:
    """The best time of each function, calling them in turn so noise hits all alike."""
    best = [float("inf")] * len(functions)
    for _ in range(runs):
        for i, function in enumerate(functions):
            start = time.perf_counter()
            function()
            best[i] = min(best[i], time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--verbose", action="store_true", help="print every run")
    args = parser.parse_args()
    verbose = args.verbose

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "catalog.csv"
        write_catalog(path, args.rows)
        size = path.stat().st_size
        print(f"catalog {args.rows:,} products, {size / 1e6:.1f} MB")

        runs = {"pyarrow": [], "catalog": []}
        for _ in range(args.runs):
            for kind in runs:
                runs[kind].append(measure(kind, path))
        base, ours = (min(r["seconds"] for r in runs[kind]) for kind in ("pyarrow", "catalog"))
        hashed = min(r["with_fingerprint"] for r in runs["catalog"])
        pairs = sorted(ours_run["seconds"] / base_run["seconds"]
                       for base_run, ours_run in zip(runs["pyarrow"], runs["catalog"], strict=True))
        print(f"load_seconds {ours:.3f} (pyarrow.csv.read_csv {base:.3f}; "
              f"until the background fingerprint is ready {hashed:.3f})")
        print(f"load_ratio {ours / base:.2f} (goal <= {LOAD_GOAL}; median of paired runs "
              f"{pairs[len(pairs) // 2]:.2f}; with the fingerprint {hashed / base:.2f})")
        cpu = {kind: min(r["cpu"] for r in runs[kind]) for kind in runs}
        print(f"load_cpu_seconds {cpu['catalog']:.3f} (pyarrow.csv.read_csv "
              f"{cpu['pyarrow']:.3f}; ratio {cpu['catalog'] / cpu['pyarrow']:.2f}; all threads, "
              "steadier than wall time on a busy machine)")
        if verbose:
            for kind, results in runs.items():
                print(f"  {kind:8s} seconds", " ".join(f"{r['seconds']:.3f}" for r in results))
                print(f"  {kind:8s} cpu", " ".join(f"{r['cpu']:.3f}" for r in results))
                print(f"  {kind:8s} extra MB", " ".join(f"{r['extra'] / 1e6:.0f}" for r in results))
        extra = {kind: max(r["extra"] for r in runs[kind]) for kind in runs}
        print(f"memory_extra_mb {extra['catalog'] / 1e6:.0f}, the most of any run "
              f"(pyarrow.csv.read_csv {extra['pyarrow'] / 1e6:.0f})")
        print(f"memory_ratio {extra['catalog'] / size:.2f} (goal <= {MEMORY_GOAL})")

        big = load_catalog(path)
        ids = big.category_ids(SPOTLIGHT)
        small_path = Path(folder) / "category.csv"
        write_category(path, small_path, SPOTLIGHT, len(ids))
        small = load_catalog(small_path)
        assert small.category_ids(SPOTLIGHT) == ids, "the small catalog holds the same category"

        start = time.perf_counter()
        join_ranking(big, ids)
        first = time.perf_counter() - start
        in_big, in_small = best_times(
            [lambda: join_ranking(big, ids), lambda: join_ranking(small, ids)], max(args.runs * 10, TIMED_CALLS))
        print(f"join_ms {in_big * 1e3:.2f} (first call {first * 1e3:.2f}; "
              f"in a {len(ids):,}-product catalog {in_small * 1e3:.2f})")
        print(f"join_ratio {in_big / in_small:.2f} (goal <= {JOIN_GOAL})")

        previews = [Preview(big), Preview(small)]
        start = time.perf_counter()
        first = previews[0]()
        first_seconds = time.perf_counter() - start
        assert first.source == "Fashion.AI" and len(first.products) == len(ids), "a personalized answer"
        in_big, in_small = best_times(previews, max(args.runs * 10, TIMED_CALLS))
        print(f"preview_ms {in_big * 1e3:.2f} (first call, simulator set up beforehand, "
              f"{first_seconds * 1e3:.2f}; in a {len(ids):,}-product catalog {in_small * 1e3:.2f}; "
              f"simulator set up in {previews[0].setup:.2f} s and {previews[1].setup:.3f} s)")
        print(f"preview_ratio {in_big / in_small:.2f} (goal <= {PREVIEW_GOAL})")


class Preview:
    """One storefront preview of `SPOTLIGHT` per call, as the storefront page makes it:
    FashionAIClient through the in-process simulator, then the join with the catalog."""

    def __init__(self, catalog) -> None:
        start = time.perf_counter()
        self.catalog = catalog
        self.client = FashionAIClient("benchmark-token", base_url=SIMULATOR_URL,
                                      transport=SimulatorTransport(Simulator(catalog.products)))
        self.setup = time.perf_counter() - start
        self.session = "benchmark-session"
        self.client.category_view(self.session, SPOTLIGHT)  # not cold: later calls get a ranking

    def __call__(self):
        return preview_storefront(self.client, self.catalog, self.session, SPOTLIGHT)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        _child(sys.argv[2], sys.argv[3])
    else:
        main()
