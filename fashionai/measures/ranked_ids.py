"""Ranked ids read as the measures read them (`fashionai.measures.ranking`): an id that occurs twice keeps its
first (best) place; a top k read no further than needed; the checks of k and p; how personal many lists are
(personalization@K, read by the audits' scorecard and the search relevance scores alike).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd


def unique(ranking: Sequence[str] | np.ndarray) -> np.ndarray:
    """The ranking's ids, first occurrences only, as an object array (hashing in C)."""
    values = np.asarray(ranking, dtype=object) if len(ranking) else np.empty(0, dtype=object)
    return pd.unique(values) if len(values) else values


def unique_ids(rankings: Sequence[Sequence[str]]) -> np.ndarray:
    """The ids of several rankings in order of first appearance, as an object array."""
    arrays = [np.asarray(r, dtype=object) for r in rankings if len(r)]
    return unique(np.concatenate(arrays)) if arrays else np.empty(0, dtype=object)


def top_unique(ranking: Sequence[str], k: int) -> np.ndarray:
    """The first k distinct ids of a ranking (a repeated id keeps its first place), reading no
    further than needed; empty for k < 1."""
    if k < 1:
        return np.empty(0, dtype=object)
    length = 2 * k
    while True:
        top = unique(ranking[:length])
        if len(top) >= k or length >= len(ranking):
            return top[:k]
        length *= 4


def check_k(k: int) -> None:
    """ValueError unless k (the top k a measure reads) is at least 1."""
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")


def check_p(p: float) -> None:
    """ValueError unless p (rank-biased overlap's persistence) is strictly between 0 and 1."""
    if not 0 < p < 1:
        raise ValueError(f"p must be strictly between 0 and 1, got {p}")


def top_k(ranked: Sequence[str], k: int) -> list[str]:
    """The first k distinct ids of a list (a repeated id keeps its first place)."""
    check_k(k)
    seen = dict.fromkeys(ranked[:k])  # in C: a scorecard reads tens of thousands of short lists
    if len(seen) == k or len(ranked) <= k:
        return list(seen)
    for pid in ranked[k:]:
        if pid not in seen:
            seen[pid] = None
            if len(seen) == k:
                break
    return list(seen)


def _tops(lists: Iterable[Sequence[str]], k: int) -> list[list[str]]:
    return [top_k(ranked, k) for ranked in lists]


def personalization_at_k(lists: Sequence[Sequence[str]], k: int) -> float | None:
    """1 - mean overlap@K over every pair of lists; None for fewer than 2 lists.

    overlap@K(A, B) = |A_K ∩ B_K| / K (always over K, as `fashionai.measures.ranking.overlap_at_k`:
    two identical 3-item lists overlap 0.3 at K=10). Counted without forming the pairs:
    a product in c of the n top-K sets is shared by c(c-1)/2 pairs, so

        personalization = 1 - (Σ_products c(c-1)/2) / (K · n(n-1)/2)

    1.0: no two lists share a product; 0.0: every list is the same K products.
    """
    tops = _tops(lists, k)
    n = len(tops)
    if n < 2:
        return None
    counts = np.fromiter(Counter(pid for top in tops for pid in top).values(), dtype=np.float64)
    shared = float(np.sum(counts * (counts - 1) / 2))
    return 1.0 - shared / (k * n * (n - 1) / 2)
