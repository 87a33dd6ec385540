"""The client's similar, collection and profile calls over httpx.MockTransport: wire, statuses, bodies, retries.

Every status and every broken body of the three calls, table by table. The privacy of a
profile looked up by e-mail is in test_client_profile_privacy.py.
"""

from __future__ import annotations

import copy
import gzip
import json

import httpx
import pytest

from fashionai.api import _body
from fashionai.api.client import CollectionAnswer, Exchange, ProfileAnswer, Recommendation, RequestRecord
from fashionai.api.collections import CollectionSlice, SliceProduct
from fashionai.api.errors import (
    APIConnectionError,
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ResponseFormatError,
    ServerError,
)
from fashionai.api.redaction import REPLACEMENT
from fashionai.domain import EventType
from tests.api_helpers import BASE, COLLECTION, PROFILE, TOKEN, FakeAPI, make_client, products

SIMILAR_URL = f"{BASE}/products/protected/similar"
COLLECTION_URL = f"{BASE}/merchandising-collections/protected/winter"
PROFILE_URL = f"{BASE}/crm/protected/profile/user-profile-id/up-9"


def collection_body(**changes) -> dict:
    return copy.deepcopy(COLLECTION) | changes


def answered(body, status=200) -> httpx.Response:
    return httpx.Response(status, json=body)


CALLS = {
    # name: (call, a good 200 answer)
    "similar": (lambda client: client.similar("sess-1", "prod-7", user_id="u-1", limit=4), products("p2", "p1")),
    "collection": (lambda client: client.collection("winter"), answered(COLLECTION)),
    "profile": (lambda client: client.profile("up-9"), answered(PROFILE)),
}
NAMES = list(CALLS)


def observed(api, **kwargs):
    seen: list[Exchange] = []
    return make_client(api, on_exchange=seen.append, **kwargs), seen


def run(name, *answers, **kwargs):
    """The call `name` against a fake API playing `answers`: (outcome or error, the API, the exchanges)."""
    api = FakeAPI(*answers)
    client, seen = observed(api, **kwargs)
    call, _ = CALLS[name]
    try:
        outcome = call(client)
    except Exception as err:  # noqa: BLE001 - the tests look at it
        outcome = err
    return outcome, api, seen


# --------------------------------------------------------------------------- the wire


@pytest.mark.parametrize(
    ("kwargs", "url", "body"),
    [
        ({}, SIMILAR_URL, {"sessionId": "sess-1", "data": {"id": "prod-7"}}),
        ({"user_id": 90}, SIMILAR_URL, {"userId": "90", "sessionId": "sess-1", "data": {"id": "prod-7"}}),
        ({"user_id": "  "}, SIMILAR_URL, {"sessionId": "sess-1", "data": {"id": "prod-7"}}),
        ({"limit": 1}, SIMILAR_URL + "?limit=1", {"sessionId": "sess-1", "data": {"id": "prod-7"}}),
        ({"limit": 500, "user_id": "u"}, SIMILAR_URL + "?limit=500",
         {"userId": "u", "sessionId": "sess-1", "data": {"id": "prod-7"}}),
    ],
    ids=["plain", "int-user", "blank-user", "limit-1", "limit-and-user"],
)
def test_similar_posts_the_documented_body_without_an_event_type(kwargs, url, body):
    api = FakeAPI(products("p2", 31))
    client, seen = observed(api)
    answer = client.similar("sess-1", "prod-7", **kwargs)

    [request] = api.requests
    assert (request.method, str(request.url)) == ("POST", url)
    assert json.loads(request.content) == body
    assert request.headers["X-FashionAI-APP-Token"] == TOKEN
    assert isinstance(answer, Recommendation)
    assert answer.products == ("p2", "31")
    assert answer.request == RequestRecord("POST", url, body, EventType.SIMILAR)
    assert answer.request.asked() == (EventType.SIMILAR, "sess-1", body.get("userId"), "prod-7")
    [exchange] = seen
    assert exchange.ok and exchange.products == ("p2", "31") and exchange.id == answer.exchange_id


def test_similar_takes_int_ids_as_text():
    api = FakeAPI(products())
    make_client(api).similar(123, 4567)
    assert json.loads(api.requests[0].content) == {"sessionId": "123", "data": {"id": "4567"}}


