"""The audit's measures beyond overlap: pure functions of ranked product ids, each defined in its docstring.

As in `fashionai.audit.measures`, a list is read as its top K distinct ids (`top_k`), a "place" is one of
those ids in one list, and a measure returns None when it cannot be measured.

    sales_popularity       each product's popularity from its category's sales ranking (1 = best seller)
    novelty                mean self-information −log2 popularity of the places (Zhou et al. 2010)
    popularity_bias        mean popularity of the places / mean popularity of the category's products
                           (average recommendation popularity, Abdollahpouri et al. 2019, against the catalog's)
    shelf_entropy          Shannon entropy of the places over products (distributional coverage,
                           Shani & Gunawardana 2011)
    attribute_ild          1 − mean attribute similarity of a list's pairs (intra-list diversity,
                           Ziegler et al. 2005), averaged over the lists
    calibration            KL divergence of a shopper's viewed mix from their list's mix, smoothed with
                           α = 0.01 (Steck 2018), averaged over shoppers and attributes
    exposure_parity        least / most position-weighted exposure per product of the groups of an
                           attribute (weights 1/log2(1 + rank), Singh & Joachims 2018), the lowest over
                           the attributes
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence

from fashionai.measures.ranked_ids import top_k

CALIBRATION_ALPHA = 0.01
"""Steck's (2018) smoothing of the list's mix towards the shopper's: q̃ = (1 − α) q + α p."""


def sales_popularity(sales_ranking: Sequence[str], category_products: Collection[str]) -> dict[str, float]:
    """Each of the category's n products' popularity from the sales ranking: the product at rank r among the
    category's products (ids of the ranking outside the category skipped) has (n − r + 1) / n, so the best
    seller has 1 and the last 1/n; products the ranking leaves out share the least, 1/n. Empty for an empty
    ranking or category (then novelty and popularity bias are not measured)."""
    category = set(category_products)
    n = len(category)
    if not n or not len(sales_ranking):
        return {}
    popularity = dict.fromkeys(category, 1 / n)
    rank = 0
    for pid in dict.fromkeys(sales_ranking):
        if pid in category:
            rank += 1
            popularity[pid] = (n - rank + 1) / n
    return popularity


def _places(lists: Iterable[Sequence[str]], k: int) -> list[str]:
    return [pid for ranked in lists for pid in top_k(ranked, k)]


def novelty(lists: Sequence[Sequence[str]], popularity: Mapping[str, float], k: int) -> float | None:
    """Mean self-information of the places, in bits: mean over places of −log2 popularity(i)
    (`sales_popularity`; places of ids without a popularity left out). 0: only best sellers; log2(n): only the
    category's last seller. None when no place has a popularity."""
    scores = [-math.log2(popularity[pid]) for pid in _places(lists, k) if popularity.get(pid, 0) > 0]
    return sum(scores) / len(scores) if scores else None


def popularity_bias(lists: Sequence[Sequence[str]], popularity: Mapping[str, float],
                    category_products: Collection[str], k: int) -> float | None:
    """Average recommendation popularity against the catalog's: (mean popularity of the places) / (mean
    popularity of the category's products), both over ids with a popularity. 1: the shelves are as popular as
    the category; above 1 they lean to best sellers; below 1 to slow sellers. None without either side."""
    shown = [popularity[pid] for pid in _places(lists, k) if pid in popularity]
    stock = [popularity[pid] for pid in category_products if pid in popularity]
    if not shown or not stock:
        return None
    return (sum(shown) / len(shown)) / (sum(stock) / len(stock))


def shelf_entropy(lists: Sequence[Sequence[str]], k: int) -> float | None:
    """Shannon entropy of the places over products, in bits: H = −Σ_i p_i log2 p_i with p_i = places of
    product i / all places. log2(m) when m products share the places evenly; 0 when one product takes them
    all. None when nothing is shown."""
    counts = Counter(_places(lists, k))
    total = sum(counts.values())
    if not total:
        return None
    return max(0.0, -sum(c / total * math.log2(c / total) for c in counts.values()))


def _similarity(a: str, b: str, values: Mapping[str, Mapping[str, str]]) -> float | None:
    both = [attr for attr in values if a in values[attr] and b in values[attr]]
    if not both:
        return None
    return sum(1 for attr in both if values[attr][a] == values[attr][b]) / len(both)


