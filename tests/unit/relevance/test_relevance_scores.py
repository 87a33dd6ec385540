"""Search relevance measures against values computed by hand (the computation written beside each)."""

from __future__ import annotations

import math

import pytest

from fashionai.relevance.judgments import read_judgments
from fashionai.relevance.scores import (
    Relevance,
    judged_per_search,
    judged_scores,
    mean_results,
    personalization_by_query,
)

JUDGED = read_judgments(b"query,product_id,grade\n"
                        b"vestido,a,3\nvestido,b,0\nvestido,c,2\n"
                        b"saia,s1,1\nsaia,s2,1\n"
                        b"bota,z,0\n")


def test_one_search_by_hand():
    # vestido answered b, a, x (x not judged: grade 0); K = 3.
    # DCG@3  = 0/log2(2) + 3/log2(3) + 0/log2(4) = 3/1.58496 = 1.89279
    # ideal  = a(3), c(2): 3/log2(2) + 2/log2(3) = 3 + 1.26186 = 4.26186
    # nDCG@3 = 1.89279 / 4.26186 = 0.44412
    # P@3 = 1 relevant (a) / 3 = 0.33333; R@3 = 1 of 2 relevant (a, c) = 0.5; MRR@3 = 1 / place 2 = 0.5
    scores = judged_scores([("vestido", ["b", "a", "x"])], JUDGED, 3)
    assert scores.ndcg == pytest.approx((3 / math.log2(3)) / (3 + 2 / math.log2(3)))
    assert scores.ndcg == pytest.approx(0.44412, abs=1e-5)
    assert scores.precision == pytest.approx(1 / 3)
    assert scores.recall == pytest.approx(0.5)
    assert scores.mrr == pytest.approx(0.5)


def test_means_over_searches_with_unjudged_and_empty_and_all_zero_queries():
    # vestido a, c at K=2: DCG = 3 + 2/log2(3) = ideal -> nDCG 1; P@2 = 2/2 = 1; R@2 = 2/2 = 1; MRR 1
    # saia s9, s2 at K=2: DCG = 1/log2(3) = 0.63093; ideal s1, s2 = 1 + 0.63093 = 1.63093 -> nDCG 0.38685;
    #   P@2 = 1/2; R@2 = 1/2; MRR = 1/2
    # saia answered nothing: every score 0
    # bota: judged, no relevant product: 0 on each; "blusa" is not judged: left out of the means
    searches = [("vestido", ["a", "c"]), ("Saia", ["s9", "s2", "s1"]), ("saia", []), ("bota", ["z"]),
                ("blusa", ["q"])]
    per = judged_per_search(searches, JUDGED, 2)
    assert [query for query, _ in per] == ["vestido", "Saia", "saia", "bota"]
    assert per[1][1].ndcg == pytest.approx((1 / math.log2(3)) / (1 + 1 / math.log2(3)))
    scores = judged_scores(searches, JUDGED, 2)
    assert scores.ndcg == pytest.approx((1 + 0.38685 + 0 + 0) / 4, abs=1e-5)
    assert scores.precision == pytest.approx((1 + 0.5) / 4)
    assert scores.recall == pytest.approx((1 + 0.5) / 4)
    assert scores.mrr == pytest.approx((1 + 0.5) / 4)


def test_a_repeated_id_keeps_its_first_place():
    # a, a, c read as a, c: the same as the ideal order -> nDCG@2 = 1
    assert judged_scores([("vestido", ["a", "a", "c"])], JUDGED, 2).ndcg == pytest.approx(1.0)


def test_without_judgments_nothing_is_measured():
    assert judged_scores([("vestido", ["a"])], None, 3) == Relevance(None, None, None, None)
    assert judged_scores([("blusa", ["a"])], JUDGED, 3).ndcg is None


def test_results_per_query_is_the_mean_total():
    assert mean_results([0, 10, 20]) == 10
    assert mean_results([]) is None


def test_search_personalization_is_the_mean_over_queries_of_the_shoppers_overlap():
    # vestido, K=2: shoppers [a, b] and [a, c] share 1 of 2 -> overlap 0.5 -> personalization 0.5
    # saia: [s1, s2] and [s1, s2] -> 0; bota: one shopper only -> left out.  Mean (0.5 + 0) / 2 = 0.25
    searches = [("vestido", ["a", "b"]), ("vestido", ["a", "c"]), ("saia", ["s1", "s2"]), ("saia", ["s2", "s1"]),
                ("bota", ["z"])]
    assert personalization_by_query(searches, 2) == pytest.approx(0.25)
    assert personalization_by_query([("bota", ["z"])], 2) is None
