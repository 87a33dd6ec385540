"""Rank deltas and list-similarity measures on ranked product ids (pure functions).

A ranking is a sequence of product ids, best first. Every function here reads a
ranking through `_dedupe`: an id that occurs twice keeps its first (best) rank and
later occurrences are ignored, so ranks are always 1..n without gaps or ties.

Measures:

- `rbo`: extrapolated rank-biased overlap, top-weighted, 0..1, for lists of any
  lengths and contents.
- `overlap_at_k`, `jaccard_at_k`: set agreement of the two top-k lists, 0..1.
- `kendall_tau`: rank correlation over the items both lists contain, -1..1.

All four are symmetric in their two lists.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import combinations
from typing import Any

import numpy as np
import pandas as pd

MEASURES = ("rbo", "overlap", "jaccard", "kendall")
DEFAULT_ATTRIBUTES = ("color", "style", "brand", "price_band")
_PAIR_COLUMNS = {"rbo": "rbo", "overlap_at_k": "overlap", "jaccard_at_k": "jaccard", "kendall_tau": "kendall"}


def _dedupe(ranking: Sequence[str]) -> list[str]:
    """The ranking with later occurrences of an id dropped."""
    return _unique(ranking).tolist()


def _unique(ranking: Sequence[str]) -> np.ndarray:
    """The ranking's ids, first occurrences only, as an object array (hashing in C)."""
    values = np.asarray(ranking, dtype=object) if len(ranking) else np.empty(0, dtype=object)
    return pd.unique(values) if len(values) else values


def unique_ids(rankings: Sequence[Sequence[str]]) -> np.ndarray:
    """The ids of several rankings in order of first appearance, as an object array."""
    arrays = [np.asarray(r, dtype=object) for r in rankings if len(r)]
    return _unique(np.concatenate(arrays)) if arrays else np.empty(0, dtype=object)


def _check_k(k: int) -> None:
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")


def _check_p(p: float) -> None:
    if not 0 < p < 1:
        raise ValueError(f"p must be strictly between 0 and 1, got {p}")


class Rankings:
    """Several named rankings encoded once over a shared vocabulary of ids.

    Every measure and table here reads rankings through this: each ranking becomes
    an array of integer codes (duplicates dropped, best first), and each ranking's
    rank of every code (1-based, 0 where absent) is an array lookup. Encoding costs
    one pass over the ids in C; after it, a rank change list costs what it lists
    (k rows), and Kendall's tau of a pair, which depends on neither k nor p, is
    computed once and kept. Read-only once built; safe to share between threads.
    """

    def __init__(self, lanes: Mapping[str, Sequence[str]]) -> None:
        self.names = list(lanes)
        uniques = [_unique(ranking) for ranking in lanes.values()]
        joined = np.concatenate(uniques) if uniques else np.empty(0, dtype=object)
        codes, vocabulary = pd.factorize(joined)
        self.vocabulary = np.asarray(vocabulary, dtype=object)
        bounds = np.cumsum([0, *(len(u) for u in uniques)])
        self.codes = {name: codes[bounds[i]:bounds[i + 1]].astype(np.int64)
                      for i, name in enumerate(self.names)}
        self._ranks: dict[str, np.ndarray] = {}
        self._kendall: dict[frozenset, float | None] = {}

    @classmethod
    def of(cls, lanes: Mapping[str, Sequence[str]] | Rankings) -> Rankings:
        return lanes if isinstance(lanes, Rankings) else cls(lanes)

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

    # -- measures of a pair ------------------------------------------------------

    def rbo(self, a: str, b: str, p: float = 0.9) -> float:
        _check_p(p)
        short, long = (a, b) if len(self.codes[a]) <= len(self.codes[b]) else (b, a)
        s, l = len(self.codes[short]), len(self.codes[long])
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
        _check_k(k)
        return len(np.intersect1d(self.top(a, k), self.top(b, k))) / k

    def jaccard_at_k(self, a: str, b: str, k: int) -> float:
        _check_k(k)
        top_a, top_b = self.top(a, k), self.top(b, k)
        union = len(np.union1d(top_a, top_b))
        return len(np.intersect1d(top_a, top_b)) / union if union else 1.0

    def kendall_tau(self, a: str, b: str) -> float | None:
        pair = frozenset((a, b))
        if pair not in self._kendall:
            self._kendall[pair] = self._tau(a, b)
        return self._kendall[pair]

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

    def changes(self, reference: str, other: str, *, k: int | None = None) -> pd.DataFrame:
        """`rank_changes` between two of these rankings; costs the rows it lists."""
        if k is not None:
            _check_k(k)
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

    def measure(self, measure: str, a: str, b: str, *, p: float, k: int) -> float:
        if measure == "rbo":
            return self.rbo(a, b, p)
        if measure == "overlap":
            return self.overlap_at_k(a, b, k)
        if measure == "jaccard":
            return self.jaccard_at_k(a, b, k)
        tau = self.kendall_tau(a, b)
        return np.nan if tau is None else tau


