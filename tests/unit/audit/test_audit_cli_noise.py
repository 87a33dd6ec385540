"""``audit check`` told from noise: a limit is crossed only when the whole 95% interval of the change is past it;
past it within the interval is "WITHIN NOISE" (exit 0); --no-noise keeps the plain check; --json gives before,
after, low, high and verdict per measure."""

from __future__ import annotations

import json

import pytest

from fashionai.__main__ import main
from fashionai.api.client import FashionAIClient
from fashionai.audit import cli, noise
from fashionai.audit.plan import AuditPlan, plan_to_json
from fashionai.catalog import load_catalog
from fashionai.catalog.sample import SAMPLE_CATALOG_PATH
from fashionai.simulator import IN_PROCESS_BASE_URL, IN_PROCESS_TOKEN, Simulator, SimulatorTransport
from tests.unit.audit.shell_helpers import HISTORY, audit_shell, copy_history, run_in_shell


@pytest.fixture(autouse=True)
def environment(tmp_path, monkeypatch):
    for name in ("FASHIONAI_APP_TOKEN", "FASHIONAI_BACKEND", "FASHIONAI_CATALOG", "FASHIONAI_AUDIT_MAX_CALLS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("FASHIONAI_HISTORY_URL", str(tmp_path / "history.db"))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(noise, "BOOTSTRAP_RESAMPLES", 40)  # quick on a shared machine; the method is the same


def run_with(patch, plan, products) -> str:
    """One run of the plan over the sample catalog, answered by a simulator over `products`."""
    patch.setattr(cli, "_client", lambda settings, catalog: FashionAIClient(
        IN_PROCESS_TOKEN, base_url=IN_PROCESS_BASE_URL, transport=SimulatorTransport(Simulator(products))))
    return run_in_shell(["audit", "run", str(plan)])


@pytest.fixture(scope="module")
def sample():
    return load_catalog(SAMPLE_CATALOG_PATH)


@pytest.fixture(scope="module")
def made_runs(tmp_path_factory, sample):
    """Three runs of one plan and catalog, made once for the module: the engine, the engine again, and an engine
    that knows only a few dresses (every shopper sees nearly the same ones: a real change). Their history and
    their ids."""
    folder = tmp_path_factory.mktemp("noise-runs")
    plan = folder / "plan.json"
    plan.write_text(plan_to_json(AuditPlan("Nightly", categories=("Dresses",), synthetic_personas=8,
                                           stability_twins=0, rate=500.0)))
    products = sample.products
    dresses = set(sample.category_ids("Dresses"))
    few = products[[pid not in dresses for pid in products.index]]
    few = products.loc[[*few.index, *sorted(dresses)[:12]]]
    with audit_shell(folder) as patch:
        ids = run_with(patch, plan, products), run_with(patch, plan, products), run_with(patch, plan, few)
    return folder / HISTORY, ids


@pytest.fixture
def runs(made_runs, tmp_path):
    """The three runs, in this test's own history (a copy)."""
    history, ids = made_runs
    copy_history(history, tmp_path / HISTORY)
    return ids


def check(capsys, *arguments) -> tuple[int, str]:
    code = main(["audit", "check", *arguments])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.out + captured.err


def test_a_real_change_crosses_and_the_same_engine_is_within_noise(runs, capsys):
    first, second, narrowed = runs
    code, out = check(capsys, narrowed, "--against", first, "--max-drop", "coverage=0.05")
    assert code == 1 and "CROSSED" in out and "95% interval" in out, out
    assert "paired bootstrap over shoppers: 40 resamples" in out
    # the same engine twice: no limit crossed, whatever the limit
    code, out = check(capsys, second, "--against", first, "--max-drop", "personalization=0",
                      "--max-rise", "gini=0")
    assert code == 0 and "CROSSED" not in out, out


def test_past_the_limit_within_noise_passes_and_no_noise_crosses(runs, capsys, monkeypatch):
    first, _, narrowed = runs
    # a limit just under the observed drop: the change is past it, its interval is not wholly past it
    code, out = check(capsys, narrowed, "--against", first, "--max-drop", "coverage=0", "--json")
    entry = json.loads(out)["measures"]["coverage"]
    drop = entry["before"] - entry["after"]
    assert entry["low"] < entry["after"] - entry["before"] < entry["high"] < 0
    limit = f"coverage={drop - (entry['high'] - entry['low']) / 4:.6f}"  # inside the interval's reach
    code, out = check(capsys, narrowed, "--against", first, "--max-drop", limit)
    assert code == 0 and "WITHIN NOISE" in out and "past the limit within noise" in out, out
    code, out = check(capsys, narrowed, "--against", first, "--max-drop", limit, "--no-noise")
    assert code == 1 and "CROSSED" in out and "Checked without noise" in out, out


def test_json_gives_before_after_low_high_and_verdict_per_measure(runs, capsys):
    first, _, narrowed = runs
    code, out = check(capsys, narrowed, "--against", first, "--max-drop", "coverage=0.05", "--json")
    data = json.loads(out)  # JSON alone on stdout
    assert code == 1
    coverage = data["measures"]["coverage"]
    assert set(coverage) == {"before", "after", "low", "high", "verdict"}
    assert coverage["verdict"] == "changed" and coverage["low"] <= coverage["high"] < 0
    assert data["measures"]["stability"] == {**data["measures"]["stability"], "verdict": "not measured",
                                             "low": None, "high": None}
    assert data["thresholds"] == [{"measure": "coverage", "kind": "drop", "limit": 0.05, "state": "crossed",
                                   "why": None}]
    assert data["resamples"] == 40 and data["seed"] == noise.BOOTSTRAP_SEED
    code, out = check(capsys, narrowed, "--against", first, "--max-drop", "coverage=0.05", "--json", "--no-noise")
    plain = json.loads(out)["measures"]["coverage"]
    assert code == 1 and plain["low"] is None and plain["verdict"] is None and plain["before"] == coverage["before"]


def test_the_interval_needs_the_runs_catalog(runs, capsys, tmp_path):
    first, second, _ = runs
    other = tmp_path / "other.csv"
    other.write_text("id,name,category\n1,A,Dresses\n", encoding="utf-8")
    code, out = check(capsys, second, "--against", first, "--max-drop", "coverage=0.05", "--catalog", str(other))
    assert code == 2 and "pass it with --catalog, or add --no-noise" in out, out
    code, out = check(capsys, second, "--against", first, "--max-drop", "coverage=0.05", "--catalog", str(other),
                      "--no-noise")
    assert code == 0, out
