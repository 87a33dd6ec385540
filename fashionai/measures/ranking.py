"""The measures of ranked product ids: one engine (`Rankings`), thin functions over it.

A ranking is a sequence of product ids, best first. Every measure reads rankings
through `Rankings`, which encodes them once: an id that occurs twice keeps its first
(best) rank and later occurrences are ignored, so ranks are always 1..n without gaps
or ties. Each measure is written once, as a method of the engine; the functions
below are the same methods for callers that hold plain lists (scripts, notebooks).

Measures of two rankings:

- `rbo`: extrapolated rank-biased overlap, top-weighted, 0..1, for lists of any
  lengths and contents.
- `overlap_at_k`, `jaccard_at_k`: set agreement of the two top-k lists, 0..1.
- `kendall_tau`: rank correlation over the items both lists contain, -1..1.

All four are symmetric in their two lists. Tables of several named rankings
("lanes"): `similarity_matrix`, `pairwise_table`, `rank_changes`, `rank_matrix`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from itertools import combinations
from typing import Any, SupportsInt, TypeVar

import numpy as np
import pandas as pd

from fashionai.domain import DEFAULT_K, DEFAULT_P
from fashionai.measures.ranked_ids import check_k, check_p, unique

_M = TypeVar("_M", float, "float | None")  # a measure: a number, or None where it cannot be measured

MEASURES = ("rbo", "overlap", "jaccard", "kendall")
"""The measures `similarity_matrix` knows, in the order pages show them."""
_PAIR_COLUMNS = {"rbo": "rbo", "overlap_at_k": "overlap", "jaccard_at_k": "jaccard", "kendall_tau": "kendall"}
"""`pairwise_table`'s column -> the measure it holds."""

NOT_IN_REFERENCE, NOT_RETURNED = "not in the reference", "not returned"


