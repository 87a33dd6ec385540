"""The leave-one-out experiment as an audit plan: its variants, its cost (equal to the runner's calls), its plan
read back from a stored run's JSON, and what it refuses."""

from __future__ import annotations

import pytest

from fashionai.audit.model import AUDIT_SESSION_PREFIX
from fashionai.audit.plan import plan_from_json, plan_to_json, resolve_plan
from fashionai.domain import MAX_STEPS, EventType
from fashionai.explain.experiment import (
    ExplainError,
    Experiment,
    experiment_from_plan,
    variant_of,
)
from fashionai.journeys.journey import Step

EVENTS = (Step(EventType.CATEGORY_VIEW, "Tops"), Step(EventType.PRODUCT_VIEW, "p1"), Step(EventType.SEARCH, "azul"))


def test_variants_are_all_each_event_left_out_and_the_twins():
    experiment = Experiment(EVENTS, "Tops", twins=2)
    variants = experiment.variants()
    assert [v.name for v in variants] == ["all", "without 1", "without 2", "without 3", "twin 1", "twin 2"]
    assert variants[0].steps == EVENTS and variants[-1].steps == EVENTS
    assert variants[2].steps == (EVENTS[0], EVENTS[2])  # without the product view


def test_each_event_alone_when_asked():
    names = [v.name for v in Experiment(EVENTS, "Tops", twins=1, singles=True).variants()]
    assert names == ["all", "without 1", "without 2", "without 3", "only 1", "only 2", "only 3", "twin 1"]
    only = Experiment(EVENTS, "Tops", twins=1, singles=True).variants()[5]
    assert only.steps == (EVENTS[1],)


def test_the_cost_is_the_best_sellers_and_each_variants_events_and_question():
    experiment = Experiment(EVENTS, "Tops", twins=2)
    cost = experiment.cost()
    # all: 3 + 1, without each: 3 x (2 + 1), two twins: 2 x (3 + 1), the best sellers: 1
    assert (cost.calls, cost.tracking_events, cost.sessions) == (1 + 4 + 9 + 8, 21, 6)
    variants, events = 6, 3
    assert cost.calls <= variants * (events + 1) + 1
    assert cost.words() == "22 calls (21 tracking events) on 6 fresh synthetic sessions"


def test_the_cost_is_what_the_audit_runner_will_send(catalog):
    category = catalog.categories[0]
    product = catalog.category_ids(catalog.categories[1])[0]
    experiment = Experiment((Step(EventType.CATEGORY_VIEW, category), Step(EventType.PRODUCT_VIEW, product)),
                            category, twins=3, singles=True)
    resolved = resolve_plan(experiment.plan(), catalog, "a" * 32)
    assert resolved.total_calls == experiment.cost().calls == len(list(resolved.all_calls()))
    assert all(s.session_id.startswith(AUDIT_SESSION_PREFIX) for s in resolved.shoppers)
    assert len({s.session_id for s in resolved.shoppers}) == len(experiment.variants())  # each a fresh session
    last = resolved.shopper_calls(resolved.shoppers[1])[-1]
    assert (last.event_type, last.item_id, last.purpose) == (EventType.CATEGORY_VIEW, category, "measure")


def test_the_plan_round_trips_through_a_stored_runs_json():
    experiment = Experiment(EVENTS, "Tops", twins=3, singles=True, title="walk of s1")
    back = experiment_from_plan(plan_from_json(plan_to_json(experiment.plan())))
    assert back == experiment
    assert variant_of("journey:without 2") == "without 2" and variant_of("persona:Sporty") is None


def test_an_ordinary_audit_plan_is_not_an_experiment():
    from fashionai.audit.plan import AuditPlan
    with pytest.raises(ExplainError, match="an audit, not a leave-one-out experiment"):
        experiment_from_plan(AuditPlan(name="Weekly"))


@pytest.mark.parametrize(("events", "twins", "words"), [
    (EVENTS[:1], 2, "needs 2 events at least; this shopper has 1"),
    (EVENTS * 7, 2, f"at most {MAX_STEPS} events"),
    (EVENTS, 0, "twins must be a whole number from 1"),
    (EVENTS, True, "twins must be a whole number from 1"),
])
def test_what_an_experiment_refuses(events, twins, words):
    with pytest.raises(ExplainError, match=words):
        Experiment(events, "Tops", twins=twins)
