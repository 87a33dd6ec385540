"""AppTest of the audit page: a plan and its estimate (no call), a run in the background with its scorecard,
cancel and resume, the call cap, live confirmation, a category's shoppers opened on Compare lanes, two runs
compared after the catalog changed, and runs over time."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from fashionai.audit import background
from fashionai.audit.model import AUDIT_SESSION_PREFIX, RunStatus
from fashionai.audit.store import AuditStore
from tests.apptest_helpers import button, open_page, texts

PAGE = "pages/audit.py"


def small_plan(at: AppTest, *, personas: int = 4, categories=("Dresses", "Tops"), rate: float = 500.0) -> AppTest:
    at.multiselect(key="audit_plan_categories").set_value(list(categories))
    at.number_input(key="audit_plan_personas").set_value(personas)
    at.number_input(key="audit_plan_twins").set_value(1)
    at.number_input(key="audit_plan_rate").set_value(rate)
    return at.run()


def progress_text(at: AppTest) -> str:
    return " ".join(bar.proto.text for bar in at.get("progress"))


def start(at: AppTest) -> str:
    button(at, "Start the audit").click().run()
    assert not at.exception, at.exception
    run_id = at.session_state["audit_run"]
    assert background.wait(run_id, timeout=60)
    at.run()
    return run_id


@pytest.fixture
def audits(store):
    return AuditStore(store)


def test_the_plan_section_estimates_the_run_and_sends_nothing(app, store):
    open_page(app, PAGE)
    assert app.title[0].value == "Audits"
    small_plan(app)
    shown = texts(app)
    assert "Before it starts:" in shown and "tracking events" in shown
    assert not button(app, "Start the audit").disabled
    assert store.count() == 0


def test_a_run_stores_its_answers_and_shows_the_scorecard(app, store, audits):
    open_page(app, PAGE)
    small_plan(app)
    run_id = start(app)
    run = audits.run(run_id)
    assert run.status == RunStatus.DONE and run.done_calls == run.total_calls and run.scorecard_json
    sessions = {s.session_id for s in store.query(limit=1000) if s.session_id}
    assert sessions and all(s.startswith(AUDIT_SESSION_PREFIX) for s in sessions)
    assert "Finished: 27 of 27 calls" in progress_text(app).replace("\\", "")
    assert any("Personalization" in str(frame.value.to_dict()) for frame in app.dataframe)
    assert not app.error


def test_a_category_drills_down_to_its_shoppers_and_opens_compare_lanes_without_a_call(app, store):
    open_page(app, PAGE)
    small_plan(app)
    start(app)
    before = store.count()
    app.selectbox(key="audit_card_drill").set_value("Dresses").run()
    assert not app.exception
    button(app, "Open them on Compare lanes").click().run()
    assert not app.exception
    assert "no call was made" in texts(app)
    assert store.count() == before


def test_over_the_call_cap_the_audit_cannot_start(app, monkeypatch):
    monkeypatch.setenv("FASHIONAI_AUDIT_MAX_CALLS", "5")
    open_page(app, PAGE)
    small_plan(app)
    assert "audit call cap" in texts(app)
    assert button(app, "Start the audit").disabled


def test_live_audits_need_a_confirmation(app, fake_api):
    open_page(app, PAGE)
    small_plan(app)
    assert "live" in texts(app)
    assert button(app, "Start the audit").disabled
    app.checkbox(key="audit_confirm_live").check().run()
    assert not button(app, "Start the audit").disabled
    assert not fake_api.requests


def test_a_cancelled_run_resumes_to_the_planned_calls(app, audits):
    open_page(app, PAGE)
    small_plan(app, rate=20.0)
    button(app, "Start the audit").click().run()
    run_id = app.session_state["audit_run"]
    background.cancel(run_id)
    assert background.wait(run_id, timeout=60)
    app.run()
    run = audits.run(run_id)
    assert run.status == RunStatus.CANCELLED and run.done_calls < run.total_calls
    assert "Cancelled" in progress_text(app)
    button(app, "Resume").click().run()
    assert background.wait(run_id, timeout=60)
    app.run()
    run = audits.run(run_id)
    assert run.status == RunStatus.DONE and run.done_calls == run.total_calls
    assert len(list(audits.answers(run_id))) == run.total_calls


def test_two_runs_compare_and_show_over_time(app):
    open_page(app, PAGE)
    small_plan(app)
    start(app)
    app.session_state["_audit_goto"] = "Plan and start"
    app.run()
    start(app)
    app.session_state["_audit_goto"] = "Two runs"
    app.run()
    assert not app.exception and not app.error
    assert "The same shoppers in both runs" in texts(app)
    app.session_state["_audit_goto"] = "Over time"
    app.run()
    assert not app.exception
    assert app.get("vega_lite_chart") or app.get("arrow_vega_lite_chart")
