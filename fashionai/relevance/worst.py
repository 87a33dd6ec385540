"""The worst queries of a query set's searches: those that found nothing, the least relevant, and those that
changed most since an earlier run (what the scorecard lists under the search measures).

    table = query_table(searches, judgments, k)        # a row a query: searches, without results, nDCG@K
    worst = worst_queries(table, earlier_table, n=10)   # WorstQueries: .zero_results, .lowest_ndcg, .biggest_change
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from fashionai.relevance.judgments import Judgments
from fashionai.relevance.scores import Search, judged_per_search

__all__ = ["QUERY_COLUMNS", "WorstQueries", "query_table", "worst_queries"]

QUERY_COLUMNS = ("query", "searches", "without_results", "mean_ndcg")
"""A query's row: its text, its searches (one a shopper), those that answered no product, its mean nDCG@K
(NaN when the query is not judged)."""


def query_table(searches: Sequence[Search], judgments: Judgments | None, k: int) -> pd.DataFrame:
    """A row a query (QUERY_COLUMNS), in the order the queries first came."""
    rows: dict[str, dict[str, float]] = {}
    for query, ranked in searches:
        row = rows.setdefault(query, {"searches": 0, "without_results": 0})
        row["searches"] += 1
        row["without_results"] += not ranked
    ndcg: dict[str, list[float]] = {}
    for query, scores in judged_per_search(searches, judgments, k):
        ndcg.setdefault(query, []).append(float(scores.ndcg or 0.0))
    frame = pd.DataFrame([{"query": q, **r, "mean_ndcg": sum(ndcg[q]) / len(ndcg[q]) if q in ndcg else float("nan")}
                          for q, r in rows.items()], columns=list(QUERY_COLUMNS))
    return frame.astype({"query": object, "searches": "int64", "without_results": "int64", "mean_ndcg": "float64"})


@dataclass(frozen=True)
class WorstQueries:
    """Queries no search of which found a product; the judged queries of lowest nDCG; the queries whose nDCG
    (or, unjudged, share of searches without results) moved most since the earlier run, with `change`."""

    zero_results: pd.DataFrame
    lowest_ndcg: pd.DataFrame
    biggest_change: pd.DataFrame


def worst_queries(table: pd.DataFrame, earlier: pd.DataFrame | None = None, *, n: int = 10) -> WorstQueries:
    """The `n` worst queries of each kind (ties by query, so the same run lists the same queries)."""
    ordered = table.sort_values("query", kind="stable")
    zero = ordered[ordered["without_results"] == ordered["searches"]].head(n)
    lowest = ordered.dropna(subset=["mean_ndcg"]).sort_values("mean_ndcg", kind="stable").head(n)
    change = pd.DataFrame(columns=[*QUERY_COLUMNS, "change"])
    if earlier is not None and not earlier.empty and not table.empty:
        both = ordered.merge(earlier[["query", "searches", "without_results", "mean_ndcg"]], on="query",
                             suffixes=("", "_before"))
        share = both["without_results"] / both["searches"]
        share_before = both["without_results_before"] / both["searches_before"]
        both["change"] = (both["mean_ndcg"] - both["mean_ndcg_before"]).fillna(share - share_before)
        both = both[both["change"] != 0]
        change = both.reindex(both["change"].abs().sort_values(ascending=False, kind="stable").index).head(n)
        change = change[[*QUERY_COLUMNS, "change"]]
    return WorstQueries(zero.reset_index(drop=True), lowest.reset_index(drop=True), change.reset_index(drop=True))