def _pair(a: Sequence[str], b: Sequence[str]) -> Rankings:
    return Rankings({"a": a, "b": b})


# --- measures ----------------------------------------------------------------------


def rbo(a: Sequence[str], b: Sequence[str], p: float = 0.9) -> float:
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
    one scores 0.0. Duplicates keep their first occurrence. The result is clamped to
    [0, 1] against floating-point drift. Vectorized: X_d for every depth comes from
    one count of the depth at which each shared item enters both prefixes.
    """
    _check_p(p)
    return _pair(a, b).rbo("a", "b", p)


def overlap_at_k(a: Sequence[str], b: Sequence[str], k: int) -> float:
    """|A_k ∩ B_k| / k, where A_k and B_k are the two top-k sets.

    Always divided by k as defined, even when a list is shorter than k: two
    identical 3-item lists score 0.3 at k=10 (they fill only 3 of the 10 slots).
    """
    _check_k(k)
    return len(set(_dedupe(a)[:k]) & set(_dedupe(b)[:k])) / k


def jaccard_at_k(a: Sequence[str], b: Sequence[str], k: int) -> float:
    """|A_k ∩ B_k| / |A_k ∪ B_k| of the two top-k sets; 1.0 when both are empty."""
    _check_k(k)
    top_a, top_b = set(_dedupe(a)[:k]), set(_dedupe(b)[:k])
    union = top_a | top_b
    return len(top_a & top_b) / len(union) if union else 1.0


def kendall_tau(a: Sequence[str], b: Sequence[str]) -> float | None:
    """Kendall's tau between the ranks the two lists give the items they share.

    Items only one list contains are ignored. Ranks within a list never tie (see the
    module docstring), so tau-a and tau-b coincide: (concordant - discordant) pairs
    over all n(n-1)/2 pairs. None when fewer than two items are shared.
    Discordant pairs are counted by scipy's merge sort, O(n log n) in compiled code.
    """
    return _pair(a, b).kendall_tau("a", "b")


# --- tables of lanes ---------------------------------------------------------------


def similarity_matrix(
    lanes: Mapping[str, Sequence[str]] | Rankings, measure: str, *, p: float = 0.9, k: int = 10
) -> pd.DataFrame:
    """Square frame of `measure` between every two lanes, lanes in mapping order.

    measure is one of "rbo" (uses p), "overlap", "jaccard" (use k) or "kendall"
    (NaN where fewer than two items are shared). The index is named "lane_a" and
    the columns "lane_b".
    """
    if measure not in MEASURES:
        raise ValueError(f"measure must be one of {MEASURES}, got {measure!r}")
    rankings = Rankings.of(lanes)
    names = rankings.names
    values = np.full((len(names), len(names)), np.nan)
    for i, a in enumerate(names):
        for j in range(i, len(names)):
            values[i, j] = values[j, i] = rankings.measure(measure, a, names[j], p=p, k=k)
    return pd.DataFrame(
        values,
        index=pd.Index(names, dtype="str", name="lane_a"),
        columns=pd.Index(names, dtype="str", name="lane_b"),
    )


def pairwise_table(
    lanes: Mapping[str, Sequence[str]] | Rankings, *, p: float = 0.9, k: int = 10
) -> pd.DataFrame:
    """Every measure for every unordered pair of lanes, one row a pair.

    Columns: lane_a, lane_b, rbo, overlap_at_k, jaccard_at_k, kendall_tau (NaN where
    fewer than two items are shared). Pairs come in mapping order.
    """
    rankings = Rankings.of(lanes)
    rows = [
        {"lane_a": a, "lane_b": b}
        | {column: rankings.measure(measure, a, b, p=p, k=k) for column, measure in _PAIR_COLUMNS.items()}
        for a, b in combinations(rankings.names, 2)
    ]
    table = pd.DataFrame(rows, columns=["lane_a", "lane_b", *_PAIR_COLUMNS])
    return table.astype({"lane_a": "str", "lane_b": "str"} | dict.fromkeys(_PAIR_COLUMNS, "float64"))


def rank_changes(
    reference: Sequence[str], other: Sequence[str], *, k: int | None = None
) -> pd.DataFrame:
    """How each product moved from `reference` to `other`.

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
    return Rankings({"reference": reference, "other": other}).changes("reference", "other", k=k)




