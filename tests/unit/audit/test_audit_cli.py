"""``python -m fashionai audit``: plan --example, run (the id last), a bad plan file, live without --yes, Ctrl+C."""

from __future__ import annotations

import json
import threading

import pytest

from fashionai.__main__ import main
from fashionai.audit import _cli_drive
from fashionai.audit.plan import AuditPlan, plan_from_json, plan_to_json, resolve_plan
from fashionai.catalog import load_catalog
from fashionai.catalog.sample import SAMPLE_CATALOG_PATH


@pytest.fixture(autouse=True)
def environment(tmp_path, monkeypatch):
    """A throwaway history, no token (the simulator), and no secrets file in the working folder."""
    for name in ("FASHIONAI_APP_TOKEN", "FASHIONAI_BACKEND", "FASHIONAI_CATALOG", "FASHIONAI_AUDIT_MAX_CALLS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("FASHIONAI_HISTORY_URL", str(tmp_path / "history.db"))
    monkeypatch.chdir(tmp_path)


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(SAMPLE_CATALOG_PATH)


def tiny_plan_file(tmp_path, catalog, **changes):
    plan = AuditPlan(**({"name": "Tiny", "categories": tuple(catalog.categories[:2]), "synthetic_personas": 1,
                         "stability_twins": 0, "rate": 500.0} | changes))
    path = tmp_path / "plan.json"
    path.write_text(plan_to_json(plan))
    return path


def test_plan_example_is_json_that_resolves_over_the_catalog(capsys, catalog):
    assert main(["audit", "plan", "--example"]) == 0
    plan = plan_from_json(capsys.readouterr().out)
    resolved = resolve_plan(plan, catalog, "0" * 32)
    assert resolved.categories == tuple(catalog.categories) and resolved.total_calls > 0


def test_plan_without_example_says_what_to_do(capsys):
    assert main(["audit", "plan"]) == 2
    assert "--example" in capsys.readouterr().err


def test_run_prints_the_run_id_alone_on_the_last_line_and_runs_lists_it(tmp_path, capsys, catalog):
    assert main(["audit", "run", str(tiny_plan_file(tmp_path, catalog))]) == 0
    captured = capsys.readouterr()
    run_id = captured.out.strip().splitlines()[-1]
    assert len(run_id) == 32 and int(run_id, 16) >= 0
    assert "calls" in captured.err and "Finished" in captured.err
    assert main(["audit", "runs"]) == 0
    listed = capsys.readouterr().out
    assert run_id in listed and "Finished" in listed and "Tiny" in listed


@pytest.mark.parametrize("content, words", [
    ("{not json", "not JSON"),
    (json.dumps({"name": "x", "k": "ten"}), "K must be"),
    (json.dumps({"name": ""}), "needs a name"),
])
def test_a_bad_plan_file_exits_2_with_a_plain_message(tmp_path, capsys, content, words):
    path = tmp_path / "bad.json"
    path.write_text(content)
    assert main(["audit", "run", str(path)]) == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err


def test_a_missing_plan_file_exits_2(tmp_path, capsys):
    assert main(["audit", "run", str(tmp_path / "nope.json")]) == 2
    assert "cannot be read" in capsys.readouterr().err


def test_live_without_yes_refuses_after_the_estimate(tmp_path, capsys, catalog, monkeypatch):
    monkeypatch.setenv("FASHIONAI_APP_TOKEN", "live-token-0123456789")
    monkeypatch.setenv("FASHIONAI_BASE_URL", "http://127.0.0.1:9/api/v1")  # never reached
    assert main(["audit", "run", str(tiny_plan_file(tmp_path, catalog))]) == 2
    captured = capsys.readouterr()
    assert "--yes" in captured.err and "tracking events" in captured.err and captured.out == ""
    assert "live-token" not in captured.err
    assert main(["audit", "runs"]) == 0  # nothing was stored
    assert "No audit runs" in capsys.readouterr().err


def test_the_call_cap_refuses_a_plan_too_big(tmp_path, capsys, catalog, monkeypatch):
    monkeypatch.setenv("FASHIONAI_AUDIT_MAX_CALLS", "3")
    assert main(["audit", "run", str(tiny_plan_file(tmp_path, catalog))]) == 2
    assert "more than the 3" in capsys.readouterr().err


def test_the_call_cap_is_checked_before_the_plan_is_resolved(tmp_path, capsys, catalog, monkeypatch):
    # issue 21, item 12: the CLI spent a minute resolving a plan over 100,000 categories before refusing it
    from fashionai.audit import plan as plan_module
    from fashionai.audit import runner

    def refuse(*args, **kwargs):
        raise AssertionError("the plan was resolved before the call cap was checked")

    monkeypatch.setattr(plan_module, "resolve_plan", refuse)
    monkeypatch.setattr(runner, "resolve_plan", refuse)
    monkeypatch.setenv("FASHIONAI_AUDIT_MAX_CALLS", "3")
    assert main(["audit", "run", str(tiny_plan_file(tmp_path, catalog))]) == 2
    err = capsys.readouterr().err
    assert "more than the 3 an audit may make here" in err and "Traceback" not in err


def test_ctrl_c_cancels_keeps_what_was_done_exits_130_and_resume_finishes(tmp_path, capsys, catalog, monkeypatch):
    class InterruptedOnce(threading.Event):
        interrupted = False

        def wait(self, timeout=None):
            if not InterruptedOnce.interrupted and timeout is not None:
                InterruptedOnce.interrupted = True
                raise KeyboardInterrupt
            return super().wait(timeout)

    monkeypatch.setattr(_cli_drive.threading, "Event", InterruptedOnce)
    assert main(["audit", "run", str(tiny_plan_file(tmp_path, catalog, rate=50.0))]) == 130
    captured = capsys.readouterr()
    run_id = captured.out.strip().splitlines()[-1]
    assert "audit resume" in captured.err
    monkeypatch.undo()
    monkeypatch.setenv("FASHIONAI_HISTORY_URL", str(tmp_path / "history.db"))
    monkeypatch.chdir(tmp_path)
    assert main(["audit", "resume", run_id[:8]]) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1] == run_id


