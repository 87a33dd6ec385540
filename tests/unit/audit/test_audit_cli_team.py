"""``python -m fashionai audit run | resume`` in a team (issue 23, item 6): the run is started by the person `--as` or
FASHIONAI_USER names (the local user without either), listed with them, and its start and end (or resume) are
written in the team's activity log under that name; a name that is no e-mail is refused (exit 2); a log that cannot
be written is said on stderr and the audit goes on."""

from __future__ import annotations

import os

import pytest

from fashionai.__main__ import main
from fashionai.audit.model import RunStatus
from fashionai.audit.plan import AuditPlan, plan_to_json
from fashionai.audit.store import AuditStore
from fashionai.catalog import load_catalog
from fashionai.catalog.sample import SAMPLE_CATALOG_PATH
from fashionai.history import HistoryStore
from fashionai.team.activity import ActivityAction, ActivityLog, ActivityUnavailable


@pytest.fixture(autouse=True)
def environment(tmp_path, monkeypatch):
    """A throwaway history, no token (the simulator), nobody named, no secrets file in the working folder."""
    for name in ("FASHIONAI_APP_TOKEN", "FASHIONAI_BACKEND", "FASHIONAI_CATALOG", "FASHIONAI_AUDIT_MAX_CALLS",
                 "FASHIONAI_USER", "FASHIONAI_AUDIT_RATE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("FASHIONAI_HISTORY_URL", str(tmp_path / "history.db"))
    monkeypatch.chdir(tmp_path)


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(SAMPLE_CATALOG_PATH)


def plan_file(tmp_path, catalog):
    plan = AuditPlan(name="Tiny", categories=tuple(catalog.categories[:2]), synthetic_personas=1, stability_twins=0,
                     rate=500.0)
    path = tmp_path / "plan.json"
    path.write_text(plan_to_json(plan))
    return path


def stored_run(run_id):
    history = HistoryStore(os.environ["FASHIONAI_HISTORY_URL"], max_age_days=None, max_count=None)
    try:
        return AuditStore(history).run(run_id)
    finally:
        history.close()


def logged():
    """The activity log's rows, oldest first: (who, action, page, detail)."""
    rows = ActivityLog(os.environ["FASHIONAI_HISTORY_URL"]).entries()
    return [(row.who, str(row.action), row.page, row.detail) for row in reversed(rows)]


def last_line(capsys) -> str:
    return capsys.readouterr().out.strip().splitlines()[-1]


def test_a_run_from_a_shell_is_started_by_the_person_named_and_logged_under_that_name(tmp_path, capsys, catalog):
    assert main(["audit", "run", "--as", "Ana@Example.com", str(plan_file(tmp_path, catalog))]) == 0
    run = stored_run(last_line(capsys))
    assert run.started_by == "ana@example.com" and run.status == RunStatus.DONE
    rows = logged()
    assert [(who, action, page) for who, action, page, _ in rows] == [
        ("ana@example.com", ActivityAction.AUDIT_STARTED, "Command line"),
        ("ana@example.com", ActivityAction.AUDIT_FINISHED, "Command line")]
    assert f"run {run.short_id}" in rows[0][3] and "Tiny" in rows[0][3]
    assert main(["audit", "runs"]) == 0
    assert "ana@example.com" in capsys.readouterr().out


def test_fashionai_user_names_the_person_and_as_says_it_for_one_command(tmp_path, capsys, catalog, monkeypatch):
    monkeypatch.setenv("FASHIONAI_USER", "bo@example.com")
    assert main(["audit", "run", str(plan_file(tmp_path, catalog))]) == 0
    assert stored_run(last_line(capsys)).started_by == "bo@example.com"
    assert main(["audit", "run", "--as", "ana@example.com", str(plan_file(tmp_path, catalog))]) == 0
    assert stored_run(last_line(capsys)).started_by == "ana@example.com"


def test_without_a_name_a_shell_runs_as_the_local_user(tmp_path, capsys, catalog):
    assert main(["audit", "run", str(plan_file(tmp_path, catalog))]) == 0
    assert stored_run(last_line(capsys)).started_by == "local"
    assert {who for who, *_ in logged()} == {"local"}
    assert main(["audit", "runs"]) == 0
    assert "local user" in capsys.readouterr().out


@pytest.mark.parametrize("name", ["ana", "ana@example", "ana @example.com", "<ana@example.com>", ""])
def test_a_name_that_is_no_e_mail_is_refused_before_anything_runs(tmp_path, capsys, catalog, name):
    with pytest.raises(SystemExit) as exited:
        main(["audit", "run", "--as", name, str(plan_file(tmp_path, catalog))])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert "--as" in err and "ana@example.com" in err and "Traceback" not in err


def test_a_fashionai_user_that_is_no_e_mail_is_refused_naming_it(tmp_path, capsys, catalog, monkeypatch):
    monkeypatch.setenv("FASHIONAI_USER", "not an address")
    assert main(["audit", "run", str(plan_file(tmp_path, catalog))]) == 2
    err = capsys.readouterr().err
    assert "FASHIONAI_USER" in err and "not an address" in err and "Traceback" not in err
    history = HistoryStore(os.environ["FASHIONAI_HISTORY_URL"], max_age_days=None, max_count=None)
    assert AuditStore(history).runs() == []
    history.close()


def test_a_resume_is_logged_under_who_resumed_and_the_run_stays_its_starters(tmp_path, capsys, catalog):
    assert main(["audit", "run", "--as", "ana@example.com", str(plan_file(tmp_path, catalog))]) == 0
    run_id = last_line(capsys)
    history = HistoryStore(os.environ["FASHIONAI_HISTORY_URL"], max_age_days=None, max_count=None)
    with history.engine().begin() as conn:  # as if it had been cancelled half-way: one call left to make
        conn.exec_driver_sql("DELETE FROM fashionai_audit_calls WHERE step = (SELECT MAX(step) FROM "
                             "fashionai_audit_calls) AND shopper = 0")
        conn.exec_driver_sql("UPDATE fashionai_audit_runs SET status = 'cancelled', done_calls = done_calls - 1")
    history.close()
    assert main(["audit", "resume", "--as", "bo@example.com", run_id[:8]]) == 0
    assert "started by ana@example.com) as bo@example.com" in capsys.readouterr().err
    assert stored_run(run_id).started_by == "ana@example.com"
    assert [(who, action) for who, action, *_ in logged()][-2:] == [
        ("bo@example.com", ActivityAction.AUDIT_RESUMED), ("bo@example.com", ActivityAction.AUDIT_FINISHED)]


def test_an_activity_log_that_cannot_be_written_is_said_and_the_audit_goes_on(tmp_path, capsys, catalog,
                                                                               monkeypatch):
    def down(self, **_):
        raise ActivityUnavailable("The activity log's database cannot be used now: disk I/O error.")

    monkeypatch.setattr(ActivityLog, "record", down)
    assert main(["audit", "run", "--as", "ana@example.com", str(plan_file(tmp_path, catalog))]) == 0
    captured = capsys.readouterr()
    assert stored_run(captured.out.strip().splitlines()[-1]).status == RunStatus.DONE
    assert "activity log cannot be written" in captured.err and "Traceback" not in captured.err
