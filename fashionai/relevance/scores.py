"""Search relevance measured: pure functions of searches' ranked ids (and judgments), each defined in its docstring.

A search is (query, ranked product ids, best first), one per (shopper, query) that answered. Every measure reads
a search's top K distinct ids (`audit.measures.top_k`), and returns None when it cannot be measured.

    judged_scores        nDCG@K, precision@K, recall@K, MRR@K over the judged searches (ir-measures, trec_eval's
                         own code), each the mean over searches
    mean_results         the mean number of results the search says it has (total_items)
    personalization_by_query  personalization@K between the shoppers of each query, averaged over queries

The formulas (rel(i) is the grade 0-3 of the product at place i, 0 when not judged; "relevant" is grade ≥ 1):

    DCG@K  = Σ_{i=1..K} rel(i) / log2(i + 1)         (linear gain, as trec_eval's ndcg_cut)
    nDCG@K = DCG@K / DCG@K of the judged products in the best order
    P@K    = relevant in the top K / K
    R@K    = relevant in the top K / relevant judged for the query
    MRR@K  = 1 / the place of the first relevant product in the top K (0 when none)
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, fields

from fashionai.measures.ranked_ids import personalization_at_k, top_k
from fashionai.relevance.judgments import Judgments

__all__ = ["Relevance", "Search", "judged_per_search", "judged_scores", "mean_results", "personalization_by_query"]

Search = tuple[str, Sequence[str]]
"""(query, ranked product ids): one shopper's answer to one query."""


@dataclass(frozen=True)
class Relevance:
    """nDCG@K, P@K, R@K and MRR@K of one search, or their means (None: not measured)."""

    ndcg: float | None = None
    precision: float | None = None
    recall: float | None = None
    mrr: float | None = None


_NAMES = tuple(f.name for f in fields(Relevance))


def judged_scores(searches: Sequence[Search], judgments: Judgments | None, k: int) -> Relevance:
    """The mean nDCG@K, P@K, R@K and MRR@K over the searches whose query is judged; every value None when none
    is (or there are no judgments). A query whose judgments hold no relevant product (every grade 0) scores 0
    on each: nothing it could find was right."""
    per_search = [scores for _, scores in judged_per_search(searches, judgments, k)]
    if not per_search:
        return Relevance()
    return Relevance(*(sum(getattr(s, n) for s in per_search) / len(per_search) for n in _NAMES))


def judged_per_search(searches: Sequence[Search], judgments: Judgments | None,
                      k: int) -> list[tuple[str, Relevance]]:
    """Each judged search's query and scores, in the order of `searches`."""
    if judgments is None:
        return []
    import ir_measures  # imported when scoring: the app does not pay for it at start
    from ir_measures import RR, P, R, nDCG

    measures = dict(zip(_NAMES, (nDCG @ k, P @ k, R @ k, RR @ k), strict=True))
    qrels: dict[str, dict[str, int]] = {}
    run: dict[str, dict[str, float]] = {}
    queries: dict[str, str] = {}
    for number, (query, ranked) in enumerate(searches):
        grades = judgments.of(query)
        if not grades:
            continue
        topic = str(number)
        queries[topic] = query
        qrels[topic] = dict(grades)
        top = top_k(ranked, k)
        run[topic] = {pid: float(len(top) - place) for place, pid in enumerate(top)}  # best first, no ties
    if not qrels:
        return []
    scores = {topic: dict.fromkeys(_NAMES, 0.0) for topic in qrels}  # an empty answer scores 0
    names = {measure: key for key, measure in measures.items()}
    answered = {t: r for t, r in run.items() if r}
    for metric in ir_measures.iter_calc(list(measures.values()), qrels, answered) if answered else ():
        scores[metric.query_id][names[metric.measure]] = float(metric.value)
    return [(queries[topic], Relevance(**scores[topic])) for topic in qrels]


def mean_results(totals: Collection[int]) -> float | None:
    """The mean of the totals the search says it has (`SearchAnswer.total_items`), one per search that
    answered: how much a query finds, not only the page shown. None without any answer."""
    return sum(totals) / len(totals) if totals else None


def personalization_by_query(searches: Sequence[Search], k: int) -> float | None:
    """The mean over queries of `personalization_at_k` between the shoppers' answers to that query:
    1 − mean overlap@K of every pair of shoppers who ran the same query. Queries answered for fewer than
    two shoppers are left out; None when none is left."""
    by_query: Mapping[str, list[Sequence[str]]] = {}
    for query, ranked in searches:
        by_query.setdefault(query, []).append(ranked)  # type: ignore[attr-defined]
    values = [v for lists in by_query.values() if (v := personalization_at_k(lists, k)) is not None]
    return sum(values) / len(values) if values else None
