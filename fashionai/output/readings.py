"""Plain readings: each measure's figures said as one sentence a stakeholder reads without a manual.

Pure functions of the figures (no Streamlit, no frames): rank-biased overlap, overlap and Jaccard
at K, Kendall's tau, a pair of storefronts in one sentence, and a journey's drift. The technical
names stay in the pages' help texts; these sentences never name them.
"""

from __future__ import annotations

import math

from fashionai.text.formatting import plural


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _top(k: int) -> str:
    return "top product" if k == 1 else f"top {k}"


def order_words(tau: float | None) -> str:
    """How alike the order of the shared products is, as words ("mostly in the same order")."""
    if tau is None or _missing(tau):
        return "too few in common to compare their order"
    if tau >= 0.8:
        return "in nearly the same order"
    if tau >= 0.4:
        return "mostly in the same order"
    if tau > -0.4:
        return "mostly in a different order"
    if tau > -0.8:
        return "mostly in reverse order"
    return "in nearly reverse order"


def likeness_words(rbo: float) -> str:
    """How alike two whole lists are, the top counting most, as words ("much alike")."""
    if rbo >= 0.9:
        return "nearly the same"
    if rbo >= 0.6:
        return "much alike"
    if rbo >= 0.3:
        return "partly alike"
    if rbo > 0:
        return "little alike"
    return "nothing alike"


def rbo_reading(rbo: float) -> str:
    """Rank-biased overlap (0..1) in words."""
    return f"Taken whole, the top counting most, the two lists are {likeness_words(rbo)}."


def overlap_reading(shared: int, k: int) -> str:
    """Overlap at K as a count: `shared` products both top K hold."""
    if k == 1:
        return "They have the same top product." if shared else "Their top products differ."
    if shared >= k:
        return f"Their {_top(k)} hold the same {k} products."
    if shared == 0:
        return f"They share none of their {_top(k)} products."
    return f"They share {shared} of their {_top(k)} products."


def jaccard_reading(jaccard: float, k: int) -> str:
    """Jaccard at K (0..1): of the products in either top K, the share in both."""
    if jaccard >= 1:
        return f"Their {_top(k)} hold exactly the same products."
    if jaccard <= 0:
        return f"No product is in both {_top(k)}s." if k > 1 else "Their top products differ."
    return f"Of the products in either {_top(k)}, {round(jaccard * 100)}% are in both."


def kendall_reading(tau: float | None, shared: int | None = None) -> str:
    """Kendall's tau (-1..1, None or NaN when under two products are shared) in words. With `shared`
    (the products both top K hold) under two, the order is not read whatever tau says: nothing or one
    product in common has no order to compare."""
    if shared == 0:
        return "They share no product, so there is no order to compare."
    if shared == 1:
        return "They share one product only, so there is no order to compare."
    if _missing(tau):
        return "They have too few products in common to compare their order."
    return f"The products they share come {order_words(tau)}."


def pair_reading(overlap_count: int, k: int, rbo: float, tau: float | None) -> str:
    """Two storefronts in one sentence: how many of their top K they share, in what order, how alike overall.

    "These two storefronts share 7 of their top 10 products, mostly in a different order, and are
    partly alike overall."
    """
    overall = f"and are {likeness_words(rbo)} overall"
    if overlap_count <= 0:
        return f"These two storefronts share none of their {_top(k)} products, {overall}."
    if k == 1 or (overlap_count >= k and tau is not None and not _missing(tau) and tau >= 1):
        same = "the same top product" if k == 1 else f"the same {_top(k)} in the same order"
        return f"These two storefronts show {same}, {overall}."
    shared = "all of their" if overlap_count >= k else f"{overlap_count} of their"
    order = "" if overlap_count < 2 or _missing(tau) else f", {order_words(tau)}"
    return f"These two storefronts share {shared} {_top(k)} products{order}, {overall}."


def row_reading(pair: dict, k: int) -> str:
    """`pair_reading` of a row of `Comparison.pairwise` (rbo, overlap_at_k, kendall_tau) measured at `k`."""
    return pair_reading(round(pair["overlap_at_k"] * k), k, pair["rbo"], pair["kendall_tau"])


def measure_readings(pair: dict, k: int) -> dict[str, str]:
    """Each measure's reading of a row of `Comparison.pairwise` measured at `k`, by `ranking.MEASURES` name."""
    return {"rbo": rbo_reading(pair["rbo"]),
            "overlap": overlap_reading(round(pair["overlap_at_k"] * k), k),
            "jaccard": jaccard_reading(pair["jaccard_at_k"], k),
            "kendall": kendall_reading(pair["kendall_tau"], round(pair["overlap_at_k"] * k))}


def drift_reading(steps_done: int, kept: int, shown: int, k: int, empty_answers: int = 0) -> str:
    """A journey's drift: after its steps, how much of the storefront's top K is still the store's own."""
    if steps_done == 0:
        return "No step has run yet, so the storefront still shows the store's own order."
    after = f"After {plural(steps_done, 'step')}"
    if shown == 0:
        text = f"{after}, the storefront shows no product."
    elif kept >= shown:
        text = f"{after}, the {_top(k)} still holds only the store's own {_top(k)}, perhaps in another order."
    elif kept == 0:
        text = f"{after}, none of the {_top(k)} is from the store's own {_top(k)}: the browsing replaced them all."
    else:
        text = (f"{after}, {kept} of the {_top(k)} {'is' if kept == 1 else 'are'} still from the store's own {_top(k)}: the browsing "
                f"brought in {shown - kept}.")
    if empty_answers:
        text += (f" {plural(empty_answers, 'answer was', 'answers were')} empty, so the store's own order "
                 "was shown there.")
    return text


def changes_reading(up: int, down: int, same: int, new: int, dropped: int, k: int) -> str:
    """How one storefront's top K moved against another's (the rank changes' counts), in one or two sentences."""
    where = "at the top" if k == 1 else f"in the top {k}"
    if up + down + same == 0:
        text = f"The two share no product {where}."
    elif up + down == 0:
        text = ("The one product both show keeps its place." if same == 1 else
                "The products both show keep their places.")
    elif up + down + same == 1:
        text = f"The one product both show {where} moved {'up' if up else 'down'}."
    else:
        moved = " and ".join(f"{count} moved {way}" for count, way in ((up, "up"), (down, "down")) if count)
        text = f"Of the {plural(up + down + same, 'product')} both show {where}, {moved}."
    if new:
        text += f" {plural(new, 'product is', 'products are')} new {where}"
        text += f"; {plural(dropped, 'has', 'have')} left." if dropped else "."
    elif dropped:
        text += f" {plural(dropped, 'product has', 'products have')} left {'the top' if k == 1 else f'the top {k}'}."
    return text
