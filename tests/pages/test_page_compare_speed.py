"""The compare page's view changes (K, p, the reference) under AppTest: the same comparison, no call,
each chart built once per view, and a shared link still sets the view's widgets (they live in a fragment)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from fashionai import ui
from fashionai.output import charts
from tests.apptest_helpers import open_page
from tests.pages.compare_pages import PAGE, compare_button, in_tab
from tests.pages.compare_pages import charts as chart_elements



def counting(monkeypatch, name: str) -> list:
    """Count the calls of `charts.<name>` (the page draws through that module)."""
    calls, original = [], getattr(charts, name)

    def counted(*args, **kwargs):
        calls.append(kwargs.get("k"))
        return original(*args, **kwargs)

    monkeypatch.setattr(charts, name, counted)
    return calls


def test_a_view_change_keeps_the_fetched_lanes_and_builds_each_chart_once_per_view(app, live_sim, monkeypatch):
    bumps, heatmaps = counting(monkeypatch, "bump_chart"), counting(monkeypatch, "similarity_heatmap")
    open_page(app, PAGE)
    compare_button(app).click().run()
    assert not app.exception
    lanes, calls = app.session_state[ui.COMPARE_RESULT_KEY].lanes, live_sim.calls
    assert len(bumps) == 1 and heatmaps == []  # only the open tab is drawn: the bump chart's

    app.slider(key="compare_k").set_value(9).run()
    assert app.session_state[ui.COMPARE_RESULT_KEY].lanes is lanes  # the same comparison, remeasured
    assert live_sim.calls == calls  # no call
    assert bumps == [10, 9]
    app.slider(key="compare_k").set_value(10).run()  # a view seen before: its charts are kept
    app.slider(key="compare_k").set_value(9).run()
    assert bumps == [10, 9]
    assert len(chart_elements(app)) == 1

    in_tab(app, "Measures")
    assert len(heatmaps) == 4 and len(chart_elements(app)) == 4
    app.selectbox(key="compare_reference").set_value("Best sellers").run()
    assert len(heatmaps) == 4  # the measures do not depend on the reference: the heatmaps are kept
    assert len(bumps) == 2  # and the bump chart's tab is closed: not built
    in_tab(app, "Bump chart")
    assert len(bumps) == 3 and bumps[-1] == 9
    assert live_sim.calls == calls
    assert app.session_state[ui.COMPARE_RESULT_KEY].lanes is lanes
    assert not app.exception


def test_a_shared_link_sets_the_views_widgets(app):
    open_page(app, PAGE)
    compare_button(app).click().run()
    app.slider(key="compare_k").set_value(6).run()
    app.slider(key="compare_p").set_value(0.8).run()
    app.selectbox(key="compare_reference").set_value("Best sellers").run()
    assert not app.exception
    params = dict(app.query_params)
    assert params["k"] == "6" and params["ref"] == "Best sellers"

    colleague = AppTest.from_file(app._script_path, default_timeout=60)  # another browser opening the link
    colleague.query_params.update(params)
    colleague.run()
    assert not colleague.exception
    assert colleague.slider(key="compare_k").value == 6
    assert colleague.slider(key="compare_p").value == 0.8
    assert colleague.selectbox(key="compare_reference").value == "Best sellers"
    in_tab(colleague, "Rank changes")
    assert {m.label for m in colleague.metric} >= {"New in top 6"}
