"""Persona descriptions say what the persona's steps do, counted right (issue 10, item 17)."""

from __future__ import annotations

from fashionai.catalog import load_catalog
from fashionai.domain import EventType
from fashionai.journeys.personas import builtin_personas

CSV = ("id,name,category,stock\n"
       "t1,Tee,Tops,5\n"
       "b1,Bag,Bags,5\n"
       "s1,Skirt,Skirts,5\ns2,Skirt 2,Skirts,5\n"
       "d1,Dress,Dresses,5\nd2,Dress 2,Dresses,5\nd3,Dress 3,Dresses,5\n")


def test_a_category_persona_says_how_many_products_it_views_and_whether_it_asks_for_a_look():
    personas = {p.name: p for p in builtin_personas(load_catalog(CSV.encode()), "Tops")}
    bags, skirts, dresses = personas["Bags browser"], personas["Skirts browser"], personas["Dresses browser"]
    assert [s.event_type for s in bags.steps].count(EventType.PRODUCT_VIEW) == 1
    assert "views its product (" in bags.description and "products" not in bags.description.split("(")[0]
    assert [s.event_type for s in skirts.steps].count(EventType.SHOP_THE_LOOK) == 0
    assert "views two of its products (" in skirts.description and "look" not in skirts.description
    assert [s.event_type for s in dresses.steps].count(EventType.SHOP_THE_LOOK) == 1
    assert "views two of its products and asks for the look of a third" in dresses.description
