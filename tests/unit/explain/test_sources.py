"""Where an experiment's events come from: a walk's trail, a journey, a saved history; and the words when they
cannot be replayed."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from fashionai.domain import MAX_STEPS, EventType
from fashionai.explain.experiment import ExplainError
from fashionai.explain.sources import from_history, from_journey, from_walk
from fashionai.journeys.journey import Journey, Step
from fashionai.walk.trail import answered, failed

AT = datetime(2026, 12, 7, tzinfo=timezone.utc)


def entry(event, item, products=("p1",)):
    return answered((), event, item, products, elapsed=0.1, snapshot=None, at=AT)


def test_a_walks_tracking_events_asking_for_its_last_category():
    trail = (entry(EventType.CUSTOM_SHELF, ""), entry(EventType.SALES_RANKING, ""),
             entry(EventType.CATEGORY_VIEW, "Tops"), entry(EventType.PRODUCT_VIEW, "p1"),
             entry(EventType.SIMILAR, "p1"), failed(EventType.PRODUCT_VIEW, "p2", "Timeout", at=AT),
             entry(EventType.CATEGORY_VIEW, "Bags"))
    source = from_walk(trail, "s1")
    assert source.events == (Step(EventType.CUSTOM_SHELF), Step(EventType.CATEGORY_VIEW, "Tops"),
                             Step(EventType.PRODUCT_VIEW, "p1"), Step(EventType.CATEGORY_VIEW, "Bags"))
    assert source.category == "Bags" and source.title == "walk of s1"
    assert "3 calls that sent no tracking event" in source.note


def test_a_walk_without_a_category_or_with_one_event_is_said_in_words():
    with pytest.raises(ExplainError, match="open a category first"):
        from_walk((entry(EventType.PRODUCT_VIEW, "p1"),), "s1")
    with pytest.raises(ExplainError, match="this walk has 1 event: leaving one out needs 2 at least"):
        from_walk((entry(EventType.CATEGORY_VIEW, "Tops"),), "s1")


def test_a_journey_asks_for_the_category_it_watches():
    journey = Journey("Fan", "", "Tops", (Step(EventType.PRODUCT_VIEW, "p1"), Step(EventType.SEARCH, "azul")))
    source = from_journey(journey)
    assert source.events == journey.steps and source.category == "Tops" and source.title == "journey Fan"
    assert source.experiment(twins=1).cost().calls == 1 + 3 + 2 * 2 + 3


def test_a_saved_history_keeps_its_last_tracking_events():
    events = [(EventType.SIMILAR, "p0")] + [(EventType.PRODUCT_VIEW, f"p{n}") for n in range(MAX_STEPS + 3)]
    source = from_history(events, "Tops", "lane Anna")
    assert len(source.events) == MAX_STEPS and source.events[0] == Step(EventType.PRODUCT_VIEW, "p3")
    assert source.note == f"its last {MAX_STEPS} events" and source.title == "history of lane Anna"
    with pytest.raises(ExplainError, match="the history of lane Anna has 0 events"):
        from_history([(EventType.SALES_RANKING, "Tops")], "Tops", "lane Anna")
