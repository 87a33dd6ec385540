"""The audit's plan: its checks, its JSON, its shoppers and calls, its estimate."""

from __future__ import annotations

import json

import pytest

from fashionai.audit.model import AUDIT_SESSION_PREFIX, Purpose
from fashionai.audit.estimate import estimate_plan
from fashionai.audit.plan import (
    PLAN_FORMAT,
    AuditPlan,
    PastedShopper,
    PlanError,
    example_plan,
    pasted_shoppers,
    plan_from_json,
    plan_to_json,
    resolve_plan,
)
from fashionai.audit.shoppers import price_bands, synthetic_personas
from fashionai.catalog import load_catalog
from fashionai.domain import EventType
from fashionai.journeys.journey import Journey, Step
from fashionai.text.formatting import duration_words

RUN = "0123456789abcdef" * 2
CSV = (
    "id,name,category,price,stock,color,style,brand\n"
    "007,Red dress,Dresses,100,5,Red,boho,A\n"
    "7,Blue dress,Dresses,200,0,Blue,office,B\n"
    "008,Red skirt,Skirts,50,2,Red,boho,A\n"
    "009,Blue skirt,Skirts,80,1,Blue,office,B\n"
    "010,Red top,Tops,30,,Red,boho,B\n"
    "011,Blue top,Tops,40,3,Blue,office,A\n"
)


@pytest.fixture
def catalog(tmp_path):
    path = tmp_path / "catalog.csv"
    path.write_text(CSV, encoding="utf-8")
    return load_catalog(path)


def test_a_plan_refuses_what_cannot_be_run():
    with pytest.raises(PlanError, match="needs a name"):
        AuditPlan(name="  ")
    with pytest.raises(PlanError, match="needs shoppers"):
        AuditPlan(name="x", synthetic_personas=0)
    with pytest.raises(PlanError, match="K must be"):
        AuditPlan(name="x", k=0)
    with pytest.raises(PlanError, match="rate"):
        AuditPlan(name="x", rate=0)
    with pytest.raises(PlanError, match="rate"):
        AuditPlan(name="x", rate=True)
    with pytest.raises(PlanError, match="unknown placement"):
        AuditPlan(name="x", placements=("shopTheLook",))
    with pytest.raises(PlanError, match="calls at once"):
        AuditPlan(name="x", concurrency=100)


def test_category_pages_are_always_planned_and_placements_keep_one_order():
    plan = AuditPlan(name="x", placements=(EventType.PRODUCT_VIEW, EventType.CUSTOM_SHELF))
    assert plan.placements == (EventType.CATEGORY_VIEW, EventType.CUSTOM_SHELF, EventType.PRODUCT_VIEW)


def test_a_plan_round_trips_through_json_with_its_journeys_and_sessions():
    journey = Journey("Boho", "", "Dresses", (Step(EventType.PRODUCT_VIEW, "007"),))
    plan = AuditPlan(name="Weekly", categories=("Dresses", "Skirts"), synthetic_personas=3, builtin_personas=True,
                     journeys=(journey,), sessions=(PastedShopper("s1", "u1"), PastedShopper("s2")),
                     placements=(EventType.CUSTOM_SHELF,), product_sample=2, k=5, stability_twins=1,
                     rate=12.5, concurrency=2, seed=7)
    text = plan_to_json(plan)
    assert json.loads(text)["format"] == PLAN_FORMAT
    back = plan_from_json(text)
    assert back == plan
    assert back.journeys[0].steps[0].id == "007"  # ids stay text


@pytest.mark.parametrize("text, words", [
    (b"\xff\xfe", "not UTF-8"),
    ("[1, 2]", "JSON object"),
    ("{", "not JSON"),
    ("[" * 100_000, "not JSON"),
    ('{"name": "x", "format": "other/2"}', "format"),
    ('{"name": "x", "shoppers": []}', "must be an object"),
    ('{"name": "x", "shoppers": {"synthetic_personas": "5"}}', "whole number"),
    ('{"name": "x", "shoppers": {"sessions": [{"session_id": ""}]}}', "needs a session id"),
    ('{"name": {"a": 1}, "shoppers": {"synthetic_personas": 1}}', "expected text"),
    ('{"name": "x", "categories": "Dresses", "shoppers": {"synthetic_personas": 1}}', "must be a list"),
    ('{"name": "x", "shoppers": {"journeys": [{"name": "j"}]}}', "journey of the plan"),
])
def test_a_bad_plan_file_says_what_is_wrong(text, words):
    with pytest.raises(PlanError, match=words):
        plan_from_json(text)


