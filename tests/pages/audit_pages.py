"""Helpers of the audit page's tests: the page, a small plan to run, a run started and waited for, and a slow run
started and cancelled."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from fashionai.audit import background
from tests.apptest_helpers import button, open_page

PAGE = "pages/audit.py"


def small_plan(at: AppTest, *, personas: int = 4, categories=("Dresses", "Tops"), rate: float = 500.0) -> AppTest:
    at.multiselect(key="audit_plan_categories").set_value(list(categories))
    at.number_input(key="audit_plan_personas").set_value(personas)
    at.number_input(key="audit_plan_twins").set_value(1)
    at.number_input(key="audit_plan_rate").set_value(rate)
    return at.run()


def start(at: AppTest) -> str:
    button(at, "Start the audit").click().run()
    assert not at.exception, at.exception
    run_id = at.session_state["audit_run"]
    assert background.wait(run_id, timeout=60)
    at.run()
    return run_id


def start_and_cancel(at: AppTest) -> str:
    """Open the page, start a slow small plan (27 calls at 4 a second: about 7 s) and press Cancel well before its
    end; the run's id."""
    open_page(at, PAGE)
    small_plan(at, rate=4.0)
    button(at, "Start the audit").click().run()
    run_id = at.session_state["audit_run"]
    button(at, "Cancel").click().run()
    assert not at.exception
    return run_id
