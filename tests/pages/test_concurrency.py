"""Many browser sessions at once: one shared client, one shared history, nothing lost.

The app holds one FashionAIClient per backend and one HistoryStore for every browser
session (st.cache_resource). Here CONCURRENT_SESSIONS threads take them the way a page
does (ui.get_client, ui.history_store) and, all released at once, preview storefronts,
ask for a look and compare lanes against the loopback simulator, in live mode, so the
calls go through the client's real connection pool. Every call must succeed and leave
exactly one snapshot.

AppTest is not used for the sessions themselves: it keeps process-wide state per run
(its own Runtime), so several AppTests cannot run in threads at once.
"""

from __future__ import annotations

import threading
from collections import Counter

import httpx
import pytest
import streamlit as st

from fashionai import ui
from fashionai.api._pool import CONCURRENT_SESSIONS, POOL_LIMITS
from fashionai.api.client import FashionAIClient
from fashionai.compare.fetch import compare_lanes
from fashionai.compare.lanes import best_sellers_lane, native_lane, session_lane
from fashionai.domain import EventType
from fashionai.history import Filters
from fashionai.simulator import Simulator
from fashionai.simulator.server import SimulatorHTTPServer, start_server
from fashionai.storefront.preview import preview_look, preview_storefront

TOKEN = "tok-CONCURRENT-4c5d6e7f8a9b"
CALLS_PER_SESSION = 2 + 1 + 3
"""Two storefront previews, one look, and a comparison's three calls (best sellers and two
shopper sessions; the native order makes none)."""
BARRIER_TIMEOUT = 60


def pool(client: FashionAIClient):
    return client._http._transport._pool  # httpcore.ConnectionPool


def test_the_connection_pool_is_sized_for_the_concurrent_sessions():
    assert POOL_LIMITS.max_connections >= CONCURRENT_SESSIONS + 8  # each session, plus a comparison's lanes
    assert 0 < POOL_LIMITS.max_keepalive_connections <= POOL_LIMITS.max_connections
    with FashionAIClient(TOKEN) as client:
        assert isinstance(client._http._transport, httpx.HTTPTransport)
        assert pool(client)._max_connections == POOL_LIMITS.max_connections
        assert pool(client)._max_keepalive_connections == POOL_LIMITS.max_keepalive_connections
        assert client._http.timeout.pool == client.timeout  # a call waits for a connection, then gives up
    # The loopback simulator queues as many connections as the client may open at once.
    assert SimulatorHTTPServer.request_queue_size >= POOL_LIMITS.max_connections


@pytest.fixture
def live_simulator(monkeypatch):
    """The loopback simulator, requiring TOKEN, over the server's catalog; the app pointed at it."""
    st.cache_resource.clear()
    catalog = ui.server_catalog(ui.get_settings())
    simulator = Simulator(catalog.products, token=TOKEN)
    server, thread, base_url = start_server(simulator)
    monkeypatch.setenv("FASHIONAI_APP_TOKEN", TOKEN)
    monkeypatch.setenv("FASHIONAI_BASE_URL", base_url)
    yield simulator
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)
    st.cache_resource.clear()


def test_twenty_sessions_preview_and_compare_at_once_without_losing_a_snapshot(live_simulator):
    settings = ui.get_settings()
    assert settings.is_live
    catalog = ui.server_catalog(settings)
    categories = catalog.categories
    start = threading.Barrier(CONCURRENT_SESSIONS, timeout=BARRIER_TIMEOUT)
    clients, stores, errors, exchanges = [], [], [], []
    lock = threading.Lock()

    def shopper(number: int) -> None:
        try:
            client, store = ui.get_client(settings, catalog), ui.history_store()  # as every page does
            session = f"concurrent-{number:02d}"
            category = categories[number % len(categories)]
            piece = catalog.category_ids(category)[0]
            start.wait()
            done = [preview_storefront(client, catalog, session, category),
                    preview_storefront(client, catalog, session, category),
                    preview_look(client, catalog, session, piece)]
            comparison = compare_lanes(client, catalog, category, [
                native_lane(), best_sellers_lane(), session_lane(session), session_lane(f"{session}-other")])
            assert all(lane.ok for lane in comparison.lanes), [lane.error for lane in comparison.lanes]
            ids = [result.recommendation.exchange_id for result in done]
            ids += [lane.recommendation.exchange_id for lane in comparison.lanes if lane.recommendation is not None]
            with lock:
                clients.append(client)
                stores.append(store)
                exchanges.extend(ids)
        except BaseException as err:  # noqa: BLE001 - reported below, with the session's number
            with lock:
                errors.append((number, repr(err)))
            start.abort()

    threads = [threading.Thread(target=shopper, args=(n,), name=f"shopper-{n}") for n in range(CONCURRENT_SESSIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    assert errors == []

    # One client and one history for all of them.
    # one connection pool and one store for every session (each session's client is its own view of the shared one:
    # its observer saves answers as its person's and counts its live calls)
    assert len({id(c._http) for c in clients}) == 1 and len({id(s) for s in stores}) == 1
    client, store = clients[0], stores[0]
    assert len(pool(client).connections) <= POOL_LIMITS.max_connections

    # Every call left exactly one snapshot, under its own id, for its own session.
    expected = CONCURRENT_SESSIONS * CALLS_PER_SESSION
    assert len(exchanges) == len(set(exchanges)) == expected
    assert store.count() == expected
    assert {s.id for s in store.query(limit=expected + 1)} == set(exchanges)
    events = Counter(s.event_type for s in store.query(limit=expected + 1))
    assert events == {EventType.CATEGORY_VIEW: CONCURRENT_SESSIONS * 4, EventType.SHOP_THE_LOOK: CONCURRENT_SESSIONS,
                      EventType.SALES_RANKING: CONCURRENT_SESSIONS}
    for number in range(CONCURRENT_SESSIONS):
        assert store.count(Filters(session_id=f"concurrent-{number:02d}")) == 4  # 2 previews, a look, a lane
        assert store.count(Filters(session_id=f"concurrent-{number:02d}-other")) == 1
