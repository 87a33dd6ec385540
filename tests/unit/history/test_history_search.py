"""Searches in the history: saved with their query, page and totals (a table beside the snapshots), listed in
plain words, exported and imported, kept to the retention, opened and replayed without a call."""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta

import pandas as pd
import pytest

from fashionai.api.client import FashionAIClient, SearchAnswer
from fashionai.catalog import load_catalog
from fashionai.domain import EventType
from fashionai.history import HistoryImportError, HistoryStore, snapshot_from_exchange, snapshots_to_json
from fashionai.saved.view import open_snapshot, search_caption, snapshot_title
from fashionai.simulator import Simulator
from fashionai.simulator.transport import IN_PROCESS_BASE_URL, SimulatorTransport
from fashionai.storefront.preview import recommendation_from_snapshot
from tests import history_helpers


PRODUCTS = pd.DataFrame({
    "product_id": [f"{n:03d}" for n in range(1, 26)],
    "name": [f"Satin Dress — Navy {n}" for n in range(1, 26)],
    "category": ["Dresses"] * 25,
    "price": [199.9] * 25,
    "stock": pd.array([5] * 25, dtype="Int64"),
})


def searched(store, *calls):
    """Run the client's searches against the simulator, every answer saved in `store`; the snapshots, oldest first."""
    seen = []

    def record(exchange):
        seen.append(store.record(snapshot_from_exchange(exchange, "simulator")))

    with FashionAIClient("any", IN_PROCESS_BASE_URL, transport=SimulatorTransport(Simulator(PRODUCTS)),
                         on_exchange=record) as client:
        for call, args, kwargs in calls:
            getattr(client, call)(*args, **kwargs)
    return seen


def test_a_search_is_saved_with_its_query_page_and_totals(store):
    saved, = searched(store, ("search", ("s1", "vestido azul"), {"user_id": "u9", "page": 2, "limit": 10}))
    back, = store.get([saved.id])
    assert back == saved
    assert (back.event_type, back.item_id, back.session_id, back.user_id) == (EventType.SEARCH, "vestido azul",
                                                                              "s1", "u9")
    assert (back.search_page, back.total_items, back.total_pages) == (2, 25, 3)
    assert len(back.products) == 10
    summary, = store.summaries()
    assert (summary.total_items, summary.total_pages, summary.product_count) == (25, 3, 10)
    assert "Search “vestido azul”, page 2 of 3 (25 results) · s1 · user u9" in summary.label


def test_a_detailed_search_is_saved_with_its_query_and_size(store):
    saved, = searched(store, ("detailed_search", ("s1", "tênis"), {"size": "42"}))
    assert (saved.event_type, saved.item_id, saved.total_items) == (EventType.DETAILED_SEARCH, "tênis", None)
    assert "WhatsApp search “tênis”, size 42" in store.summaries()[0].label


def test_other_calls_keep_their_labels_and_no_totals(store):
    snapshot = history_helpers.snap()
    store.record(snapshot)
    assert store.get([snapshot.id])[0].total_items is None
    assert snapshot.search_words is None and snapshot.event_type in snapshot.label


def test_a_saved_search_opens_and_replays_without_a_call(store):
    saved, = searched(store, ("search", ("s1", "vestido"), {"page": 3, "limit": 10}))
    catalog = load_catalog(PRODUCTS.to_csv(index=False).encode())
    opened = open_snapshot(saved, catalog)
    answer = opened.recommendation
    assert isinstance(answer, SearchAnswer)
    assert (answer.query, answer.page, answer.limit, answer.total_items, answer.total_pages) == ("vestido", 3, 10,
                                                                                                  25, 3)
    assert answer.items == saved.products and len(opened.built) == 5
    assert answer.request.json == {"userId": None, "sessionId": "s1"}  # the search's body, not an event's
    assert "query=vestido" in answer.request.to_curl()
    assert search_caption(saved) == "Page 3 of 3 (5 products) of the 25 results Fashion.AI found for “vestido”."
    assert snapshot_title(saved) == r"Search “vestido”, page 3 of 3 \(25 results\)"  # Markdown
    assert opened.export.meta["total_items"] == 25 and opened.export.meta["page"] == 3


def test_an_empty_search_and_a_page_past_the_last_are_said_plainly(store):
    nothing, past = searched(store, ("search", ("s1", "xyzzy"), {}), ("search", ("s1", "vestido"), {"page": 9}))
    assert search_caption(nothing) == "Fashion.AI found no product for “xyzzy”: the answer was an empty page."
    assert search_caption(past).startswith("Page 9 was past the last (2) of the 25 results")


def test_a_detailed_search_replays_with_its_own_body(store):
    saved, = searched(store, ("detailed_search", ("s1", "vestido"), {"user_id": "u1"}))
    answer = recommendation_from_snapshot(saved)
    assert answer.request.json == {"userId": "u1", "sessionId": "s1"}
    assert answer.request.url.split("?")[0].endswith("/v1/products/protected/search/detailed")


def test_totals_travel_in_an_export_and_back(store, tmp_path):
    saved, = searched(store, ("search", ("s1", "vestido"), {"limit": 5}))
    exported = store.export_json(ids=[saved.id])
    assert json.loads(exported)["snapshots"][0]["total_items"] == 25
    other = HistoryStore(f"sqlite:///{tmp_path / 'other.db'}")
    assert other.import_json(exported).added == 1
    assert other.get([saved.id])[0] == saved


@pytest.mark.parametrize("change", [
    {"total_items": -1, "total_pages": 1},
    {"total_items": 3},
    {"total_items": "3", "total_pages": 1},
    {"event_type": "categoryView", "total_items": 3, "total_pages": 1},
])
def test_an_import_refuses_totals_that_cannot_be_a_searchs(store, change):
    saved, = searched(store, ("search", ("s1", "vestido"), {}))
    data = json.loads(snapshots_to_json([saved]))
    data["snapshots"][0].pop("total_pages")
    data["snapshots"][0].update(change)
    with pytest.raises(HistoryImportError, match="total_items"):
        store.import_json(json.dumps(data))


def test_retention_takes_a_searchs_totals_with_it(store):
    old, = searched(store, ("search", ("s1", "vestido"), {}))
    assert store.apply_retention(max_age_days=1, now=old.recorded_at + timedelta(days=2)) == 1
    with store.engine().connect() as conn:
        left = conn.exec_driver_sql("SELECT count(*) FROM fashionai_search_totals").scalar_one()
    assert left == 0


def test_a_read_only_history_made_before_searches_is_still_read(tmp_path):
    path = tmp_path / "old.db"
    store = HistoryStore(f"sqlite:///{path}")
    snapshot = history_helpers.snap()
    store.record(snapshot)
    store.engine().dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TABLE fashionai_search_totals")
    old = HistoryStore(f"sqlite:///{path}?mode=ro")
    assert old.get([snapshot.id])[0].total_items is None and len(old.summaries()) == 1
    assert old.read_only
