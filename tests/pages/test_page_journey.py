"""AppTest of the personas and journeys page, on the simulator and against a loopback live API."""

from __future__ import annotations

import json

from fashionai.domain import EventType
from fashionai.journeys.journey import Journey, Step, journey_to_json
from tests.apptest_helpers import card_pictures, metrics, open_page, texts

PAGE = "pages/journey.py"
TOKEN = "live-token-SECRET-7d3f"
LOADED = Journey("Evening out", "Browses evening wear.", "Dresses",
                 (Step(EventType.PRODUCT_VIEW, "000814"), Step(EventType.CUSTOM_SHELF)))


def run_button(at):
    (button,) = [b for b in at.button if b.label == "Run journey"]
    return button


def test_the_page_opens_on_the_first_persona(app):
    open_page(app, PAGE)
    assert app.selectbox(key="journey_choice").value == "Persona: Sporty shopper"
    assert {"Persona: Office shopper", "Persona: Boho shopper", "New journey"} <= set(
        app.selectbox(key="journey_choice").options)
    assert app.toggle(key="journey_fresh").value is True
    assert "Running sends 8 events" in texts(app)
    assert not app.get("vega_lite_chart")


def test_one_click_runs_the_persona_and_shows_the_drift(app):
    open_page(app, PAGE)
    run_button(app).click().run()
    assert not app.exception
    assert not app.error
    assert len(app.get("vega_lite_chart")) == 1
    assert metrics(app)["Steps done"] == "4 of 4"
    page = texts(app)
    assert "Session `studio-journey-" in page and "8 events sent" in page
    assert "Step 0 is the store's native order" in page
    assert len(card_pictures(app.main)) == 10  # the storefront after the last step: top 10
    key = next(frame.value for frame in app.dataframe if "key" in frame.value.columns)  # the drift chart's key
    assert list(key["key"][:3]) == ["A", "B", "C"] and key["name"].str.len().min() > 0


def test_another_persona_drifts_differently(app):
    open_page(app, PAGE)
    app.selectbox(key="journey_choice").set_value("Persona: Office shopper").run()
    run_button(app).click().run()
    assert not app.exception
    assert metrics(app)["Steps done"] == "5 of 5"
    assert app.subheader[0].value == "Office shopper · Knitwear"


def test_live_mode_says_every_step_is_recorded_and_uses_a_synthetic_session(app, fake_api):
    open_page(app, PAGE)
    assert any("Fashion.AI records every step" in w.value for w in app.warning)
    run_button(app).click().run()
    assert not app.exception
    bodies = [json.loads(r.body) for r in fake_api.requests]
    assert len(bodies) == 8
    assert {b["sessionId"] for b in bodies} == {bodies[0]["sessionId"]}
    assert bodies[0]["sessionId"].startswith("studio-journey-")
    assert bodies[0]["sessionId"] != app.text_input(key="shopper_session_id").value
    assert TOKEN not in texts(app)


def test_an_error_stops_the_run_and_says_where(app, fake_api):
    fake_api.mode = "400"
    open_page(app, PAGE)
    run_button(app).click().run()
    assert not app.exception
    assert len(app.error) == 1
    assert "Step 1 (its event) did not work" in app.error[0].value
    assert metrics(app)["Steps done"] == "0 of 4"
    assert len(fake_api.requests) == 1  # nothing sent after the error


def test_a_loaded_journey_runs_and_is_offered_on_the_compare_page(app):
    open_page(app, PAGE)
    upload = app.file_uploader(key="journey_upload")
    upload.set_value(("evening.json", journey_to_json(LOADED).encode(), "application/json")).run()
    assert not app.exception
    assert app.selectbox(key="journey_choice").value == "Saved: Evening out"
    run_button(app).click().run()
    assert not app.exception
    assert app.subheader[0].value == "Evening out · Dresses"
    assert metrics(app)["Steps done"] == "2 of 2"
    app.switch_page("pages/compare.py").run()
    assert not app.exception
    assert "Journey: Evening out" in app.multiselect(key="compare_lanes").options


def test_a_bad_journey_file_is_a_message(app):
    open_page(app, PAGE)
    bad = json.dumps({"name": "x", "target_category": "Tops", "steps": [{"eventType": "wishlist", "id": "1"}]})
    app.file_uploader(key="journey_upload").set_value(("bad.json", bad.encode(), "application/json")).run()
    assert not app.exception
    assert any("bad\\.json could not be loaded" in e.value and "unknown event type" in e.value for e in app.error)
    assert app.selectbox(key="journey_choice").value == "Persona: Sporty shopper"  # unchanged


def test_an_unfinished_edit_cannot_run(app):
    open_page(app, PAGE)
    app.text_input(key=[w.key for w in app.text_input if (w.key or "").startswith("journey_name_")][0]) \
        .set_value("").run()
    assert not app.exception
    assert any("cannot run yet" in e.value and "needs a name" in e.value for e in app.error)
    assert run_button(app).disabled


def test_changing_k_redraws_without_sending_events(app, fake_api):
    open_page(app, PAGE)
    run_button(app).click().run()
    sent = len(fake_api.requests)
    app.slider(key="journey_k").set_value(5).run()
    assert not app.exception
    assert len(fake_api.requests) == sent
    assert len(app.get("vega_lite_chart")) == 1
    assert "Top 5 still in the native top 5" in metrics(app)


def test_a_loaded_journey_keeps_a_target_the_catalog_lacks(app):
    open_page(app, PAGE)
    journey = Journey("Elsewhere", "", "Swimwear", (Step(EventType.CUSTOM_SHELF),))
    app.file_uploader(key="journey_upload").set_value(
        ("elsewhere.json", journey_to_json(journey).encode(), "application/json")).run()
    run_button(app).click().run()
    assert not app.exception
    assert app.subheader[0].value == "Elsewhere · Swimwear"


def test_saving_the_journey_as_json_does_not_rerun_the_page(app):
    # Like every other download of the studio: a download sends nothing and changes nothing.
    open_page(app, PAGE)
    (save,) = [b for b in app.get("download_button") if b.proto.label == "Save as JSON"]
    assert save.proto.ignore_rerun
