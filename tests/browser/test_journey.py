"""Personas and journeys in the browser: a persona's run drifts the ranking; a journey saves and loads as JSON."""

from __future__ import annotations

import json
import re

import pytest

from tests.browser.streamlit_page import (
    alert,
    click_button,
    expect,
    expect_no_exception,
    go_to,
    main,
    selectbox_value,
    upload_file,
)

pytestmark = pytest.mark.browser


def metric(page, label: str):
    return main(page).get_by_test_id("stMetric").filter(has_text=label).get_by_test_id("stMetricValue")


def test_the_default_persona_runs_to_the_end_and_shows_the_drift(studio):
    go_to(studio, "Personas and journeys")
    assert selectbox_value(main(studio), "Journey") == "Persona: Sporty shopper"
    expect(main(studio).get_by_text("Running sends 8 events: 4 steps")).to_be_visible()

    click_button(main(studio), "Run journey")

    expect_no_exception(studio)
    expect(alert(main(studio), "Error")).to_have_count(0)
    expect(main(studio).get_by_test_id("stProgress")).to_have_count(0)  # the bar is gone once the run is done
    expect(metric(studio, "Steps done")).to_have_text("4 of 4")
    expect(main(studio).get_by_test_id("stHeading").filter(has_text="Sporty shopper · Knitwear")).to_be_visible()
    expect(main(studio).get_by_text("· 8 events sent")).to_be_visible()
    drift = main(studio).get_by_test_id("stVegaLiteChart")
    expect(drift.locator("svg, canvas").first).to_be_visible()
    expect(drift).to_contain_text("How the top 10 drifts along the journey")
    # the x axis: the steps, in the shopper's words, wrapped onto lines (each its own text: no space between them)
    expect(drift).to_contain_text(re.compile(r"4\. asks for the\s*look of"))
    expect(main(studio).get_by_text("The storefront after the last step: top 10")).to_be_visible()
    expect(main(studio).locator(".fai-card-picture")).to_have_count(10)


def test_a_journey_saved_as_json_loads_back_edited_and_runs(studio, tmp_path):
    go_to(studio, "Personas and journeys")
    save = main(studio).get_by_test_id("stDownloadButton").filter(has_text="Save as JSON").locator("button")
    with studio.expect_download() as download:
        save.click()  # a download makes no run
    saved = json.loads(download.value.path().read_text())
    assert download.value.suggested_filename == "sporty-shopper.json"
    assert saved["name"] == "Sporty shopper" and len(saved["steps"]) == 4

    edited = dict(saved, name="Sporty, two steps", steps=saved["steps"][:2])
    path = tmp_path / "two-steps.json"
    path.write_text(json.dumps(edited))
    upload_file(main(studio), "Load a journey (JSON)", path)

    assert selectbox_value(main(studio), "Journey") == "Saved: Sporty, two steps"
    expect(main(studio).get_by_text("Running sends 4 events: 2 steps")).to_be_visible()
    click_button(main(studio), "Run journey")
    expect(main(studio).get_by_test_id("stHeading").filter(has_text="Sporty, two steps · Knitwear")).to_be_visible()
    expect(metric(studio, "Steps done")).to_have_text("2 of 2")
    expect(main(studio).get_by_text("· 4 events sent")).to_be_visible()


def test_a_file_that_is_not_a_journey_is_refused_with_a_message(studio, tmp_path):
    go_to(studio, "Personas and journeys")
    path = tmp_path / "not-a-journey.json"
    path.write_text(json.dumps({"name": "No steps", "target_category": "Knitwear", "steps": []}))

    upload_file(main(studio), "Load a journey (JSON)", path)

    expect(alert(main(studio), "Error", "not-a-journey.json could not be loaded")).to_be_visible()
    expect_no_exception(studio)
    assert selectbox_value(main(studio), "Journey") == "Persona: Sporty shopper"
