"""The audit's measures on small hand-computed values, and their edge cases."""

from __future__ import annotations

import math
from itertools import combinations

import pytest

from fashionai.audit.measures import (
    attribute_bias,
    best_selling_head,
    bias_distance,
    coverage_at_k,
    empty_rate,
    error_rate,
    exposure_share,
    gini_exposure,
    intra_list_diversity,
    latency_percentiles,
    long_tail_share,
    mean_intra_list_diversity,
    stability,
)
from fashionai.measures.ranked_ids import personalization_at_k, top_k
from fashionai.measures.ranking import overlap_at_k, rbo


def test_top_k_keeps_first_places_of_distinct_ids():
    assert top_k(["a", "b", "a", "c", "d"], 3) == ["a", "b", "c"]
    assert top_k([], 3) == []
    assert top_k(["a"], 5) == ["a"]


# --- personalization


def test_personalization_three_lists_hand_computed():
    # K=2. A={a,b}, B={b,c}, C={d,e}: overlaps AB=1/2, AC=0, BC=0 -> mean 1/6 -> 1 - 1/6 = 5/6
    assert personalization_at_k([["a", "b"], ["b", "c"], ["d", "e"]], 2) == pytest.approx(5 / 6)


def test_personalization_identical_and_disjoint():
    assert personalization_at_k([["a", "b"], ["a", "b"]], 2) == pytest.approx(0.0)
    assert personalization_at_k([["a", "b"], ["c", "d"]], 2) == pytest.approx(1.0)


def test_personalization_reads_only_top_k_and_counts_repeats_once():
    # K=2: A=[a,a,b] -> {a,b}; B=[a,b,z] -> {a,b}; the z below K is not read -> overlap 1 -> 0
    assert personalization_at_k([["a", "a", "b"], ["a", "b", "z"]], 2) == pytest.approx(0.0)


def test_personalization_k_larger_than_lists_divides_by_k():
    # two identical 3-item lists at K=10 overlap 3/10 (as fashionai.measures.ranking.overlap_at_k) -> 0.7
    assert personalization_at_k([["a", "b", "c"], ["a", "b", "c"]], 10) == pytest.approx(0.7)


def test_personalization_needs_two_lists():
    assert personalization_at_k([], 5) is None
    assert personalization_at_k([["a"]], 5) is None


def test_personalization_empty_lists_share_nothing():
    assert personalization_at_k([[], []], 3) == pytest.approx(1.0)


def test_personalization_agrees_with_pairwise_overlap():
    lists = [["1", "2", "3", "4"], ["2", "3", "5"], ["007", "7", "1"], ["4", "3", "2", "1"], []]
    k = 3
    pairs = [overlap_at_k(a, b, k) for a, b in combinations(lists, 2)]
    assert personalization_at_k(lists, k) == pytest.approx(1 - sum(pairs) / len(pairs))


def test_numeric_looking_ids_stay_distinct():
    # "007" and "7" are different products: no overlap
    assert personalization_at_k([["007"], ["7"]], 1) == pytest.approx(1.0)
    assert coverage_at_k([["7"]], {"007", "7"}, 1) == pytest.approx(0.5)


# --- coverage and Gini


def test_coverage_hand_computed():
    # category {a,b,c,d}; K=2 shows {a,b} and {b,x}: in category {a,b} -> 2/4 (x is not the category's)
    assert coverage_at_k([["a", "b", "c"], ["b", "x", "d"]], ["a", "b", "c", "d"], 2) == pytest.approx(0.5)


def test_coverage_unmeasurable():
    assert coverage_at_k([["a"]], [], 3) is None
    assert coverage_at_k([], ["a"], 3) is None


def test_gini_hand_computed():
    # category {a,b,c,d}; K=1 over lists [a],[a],[b]: counts sorted x = 0,0,1,2, n=4, Σx=3
    # Σ i·x_i = 3·1 + 4·2 = 11 -> G = 2·11/(4·3) - 5/4 = 22/12 - 15/12 = 7/12
    assert gini_exposure([["a"], ["a"], ["b"]], ["a", "b", "c", "d"], 1) == pytest.approx(7 / 12)


def test_gini_equal_exposure_is_zero_and_leaves_out_others():
    # each product of {a,b} shown once, x (not the category's) left out -> 0
    assert gini_exposure([["a", "x"], ["b", "x"]], ["a", "b"], 2) == pytest.approx(0.0)


def test_gini_one_product_takes_all():
    # x = 0,0,0,3, n=4: 2·(4·3)/(4·3) - 5/4 = 2 - 1.25 = 0.75 (the most a 4-product category reaches)
    assert gini_exposure([["a"]] * 3, ["a", "b", "c", "d"], 1) == pytest.approx(0.75)


def test_gini_unmeasurable():
    assert gini_exposure([["a"]], [], 1) is None
    assert gini_exposure([["x"]], ["a"], 1) is None  # none of the category shown
    assert gini_exposure([], ["a"], 1) is None


# --- long tail


def test_best_selling_head_is_first_fifth_of_category_in_ranking_order():
    category = [str(i) for i in range(1, 7)]  # n=6 -> ceil(6/5) = 2
    assert best_selling_head(["x", "5", "5", "3", "1"], category) == {"5", "3"}
    assert best_selling_head([], category) == set()
    assert best_selling_head(["1"], []) == set()
    assert best_selling_head(["9", "2"], category) == {"2"}  # fewer in the ranking than the head's size


