"""FashionAIClient's on_exchange observer: once per call, success and failure, never in the way."""

import dataclasses
import logging
from datetime import datetime, timezone

import httpx
import pytest

from fashionai.api.client import Exchange, FashionAIClient
from fashionai.api.errors import APIConnectionError, RateLimitError, ResponseFormatError, ServerError
from tests.api_helpers import BASE, RANKING_URL, RECOMMENDATION_URL, TOKEN, FakeAPI, make_client, products


def observed(api, **kwargs):
    seen: list[Exchange] = []
    return make_client(api, on_exchange=seen.append, **kwargs), seen


def test_a_successful_call_is_observed_once_with_what_came_back():
    client, seen = observed(FakeAPI(products("p3", "p1")))
    before = datetime.now(timezone.utc)
    answer = client.category_view("sess-1", "dresses", user_id=90)

    [exchange] = seen
    assert exchange.ok and exchange.error is None
    assert exchange.products == ("p3", "p1")
    assert exchange.status_code == 200
    assert exchange.attempts == 1
    assert exchange.elapsed == answer.elapsed
    assert exchange.request == answer.request
    assert exchange.request.json == {"userId": "90", "sessionId": "sess-1", "eventType": "categoryView",
                                     "data": {"id": "dresses"}}
    assert before <= exchange.timestamp <= datetime.now(timezone.utc)
    assert exchange.timestamp.tzinfo is not None
    assert answer.exchange_id == exchange.id and len(exchange.id) == 32


def test_each_call_gets_its_own_exchange_id():
    client, seen = observed(FakeAPI(200, 200))
    first, second = client.category_view("s", "c"), client.shop_the_look("s", "p")
    assert [e.id for e in seen] == [first.exchange_id, second.exchange_id]
    assert first.exchange_id != second.exchange_id


def test_the_exchange_id_does_not_change_equality_of_answers():
    client, _ = observed(FakeAPI(200))
    answer = client.category_view("s", "c")
    assert dataclasses.replace(answer, exchange_id="other") == answer


def test_retries_are_one_observed_call():
    sleeps = []
    client, seen = observed(FakeAPI(503, 200), sleeps=sleeps)
    client.sales_ranking("dresses")
    [exchange] = seen
    assert exchange.attempts == 2 and exchange.ok
    assert exchange.request.url == RANKING_URL + "?categoryId=dresses"
    assert exchange.request.event_type is None
    assert len(sleeps) == 1


def test_a_status_error_is_observed_with_its_status_and_class_then_raised():
    client, seen = observed(FakeAPI(429), max_retries=0)
    with pytest.raises(RateLimitError):
        client.category_view("s", "c")
    [exchange] = seen
    assert not exchange.ok
    assert exchange.error == "RateLimitError"
    assert exchange.status_code == 429
    assert exchange.products == ()
    assert exchange.request.url == RECOMMENDATION_URL


def test_a_server_error_after_retries_counts_every_attempt():
    client, seen = observed(FakeAPI(503, 503, 503), sleeps=[])
    with pytest.raises(ServerError):
        client.sales_ranking()
    assert [(e.error, e.status_code, e.attempts) for e in seen] == [("ServerError", 503, 3)]


def test_a_connection_failure_is_observed_without_a_status():
    client, seen = observed(FakeAPI(httpx.ConnectError, httpx.ConnectError), sleeps=[], max_retries=1)
    with pytest.raises(APIConnectionError):
        client.category_view("s", "c")
    [exchange] = seen
    assert (exchange.error, exchange.status_code, exchange.attempts) == ("APIConnectionError", None, 2)


def test_a_malformed_answer_is_observed_as_a_format_error():
    client, seen = observed(FakeAPI(httpx.Response(200, json={"items": []})))
    with pytest.raises(ResponseFormatError):
        client.category_view("s", "c")
    assert [(e.error, e.status_code) for e in seen] == [("ResponseFormatError", 200)]


def test_an_unexpected_exception_is_observed_and_propagates_unchanged():
    class Boom(RuntimeError):
        pass

    def handler(request):
        raise Boom("transport bug")

    seen = []
    client = FashionAIClient(TOKEN, BASE, transport=httpx.MockTransport(handler), on_exchange=seen.append)
    with pytest.raises(Boom):
        client.category_view("s", "c")
    assert [e.error for e in seen] == ["Boom"]


def test_arguments_refused_before_sending_are_not_an_exchange():
    client, seen = observed(FakeAPI())
    with pytest.raises(ValueError):
        client.category_view(" ", "c")
    assert seen == []


@pytest.mark.parametrize("answers, call", [
    ((200,), lambda c: c.category_view("s", "c")),
    ((429,), lambda c: c.category_view("s", "c")),
])
def test_an_observer_that_raises_never_breaks_the_call(caplog, answers, call):
    def observer(exchange):
        raise RuntimeError(f"the store is down; header was {TOKEN}")

    client = make_client(FakeAPI(*answers), on_exchange=observer, max_retries=0)
    caplog.set_level(logging.DEBUG)
    if answers == (200,):
        assert call(client).products == ("p1",)
    else:
        with pytest.raises(RateLimitError):
            call(client)
    [warning] = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert "observer failed" in warning.getMessage() and "RuntimeError" in warning.getMessage()
    assert TOKEN not in caplog.text
    assert "[app token]" in caplog.text


def test_an_exchange_holds_no_token_and_no_headers():
    client, seen = observed(FakeAPI(200))
    client.category_view("s", "c")
    [exchange] = seen
    text = repr(exchange) + repr(dataclasses.asdict(exchange))
    assert TOKEN not in text
    assert "X-FashionAI-APP-Token" not in text
    assert {f.name for f in dataclasses.fields(Exchange)} == {
        "id", "request", "status_code", "products", "error", "elapsed", "attempts", "timestamp", "totals",
        "slice_seen"}


def test_without_an_observer_nothing_changes():
    client = make_client(FakeAPI(200))
    assert client.category_view("s", "c").products == ("p1",)