def test_synthetic_personas_like_one_taste_each_and_are_deterministic(catalog):
    personas = synthetic_personas(catalog, 6, seed=1)
    assert personas == synthetic_personas(catalog, 6, seed=1)
    names = [p.name for p in personas]
    assert len(set(names)) == len(names) == 6
    # styles, colours, brands and price bands take turns
    assert names == ["Boho shopper", "Red lover", "A fan", "Mid-range shopper", "Office shopper", "Blue lover"]
    for persona in personas:
        assert persona.steps[0].event_type == EventType.CATEGORY_VIEW
        assert all(step.id in catalog.products.index for step in persona.steps[1:])


def test_fewer_personas_than_asked_when_the_catalog_has_fewer_tastes(catalog):
    assert len(synthetic_personas(catalog, 500)) < 500
    assert synthetic_personas(catalog, 0) == []


def test_price_bands_are_thirds_of_each_category():
    import pandas as pd
    frame = pd.DataFrame({"category": ["A", "A", "A", "B"], "price": [1, 2, 3, None]}, index=["1", "2", "3", "4"])
    assert price_bands(frame).tolist()[:3] == ["budget", "mid-range", "premium"]
    assert pd.isna(price_bands(frame)["4"])


def test_resolving_lays_out_every_shoppers_calls_on_its_own_synthetic_session(catalog):
    plan = AuditPlan(name="x", synthetic_personas=2, stability_twins=1, sessions=(PastedShopper("real", "u"),),
                     placements=(EventType.CUSTOM_SHELF, EventType.PRODUCT_VIEW), product_sample=1)
    resolved = resolve_plan(plan, catalog, RUN)
    assert resolved.categories == ("Dresses", "Skirts", "Tops")
    keys = [s.key for s in resolved.shoppers]
    assert keys[2] == "session:real|u" and keys[3].endswith("#twin")
    twin = resolved.shoppers[3]
    assert twin.twin_of == keys[0] and twin.warmup == resolved.shoppers[0].warmup
    sessions = [s.session_id for s in resolved.shoppers]
    assert sessions[2] == "real"
    assert all(s.startswith(AUDIT_SESSION_PREFIX) for i, s in enumerate(sessions) if i != 2)
    assert len(set(sessions)) == 4
    calls = resolved.shopper_calls(resolved.shoppers[0])
    warm = len(resolved.shoppers[0].warmup)
    assert [c.purpose for c in calls[:warm]] == [Purpose.WARMUP] * warm
    assert calls[warm].event_type == EventType.CUSTOM_SHELF
    assert [c.item_id for c in calls[warm + 1:warm + 4]] == ["Dresses", "Skirts", "Tops"]
    assert [c.event_type for c in calls[warm + 4:]] == [EventType.PRODUCT_VIEW] * 3
    assert [c.step for c in calls] == list(range(len(calls)))
    assert len(calls) == resolved.calls_per_shopper(resolved.shoppers[0])
    assert resolved.total_calls == sum(1 for _ in resolved.all_calls())
    # the same run id resolves to the same shoppers and sessions: a run can be resumed
    assert resolve_plan(plan, catalog, RUN) == resolved


def test_planned_categories_missing_from_the_catalog_are_left_out_and_named(catalog):
    resolved = resolve_plan(AuditPlan(name="x", categories=("Tops", "Hats")), catalog, RUN)
    assert resolved.categories == ("Tops",) and resolved.missing_categories == ("Hats",)
    with pytest.raises(PlanError, match="none of the plan's categories"):
        resolve_plan(AuditPlan(name="x", categories=("Hats",)), catalog, RUN)


