"""What a run will cost, counted from a plan's figures without laying out its calls (`estimate.estimate_plan` and
`estimate.plan_estimate` read it): a run asks the best sellers of every category, then each shopper's warm-up steps,
the home shelf (when planned), every category's page, every sampled product page and each query's search."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from fashionai.audit.model import Purpose
from fashionai.domain import EventType
from fashionai.journeys.journey import Step
from fashionai.text.formatting import duration_words


class PlanFigures(Protocol):
    """The figures of a plan an estimate reads (a `plan.AuditPlan` has them): this module is below plan.py."""

    @property
    def placements(self) -> Sequence[str]: ...
    @property
    def rate(self) -> float: ...
    @property
    def concurrency(self) -> int: ...
    @property
    def queries(self) -> Sequence[str]: ...


@dataclass(frozen=True)
class Estimate:
    """What a run will cost before it starts."""

    calls: int
    tracking_events: int  # calls Fashion.AI records as visits (all but the best sellers)
    by_event: dict[str, int]  # calls per EventType
    shoppers: int
    synthetic_sessions: int
    real_sessions: int  # pasted sessions: real shoppers' sessions receive these events
    seconds: float  # at the plan's rate (or the latency's bound, when slower)
    categories: int
    by_purpose: dict[tuple[str, str], int] = field(default_factory=dict)  # calls per (EventType, Purpose)

    def words(self) -> str:
        """The estimate in one plain sentence."""
        real = (f"; {self.real_sessions:,} of them are real shoppers' sessions, which Fashion.AI will record as "
                "their visits" if self.real_sessions else "")
        return (f"{self.calls:,} calls ({self.tracking_events:,} tracking events) for {self.shoppers:,} shoppers "
                f"over {self.categories:,} categories, about {duration_words(self.seconds)}{real}.")


def count_calls(plan: PlanFigures, *, categories: int, product_pages: int, warmups: Iterable[Sequence[Step]],
                real_sessions: int, latency: float = 0.0) -> Estimate:
    """The estimate of `plan` over `categories` categories and `product_pages` sampled product pages (all
    categories together), for shoppers with these warm-up steps (one sequence a shopper, () for none) of whom
    `real_sessions` are pasted sessions. Arithmetic only: the same counts as walking the calls."""
    by_event: dict[str, int] = {EventType.SALES_RANKING: categories}
    by_purpose: dict[tuple[str, str], int] = {(EventType.SALES_RANKING, Purpose.REFERENCE): categories}
    shoppers = 0
    for steps in warmups:
        shoppers += 1
        for step in steps:
            by_event[step.event_type] = by_event.get(step.event_type, 0) + 1
            warm = (step.event_type, Purpose.WARMUP)  # a persona's warm-up: not scored
            by_purpose[warm] = by_purpose.get(warm, 0) + 1
    measured = {EventType.CUSTOM_SHELF: 1 if EventType.CUSTOM_SHELF in plan.placements else 0,
                EventType.CATEGORY_VIEW: categories,
                EventType.PRODUCT_VIEW: product_pages if EventType.PRODUCT_VIEW in plan.placements else 0,
                EventType.SEARCH: len(plan.queries)}  # each shopper searches each query once
    for event, each in measured.items():
        if each and shoppers:
            by_event[event] = by_event.get(event, 0) + each * shoppers
            by_purpose[event, Purpose.MEASURE] = each * shoppers
    calls = sum(by_event.values())
    seconds = max(calls / plan.rate, calls * max(latency, 0.0) / plan.concurrency)
    return Estimate(calls, calls - categories, by_event, shoppers, shoppers - real_sessions, real_sessions, seconds,
                    categories, by_purpose)
