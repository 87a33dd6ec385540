"""What the personas and journeys page shows, worked out: the journeys offered, the steps planned and
the steps run as table rows, the drift's headline figures, and the sentences around a run.

The page reads its widgets, calls these and renders what they return (frozen dataclasses, rows and
Markdown strings); no Streamlit here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from fashionai.catalog import Catalog, join_ranking
from fashionai.domain import EventType
from fashionai.journeys.journey import MAX_STEPS, Journey, Step, describe_step, journey_to_json
from fashionai.journeys.run import JourneyRun
from fashionai.output.readings import drift_reading
from fashionai.team import who_words
from fashionai.text.formatting import code_span, escape_markdown, plural

NEW_JOURNEY = "New journey"


def product_names(catalog: Catalog) -> pd.Series | None:
    """Product names by id, for step labels; None when the catalog has no names."""
    return catalog.products["name"] if "name" in catalog.products.columns else None


def journey_caption(journey: Journey) -> str:
    """The line under a journey chosen (Markdown): its description and who made it ("" for neither)."""
    made = f"made by {who_words(journey.owner)}" if journey.owner else ""
    return escape_markdown(" · ".join(part for part in (journey.description, made) if part))


def journey_choices(personas: Iterable[Journey], saved: Mapping[str, Journey],
                    categories: Sequence[str]) -> dict[str, Journey]:
    """The journeys offered, by choice name: every persona, every saved journey, and a new one to edit
    (opening the first category) when the catalog has categories."""
    choices = {f"Persona: {p.name}": p for p in personas} | {f"Saved: {name}": j for name, j in saved.items()}
    if categories:
        first = categories[0]
        choices[NEW_JOURNEY] = Journey("My journey", "", first, (Step(EventType.CATEGORY_VIEW, first),))
    return choices


def editor_token(journey: Journey) -> str:
    """The editor widgets' key suffix: another journey chosen gives fresh editors."""
    return hashlib.sha256(journey_to_json(journey).encode()).hexdigest()[:12]


def file_name(journey: Journey) -> str:
    """The JSON file a journey is saved as: its name in lowercase letters, digits and dashes."""
    slug = "".join(c if c.isalnum() else "-" for c in journey.name.lower()).strip("-") or "journey"
    return f"{slug}.json"


def planned_steps(journey: Journey, catalog: Catalog, names: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
    """A row a step before the run: its number, what the shopper does, whether its id is in the catalog
    (None for a step without an id, and for a search: its id is a query)."""
    return [
        {"step": number, "what the shopper does": describe_step(step, names),
         "in your catalog": (step.id in catalog.categories if step.event_type == EventType.CATEGORY_VIEW
                             else step.id in catalog.products.index)
         if step.id and step.event_type != EventType.SEARCH else None}
        for number, step in enumerate(journey.steps, start=1)
    ]


def run_cost(journey: Journey) -> str:
    """The events a run sends, said before the click."""
    return (f"Running sends {plural(journey.events, 'event')}: {plural(len(journey.steps), 'step')} "
            f"(at most {MAX_STEPS}), each followed by a ranking fetch of the target category.")


def step_progress(step: Step, done: int, total: int, names: Mapping[str, str] | None = None) -> str:
    """The progress bar's words as steps are done (Markdown)."""
    return f"Step {done} of {total}: {escape_markdown(describe_step(step, names))}"


def failed_step(run: JourneyRun) -> str:
    """Which call stopped a run: "Step 2 (its event)", "Step 3 (the ranking fetch after it)"."""
    call = "its event" if run.failed_call == "event" else "the ranking fetch after it"
    return f"Step {run.failed_step} ({call})"


def run_caption(run: JourneyRun) -> str:
    """For whom the run went and how many events it sent (Markdown)."""
    return (f"Session {code_span(run.session_id)}" + (f", user {code_span(run.user_id)}" if run.user_id else "")
            + f" · {plural(run.events_sent, 'event')} sent")


@dataclass(frozen=True, eq=False)
class Drift:
    """A run at top k: three headline metrics, the drift chart's frames, and the storefront's top k after
    the last step (its catalog rows)."""

    metrics: tuple[tuple[str, str | int], ...]  # (label, value)
    long: pd.DataFrame  # `charts.drift_chart`'s input (`JourneyRun.steps_long`)
    info: pd.DataFrame  # catalog rows of every product charted, by product id: the chart's tooltips
    top: pd.DataFrame  # the storefront's top k after the last step, joined with the catalog
    reading: str = ""  # the drift in plain words (`readings.drift_reading`)


def drift(run: JourneyRun, k: int, catalog: Catalog, names: Mapping[str, str] | None = None) -> Drift:
    """Steps done, how much of the top k is still the native top k, how many answers were empty; the chart."""
    top = run.final_top(k)  # the storefront's top k after the last step, read off the start of its ranking
    native_top = set(run.native[:k])
    long = run.steps_long(k, names)
    kept, empty = len(set(top) & native_top), sum(result.fallback for result in run.steps)
    return Drift(
        (("Steps done", f"{len(run.steps)} of {len(run.journey.steps)}"),
         (f"Top {k} still in the native top {k}", f"{len(set(top) & native_top)} of {len(top)}"),
         ("Empty answers (native order shown)", sum(result.fallback for result in run.steps))),
        long, join_ranking(catalog, list(dict.fromkeys(long["product_id"]))).set_index("product_id"),
        join_ranking(catalog, top),
        drift_reading(len(run.steps), kept, len(top), k, empty))


def run_steps(run: JourneyRun, names: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
    """A row a step done: what the shopper did, how many products its answer held, and the top of the
    target category after it (its name when the catalog has one)."""
    def top(shown: tuple[str, ...]) -> str:
        if not shown:
            return ""
        return names.get(shown[0], shown[0]) if names is not None else shown[0]

    return [
        {"step": result.number, "what the shopper did": describe_step(result.step, names),
         "the step's answer": plural(len(result.answer), "product"),
         "top of the target category": "native order (empty answer)" if result.fallback else top(result.shown)}
        for result in run.steps
    ]


def compare_lane_name(run: JourneyRun, personas: Sequence[Journey]) -> str:
    """The compare page's lane option for the journey run: a persona's, or a saved journey's."""
    return f"Persona: {run.journey.name}" if run.journey in personas else f"Journey: {run.journey.name}"
