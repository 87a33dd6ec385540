"""One stock rule (fashionai/catalog/stock.py), and every surface that decides by stock agreeing with it.

Each stock value, as a catalog file writes it, is loaded and run through every surface: the card's badge, the
storefront's "hide out of stock" filter and its export, a comparison's products, the look button (and a look
replayed on the catalog), a collection's marks, the audit's out-of-stock measure, the personas' product choice
(built-in and synthetic), and the catalog's health buckets and their labels; with the setting "Treat unknown
stock as in stock" off and on.
"""

from __future__ import annotations

import pathlib
import re
from datetime import UTC, datetime, timedelta

import httpx
import numpy as np
import pandas as pd
import pytest

from fashionai.api.client import FashionAIClient
from fashionai.api.collections import CollectionSlice, SliceProduct
from fashionai.audit.scoring import CatalogFacts
from fashionai.audit.shoppers import synthetic_personas
from fashionai.catalog import load_catalog, stock
from fashionai.catalog.model import stock_kind_of
from fashionai.catalog.report import IN_STOCK_YES_NO, STOCK_BUCKETS, stock_breakdown
from fashionai.catalog.stock import (
    LOW_STOCK_MAX,
    MAX_STOCK,
    UNKNOWN_IN_STOCK_DEFAULT,
    StockState,
    in_stock,
    known_out,
    sellable,
    stock_counts,
    stock_state,
    stock_states,
)
from fashionai.compare.compared import _products as comparison_products  # a comparison's products, with in_stock
from fashionai.domain import EventType
from fashionai.journeys.personas import builtin_personas
from fashionai.output.handover import cards_from_frame
from fashionai.simulator.affinity import simulated_available
from fashionai.storefront.collection import view_collection
from fashionai.storefront.export import look_export, storefront_export
from fashionai.storefront.preview import preview_look, preview_storefront, rejoin_look
from fashionai.text.formatting import STOCK_STATUS_WORDS, stock_status

IN, LOW, OUT, UNKNOWN = StockState.IN, StockState.LOW, StockState.OUT, StockState.UNKNOWN

QUANTITIES = [  # (as the file writes it, the state the rule gives it)
    ("25", IN),
    (str(LOW_STOCK_MAX + 1), IN),
    (str(LOW_STOCK_MAX), LOW),
    (str(LOW_STOCK_MAX - 1), LOW),
    ("1", LOW),
    ("0", OUT),
    ("-2", OUT),  # the loader keeps negative stock: none
    (str(MAX_STOCK), IN),  # huge, yet a real quantity
    (str(-MAX_STOCK), OUT),
    (str(MAX_STOCK + 1), UNKNOWN),  # beyond MAX_STOCK: unknown
    ("99999999999999999999", UNKNOWN),
    ("", UNKNOWN),
    ("n/a", UNKNOWN),
]
YES_NO = [("yes", IN), ("no", OUT), ("", UNKNOWN)]  # read as 1 and 0: no low stock
CASES = [(written, state, "quantity") for written, state in QUANTITIES] + [
    (written, state, "yes/no") for written, state in YES_NO]
NOW = datetime(2026, 5, 10, 12, 0, tzinfo=UTC)


def catalog_with(written: str, kind: str):
    """The probe P (stock as `written`) in Tops, with in-stock fillers in Tops and Dresses (the target category);
    a yes/no catalog's fillers say yes."""
    filler = "yes" if kind == "yes/no" else "25"
    rows = [f"P,Probe,Tops,{written},10"]
    rows += [f"T{i},Top {i},Tops,{filler},10" for i in range(1, 4)]
    rows += [f"D{i},Dress {i},Dresses,{filler},10" for i in range(1, 4)]
    catalog = load_catalog(("id,name,category,stock,price\n" + "\n".join(rows) + "\n").encode())
    assert catalog.stock_kind == kind
    return catalog


def answering(ids: list[str]) -> FashionAIClient:
    return FashionAIClient("t", base_url="http://x/api/v1",
                           transport=httpx.MockTransport(lambda request: httpx.Response(200, json={"products": ids})))


def flag(value) -> bool | None:
    """An in_stock value as True, False or None (unknown)."""
    return None if pd.isna(value) else bool(value)


def sold(state: StockState, unknown_in_stock: bool) -> bool:
    """What the storefront sells: in or low stock, and unknown stock only with the setting."""
    return state in (IN, LOW) or (state == UNKNOWN and unknown_in_stock)


