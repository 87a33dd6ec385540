"""``python -m fashionai audit report`` and ``audit check``: a run's scorecard in a shell, and a threshold crossed
after the catalog changed (exit 1), not crossed (exit 0), or a check that cannot be made (exit 2)."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from fashionai.__main__ import main
from fashionai.audit import noise
from fashionai.audit.plan import AuditPlan, plan_to_json
from fashionai.catalog import load_catalog
from fashionai.catalog.sample import SAMPLE_CATALOG_PATH
from tests.unit.audit.shell_helpers import HISTORY, audit_shell, copy_history, run_in_shell


pytestmark = pytest.mark.usefixtures("cli_environment")


@pytest.fixture(autouse=True)
def few_resamples(monkeypatch):
    monkeypatch.setattr(noise, "BOOTSTRAP_RESAMPLES", 20)  # the interval is not what these tests check; quick


@pytest.fixture(scope="module")
def made_runs(tmp_path_factory):
    """Two runs of one plan, made once for the module: over the sample catalog, then over the same catalog with
    nothing in stock. The history they are in, and their ids."""
    folder = tmp_path_factory.mktemp("report-runs")
    plan = folder / "plan.json"
    plan.write_text(plan_to_json(AuditPlan("Weekly", categories=("Dresses", "Tops"), synthetic_personas=3,
                                           stability_twins=1, rate=500.0)))
    column = load_catalog(SAMPLE_CATALOG_PATH).mapping["stock"]
    frame = pd.read_csv(SAMPLE_CATALOG_PATH, dtype=str, keep_default_na=False)
    frame[column] = "0"
    sold_out = folder / "sold_out.csv"
    frame.to_csv(sold_out, index=False)
    with audit_shell(folder):
        first = run_in_shell(["audit", "run", str(plan)])
        second = run_in_shell(["audit", "run", str(plan), "--catalog", str(sold_out)])
    return folder / HISTORY, (first, second)


@pytest.fixture
def runs(made_runs, tmp_path):
    """The two runs, in this test's own history (a copy: a test may add runs)."""
    history, ids = made_runs
    copy_history(history, tmp_path / HISTORY)
    return ids


def test_report_prints_the_scorecard_in_words_and_as_json(runs, capsys):
    first, _ = runs
    assert main(["audit", "report", first[:8]]) == 0
    out = capsys.readouterr().out
    assert first in out and "Personalization" in out and "Dresses" in out
    assert main(["audit", "report", first, "--json"]) == 0
    card = json.loads(capsys.readouterr().out)
    assert card["k"] == 10


def test_check_fails_when_a_threshold_is_crossed_and_passes_when_not(runs, capsys):
    first, second = runs
    code = main(["audit", "check", second, "--against", first, "--max-rise", "out_of_stock=0.02",
                 "--max-drop", "personalization=0.5", "--compare-anyway", "--no-noise"])
    out = capsys.readouterr().out
    assert code == 1 and out.startswith("Compared anyway, although the runs used different catalogs")
    crossed = [line for line in out.splitlines() if "CROSSED" in line]
    assert len(crossed) == 1 and "out of stock" in crossed[0].lower(), out
    code = main(["audit", "check", second, "--against", first, "--max-drop", "personalization=1",
                 "--compare-anyway", "--no-noise"])
    assert code == 0, capsys.readouterr().out