@pytest.mark.parametrize("limit", [0, -3, 1.5, 2.0, "3", True, float("nan")])
def test_a_bad_limit_is_refused_in_plain_words_before_any_request(limit):
    api = FakeAPI()  # any request fails the test
    with pytest.raises(ValueError, match="the number of similar products must be"):
        make_client(api).similar("sess-1", "prod-7", limit=limit)
    assert api.requests == []


@pytest.mark.parametrize(("args", "message"), [(("", "p"), "session_id is blank"), (("s", " "), "product_id is blank")])
def test_similar_needs_a_session_and_a_product(args, message):
    api = FakeAPI()
    with pytest.raises(ValueError, match=message):
        make_client(api).similar(*args)
    assert api.requests == []


@pytest.mark.parametrize(
    ("collection_id", "url", "asked"),
    [
        ("winter", COLLECTION_URL, "winter"),
        (7, f"{BASE}/merchandising-collections/protected/7", "7"),
        (" inverno 2025/lã ", f"{BASE}/merchandising-collections/protected/inverno%202025%2Fl%C3%A3",
         "inverno 2025/lã"),
        ("a?b#c", f"{BASE}/merchandising-collections/protected/a%3Fb%23c", "a?b#c"),
    ],
)
def test_collection_gets_its_id_percent_encoded(collection_id, url, asked):
    api = FakeAPI(answered(COLLECTION))
    answer = make_client(api).collection(collection_id)
    [request] = api.requests
    assert (request.method, str(request.url), request.content) == ("GET", url, b"")
    assert answer.request == RequestRecord("GET", url, None, EventType.COLLECTION)
    assert answer.request.asked() == (EventType.COLLECTION, None, None, asked)
    assert answer.collection_id == asked


@pytest.mark.parametrize("collection_id", ["", "  ", "..", None, 1.5])
def test_an_unusable_collection_id_is_refused_before_any_request(collection_id):
    api = FakeAPI()
    with pytest.raises((ValueError, TypeError)):
        make_client(api).collection(collection_id)
    assert api.requests == []


@pytest.mark.parametrize(
    ("value", "kind", "url"),
    [
        ("up-9", "user-profile-id", PROFILE_URL),
        (42, "user-profile-id", f"{BASE}/crm/protected/profile/user-profile-id/42"),
        ("ana@example.com.br", "email", f"{BASE}/crm/protected/profile/email/ana%40example.com.br"),
        ("+55 11 98765-1234", "phone", f"{BASE}/crm/protected/profile/phone/%2B55%2011%2098765-1234"),
        ("123.456.789-00", "document", f"{BASE}/crm/protected/profile/document/123.456.789-00"),
    ],
)
def test_profile_gets_the_kind_and_the_value_percent_encoded(value, kind, url):
    api = FakeAPI(answered(PROFILE))
    answer = make_client(api).profile(value, kind=kind)
    [request] = api.requests
    assert (request.method, str(request.url), request.content) == ("GET", url, b"")
    assert answer.kind == kind


@pytest.mark.parametrize(("value", "kind"),
                         [("x", "cpf"), ("", "email"), ("..", "user-profile-id"), ("a" * 400, "email")])
def test_an_unusable_profile_lookup_is_refused_before_any_request(value, kind):
    api = FakeAPI()
    with pytest.raises(ValueError):
        make_client(api).profile(value, kind=kind)
    assert api.requests == []


# --------------------------------------------------------------------------- what comes back


def test_a_collection_answer_is_a_typed_slice_in_position_order_and_is_observed():
    client, seen = observed(FakeAPI(answered(COLLECTION)))
    answer = client.collection("winter")

    assert isinstance(answer, CollectionAnswer)
    assert answer.active and answer.status_code == 200 and answer.attempts == 1
    assert answer.product_ids == ("00042", "12345", "777")
    assert isinstance(answer.slice, CollectionSlice)
    assert answer.slice.products[0] == SliceProduct("00042", 1, False)
    assert (answer.slice.collection_name, answer.slice.slice_name) == ("Winter Collection 2025", "Wool Coats")
    assert answer.response_body == COLLECTION
    [exchange] = seen
    assert (exchange.ok, exchange.status_code, exchange.products) == (True, 200, ("00042", "12345", "777"))
    assert exchange.id == answer.exchange_id and exchange.request == answer.request


