"""What the personas and journeys page shows, worked out without Streamlit (fashionai.journeys.view)."""

from __future__ import annotations

import json

import httpx
import pytest

from fashionai.api.client import FashionAIClient
from fashionai.catalog import load_catalog
from fashionai.domain import EventType
from fashionai.journeys.journey import MAX_STEPS, Journey, Step
from fashionai.journeys.run import run_journey
from fashionai.journeys.view import (
    NEW_JOURNEY,
    Drift,
    compare_lane_name,
    drift,
    editor_token,
    failed_step,
    file_name,
    journey_choices,
    planned_steps,
    product_names,
    run_caption,
    run_cost,
    run_steps,
    step_progress,
)

BASE = "http://api.test/api/v1"
CATALOG_CSV = ("id,name,category,stock\n01,Linen Dress,Dresses,5\n02,Satin Dress,Dresses,0\n"
               "03,Wrap Dress,Dresses,2\n04,Tee,Tops,9\n")
JOURNEY = Journey("Evening out!", "", "Dresses",
                  (Step(EventType.CATEGORY_VIEW, "Tops"), Step(EventType.PRODUCT_VIEW, "03"),
                   Step(EventType.SHOP_THE_LOOK, "99"), Step(EventType.CUSTOM_SHELF)))


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(CATALOG_CSV.encode())


def run(journey=JOURNEY, answers=None, *, user_id=None, native=("01", "02", "03")):
    """The journey run against a script: request number (1 = first) -> (status, products); else 200 ("03", "01")."""
    sent = []

    def handle(request):
        sent.append(json.loads(request.content))
        status, products = (answers or {}).get(len(sent), (200, ["03", "01"]))
        return httpx.Response(status, json={"products": products} if status == 200 else {"error": "no"})

    client = FashionAIClient("t", base_url=BASE, transport=httpx.MockTransport(handle), max_retries=0)
    return run_journey(client, journey, session_id="sess_1", user_id=user_id, native=native)


def test_the_journeys_offered_are_personas_saved_ones_and_a_new_one():
    persona = Journey("Sporty", "", "Dresses", (Step(EventType.CUSTOM_SHELF),))
    choices = journey_choices([persona], {"Mine": JOURNEY}, ["Dresses", "Tops"])
    assert list(choices) == ["Persona: Sporty", "Saved: Mine", NEW_JOURNEY]
    assert choices[NEW_JOURNEY] == Journey("My journey", "", "Dresses", (Step(EventType.CATEGORY_VIEW, "Dresses"),))
    assert list(journey_choices([], {}, [])) == []  # no category: nothing new to build on


def test_editors_are_fresh_for_another_journey_and_files_are_named_after_it():
    assert editor_token(JOURNEY) == editor_token(Journey(**JOURNEY.__dict__)) and len(editor_token(JOURNEY)) == 12
    assert editor_token(JOURNEY) != editor_token(Journey("Other", "", "Dresses", JOURNEY.steps))
    assert file_name(JOURNEY) == "evening-out.json"
    assert file_name(Journey("!!!", "", "Dresses", JOURNEY.steps)) == "journey.json"


def test_planned_steps_say_what_the_shopper_does_and_whether_the_catalog_has_it(catalog):
    rows = planned_steps(JOURNEY, catalog, product_names(catalog))
    assert rows == [
        {"step": 1, "what the shopper does": "opens category Tops", "in your catalog": True},
        {"step": 2, "what the shopper does": "views product Wrap Dress", "in your catalog": True},
        {"step": 3, "what the shopper does": "asks for the look of 99", "in your catalog": False},
        {"step": 4, "what the shopper does": "opens the home shelf", "in your catalog": None},
    ]


def test_a_product_without_a_name_is_shown_by_its_id():
    bare = load_catalog(b"id,category\n03,Dresses\n")  # names blank
    assert planned_steps(JOURNEY, bare, product_names(bare))[1]["what the shopper does"] == "views product 03"
    assert planned_steps(JOURNEY, bare)[1]["what the shopper does"] == "views product 03"


