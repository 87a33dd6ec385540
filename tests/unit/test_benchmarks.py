"""The benchmarks still run (tiny sizes; no timing is asserted: speed is read by hand)."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from tests import ROOT

pytestmark = pytest.mark.slow  # each runs a benchmark script in a subprocess

BENCHMARKS = ROOT / "benchmarks"


def run(script: str, *args: str) -> str:
    out = subprocess.run([sys.executable, str(BENCHMARKS / script), *args],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    return out.stdout


def ratios(output: str) -> dict[str, float]:
    return {name: float(value) for name, value in re.findall(r"^(\w+_ratio) ([\d.]+)", output, re.M)}


def test_catalog_benchmark_prints_its_four_ratios():
    found = ratios(run("bench_catalog.py", "--rows", "3000", "--runs", "1"))
    assert set(found) == {"load_ratio", "memory_ratio", "join_ratio", "preview_ratio"}
    assert all(value > 0 for value in found.values())


def test_lanes_benchmark_prints_its_ratio():
    found = ratios(run("bench_lanes.py", "--latency", "0.01", "--lanes", "3", "--runs", "1"))
    assert set(found) == {"lanes_ratio"} and found["lanes_ratio"] > 0


def test_audit_estimate_benchmark_prints_its_ratio():
    found = ratios(run("audit_estimate.py", "--categories", "300"))
    assert set(found) == {"estimate_ratio"} and found["estimate_ratio"] > 0
