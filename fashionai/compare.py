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

import numpy as np
import pandas as pd

MEASURES = ("rbo", "overlap", "jaccard", "kendall")
DEFAULT_ATTRIBUTES = ("color", "style", "brand", "price_band")
_PAIR_COLUMNS = {"rbo": "rbo", "overlap_at_k": "overlap", "jaccard_at_k": "jaccard", "kendall_tau": "kendall"}


def _dedupe(ranking: Sequence[str]) -> list[str]:
    """The ranking with later occurrences of an id dropped."""
    return list(dict.fromkeys(ranking))


def _ranks(ranking: Sequence[str]) -> dict[str, int]:
    """1-based rank of every id in the (deduplicated) ranking."""
    return {item: rank for rank, item in enumerate(_dedupe(ranking), start=1)}


def _check_k(k: int) -> None:
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")


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
    [0, 1] against floating-point drift.
    """
    if not 0 < p < 1:
        raise ValueError(f"p must be strictly between 0 and 1, got {p}")
    a, b = _dedupe(a), _dedupe(b)
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    s, l = len(short), len(long)
    if l == 0:
        return 1.0
    if s == 0:
        return 0.0

    seen_short: set[str] = set()
    seen_long: set[str] = set()
    overlap = 0  # X_d
    weighted = 0.0  # sum over d of X_d / d * p^d
    for d in range(1, s + 1):
        x, y = short[d - 1], long[d - 1]
        if x == y:
            overlap += 1
        else:
            overlap += (x in seen_long) + (y in seen_short)
        seen_short.add(x)
        seen_long.add(y)
        weighted += overlap / d * p**d
    x_s = overlap

    extrapolated = 0.0  # sum over d > s of X_s * (d - s) / (s * d) * p^d
    for d in range(s + 1, l + 1):
        overlap += long[d - 1] in seen_short
        weighted += overlap / d * p**d
        extrapolated += x_s * (d - s) / (s * d) * p**d
    x_l = overlap

    score = (1 - p) / p * (weighted + extrapolated) + ((x_l - x_s) / l + x_s / s) * p**l
    return min(1.0, max(0.0, score))


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
    Discordant pairs are counted by merge sort, O(n log n).
    """
    ranks_b = _ranks(b)
    in_b_order = [ranks_b[item] for item in _dedupe(a) if item in ranks_b]
    n = len(in_b_order)
    if n < 2:
        return None
    pairs = n * (n - 1) // 2
    return 1.0 - 2.0 * _count_inversions(in_b_order) / pairs


def _count_inversions(values: list[int]) -> int:
    """Number of pairs i < j with values[i] > values[j] (bottom-up merge sort)."""
    items = list(values)
    inversions = 0
    width = 1
    while width < len(items):
        merged: list[int] = []
        for start in range(0, len(items), 2 * width):
            left = items[start : start + width]
            right = items[start + width : start + 2 * width]
            i = j = 0
            while i < len(left) and j < len(right):
                if left[i] <= right[j]:
                    merged.append(left[i])
                    i += 1
                else:
                    merged.append(right[j])
                    inversions += len(left) - i
                    j += 1
            merged.extend(left[i:])
            merged.extend(right[j:])
        items = merged
        width *= 2
    return inversions


# --- tables of lanes ---------------------------------------------------------------


def _measure(measure: str, a: Sequence[str], b: Sequence[str], p: float, k: int) -> float:
    if measure == "rbo":
        return rbo(a, b, p)
    if measure == "overlap":
        return overlap_at_k(a, b, k)
    if measure == "jaccard":
        return jaccard_at_k(a, b, k)
    tau = kendall_tau(a, b)
    return np.nan if tau is None else tau


def similarity_matrix(
    lanes: Mapping[str, Sequence[str]], measure: str, *, p: float = 0.9, k: int = 10
) -> pd.DataFrame:
    """Square frame of `measure` between every two lanes, lanes in mapping order.

    measure is one of "rbo" (uses p), "overlap", "jaccard" (use k) or "kendall"
    (NaN where fewer than two items are shared). The index is named "lane_a" and
    the columns "lane_b".
    """
    if measure not in MEASURES:
        raise ValueError(f"measure must be one of {MEASURES}, got {measure!r}")
    names = list(lanes)
    matrix = pd.DataFrame(
        np.nan,
        index=pd.Index(names, dtype="str", name="lane_a"),
        columns=pd.Index(names, dtype="str", name="lane_b"),
    )
    for i, a in enumerate(names):
        for b in names[i:]:
            value = _measure(measure, lanes[a], lanes[b], p, k)
            matrix.loc[a, b] = matrix.loc[b, a] = value
    return matrix


