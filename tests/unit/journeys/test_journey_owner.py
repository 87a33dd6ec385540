"""A journey records who made it (issue 23): kept through its JSON file, absent for a built-in persona, said in the
line under it on the journeys page."""

from __future__ import annotations

import json

import pytest

from fashionai.journeys.journey import Journey, Step, journey_from_json, journey_to_json, made_by
from fashionai.journeys.view import journey_caption

STEPS = (Step("productView", "000814"),)


def test_the_owner_travels_with_the_journey_file():
    journey = Journey("Demo", "A walk", "Dresses", STEPS, owner=" Ana@Store.com ")
    assert journey.owner == "ana@store.com"
    again = journey_from_json(journey_to_json(journey))
    assert again == journey and again.owner == "ana@store.com"
    plain = Journey("Persona", "", "Dresses", STEPS)
    assert "owner" not in json.loads(journey_to_json(plain)) and journey_from_json(journey_to_json(plain)).owner == ""


def test_an_owner_that_is_not_text_is_refused():
    text = json.dumps({"name": "x", "target_category": "Dresses", "owner": 5,
                       "steps": [{"eventType": "productView", "id": "1"}]})
    with pytest.raises(ValueError, match='"owner" must be text'):
        journey_from_json(text)


def test_the_caption_says_who_made_it():
    assert journey_caption(Journey("D", "A walk", "Dresses", STEPS, owner="local")) == "A walk · made by local user"
    assert journey_caption(Journey("D", "", "Dresses", STEPS)) == ""


def test_made_by_names_the_maker_unless_the_journey_says_one():
    plain = Journey("D", "", "Dresses", STEPS)
    assert made_by(plain, "ana@store.com").owner == "ana@store.com"
    assert made_by(made_by(plain, "bo@store.com"), "ana@store.com").owner == "bo@store.com"
