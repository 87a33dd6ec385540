"""The worst queries: without results, lowest nDCG, biggest change between runs."""

from __future__ import annotations

import math

import pytest

from fashionai.relevance.judgments import read_judgments
from fashionai.relevance.worst import query_table, worst_queries

JUDGED = read_judgments(b"query,product_id,grade\nvestido,a,3\nsaia,s,2\nbota,b,1\n")


def test_query_table_counts_searches_without_results_and_means_ndcg():
    # vestido: shoppers answered [a] (nDCG 1) and [x] (0) -> mean 0.5; saia: nothing twice; blusa not judged
    table = query_table([("vestido", ["a"]), ("vestido", ["x"]), ("saia", []), ("saia", []), ("blusa", ["q"])],
                        JUDGED, 3)
    assert table["query"].tolist() == ["vestido", "saia", "blusa"]
    assert table["searches"].tolist() == [2, 2, 1] and table["without_results"].tolist() == [0, 2, 0]
    assert table["mean_ndcg"].tolist()[:2] == [0.5, 0.0] and math.isnan(table["mean_ndcg"].iloc[2])


def test_worst_queries_of_each_kind_and_the_change_since_the_earlier_run():
    earlier = query_table([("vestido", ["a"]), ("saia", ["s"]), ("blusa", [])], JUDGED, 3)
    now = query_table([("vestido", ["x", "a"]), ("saia", []), ("blusa", ["q"]), ("bota", ["b"])], JUDGED, 3)
    worst = worst_queries(now, earlier, n=2)
    assert worst.zero_results["query"].tolist() == ["saia"]
    # saia 0 (no answer), vestido 1/log2(3) = 0.63093, bota 1
    assert worst.lowest_ndcg["query"].tolist() == ["saia", "vestido"]
    # saia 1 -> 0 (-1), blusa without results 1 -> 0 (-1, unjudged: the share of searches without results),
    # vestido 1 -> 0.63093 (-0.36907): the two largest, ties by query
    assert worst.biggest_change["query"].tolist() == ["blusa", "saia"]
    assert worst.biggest_change["change"].tolist() == pytest.approx([-1.0, -1.0])
    assert worst_queries(now).biggest_change.empty