def test_no_active_slice_is_a_normal_answer_observed_without_products():
    client, seen = observed(FakeAPI(httpx.Response(404, json={"message": "no active slice"})))
    answer = client.collection("winter")

    assert not answer.active
    assert (answer.slice, answer.product_ids, answer.status_code, answer.response_body) == (None, (), 404, None)
    [exchange] = seen
    assert (exchange.error, exchange.status_code, exchange.products) == (None, 404, ())
    assert exchange.id == answer.exchange_id


def test_a_profile_answer_keeps_its_sections_and_is_never_observed():
    client, seen = observed(FakeAPI(answered(PROFILE)))
    answer = client.profile("up-9")

    assert isinstance(answer, ProfileAnswer)
    assert answer.profile.user_profile_id == PROFILE["userProfileId"]
    assert answer.profile.occasions and answer.profile.customer.style
    assert (answer.kind, answer.shown, answer.status_code, answer.attempts) == ("user-profile-id", "up-9", 200, 1)
    assert answer.request == RequestRecord("GET", PROFILE_URL)
    assert seen == []


def test_a_failed_profile_is_never_observed_either():
    client, seen = observed(FakeAPI(500), max_retries=0)
    with pytest.raises(ServerError):
        client.profile("up-9")
    assert seen == []


def test_the_token_echoed_in_a_slice_is_blanked_and_as_an_id_refuses_the_answer():
    echoed = collection_body(collectionDescription=f"made with {TOKEN}")
    answer = make_client(FakeAPI(answered(echoed))).collection("winter")
    assert answer.slice.description == f"made with {REPLACEMENT}"
    assert TOKEN not in json.dumps(answer.response_body)

    as_id = collection_body(products=[{"productId": TOKEN, "position": 1, "active": True}])
    with pytest.raises(ResponseFormatError, match="app token") as caught:
        make_client(FakeAPI(answered(as_id))).collection("winter")
    assert TOKEN not in str(caught.value) + caught.value.body_excerpt


def test_the_token_echoed_in_a_profile_is_blanked():
    body = copy.deepcopy(PROFILE)
    body["profile"]["perfil_cliente"]["descricao_geral"] = f"token {TOKEN}"
    answer = make_client(FakeAPI(answered(body))).profile("up-9")
    assert answer.profile.customer.description == f"token {REPLACEMENT}"


# --------------------------------------------------------------------------- every status


NOT_FOUND_WORDS = {
    "similar": "Fashion.AI does not know product 'prod-7' (HTTP 404): it may not be in the catalog Fashion.AI imported",
    "profile": "Fashion.AI has no profile for user profile id 'up-9' (HTTP 404)",
}
STATUSES = [
    # status, headers, error class, words in the message
    (400, {}, BadRequestError, "rejected the request as invalid (HTTP 400): {error:simulated 400}"),
    (401, {}, AuthenticationError, "rejected the app token (HTTP 401)"),
    (403, {}, PermissionDeniedError, "refused access (HTTP 403)"),
    (429, {}, RateLimitError, "(HTTP 429). Wait a minute and try again."),
    (429, {"Retry-After": "7"}, RateLimitError, "(HTTP 429). Wait 7 s and try again."),
    (500, {}, ServerError, "server error (HTTP 500)"),
    (502, {}, ServerError, "server error (HTTP 502)"),
    (503, {"Retry-After": "3"}, ServerError, "server error (HTTP 503). Wait 3 s and try again"),
    (302, {"Location": "https://elsewhere.test/x"}, APIStatusError, "redirect (HTTP 302) to https://elsewhere.test/x"),
    (418, {}, APIStatusError, "unexpected HTTP 418"),
]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize(("status", "headers", "error", "words"), STATUSES,
                         ids=[f"{s[0]}{'-retry-after' if s[1] else ''}" for s in STATUSES])
def test_every_failing_status_raises_its_error_in_plain_words(name, status, headers, error, words):
    response = httpx.Response(status, headers=headers, json={"error": f"simulated {status}"})
    outcome, api, seen = run(name, response, max_retries=0)

    assert type(outcome) is error
    assert outcome.status_code == status
    assert words.replace('"', "") in str(outcome).replace('"', "")
    assert TOKEN not in str(outcome) and "Traceback" not in str(outcome)
    assert outcome.retry_after == (float(headers["Retry-After"]) if "Retry-After" in headers else None)
    assert len(api.requests) == 1  # a redirect is not followed
    assert outcome.request is not None and outcome.request.method == api.requests[0].method
    if name == "profile":
        assert seen == []
    else:
        [exchange] = seen
        assert (exchange.error, exchange.status_code, exchange.products) == (error.__name__, status, ())