class Rankings:
    """Several named rankings encoded once over a shared vocabulary of ids: the measures' engine.

    Each ranking becomes an array of integer codes (duplicates dropped, best first),
    and each ranking's rank of every code (1-based, 0 where absent) is an array
    lookup. Encoding costs one pass over the ids in C; after it, a rank change list
    costs what it lists (k rows). Every measure of a pair is computed once per
    parameter and kept (Kendall's tau, which depends on neither k nor p, once in all),
    so a matrix, the pair table and a re-measure at another k or p share their work.
    Read-only once built (the caches only fill); safe to share between threads.
    """

    def __init__(self, lanes: Mapping[str, Sequence[str]]) -> None:
        self.names = list(lanes)
        uniques = [unique(ranking) for ranking in lanes.values()]
        joined = np.concatenate(uniques) if uniques else np.empty(0, dtype=object)
        codes, vocabulary = pd.factorize(joined)
        self.vocabulary = np.asarray(vocabulary, dtype=object)
        bounds = np.cumsum([0, *(len(u) for u in uniques)])
        self.codes = {name: codes[bounds[i]:bounds[i + 1]].astype(np.int64)
                      for i, name in enumerate(self.names)}
        self._ranks: dict[str, np.ndarray] = {}
        self._measured: dict[tuple, Any] = {}  # each measure's figure (float, or float | None: see _once)

    @classmethod
    def of(cls, lanes: Mapping[str, Sequence[str]] | Rankings) -> Rankings:
        return lanes if isinstance(lanes, Rankings) else cls(lanes)

    @classmethod
    def pair(cls, a: Sequence[str], b: Sequence[str]) -> Rankings:
        """Two rankings, named "a" and "b"."""
        return cls({"a": a, "b": b})

    def __len__(self) -> int:
        return len(self.names)

    def ranks(self, name: str) -> np.ndarray:
        """Rank (1-based) of every code of the vocabulary in this ranking; 0 where absent."""
        ranks = self._ranks.get(name)
        if ranks is None:
            ranks = np.zeros(len(self.vocabulary), dtype=np.int64)
            codes = self.codes[name]
            ranks[codes] = np.arange(1, len(codes) + 1)
            self._ranks[name] = ranks
        return ranks

    def ids(self, codes: np.ndarray) -> list[str]:
        return self.vocabulary[codes].tolist()

    def top(self, name: str, k: int | None) -> np.ndarray:
        return self.codes[name] if k is None else self.codes[name][:k]

    def _once(self, key: tuple, a: str, b: str, compute: Callable[[], _M]) -> _M:
        """`compute()` for the unordered pair (a, b) under `key`, kept after the first time."""
        key = (*key, frozenset((a, b)))
        if key not in self._measured:
            self._measured[key] = compute()
        return self._measured[key]

    # -- measures of a pair ------------------------------------------------------

    def rbo(self, a: str, b: str, p: float = DEFAULT_P) -> float:
        """Extrapolated rank-biased overlap of two rankings, in [0, 1].

        Webber, Moffat & Zobel (2010), "A similarity measure for indefinite rankings",
        eq. 32 (which is eq. 30 when both lists have the same length). With S the
        shorter list (length s), L the longer (length l) and X_d the overlap of the two
        prefixes of depth d (for d > s, of all of S with L's first d)::

            RBO_ext = (1-p)/p * ( sum_{d=1..l} X_d/d * p^d
                                  + sum_{d=s+1..l} X_s * (d-s)/(s*d) * p^d )
                      + ((X_l - X_s)/l + X_s/s) * p^l

        It assumes the agreement seen so far continues below the lists' ends, so a list
        and any prefix of it score 1.0. p is the persistence: the lower it is, the more
        the top ranks dominate (at p=0.9 the top 10 carry about 86% of the weight).

        Two empty lists are identical and score 1.0; an empty list against a non-empty
        one scores 0.0. The result is clamped to [0, 1] against floating-point drift.
        Vectorized: X_d for every depth comes from one count of the depth at which each
        shared item enters both prefixes.
        """
        check_p(p)
        return self._once(("rbo", p), a, b, lambda: self._rbo(a, b, p))

    def _rbo(self, a: str, b: str, p: float) -> float:
        short, long = (a, b) if len(self.codes[a]) <= len(self.codes[b]) else (b, a)
        s, l = len(self.codes[short]), len(self.codes[long])  # noqa: E741 - s and l as in Webber et al.'s RBO
        if l == 0:
            return 1.0
        if s == 0:
            return 0.0
        # A shared item joins the overlap X_d at the depth where both prefixes hold it.
        in_long = self.ranks(long)[self.codes[short]]
        shared = in_long > 0
        joins = np.maximum(np.arange(1, s + 1)[shared], in_long[shared])
        overlap = np.cumsum(np.bincount(joins, minlength=l + 1)[1:])  # X_1 .. X_l
        depth = np.arange(1, l + 1, dtype=np.float64)
        with np.errstate(under="ignore"):
            weights = p ** depth
        x_s, x_l = float(overlap[s - 1]), float(overlap[l - 1])
        weighted = float(np.sum(overlap / depth * weights))
        below = depth[s:]
        extrapolated = float(np.sum(x_s * (below - s) / (s * below) * weights[s:]))
        score = (1 - p) / p * (weighted + extrapolated) + ((x_l - x_s) / l + x_s / s) * p**l
        return min(1.0, max(0.0, score))

    def overlap_at_k(self, a: str, b: str, k: int) -> float:
        """|A_k ∩ B_k| / k, where A_k and B_k are the two top-k sets.

        Always divided by k as defined, even when a list is shorter than k: two
        identical 3-item lists score 0.3 at k=10 (they fill only 3 of the 10 slots).
        """
        check_k(k)
        return self._once(("overlap", k), a, b, lambda: self._shared_at_k(a, b, k) / k)

    def jaccard_at_k(self, a: str, b: str, k: int) -> float:
        """|A_k ∩ B_k| / |A_k ∪ B_k| of the two top-k sets; 1.0 when both are empty."""
        check_k(k)

        def jaccard() -> float:
            union = len(np.union1d(self.top(a, k), self.top(b, k)))
            return self._shared_at_k(a, b, k) / union if union else 1.0
        return self._once(("jaccard", k), a, b, jaccard)

    def _shared_at_k(self, a: str, b: str, k: int) -> int:
        return len(np.intersect1d(self.top(a, k), self.top(b, k)))

    def kendall_tau(self, a: str, b: str) -> float | None:
        """Kendall's tau between the ranks the two lists give the items they share.

        Items only one list contains are ignored. Ranks within a list never tie (see the
        module docstring), so tau-a and tau-b coincide: (concordant - discordant) pairs
        over all n(n-1)/2 pairs. None when fewer than two items are shared.
        Discordant pairs are counted by scipy's merge sort, O(n log n) in compiled code.
        """
        return self._once(("kendall",), a, b, lambda: self._tau(a, b))

    def _tau(self, a: str, b: str) -> float | None:
        in_b = self.ranks(b)[self.codes[a]]
        in_b = in_b[in_b > 0]  # b's ranks of the shared items, in a's order
        n = len(in_b)
        if n < 2:
            return None
        steps = np.diff(in_b)
        if a == b or bool(np.all(steps > 0)):
            return 1.0  # the same order: exactly, not up to rounding
        if bool(np.all(steps < 0)):
            return -1.0
        from scipy.stats import kendalltau  # imported when first needed: it takes a while

        # No ties within a ranking, so scipy's tau-b is tau-a: (concordant - discordant) / (n choose 2).
        return min(1.0, max(-1.0, float(kendalltau(np.arange(n), in_b).statistic)))

    def measure(self, measure: str, a: str, b: str, *, p: float, k: int) -> float:
        """One of MEASURES for a pair: rbo reads p, overlap and jaccard read k; NaN for an
        undefined Kendall's tau."""
        if measure == "rbo":
            return self.rbo(a, b, p)
        if measure == "overlap":
            return self.overlap_at_k(a, b, k)
        if measure == "jaccard":
            return self.jaccard_at_k(a, b, k)
        tau = self.kendall_tau(a, b)
        return np.nan if tau is None else tau

    # -- tables ------------------------------------------------------------------

    def similarity_matrix(self, measure: str, *, p: float = DEFAULT_P, k: int = DEFAULT_K) -> pd.DataFrame:
        """Square frame of `measure` between every two rankings, in their order.

        measure is one of MEASURES: "rbo" (uses p), "overlap", "jaccard" (use k) or
        "kendall" (NaN where fewer than two items are shared). The index is named
        "lane_a" and the columns "lane_b".
        """
        if measure not in MEASURES:
            raise ValueError(f"measure must be one of {MEASURES}, got {measure!r}")
        names = self.names
        values = np.full((len(names), len(names)), np.nan)
        for i, a in enumerate(names):
            for j in range(i, len(names)):
                values[i, j] = values[j, i] = self.measure(measure, a, names[j], p=p, k=k)
        return pd.DataFrame(
            values,
            index=pd.Index(names, dtype="str", name="lane_a"),
            columns=pd.Index(names, dtype="str", name="lane_b"),
        )

    def pairwise_table(self, *, p: float = DEFAULT_P, k: int = DEFAULT_K) -> pd.DataFrame:
        """Every measure for every unordered pair of rankings, one row a pair.

        Columns: lane_a, lane_b, rbo, overlap_at_k, jaccard_at_k, kendall_tau (NaN where
        fewer than two items are shared). Pairs come in the rankings' order.
        """
        rows = [
            {"lane_a": a, "lane_b": b}
            | {column: self.measure(measure, a, b, p=p, k=k) for column, measure in _PAIR_COLUMNS.items()}
            for a, b in combinations(self.names, 2)
        ]
        table = pd.DataFrame(rows, columns=["lane_a", "lane_b", *_PAIR_COLUMNS])
        return table.astype({"lane_a": "str", "lane_b": "str"} | dict.fromkeys(_PAIR_COLUMNS, "float64"))

    def changes(self, reference: str, other: str, *, k: int | None = None) -> pd.DataFrame:
        """How each product moved from `reference` to `other`; costs the rows it lists.

        Columns: product_id, ref_rank, rank (Int64, NA where the product is absent from
        that full list), change ("up", "down", "same", "new", "dropped") and delta
        (Int64, ref_rank - rank, positive = moved up; NA only where the product is absent
        from one of the full lists).

        Without k the whole lists are compared. With k, change reads the two top-k lists:
        "new" means in other's top k but not in reference's, "dropped" the reverse, yet
        ref_rank, rank and delta still report the product's real move in the full lists
        (a product that rose from 70 to 1 is new with delta 69; one that fell from 3 to 12
        is dropped with rank 12 and delta -9).

        Rows: products in other's (top k) by rank, then dropped ones by ref_rank.
        """
        if k is not None:
            check_k(k)
        limit = np.iinfo(np.int64).max if k is None else k
        ref_ranks, ranks = self.ranks(reference), self.ranks(other)
        top, ref_top = self.top(other, k), self.top(reference, k)
        dropped = ref_top[(ranks[ref_top] == 0) | (ranks[ref_top] > limit)]
        codes = np.concatenate([top, dropped])
        ref_rank, rank = ref_ranks[codes], ranks[codes]
        delta = ref_rank - rank
        in_both_tops = (ref_rank > 0) & (ref_rank <= limit)  # up, down or the same
        in_both_tops[len(top):] = False
        change = np.where(delta > 0, "up", np.where(delta < 0, "down", "same")).astype(object)
        change[: len(top)][~in_both_tops[: len(top)]] = "new"
        change[len(top):] = "dropped"
        return pd.DataFrame({
            "product_id": pd.array(self.ids(codes), dtype="str"),
            "ref_rank": _int_or_na(ref_rank, ref_rank > 0),
            "rank": _int_or_na(rank, rank > 0),
            "change": pd.array(change.tolist(), dtype="str"),
            "delta": _int_or_na(delta, (ref_rank > 0) & (rank > 0)),  # the real move, in the full lists
        })

    def rank_matrix(self, k: int) -> pd.DataFrame:
        """Long frame of every product in any ranking's top k, with its rank in every ranking.

        Columns: product_id, lane, rank (Int64, its rank in that lane's full list, NA
        if absent) and in_top_k (rank <= k). One row per product and lane; products in
        order of first appearance (lanes in order, then rank), then lane order.
        Feeds `charts.bump_chart` and `charts.drift_chart`.
        """
        check_k(k)
        tops = [self.top(name, k) for name in self.names]
        joined = np.concatenate(tops) if tops else np.empty(0, dtype=np.int64)
        union = pd.unique(joined) if len(joined) else joined  # lane order, then rank
        names = self.names
        ranks = np.column_stack([self.ranks(name)[union] for name in names]).ravel() if names \
            else np.empty(0, dtype=np.int64)
        frame = pd.DataFrame({
            "product_id": pd.array(np.repeat(self.vocabulary[union], len(names)).tolist(), dtype="str"),
            "lane": pd.array(names * len(union), dtype="str"),
            "rank": _int_or_na(ranks, ranks > 0),
        })
        frame["in_top_k"] = (frame["rank"] <= k).fillna(False).astype(bool)
        return frame