def test_the_cost_of_a_run_is_said_before_it():
    assert run_cost(JOURNEY) == (f"Running sends 8 events: 4 steps (at most {MAX_STEPS}), each followed by a ranking "
                                 "fetch of the target category.")
    one = Journey("One", "", "Dresses", (Step(EventType.CUSTOM_SHELF),))
    assert run_cost(one).startswith("Running sends 2 events: 1 step ")


def test_progress_names_the_step_escaped(catalog):
    assert step_progress(JOURNEY.steps[1], 2, 4, product_names(catalog)) == "Step 2 of 4: views product Wrap Dress"
    assert step_progress(Step(EventType.CATEGORY_VIEW, "a_b"), 1, 1) == "Step 1 of 1: opens category a\\_b"


def test_a_stopped_run_says_which_call_of_which_step_failed():
    assert failed_step(run(answers={1: (400, [])})) == "Step 1 (its event)"
    assert failed_step(run(answers={4: (500, [])})) == "Step 2 (the ranking fetch after it)"


def test_the_runs_caption_says_for_whom_and_how_many_events():
    assert run_caption(run()) == "Session `sess_1` · 8 events sent"
    assert run_caption(run(user_id="9`0", answers={1: (400, [])})) == "Session `sess_1`, user `9'0` · 1 event sent"


def test_the_drift_says_steps_done_what_stayed_in_the_native_top_and_empty_answers(catalog):
    done = drift(run(answers={2: (200, [])}), 2, catalog)  # the first step's ranking fetch is empty: native order
    assert isinstance(done, Drift) and list(done.top["product_id"]) == ["03", "01"]
    assert done.metrics == (("Steps done", "4 of 4"), ("Top 2 still in the native top 2", "1 of 2"),
                            ("Empty answers (native order shown)", 1))
    stopped = drift(run(answers={1: (400, [])}), 3, catalog)
    assert list(stopped.top["product_id"]) == ["01", "02", "03"]  # no step done: the native order
    assert stopped.metrics[:2] == (("Steps done", "0 of 4"), ("Top 3 still in the native top 3", "3 of 3"))
    assert done.reading == ("After 4 steps, 1 of the top 2 is still from the store's own top 2: the browsing "
                            "brought in 1. 1 answer was empty, so the store's own order was shown there.")
    assert stopped.reading == "No step has run yet, so the storefront still shows the store's own order."


def test_the_drift_chart_has_every_product_charted_and_its_catalog_rows(catalog):
    charted = drift(run(answers={4: (200, ["02", "zz"])}), 2, catalog, product_names(catalog))
    assert list(charted.long.columns) == ["step", "step_label", "product_id", "rank"]
    assert set(charted.long["step_label"]) >= {"native order", "views product Wrap Dress"}
    assert sorted(charted.info.index) == sorted(set(charted.long["product_id"])) == ["01", "02", "03", "zz"]
    assert charted.info.loc["02", "name"] == "Satin Dress"
    assert drift(run(native=(), answers={n: (200, []) for n in range(1, 9)}), 3, catalog).long.empty


def test_the_steps_run_say_the_answer_and_the_top_of_the_category(catalog):
    rows = run_steps(run(answers={2: (200, []), 3: (200, ["01"]), 4: (200, ["01", "03"])}), product_names(catalog))
    assert rows[0] == {"step": 1, "what the shopper did": "opens category Tops", "the step's answer": "2 products",
                       "top of the target category": "native order (empty answer)"}
    assert rows[1]["the step's answer"] == "1 product" and rows[1]["top of the target category"] == "Linen Dress"
    assert run_steps(run(answers={4: (200, ["zz"])}), product_names(catalog))[1]["top of the target category"] == "zz"
    assert run_steps(run(answers={4: (200, ["zz"])}))[0]["top of the target category"] == "03"  # no names: the id
    assert run_steps(run(answers={1: (400, [])})) == []


def test_on_the_compare_page_a_persona_is_a_persona_and_anything_else_a_journey():
    done = run()
    assert compare_lane_name(done, [JOURNEY]) == "Persona: Evening out!"
    assert compare_lane_name(done, []) == "Journey: Evening out!"