@pytest.mark.parametrize("name", ["similar", "profile"])
def test_a_404_says_what_fashion_ai_does_not_know(name):
    outcome, api, _ = run(name, 404, max_retries=0)
    assert type(outcome) is NotFoundError and outcome.status_code == 404
    assert str(outcome).startswith(NOT_FOUND_WORDS[name])
    assert outcome.body_excerpt == '{"error":"simulated 404"}'
    assert len(api.requests) == 1


def test_a_similar_404_for_an_unknown_product_is_observed_as_a_failure():
    _, _, [exchange] = run("similar", 404, max_retries=0)
    assert (exchange.error, exchange.status_code) == ("NotFoundError", 404)
    assert exchange.request.event_type == EventType.SIMILAR


@pytest.mark.parametrize("name", NAMES)
def test_a_long_retry_after_is_not_slept(name):
    outcome, api, _ = run(name, httpx.Response(429, headers={"Retry-After": "600"}))  # two retries allowed
    assert type(outcome) is RateLimitError and outcome.retry_after == 600
    assert len(api.requests) == 1


# --------------------------------------------------------------------------- retries


@pytest.mark.parametrize("answer", [500, 502, 504, httpx.ReadError, httpx.ReadTimeout, httpx.RemoteProtocolError])
def test_similar_is_never_sent_again_once_it_may_have_arrived(answer):
    outcome, api, [exchange] = run("similar", answer)  # two retries allowed: none used
    assert isinstance(outcome, (ServerError, APIConnectionError))
    assert len(api.requests) == 1 and exchange.attempts == 1
    if isinstance(outcome, APIConnectionError):
        assert "may already have been recorded, so it was not sent again" in str(outcome)


@pytest.mark.parametrize("answer", [503, 429, httpx.ConnectError])
def test_similar_is_retried_when_the_server_certainly_did_not_record_it(answer):
    sleeps = []
    api = FakeAPI(answer, products("p1"))
    client, seen = observed(api, sleeps=sleeps)
    assert client.similar("s", "p").attempts == 2
    assert len(api.requests) == 2 and len(sleeps) == 1
    assert seen[0].attempts == 2


@pytest.mark.parametrize("name", ["collection", "profile"])
@pytest.mark.parametrize("first", [503, 500, 502, 504, 429, httpx.ConnectError, httpx.ReadError, httpx.ReadTimeout])
def test_collection_and_profile_are_retried_as_idempotent_gets(name, first):
    sleeps = []
    api = FakeAPI(first, CALLS[name][1])
    client, _ = observed(api, sleeps=sleeps)
    answer = CALLS[name][0](client)
    assert answer.attempts == 2 and len(api.requests) == 2 and len(sleeps) == 1
    assert all(r.method == "GET" for r in api.requests)


@pytest.mark.parametrize("name", ["collection", "profile"])
def test_a_get_that_keeps_failing_gives_up_saying_so_without_the_recorded_warning(name):
    outcome, api, _ = run(name, httpx.ReadError, httpx.ReadError, httpx.ReadError, sleeps=[])
    assert isinstance(outcome, APIConnectionError)
    assert "Gave up after 3 attempts" in str(outcome)
    assert "recorded" not in str(outcome)
    assert len(api.requests) == 3


def test_a_collection_404_is_not_retried():
    outcome, api, _ = run("collection", 404)
    assert isinstance(outcome, CollectionAnswer) and not outcome.active and len(api.requests) == 1


# --------------------------------------------------------------------------- broken bodies


def raw(content: bytes | str, content_type="application/json", status=200) -> httpx.Response:
    return httpx.Response(status, content=content, headers={"Content-Type": content_type})


