"""FashionAIClient over httpx.MockTransport: wire format, errors, retries, token hygiene."""

import json
import logging
import threading
import traceback

import httpx
import pytest

from fashionai.api.client import DEFAULT_BASE_URL, FashionAIClient, Recommendation, RequestRecord
from fashionai.api.errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    FashionAIError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ResponseFormatError,
    ServerError,
)
from tests.api_helpers import BASE, RANKING_URL, RECOMMENDATION_URL, TOKEN, FakeAPI, make_client, products

EVENT_CALLS = [
    # method, positional args, eventType, data.id
    ("category_view", ("sess-1", "cat-9"), "categoryView", "cat-9"),
    ("shop_the_look", ("sess-1", "prod-7"), "shopTheLook", "prod-7"),
    ("product_view", ("sess-1", "prod-7"), "productView", "prod-7"),
    ("custom_shelf", ("sess-1",), "customShelf", ""),
]
EVENT_IDS = [call[0] for call in EVENT_CALLS]


def call_event(client, name="category_view", *args, **kwargs):
    args = args or next(c[1] for c in EVENT_CALLS if c[0] == name)
    return getattr(client, name)(*args, **kwargs)


# --- wire format ---


@pytest.mark.parametrize(("method", "args", "event_type", "data_id"), EVENT_CALLS, ids=EVENT_IDS)
@pytest.mark.parametrize(
    ("user_id", "sent_user_id"),
    [(None, None), (90, "90"), ("u-90", "u-90"), ("", None), ("   ", None)],
    ids=["no-user", "int-user", "str-user", "empty-user", "blank-user"],
)
def test_event_wire_format(method, args, event_type, data_id, user_id, sent_user_id):
    api = FakeAPI(products("p2", "p1"))
    with make_client(api) as client:
        result = getattr(client, method)(*args, user_id=user_id)

    [request] = api.requests
    expected_body = {"sessionId": "sess-1", "eventType": event_type, "data": {"id": data_id}}
    if sent_user_id is not None:
        expected_body = {"userId": sent_user_id, **expected_body}
    assert request.method == "POST"
    assert str(request.url) == RECOMMENDATION_URL
    assert json.loads(request.content) == expected_body
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["Accept"] == "application/json"
    assert request.headers["X-FashionAI-APP-Token"] == TOKEN
    assert "Authorization" not in request.headers
    assert result.products == ("p2", "p1")
    assert result.request == RequestRecord("POST", RECOMMENDATION_URL, expected_body, event_type)
    assert (result.status_code, result.attempts) == (200, 1)
    assert result.response_body == {"products": ["p2", "p1"]}
    assert isinstance(result.elapsed, float) and result.elapsed >= 0


def test_int_ids_are_sent_as_strings():
    api = FakeAPI(200)
    with make_client(api) as client:
        client.shop_the_look(123, 4567, user_id=0)
    assert api.bodies == [
        {"userId": "0", "sessionId": "123", "eventType": "shopTheLook", "data": {"id": "4567"}}
    ]


@pytest.mark.parametrize(
    ("category_id", "raw_query", "decoded"),
    [
        (None, "", None),
        ("2020602", "categoryId=2020602", "2020602"),
        (42, "categoryId=42", "42"),
        ("Calças & Saias/1", "categoryId=Cal%C3%A7as%20%26%20Saias%2F1", "Calças & Saias/1"),
        ("a+b=c?d#e%20", "categoryId=a%2Bb%3Dc%3Fd%23e%2520", "a+b=c?d#e%20"),
    ],
)
def test_sales_ranking_wire_format(category_id, raw_query, decoded):
    api = FakeAPI(products("49373", "12345", categoryId=decoded))
    with make_client(api) as client:
        result = client.sales_ranking(category_id)

    [request] = api.requests
    assert request.method == "GET"
    assert request.url.copy_with(query=None) == RANKING_URL
    assert request.url.query.decode() == raw_query
    assert request.url.params.get("categoryId") == decoded
    assert request.content == b""
    assert request.headers["X-FashionAI-APP-Token"] == TOKEN
    assert request.headers["Accept"] == "application/json"
    assert "Authorization" not in request.headers
    assert result.products == ("49373", "12345")
    assert result.response_body["categoryId"] == decoded
    assert result.request == RequestRecord("GET", str(request.url), None, None)


