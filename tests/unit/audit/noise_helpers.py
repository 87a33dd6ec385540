"""Two synthetic runs of one plan over one catalog, seeded: shoppers' category lists drawn at random, then the
same lists again (a tiny change, or a real one: every shopper shown the same bestsellers)."""

from __future__ import annotations

import random

from fashionai.audit.model import Answer, Purpose
from fashionai.catalog import Catalog, load_catalog
from fashionai.domain import EventType

PRODUCTS = 40
SHOPPERS = 30


def dresses_catalog(tmp_path) -> Catalog:
    """40 dresses, every tenth out of stock (no style, colour or brand: those measures are not measured)."""
    lines = ["id,name,category,stock,price"]
    lines += [f"p{n},Dress {n},Dresses,{0 if n % 10 == 0 else 5},{20 + n}" for n in range(PRODUCTS)]
    path = tmp_path / "dresses.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return load_catalog(path)


def measured(key: str, products, *, ok: bool = True) -> Answer:
    return Answer(shopper=0, shopper_key=key, shopper_label=key.title(), session_id=None, user_id=None,
                  twin_of=None, step=0, event_type=str(EventType.CATEGORY_VIEW), item_id="Dresses",
                  category="Dresses", purpose=str(Purpose.MEASURE), products=tuple(products), elapsed=0.1, ok=ok,
                  error=None if ok else "timeout")


def random_run(seed: int = 1) -> list[Answer]:
    """Each shopper a random 10 of the 40 dresses."""
    draw = random.Random(seed)
    ids = [f"p{n}" for n in range(PRODUCTS)]
    return [measured(f"s{n}", draw.sample(ids, 10)) for n in range(SHOPPERS)]


def tiny_change(run: list[Answer]) -> list[Answer]:
    """The same run, one shopper's list with two places swapped for two other dresses."""
    first = run[0]
    swapped = [pid for pid in (f"p{n}" for n in range(PRODUCTS)) if pid not in first.products][:2]
    return [measured(first.shopper_key, (*first.products[:8], *swapped)), *run[1:]]


def real_change(run: list[Answer]) -> list[Answer]:
    """Every shopper shown nearly the same ten dresses: personalization collapses."""
    return [measured(a.shopper_key, [f"p{n}" for n in range(9)] + [a.products[0]]) for a in run]