COMMON_BROKEN = [
    (raw("{\"products\": [\"p1\""), "the body is not valid JSON"),
    (raw("<html><body>Login</body></html>", "text/html"), "with a web page (HTML) instead of JSON"),
    (raw(""), "the body is empty instead of JSON"),
    (answered(["p1", "p2"]), "the body is a JSON array"),
    (answered("text"), "the body is a JSON string"),
]
BROKEN = {
    "similar": [
        *COMMON_BROKEN,
        (answered({"products": "p1"}), '"products" is a JSON string, not a list'),
        (answered({"products": [{"id": "p1"}]}), "product #1 is a JSON object, not an id"),
        (answered({"products": ["p1", None]}), "product #2 is a JSON null, not an id"),
        (answered({"items": []}), 'the body has no "products" list'),
    ],
    "collection": [
        *COMMON_BROKEN,
        (answered(collection_body(products={"productId": "p1"})), '"products" is a JSON object, not a list'),
        (answered(collection_body(products=[{"productId": "p1", "active": True}])), 'product #1 has no "position"'),
        (answered(collection_body(products=[{"productId": "p1", "position": "1", "active": True}])),
         "product #1 has position a JSON string"),
        (answered(collection_body(products=[{"productId": "p1", "position": 1, "active": "yes"}])),
         '"active" of product #1 is a JSON string'),
        (answered(collection_body(products=[{"productId": None, "position": 1, "active": True}])),
         'the "productId" of product #1 is a JSON null'),
        (answered(collection_body(sliceName=5)), '"sliceName" is a JSON number, not a text'),
        (answered(collection_body(startsAt="2025-09-23T00:00:00")), "has no time zone"),
        (answered(collection_body(endsAt="31/12/2025")), "is not an ISO 8601 date and time"),
        (answered(collection_body(endsAt="2025-01-01T00:00:00Z")), "ends (\"endsAt\") before it starts"),
        (answered({k: v for k, v in COLLECTION.items() if k != "collectionId"}), 'the body has no "collectionId"'),
        (answered(collection_body(products=[{"productId": f"p{n}", "position": n, "active": True}
                                            for n in range(1, 502)])),
         "the slice lists 501 products, more than the 500 a slice may hold"),
    ],
    "profile": [
        *COMMON_BROKEN,
        (answered({"userProfileId": "up-9"}), 'the body has no "profile" object'),
        (answered({"profile": {}}), 'the body has no "userProfileId"'),
        (answered({"userProfileId": "up-9", "profile": []}), '"profile" is a JSON array, not an object'),
        (answered({"userProfileId": "up-9", "profile": {"ocasioes_relevantes": {}}}),
         '"ocasioes_relevantes" is a JSON object, not a list'),
        (answered({"userProfileId": "up-9", "profile": {"perfil_cliente": {"estilo_geral": 3}}}),
         '"estilo_geral" in perfil_cliente is a JSON number, not a text'),
        (answered({"userProfileId": "up-9", "profile": {"momento_compra_atual": {"novo_comportamento": "sim"}}}),
         '"novo_comportamento" in momento_compra_atual is a JSON string'),
    ],
}
BROKEN_CASES = [(name, response, problem) for name, cases in BROKEN.items() for response, problem in cases]


@pytest.mark.parametrize(("name", "response", "problem"), BROKEN_CASES,
                         ids=[f"{name}-{problem[:40]}" for name, _, problem in BROKEN_CASES])
def test_a_body_that_breaks_the_shape_is_a_format_error_in_plain_words(name, response, problem):
    outcome, api, seen = run(name, response)

    assert type(outcome) is ResponseFormatError
    assert str(outcome).startswith("Fashion.AI answered HTTP 200, but ")
    assert problem in str(outcome)
    assert TOKEN not in str(outcome)
    assert outcome.status_code == 200 and outcome.request is not None
    assert len(api.requests) == 1  # a broken body is not asked again
    if name == "profile":
        assert seen == []
    else:
        [exchange] = seen
        assert (exchange.error, exchange.status_code, exchange.products) == ("ResponseFormatError", 200, ())


@pytest.mark.parametrize("name", NAMES)
def test_an_answer_over_the_size_limit_is_refused_after_reading_no_more(name, monkeypatch):
    monkeypatch.setattr(_body, "MAX_ANSWER_BYTES", 2 * 2**20)
    bomb = gzip.compress(b" " * (8 * 2**20))  # 8 MiB of spaces, a few KiB on the wire
    response = httpx.Response(200, content=bomb, headers={"Content-Encoding": "gzip",
                                                          "Content-Type": "application/json"})
    outcome, api, _ = run(name, response)
    assert type(outcome) is ResponseFormatError
    assert "larger than 2 MB" in str(outcome)
    assert len(api.requests) == 1
