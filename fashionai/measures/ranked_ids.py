"""Ranked ids read as the measures read them (`fashionai.measures.ranking`): an id that occurs twice keeps its
first (best) place; a top k read no further than needed; the checks of k and p.
"""

from __future__ import annotations

from collections.abc import Sequence

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
