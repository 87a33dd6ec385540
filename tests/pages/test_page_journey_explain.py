"""AppTest of the leave-one-out panel on the journey page: the cost of explaining the chosen journey said before
anything is sent, and its share link naming the stored run, replayed with no call."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from fashionai.audit import background
from tests.apptest_helpers import button, open_page
from tests.apptest_helpers import texts as all_texts


def texts(app) -> str:
    return all_texts(app).replace("\\", "")


def test_the_journey_page_says_the_cost_of_explaining_the_chosen_journey(app, store):
    open_page(app, "pages/journey.py")
    assert not app.exception
    journey = app.session_state["journey_choice"]
    assert "Replays " in texts(app) and "of the journey " in texts(app)
    assert " calls (" in texts(app) and "fresh synthetic sessions" in texts(app)
    assert store.query(limit=10) == [], f"saying the cost of {journey} sent nothing"


def test_the_journeys_share_link_names_the_experiment_and_replays_it_without_a_call(app, store):
    open_page(app, "pages/journey.py")
    button(app, "Run journey").click().run()
    button(app, "Run the experiment").click().run()
    assert not app.exception and not app.error
    run_id = app.session_state["journey_explain_run"]
    assert background.wait(run_id, timeout=60)
    app.run()
    assert "Read from the stored run" in texts(app)
    params = dict(app.query_params)
    assert params["page"] == "journey" and params["explain"] == run_id
    sent = len(store.query(limit=10_000))

    other = AppTest.from_file(app._script_path, default_timeout=60)  # a colleague opens the link
    other.query_params.update(params)
    other.run()
    assert not other.exception and not other.error
    assert "Read from the stored run" in texts(other) and " moved " in texts(other)
    assert len(store.query(limit=10_000)) == sent  # nothing was sent to Fashion.AI
