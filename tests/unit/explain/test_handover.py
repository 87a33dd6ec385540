"""An experiment in a deck and a report: its sentences (names in quotes), the rule for noise, the heatmap; both
renderers draw it."""

from __future__ import annotations

from fashionai.domain import EventType
from fashionai.explain.handover import explanation_handover, explanation_section
from fashionai.explain.reading import Explanation
from fashionai.journeys.journey import Step
from fashionai.output.report import report_html

STEPS = (Step(EventType.PRODUCT_VIEW, "shirt"), Step(EventType.CATEGORY_VIEW, "Hats"))
RANKINGS = {"all": ("hat", "cap"), "without 1": ("cap", "hat"), "without 2": ("hat", "cap"), "twin 1": ("hat", "cap")}


def explanation(**changes):
    return Explanation(STEPS, "Opened category Hats", {**RANKINGS, **changes},
                       {"shirt": "Linen Shirt — White", "hat": "Straw Hat"}, twins=1, run_id="ab" * 16)


def test_the_section_says_the_events_the_biggest_moves_and_the_noise_rule():
    section = explanation_section(explanation())
    assert section.readings[0].startswith("Opened category Hats, after 2 events replayed on fresh sessions")
    assert "Viewing “Linen Shirt — White” moved “Straw Hat” from #2 to #1." in section.readings
    assert section.readings[-1].startswith("A move is within noise when")
    assert section.chart is not None


def test_no_move_is_said_in_words_without_an_empty_chart():
    section = explanation_section(explanation(**{"without 1": ("hat", "cap")}))
    assert "Leaving out any one event moved no product of the first 10 places." in section.readings
    assert section.chart is None


def test_the_report_draws_the_experiment():
    html = report_html(explanation_handover(explanation(), backend="Built-in simulator", catalog="sample"))
    assert "What moved these products" in html and "Straw Hat" in html


def test_the_deck_draws_the_experiment():
    from fashionai.output.deck import deck_bytes

    data = deck_bytes(explanation_handover(explanation(), backend="Built-in simulator", catalog="sample"))
    assert data[:2] == b"PK" and len(data) > 10_000
