"""A journey's run rebuilt from its saved answers (fashionai.compare.replay.replay_journey), and the ids a link names
(JourneyRun.saved_ids)."""

from __future__ import annotations

import pytest

from fashionai.catalog import load_catalog
from fashionai.compare.replay import SHARED_JOURNEY, replay_journey
from fashionai.domain import EventType
from fashionai.journeys.journey import Journey, Step
from tests.history_helpers import snap

CSV = ("id,name,category,price,stock\n"
       "p1,Red dress,dresses,100,5\np2,Blue dress,dresses,120,0\np3,Green dress,dresses,90,2\n")


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(CSV.encode())


def _pairs():
    view = snap(event_type=EventType.PRODUCT_VIEW, item_id="p2", products=("p3",))
    fetch1 = snap(item_id="dresses", products=("p2", "p1"))
    shelf = snap(event_type=EventType.CUSTOM_SHELF, item_id="", products=())
    fetch2 = snap(item_id="dresses", products=())
    return [view, fetch1, shelf, fetch2]


def test_the_run_is_rebuilt_step_by_step_with_the_native_order_for_an_empty_ranking(catalog):
    answers = _pairs()
    run = replay_journey(answers, catalog)
    assert run.journey.name == SHARED_JOURNEY and run.journey.target_category == "dresses"
    assert run.journey.steps == (Step(EventType.PRODUCT_VIEW, "p2"), Step(EventType.CUSTOM_SHELF))
    assert [s.answer for s in run.steps] == [("p3",), ()]
    assert run.steps[0].shown == ("p2", "p1")
    assert run.steps[1].fallback and run.steps[1].shown == ("p1", "p2", "p3")
    assert run.complete and run.session_id == "sess-1" and run.events_sent == 4
    assert run.saved_ids() == tuple(s.id for s in answers)


def test_the_journey_the_link_names_is_kept_when_its_steps_are_the_saved_ones(catalog):
    planned = Journey("Evening out", "Browses.", "dresses",
                      (Step(EventType.PRODUCT_VIEW, "p2"), Step(EventType.CUSTOM_SHELF)))
    assert replay_journey(_pairs(), catalog, journey=planned).journey is planned
    other = Journey("Evening out", "Browses.", "dresses", (Step(EventType.PRODUCT_VIEW, "p1"),))
    assert replay_journey(_pairs(), catalog, journey=other).journey.name == "Evening out"


@pytest.mark.parametrize(("change", "words"), [
    (lambda a: a[:3], "in pairs"),
    (lambda a: [a[0], snap(error="RateLimitError", products=(), status_code=429), *a[2:]], "failure"),
    (lambda a: [*a[:3], snap(item_id="pants")], "not of one category"),
    (lambda a: [*a[:3], snap(item_id="dresses", session_id="sess-2")], "more than one shopper session"),
])
def test_answers_that_are_not_one_run_are_refused(catalog, change, words):
    with pytest.raises(ValueError, match=words):
        replay_journey(change(_pairs()), catalog)