NOT_IN_REFERENCE, NOT_RETURNED = "not in the reference", "not returned"


def move_note(change: str, ref_rank: Any, rank: Any) -> str:
    """Where a product new to the top k came from, or where a dropped one went, in the full lists.

    "from #70" / "not in the reference" for "new", "to #25" / "not returned" for
    "dropped", "" for any other change (its move is said by its delta).
    """
    if change == "new":
        return NOT_IN_REFERENCE if pd.isna(ref_rank) else f"from #{int(ref_rank)}"
    if change == "dropped":
        return NOT_RETURNED if pd.isna(rank) else f"to #{int(rank)}"
    return ""


def _int_or_na(values: np.ndarray, present: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """An Int64 array of `values`, NA where not `present`."""
    return pd.arrays.IntegerArray(np.asarray(values, dtype=np.int64), ~np.asarray(present, dtype=bool))


def _top_k_union(rankings: Rankings, k: int) -> np.ndarray:
    """Codes in any lane's top k, in order of first appearance (lane order, then rank)."""
    tops = [rankings.top(name, k) for name in rankings.names]
    joined = np.concatenate(tops) if tops else np.empty(0, dtype=np.int64)
    return pd.unique(joined) if len(joined) else joined


def rank_matrix(lanes: Mapping[str, Sequence[str]] | Rankings, k: int) -> pd.DataFrame:
    """Long frame of every product in any lane's top k, with its rank in every lane.

    Columns: product_id, lane, rank (Int64, its rank in that lane's full list, NA
    if absent) and in_top_k (rank <= k). One row per product and lane; products in
    order of first appearance (lanes in mapping order, then rank), then lane order.
    Feeds `charts.bump_chart`.
    """
    _check_k(k)
    rankings = Rankings.of(lanes)
    union = _top_k_union(rankings, k)
    names = rankings.names
    ranks = np.column_stack([rankings.ranks(name)[union] for name in names]).ravel() if names \
        else np.empty(0, dtype=np.int64)
    frame = pd.DataFrame({
        "product_id": pd.array(np.repeat(rankings.vocabulary[union], len(names)).tolist(), dtype="str"),
        "lane": pd.array(names * len(union), dtype="str"),
        "rank": _int_or_na(ranks, ranks > 0),
    })
    frame["in_top_k"] = (frame["rank"] <= k).fillna(False).astype(bool)
    return frame


# --- attributes --------------------------------------------------------------------


def price_band(
    prices: pd.Series, bands: int = 4, *, reference: pd.Series | None = None, currency: str = "R$"
) -> pd.Series:
    """Label each price with its quantile band, as an ordered categorical.

    Band edges are quantiles of `reference` (default: `prices` itself), taken as
    prices that occur there (no interpolation), so pass the category's prices as
    reference to band any product against its category. Bands include their upper
    edge, and the outer ones are open-ended so prices outside the reference range
    are still truthfully labelled: "up to R$ 100", "R$ 100–180", ..., "over R$ 350".
    Coinciding quantiles merge bands (fewer than `bands` then). NaN stays NaN.
    """
    if bands < 1:
        raise ValueError(f"bands must be at least 1, got {bands}")
    basis = (prices if reference is None else reference).dropna().astype(float)
    cuts = np.linspace(0, 1, bands + 1)[1:-1]
    inner = sorted(set(basis.quantile(cuts, interpolation="lower"))) if len(basis) else []
    decimals = 0 if all(float(edge).is_integer() for edge in inner) else 2
    money = [f"{edge:,.{decimals}f}" for edge in inner]
    if money:
        middle = [f"{currency} {lo}–{hi}" for lo, hi in zip(money, money[1:])]
        labels = [f"up to {currency} {money[0]}", *middle, f"over {currency} {money[-1]}"]
    else:
        labels = ["any price"]
    edges = [-np.inf, *inner, np.inf]
    return pd.cut(prices.astype(float), bins=edges, labels=labels, right=True, ordered=True)


def attribute_lift(
    products: pd.DataFrame,
    lanes: Mapping[str, Sequence[str]],
    category_ids: Sequence[str],
    *,
    k: int = 10,
    attributes: Sequence[str] = DEFAULT_ATTRIBUTES,
) -> pd.DataFrame:
    """How over- or under-represented each attribute value is in each lane's top k.

    `products` is indexed by product id; attributes it has no column for are
    skipped. "price_band" comes from a "price_band" column if there is one, else it
    is derived from "price" with bands computed over the category (`price_band`).

    For each lane and attribute: share_top_k = count / top-k products with a known
    value, share_category = the same share among the category's products, and
    lift = share_top_k / share_category (NaN when the category has none of the
    value). Ids missing from `products` count as unknown. Values listed are those in
    any lane's top k, for every lane (count 0 where a lane shows none of them).

    Columns: lane, attribute, value, share_top_k, share_category, lift, count.
    Rows: lane order, attribute order, then share_top_k descending and value.
    """
    _check_k(k)
    if not products.index.is_unique:
        products = products[~products.index.duplicated()]
    index = products.index
    category = _positions(index, _unique(category_ids))
    tops = {lane: _positions(index, top_unique(ids, k)) for lane, ids in lanes.items()}
    rows = pd.unique(np.concatenate([category, *tops.values()]))  # the category first, in its order

    frames = []
    for attribute in attributes:
        values = _attribute_values(products, attribute, rows, category)
        if values is None:
            continue
        values, bands = values
        if not values.notna().any():  # no product here has a known value: nothing to explain with
            continue
        share_category = values.reindex(category).value_counts(normalize=True)  # by row position
        # value x lane counts over the values any lane shows
        counts = pd.DataFrame(
            {lane: values.reindex(top).value_counts() for lane, top in tops.items()}
        ).fillna(0).astype("int64")
        for lane in lanes:
            count = counts[lane] if lane in counts else pd.Series(dtype="int64")
            frame = pd.DataFrame({"value": count.index.astype("str"), "count": count.to_numpy(dtype="int64")})
            frame.insert(0, "lane", lane)
            frame.insert(1, "attribute", attribute)
            total = int(count.sum())
            frame["share_top_k"] = (frame["count"] / total if total else np.nan) if len(frame) else 0.0
            frame["share_top_k"] = frame["share_top_k"].astype("float64")
            frame["share_category"] = frame["value"].map(share_category).astype("float64").fillna(0.0)
            frame["lift"] = frame["share_top_k"] / frame["share_category"].where(frame["share_category"] > 0)
            if bands is not None:  # price bands read best low to high
                frame = frame.sort_values("value", key=lambda v: v.map(bands.index), kind="stable")
            else:
                frame = frame.sort_values(["share_top_k", "value"], ascending=[False, True], kind="stable")
            frames.append(frame)

    columns = ["lane", "attribute", "value", "share_top_k", "share_category", "lift", "count"]
    dtypes = {"lane": "str", "attribute": "str", "value": "str", "share_top_k": "float64",
              "share_category": "float64", "lift": "float64", "count": "int64"}
    if not frames:
        return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in dtypes.items()})
    return pd.concat(frames, ignore_index=True)[columns].astype(dtypes)


