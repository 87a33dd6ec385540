"""What the products of a ranking's top k are: attribute lift against the category, price bands.

`attribute_lift` says how over- or under-represented each colour, style, brand and
price band is in each lane's top k compared with the whole category: why two lanes
differ, in the merchandiser's words. `price_band` labels prices with quantile bands.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import pairwise

import numpy as np
import pandas as pd

from fashionai.domain import DEFAULT_CURRENCY, DEFAULT_K
from fashionai.measures.ranked_ids import check_k, top_unique, unique_ids
from fashionai.measures.ranking import Rankings

DEFAULT_ATTRIBUTES = ("color", "style", "brand", "price_band")

def price_band(
    prices: pd.Series, bands: int = 4, *, reference: pd.Series | None = None, currency: str = DEFAULT_CURRENCY
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
        middle = [f"{currency} {lo}–{hi}" for lo, hi in pairwise(money)]
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
    k: int = DEFAULT_K,
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
    check_k(k)
    if not products.index.is_unique:
        products = products[~products.index.duplicated()]
    index = products.index
    category = _positions(index, unique_ids([category_ids]))
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


def known_attributes(products: pd.DataFrame, rankings: Rankings, k: int) -> list[str]:
    """The DEFAULT_ATTRIBUTES some product in a ranking's top k has a value for.

    Uploads often lack some (no price, no brand), and an attribute no shown
    product has says nothing about why lanes differ.
    """
    top = unique_ids([rankings.ids(rankings.top(name, k)) for name in rankings.names])
    shown = products[products.index.isin(top)]
    known = []
    for attribute in DEFAULT_ATTRIBUTES:
        column = "price" if attribute == "price_band" and "price_band" not in shown.columns else attribute
        if column in shown.columns and shown[column].notna().any():
            known.append(attribute)
    return known