def pairwise_table(
    lanes: Mapping[str, Sequence[str]], *, p: float = 0.9, k: int = 10
) -> pd.DataFrame:
    """Every measure for every unordered pair of lanes, one row a pair.

    Columns: lane_a, lane_b, rbo, overlap_at_k, jaccard_at_k, kendall_tau (NaN where
    fewer than two items are shared). Pairs come in mapping order.
    """
    rows = [
        {"lane_a": a, "lane_b": b}
        | {column: _measure(measure, lanes[a], lanes[b], p, k) for column, measure in _PAIR_COLUMNS.items()}
        for a, b in combinations(lanes, 2)
    ]
    table = pd.DataFrame(rows, columns=["lane_a", "lane_b", *_PAIR_COLUMNS])
    return table.astype({"lane_a": "str", "lane_b": "str"} | dict.fromkeys(_PAIR_COLUMNS, "float64"))


def rank_changes(
    reference: Sequence[str], other: Sequence[str], *, k: int | None = None
) -> pd.DataFrame:
    """How each product moved from `reference` to `other`.

    Columns: product_id, ref_rank, rank (Int64, NA where the product is absent from
    that full list), change ("up", "down", "same", "new", "dropped") and delta
    (Int64, ref_rank - rank, positive = moved up; NA for new and dropped).

    Without k the whole lists are compared. With k only the two top-k lists are:
    "new" means in other's top k but not in reference's, "dropped" the reverse, yet
    ref_rank and rank still report the product's rank in the full lists (a product
    that fell from 3 to 12 shows as dropped with rank 12).

    Rows: products in other's (top k) by rank, then dropped ones by ref_rank.
    """
    if k is not None:
        _check_k(k)
    ref_ranks, ranks = _ranks(reference), _ranks(other)
    ref_top, top = list(ref_ranks)[:k], list(ranks)[:k]
    ref_top_set, top_set = set(ref_top), set(top)

    rows = []
    for item in top:
        ref_rank, rank = ref_ranks.get(item), ranks[item]
        if item not in ref_top_set:
            change, delta = "new", None
        else:
            delta = ref_rank - rank
            change = "up" if delta > 0 else "down" if delta < 0 else "same"
        rows.append((item, ref_rank, rank, change, delta))
    for item in ref_top:
        if item not in top_set:
            rows.append((item, ref_ranks[item], ranks.get(item), "dropped", None))

    frame = pd.DataFrame(rows, columns=["product_id", "ref_rank", "rank", "change", "delta"])
    return frame.astype(
        {"product_id": "str", "ref_rank": "Int64", "rank": "Int64", "change": "str", "delta": "Int64"}
    )


def _top_k_union(lanes: Mapping[str, Sequence[str]], k: int) -> list[str]:
    """Ids in any lane's top k, in order of first appearance (lane order, then rank)."""
    return list(dict.fromkeys(item for ranking in lanes.values() for item in _dedupe(ranking)[:k]))


def rank_matrix(lanes: Mapping[str, Sequence[str]], k: int) -> pd.DataFrame:
    """Long frame of every product in any lane's top k, with its rank in every lane.

    Columns: product_id, lane, rank (Int64, its rank in that lane's full list, NA
    if absent) and in_top_k (rank <= k). One row per product and lane; products in
    order of first appearance (lanes in mapping order, then rank), then lane order.
    Feeds `charts.bump_chart`.
    """
    _check_k(k)
    ranks = {lane: _ranks(ranking) for lane, ranking in lanes.items()}
    rows = [
        (item, lane, ranks[lane].get(item))
        for item in _top_k_union(lanes, k)
        for lane in lanes
    ]
    frame = pd.DataFrame(rows, columns=["product_id", "lane", "rank"])
    frame = frame.astype({"product_id": "str", "lane": "str", "rank": "Int64"})
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
    known = products.index
    category = [pid for pid in _dedupe(category_ids) if pid in known]
    tops = {lane: [pid for pid in _dedupe(ids)[:k] if pid in known] for lane, ids in lanes.items()}
    ids = list(dict.fromkeys([*category, *(pid for top in tops.values() for pid in top)]))

    frames = []
    for attribute in attributes:
        values = _attribute_values(products, attribute, ids, category)
        if values is None:
            continue
        values, bands = values
        if not values.notna().any():  # no product here has a known value: nothing to explain with
            continue
        share_category = values.reindex(category).value_counts(normalize=True)
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


def _attribute_values(
    products: pd.DataFrame, attribute: str, ids: list[str], category: list[str]
) -> tuple[pd.Series, list[str] | None] | None:
    """The attribute over `ids` as strings (NaN where unknown) and, for derived price
    bands, the bands in order; None if products lack the attribute."""
    if attribute in products.columns:
        return products.loc[ids, attribute].astype("str"), None
    if attribute == "price_band" and "price" in products.columns:
        bands = price_band(products.loc[ids, "price"], reference=products.loc[category, "price"])
        return bands.astype("str"), list(bands.cat.categories)
    return None
