"""A collection answer's slice in the history: its id, name and inactive products kept beside the snapshot (a table
of their own), read back, exported and imported, removed with it; snapshots saved before read as they did."""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta

import httpx
import pytest

from fashionai.history import HistoryImportError, HistoryStore, snapshot_from_exchange, snapshots_to_json
from tests import history_helpers
from tests.api_helpers import COLLECTION, FakeAPI, make_client


def saved_collection(store, answer=None):
    """Ask the fake API for collection "winter" (COLLECTION unless `answer`), the answer saved in `store`."""
    seen = []
    client = make_client(FakeAPI(answer or httpx.Response(200, json=COLLECTION)),
                         on_exchange=lambda exchange: seen.append(store.record(snapshot_from_exchange(exchange, "live"))))
    client.collection("winter")
    return seen[0]


def test_a_slices_id_name_and_inactive_products_are_saved_and_read_back(store):
    saved = saved_collection(store)
    assert (saved.slice_id, saved.slice_name, saved.inactive) == ("10", "Wool Coats", ("00042",))
    back, = store.get([saved.id])
    assert back == saved
    assert store.query()[0] == saved


def test_a_slice_with_every_product_active_keeps_an_empty_list_not_unknown(store):
    body = COLLECTION | {"products": [{"productId": "1", "position": 1, "active": True}]}
    back, = store.get([saved_collection(store, httpx.Response(200, json=body)).id])
    assert back.inactive == () and back.slice_name == "Wool Coats"


def test_no_active_slice_and_other_calls_keep_no_slice(store):
    none = saved_collection(store, httpx.Response(404, json={"message": "none"}))
    other = store.record(history_helpers.snap())
    for snapshot in store.get([none.id, other.id]):
        assert (snapshot.slice_id, snapshot.slice_name, snapshot.inactive) == (None, None, None)


def test_a_collection_snapshot_saved_before_slices_were_kept_reads_as_unknown(store):
    old = store.record(history_helpers.snap(event_type="collection", item_id="winter", session_id=None,
                                            products=("1", "2")))
    back, = store.get([old.id])
    assert (back.slice_id, back.slice_name, back.inactive) == (None, None, None)


def test_the_slice_travels_in_an_export_and_back(store, tmp_path):
    saved = saved_collection(store)
    exported = store.export_json(ids=[saved.id])
    assert json.loads(exported)["snapshots"][0]["slice"] == {"id": "10", "name": "Wool Coats", "inactive": ["00042"]}
    other = HistoryStore(f"sqlite:///{tmp_path / 'other.db'}")
    assert other.import_json(exported).added == 1
    assert other.get([saved.id])[0] == saved


def test_an_export_made_before_slices_imports_as_unknown(store, tmp_path):
    saved = saved_collection(store)
    data = json.loads(snapshots_to_json([saved]))
    del data["snapshots"][0]["slice"]
    other = HistoryStore(f"sqlite:///{tmp_path / 'other.db'}")
    assert other.import_json(json.dumps(data)).added == 1
    back, = other.get([saved.id])
    assert (back.slice_id, back.inactive, back.products) == (None, None, saved.products)


@pytest.mark.parametrize("change", [
    {"slice": "10"},
    {"slice": {"id": "", "name": "x", "inactive": []}},
    {"slice": {"id": "10", "name": 3, "inactive": []}},
    {"slice": {"id": "10", "name": "x", "inactive": [7]}},
    {"slice": {"id": "10", "name": "x"}},
    {"event_type": "categoryView"},
    {"status_code": 404, "products": []},
])
def test_an_import_refuses_a_slice_that_cannot_be_a_collections(store, change):
    data = json.loads(snapshots_to_json([saved_collection(store)]))
    data["snapshots"][0].update(change)
    with pytest.raises(HistoryImportError, match='"slice"'):
        store.import_json(json.dumps(data))


def test_deleting_and_retention_take_the_slice_with_them(store):
    one, two = saved_collection(store), saved_collection(store)
    assert store.delete([one.id]) == 1
    assert store.apply_retention(max_age_days=1, now=two.recorded_at + timedelta(days=2)) == 1
    with store.engine().connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM fashionai_collection_slices").scalar_one() == 0


def test_a_read_only_history_made_before_slices_is_still_read(tmp_path):
    path = tmp_path / "old.db"
    store = HistoryStore(f"sqlite:///{path}")
    saved = saved_collection(store)
    store.engine().dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TABLE fashionai_collection_slices")
    old = HistoryStore(f"sqlite:///{path}?mode=ro")
    back, = old.get([saved.id])
    assert old.read_only and back.slice_id is None and back.products == saved.products
