"""AppTest of the audit page's "Two runs": each measure's change told from noise (its 95% interval by a paired
bootstrap over shoppers, and a verdict), the method said, and why not when the runs cannot be paired."""

from __future__ import annotations

import pytest

from fashionai.audit import noise
from tests.apptest_helpers import button, open_page, texts
from tests.pages.audit_pages import PAGE, small_plan, start

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def few_resamples(monkeypatch):
    monkeypatch.setattr(noise, "BOOTSTRAP_RESAMPLES", 20)  # quick on a shared machine; the method is the same


def test_two_runs_show_each_change_with_its_interval_and_verdict(app):
    open_page(app, PAGE)
    small_plan(app, categories=("Dresses",))
    start(app)
    app.session_state["_audit_goto"] = "Plan and start"
    app.run()
    small_plan(app, categories=("Dresses",))  # the same plan again
    start(app)
    app.session_state["_audit_goto"] = "Two runs"
    app.run()
    assert not app.exception and not app.error
    shown = texts(app)
    assert "Changes told from noise" in shown
    assert "paired bootstrap over shoppers: 20 resamples of the same shoppers in both runs (seed 25)" in \
        shown.replace("\\", "")
    button(app, "Work out the 95% intervals").click().run()
    assert not app.exception and not app.error
    table = next(frame.value for frame in app.dataframe if "interval" in frame.value.columns)
    assert list(table.columns) == ["measure", "first", "second", "change", "interval", "verdict"]
    table.columns = ["Measure", "First run", "Second run", "Change", "95% interval", "Verdict"]  # as headed
    # the same plan on the same simulator twice: nothing changed beyond noise; stability ran (a twin), so measured
    assert set(table["Verdict"]) <= {"○ within noise", "not measured"} and "○ within noise" in set(table["Verdict"])
    assert table["95% interval"].str.fullmatch(r"—|[+-][\d.]+ (pts|ms)? ?to [+-][\d.]+( pts| ms)?").all(), table
    for cell in table.drop(columns="Measure").astype(str).to_numpy().ravel():
        assert cell not in ("nan", "None") and "(" not in cell  # no repr, no tuple
    app.run()  # kept for the session: shown again without the button
    assert any("interval" in frame.value.columns for frame in app.dataframe)


def test_runs_of_different_plans_say_why_there_is_no_interval(app):
    open_page(app, PAGE)
    small_plan(app, categories=("Dresses",))
    start(app)
    app.session_state["_audit_goto"] = "Plan and start"
    app.run()
    small_plan(app, categories=("Tops",))
    start(app)
    app.session_state["_audit_goto"] = "Two runs"
    app.run()
    assert not app.exception and not app.error
    assert "No interval: the runs did not run the same plan on the same catalog" in texts(app)
    assert not any(b.label == "Work out the 95% intervals" for b in app.button)