@pytest.mark.parametrize(
    "base_url",
    [
        "https://catalog.test/api/v1",
        "https://catalog.test/api/v1/",
        "  https://catalog.test/api/v1//  ",
    ],
)
def test_base_url_keeps_its_path_with_or_without_trailing_slash(base_url):
    api = FakeAPI(200, 200)
    with FashionAIClient(TOKEN, base_url, transport=httpx.MockTransport(api)) as client:
        client.custom_shelf("s")
        client.sales_ranking()
    assert [str(r.url) for r in api.requests] == [RECOMMENDATION_URL, RANKING_URL]
    assert client.base_url == BASE


def test_default_base_url_timeout_and_settings_are_exposed_read_only():
    client = FashionAIClient(TOKEN)
    assert DEFAULT_BASE_URL == "https://catalog.api.fashionai.dev/api/v1"
    assert (client.base_url, client.timeout, client.max_retries) == (DEFAULT_BASE_URL, 10.0, 2)
    assert client._http.timeout == httpx.Timeout(10.0, connect=5.0)
    assert client._http.follow_redirects is False
    with pytest.raises(AttributeError):
        client.base_url = "https://elsewhere"
    with pytest.raises(AttributeError):
        client.timeout = 1.0
    client.close()


def test_a_short_timeout_also_bounds_connecting():
    with FashionAIClient(TOKEN, timeout=2) as client:
        assert client.timeout == 2.0
        assert client._http.timeout == httpx.Timeout(2.0, connect=2.0)


def test_context_manager_closes_the_connection_pool():
    with FashionAIClient(TOKEN, transport=httpx.MockTransport(FakeAPI())) as client:
        assert not client._http.is_closed
    assert client._http.is_closed


def test_no_cookie_is_carried_from_one_call_to_the_next():
    api = FakeAPI(
        httpx.Response(200, json={"products": []}, headers={"Set-Cookie": "sid=shopper-a; Path=/"}),
        200,
    )
    with make_client(api) as client:
        client.custom_shelf("shopper-a")
        client.custom_shelf("shopper-b")
    assert "cookie" not in api.requests[1].headers


