"""An audit run's scorecard handed over as a deck or a report (`output.handover.Handover`).

    scorecard_handover(run, card)

Every measure in words, then a chart across categories for each measure the registry marks for a handover.
No call, no Streamlit.
"""

from __future__ import annotations

from datetime import datetime

from fashionai.audit import charts as audit_charts
from fashionai.audit.model import AuditRun
from fashionai.audit.registry import HANDOVER_MEASURES
from fashionai.audit.scorecard import MEASURE_INFO, Scorecard, format_value
from fashionai.audit.view import measure_across, measure_table
from fashionai.domain import backend_label
from fashionai.output.handover import Handover, Section
from fashionai.text.formatting import plural

__all__ = ["MAIN_MEASURES", "scorecard_handover"]

MAIN_MEASURES = HANDOVER_MEASURES  # the registry's specs marked handover
"""The audit measures that get a chart of their own in a handover (every measure is in its words)."""


def scorecard_handover(run: AuditRun, card: Scorecard, *, made_at: datetime | None = None) -> Handover:
    """An audit run's scorecard: every measure in words, then a chart across categories per main measure."""
    table = measure_table(card)
    lines = [f"{row['measure']}: {row['value']} ({row['better']}). {row['meaning']}."
             for row in table.to_dict("records") if row["key"] not in card.not_measured]
    unmeasured: dict[str, list[str]] = {}  # one line a reason: a run with no search has six search measures
    for row in table.to_dict("records"):
        if row["key"] in card.not_measured:
            unmeasured.setdefault(card.not_measured[row["key"]], []).append(row["measure"])
    lines += [f"{', '.join(labels)}: not measured, because {reason}." if len(labels) > 1 else
              f"{labels[0]}: not measured, because {reason}." for reason, labels in unmeasured.items()]
    sections = [Section("The scorecard, overall", tuple(lines))]
    for key in MAIN_MEASURES:
        frame = measure_across(card, key)
        if frame.empty or key in card.not_measured:  # said in the overall lines: no empty chart
            continue
        info = MEASURE_INFO[key]
        sections.append(Section(info.label, (f"{info.meaning}.",), chart=audit_charts.measure_across_chart(frame,
                                                                                                          info)))
    subject = (f"The audit plan {run.plan_name} (run {run.short_id}, {run.status}): "
               f"{plural(run.done_calls, 'call')} of {run.total_calls:,}, top {card.k}")
    backend = backend_label(run.backend)
    main = [f"{row['measure']} {row['value']}" for row in table.to_dict("records")
            if row["key"] in MAIN_MEASURES and row["value"] != format_value(MEASURE_INFO[row["key"]], None)]
    summary = (f"How personalized the storefronts of {plural(run.done_calls, 'call')} were, shopper by shopper, in "
               f"the top {card.k}" + (f": {'; '.join(main)}." if main else ".")
               + " Each measure's meaning, and each category's figure, follow.")
    return Handover(f"Audit: {run.plan_name}", subject, made_at or run.started_at, backend, run.catalog_name,
                    tuple(sections), summary=summary)
