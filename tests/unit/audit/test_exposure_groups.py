"""Why fair exposure reads 0: each group's share of exposure against its share of the catalog, and the groups
never shown, on a hand-made run (k = 2; a place at rank 1 weighs 1, at rank 2 1/log2(3))."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from fashionai.audit.exposure_groups import exposure_groups
from fashionai.audit.scorecard import score_run
from fashionai.catalog import load_catalog
from fashionai.domain import EventType
from tests.unit.audit.noise_helpers import measured

CSV = ("id,name,category,brand,stock\n"
       "d1,Dress 1,Dresses,Acme,5\nd2,Dress 2,Dresses,Acme,5\nd3,Dress 3,Dresses,Bolt,5\nd4,Dress 4,Dresses,Cora,5\n"
       "t1,Top 1,Tops,Acme,5\nt2,Top 2,Tops,Bolt,5\n")


@pytest.fixture
def catalog(tmp_path):
    path = tmp_path / "brands.csv"
    path.write_text(CSV, encoding="utf-8")
    return load_catalog(path)


def page(key, category, products):
    return dataclasses.replace(measured(key, products), item_id=category, category=category,
                               event_type=str(EventType.CATEGORY_VIEW))


def run():
    return [page("s1", "Dresses", ["d1", "d3"]), page("s2", "Dresses", ["d3", "d1"]),
            page("s1", "Tops", ["t1", "t2"]), page("s2", "Tops", ["t2", "t1"]),
            dataclasses.replace(page("s1#twin", "Dresses", ["d4", "d2"]), twin_of="s1")]  # a twin: left out


def test_each_groups_share_of_exposure_and_of_the_catalog(catalog):
    found = exposure_groups(run(), catalog, k=2)
    expected = pd.DataFrame({"attribute": ["brand"] * 3, "group": ["Acme", "Bolt", "Cora"],
                             "exposure_share": [0.5, 0.5, 0.0], "catalog_share": [3 / 6, 2 / 6, 1 / 6]})
    pd.testing.assert_frame_equal(found.table, expected)
    assert found.never == {"Dresses": [("brand", "Cora", 1)]}
    assert found.words() == (
        "Fair exposure across groups is 0 in 1 of 2 categories because a group with products there got no place "
        "in any shopper's top K (the measure is the least shown group against the most shown): Dresses: brand "
        "Cora (1 product) never shown. More shoppers, or a larger K, give small groups a chance to be shown.")


def test_the_never_shown_groups_are_where_the_measure_is_zero(catalog):
    rows = score_run(run(), catalog, k=2).category_rows().set_index("category")
    assert rows.loc["Dresses", "exposure_parity"] == 0.0 and rows.loc["Tops", "exposure_parity"] == pytest.approx(1.0)


def test_every_group_shown_and_nothing_measured_are_said_too(catalog):
    shown = exposure_groups([page("s1", "Tops", ["t1", "t2"])], catalog, k=2)
    assert shown.never == {} and shown.words().startswith("Every group of every category got some place")
    empty = exposure_groups([], catalog, k=2)
    assert empty.table.empty and empty.words() == ""