def test_one_client_can_be_shared_between_threads():
    def handler(request):
        session = json.loads(request.content)["sessionId"]
        return products(f"for-{session}")

    client = FashionAIClient(TOKEN, BASE, transport=httpx.MockTransport(handler))
    results = {}

    def shopper(n):
        results[n] = client.category_view(f"s{n}", "pants").products

    threads = [threading.Thread(target=shopper, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == {n: (f"for-s{n}",) for n in range(20)}


# --- arguments are checked before anything is sent ---

BLANKS = ["", "   ", "\t\n", None]


@pytest.mark.parametrize("blank", BLANKS)
@pytest.mark.parametrize(
    "call",
    [
        lambda c, b: c.category_view(b, "cat"),
        lambda c, b: c.category_view("s", b),
        lambda c, b: c.shop_the_look(b, "p"),
        lambda c, b: c.shop_the_look("s", b),
        lambda c, b: c.product_view(b, "p"),
        lambda c, b: c.product_view("s", b),
        lambda c, b: c.custom_shelf(b),
    ],
    ids=["cv-session", "cv-category", "stl-session", "stl-product", "pv-session", "pv-product",
         "shelf-session"],
)
def test_a_blank_session_or_id_raises_value_error_before_sending(call, blank):
    api = FakeAPI()
    with make_client(api) as client, pytest.raises(ValueError):
        call(client, blank)
    assert api.requests == []


@pytest.mark.parametrize("blank", ["", "  "])
def test_a_blank_sales_ranking_category_raises_value_error(blank):
    api = FakeAPI()
    with make_client(api) as client, pytest.raises(ValueError):
        client.sales_ranking(blank)
    assert api.requests == []


@pytest.mark.parametrize("wrong", [1.5, True, False, ["a"], {"id": "a"}, b"a", object()])
@pytest.mark.parametrize(
    "call",
    [
        lambda c, w: c.category_view(w, "cat"),
        lambda c, w: c.shop_the_look("s", w),
        lambda c, w: c.product_view("s", "p", user_id=w),
        lambda c, w: c.sales_ranking(w),
    ],
    ids=["session", "product", "user", "ranking-category"],
)
def test_an_id_that_is_not_str_or_int_raises_type_error_before_sending(call, wrong):
    api = FakeAPI()
    with make_client(api) as client, pytest.raises(TypeError):
        call(client, wrong)
    assert api.requests == []


def test_custom_shelf_needs_only_the_session():
    api = FakeAPI(products())
    with make_client(api) as client:
        assert client.custom_shelf("s").products == ()
    assert api.bodies[0]["data"] == {"id": ""}


@pytest.mark.parametrize("token", ["", "   ", None])
def test_no_app_token_raises_value_error(token):
    with pytest.raises(ValueError, match="no app token"):
        FashionAIClient(token)


def test_the_token_is_stripped_of_surrounding_whitespace():
    api = FakeAPI(200)
    client = FashionAIClient(f"  {TOKEN}\n", BASE, transport=httpx.MockTransport(api))
    client.custom_shelf("s")
    assert api.requests[0].headers["X-FashionAI-APP-Token"] == TOKEN


def test_a_token_that_cannot_be_a_header_is_refused_without_echoing_it():
    with pytest.raises(ValueError) as caught:
        FashionAIClient("tok-ção-secret")
    assert "secret" not in str(caught.value)


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"timeout": 0}, ValueError),
        ({"timeout": -1}, ValueError),
        ({"timeout": float("inf")}, ValueError),
        ({"max_retries": -1}, ValueError),
        ({"max_retries": 1.5}, ValueError),
        ({"base_url": "catalog.api.fashionai.dev/api/v1"}, ValueError),
        ({"base_url": "ftp://catalog.test"}, ValueError),
        ({"base_url": "https://"}, ValueError),
    ],
)
def test_bad_settings_are_refused(kwargs, error):
    with pytest.raises(error):
        FashionAIClient(TOKEN, **kwargs)


def test_a_base_url_with_credentials_is_refused_without_echoing_them():
    with pytest.raises(ValueError) as caught:
        FashionAIClient(TOKEN, "https://user:hunter2@catalog.test/api/v1")
    assert "hunter2" not in str(caught.value)


# --- answers ---


def test_extra_fields_are_ignored_and_int_ids_become_strings():
    body = {"products": ["00123", 123, "A-1"], "categoryId": None, "debug": {"model": "x"}}
    api = FakeAPI(httpx.Response(200, json=body))
    with make_client(api) as client:
        result = client.category_view("s", "c")
    assert result.products == ("00123", "123", "A-1")
    assert result.response_body == body


def test_an_empty_list_is_a_normal_answer():
    api = FakeAPI(products())
    with make_client(api) as client:
        result = client.category_view("new-session", "pants")
    assert (result.products, result.status_code, result.attempts) == ((), 200, 1)


def test_any_2xx_with_a_good_body_is_a_success():
    api = FakeAPI(httpx.Response(201, json={"products": ["a"]}))
    with make_client(api) as client:
        assert client.custom_shelf("s").status_code == 201


BROKEN_BODIES = {
    "html page": httpx.Response(
        200, text="<!doctype html><html><body>Welcome</body></html>",
        headers={"Content-Type": "text/html"},
    ),
    "html without content type": httpx.Response(200, content=b"  <html>login</html>"),
    "truncated json": httpx.Response(200, content=b'{"products": ["a", "b'),
    "empty body": httpx.Response(200, content=b""),
    "not utf-8": httpx.Response(200, content=b'{"products": ["\xff\xfe"]}'),
    "json null": httpx.Response(200, json=None),
    "json list": httpx.Response(200, json=["a", "b"]),
    "json string": httpx.Response(200, json="a,b"),
    "no products key": httpx.Response(200, json={"items": ["a"]}),
    "products is a string": httpx.Response(200, json={"products": "a,b"}),
    "products is null": httpx.Response(200, json={"products": None}),
    "products is an object": httpx.Response(200, json={"products": {"a": 1}}),
    "null id": httpx.Response(200, json={"products": ["a", None]}),
    "object id": httpx.Response(200, json={"products": [{"id": "a"}]}),
    "list id": httpx.Response(200, json={"products": [["a"]]}),
    "float id": httpx.Response(200, json={"products": [1.5]}),
    "bool id": httpx.Response(200, json={"products": [True]}),
    "empty id": httpx.Response(200, json={"products": ["a", ""]}),
    "blank id": httpx.Response(200, json={"products": ["  "]}),
}


