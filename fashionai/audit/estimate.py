"""A plan's estimate: the calls, tracking events and time of a run, from the plan resolved (`estimate_plan`) or
counted without resolving it (`plan_estimate`: what the Audits page and `audit run` check the call cap on first).
Both count, never walk, the calls (`_estimate.count_calls`).

    estimate = estimate_plan(resolve_plan(plan, catalog, run_id))   # calls, tracking events, time
    estimate = plan_estimate(plan, catalog)                          # the same, counted without resolving
"""

from __future__ import annotations

from fashionai.audit._estimate import Estimate, count_calls
from fashionai.audit.plan import AuditPlan, ResolvedPlan, plan_categories, plan_journeys
from fashionai.catalog import Catalog
from fashionai.domain import EventType


def estimate_plan(resolved: ResolvedPlan, *, latency: float = 0.0) -> Estimate:
    """The calls, tracking events and time of a run; `latency` (seconds a call, if known) bounds the time too.
    Counted, not walked (`_estimate.count_calls`)."""
    return count_calls(resolved.plan, categories=len(resolved.categories),
                       product_pages=sum(len(ids) for ids in resolved.products.values()),
                       warmups=(s.warmup for s in resolved.shoppers),
                       real_sessions=sum(1 for s in resolved.shoppers if not s.synthetic_session), latency=latency)


def plan_estimate(plan: AuditPlan, catalog: Catalog, *, latency: float = 0.0) -> Estimate:
    """`estimate_plan` of the plan over `catalog` without resolving it (no shopper, no call laid out): what the
    Audits page and `audit run` check the call cap on first. PlanError as `resolve_plan` when no category is left."""
    categories, _ = plan_categories(plan, catalog)
    sizes = catalog.products["category"].value_counts() if EventType.PRODUCT_VIEW in plan.placements else None
    pages = 0 if sizes is None else sum(min(plan.product_sample, int(sizes.get(c, 0))) for c in categories)
    personas = [journey.steps for _, journey in plan_journeys(plan, catalog)]
    warmups = [*personas, *(() for _ in plan.sessions), *personas[:plan.stability_twins]]
    return count_calls(plan, categories=len(categories), product_pages=pages, warmups=warmups,
                       real_sessions=len(plan.sessions), latency=latency)
