"""An experiment handed over in a deck or a report (`output.handover.Handover`): its sentences and its heatmap.

    explanation_section(found)                                  # a section for another page's handover (the walk's)
    explanation_handover(found, backend=..., catalog=...)       # the experiment's own deck and report

No call, no Streamlit.
"""

from __future__ import annotations

from datetime import datetime

from fashionai.explain.charts import moves_heatmap
from fashionai.explain.reading import Explanation
from fashionai.output.handover import Handover, Section, now
from fashionai.text.formatting import plural

__all__ = ["SENTENCES", "explanation_handover", "explanation_section"]

SENTENCES = 8
"""The biggest moves a handover says in words."""

NOISE_RULE = ("A move is within noise when it is no larger than the spread of the product's place across identical "
              "replays of every event (the twins).")


def explanation_section(found: Explanation, *, count: int = SENTENCES) -> Section:
    """What moved the products: the events, the biggest moves in words, the rule for noise, the heatmap."""
    events = "; ".join(f"{n}. {label}" for n, label in enumerate(found.events, 1))
    moves = found.biggest(count)
    said = [(f"{found.question}, after {plural(len(found.events), 'event')} replayed on fresh sessions with every "
             f"event, without each one and again as twins: {events}.")]
    said += [found.sentence(move, quoted=True) + "." for move in moves]
    if not moves:
        said.append(f"Leaving out any one event moved no product of the first {found.k} places.")
    said.append(NOISE_RULE if found.noise_measured else "No twin was answered, so the noise is not measured.")
    if not found.complete:
        said.append("The run did not finish: these are the answers it has.")
    return Section("What moved these products (leave-one-out replays)", tuple(said),
                   chart=moves_heatmap(found) if moves else None)


def explanation_handover(found: Explanation, *, backend: str, catalog: str,
                         made_at: datetime | None = None) -> Handover:
    """The experiment alone, as a deck or a report."""
    biggest = found.biggest(1)
    summary = (f"Which of a shopper's {plural(len(found.events), 'event')} put each product where it is: "
               + (found.sentence(biggest[0], quoted=True) + "." if biggest else "no event moved the first places."))
    return Handover("What moved these products", f"{found.question} (run {found.run_id[:8]})", made_at or now(),
                    backend, catalog, (explanation_section(found),), summary=summary)
