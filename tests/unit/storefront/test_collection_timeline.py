"""A collection over time from hand-made snapshots: slices told apart (by id and name, or by products for answers
saved before those were kept), the gaps, a day over the limit (inactive or out of stock), an empty history said in
words, failures left out."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pandas as pd
import pytest

from fashionai.catalog import load_catalog
from fashionai.storefront.collection_timeline import (
    LIVE,
    NOT_LIVE,
    NOT_LIVE_ROW,
    OVER,
    Gap,
    collection_timeline,
)
from tests.history_helpers import snap

CSV = (b"product_id,name,category,stock,price\n"
       b"0001,Blazer,Blazers,5,399.90\n"
       b"0002,Saia,Saias,0,129.00\n"
       b"0003,Vestido,Vestidos,,229.00\n"
       b"0004,Camisa,Camisas,2,89.90\n")
DAY1 = datetime(2026, 5, 1, 9, 0, tzinfo=timezone.utc)
ENDPOINT = "http://simulator.local/api/v1/merchandising-collections/protected/7"


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(CSV)


def seen(when, products=(), *, status=200, item="7", error=None, **slice_):
    """A collection answer for collection `item` at `when` (status 404: no slice live); `slice_` its slice_id,
    slice_name and inactive when kept (none: saved before they were)."""
    return snap(event_type="collection", item_id=item, endpoint=ENDPOINT, session_id=None, recorded_at=when,
                products=tuple(products), status_code=status, error=error, **slice_)


def test_slices_are_named_by_id_and_inactive_products_count_against_the_limit(catalog):
    # 0001 in stock and 0004 in stock, 0004 inactive: 0% out of stock, 50% inactive -> 50% flagged.
    # The slice edited in the builder (another product list, same id) stays one slice.
    wool = {"slice_id": "10", "slice_name": "Wool Coats"}
    snapshots = [
        seen(DAY1, ["0001", "0004"], inactive=("0004",), **wool),
        seen(DAY1 + timedelta(days=1), ["0001", "0004", "0003"], inactive=(), **wool),
        seen(DAY1 + timedelta(days=2), ["0002", "0004"], inactive=("0004",), slice_id="11", slice_name=""),
    ]
    timeline = collection_timeline("7", snapshots, catalog, limit=0.3)
    days = timeline.days
    assert list(days["slice"]) == ["Wool Coats (slice 10)", "Wool Coats (slice 10)", "Slice 11"]
    assert list(days["state"]) == [OVER, LIVE, OVER]
    assert days[["out_of_stock_share", "inactive_share", "flagged_share"]].values.tolist() == [
        [0.0, 0.5, 0.5], [0.0, 0.0, 0.0], [0.5, 0.5, 1.0]]  # 0002 out of stock and 0004 inactive: both count
    assert timeline.slices[["slice", "slice_id", "products", "days_live", "days_over"]].to_dict("records") == [
        {"slice": "Wool Coats (slice 10)", "slice_id": "10", "products": 3, "days_live": 2, "days_over": 1},
        {"slice": "Slice 11", "slice_id": "11", "products": 2, "days_live": 1, "days_over": 1}]
    assert timeline.unknown_inactive == 0 and timeline.old_answers_note == ""
    assert timeline.sentence.endswith("2 slices over the limit of 30% inactive or out of stock on 2 days.")


def test_a_day_shows_its_worst_answer_and_is_over_when_one_answer_is(catalog):
    wool = {"slice_id": "10", "slice_name": "Wool Coats"}
    snapshots = [seen(DAY1, ["0001", "0004"], inactive=(), **wool),
                 seen(DAY1 + timedelta(hours=2), ["0001", "0004"], inactive=("0001", "0004"), **wool),
                 seen(DAY1 + timedelta(hours=4), ["0001", "0004"], inactive=(), **wool)]
    timeline = collection_timeline("7", snapshots, catalog, limit=0.5)
    assert timeline.days[["answers", "state", "flagged_share"]].values.tolist() == [[3, OVER, 1.0]]
    assert timeline.slices["flagged_share"].tolist() == [0.0]  # the slice's own: its last answer's


def test_an_answer_saved_before_slices_were_kept_joins_the_named_slice_with_its_products(catalog):
    snapshots = [seen(DAY1, ["0001", "0004"]),  # old: no slice id, inactive unknown
                 seen(DAY1 + timedelta(days=1), ["0001", "0004"], slice_id="10", slice_name="Wool Coats",
                      inactive=("0004",)),
                 seen(DAY1 + timedelta(days=2), ["0003"])]  # old, products of no named answer
    timeline = collection_timeline("7", snapshots, catalog, limit=0.3)
    assert list(timeline.days["slice"]) == ["Wool Coats (slice 10)", "Wool Coats (slice 10)", "Slice 1 (1 product)"]
    assert list(timeline.days["state"]) == [LIVE, OVER, LIVE]  # the old day's inactive products are not known
    assert timeline.days["inactive_share"].isna().tolist() == [True, False, True]
    assert timeline.unknown_inactive == 2
    assert timeline.old_answers_note == ("2 answers saved before the studio kept each slice's name and inactive "
                                         "products: told apart by their products, their inactive products not "
                                         "counted.")


def test_two_slices_a_gap_and_a_day_over_the_limit(catalog):
    # Slice 1: 0001, 0003 (unknown stock: not out), 0004: 0% out. Slice 2: 0001, 0002 (stock 0): 50% out.
    snapshots = [
        seen(DAY1, ["0001", "0003", "0004"]),
        seen(DAY1 + timedelta(hours=5), ["0001", "0003", "0004"]),
        seen(DAY1 + timedelta(days=1), status=404),
        seen(DAY1 + timedelta(days=2), status=404),
        seen(DAY1 + timedelta(days=3), ["0001", "0002"]),
        seen(DAY1 + timedelta(days=3, hours=1), ["0002", "0001"], item="8"),  # another collection: left out
        snap(recorded_at=DAY1),  # not a collection answer: left out
    ]
    timeline = collection_timeline("7", reversed(snapshots), catalog, limit=0.25)
    expected = pd.DataFrame({
        "day": pd.to_datetime(["2026-05-01", "2026-05-02", "2026-05-03", "2026-05-04"]).astype("datetime64[us]"),
        "slice": ["Slice 1 (3 products)", NOT_LIVE_ROW, NOT_LIVE_ROW, "Slice 2 (2 products)"],
        "state": [LIVE, NOT_LIVE, NOT_LIVE, OVER],
        "answers": [2, 1, 1, 1],
        "out_of_stock_share": [0.0, float("nan"), float("nan"), 0.5],
        "inactive_share": [float("nan")] * 4,  # saved before slices were kept: unknown
        "flagged_share": [0.0, float("nan"), float("nan"), 0.5],
    }).astype({"slice": "str", "state": "str"})
    pd.testing.assert_frame_equal(timeline.days, expected)
    assert timeline.gaps == (Gap(DAY1 + timedelta(days=1), DAY1 + timedelta(days=2), 2),)
    assert timeline.slices[["slice", "products", "days_live", "days_over"]].to_dict("records") == [
        {"slice": "Slice 1 (3 products)", "products": 3, "days_live": 1, "days_over": 0},
        {"slice": "Slice 2 (2 products)", "products": 2, "days_live": 1, "days_over": 1}]
    assert timeline.slices["first_seen"].iloc[0] == DAY1
    assert timeline.slices["last_seen"].iloc[0] == DAY1 + timedelta(hours=5)
    assert timeline.sentence == ("Collection 7: 2 slices seen live over 4 days with answers saved, 1 gap with no "
                                 "slice live; 1 slice over the limit of 25% inactive or out of stock on 1 day.")
    assert timeline.unknown_inactive == 3
    assert timeline.old_answers_note.startswith("3 answers saved before the studio kept each slice's name")


def test_the_limit_is_strict_and_a_reordered_slice_is_another(catalog):
    snapshots = [seen(DAY1, ["0001", "0002"]), seen(DAY1 + timedelta(days=1), ["0002", "0001"])]
    at_half = collection_timeline("7", snapshots, catalog, limit=0.5)
    assert list(at_half.days["state"]) == [LIVE, LIVE]  # 50% out is not over a 50% limit
    assert list(at_half.days["slice"]) == ["Slice 1 (2 products)", "Slice 2 (2 products)"]
    assert list(collection_timeline("7", snapshots, catalog, limit=0.49).days["state"]) == [OVER, OVER]


def test_a_live_slice_and_a_404_on_one_day_both_show_and_gaps_split_by_live_answers(catalog):
    snapshots = [seen(DAY1, status=404), seen(DAY1 + timedelta(hours=1), ["0001"]),
                 seen(DAY1 + timedelta(hours=2), status=404), seen(DAY1 + timedelta(hours=3), status=404)]
    timeline = collection_timeline("7", snapshots, catalog)
    assert sorted(timeline.days["slice"]) == [NOT_LIVE_ROW, "Slice 1 (1 product)"]
    assert timeline.days.set_index("slice")["answers"].to_dict() == {NOT_LIVE_ROW: 3, "Slice 1 (1 product)": 1}
    assert [gap.answers for gap in timeline.gaps] == [1, 2]


def test_failed_calls_are_left_out_and_counted(catalog):
    snapshots = [seen(DAY1, ["0001"]), seen(DAY1 + timedelta(days=1), status=503, error="ServerError")]
    timeline = collection_timeline("7", snapshots, catalog)
    assert len(timeline.days) == 1 and timeline.failed == 1
    assert timeline.sentence.endswith("(1 failed call left out).")


def test_an_empty_history_is_said_in_words(catalog):
    timeline = collection_timeline("7", [seen(DAY1, ["0001"], item="8")], catalog)
    assert timeline.empty and timeline.slices.empty and timeline.gaps == ()
    assert timeline.sentence.startswith("The history holds no answer for collection 7. Fetch its active slice")
    failed = collection_timeline("7", [seen(DAY1, status=500, error="ServerError")], catalog)
    assert "(1 call to it failed and say nothing about its slices)" in failed.sentence


@pytest.mark.parametrize("limit", [-0.1, 1.5, float("nan")])
def test_a_limit_outside_0_to_1_is_refused(catalog, limit):
    with pytest.raises(ValueError, match="from 0% to 100%"):
        collection_timeline("7", [], catalog, limit=limit)
