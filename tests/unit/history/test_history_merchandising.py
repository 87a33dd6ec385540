"""The history's view of the client's new calls: similar and collection answers saved as snapshots, profiles never."""

from __future__ import annotations

import httpx
import pytest

from fashionai.domain import EventType
from fashionai.history import Filters, snapshot_from_exchange, snapshots_frame
from tests.api_helpers import BASE, COLLECTION, PROFILE, FakeAPI, make_client, products



def recording_client(api, store, **kwargs):
    return make_client(api, on_exchange=lambda exchange: store.record(snapshot_from_exchange(exchange, "live")),
                       **kwargs)


def test_a_similar_answer_is_saved_with_its_session_user_and_product(store):
    client = recording_client(FakeAPI(products("p9", "p4")), store)
    answer = client.similar("sess-1", "prod-7", user_id=90, limit=2)

    [snapshot] = store.query(Filters(event_type=EventType.SIMILAR))
    assert snapshot.id == answer.exchange_id
    assert (snapshot.event_type, snapshot.session_id, snapshot.user_id, snapshot.item_id) == (
        "similar", "sess-1", "90", "prod-7")
    assert snapshot.products == ("p9", "p4")
    assert snapshot.endpoint == f"{BASE}/products/protected/similar?limit=2"
    assert snapshot.outcome == "HTTP 200"


def test_an_unknown_product_for_similar_is_saved_as_a_failure(store):
    client = recording_client(FakeAPI(404), store)
    with pytest.raises(Exception, match="does not know product 'prod-7'"):
        client.similar("sess-1", "prod-7")
    [snapshot] = store.query()
    assert (snapshot.event_type, snapshot.outcome, snapshot.products) == ("similar", "NotFoundError (HTTP 404)", ())


def test_a_collection_slice_is_saved_in_position_order(store):
    client = recording_client(FakeAPI(httpx.Response(200, json=COLLECTION)), store)
    client.collection("winter")

    [snapshot] = store.query(Filters(item_id="winter"))
    assert (snapshot.event_type, snapshot.session_id, snapshot.user_id) == ("collection", None, None)
    assert snapshot.products == ("00042", "12345", "777")
    assert snapshot.outcome == "HTTP 200"


def test_no_active_slice_is_saved_as_a_normal_answer_that_says_so(store):
    client = recording_client(FakeAPI(httpx.Response(404, json={"message": "none"})), store)
    assert not client.collection("winter").active

    [snapshot] = store.query()
    assert snapshot.ok and snapshot.products == () and snapshot.item_id == "winter"
    assert snapshot.outcome == "No active slice (HTTP 404)"
    [summary] = store.summaries()
    assert summary.outcome == "No active slice (HTTP 404)"
    assert snapshots_frame([snapshot])["outcome"].tolist() == ["No active slice (HTTP 404)"]


def test_other_outcomes_keep_their_words(store):
    client = recording_client(FakeAPI(httpx.Response(500), 404), store, max_retries=0)
    with pytest.raises(Exception, match="server error"):
        client.collection("winter")
    with pytest.raises(Exception, match="found nothing"):
        client.sales_ranking("dresses")
    outcomes = {s.event_type: s.outcome for s in store.query()}
    assert outcomes == {"collection": "ServerError (HTTP 500)", "salesRanking": "NotFoundError (HTTP 404)"}


def test_a_profile_never_reaches_the_history(store):
    client = recording_client(FakeAPI(httpx.Response(200, json=PROFILE), 404), store)
    client.profile("up-9")
    with pytest.raises(Exception, match="has no profile"):
        client.profile("ana@example.com.br", kind="email")
    assert store.count() == 0