@pytest.mark.parametrize("answer", BROKEN_BODIES.values(), ids=BROKEN_BODIES.keys())
@pytest.mark.parametrize("call", ["event", "ranking"])
def test_a_success_status_with_a_broken_body_raises_response_format_error(answer, call):
    api = FakeAPI(answer)
    with make_client(api) as client, pytest.raises(ResponseFormatError) as caught:  # noqa: PT012 - one call, chosen
        if call == "event":
            client.category_view("s", "c")
        else:
            client.sales_ranking()
    err = caught.value
    assert len(api.requests) == 1  # not retried, even for the GET
    assert err.status_code == answer.status_code
    assert err.request is not None and err.request.url == str(api.requests[0].url)
    assert "HTTP 200" in str(err)
    assert len(err.body_excerpt) <= 500


def test_an_html_answer_points_at_the_base_url():
    api = FakeAPI(BROKEN_BODIES["html page"])
    with make_client(api) as client, pytest.raises(ResponseFormatError) as caught:
        client.custom_shelf("s")
    assert "HTML" in str(caught.value) and "base URL" in str(caught.value)
    assert caught.value.body_excerpt.startswith("<!doctype html>")


def test_a_json_decoding_error_is_kept_as_the_cause():
    api = FakeAPI(BROKEN_BODIES["truncated json"])
    with make_client(api) as client, pytest.raises(ResponseFormatError) as caught:
        client.custom_shelf("s")
    assert isinstance(caught.value.__cause__, ValueError)


# --- status errors ---

STATUS_ERRORS = [
    (400, BadRequestError),
    (401, AuthenticationError),
    (403, PermissionDeniedError),
    (404, NotFoundError),
    (429, RateLimitError),
    (500, ServerError),
    (501, ServerError),
    (502, ServerError),
    (503, ServerError),
    (504, ServerError),
    (409, APIStatusError),
    (418, APIStatusError),
    (422, APIStatusError),
]


@pytest.mark.parametrize(("status", "error_class"), STATUS_ERRORS)
@pytest.mark.parametrize("call", ["event", "ranking"])
def test_each_status_raises_its_error(status, error_class, call):
    api = FakeAPI(httpx.Response(status, json={"message": f"problem {status}"}))
    with make_client(api, max_retries=0) as client, pytest.raises(APIStatusError) as caught:  # noqa: PT012 - one call, chosen
        if call == "event":
            client.category_view("s", "c")
        else:
            client.sales_ranking("c")
    err = caught.value
    assert type(err) is error_class
    assert err.status_code == status
    assert f"HTTP {status}" in str(err)
    assert err.body_excerpt == f'{{"message":"problem {status}"}}'
    assert err.request.url == str(api.requests[0].url)
    assert err.retry_after is None
    assert len(api.requests) == 1


def test_401_says_where_the_token_comes_from():
    api = FakeAPI(401)
    with make_client(api) as client, pytest.raises(AuthenticationError) as caught:
        client.custom_shelf("s")
    assert str(caught.value) == (
        "Fashion.AI rejected the app token (HTTP 401). Check FASHIONAI_APP_TOKEN or the token "
        "in .streamlit/secrets.toml; it may be expired."
    )


def test_400_shows_what_the_server_said():
    api = FakeAPI(httpx.Response(400, json={"message": "sessionId should not be empty"}))
    with make_client(api) as client, pytest.raises(BadRequestError) as caught:
        client.custom_shelf("s")
    assert "sessionId should not be empty" in str(caught.value)