def _int_or_na(values: np.ndarray, present: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """An Int64 array of `values`, NA where not `present`."""
    return pd.arrays.IntegerArray(np.asarray(values, dtype=np.int64), ~np.asarray(present, dtype=bool))


# --- the engine's measures for plain lists (see the methods of `Rankings`) ---------


def rbo(a: Sequence[str], b: Sequence[str], p: float = DEFAULT_P) -> float:
    """Extrapolated rank-biased overlap of two rankings, in [0, 1] (`Rankings.rbo`)."""
    return Rankings.pair(a, b).rbo("a", "b", p)


def overlap_at_k(a: Sequence[str], b: Sequence[str], k: int) -> float:
    """|A_k ∩ B_k| / k of the two top-k sets, even for lists shorter than k (`Rankings.overlap_at_k`)."""
    return Rankings.pair(a, b).overlap_at_k("a", "b", k)


def jaccard_at_k(a: Sequence[str], b: Sequence[str], k: int) -> float:
    """|A_k ∩ B_k| / |A_k ∪ B_k| of the two top-k sets; 1.0 when both are empty (`Rankings.jaccard_at_k`)."""
    return Rankings.pair(a, b).jaccard_at_k("a", "b", k)


def kendall_tau(a: Sequence[str], b: Sequence[str]) -> float | None:
    """Kendall's tau over the items both lists hold; None under two (`Rankings.kendall_tau`)."""
    return Rankings.pair(a, b).kendall_tau("a", "b")


def similarity_matrix(
    lanes: Mapping[str, Sequence[str]] | Rankings, measure: str, *, p: float = DEFAULT_P, k: int = DEFAULT_K
) -> pd.DataFrame:
    """Square frame of `measure` between every two lanes (`Rankings.similarity_matrix`)."""
    return Rankings.of(lanes).similarity_matrix(measure, p=p, k=k)


def pairwise_table(
    lanes: Mapping[str, Sequence[str]] | Rankings, *, p: float = DEFAULT_P, k: int = DEFAULT_K
) -> pd.DataFrame:
    """Every measure for every unordered pair of lanes (`Rankings.pairwise_table`)."""
    return Rankings.of(lanes).pairwise_table(p=p, k=k)


def rank_changes(
    reference: Sequence[str], other: Sequence[str], *, k: int | None = None
) -> pd.DataFrame:
    """How each product moved from `reference` to `other` (`Rankings.changes`)."""
    return Rankings({"reference": reference, "other": other}).changes("reference", "other", k=k)


def rank_matrix(lanes: Mapping[str, Sequence[str]] | Rankings, k: int) -> pd.DataFrame:
    """Every product in any lane's top k with its rank in every lane (`Rankings.rank_matrix`)."""
    return Rankings.of(lanes).rank_matrix(k)


def move_note(change: str, ref_rank: SupportsInt, rank: SupportsInt) -> str:
    """Where a product new to the top k came from, or where a dropped one went, in the full lists.

    "from #70" / "not in the reference" for "new", "to #25" / "not returned" for
    "dropped", "" for any other change (its move is said by its delta).
    """
    if change == "new":
        return NOT_IN_REFERENCE if pd.isna(ref_rank) else f"from #{int(ref_rank)}"
    if change == "dropped":
        return NOT_RETURNED if pd.isna(rank) else f"to #{int(rank)}"
    return ""