def test_long_tail_hand_computed():
    # head {a}; K=2 places: [a,b],[c,a] -> 4 places, 2 outside the head -> 0.5
    assert long_tail_share([["a", "b"], ["c", "a"]], {"a"}, 2) == pytest.approx(0.5)
    assert long_tail_share([["a"]], set(), 2) is None
    assert long_tail_share([[], []], {"a"}, 2) is None


# --- exposure shares


def test_exposure_share_hand_computed():
    # K=3 places: [a,b,c],[a] -> 4 places, flagged {a} holds 2 -> 0.5; repeated ids counted once
    assert exposure_share([["a", "b", "c", "d"], ["a", "a"]], {"a"}, 3) == pytest.approx(0.5)
    assert exposure_share([[]], {"a"}, 3) is None
    assert exposure_share([["a"]], [], 3) == 0.0


# --- diversity and bias


def test_intra_list_diversity_hand_computed():
    values = {"a": "red", "b": "red", "c": "blue", "d": "green"}
    # top 3 = a,b,c: pairs ab (same), ac, bc (differ) -> 2/3
    assert intra_list_diversity(["a", "b", "c", "d"], values, 3) == pytest.approx(2 / 3)
    # a, missing-value id z left out, d: one pair, differs -> 1
    assert intra_list_diversity(["a", "z", "d"], values, 3) == pytest.approx(1.0)
    assert intra_list_diversity(["a", "z"], values, 3) is None
    assert intra_list_diversity(["a", "b"], {"a": "red", "b": float("nan")}, 3) is None


def test_mean_diversity_skips_unmeasurable_lists():
    values = {"a": "red", "b": "red", "c": "blue"}
    # [a,b] -> 0, [a,c] -> 1, [a] -> None: mean 0.5
    assert mean_intra_list_diversity([["a", "b"], ["a", "c"], ["a"]], values, 2) == pytest.approx(0.5)
    assert mean_intra_list_diversity([["a"]], values, 2) is None


def test_attribute_bias_hand_computed():
    values = {"a": "red", "b": "red", "c": "blue", "d": "blue", "e": "green"}
    category = ["a", "b", "c", "d", "e"]  # red 2/5, blue 2/5, green 1/5
    # K=2 places: [a,b],[a,c] -> red 3/4, blue 1/4, green 0
    bias = attribute_bias([["a", "b"], ["a", "c"]], values, category, 2)
    assert bias["value"].tolist() == ["red", "blue", "green"]
    assert bias["share_shown"].tolist() == pytest.approx([0.75, 0.25, 0.0])
    assert bias["share_category"].tolist() == pytest.approx([0.4, 0.4, 0.2])
    assert bias["lift"].tolist() == pytest.approx([0.75 / 0.4, 0.25 / 0.4, 0.0])
    # TVD = ½(|.75-.4| + |.25-.4| + |0-.2|) = ½(.35+.15+.2) = 0.35
    assert bias_distance([["a", "b"], ["a", "c"]], values, category, 2) == pytest.approx(0.35)


def test_attribute_bias_value_shown_but_not_in_category():
    values = {"a": "red", "x": "pink"}
    bias = attribute_bias([["a", "x"]], values, ["a"], 2)
    pink = bias.set_index("value").loc["pink"]
    assert pink["share_shown"] == pytest.approx(0.5)
    assert pink["share_category"] == 0.0 and math.isnan(pink["lift"])
    # TVD = ½(|.5-1| + |.5-0|) = 0.5
    assert bias_distance([["a", "x"]], values, ["a"], 2) == pytest.approx(0.5)


def test_attribute_bias_without_values():
    bias = attribute_bias([["a"]], {}, ["a"], 2)
    assert list(bias.columns) == ["value", "share_shown", "share_category", "lift"] and bias.empty
    assert bias_distance([["a"]], {}, ["a"], 2) is None
    assert bias_distance([], {"a": "red"}, ["a"], 2) is None  # nothing shown


# --- rates, latency, stability


def test_rates_hand_computed():
    # 4 calls: ok with 3, ok with 0 (empty), failed, ok with 1 -> empty 1/4, error 1/4
    counts, ok = [3, 0, 0, 1], [True, True, False, True]
    assert empty_rate(counts, ok) == pytest.approx(0.25)
    assert error_rate(ok) == pytest.approx(0.25)
    assert empty_rate([], []) is None and error_rate([]) is None


def test_latency_percentiles_in_ms():
    # 0.1, 0.2, 0.3, 0.4 s -> p50 = 250 ms; p95 at rank 0.95·3 = 2.85 -> 300 + 0.85·100 = 385 ms
    p50, p95 = latency_percentiles([0.1, 0.2, 0.3, 0.4])
    assert p50 == pytest.approx(250.0) and p95 == pytest.approx(385.0)
    assert latency_percentiles([]) == (None, None)
    assert latency_percentiles([float("nan"), 0.05]) == (pytest.approx(50.0), pytest.approx(50.0))


def test_stability_is_mean_rbo():
    pairs = [(["a", "b", "c"], ["a", "b", "c"]), (["a", "b"], ["c", "d"])]
    # identical -> 1, disjoint -> 0: mean 0.5
    assert stability(pairs) == pytest.approx(0.5)
    one = (["a", "b", "c"], ["b", "a", "c"])
    assert stability([one], p=0.8) == pytest.approx(rbo(*one, p=0.8))
    assert stability([]) is None