def test_the_body_excerpt_is_short():
    api = FakeAPI(httpx.Response(500, text="x" * 10_000))
    with make_client(api) as client, pytest.raises(ServerError) as caught:
        client.custom_shelf("s")
    assert caught.value.body_excerpt == "x" * 500
    assert len(str(caught.value)) < 400


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_redirect_is_an_error_and_is_not_followed(status):
    moved = httpx.Response(status, headers={"Location": "https://new.catalog.test/api/v2/x"})
    api = FakeAPI(moved)  # following it would be a second, unexpected request
    with make_client(api) as client, pytest.raises(APIStatusError) as caught:
        client.sales_ranking()
    err = caught.value
    assert type(err) is APIStatusError
    assert err.status_code == status
    assert f"HTTP {status}" in str(err)
    assert "redirect" in str(err) and "base URL" in str(err)
    assert "https://new.catalog.test/api/v2/x" in str(err)
    assert len(api.requests) == 1


# --- retries: how many requests each failure costs ---

EVENT, RANKING = "event", "ranking"

RETRY_SCENARIOS = [
    # answers in order, call, max_retries, requests sent, error raised (None: success)
    # events: retried only when the server certainly did not record them
    ([httpx.ConnectError, 200], EVENT, 2, 2, None),
    ([httpx.ConnectError] * 3, EVENT, 2, 3, APIConnectionError),
    ([httpx.ConnectTimeout, httpx.ConnectTimeout, 200], EVENT, 2, 3, None),
    ([httpx.ConnectTimeout] * 3, EVENT, 2, 3, APITimeoutError),
    ([httpx.PoolTimeout, 200], EVENT, 2, 2, None),
    ([429, 429, 200], EVENT, 2, 3, None),
    ([429] * 3, EVENT, 2, 3, RateLimitError),
    ([503, 200], EVENT, 2, 2, None),
    ([503] * 3, EVENT, 2, 3, ServerError),
    ([429, 503, httpx.ConnectError, 200], EVENT, 3, 4, None),
    ([httpx.ReadTimeout], EVENT, 2, 1, APITimeoutError),
    ([httpx.WriteTimeout], EVENT, 2, 1, APITimeoutError),
    ([httpx.ReadError], EVENT, 2, 1, APIConnectionError),
    ([httpx.WriteError], EVENT, 2, 1, APIConnectionError),
    ([httpx.RemoteProtocolError], EVENT, 2, 1, APIConnectionError),
    ([500], EVENT, 2, 1, ServerError),
    ([502], EVENT, 2, 1, ServerError),
    ([504], EVENT, 2, 1, ServerError),
    ([429, 500], EVENT, 2, 2, ServerError),
    ([401], EVENT, 2, 1, AuthenticationError),
    ([httpx.ConnectError], EVENT, 0, 1, APIConnectionError),
    ([429], EVENT, 0, 1, RateLimitError),
    ([503], EVENT, 0, 1, ServerError),
    ([httpx.ConnectError, 429], EVENT, 1, 2, RateLimitError),
    # the sales ranking is an idempotent GET: also retried after 5xx and timeouts
    ([500, 502, 200], RANKING, 2, 3, None),
    ([504] * 3, RANKING, 2, 3, ServerError),
    ([503, 429, 200], RANKING, 2, 3, None),
    ([httpx.ReadTimeout, 200], RANKING, 2, 2, None),
    ([httpx.ReadError, httpx.RemoteProtocolError, 200], RANKING, 2, 3, None),
    ([httpx.ReadTimeout] * 3, RANKING, 2, 3, APITimeoutError),
    ([httpx.ConnectError] * 2, RANKING, 1, 2, APIConnectionError),
    ([501], RANKING, 2, 1, ServerError),
    ([400], RANKING, 2, 1, BadRequestError),
    ([404], RANKING, 2, 1, NotFoundError),
    ([httpx.ReadTimeout], RANKING, 0, 1, APITimeoutError),
    ([500], RANKING, 0, 1, ServerError),
]


def scenario_id(params):
    answers, call, max_retries, _sent, error = params
    names = [a if isinstance(a, int) else a.__name__ for a in answers]
    outcome = error.__name__ if error else "ok"
    return f"{call}-{'+'.join(map(str, names))}-max{max_retries}-{outcome}"


