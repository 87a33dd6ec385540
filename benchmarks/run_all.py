"""Every benchmark at a quick size, each ratio beside its goal: what `python3 dev.py bench` runs.

    .venv/bin/python benchmarks/run_all.py [--only catalog,lanes] [--full] [--list]

Runs each benchmark script of this folder in its own process (as you would by hand), shows its output
as it comes, reads its `name value (goal OP limit ...)` lines, and ends with a table to paste into the
README (the date and the machine it ran on above it). A benchmark says its goals itself, in those lines:
they are written once, in the script. Exits 0 when every goal is met, 1 when one is missed, 2 when a
benchmark could not run (it failed, or Chromium is not installed for the browser ones).

The quick sizes take a few minutes on 2 cores; `--full` uses each script's own defaults (the sizes of
the README's figures, tens of minutes). A busy machine misses wall-clock goals that a quiet one meets:
run it with nothing else running.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Benchmark:
    name: str
    script: str
    quick: tuple[str, ...]
    """The arguments of the quick size (`--full` drops them: the script's defaults)."""
    what: str


BENCHMARKS = (
    Benchmark("catalog", "bench_catalog.py", ("--runs", "3"),
              "catalog load, memory, join and preview of 1,000,000 products (3 runs; full: 5). A smaller file misses "
              "the memory goal on fixed costs (200,000 products: 3.4x) while the large one meets it"),
    Benchmark("lanes", "bench_lanes.py", ("--runs", "3"), "8 lanes fetched at once against one call"),
    Benchmark("search", "bench_search.py", ("--rows", "200000", "--runs", "7"),
              "a search (through the loopback simulator, its page joined with the catalog) over a large catalog "
              "against the same search over a catalog of its matches (200,000 products; full: 1,000,000)"),
    Benchmark("compare view", "bench_compare_view.py", ("--runs", "5"),
              "compare page view changes against a storefront toggle, in Chromium"),
    Benchmark("first page", "bench_first_page.py", ("--runs", "2"),
              "a fresh server's first visitor against a bare page's, in Chromium"),
    Benchmark("audit throughput", "audit_throughput.py", ("--calls", "2000"),
              "an audit's rate achieved against the one configured (2,000 calls: a run loses about 3 s to its start "
              "and end whatever its size, so 400 calls read 0.77 where 2,000 read 0.95)"),
    Benchmark("search throughput", "search_throughput.py", ("--queries", "100", "--shoppers", "20"),
              "a query set run as an audit plan: its rate achieved against the one configured (100 queries × 20 "
              "shoppers, 2,000 searches, read as fairly as the audit's 2,000 calls; full: 1,000 × 20)"),
    Benchmark("audit estimate", "audit_estimate.py", ("--categories", "50000"),
              "an audit's estimate counted against the plan resolved and walked (50,000 categories; full: 100,000)"),
    Benchmark("audit memory", "audit_memory.py", ("--small", "2000", "--large", "10000"),
              "an audit's peak memory, large run against small (2,000 and 10,000 calls; full: 10,000 and 100,000)"),
)

GOAL_LINE = re.compile(r"^(?P<name>\w+) (?P<value>-?[\d.]+) \(goal (?P<op><=|<|>=|>) (?P<limit>-?[\d.]+)", re.M)
OPERATORS = {"<=": float.__le__, "<": float.__lt__, ">=": float.__ge__, ">": float.__gt__}
NOT_RUN = 2
"""A benchmark's exit code for "could not run here" (Chromium missing): reported, not a missed goal."""


@dataclass(frozen=True)
class Measure:
    benchmark: str
    name: str
    value: float
    op: str
    limit: float

    @property
    def met(self) -> bool:
        return OPERATORS[self.op](self.value, self.limit)


def measures(benchmark: str, output: str) -> list[Measure]:
    """The measures a benchmark's output states with a goal, in order."""
    return [Measure(benchmark, m["name"], float(m["value"]), m["op"], float(m["limit"]))
            for m in GOAL_LINE.finditer(output)]


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        pages, size = os.sysconf("SC_PHYS_PAGES"), os.sysconf("SC_PAGE_SIZE")
        memory = f", {pages * size / 2**30:.0f} GiB"
    except (ValueError, OSError, AttributeError):
        pass
    return f"{platform.system()} {platform.release()}, {os.cpu_count()} cores ({cpu}){memory}, Python {platform.python_version()}"


def run_one(benchmark: Benchmark, full: bool) -> tuple[int, str, float]:
    command = [sys.executable, str(HERE / benchmark.script), *(() if full else benchmark.quick)]
    print(f"\n## {benchmark.name}: {benchmark.what}\n$ {' '.join(command[1:])}", flush=True)
    started = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=HERE.parent)
    lines = []
    assert process.stdout is not None
    for line in process.stdout:
        print("  " + line, end="", flush=True)
        lines.append(line)
    code = process.wait()
    return code, "".join(lines), time.monotonic() - started


def table(found: list[Measure], problems: list[str], when: str, where: str) -> str:
    rows = [f"Measured by `python3 dev.py bench` on {when}, {where}.", "",
            "| benchmark | measure | result | goal | |", "|---|---|---|---|---|"]
    rows += [f"| {m.benchmark} | {m.name} | {m.value:g} | {m.op} {m.limit:g} | {'met' if m.met else 'MISSED'} |"
             for m in found]
    rows += [f"| {problem} | | | | not run |" for problem in problems]
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", help="comma-separated names (see --list)")
    parser.add_argument("--full", action="store_true", help="each script's own (README-sized) defaults")
    parser.add_argument("--list", action="store_true", help="list the benchmarks and stop")
    args = parser.parse_args(argv)
    if args.list:
        for benchmark in BENCHMARKS:
            print(f"{benchmark.name}: {benchmark.what}")
        return 0
    chosen = list(BENCHMARKS)
    if args.only:
        names = {name.strip() for name in args.only.split(",") if name.strip()}
        unknown = names - {b.name for b in BENCHMARKS}
        if unknown:
            parser.error(f"no benchmark named {', '.join(sorted(unknown))} (see --list)")
        chosen = [b for b in BENCHMARKS if b.name in names]
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    where = machine()
    print(f"Benchmarks, {'full' if args.full else 'quick'} sizes, {when}, on {where}")
    found: list[Measure] = []
    problems: list[str] = []
    for benchmark in chosen:
        code, output, seconds = run_one(benchmark, args.full)
        got = measures(benchmark.name, output)
        found += got
        if code != 0 or not got:
            problems.append(f"{benchmark.name} (exit {code}{'' if got else ', no measure with a goal'})")
        print(f"  ({seconds:.0f} s)", flush=True)
    print("\n" + table(found, problems, when, where))
    missed = [m for m in found if not m.met]
    if missed:
        print(f"\n{len(missed)} goal(s) missed: " + ", ".join(f"{m.benchmark} {m.name}" for m in missed))
    if problems:
        print(f"\n{len(problems)} benchmark(s) did not run to the end: " + "; ".join(problems))
    return NOT_RUN if problems else 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
