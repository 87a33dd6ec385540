"""The leave-one-out experiment as an audit plan: which of a shopper's events put each product where it is.

    experiment = Experiment(events=journey.steps, category="Dresses", twins=2)
    experiment.variants()        # all, without 1..n, (only 1..n), twin 1..t
    experiment.cost()            # its calls, counted before anything is sent
    plan = experiment.plan()     # an AuditPlan: run by the audit runner like any other
    experiment_from_plan(plan)   # and back, from a stored run's plan

Each variant is a fresh synthetic session (the audit's session prefix) that sends its events
(the warm-up) and then asks the final question, the category's page (measured):

- "all": every event, in order;
- "without i": every event but the i-th (one a event);
- "only i": the i-th event alone (when asked: `singles`);
- "twin t": every event again, on another fresh session, to measure the engine's own noise.

The final question is a category page: the one a journey watches, a walk's last category,
a compare lane's category. So the experiment is a plain audit plan (its variants are its
journeys, its one category the plan's), and the audit runner runs it under its rate limit,
stores it, shows its progress and resumes it. Like every audit, a run first asks the
category's best sellers (one call, not a tracking event), so its cost in calls is
1 + the sum over variants of (its events + 1): at most variants × (events + 1) + 1.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fashionai.api.client import FashionAIClient
from fashionai.audit.plan import AuditPlan, PlanError
from fashionai.audit.runner import AuditRunner, start_run
from fashionai.audit.store import AuditStore
from fashionai.catalog import Catalog
from fashionai.domain import MAX_STEPS
from fashionai.journeys.journey import Journey, Step

PLAN_PREFIX = "Leave-one-out: "
"""The name of every experiment's plan starts with this (the audit list tells them apart by it)."""
MIN_EVENTS = 2
"""An experiment needs two events at least: without the only one, a variant would have none to replay."""
MAX_TWINS = 10
"""The most twins an experiment may ask for."""
DEFAULT_TWINS = 2

ALL, WITHOUT, ONLY, TWIN = "all", "without", "only", "twin"
_VARIANT = re.compile(r"^(all|without|only|twin)(?: ([1-9][0-9]*))?$")


class ExplainError(ValueError):
    """An experiment that cannot be made or read; the message says why in plain words."""


@dataclass(frozen=True)
class Variant:
    """One replay of the experiment: its kind, the event it is about (1-based; the twin's number for a twin,
    0 for "all") and the events it sends before the final question."""

    kind: str
    number: int
    steps: tuple[Step, ...]

    @property
    def name(self) -> str:
        """"all", "without 3", "only 3", "twin 1": the variant's journey name in the plan."""
        return self.kind if self.kind == ALL else f"{self.kind} {self.number}"

    @property
    def calls(self) -> int:
        """Its calls: each event, then the final question."""
        return len(self.steps) + 1


@dataclass(frozen=True)
class Cost:
    """What an experiment sends, counted before it starts."""

    calls: int  # every call, with the best sellers asked first
    tracking_events: int  # every call but the best sellers
    sessions: int  # fresh synthetic sessions, one a variant

    def words(self) -> str:
        return (f"{self.calls:,} calls ({self.tracking_events:,} tracking events) on {self.sessions:,} fresh "
                "synthetic sessions")


