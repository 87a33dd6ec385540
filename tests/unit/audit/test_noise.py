"""Changes told from noise: a paired bootstrap over shoppers catches a real change and calls a tiny one
"within noise", the same every time (seeded)."""

from __future__ import annotations

import dataclasses
import math

import pandas as pd
import pytest

from fashionai.audit import noise
from fashionai.audit.noise import CHANGED, NOISE_COLUMNS, NOT_MEASURED, WITHIN_NOISE, change_intervals, verdict_of
from fashionai.audit.registry import MEASURE_KEYS
from fashionai.domain import EventType
from fashionai.relevance.judgments import read_judgments
from tests.unit.audit.noise_helpers import dresses_catalog, measured, random_run, real_change, tiny_change


@pytest.fixture
def noise_catalog(tmp_path):
    return dresses_catalog(tmp_path)


FEW = 40  # resamples: enough to tell these runs apart, quick on a shared machine


def test_verdict_of_an_interval():
    assert verdict_of(0.01, 0.2) == CHANGED and verdict_of(-0.3, -0.01) == CHANGED
    assert verdict_of(-0.01, 0.02) == WITHIN_NOISE and verdict_of(0.0, 0.0) == WITHIN_NOISE
    assert verdict_of(1e-17, 0.0) == WITHIN_NOISE  # a sum of floats is not a change
    assert verdict_of(math.nan, math.nan) == NOT_MEASURED


def test_a_real_change_is_caught(noise_catalog):
    run = random_run()
    table = change_intervals(run, real_change(run), noise_catalog, k=10, resamples=FEW).set_index("measure")
    row = table.loc["personalization"]
    assert row["verdict"] == CHANGED
    assert row["low"] <= row["change"] <= row["high"] < 0  # the interval sits around the change, below zero
    assert table.loc["coverage", "verdict"] == CHANGED and table.loc["gini", "verdict"] == CHANGED


def test_a_tiny_change_is_within_noise(noise_catalog):
    run = random_run()
    table = change_intervals(run, tiny_change(run), noise_catalog, k=10, resamples=FEW).set_index("measure")
    for key in ("personalization", "gini", "out_of_stock"):
        row = table.loc[key]
        assert row["verdict"] == WITHIN_NOISE, (key, row.to_dict())
        assert row["low"] <= row["change"] <= row["high"]
    assert table.loc["personalization", "change"] != 0 or table.loc["gini", "change"] != 0 or \
        table.loc["out_of_stock", "change"] != 0  # the runs do differ


def test_every_measure_has_a_row_and_unmeasurable_ones_say_so(noise_catalog):
    run = random_run()
    table = change_intervals(run, tiny_change(run), noise_catalog, k=10, resamples=5)
    assert list(table.columns) == list(NOISE_COLUMNS) and list(table["measure"]) == list(MEASURE_KEYS)
    # no twin ran and the catalog has no style: not measured, no interval
    for key in ("stability", "diversity_style"):
        row = table.set_index("measure").loc[key]
        assert row["verdict"] == NOT_MEASURED and math.isnan(row["low"]) and math.isnan(row["high"])


def test_the_intervals_are_the_same_every_time_and_the_seed_is_used(noise_catalog, monkeypatch):
    run = random_run()
    other = tiny_change(run)
    first = change_intervals(run, other, noise_catalog, k=10, resamples=10)
    pd.testing.assert_frame_equal(first, change_intervals(run, other, noise_catalog, k=10, resamples=10))
    monkeypatch.setattr(noise, "BOOTSTRAP_SEED", 7)
    moved = change_intervals(run, other, noise_catalog, k=10, resamples=10)
    assert not moved["low"].equals(first["low"])


def test_a_shopper_drawn_twice_counts_twice_and_twins_follow_their_original(noise_catalog):
    # two shoppers with the same list would be one shopper if a draw kept its key: personalization 0, not None
    twin = dataclasses.replace(measured("a-twin", ["p1", "p5"]), twin_of="a")
    run = [measured("a", ["p1", "p2"]), measured("b", ["p3", "p4"]), twin]
    table = change_intervals(run, run, noise_catalog, k=2, resamples=30).set_index("measure")
    assert table.loc["stability", "before"] > 0 and table.loc["stability", "verdict"] == WITHIN_NOISE
    # a resample without "a" has no twin pair: its stability is not counted, the others are
    assert not math.isnan(table.loc["stability", "low"])
    assert table.loc["personalization", "verdict"] == WITHIN_NOISE
    assert table.loc["personalization", "low"] <= 0 <= table.loc["personalization", "high"]


@pytest.mark.parametrize("resamples", [0])
def test_no_resample_is_not_measured(noise_catalog, resamples):
    run = random_run()
    table = change_intervals(run, run, noise_catalog, k=10, resamples=resamples)
    assert set(table["verdict"]) == {NOT_MEASURED}


def _searches(run_products):
    """Each shopper's search for "vestido", its ranked ids given."""
    return [dataclasses.replace(measured(f"s{n}", products), event_type=str(EventType.SEARCH), item_id="vestido",
                                category="", total_items=len(products))
            for n, products in enumerate(run_products)]


def test_a_judged_search_measure_gets_its_interval_from_each_runs_judgments(noise_catalog):
    judgments = read_judgments(b"query,product_id,grade\nvestido,p1,3\nvestido,p2,2\n")
    before = _searches([("p1", "p2", "p3")] * 12)
    after = _searches([("p3", "p4", "p5")] * 12)  # the judged dresses gone from every search: nDCG falls to 0
    table = change_intervals(before, after, noise_catalog, k=3, resamples=FEW,
                             judgments=(judgments, judgments)).set_index("measure")
    row = table.loc["ndcg"]
    assert row["before"] == pytest.approx(1.0) and row["after"] == 0.0
    assert row["verdict"] == CHANGED and row["change"] == pytest.approx(-1.0) and row["high"] < 0
    assert table.loc["mrr", "verdict"] == CHANGED
    # without judgments the judged measures are not measured, as before
    assert change_intervals(before, after, noise_catalog, k=3, resamples=5).set_index("measure").loc[
        "ndcg", "verdict"] == NOT_MEASURED
