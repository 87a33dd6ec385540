"""Comparisons rebuilt from saved answers (fashionai.compare.replay): snapshots as lanes, measured as on the compare page."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import timedelta

import pytest

from fashionai.catalog import load_catalog
from fashionai.compare.lanes import SOURCE_FASHIONAI, SOURCE_NATIVE
from fashionai.compare.replay import compare_snapshots
from tests.history_helpers import NOW, snap


@pytest.fixture(scope="module")
def catalog():
    csv = ("id,name,category,price,stock\n"
           "p1,Red dress,dresses,100,5\np2,Blue dress,dresses,120,0\np3,Green dress,dresses,90,2\n"
           "p4,Black dress,dresses,150,9\nq1,Jeans,pants,80,1\n")
    return load_catalog(csv.encode())


def test_one_session_yesterday_and_today_compare_with_the_compare_measures(catalog):
    yesterday = snap(recorded_at=NOW - timedelta(days=1), products=())
    today = snap(recorded_at=NOW, products=("p4", "p3", "p1", "p2"))
    comparison = compare_snapshots([yesterday, today], catalog, k=3, p=0.9)
    first, second = comparison.lanes
    assert first.label != second.label and "2026-04-16" in first.label and "sess-1" in first.label
    assert (first.source, first.ranking) == (SOURCE_NATIVE, ("p1", "p2", "p3", "p4"))  # empty: native order
    assert (second.source, second.ranking) == (SOURCE_FASHIONAI, ("p4", "p3", "p1", "p2"))
    assert comparison.category == "dresses" and comparison.k == 3
    [pair] = comparison.pairwise.to_dict("records")
    assert pair["overlap_at_k"] == pytest.approx(2 / 3)
    changes = comparison.changes(first.label, second.label)
    assert list(changes["product_id"][:3]) == ["p4", "p3", "p1"]
    assert not comparison.rank_long.empty


def test_a_failed_snapshot_cannot_be_compared(catalog):
    with pytest.raises(ValueError, match="failure"):
        compare_snapshots([snap(), snap(error="ServerError", products=())], catalog, k=3, p=0.9)
    with pytest.raises(ValueError, match="at least two"):
        compare_snapshots([snap()], catalog, k=3, p=0.9)


def test_compared_snapshots_count_the_ids_the_catalog_lacks(catalog):
    yesterday = snap(recorded_at=NOW - timedelta(days=1), products=("p1", "zz", "p2", "yy"))
    today = snap(products=("p4", "p3"))
    first, second = compare_snapshots([yesterday, today], catalog, k=3, p=0.9).lanes
    assert (first.unknown, second.unknown) == (2, 0)


def test_the_same_moment_twice_still_gets_two_lanes(catalog):
    same = snap()
    comparison = compare_snapshots([same, replace(same, id=uuid.uuid4().hex)], catalog, k=3, p=0.9)
    assert len(set(comparison.labels)) == 2
