"""Where an experiment's events come from: a walk's trail, a journey, a compare lane's saved history.

Each gives a `Source` (the events, the category asked last, a title) or an ExplainError saying
in words why these events cannot be replayed (no category opened, fewer than two events).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from fashionai.domain import MAX_STEPS, EventType
from fashionai.explain.experiment import MIN_EVENTS, ExplainError, Experiment
from fashionai.journeys.journey import JOURNEY_EVENTS, Journey, Step
from fashionai.walk.trail import TrailEntry, walk_journey


@dataclass(frozen=True)
class Source:
    """The events to replay, in order, the category asked after them, and where they come from (a title)."""

    events: tuple[Step, ...]
    category: str
    title: str
    note: str = ""  # what was left out, in words

    def experiment(self, *, twins: int, singles: bool = False) -> Experiment:
        return Experiment(self.events, self.category, twins=twins, singles=singles, title=self.title)


def _checked(steps: Sequence[Step], what: str) -> tuple[Step, ...]:
    if len(steps) < MIN_EVENTS:
        raise ExplainError(f"{what} has {len(steps)} event{'s' if len(steps) != 1 else ''}: leaving one out "
                           f"needs {MIN_EVENTS} at least")
    return tuple(steps)


def from_walk(trail: Sequence[TrailEntry], session: str) -> Source:
    """A walk's answered tracking events (as saved as a journey: the last MAX_STEPS), asking its last category."""
    if not any(entry.ok and entry.event == EventType.CATEGORY_VIEW for entry in trail):
        raise ExplainError("open a category first: each replay of the walk ends by asking for its last category")
    try:
        journey, note = walk_journey(trail, f"Walk of {session}")
    except ValueError as err:
        raise ExplainError(str(err)) from err
    return Source(_checked(journey.steps, "this walk"), journey.target_category, f"walk of {session}", note)


def from_journey(journey: Journey) -> Source:
    """A journey's steps, asking the category it watches."""
    return Source(_checked(journey.steps, "this journey"), journey.target_category, f"journey {journey.name}")


def from_history(events: Sequence[tuple[str, str]], category: str, who: str) -> Source:
    """A shopper's saved history (event type, id), oldest first, asking `category`: its tracking events (the
    last MAX_STEPS of them), e.g. a compare lane's session."""
    steps = [Step(event, "" if event == EventType.CUSTOM_SHELF else item) for event, item in events if event in JOURNEY_EVENTS]
    note = f"its last {MAX_STEPS} events" if len(steps) > MAX_STEPS else ""
    return Source(_checked(steps[-MAX_STEPS:], f"the history of {who}"), category, f"history of {who}", note)