@pytest.mark.parametrize(
    ("answers", "call", "max_retries", "sent", "error"),
    RETRY_SCENARIOS,
    ids=[scenario_id(s) for s in RETRY_SCENARIOS],
)
def test_retry_policy(answers, call, max_retries, sent, error):
    api = FakeAPI(*answers)
    sleeps = []
    client = make_client(api, sleeps=sleeps, max_retries=max_retries)

    def run():
        return client.category_view("s", "c") if call == EVENT else client.sales_ranking()

    if error is None:
        assert run().attempts == sent
    else:
        with pytest.raises(FashionAIError) as caught:
            run()
        assert type(caught.value) is error
        assert caught.value.request is not None
        if isinstance(answers[-1], type):  # a transport failure: the httpx error is the cause
            assert isinstance(caught.value.__cause__, httpx.TransportError)
    assert len(api.requests) == sent
    assert len(sleeps) == sent - 1
    assert api.answers == answers[sent:]  # nothing beyond the expected requests was used


def test_retries_honour_retry_after_seconds_and_milliseconds():
    api = FakeAPI(
        httpx.Response(429, headers={"Retry-After": "3"}),
        httpx.Response(503, headers={"retry-after-ms": "1500"}),
        200,
    )
    sleeps = []
    with make_client(api, sleeps=sleeps) as client:
        assert client.custom_shelf("s").attempts == 3
    assert sleeps == [3.0, 1.5]


def test_retries_without_a_hint_back_off_exponentially_with_jitter():
    api = FakeAPI(429, 429, 200)
    sleeps = []
    with make_client(api, sleeps=sleeps) as client:
        client.custom_shelf("s")
    assert 0.375 <= sleeps[0] <= 0.5
    assert 0.75 <= sleeps[1] <= 1.0


@pytest.mark.parametrize(("status", "error_class"), [(429, RateLimitError), (503, ServerError)])
def test_a_retry_after_beyond_the_cap_raises_at_once(status, error_class):
    api = FakeAPI(httpx.Response(status, headers={"Retry-After": "120"}))
    with make_client(api) as client, pytest.raises(error_class) as caught:  # never_sleep
        client.custom_shelf("s")
    assert caught.value.retry_after == 120.0
    assert "120 s" in str(caught.value)
    assert len(api.requests) == 1


def test_exhausted_rate_limit_retries_report_the_last_retry_after():
    api = FakeAPI(
        httpx.Response(429, headers={"Retry-After": "1"}),
        httpx.Response(429, headers={"Retry-After": "2"}),
    )
    sleeps = []
    with make_client(api, sleeps=sleeps, max_retries=1) as client:
        with pytest.raises(RateLimitError) as caught:
            client.custom_shelf("s")
    assert caught.value.retry_after == 2.0
    assert sleeps == [1.0]
    assert "2 attempts" in str(caught.value)


def test_a_retried_event_sends_the_same_body_each_time():
    api = FakeAPI(httpx.ConnectError, 503, 200)
    with make_client(api, sleeps=[]) as client:
        client.product_view("s", "p", user_id="u")
    assert len({r.content for r in api.requests}) == 1
    assert len(api.bodies) == 3


def test_a_read_timeout_on_an_event_says_it_may_have_been_recorded():
    api = FakeAPI(httpx.ReadTimeout)
    with make_client(api) as client, pytest.raises(APITimeoutError) as caught:
        client.category_view("s", "c")
    assert "may already have been recorded" in str(caught.value)
    assert "10 s" in str(caught.value)


# --- the token never leaks ---


def failures():
    """One of each kind of failure, each with a body that echoes the token."""
    echo = {"error": f"invalid token {TOKEN}"}
    return [
        httpx.Response(400, json=echo),
        httpx.Response(401, json=echo),
        httpx.Response(418, json=echo),
        httpx.Response(429, json=echo, headers={"Retry-After": "99"}),
        httpx.Response(500, json=echo),
        httpx.Response(302, headers={"Location": "https://elsewhere.test/"}),
        httpx.Response(200, text=f"<html>{TOKEN}</html>"),
        httpx.Response(200, json={"products": [None], "echo": TOKEN}),
        httpx.ConnectError,
        httpx.ReadTimeout,
        httpx.RemoteProtocolError,
    ]


def assert_no_token(text: str):
    assert TOKEN not in text
    assert TOKEN[4:] not in text  # not even most of it