def test_runs_of_different_catalogs_or_plans_are_not_compared_unless_asked(runs, tmp_path, capsys):
    # issue 21, item 5: a run on another catalog and plan was compared and printed CROSSED (exit 1)
    first, second = runs
    for one, other in ((second, first), (first, second)):
        code = main(["audit", "check", one, "--against", other, "--max-rise", "out_of_stock=0.02"])
        captured = capsys.readouterr()
        assert code == 2 and "CROSSED" not in captured.out and " OK" not in captured.out
        assert "cannot be compared: the runs used different catalogs: bundled sample catalog and sold_out.csv" in \
            captured.err or "different catalogs: sold_out.csv and bundled sample catalog" in captured.err
        assert "--compare-anyway" in captured.err and "Traceback" not in captured.err
    plan = tmp_path / "other.json"
    plan.write_text(plan_to_json(AuditPlan("Weekly", categories=("Dresses",), synthetic_personas=3,
                                           stability_twins=1, rate=500.0, k=5)))
    assert main(["audit", "run", str(plan)]) == 0
    third = capsys.readouterr().out.strip().splitlines()[-1]
    assert main(["audit", "check", third, "--against", first, "--max-drop", "personalization=1"]) == 2
    err = capsys.readouterr().err
    assert "different plans: categories Dresses, Tops and Dresses; K 10 and 5" in err
    assert "different catalogs" not in err


@pytest.mark.parametrize("arguments, words", [
    (["--max-drop", "charm=0.1"], "charm"),
    (["--max-drop", "personalization=lots"], "personalization"),
    ([], "at least one threshold"),
])
def test_a_check_that_cannot_be_made_exits_2_in_plain_words(runs, capsys, arguments, words):
    first, second = runs
    assert main(["audit", "check", second, "--against", first, *arguments]) == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err


def test_report_of_an_unknown_run_exits_2(capsys):
    assert main(["audit", "report", "feedbeef"]) == 2
    assert "no audit run" in capsys.readouterr().err


@pytest.mark.slow  # a new Python process: seconds of imports
def test_a_report_piped_into_head_stops_quietly(tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "FASHIONAI_HISTORY_URL": str(tmp_path / "history.db"), "PYTHONPATH": os.getcwd()}
    env.pop("FASHIONAI_APP_TOKEN", None)
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    shell = subprocess.run(f"'{sys.executable}' -m fashionai audit plan --example | head -n 1", shell=True, cwd=root,
                           env=env, capture_output=True, text=True, timeout=120, check=False)
    assert shell.stdout.strip() == "{"
    assert "Traceback" not in shell.stderr and "BrokenPipe" not in shell.stderr


def test_a_measure_the_catalog_cannot_support_is_not_measured_in_report_and_check(tmp_path, capsys):
    # issue 21, item 4: a catalog without stock reported "Out of stock shown 0%" and passed `audit check`
    frame = pd.read_csv(SAMPLE_CATALOG_PATH, dtype=str, keep_default_na=False)
    frame = frame.drop(columns=[load_catalog(SAMPLE_CATALOG_PATH).mapping["stock"]])
    no_stock = tmp_path / "no_stock.csv"
    frame.to_csv(no_stock, index=False)
    plan = tmp_path / "plan.json"
    plan.write_text(plan_to_json(AuditPlan("No twins", categories=("Dresses",), synthetic_personas=3,
                                           stability_twins=0, rate=500.0)))
    runs = []
    for _ in range(2):
        assert main(["audit", "run", str(plan), "--catalog", str(no_stock)]) == 0
        runs.append(capsys.readouterr().out.strip().splitlines()[-1])
    assert main(["audit", "report", runs[1]]) == 0
    out = capsys.readouterr().out
    assert "not measured, because the catalog has no stock column" in out
    assert "not measured, because no persona ran twice" in out
    assert main(["audit", "report", runs[1], "--json"]) == 0
    card = json.loads(capsys.readouterr().out)
    assert card["not_measured"]["out_of_stock"] == "the catalog has no stock column"
    assert next(r for r in card["rows"] if r["placement"] == "overall")["out_of_stock"] is None
    code = main(["audit", "check", runs[1], "--against", runs[0], "--max-rise", "out_of_stock=0.02",
                 "--catalog", str(no_stock)])
    out = capsys.readouterr().out
    assert code == 2 and "CANNOT BE CHECKED (not measured, because the catalog has no stock column" in out
    assert "OK" not in out
    code = main(["audit", "check", runs[1], "--against", runs[0], "--max-rise", "out_of_stock=0.02",
                 "--max-drop", "personalization=1", "--catalog", str(no_stock)])
    assert code == 0 and "1 could not be checked" in capsys.readouterr().out
