"""Helpers of the audit page's tests: the page, a small plan to run, and a run started and waited for."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from fashionai.audit import background
from tests.apptest_helpers import button

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
