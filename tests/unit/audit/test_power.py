"""Shoppers needed before a run: the formula against hand-computed values, the twins' paired differences and
their spread on hand-made runs."""

from __future__ import annotations

import dataclasses
import math

import pytest

from fashionai.audit.power import MIN_PAIRS, Z_SUM, pair_differences, shoppers_needed, twin_spread
from tests.unit.audit.noise_helpers import dresses_catalog, measured


@pytest.fixture
def catalog(tmp_path):
    return dresses_catalog(tmp_path)  # p0, p10, p20, p30 out of stock


def twin(key, products):
    return dataclasses.replace(measured(f"{key}#twin", products), twin_of=key)


def test_the_z_sum_is_z_0975_plus_z_08():
    assert abs(Z_SUM - (1.959964 + 0.841621)) < 1e-6


@pytest.mark.parametrize(("sd", "change", "needed"), [
    (0.1, 0.05, 32),   # (2.80158 × 0.1 / 0.05)² = 5.60317² = 31.40 -> 32
    (0.2, 0.1, 32),    # the same ratio
    (0.05, 0.05, 8),   # 2.80158² = 7.849 -> 8
    (1.0, 0.1, 785),   # 28.0158² = 784.89 -> 785
    (0.0, 0.05, MIN_PAIRS),  # twins that never differ: the fewest that can show a spread
    (-0.1, 0.05, 32),  # a spread's sign does not matter
])
def test_shoppers_needed_against_hand_computed_values(sd, change, needed):
    assert shoppers_needed(sd, change) == needed


def test_an_unknown_spread_needs_no_number_and_a_change_must_be_above_zero():
    assert shoppers_needed(math.nan, 0.05) is None
    for change in (0.0, -0.1, math.nan, math.inf):
        with pytest.raises(ValueError, match="above zero"):
            shoppers_needed(0.1, change)


def run_with_twins():
    # k = 2. a: 0 of 2 out; b: 1 of 2 out (p10). a's twin: 2 of 2 out; b's twin: the same as b.
    return [measured("a", ["p1", "p2"]), measured("b", ["p1", "p10"]), measured("c", ["p3", "p4"]),
            twin("a", ["p0", "p10"]), twin("b", ["p1", "p10"])]


def test_a_pairs_difference_is_the_twins_value_minus_the_originals_for_a_mean_over_shoppers(catalog):
    differences = pair_differences(run_with_twins(), catalog, k=2)
    # out of stock shown: without twins (0 + 0.5 + 0) / 3; with a's twin for a (1 + 0.5 + 0) / 3: × 3 shoppers = 1
    assert [d["out_of_stock"] for d in differences] == pytest.approx([1.0, 0.0])
    assert all(math.isnan(d["stability"]) for d in differences)  # twins left out: not measured


def test_the_spread_is_the_sd_over_every_pair_of_every_run(catalog):
    other = [measured("x", ["p1", "p2"]), twin("x", ["p1", "p0"]), measured("y", ["p5", "p6"])]
    spread = twin_spread([run_with_twins(), other, [measured("z", ["p1", "p2"])]], catalog, k=2)
    assert spread.pairs == 3 and spread.runs == 2
    # differences 1.0, 0.0 and 2 × (0.25 − 0) = 0.5: sd (n − 1) = 0.5
    assert spread.sd["out_of_stock"] == pytest.approx(0.5)
    assert math.isnan(spread.sd["stability"])


def test_no_twins_or_one_pair_give_no_spread(catalog):
    assert twin_spread([[measured("a", ["p1", "p2"])]], catalog, k=2).empty
    one = twin_spread([[measured("a", ["p1", "p2"]), twin("a", ["p0", "p2"])]], catalog, k=2)
    assert one.pairs == 1 and math.isnan(one.sd["out_of_stock"])  # one difference has no spread
    assert pair_differences([twin("gone", ["p1", "p2"])], catalog, k=2) == []  # its original never measured


def test_the_needed_rows_say_each_headline_measure_in_its_unit():
    from fashionai.audit.power import TwinSpread, needed_rows

    spread = TwinSpread({"coverage": 0.1, "gini": 0.05, "personalization": math.nan}, pairs=4, runs=2)
    rows = needed_rows(spread, {"coverage": 5.0, "gini": 0.05, "personalization": 5.0},
                       ["coverage", "gini", "personalization"])
    assert rows == [
        {"measure": "Catalog coverage", "spread": "10 points", "change": "5 points", "needed": "32 shoppers"},
        {"measure": "Concentration (Gini)", "spread": "0.05", "change": "0.05", "needed": "8 shoppers"},
        {"measure": "Personalization", "spread": "—", "change": "5 points",
         "needed": "unknown: fewer than two twin pairs measured it"}]
    assert needed_rows(spread, {"coverage": 0.0}, ["coverage"])[0]["needed"] == "unknown: the change must be above zero"
