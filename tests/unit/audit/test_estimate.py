"""The estimate counted from a plan's figures (issue 21, item 12): the same as walking the calls on small plans,
and over 100,000 categories computed without resolving the plan, its shoppers or its calls."""

from __future__ import annotations

from collections import Counter

import pandas as pd
import pytest

from fashionai.audit import plan as plan_module
from fashionai.audit.estimate import estimate_plan, plan_estimate
from fashionai.audit.plan import AuditPlan, PastedShopper, ResolvedPlan, example_plan
from fashionai.catalog import load_catalog
from fashionai.catalog.sample import SAMPLE_CATALOG_PATH
from fashionai.domain import EventType
from fashionai.journeys.journey import Journey, Step

CV, SHELF, PV = EventType.CATEGORY_VIEW, EventType.CUSTOM_SHELF, EventType.PRODUCT_VIEW
WALK = Journey("Walker", "", "Dresses", (Step(CV, "Tops"), Step(PV, "x"), Step(EventType.SHOP_THE_LOOK, "x")))


@pytest.fixture(scope="module")
def sample():
    return load_catalog(SAMPLE_CATALOG_PATH)


@pytest.mark.parametrize("plan", [
    AuditPlan("one", synthetic_personas=1, stability_twins=0),
    AuditPlan("twins", synthetic_personas=4, stability_twins=3, categories=("Dresses", "Tops", "Hats")),
    AuditPlan("more twins than personas", synthetic_personas=2, stability_twins=50),
    AuditPlan("shelf and pages", synthetic_personas=3, placements=(SHELF, PV), product_sample=4),
    AuditPlan("many pages", synthetic_personas=1, placements=(PV,), product_sample=20),
    AuditPlan("sessions only", synthetic_personas=0, sessions=(PastedShopper("s1"), PastedShopper("s1", "u")),
              stability_twins=2, placements=(SHELF,)),
    AuditPlan("everyone", synthetic_personas=500, builtin_personas=True, journeys=(WALK,),
              sessions=(PastedShopper("s"),), placements=(SHELF, PV), stability_twins=7, rate=3.0),
], ids=lambda plan: plan.name)
def test_the_counted_estimate_is_the_walked_count(sample, plan):
    resolved = plan_module.resolve_plan(plan, sample, "0" * 32)
    walked = Counter(call.event_type for call in resolved.all_calls())
    for estimate in (plan_estimate(plan, sample), estimate_plan(resolved)):
        assert estimate.calls == sum(walked.values()) == resolved.total_calls
        assert {k: v for k, v in estimate.by_event.items() if v} == dict(walked)
        assert estimate.shoppers == len(resolved.shoppers)
        assert estimate.real_sessions == sum(not s.synthetic_session for s in resolved.shoppers)
        assert estimate.tracking_events == estimate.calls - len(resolved.categories)
        assert estimate.seconds == estimate.calls / plan.rate


@pytest.fixture(scope="module")
def huge(tmp_path_factory):
    """100,000 categories of one product each, three colours and two styles among them."""
    n = 100_000
    ids = [f"p{i}" for i in range(n)]
    frame = pd.DataFrame({"id": ids, "name": ids, "category": [f"c{i}" for i in range(n)],
                          "price": [i % 97 + 1 for i in range(n)], "color": [("red", "blue", "black")[i % 3]
                                                                              for i in range(n)],
                          "style": [("a", "b")[i % 2] for i in range(n)], "stock": 1})
    path = tmp_path_factory.mktemp("huge") / "huge.csv"
    frame.to_csv(path, index=False)
    return load_catalog(path)


def test_the_estimate_over_100000_categories_resolves_nothing(huge, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the estimate resolved the plan or walked its calls")

    monkeypatch.setattr(plan_module, "resolve_plan", refuse)
    for name in ("shopper_calls", "all_calls", "reference_calls", "calls_per_shopper"):
        monkeypatch.setattr(ResolvedPlan, name, refuse)
    estimate = plan_estimate(example_plan(huge), huge)  # five personas, two of them twice
    n, shoppers = 100_000, 5 + 2
    assert estimate.categories == n and estimate.shoppers == shoppers
    # one product a category: each persona's warm-up is its home category's page and its one product
    assert estimate.by_event == {EventType.SALES_RANKING: n, CV: shoppers * n + shoppers, PV: shoppers}
    assert estimate.calls == n + shoppers * n + 2 * shoppers