@dataclass(frozen=True)
class Experiment:
    """Leave-one-out replays of `events`, each variant then asking for `category`'s page."""

    events: tuple[Step, ...]
    category: str
    twins: int = DEFAULT_TWINS
    singles: bool = False  # also each event alone ("only i")
    title: str = ""  # where the events come from, in words ("walk of session abc")
    rate: float = 10.0  # requests per second
    concurrency: int = 4

    def __post_init__(self) -> None:
        events = tuple(self.events)
        if not all(isinstance(e, Step) for e in events):
            raise ExplainError("every event of an experiment must be a Step")
        if len(events) < MIN_EVENTS:
            raise ExplainError(f"leaving one event out needs {MIN_EVENTS} events at least; this shopper has "
                               f"{len(events)}")
        if len(events) > MAX_STEPS:
            raise ExplainError(f"an experiment replays at most {MAX_STEPS} events; this shopper has {len(events)}")
        category = str(self.category or "").strip()
        if not category:
            raise ExplainError("an experiment needs a category to ask for last")
        if isinstance(self.twins, bool) or not isinstance(self.twins, int) or not 1 <= self.twins <= MAX_TWINS:
            raise ExplainError(f"twins must be a whole number from 1 to {MAX_TWINS}, not {self.twins!r}")
        object.__setattr__(self, "events", events)
        object.__setattr__(self, "category", category)
        object.__setattr__(self, "title", " ".join(str(self.title or "").split())[:80])

    def variants(self) -> tuple[Variant, ...]:
        """All, each event left out, each event alone (when asked), then the twins: the order they run in."""
        n = len(self.events)
        kept = [Variant(ALL, 0, self.events)]
        kept += [Variant(WITHOUT, i + 1, self.events[:i] + self.events[i + 1:]) for i in range(n)]
        if self.singles:
            kept += [Variant(ONLY, i + 1, (self.events[i],)) for i in range(n)]
        kept += [Variant(TWIN, t + 1, self.events) for t in range(self.twins)]
        return tuple(kept)

    def cost(self) -> Cost:
        """The calls it sends: the category's best sellers, then each variant's events and final question."""
        variants = self.variants()
        calls = 1 + sum(v.calls for v in variants)
        return Cost(calls, calls - 1, len(variants))

    def plan(self) -> AuditPlan:
        """The experiment as an audit plan: a journey a variant, the category the only one asked."""
        name = PLAN_PREFIX + (self.title or self.category)
        journeys = tuple(Journey(v.name, f"{v.name} of {len(self.events)} events", self.category, v.steps)
                         for v in self.variants())
        try:
            return AuditPlan(name=name[:120], description=f"Leave-one-out replays, asking for {self.category}.",
                             categories=(self.category,), synthetic_personas=0, journeys=journeys,
                             stability_twins=0, rate=self.rate, concurrency=self.concurrency)
        except PlanError as err:
            raise ExplainError(str(err)) from err


def experiment_from_plan(plan: AuditPlan) -> Experiment:
    """The experiment a stored run's plan holds; ExplainError when the plan is not one (an ordinary audit)."""
    if not plan.name.startswith(PLAN_PREFIX) or len(plan.categories) != 1 or not plan.journeys:
        raise ExplainError(f"the run of “{plan.name}” is an audit, not a leave-one-out experiment")
    kinds: dict[str, list[Journey]] = {}
    for journey in plan.journeys:
        match = _VARIANT.match(journey.name)
        if match is None:
            raise ExplainError(f"the plan “{plan.name}” holds a journey “{journey.name}” no experiment makes")
        kinds.setdefault(match.group(1), []).append(journey)
    if len(kinds.get(ALL, ())) != 1 or not kinds.get(TWIN):
        raise ExplainError(f"the plan “{plan.name}” lacks its replay of every event or its twins")
    events = kinds[ALL][0].steps
    experiment = Experiment(events, plan.categories[0], twins=len(kinds[TWIN]), singles=bool(kinds.get(ONLY)),
                            title=plan.name[len(PLAN_PREFIX):], rate=plan.rate, concurrency=plan.concurrency)
    if tuple(v.name for v in experiment.variants()) != tuple(j.name for j in plan.journeys):
        raise ExplainError(f"the plan “{plan.name}” does not hold an experiment's variants in order")
    return experiment


def variant_of(shopper_key: str) -> str | None:
    """The variant's name an audit shopper's key names ("journey:without 3" -> "without 3"); None for another."""
    kind, _, name = shopper_key.partition(":")
    return name if kind == "journey" and _VARIANT.match(name) else None



def start_experiment(store: AuditStore, client: FashionAIClient, experiment: Experiment, catalog: Catalog, *,
                     backend: str, catalog_name: str, max_calls: int | None, confirmed_live: bool = False,
                     started_by: str | None = None, **options: object) -> AuditRunner:
    """The experiment stored as a new audit run (not started: call `.run()`, or run it in the background), under
    the audit call cap `max_calls` and the live confirmation, as `audit.runner.start_run`. ExplainError (or the
    audit's PlanError, both ValueErrors in plain words) when it cannot start."""
    if experiment.category not in set(catalog.categories):
        raise ExplainError(f"the category “{experiment.category}” is not in the catalog in use")
    return start_run(store, client, experiment.plan(), catalog, backend=backend, catalog_name=catalog_name,
                     max_calls=max_calls, confirmed_live=confirmed_live, started_by=started_by, **options)
