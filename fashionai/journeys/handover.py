"""A journey run handed over as a deck or a report (`output.handover.Handover`).

    journey_handover(run, k=10, catalog_data=catalog, names=names, backend=..., catalog=...)

The drift chart with its reading, figures and key, the steps in words, the storefront after. No call, no Streamlit.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from fashionai.catalog import Catalog
from fashionai.domain import DEFAULT_CURRENCY, EventType
from fashionai.journeys.run import JourneyRun
from fashionai.journeys.view import drift, run_steps
from fashionai.output import charts
from fashionai.output.handover import KEY_HEADING, Handover, Section, cards_from_frame, now
from fashionai.text.formatting import plural

__all__ = ["journey_handover"]


def journey_handover(run: JourneyRun, *, k: int, catalog_data: Catalog, backend: str, catalog: str,
                     names: Mapping[str, str] | None = None, currency: str = DEFAULT_CURRENCY,
                     made_at: datetime | None = None) -> Handover:
    """A journey run: the drift chart with its reading and figures, the steps in words, the storefront after."""
    headline = drift(run, k, catalog_data, names)
    figures = tuple(f"{label}: {value}" for label, value in headline.metrics)
    answer, top = "the step's answer", "top of the target category"
    for row, result in zip(rows := run_steps(run, names), run.steps, strict=True):
        if result.step.event_type == EventType.SEARCH:  # its answer is a page of results, not a shelf
            row[answer] = f"{plural(len(result.answer), 'result')} on the search's first page"
    steps = tuple(f"Step {row['step']}: {row['what the shopper did']} ({row[answer]}); "
                  f"top of {run.journey.target_category}: {row[top] or 'nothing'}" for row in rows)
    sections = [Section(f"How the top {k} drifts along the journey", (headline.reading, *figures),
                        chart=charts.drift_chart(headline.long, k=k, info=headline.info)),
                Section(KEY_HEADING, charts.key_lines(charts.drift_key(headline.long, k=k, info=headline.info)))]
    if steps:
        sections.append(Section("The steps", steps))
    sections.append(Section(f"The storefront after the last step: top {k}",
                            cards=cards_from_frame(headline.top, currency=currency, limit=k)))
    subject = (f"The journey {run.journey.name} on session {run.session_id}, watching "
               f"{run.journey.target_category}: {len(run.steps)} of {plural(len(run.journey.steps), 'step')} done")
    summary = (f"How the top {k} of {run.journey.target_category} changes as one shopper follows the journey "
               f"{run.journey.name}, step by step. {headline.reading}")
    return Handover(f"Journey: {run.journey.name}", subject, made_at or now(), backend, catalog, tuple(sections),
                    summary=summary)
