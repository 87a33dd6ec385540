"""AppTest of a journey with a search step on the simulator: loaded from its file, planned in words ("searches for
…"), run (the search, then the target ranked), and saved in the history as a search."""

from __future__ import annotations

from fashionai.domain import EventType
from fashionai.journeys.journey import Journey, Step, journey_to_json
from tests.apptest_helpers import button, metrics, open_page

SEARCHER = Journey("Blue dresses", "Searches, then opens dresses.", "Dresses",
                   (Step(EventType.SEARCH, "vestido azul"), Step(EventType.CATEGORY_VIEW, "Dresses")))


def test_a_journey_with_a_search_step_runs_it(app, store):
    open_page(app, "pages/journey.py")
    upload = app.file_uploader(key="journey_upload")
    upload.set_value(("searcher.json", journey_to_json(SEARCHER).encode(), "application/json")).run()
    assert not app.exception and not app.error
    planned = [frame.value for frame in app.dataframe if "what the shopper does" in frame.value.columns]
    assert planned and next(iter(planned[0]["what the shopper does"])) == "searches for “vestido azul”"
    button(app, "Run journey").click().run()
    assert not app.exception and not app.error
    assert metrics(app)["Steps done"] == "2 of 2"
    sent = [(s.event_type, s.item_id) for s in reversed(store.query(limit=100))]
    assert sent == [("search", "vestido azul"), ("categoryView", "Dresses"), ("categoryView", "Dresses"),
                    ("categoryView", "Dresses")]
    run = app.session_state["journey_run"]
    assert run.steps[0].answer  # the search's first page: the dresses in blue
