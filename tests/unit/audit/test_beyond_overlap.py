"""The measures beyond overlap on hand-computed values (the arithmetic beside each) and published worked
examples: the entropy of a uniform distribution is log2(n); Steck's (2018) 70% / 30% shopper shown only
the first genre."""

from __future__ import annotations

import math

import pytest

from fashionai.audit.beyond_overlap import (
    attribute_ild,
    calibration,
    exposure_parity,
    group_exposure,
    kl_calibration,
    novelty,
    popularity_bias,
    position_weight,
    sales_popularity,
    shelf_entropy,
)

CATEGORY = ["a", "b", "c", "d"]


def test_sales_popularity_from_the_ranking():
    # n = 4; ranking (x outside the category skipped, c repeated): b r1 -> 4/4, c r2 -> 3/4; a, d unranked -> 1/4
    assert sales_popularity(["x", "b", "c", "c"], CATEGORY) == {"a": 0.25, "b": 1.0, "c": 0.75, "d": 0.25}
    assert sales_popularity([], CATEGORY) == {} and sales_popularity(["a"], []) == {}


def test_novelty_is_the_mean_self_information():
    pop = {"a": 1.0, "b": 0.5, "c": 0.25}
    # places a, b | c, b (and "z" without popularity, left out): (0 + 1 + 2 + 1) / 4 = 1 bit
    assert novelty([["a", "b"], ["c", "b", "z"]], pop, 2) == pytest.approx(1.0)
    assert novelty([["a"]], pop, 2) == 0.0  # the best seller only
    assert novelty([["z"]], pop, 2) is None


def test_popularity_bias_against_the_categorys_mean():
    pop = {"a": 1.0, "b": 0.75, "c": 0.5, "d": 0.25}
    # shown a, b: mean 0.875; category mean (1 + 0.75 + 0.5 + 0.25) / 4 = 0.625; 0.875 / 0.625 = 1.4
    assert popularity_bias([["a", "b"]], pop, CATEGORY, 2) == pytest.approx(1.4)
    # shown d only: 0.25 / 0.625 = 0.4 (leans to slow sellers)
    assert popularity_bias([["d"]], pop, CATEGORY, 2) == pytest.approx(0.4)
    assert popularity_bias([["a"]], {}, CATEGORY, 2) is None


def test_entropy_of_a_uniform_spread_is_log2_n():  # the textbook case: n equally likely outcomes
    lists = [["a", "b"], ["c", "d"], ["e", "f"], ["g", "h"]]
    assert shelf_entropy(lists, 2) == pytest.approx(math.log2(8)) == pytest.approx(3.0)
    assert shelf_entropy([["a"], ["a"]], 2) == 0.0
    # places a, b, a, c: p = 1/2, 1/4, 1/4 -> 0.5·1 + 0.25·2 + 0.25·2 = 1.5 bits
    assert shelf_entropy([["a", "b"], ["a", "c"]], 2) == pytest.approx(1.5)
    assert shelf_entropy([[]], 2) is None


VALUES = {
    "style": {"a": "sporty", "b": "sporty", "c": "classic"},
    "color": {"a": "red", "b": "blue", "c": "red"},
}


def test_intra_list_diversity_over_every_attribute():
    # list a, b, c: sim(a,b) = 1/2 (style same, colour not), sim(a,c) = 1/2 (colour), sim(b,c) = 0 -> mean 1/3
    # ILD = 1 - 1/3 = 2/3; list a, b: 1 - 1/2 = 1/2; mean (2/3 + 1/2) / 2 = 7/12
    assert attribute_ild([["a", "b", "c"], ["a", "b"]], VALUES, 3) == pytest.approx(7 / 12)
    assert attribute_ild([["a", "z"]], VALUES, 3) is None  # z has no value: no pair to compare


def test_steck_worked_example_two_genres():
    # Steck 2018: a shopper 70% romance, 30% action shown only romance; q̃ = 0.99·(1, 0) + 0.01·(0.7, 0.3)
    # = (0.997, 0.003); C_KL = 0.7·log2(0.7/0.997) + 0.3·log2(0.3/0.003) = -0.35713 + 1.99316 = 1.63603
    got = kl_calibration({"romance": 0.7, "action": 0.3}, {"romance": 1.0})
    assert got == pytest.approx(0.7 * math.log2(0.7 / 0.997) + 0.3 * math.log2(100)) == pytest.approx(1.636, abs=1e-3)
    assert kl_calibration({"romance": 0.7, "action": 0.3}, {"romance": 0.7, "action": 0.3}) == pytest.approx(0.0)


def test_calibration_of_lists_against_what_their_shoppers_viewed():
    values = {"style": {"a": "sporty", "b": "sporty", "c": "classic", "d": "classic"}}
    # shopper 1 viewed a (sporty), shown a, b (sporty): p = q -> 0
    # shopper 2 viewed a, c (1/2, 1/2), shown c, d (classic only): q̃(sporty) = 0.005, q̃(classic) = 0.995
    #   0.5·log2(0.5/0.005) + 0.5·log2(0.5/0.995) = 0.5·6.64386 - 0.5·0.99277 = 2.82555
    # shopper 3 viewed nothing: left out. Mean (0 + 2.82555) / 2
    expected = (0.5 * math.log2(100) + 0.5 * math.log2(0.5 / 0.995)) / 2
    got = calibration([["a", "b"], ["c", "d"], ["a"]], [["a"], ["a", "c"], []], values, 2)
    assert got == pytest.approx(expected) == pytest.approx(1.41277, abs=1e-4)
    assert calibration([["a"]], [[]], values, 2) is None


def test_position_weights_are_the_dcg_discount():
    assert [position_weight(r) for r in (1, 2, 3)] == pytest.approx([1.0, 1 / math.log2(3), 0.5])


def test_exposure_by_group_and_the_ratio_between_groups():
    brand = {"a": "A", "b": "A", "c": "B", "d": "B"}
    # list a, c: A gets 1 (rank 1), B 0.63093 (rank 2); list c, d: B 1 + 0.63093
    # per product a list: A 1 / (2 lists · 2 products) = 0.25; B (0.63093 + 1.63093) / 4 = 0.56546
    exposure = group_exposure([["a", "c"], ["c", "d"]], brand, CATEGORY, 2)
    assert exposure == pytest.approx({"A": 0.25, "B": (2 / math.log2(3) + 1) / 4})
    # ratio 0.25 / 0.56546 = 0.44211; the price band has one group only: not a ratio
    values = {"brand": brand, "price_band": dict.fromkeys(CATEGORY, "budget")}
    assert exposure_parity([["a", "c"], ["c", "d"]], values, CATEGORY, 2) == pytest.approx(0.25 / 0.565464, abs=1e-5)
    # a group never shown: 0
    assert exposure_parity([["c", "d"]], values, CATEGORY, 2) == 0.0
    assert exposure_parity([["a"]], {"price_band": values["price_band"]}, CATEGORY, 2) is None