@pytest.mark.parametrize(("written", "state", "kind"), CASES)
def test_every_surface_agrees_on_each_stock_value(written, state, kind):
    catalog = catalog_with(written, kind)
    probe = catalog.products.loc["P", "stock"]
    assert stock_state(probe, kind) == state

    # The card's badge, and the catalog's health buckets with their labels.
    assert stock_status(probe, kind) == STOCK_STATUS_WORDS[state]
    health = catalog.health()
    assert health.stock == {s.value: 6 * (s == IN) + (s == state) for s in StockState}
    label = IN_STOCK_YES_NO if (kind, state) == ("yes/no", IN) else STOCK_BUCKETS[state.value]
    assert stock_breakdown(health, catalog.stock_kind)[label] == 6 * (state == IN) + 1

    with answering(["P", "T1"]) as client:
        storefront = preview_storefront(client, catalog, "s", "Tops")
    with answering(["P"]) as client:
        look = preview_look(client, catalog, "s", "T1")
    joined = storefront.products.set_index("product_id")
    exported = storefront_export(storefront).tables["products"].set_index("product_id")
    expected_in_stock = {IN: True, LOW: True, OUT: False, UNKNOWN: None}[state]
    assert flag(joined.loc["P", "in_stock"]) is expected_in_stock
    assert flag(exported.loc["P", "in_stock"]) is expected_in_stock  # the export's column
    assert flag(comparison_products(catalog, ("P",), []).loc["P", "in_stock"]) is expected_in_stock  # rank charts
    assert storefront.out_of_stock == (state == OUT)
    assert storefront.unknown_stock == look.unknown_stock == (state == UNKNOWN)
    for setting in (False, True):
        assert ("P" in storefront.shown(hide_out_of_stock=True, unknown_in_stock=setting)["product_id"].tolist()
                ) == sold(state, setting)
        assert look.button_visible(unknown_in_stock=setting) == sold(state, setting)
        assert rejoin_look(look, catalog).button_visible(unknown_in_stock=setting) == sold(state, setting)
        assert look_export(look, unknown_in_stock=setting).meta["button_visible"] == sold(state, setting)
    assert look.button_visible(unknown_in_stock=UNKNOWN_IN_STOCK_DEFAULT) == sold(state, UNKNOWN_IN_STOCK_DEFAULT)

    # Flagged as out of stock only when known to be: a collection's mark, the audit's measure.
    slice_ = CollectionSlice(collection_id="7", collection_name="c", description="", slice_id="70", slice_name="s",
                             starts_at=NOW - timedelta(days=1), ends_at=NOW + timedelta(days=1),
                             products=(SliceProduct("P", 1, True), SliceProduct("T1", 2, True)))
    marks = view_collection("7", slice_, catalog, NOW).products.set_index("product_id")
    assert bool(marks.loc["P", "out_of_stock"]) == (state == OUT)
    assert not marks.loc["T1", "out_of_stock"]
    assert CatalogFacts(catalog, {"P", "T1"}).out_of_stock == ({"P"} if state == OUT else set())

    # Shoppers browse what can be bought: everything not known to be out of stock.
    built_in = {step.id for journey in builtin_personas(catalog, "Dresses") for step in journey.steps}
    assert ("P" in built_in) == (state != OUT)
    synthetic = {step.id for seed in range(20) for journey in synthetic_personas(catalog, 2, seed=seed)
                 for step in journey.steps if step.event_type == EventType.PRODUCT_VIEW}
    assert ("P" in synthetic) == (state != OUT)

    # The cards: a storefront's and a look's (on the page and in a handover), through a filter and a page's slice.
    card_words = {"P": STOCK_STATUS_WORDS[state]}
    for frame in (storefront.products, storefront.shown(hide_out_of_stock=False, unknown_in_stock=True).head(5),
                  look.look):
        cards = {card.name: card.stock for card in cards_from_frame(frame)}
        assert cards.get("Probe", card_words["P"]) == card_words["P"], (kind, frame)
        assert stock_kind_of(frame) == kind  # what the page's cards (ui.product_card) are given

    # The simulator's own rule (the documented exception): available unless known to be out.
    assert simulated_available(catalog.products["stock"]).tolist()[0] == (state != OUT)


def test_the_rule_reads_any_figure_and_agrees_with_itself():
    figures = [25, LOW_STOCK_MAX + 1, LOW_STOCK_MAX, 1, 0, -2, 0.5, MAX_STOCK, MAX_STOCK + 1, -MAX_STOCK - 1,
               None, pd.NA, np.nan, "7", "many"]
    states = [IN, IN, LOW, LOW, OUT, OUT, LOW, IN, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, IN, UNKNOWN]
    assert [stock_state(f) for f in figures] == states
    assert list(stock_states(pd.Series(figures, dtype="object"))) == [s.value for s in states]
    assert [stock_state(f, "yes/no") for f in (1, 0, None)] == [IN, OUT, UNKNOWN]
    assert [flag(v) for v in in_stock(pd.Series(figures, dtype="object"))] == [
        {IN: True, LOW: True, OUT: False, UNKNOWN: None}[s] for s in states]
    assert list(known_out(pd.Series(figures, dtype="object"))) == [s == OUT for s in states]
    assert stock_counts(pd.Series(figures, dtype="object")) == {s.value: states.count(s) for s in StockState}
    assert list(sellable(pd.Series(in_stock(pd.Series(figures, dtype="object"))), unknown_in_stock=False)) == [
        sold(s, False) for s in states]


def test_the_rule_is_written_once():
    """No surface compares stock itself: `stock > 0`, `<= 0` and LOW_STOCK_MAX live in catalog/stock.py (and the
    simulator's documented exception, `simulated_available`)."""
    root = pathlib.Path(stock.__file__).parents[1]
    allowed = {root / "catalog" / "stock.py", root / "simulator" / "affinity.py", root / "domain.py"}
    pattern = re.compile(r"stock\S*\s*(<=|>=|<|>|==)\s*0\b"  # stock > 0, products["stock"] <= 0, stock[p] <= 0
                         r"|LOW_STOCK_MAX\s*[<>=]|[<>]=?\s*LOW_STOCK_MAX|, LOW_STOCK_MAX\)")
    offenders = [f"{path.relative_to(root)}:{number}" for path in root.rglob("*.py") if path not in allowed
                 for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                 if pattern.search(line)]
    assert offenders == []
