"""The audit's measures: pure functions of ranked product ids, each defined in its docstring.

A list is a sequence of product ids, best first. Every measure reads only a list's top K
*distinct* ids (`top_k`: a repeated id keeps its first place), and
a "place" is one of those ids in one list. A measure returns None when it cannot be
measured (too few lists, a category without products, nothing shown); the scorecard
shows that as "—".

    personalization_at_k  1 - mean overlap@K over every pair of lists
    coverage_at_k         share of the category's products in at least one top K
    gini_exposure         Gini of the category's products' top-K appearances
    long_tail_share       share of places outside the best-selling head
    intra_list_diversity  share of the top K's pairs that differ in an attribute
    attribute_bias        each value's share of places against its share of the category
    bias_distance         total variation distance of those two distributions
    exposure_share        share of places held by flagged ids (out of stock, unknown)
    empty_rate, error_rate, latency_percentiles, stability
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from fashionai.domain import DEFAULT_P
from fashionai.measures.ranked_ids import top_k
from fashionai.measures.ranking import rbo

BIAS_COLUMNS = ("value", "share_shown", "share_category", "lift")
HEAD_SHARE = 0.2
"""The best-selling head of a category: its first fifth by the sales ranking."""


def _tops(lists: Iterable[Sequence[str]], k: int) -> list[list[str]]:
    return [top_k(ranked, k) for ranked in lists]


def coverage_at_k(lists: Sequence[Sequence[str]], category_products: Collection[str], k: int) -> float | None:
    """|(∪ top K) ∩ category| / |category|: the share of the category's products shown at least once.

    None for a category without products or without any list.
    """
    category = _as_set(category_products)
    tops = _tops(lists, k)
    if not category or not tops:
        return None
    shown = {pid for top in tops for pid in top}
    return len(shown & category) / len(category)


def gini_exposure(lists: Sequence[Sequence[str]], category_products: Collection[str], k: int) -> float | None:
    """Gini coefficient of the category's products' top-K appearance counts.

    x_i = the number of lists whose top K holds product i, for every product of the
    category (never shown: 0; shown products outside the category are left out). With x
    sorted ascending, n products and i = 1..n:

        G = 2 Σ i·x_i / (n Σ x_i) - (n + 1) / n

    0: every product shown equally often; towards 1: a few products take every place.
    None for a category without products, or when none of its products is shown.
    """
    category = _as_set(category_products)
    if not category:
        return None
    counts = Counter(pid for top in _tops(lists, k) for pid in top if pid in category)
    total = sum(counts.values())
    if total == 0:
        return None
    n = len(category)
    shown = np.sort(np.fromiter(counts.values(), dtype=np.float64))
    x = np.concatenate([np.zeros(n - len(shown)), shown])
    i = np.arange(1, n + 1, dtype=np.float64)
    return float(2 * np.sum(i * x) / (n * total) - (n + 1) / n)


def best_selling_head(sales_ranking: Sequence[str], category_products: Collection[str]) -> set[str]:
    """The category's best-selling fifth: the first ceil(n/5) of the category's n products in the
    sales ranking's order (ids of the ranking outside the category skipped). Empty for an empty
    ranking or category (then `long_tail_share` is None)."""
    category = _as_set(category_products)
    if not category or not len(sales_ranking):
        return set()
    size = math.ceil(len(category) * HEAD_SHARE)
    head: list[str] = []
    for pid in dict.fromkeys(sales_ranking):
        if pid in category:
            head.append(pid)
            if len(head) == size:
                break
    return set(head)


def long_tail_share(lists: Sequence[Sequence[str]], head: Collection[str], k: int) -> float | None:
    """(places held by ids outside `head`) / (all places): how much of the top K goes beyond the best sellers.

    Every place counts, unknown products' and other categories' too (they are not best sellers).
    None when the head is empty (no sales ranking) or no list shows anything.
    """
    head_set = _as_set(head)
    if not head_set:
        return None
    return exposure_share(lists, head_set, k, complement=True)


def filter_share(places: tuple[int, int] | None) -> float | None:
    """(places held by products breaking a dashboard filter) / (places checked), from `scoring`'s count of a row's
    lists (`fashionai.filters.check_filters` per recommendation type); None when no place could be checked."""
    if places is None or places[1] <= 0:
        return None
    return places[0] / places[1]


def exposure_share(lists: Sequence[Sequence[str]], flagged: Collection[str], k: int, *,
                   complement: bool = False) -> float | None:
    """(places held by flagged ids) / (all places) over the top K of every list; None when nothing is shown.

    Flagged are, for instance, the catalog's out-of-stock products (`fashionai.catalog.stock.known_out`) or the ids the
    catalog lacks. `complement=True` counts the places of ids *not* flagged.
    """
    flagged_set = _as_set(flagged)
    places = hits = 0
    for top in _tops(lists, k):
        places += len(top)
        hits += sum(1 for pid in top if pid in flagged_set)
    if places == 0:
        return None
    return (places - hits if complement else hits) / places


def intra_list_diversity(ranked: Sequence[str], values: Mapping[str, str], k: int) -> float | None:
    """Share of the pairs of the top K that differ in an attribute (`values`: id -> value).

    Items without a value are left out. With m items valued and c_v of them holding value v:

        diversity = (C(m, 2) - Σ_v C(c_v, 2)) / C(m, 2)

    0: every item has the same value; 1: no two share one. None under 2 valued items.
    """
    counts: dict[object, int] = {}
    for pid in top_k(ranked, k):
        value = values.get(pid)
        if value is not None and _is_value(value):
            counts[value] = counts.get(value, 0) + 1
    m = sum(counts.values())
    if m < 2:
        return None
    pairs = m * (m - 1) / 2
    same = sum(c * (c - 1) / 2 for c in counts.values())
    return (pairs - same) / pairs


def mean_intra_list_diversity(lists: Sequence[Sequence[str]], values: Mapping[str, str], k: int) -> float | None:
    """The mean of `intra_list_diversity` over the lists it can measure; None when it measures none."""
    return _mean(intra_list_diversity(ranked, values, k) for ranked in lists)


def attribute_bias(lists: Sequence[Sequence[str]], values: Mapping[str, str],
                   category_products: Collection[str], k: int) -> pd.DataFrame:
    """Each value's share of the top-K places against its share of the category.

    share_shown(v) = places held by items of value v / places held by items with a value;
    share_category(v) = the category's products of value v / its products with a value;
    lift = share_shown / share_category (NaN when the category has none of v). Items
    without a value are left out of both. One row per value of either side, most shown
    first; empty (columns `BIAS_COLUMNS`) when neither side has a value.
    """
    shown = _value_counts((pid for top in _tops(lists, k) for pid in top), values)
    stock = _value_counts(_as_set(category_products), values)
    shown_total, stock_total = sum(shown.values()), sum(stock.values())
    rows = []
    for value in dict.fromkeys([*shown, *stock]):
        share_shown = shown[value] / shown_total if shown_total else math.nan
        share_category = stock[value] / stock_total if stock_total else math.nan
        lift = share_shown / share_category if share_category else math.nan
        rows.append((value, share_shown, share_category, lift))
    frame = pd.DataFrame(rows, columns=list(BIAS_COLUMNS))
    frame["value"] = frame["value"].astype(object)
    frame[list(BIAS_COLUMNS[1:])] = frame[list(BIAS_COLUMNS[1:])].astype("float64")
    return frame.sort_values(["share_shown", "share_category", "value"], ascending=[False, False, True],
                             na_position="last", kind="stable").reset_index(drop=True)


def bias_distance(lists: Sequence[Sequence[str]], values: Mapping[str, str],
                  category_products: Collection[str], k: int) -> float | None:
    """Total variation distance between the shown and the category's value distributions
    (`attribute_bias`): ½ Σ_v |share_shown(v) - share_category(v)|, 0..1.

    0: the top K mirrors the category; 1: it shows only values the category lacks (never
    possible for a list of its own products). None when either side has no valued item.
    Counted without making `attribute_bias`'s frame (the bootstrap scores it hundreds of times):
    the same shares, summed in another order (the same figure to 1e-12).
    """
    shown = _value_counts((pid for top in _tops(lists, k) for pid in top), values)
    stock = _value_counts(_as_set(category_products), values)
    shown_total, stock_total = sum(shown.values()), sum(stock.values())
    if not shown_total or not stock_total:
        return None
    return sum(abs(shown[v] / shown_total - stock[v] / stock_total) for v in dict.fromkeys([*shown, *stock])) / 2


def empty_rate(product_counts: Sequence[int], ok: Sequence[bool]) -> float | None:
    """(answers that succeeded with no product) / (all calls); None for no calls.

    `product_counts[i]` is the number of products of call i, `ok[i]` whether it succeeded.
    """
    if not len(ok):
        return None
    return sum(1 for n, good in zip(product_counts, ok, strict=True) if good and n == 0) / len(ok)


def error_rate(ok: Sequence[bool]) -> float | None:
    """(calls that failed: an error status, a timeout, an unreadable answer) / (all calls); None for no calls."""
    if not len(ok):
        return None
    return sum(1 for good in ok if not good) / len(ok)


def latency_percentiles(elapsed_seconds: Sequence[float]) -> tuple[float | None, float | None]:
    """(p50, p95) of the calls' durations, in milliseconds (linear interpolation between ranks);
    (None, None) without a duration. NaN durations are left out."""
    values = np.asarray([s for s in elapsed_seconds if s is not None], dtype=np.float64)
    values = values[np.isfinite(values)]
    if not len(values):
        return None, None
    p50, p95 = np.percentile(values * 1000.0, [50, 95])
    return float(p50), float(p95)


def stability(pairs: Sequence[tuple[Sequence[str], Sequence[str]]], p: float = DEFAULT_P) -> float | None:
    """Mean rank-biased overlap (`fashionai.measures.ranking.rbo`, persistence p) of each pair of lists:
    the same persona on two fresh sessions. 1: the same list; 0: nothing in common. None for no pair."""
    return _mean(rbo(list(a), list(b), p) for a, b in pairs)


def _value_counts(ids: Iterable[str], values: Mapping[str, str]) -> Counter:
    found = (values.get(pid) for pid in ids)
    return Counter(value for value in found if value is not None and _is_value(value))


def _mean(values: Iterable[float | None]) -> float | None:
    kept = [v for v in values if v is not None and not math.isnan(v)]
    return sum(kept) / len(kept) if kept else None


def _as_set(ids: Collection[str]) -> set[str] | frozenset[str]:
    return ids if isinstance(ids, set | frozenset) else set(ids)


def _is_value(value: object) -> bool:
    if type(value) is str:
        return bool(value) and not value.isspace()
    if value is None or value is pd.NA:
        return False
    if isinstance(value, float) and math.isnan(value):
        return False
    return str(value).strip() != ""
