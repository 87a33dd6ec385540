"""``python -m fashionai audit run | resume`` when something else is going on: a run another process runs (exit 2,
who and since when), a 429 storm that does not end (exit 1, resumable), SIGTERM (exit 143, cancelled, resumable)."""

from __future__ import annotations

import uuid

import pytest

from fashionai.__main__ import main
from fashionai.audit.plan import AuditPlan, plan_to_json, resolve_plan
from fashionai.audit.model import RunStatus
from fashionai.audit.store import AuditStore
from fashionai.history import HistoryStore


pytestmark = pytest.mark.usefixtures("cli_environment")


def plan_file(tmp_path, catalog, **changes):
    plan = AuditPlan(**({"name": "Tiny", "categories": tuple(catalog.categories[:2]), "synthetic_personas": 1,
                         "stability_twins": 0, "rate": 500.0} | changes))
    path = tmp_path / "plan.json"
    path.write_text(plan_to_json(plan))
    return path


def test_resuming_a_run_another_process_runs_exits_2_saying_who_and_since_when(capsys, catalog, audits):
    plan = AuditPlan(name="Tiny", categories=tuple(catalog.categories[:2]), synthetic_personas=1, stability_twins=0)
    run = audits.create_run(resolve_plan(plan, catalog, uuid.uuid4().hex), backend="simulator",
                            catalog_fingerprint=catalog.fingerprint, catalog_name="sample", owner="other-host:4242:abc")
    assert main(["audit", "resume", run.short_id]) == 2
    err = capsys.readouterr().err
    assert "already being run by process 4242 on other-host since" in err
    assert "Traceback" not in err and "UNIQUE" not in err
    stored = audits.run(run.id)
    assert stored.owner == "other-host:4242:abc" and stored.done_calls == 0


def test_runs_says_a_run_another_process_works_on_is_running_elsewhere(capsys, catalog, audits):
    """`audit runs` reads a run's heartbeat as the Audits page does: running on another process, not just "Running"."""
    from fashionai.audit.model import ELSEWHERE_LABEL

    plan = AuditPlan(name="Tiny", categories=tuple(catalog.categories[:2]), synthetic_personas=1, stability_twins=0)
    run = audits.create_run(resolve_plan(plan, catalog, uuid.uuid4().hex), backend="simulator",
                            catalog_fingerprint=catalog.fingerprint, catalog_name="sample", owner="other-host:4242:abc")
    assert audits.run(run.id).status == RunStatus.RUNNING
    assert main(["audit", "runs"]) == 0
    assert ELSEWHERE_LABEL in capsys.readouterr().out


def test_a_429_storm_that_does_not_end_exits_1_saying_the_run_can_be_resumed(tmp_path, capsys, catalog, monkeypatch):
    import httpx

    from fashionai.api.client import FashionAIClient
    from fashionai.audit import cli, runner

    storm = httpx.MockTransport(lambda request: httpx.Response(429, headers={"Retry-After": "0"}))
    monkeypatch.setattr(cli, "_client", lambda settings, catalog: FashionAIClient(
        "t", base_url="http://sim/api/v1", transport=storm))
    monkeypatch.setattr(runner, "GIVE_UP_AFTER", 0.0)  # at once: the backoff itself is tested on a fake clock
    assert main(["audit", "run", str(plan_file(tmp_path, catalog))]) == 1
    captured = capsys.readouterr()
    run_id = captured.out.strip().splitlines()[-1]
    assert "429" in captured.err and f"audit resume {run_id[:8]}" in captured.err and "Traceback" not in captured.err
    assert AuditStore(HistoryStore(str(tmp_path / "history.db"))).run(run_id).resumable


@pytest.mark.slow  # a new Python process: seconds of imports
def test_sigterm_cancels_the_run_keeps_it_resumable_and_exits_143(tmp_path, catalog, audits):
    import os
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    # every category, one call a second: SIGTERM comes long before the end, however slow the machine (with 7 calls,
    # a loaded machine could see the end first)
    path = plan_file(tmp_path, catalog, rate=1.0, categories=tuple(catalog.categories))
    env = {**os.environ, "FASHIONAI_HISTORY_URL": str(tmp_path / "history.db"), "PYTHONUNBUFFERED": "1"}
    root = Path(__file__).resolve().parents[3]
    process = subprocess.Popen([sys.executable, "-m", "fashionai", "audit", "run", str(path)], cwd=tmp_path, env={
        **env, "PYTHONPATH": os.pathsep.join(filter(None, [str(root), env.get("PYTHONPATH", "")]))},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and process.poll() is None:  # wait on the stored progress
            runs = _runs(audits)
            if runs and runs[0].done_calls >= 2:
                break
            time.sleep(0.05)
        assert process.poll() is None, process.communicate()
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 143, err
    (run,) = _runs(audits)
    assert out.strip().splitlines()[-1] == run.id
    assert run.status == RunStatus.CANCELLED and run.resumable and run.owner is None
    assert 2 <= run.done_calls < run.total_calls
    assert "SIGTERM" in err and "cancelled and can be resumed" in err and f"audit resume {run.short_id}" in err
    assert "Traceback" not in err


def _runs(audits):
    from fashionai.history import HistoryUnavailable

    try:
        return audits.runs()
    except HistoryUnavailable:  # the tables are not there yet
        return []
