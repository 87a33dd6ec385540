"""AppTest: a journey's share link replays its run from the history (no call), and its stale note."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from fashionai.output import share
from tests.apptest_helpers import button, metrics, open_page, texts

PAGE = "pages/journey.py"


def _run(at: AppTest) -> AppTest:
    open_page(at, PAGE)
    button(at, "Run journey").click().run()
    assert not at.exception
    return at


def test_a_journey_link_opened_elsewhere_shows_the_same_run_without_a_call(app, store):
    at = _run(app)
    run = at.session_state["journey_run"]
    params = dict(at.query_params)
    assert len(params["snap"]) == 2 * len(run.steps)  # each step's event, then the ranking after it
    before = store.count()

    other = AppTest.from_file(at._script_path, default_timeout=60)  # a colleague opens the link
    other.query_params.update(params)
    other.run()
    assert not other.exception
    page = texts(other)
    assert "Replaying the journey saved on" in page and "no call was made" in page
    replayed = other.session_state["journey_run"]
    assert [s.shown for s in replayed.steps] == [s.shown for s in run.steps]
    assert [s.answer for s in replayed.steps] == [s.answer for s in run.steps]
    assert replayed.journey.name == run.journey.name and replayed.session_id == run.session_id
    assert metrics(other) == metrics(at)
    assert store.count() == before  # no new snapshot: nothing was called


def test_a_journey_link_whose_answers_are_gone_opens_the_page_as_usual(app):
    params = share.encode(share.JourneyView(journey="Persona: Sporty shopper", snapshots=("a" * 32, "b" * 32)))
    app.query_params.update(params)
    app.run()
    assert not app.exception
    page = texts(app)
    assert "not in this studio's history" in page
    assert "Press **Run journey**" in page or "Press Run journey" in page
    assert "journey_run" not in app.session_state


def test_a_run_on_the_sidebar_session_says_when_the_session_changed_and_runs_again(app):
    open_page(app, PAGE)
    app.toggle(key="journey_fresh").set_value(False).run()
    button(app, "Run journey").click().run()
    run = app.session_state["journey_run"]
    app.text_input(key="shopper_session_id").set_value("sess-journey-2").run()
    note = "\n".join(w.value.replace("\\", "") for w in app.warning if "was made for" in w.value)
    assert f"This journey run was made for session {run.session_id}" in note
    assert "the session is now sess-journey-2" in note
    button(app, "Run it again").click().run()
    assert not app.exception
    assert app.session_state["journey_run"].session_id == "sess-journey-2"
    assert not any("was made for" in w.value for w in app.warning)
