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
                         capture_output=True, text=True, timeout=300, check=False)
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


def test_search_benchmark_prints_its_ratio():
    found = ratios(run("bench_search.py", "--rows", "3000", "--runs", "1"))
    assert set(found) == {"search_ratio"} and found["search_ratio"] > 0


def load_run_all():
    import importlib.util

    spec = importlib.util.spec_from_file_location("run_all_under_test", BENCHMARKS / "run_all.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_the_suite_reads_each_goal_from_the_benchmarks_own_lines():
    run_all = load_run_all()
    output = ("load_seconds 0.42 (pyarrow 0.34)\n"
              "load_ratio 1.24 (goal <= 1.5; median of paired runs 1.26)\n"
              "memory_ratio 2.31 (goal <= 2)\n"
              "throughput_ratio 0.939 (goal >= 0.9)\n"
              "lanes_ratio 2.00 (goal < 2)\n"
              "second_visitor_ratio 1.02\n")
    found = run_all.measures("x", output)
    assert [(m.name, m.value, m.op, m.limit, m.met) for m in found] == [
        ("load_ratio", 1.24, "<=", 1.5, True),
        ("memory_ratio", 2.31, "<=", 2.0, False),
        ("throughput_ratio", 0.939, ">=", 0.9, True),
        ("lanes_ratio", 2.0, "<", 2.0, False),  # a strict goal: equal misses it
    ]


def test_the_suite_exits_non_zero_on_a_missed_goal_and_on_a_benchmark_that_did_not_run(monkeypatch, capsys):
    run_all = load_run_all()
    outputs = {"catalog": (0, "load_ratio 1.2 (goal <= 1.5)\n"), "lanes": (0, "lanes_ratio 1.1 (goal < 2)\n")}
    monkeypatch.setattr(run_all, "run_one", lambda b, full: (*outputs[b.name], 1.0))
    assert run_all.main(["--only", "catalog,lanes"]) == 0
    table = capsys.readouterr().out
    assert "| catalog | load_ratio | 1.2 | <= 1.5 | met |" in table and "cores" in table
    outputs["lanes"] = (0, "lanes_ratio 2.5 (goal < 2)\n")
    assert run_all.main(["--only", "catalog,lanes"]) == 1
    assert "| lanes | lanes_ratio | 2.5 | < 2 | MISSED |" in capsys.readouterr().out
    outputs["lanes"] = (2, "Chromium is not installed\n")
    assert run_all.main(["--only", "catalog,lanes"]) == 2
    assert "lanes (exit 2, no measure with a goal)" in capsys.readouterr().out


def test_every_benchmark_script_states_its_goals_in_the_suites_form():
    """Each script prints its goal beside its figure, as the suite reads it (said once, in the script)."""
    run_all = load_run_all()
    for benchmark in run_all.BENCHMARKS:
        source = (BENCHMARKS / benchmark.script).read_text()
        assert "(goal " in source, benchmark.script


def test_the_quick_lanes_benchmark_runs_through_the_suite():
    out = subprocess.run([sys.executable, str(BENCHMARKS / "run_all.py"), "--only", "lanes"],
                         capture_output=True, text=True, timeout=300, check=False)
    assert "| lanes | lanes_ratio |" in out.stdout, out.stdout + out.stderr
    assert out.returncode in (0, 1)  # met or missed: speed is read by hand, never asserted


def test_audit_estimate_benchmark_prints_its_ratio():
    found = ratios(run("audit_estimate.py", "--categories", "300"))
    assert set(found) == {"estimate_ratio"} and found["estimate_ratio"] > 0


def test_search_throughput_benchmark_runs_a_query_set_and_prints_its_goals():
    out = run("search_throughput.py", "--queries", "4", "--shoppers", "3", "--rate", "50", "--latency", "0.01")
    assert "4 queries × 3 shoppers" in out and "12 of them searches" in out
    assert re.search(r"^throughput_ratio [\d.]+ \(goal >= 0\.9\)$", out, re.M), out
    assert re.search(r"^max_window \d+ \(goal <= 50:", out, re.M), out
