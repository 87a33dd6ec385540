"""A tiny catalog and a run's literal answers, shared by the scorecard's and the measure registry's tests."""

from __future__ import annotations

from pathlib import Path

from fashionai.audit.model import Answer, Purpose
from fashionai.catalog import Catalog, load_catalog
from fashionai.domain import EventType

CV, SHELF, PV, REF = EventType.CATEGORY_VIEW, EventType.CUSTOM_SHELF, EventType.PRODUCT_VIEW, EventType.SALES_RANKING

CSV = """id,name,category,stock,price,color,style
007,Red boot,Shoes,0,10,red,sporty
7,Plain boot,Shoes,,20,,classic
8,Blue heel,Shoes,5,30,blue,classic
9,Red flat,Shoes,2,40,red,sporty
20,Tote,Bags,3,50,black,classic
21,Clutch,Bags,1,60,black,
"""


def tiny_catalog(folder: Path) -> Catalog:
    """CSV as a catalog (written to `folder`): the catalog the scorecard's answers are measured against."""
    path = folder / "tiny.csv"
    path.write_text(CSV, encoding="utf-8")
    return load_catalog(path)


def answer(key: str, event: str, item: str, category: str, products, *, purpose=Purpose.MEASURE, ok=True,
           twin_of=None, elapsed=0.1, shopper=0) -> Answer:
    return Answer(shopper=shopper, shopper_key=key, shopper_label=key.title(), session_id=None, user_id=None,
                  twin_of=twin_of, step=0, event_type=str(event), item_id=item, category=category,
                  purpose=str(purpose), products=tuple(products), elapsed=elapsed, ok=ok,
                  error=None if ok else "timeout")


def run_answers():
    return [
        answer("ref", REF, "Shoes", "Shoes", ["9", "8", "7", "007"], purpose=Purpose.REFERENCE, shopper=-1),
        answer("a", CV, "Shoes", "Shoes", ["9", "007"], purpose=Purpose.WARMUP),  # not measured
        answer("a", CV, "Shoes", "Shoes", ["007", "8", "9"], elapsed=0.1),
        answer("b", CV, "Shoes", "Shoes", ["8", "007", "x"], elapsed=0.2),
        answer("c", CV, "Shoes", "Shoes", [], elapsed=0.3),  # empty answer
        answer("d", CV, "Shoes", "Shoes", [], ok=False, elapsed=5.0),  # failed call
        answer("a#twin", CV, "Shoes", "Shoes", ["007", "9"], twin_of="a"),
        answer("a", CV, "Bags", "Bags", ["20", "21"]),
        answer("b", CV, "Bags", "Bags", ["20", "21"]),
        answer("a", SHELF, "", "", ["20", "9"]),
        answer("a", PV, "8", "Shoes", ["9", "007"]),
        answer("b", PV, "8", "Shoes", ["9", "7"]),
        answer("a", PV, "9", "Shoes", ["8", "007"]),
    ]
