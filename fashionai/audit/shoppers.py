"""The shoppers of an audit made from a catalog: `synthetic_personas`.

A synthetic persona likes one value of one taste attribute (a style, a colour, a brand or
a price band): it opens the category where that value is most common and views two of its
products there, then the audit measures what it is shown. Attributes and values take turns
(the most common values first), so twenty personas cover the catalog's tastes evenly.
Deterministic for a catalog and a seed.
"""

from __future__ import annotations

import random

import pandas as pd

from fashionai.catalog import Catalog
from fashionai.catalog.stock import known_out
from fashionai.domain import EventType
from fashionai.journeys.journey import Journey, Step

TASTE_ATTRIBUTES = ("style", "color", "brand", "price_band")
"""What a synthetic persona's taste can be, in turn."""
PRICE_BANDS = ("budget", "mid-range", "premium")
"""A category's price bands: its cheapest third, middle third and dearest third."""
VIEWS_PER_PERSONA = 2
MIN_TASTE_PRODUCTS = 2
"""A value needs this many products for a persona to like it."""

_TITLES = {
    "style": lambda value: f"{value.strip().title()} shopper",
    "color": lambda value: f"{value.strip().title()} lover",
    "brand": lambda value: f"{value.strip()} fan",
    "price_band": lambda value: f"{value.strip().capitalize()} shopper",
}


def price_bands(products: pd.DataFrame) -> pd.Series:
    """Each product's price band within its category (PRICE_BANDS, by thirds of the category's prices);
    missing where the price or the category is."""
    if "price" not in products.columns or "category" not in products.columns:
        return pd.Series(pd.NA, index=products.index, dtype="object")
    price = pd.to_numeric(products["price"], errors="coerce")
    pct = price.groupby(products["category"], sort=False).rank(pct=True, method="average")
    bands = pd.cut(pct, bins=[0, 1 / 3, 2 / 3, 1], labels=list(PRICE_BANDS), include_lowest=True)
    return bands.astype("object").where(price.notna(), pd.NA)


def taste_values(catalog: Catalog) -> pd.DataFrame:
    """The catalog's taste attributes as text (style, color, brand, price_band; missing as NA), by product id."""
    products = catalog.products
    frame = pd.DataFrame(index=products.index)
    for attribute in TASTE_ATTRIBUTES[:-1]:
        if attribute in products.columns:
            column = products[attribute].astype("string").str.strip()
            frame[attribute] = column.where(column != "", pd.NA).astype("object")
    frame["price_band"] = price_bands(products)
    return frame


def synthetic_personas(catalog: Catalog, count: int, *, seed: int = 0) -> list[Journey]:
    """`count` personas made from the catalog's tastes (see the module); fewer when it has fewer tastes
    than that times over, none for a catalog without categories. Each journey's target is its home category."""
    if count <= 0:
        return []
    products = catalog.products
    if products.empty or "category" not in products.columns:
        return []
    category = products["category"].astype("string")
    tastes = taste_values(catalog)
    buyable = (pd.Series(~known_out(products["stock"]), index=products.index) if "stock" in products.columns
               else pd.Series(True, index=products.index))  # unknown stock can be bought

    queues: list[list[tuple[str, str]]] = []
    for attribute in TASTE_ATTRIBUTES:
        if attribute not in tastes.columns:
            continue
        counts = tastes[attribute].dropna().value_counts(sort=True)
        values = [v for v, n in counts.items() if n >= MIN_TASTE_PRODUCTS and isinstance(v, str)]
        if len(values) >= 2:
            queues.append([(attribute, value) for value in values])
    if not queues:  # no tastes: a shopper per category
        queues = [[("category", c) for c in catalog.categories if isinstance(c, str) and c.strip()]]
    order: list[tuple[str, str]] = []
    for turn in range(max(len(q) for q in queues)):
        order += [q[turn] for q in queues if turn < len(q)]

    rng = random.Random(seed)
    personas: list[Journey] = []
    names: set[str] = set()
    for number in range(count):
        if number >= len(order):
            break
        attribute, value = order[number]
        liked = category.eq(value) if attribute == "category" else tastes[attribute].eq(value)
        liked = liked.fillna(False).astype(bool) & category.notna()
        mask = (liked & buyable if (liked & buyable).sum() >= VIEWS_PER_PERSONA else liked).to_numpy(dtype=bool)
        pool, of_pool = products.index[mask], category[mask]  # by position: fast over 100,000s of products
        home = of_pool.value_counts(sort=True).index[0]
        in_home = pool[of_pool.eq(home).to_numpy(dtype=bool, na_value=False)].tolist()
        picks = rng.sample(in_home, min(VIEWS_PER_PERSONA, len(in_home)))
        name = value if attribute == "category" else _TITLES[attribute](value)
        name = name if name not in names else f"{name} {number + 1}"
        names.add(name)
        steps = (Step(EventType.CATEGORY_VIEW, str(home)), *(Step(EventType.PRODUCT_VIEW, str(p)) for p in picks))
        what = "products of" if attribute == "category" else f"{value} pieces in"
        personas.append(Journey(name, f"Likes {value}: opens {home} and views {len(picks)} {what} it.",
                                str(home), steps))
    return personas