def test_the_estimate_counts_calls_events_and_time(catalog):
    plan = AuditPlan(name="x", synthetic_personas=2, stability_twins=0, rate=2.0, concurrency=1)
    resolved = resolve_plan(plan, catalog, RUN)
    estimate = estimate_plan(resolved)
    warmups = sum(len(s.warmup) for s in resolved.shoppers)
    assert estimate.calls == 3 + 2 * 3 + warmups
    assert estimate.tracking_events == estimate.calls - 3
    assert estimate.by_event[EventType.SALES_RANKING] == 3
    assert estimate.seconds == estimate.calls / 2.0
    assert estimate_plan(resolved, latency=1.0).seconds == estimate.calls * 1.0  # latency bound, 1 at once
    assert "tracking events" in estimate.words() and "real shoppers" not in estimate.words()
    real = estimate_plan(resolve_plan(AuditPlan(name="x", synthetic_personas=0, sessions=(PastedShopper("s"),)),
                                      catalog, RUN))
    assert real.real_sessions == 1 and "real shoppers' sessions" in real.words()


def test_the_estimate_tells_the_personas_warm_up_from_the_measured_calls(catalog):
    """Issue 21, item 23: product-page calls were listed for a plan without product pages, not said to be the
    personas' warm-up."""
    plan = AuditPlan(name="x", synthetic_personas=2, stability_twins=0)
    resolved = resolve_plan(plan, catalog, RUN)
    estimate = estimate_plan(resolved)
    assert EventType.PRODUCT_VIEW not in plan.placements
    warmups = sum(step.event_type == EventType.PRODUCT_VIEW for s in resolved.shoppers for step in s.warmup)
    assert estimate.by_purpose[EventType.PRODUCT_VIEW, Purpose.WARMUP] == warmups > 0
    assert (EventType.PRODUCT_VIEW, Purpose.MEASURE) not in estimate.by_purpose
    assert estimate.by_purpose[EventType.SALES_RANKING, Purpose.REFERENCE] == 3
    assert sum(estimate.by_purpose.values()) == estimate.calls


@pytest.mark.parametrize("seconds, words", [
    (0, "1 second"), (40.2, "41 seconds"), (150, "3 minutes"), (4800, "1 hour 20 minutes"), (7200, "2 hours"),
])
def test_duration_words(seconds, words):
    assert duration_words(seconds) == words


def test_pasted_shoppers_take_commas_tabs_and_semicolons():
    assert pasted_shoppers("a\nb, u1\n\nc\tu2\nd; u3") == (
        PastedShopper("a"), PastedShopper("b", "u1"), PastedShopper("c", "u2"), PastedShopper("d", "u3"))


def test_the_example_plan_runs_every_category_with_five_personas(catalog):
    plan = example_plan(catalog)
    assert plan.categories == () and plan.synthetic_personas == 5
    assert plan_from_json(plan_to_json(plan)) == plan


@pytest.mark.parametrize("make, words", [
    (lambda: PastedShopper("abc\x00def"), ("a pasted session id cannot hold control characters; “abc<U+0000>def” "
                                           "holds NUL (U+0000)")),
    (lambda: PastedShopper("s1", "u\u202e1"), ("a pasted user id cannot hold control characters; “u<U+202E>1” holds "
                                               "a right-to-left override (U+202E)")),
    (lambda: PastedShopper("s\x851"), "(U+0085)"),  # C1
    (lambda: PastedShopper("s\x1b[2J"), "(U+001B)"),  # an escape sequence
    (lambda: pasted_shoppers("good\nbad\u2066id, u"), "a left-to-right isolate (U+2066)"),
    (lambda: AuditPlan(name="Weekly\x00"), ("a plan's name cannot hold control characters; “Weekly<U+0000>” holds "
                                            "NUL (U+0000)")),
    (lambda: AuditPlan(name="Weekly \u202etxt.exe"), "holds a right-to-left override (U+202E)"),
    (lambda: AuditPlan(name="a\x7fb"), "DEL (U+007F)"),
    (lambda: plan_from_json(json.dumps({"name": "x\u0000", "shoppers": {"synthetic_personas": 1}})),
     "cannot hold control characters"),
])
def test_control_characters_in_ids_and_names_are_refused_for_what_they_are(make, words):
    # issue 21, item 13: a NUL in a session id passed (and failed on PostgreSQL); in a name it was "too long"
    with pytest.raises(PlanError) as refused:
        make()
    assert words in str(refused.value) and "at most" not in str(refused.value)


def test_tabs_and_line_breaks_in_a_plan_name_are_spaces():
    assert AuditPlan(name="Weekly\taudit\r\n").name == "Weekly audit"
