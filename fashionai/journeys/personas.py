"""Demo shoppers made from whatever catalog is loaded: `builtin_personas`.

Shoppers by style (sporty, office, boho in the bundled sample), else by colour or
brand, else by category; each browses one taste, then looks at the target category.
"""

from __future__ import annotations

import pandas as pd

from fashionai.catalog import Catalog
from fashionai.catalog.stock import known_out
from fashionai.domain import EventType
from fashionai.journeys.journey import Journey, Step
from fashionai.text.formatting import plural

PREFERRED_STYLES = ("sporty", "office", "boho")
"""Styles that make the clearest demo personas, when the catalog has them."""
MAX_PERSONAS = 3
MIN_PERSONA_PRODUCTS = 3
"""An attribute value needs this many products for a persona to browse it."""


def builtin_personas(catalog: Catalog, target_category: str | None = None) -> list[Journey]:
    """Demo shoppers made from the catalog: each browses one taste, then the target category.

    Personas follow the first of style, colour and brand that has at least two
    values with MIN_PERSONA_PRODUCTS products (the bundled sample has styles:
    sporty, office, boho); with none of them, a persona per category. Each opens
    the category where its taste is most common, views two products of that taste,
    asks for the look of a third, and views one in the target category when there
    is one. Products out of stock are not chosen when others exist. The target is
    `target_category` or the catalog's first category. Deterministic for a catalog;
    an empty list when nothing fits (e.g. a catalog without categories).
    """
    products = catalog.products
    categories = [c for c in catalog.categories if isinstance(c, str) and c.strip()]
    if not categories or products.empty:
        return []
    target = target_category if target_category in categories else categories[0]
    # Shoppers browse what can be bought: in stock (or unknown stock) first.
    available = products[~known_out(products["stock"])] if "stock" in products.columns else products
    pool = available if len(available) >= MIN_PERSONA_PRODUCTS else products
    pool = pool[pool["category"].isin(categories)]

    for attribute, title in (("style", _style_name), ("color", _color_name), ("brand", _brand_name)):
        values = _persona_values(pool, attribute)
        if len(values) >= 2:
            return [
                _taste_persona(pool, attribute, value, title(value), target)
                for value in values[:MAX_PERSONAS]
            ]
    return _category_personas(pool, categories, target)


def _style_name(value: str) -> str:
    return f"{value.strip().title()} shopper"


def _color_name(value: str) -> str:
    return f"{value.strip().title()} lover"


def _brand_name(value: str) -> str:
    return f"{value.strip()} fan"


def _persona_values(pool: pd.DataFrame, attribute: str) -> list[str]:
    """Values of `attribute` with enough products: preferred styles first, then most common."""
    if attribute not in pool.columns:
        return []
    column = pool[attribute].dropna().astype("str").str.strip()
    counts = column[column != ""].value_counts(sort=False)
    counts = counts[counts >= MIN_PERSONA_PRODUCTS]
    if counts.empty:
        return []
    order = counts.sort_values(ascending=False, kind="stable").index.tolist()
    if attribute == "style":
        folded = {value.casefold(): value for value in order}
        preferred = [folded[s] for s in PREFERRED_STYLES if s in folded]
        order = preferred + [value for value in order if value not in preferred]
    return order


def _taste_persona(pool: pd.DataFrame, attribute: str, value: str, name: str, target: str) -> Journey:
    values = pool[attribute].astype("str").str.strip()
    liked = pool[values == value]
    share = (values == value).groupby(pool["category"], sort=False).mean()
    home = share.drop(target, errors="ignore").sort_values(ascending=False, kind="stable")
    home_category = home.index[0] if not home.empty and home.iloc[0] > 0 else target

    picks: list[str] = []
    for category in [home_category, *home.index[1:]]:  # two in its favourite category, then others
        ids = liked.index[liked["category"] == category].tolist()
        picks += [pid for pid in ids[: 2 if category == home_category else 1] if pid not in picks]
        if len(picks) >= 3:
            break
    picks += [pid for pid in liked.index if pid not in picks][: max(0, 3 - len(picks))]
    in_target = [pid for pid in liked.index[liked["category"] == target] if pid not in picks]

    steps = [Step(EventType.CATEGORY_VIEW, str(home_category))]
    steps += [Step(EventType.PRODUCT_VIEW, str(pid)) for pid in picks[:2]]
    steps += [Step(EventType.SHOP_THE_LOOK, str(pid)) for pid in picks[2:3]]
    if in_target:
        steps.append(Step(EventType.PRODUCT_VIEW, str(in_target[0])))
    viewed = len(picks[:2])
    description = (
        f"Likes {value} pieces: opens {home_category}"
        + (f", views {('one', 'two')[viewed - 1]} {value} {plural(viewed, 'product', with_count=False)}"
           if viewed else "")
        + (", asks for the look of a third" if picks[2:3] else "")
        + (f", then views one in {target}." if in_target else ".")
    )
    return Journey(name, description, target, tuple(steps))


def _category_personas(pool: pd.DataFrame, categories: list[str], target: str) -> list[Journey]:
    """Without taste attributes: a shopper per other category, browsing its products."""
    personas = []
    for category in [c for c in categories if c != target][:MAX_PERSONAS]:
        ids = pool.index[pool["category"] == category].tolist()
        if not ids:
            continue
        steps = [Step(EventType.CATEGORY_VIEW, category), *(Step(EventType.PRODUCT_VIEW, str(pid)) for pid in ids[:2])]
        if len(ids) > 2:
            steps.append(Step(EventType.SHOP_THE_LOOK, str(ids[2])))
        personas.append(Journey(
            f"{category} browser",
            f"Opens {category} and views {'its product' if len(ids) == 1 else 'two of its products'}"
            + (" and asks for the look of a third" if len(ids) > 2 else "")
            + " (the catalog has no style, colour or brand column to build tastes from).",
            target,
            tuple(steps),
        ))
    return personas