def _positions(index: pd.Index, ids: np.ndarray) -> np.ndarray:
    """Row positions in a unique `index` of the `ids` it holds, in the order of `ids`."""
    if not len(ids):
        return np.empty(0, dtype=np.int64)
    positions = index.get_indexer(ids)
    return positions[positions >= 0].astype(np.int64)


def top_unique(ranking: Sequence[str], k: int) -> np.ndarray:
    """The first k distinct ids of a ranking (a repeated id keeps its first place), reading no
    further than needed; empty for k < 1."""
    if k < 1:
        return np.empty(0, dtype=object)
    length = 2 * k
    while True:
        top = _unique(ranking[:length])
        if len(top) >= k or length >= len(ranking):
            return top[:k]
        length *= 4


def _attribute_values(
    products: pd.DataFrame, attribute: str, rows: np.ndarray, category: np.ndarray
) -> tuple[pd.Series, list[str] | None] | None:
    """The attribute over the products at row positions `rows` as strings (NaN where
    unknown), indexed by row position, and, for derived price bands, the bands in
    order; None if products lack the attribute."""
    if attribute in products.columns:
        values = products[attribute].iloc[rows].astype("str")
        values.index = rows
        return values, None
    if attribute == "price_band" and "price" in products.columns:
        prices = products["price"]
        bands = price_band(prices.iloc[rows], reference=prices.iloc[category])
        bands.index = rows
        return bands.astype("str"), list(bands.cat.categories)
    return None