@pytest.mark.parametrize("answer", failures(), ids=lambda a: getattr(a, "__name__", None) or str(a))
def test_the_token_is_in_no_error(answer):
    api = FakeAPI(answer)
    with make_client(api, max_retries=0) as client, pytest.raises(FashionAIError) as caught:
        client.category_view("s", "c")
    err = caught.value
    assert_no_token(str(err))
    assert_no_token(repr(err))
    assert_no_token(repr(vars(err)))
    assert_no_token("".join(traceback.format_exception(err)))
    assert not any(isinstance(v, (httpx.Request, httpx.Response)) for v in vars(err).values())
    assert err.request is not None and err.request.json["sessionId"] == "s"


def test_the_token_is_in_no_repr_record_or_curl():
    api = FakeAPI(200, 200)
    client = make_client(api)
    event = client.category_view("s", "c", user_id=1)
    ranking = client.sales_ranking("Calças & Saias/1")
    for text in [repr(client), str(client), repr(event), str(event), repr(event.request),
                 event.request.to_curl(), ranking.request.to_curl()]:
        assert_no_token(text)
    assert "catalog.test/api/v1" in repr(client)


def test_to_curl_is_an_equivalent_shell_command():
    api = FakeAPI(200, 200)
    with make_client(api) as client:
        event = client.custom_shelf("it's", user_id=7).request
        ranking = client.sales_ranking("Calças & Saias/1").request
    assert event.to_curl() == (
        f"curl -X POST {RECOMMENDATION_URL} -H 'Content-Type: application/json' "
        "-H 'Accept: application/json' -H \"X-FashionAI-APP-Token: $FASHIONAI_APP_TOKEN\" "
        "--data '{\"userId\":\"7\",\"sessionId\":\"it'\"'\"'s\",\"eventType\":\"customShelf\","
        "\"data\":{\"id\":\"\"}}'"
    )
    assert ranking.to_curl() == (
        f"curl -X GET '{RANKING_URL}?categoryId=Cal%C3%A7as%20%26%20Saias%2F1' "
        "-H 'Content-Type: application/json' -H 'Accept: application/json' "
        "-H \"X-FashionAI-APP-Token: $FASHIONAI_APP_TOKEN\""
    )


def test_the_token_is_in_no_log_record_at_debug_level(caplog):
    caplog.set_level(logging.DEBUG)
    api = FakeAPI(200, 429, 200, 401, httpx.ReadTimeout)
    with make_client(api, sleeps=[]) as client:
        client.category_view("s", "c")
        client.sales_ranking()
        with pytest.raises(AuthenticationError):
            client.custom_shelf("s")
        with pytest.raises(APITimeoutError):
            client.custom_shelf("s")
    assert any(r.name == "httpx" for r in caplog.records)  # httpx did log at INFO
    assert any(r.name == "fashionai.api.client" for r in caplog.records)  # the retry was logged
    for record in caplog.records:
        assert_no_token(record.getMessage())
        assert_no_token(repr(record.args))
    assert_no_token(caplog.text)


def test_recommendation_and_request_record_are_frozen():
    api = FakeAPI(200)
    with make_client(api) as client:
        result = client.custom_shelf("s")
    assert isinstance(result, Recommendation)
    with pytest.raises(AttributeError):
        result.products = ()
    with pytest.raises(AttributeError):
        result.request.url = "https://elsewhere"


def test_a_request_record_says_what_was_asked():
    event = RequestRecord("POST", "http://x/api/v1/products/protected/recommendation",
                          {"userId": "90", "sessionId": "s1", "eventType": "productView", "data": {"id": 1163}},
                          "productView")
    assert event.asked() == ("productView", "s1", "90", "1163")
    shelf = RequestRecord("POST", "http://x", {"sessionId": "s1", "eventType": "customShelf", "data": {"id": ""}},
                          "customShelf")
    assert shelf.asked() == ("customShelf", "s1", None, "")
    ranking = RequestRecord("GET", "http://x/api/v1/products/protected/sales-ranking?categoryId=Cal%C3%A7as+%26+Saias")
    assert ranking.asked() == ("salesRanking", None, None, "Calças & Saias")
    assert RequestRecord("GET", "http://x/sales-ranking").asked() == ("salesRanking", None, None, None)
