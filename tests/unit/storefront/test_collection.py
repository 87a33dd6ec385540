"""A collection's slice joined with the catalog: position order, the marks, the counts, the window."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pandas as pd
import pytest

from fashionai.api.collections import CollectionSlice, SliceProduct, parse_collection
from fashionai.catalog import load_catalog
from fashionai.storefront.collection import (
    FLAGS,
    NO_ACTIVE_SLICE,
    CollectionView,
    NoActiveSlice,
    SliceCounts,
    product_notes,
    view_collection,
)

CSV = (b"product_id,name,category,stock,price\n"
       b"0001,Blazer Linho Off-White,Blazers,5,399.90\n"
       b"0002,Saia Midi,Saias,0,129.00\n"
       b"0003,Vestido Azul,Vestidos,,229.00\n"
       b"0004,Camisa Branca,Camisas,2,89.90\n")
NOW = datetime(2026, 5, 10, 12, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(CSV)


def make_slice(products, *, starts=NOW - timedelta(days=3), ends=NOW + timedelta(days=4, hours=2)):
    return CollectionSlice(collection_id="7", collection_name="Inverno", description="Casacos e malhas",
                           slice_id="70", slice_name="Lãs", starts_at=starts, ends_at=ends,
                           products=tuple(SliceProduct(*product) for product in products))


def test_products_keep_position_order_and_carry_the_catalogs_columns(catalog):
    body = {"collectionId": 7, "collectionName": "Inverno", "sliceId": 70, "sliceName": "Lãs",
            "startsAt": "2026-05-07T12:00:00Z", "endsAt": "2026-05-14T14:00:00Z",
            "products": [{"productId": "0004", "position": 3, "active": True},
                         {"productId": "0001", "position": 1, "active": True},
                         {"productId": "0003", "position": 2, "active": True}]}
    view = view_collection("7", parse_collection(body), catalog, NOW)
    assert isinstance(view, CollectionView)
    assert list(view.products["product_id"]) == ["0001", "0003", "0004"]
    assert list(view.products["position"]) == [1, 2, 3]
    assert list(view.products["rank"]) == [1, 2, 3]  # the cards' "#n" is the position
    assert list(view.products["name"]) == ["Blazer Linho Off-White", "Vestido Azul", "Camisa Branca"]
    assert not view.products[list(FLAGS)].any().any()
    assert view.counts == SliceCounts(listed=3, inactive=0, out_of_stock=0, unknown=0, repeated=0)
    assert (view.collection_name, view.slice_name, view.slice_id) == ("Inverno", "Lãs", "70")


def test_each_mark_is_set_on_its_products_and_counted(catalog):
    slice_ = make_slice([("0001", 1, True), ("0002", 2, True), ("9999", 3, True), ("0004", 4, False),
                         ("0001", 5, True), ("0003", 6, True)])
    view = view_collection("7", slice_, catalog, NOW)
    frame = view.products.set_index("position")
    assert list(frame.index[frame["inactive"]]) == [4]
    assert list(frame.index[frame["out_of_stock"]]) == [2]
    assert list(frame.index[frame["unknown"]]) == [3]
    assert list(frame.index[frame["repeated"]]) == [1, 5]  # every listing of a repeated id
    assert list(frame["times_listed"]) == [2, 1, 1, 1, 2, 1]
    assert not frame.loc[6, "out_of_stock"]  # unknown stock is not out of stock
    assert not frame.loc[3, "out_of_stock"]  # an unknown product has no stock to be out of
    assert view.counts == SliceCounts(listed=6, inactive=1, out_of_stock=1, unknown=1, repeated=1)


def test_an_id_listed_three_times_counts_once_as_repeated(catalog):
    view = view_collection("7", make_slice([("0001", 1, True), ("0001", 2, True), ("0001", 3, True)]), catalog, NOW)
    assert view.counts.repeated == 1
    assert view.counts.listed == 3
    assert list(view.products["times_listed"]) == [3, 3, 3]


def test_notes_say_each_mark_in_plain_words(catalog):
    slice_ = make_slice([("0002", 1, False), ("0002", 2, True), ("9999", 3, True), ("0004", 4, True)])
    rows = [row for _, row in view_collection("7", slice_, catalog, NOW).products.iterrows()]
    assert product_notes(rows[0]) == ["inactive: fails the slice's filters", "out of stock", "listed 2 times"]
    assert product_notes(rows[2]) == ["not in your catalog"]
    assert product_notes(rows[3]) == []


def test_the_window_says_status_and_days_left(catalog):
    view = view_collection("7", make_slice([("0001", 1, True)]), catalog, NOW)
    assert view.window.status == "active"
    assert view.window.days_left == 5  # 4 days and 2 hours: a started day counts as one
    assert not view.clock_disagrees
    assert view.starts_at == NOW - timedelta(days=3)
    later = view_collection("7", make_slice([("0001", 1, True)]), catalog, NOW + timedelta(days=10))
    assert later.window == ("expired", 0)
    assert later.clock_disagrees


def test_now_must_be_aware(catalog):
    with pytest.raises(ValueError, match="time zone"):
        view_collection("7", make_slice([("0001", 1, True)]), catalog, NOW.replace(tzinfo=None))


def test_no_active_slice_is_a_plain_state_not_an_error(catalog):
    view = view_collection("3", None, catalog, NOW)
    assert view == NoActiveSlice("3")
    assert view.message == NO_ACTIVE_SLICE == "No slice is active now"


def test_an_empty_slice_has_no_products_and_zero_counts(catalog):
    view = view_collection("7", make_slice([]), catalog, NOW)
    assert view.products.empty
    assert set(FLAGS) <= set(view.products.columns)
    assert view.counts == SliceCounts(0, 0, 0, 0, 0)


def test_product_ids_stay_strings(catalog):
    view = view_collection("7", make_slice([("0001", 1, True), ("0042", 2, False)]), catalog, NOW)
    assert list(view.products["product_id"]) == ["0001", "0042"]
    assert pd.api.types.is_string_dtype(view.products["product_id"])