def attribute_ild(lists: Sequence[Sequence[str]], values: Mapping[str, Mapping[str, str]], k: int) -> float | None:
    """Intra-list diversity over every attribute: for each list, 1 − the mean similarity of its top K's pairs,
    where sim(i, j) = the share of the attributes both have a value of (`values`: attribute -> id -> value)
    on which they agree (pairs without a common valued attribute left out); the mean over the lists it can
    measure. 0: every pair alike in everything; 1: no pair shares a value. None when no list has such a pair."""
    scores = []
    for ranked in lists:
        top = top_k(ranked, k)
        sims = [s for i, a in enumerate(top) for b in top[i + 1:] if (s := _similarity(a, b, values)) is not None]
        if sims:
            scores.append(1 - sum(sims) / len(sims))
    return sum(scores) / len(scores) if scores else None


def _mix(ids: Iterable[str], values: Mapping[str, str]) -> dict[str, float]:
    counts = Counter(values[pid] for pid in ids if pid in values)
    total = sum(counts.values())
    return {v: c / total for v, c in counts.items()} if total else {}


def kl_calibration(p: Mapping[str, float], q: Mapping[str, float], alpha: float = CALIBRATION_ALPHA) -> float:
    """Steck's (2018) miscalibration of a list's mix q from a shopper's mix p, in bits:
    C_KL = Σ_g p(g) log2(p(g) / q̃(g)), q̃ = (1 − α) q + α p (finite whenever p is a distribution)."""
    total = 0.0
    for g, pg in p.items():
        if pg > 0:
            total += pg * math.log2(pg / ((1 - alpha) * q.get(g, 0.0) + alpha * pg))
    return max(0.0, total)


def calibration(lists: Sequence[Sequence[str]], events: Sequence[Sequence[str]],
                values: Mapping[str, Mapping[str, str]], k: int) -> float | None:
    """Mean miscalibration (`kl_calibration`) of the shoppers' lists: for list u and each attribute, p = the
    value mix of the products shopper u viewed (`events[u]`), q = the value mix of their top K (products
    without a value left out of both); a shopper's score is the mean over the attributes valued on both sides,
    the slot's the mean over the shoppers. 0: every list mirrors its shopper's views. None when no shopper
    viewed a valued product that a valued list can be set against."""
    scores = []
    for ranked, viewed in zip(lists, events, strict=True):
        top = top_k(ranked, k)
        per_attribute = [kl_calibration(p, q) for attr in values
                         if (p := _mix(viewed, values[attr])) and (q := _mix(top, values[attr]))]
        if per_attribute:
            scores.append(sum(per_attribute) / len(per_attribute))
    return sum(scores) / len(scores) if scores else None


def position_weight(rank: int) -> float:
    """The exposure of rank r (1 = first): 1 / log2(1 + r) (the DCG discount)."""
    return 1 / math.log2(1 + rank)


def group_exposure(lists: Sequence[Sequence[str]], values: Mapping[str, str],
                   category_products: Collection[str], k: int) -> dict[str, float]:
    """Each value's (group's) mean exposure per product a list: Σ over the places of its products of
    1/log2(1 + rank), divided by the lists and by the category's products of that value. Every value of the
    category is a group (never shown: 0); shown ids outside the category or without a value left out."""
    sizes = Counter(values[pid] for pid in category_products if pid in values)
    if not sizes or not lists:
        return {}
    weights = dict.fromkeys(sizes, 0.0)
    category = set(category_products)
    for ranked in lists:
        for rank, pid in enumerate(top_k(ranked, k), start=1):
            if pid in category and pid in values:
                weights[values[pid]] += position_weight(rank)
    return {g: weights[g] / (len(lists) * sizes[g]) for g in sizes}


def exposure_parity(lists: Sequence[Sequence[str]], values: Mapping[str, Mapping[str, str]],
                    category_products: Collection[str], k: int) -> float | None:
    """The ratio between groups: for each attribute with at least two groups in the category, the least
    exposed group's `group_exposure` / the most exposed group's; the lowest ratio over the attributes.
    1: every group of every attribute gets the same exposure per product; 0: some group is never shown.
    None when no attribute has two groups or nothing of the category is shown."""
    ratios = []
    for attr in values:
        exposure = group_exposure(lists, values[attr], category_products, k)
        if len(exposure) >= 2 and max(exposure.values()) > 0:
            ratios.append(min(exposure.values()) / max(exposure.values()))
    return min(ratios) if ratios else None