def test_resume_of_an_unknown_run_exits_2(capsys):
    assert main(["audit", "resume", "abcdef12"]) == 2
    assert "no audit run" in capsys.readouterr().err


def test_the_call_cap_setting(monkeypatch):
    from fashionai.config import DEFAULT_AUDIT_MAX_CALLS, ConfigError, resolve_audit_config

    assert resolve_audit_config({}).max_calls == DEFAULT_AUDIT_MAX_CALLS == 10_000
    assert resolve_audit_config({}, {"fashionai": {"audit_max_calls": 50}}).max_calls == 50
    assert resolve_audit_config({"FASHIONAI_AUDIT_MAX_CALLS": "7"}, {"fashionai": {"audit_max_calls": 50}}
                                ).max_calls == 7
    assert resolve_audit_config({"FASHIONAI_AUDIT_MAX_CALLS": "0"}).max_calls is None
    with pytest.raises(ConfigError, match="FASHIONAI_AUDIT_MAX_CALLS"):
        resolve_audit_config({"FASHIONAI_AUDIT_MAX_CALLS": "lots"})


def test_runs_of_a_plan_name_with_a_nul_are_refused_for_what_it_holds(capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["audit", "runs", "--plan", "Weekly\x00"])
    err = capsys.readouterr().err
    assert stopped.value.code == 2 and "“Weekly<U+0000>” holds NUL (U+0000)" in err


@pytest.mark.parametrize("limit", ["-1", "0", "99999999999999999999", "ten", "10001"])
def test_runs_limit_takes_1_to_its_maximum_with_argparses_error(capsys, limit):
    # issue 21, item 13: --limit -1 said no runs were stored, a huge one printed a traceback
    with pytest.raises(SystemExit) as stopped:
        main(["audit", "runs", "--limit", limit])
    err = capsys.readouterr().err
    assert stopped.value.code == 2 and "argument --limit" in err and "Traceback" not in err
    assert "from 1 to 10,000" in err or "is not a whole number" in err


def test_names_are_printed_with_control_characters_visible(tmp_path, capsys, catalog):
    # issue 21, item 13: a right-to-left override in a name was printed raw
    shown = tmp_path / "shop\u202evsc.csv"
    shown.write_bytes(SAMPLE_CATALOG_PATH.read_bytes())
    assert main(["audit", "run", str(tiny_plan_file(tmp_path, catalog)), "--catalog", str(shown)]) == 0
    run_id = capsys.readouterr().out.strip().splitlines()[-1]
    assert main(["audit", "report", run_id]) == 0
    out = capsys.readouterr().out
    assert "shop<U+202E>vsc.csv" in out and "\u202e" not in out
