"""The bootstrap is cheap: a resample makes no attribute-skew frame (most of its time was `attribute_bias`'s
pandas frames, only read for the bias table), and its figures are the scorecard's to 1e-12."""

from __future__ import annotations

import math
import random

import pytest

from fashionai.audit import scoring
from fashionai.audit.measures import attribute_bias, bias_distance
from fashionai.audit.noise import change_intervals
from fashionai.audit.plan import AuditPlan
from fashionai.audit.registry import MEASURE_KEYS
from fashionai.audit.scorecard import OVERALL
from fashionai.audit.scoring import score_answers
from tests.unit.audit.answers import simulated_answers

TOLERANCE = 1e-12
"""How far a figure may move: the same shares summed in another order."""


@pytest.fixture(scope="module")
def runs(catalog):
    plan = AuditPlan(name="speed", categories=tuple(catalog.categories[:2]), synthetic_personas=4, stability_twins=1,
                     placements=("categoryView", "productView"), product_sample=1)
    return [simulated_answers(plan, catalog, run_id=c * 32)[1] for c in "ab"], plan.k


def test_a_resample_makes_no_attribute_skew_frame(catalog, runs, monkeypatch):
    (before, after), k = runs
    made = []

    def counted(*args, **kwargs):
        made.append(1)
        return attribute_bias(*args, **kwargs)

    monkeypatch.setattr(scoring, "attribute_bias", counted)
    change_intervals(before, after, catalog, k=k, resamples=0)
    without_resamples = len(made)
    made.clear()
    change_intervals(before, after, catalog, k=k, resamples=3)
    assert len(made) == without_resamples  # the two scorecards' bias tables, none for a resample


def test_the_rows_without_the_bias_table_are_the_same(catalog, runs):
    (before, _), k = runs
    full, bias_rows, _ = score_answers(before, catalog, k=k, overall=OVERALL)
    quick, no_bias_rows, _ = score_answers(before, catalog, k=k, overall=OVERALL, bias_table=False)
    assert bias_rows and no_bias_rows == []
    assert [(r["placement"], r["category"]) for r in quick] == [(r["placement"], r["category"]) for r in full]
    measured = 0
    for a, b in zip(full, quick, strict=True):
        for key in MEASURE_KEYS:
            if a[key] is None or (isinstance(a[key], float) and math.isnan(a[key])):
                assert b[key] is None or math.isnan(b[key]), key
            else:
                assert abs(a[key] - b[key]) <= TOLERANCE, key
                measured += key.startswith("bias_")
    assert measured  # the skew measures were measured, and agree


def test_the_skew_counted_without_a_frame_is_the_frames():
    draw = random.Random(7)
    ids = [f"p{n}" for n in range(30)]
    for _ in range(50):
        values = {pid: draw.choice(["red", "blue", "green", " ", None]) for pid in draw.sample(ids, 25)}
        values = {pid: v for pid, v in values.items() if v is not None}
        category = draw.sample(ids, draw.randint(0, 30))
        lists = [draw.sample(ids, 8) for _ in range(draw.randint(0, 4))]
        frame = attribute_bias(lists, values, category, 5)
        if frame.empty or frame["share_shown"].isna().all() or frame["share_category"].isna().all():
            assert bias_distance(lists, values, category, 5) is None
        else:
            gap = (frame["share_shown"].fillna(0.0) - frame["share_category"].fillna(0.0)).abs().sum() / 2
            assert abs(bias_distance(lists, values, category, 5) - gap) <= TOLERANCE
