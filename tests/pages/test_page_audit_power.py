"""AppTest of the Audits page's plan form: how many shoppers a change needs, from the twins of earlier runs."""

from __future__ import annotations

import re

import pytest

from tests.apptest_helpers import open_page, texts
from tests.pages.audit_pages import PAGE, small_plan, start

pytestmark = pytest.mark.slow

FORMULA = "Shoppers needed n = ((z₀.₉₇₅ + z₀.₈) × sd ÷ change)², z₀.₉₇₅ + z₀.₈ = 2.80"


def test_without_an_earlier_run_with_twins_it_says_to_run_one(app):
    open_page(app, PAGE)
    shown = texts(app).replace("\\", "")
    assert FORMULA in shown
    assert "No earlier run with twins on this catalog: run one with twins first (Stability twins above 0)" in shown
    assert not app.exception and not app.error


def test_after_a_run_with_twins_each_headline_measure_says_its_shoppers(app):
    open_page(app, PAGE)
    small_plan(app, personas=4, categories=("Dresses", "Tops"))
    app.number_input(key="audit_plan_twins").set_value(3).run()
    start(app)
    app.session_state["_audit_goto"] = "Plan and start"
    app.run()
    assert not app.exception and not app.error
    shown = texts(app).replace("\\", "")
    assert "From 3 twin pairs of 1 earlier run on this catalog." in shown
    cells = [m.value for m in app.markdown if m.value.startswith("**") and ("shoppers" in m.value or "unknown" in m.value)]
    assert len(cells) == 6, cells  # one a headline measure
    assert all(re.fullmatch(r"\*\*([\d,]+ shoppers|unknown: [a-z ]+)\*\*", cell) for cell in cells), cells
    assert any(re.fullmatch(r"\*\*[\d,]+ shoppers\*\*", cell) for cell in cells), cells
    coverage = app.number_input(key="audit_plan_change_coverage")
    assert coverage.label == "Change to see (points)" and coverage.value == 5.0
    before = [m.value for m in app.markdown if m.value.startswith("**")]
    coverage.set_value(50.0).run()  # a larger change needs fewer shoppers (or as few)
    after = [m.value for m in app.markdown if m.value.startswith("**")]
    assert not app.exception and len(before) == len(after)
    for cell in after:
        assert "nan" not in cell and "None" not in cell
