"""client.search and client.detailed_search: local checks, URLs on the wire, shapes, retries, hostile answers."""

from __future__ import annotations

import json
import zlib
from decimal import Decimal

import httpx
import pytest

from fashionai.api import _body
from fashionai.api.client import FashionAIClient
from fashionai.api.errors import (
    APITimeoutError,
    AuthenticationError,
    ResponseFormatError,
    ServerError,
)
from fashionai.api.search import MAX_SEARCH_LIMIT, detailed_search_url
from fashionai.domain import EventType
from tests.fakeapi import ENCODED_ECHO, visible
from tests.token_forms import TOKEN as ECHOED
from tests.token_forms import found_forms

TOKEN = "tok-SEARCH-SECRET-5a6b7c8d"
BASE = "https://catalog.test/api/v1"
PAGE = {"totalItems": 47, "totalPages": 5, "currentPage": 1, "items": ["147748", "149250"]}
DETAILED = {"products": [{"productId": "147748", "sku": "VE-1", "name": "Vestido azul", "images": ["https://i/1.jpg"],
                          "price": 179.90, "salePrice": 159.9, "size": "M", "link": "https://store/p/147748"}]}


def client_over(handler, **kwargs) -> FashionAIClient:
    client = FashionAIClient(TOKEN, BASE, transport=httpx.MockTransport(handler), **kwargs)
    client._sleep = lambda seconds: None
    return client


def answering(payload, status=200, sent=None):
    def handler(request):
        if sent is not None:
            sent.append(request)
        return httpx.Response(status, content=payload if isinstance(payload, bytes) else json.dumps(payload).encode(),
                              headers={"Content-Type": "application/json"})
    return handler


def refuse_any(request):
    raise AssertionError(f"nothing should be sent, but {request.url} was")


# --------------------------------------------------------------------------- local checks


@pytest.mark.parametrize(("kwargs", "words"), [
    ({"query": ""}, "the search is blank"),
    ({"query": "   \t"}, "the search is blank"),
    ({"query": "x" * 501}, "at most 500"),
    ({"query": "vestido", "page": 0}, "page of results must be at least 1"),
    ({"query": "vestido", "page": -3}, "page of results must be at least 1"),
    ({"query": "vestido", "page": 1.5}, "page of results must be a whole number"),
    ({"query": "vestido", "page": True}, "page of results must be a whole number"),
    ({"query": "vestido", "limit": 0}, "results a page must be at least 1"),
    ({"query": "vestido", "limit": MAX_SEARCH_LIMIT + 1}, f"at most {MAX_SEARCH_LIMIT}"),
    ({"query": "vestido", "session_id": " "}, "session_id is blank"),
])
def test_a_search_that_cannot_be_sent_is_refused_in_words_before_sending(kwargs, words):
    kwargs = {"session_id": "s1", **kwargs}
    with client_over(refuse_any) as client, pytest.raises(ValueError, match=words):
        client.search(kwargs.pop("session_id"), kwargs.pop("query"), **kwargs)


@pytest.mark.parametrize(("query", "size", "words"), [
    ("", None, "the search is blank"),
    ("tênis", "x" * 41, "at most 40 characters"),
])
def test_a_detailed_search_that_cannot_be_sent_is_refused_before_sending(query, size, words):
    with client_over(refuse_any) as client, pytest.raises(ValueError, match=words):
        client.detailed_search("s1", query, size=size)


def test_a_query_of_the_wrong_kind_is_a_type_error():
    with client_over(refuse_any) as client, pytest.raises(TypeError, match="must be a text"):
        client.search("s1", None)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- on the wire (loopback)


def test_the_search_goes_url_encoded_with_the_session_and_user(fake_api):
    fake_api.products = [f"{n:06d}" for n in range(1, 48)]
    with FashionAIClient(TOKEN, fake_api.base_url) as client:
        answer = client.search("s1", "tênis & #azul 100%", user_id=90, page=2, limit=10)
    seen = fake_api.requests[-1]
    assert seen.method == "POST"
    assert seen.path == "/api/v1/products/protected/search?page=2&limit=10&query=t%C3%AAnis%20%26%20%23azul%20100%25"
    assert json.loads(seen.body) == {"userId": "90", "sessionId": "s1"}
    assert seen.headers["X-FashionAI-APP-Token"] == TOKEN
    assert answer.items == tuple(f"{n:06d}" for n in range(11, 21))
    assert (answer.total_items, answer.total_pages, answer.current_page) == (47, 5, 2)
    assert (answer.query, answer.page, answer.limit) == ("tênis & #azul 100%", 2, 10)
    assert answer.products == answer.items


def test_the_detailed_search_goes_below_v1_without_api_with_the_size(fake_api):
    with FashionAIClient(TOKEN, fake_api.base_url) as client:
        answer = client.detailed_search("s1", "tênis corrida", size="G G")
    seen = fake_api.requests[-1]
    assert seen.path == "/v1/products/protected/search/detailed?query=t%C3%AAnis%20corrida&size=G%20G"
    assert json.loads(seen.body) == {"userId": None, "sessionId": "s1"}
    assert [product.product_id for product in answer.products] == ["000001", "000002", "999999"]
    assert answer.products[0].price == Decimal("199.9") and not answer.empty_may_be_error
    assert answer.request.asked() == (EventType.DETAILED_SEARCH, "s1", None, "tênis corrida")


def test_a_detailed_search_without_a_size_sends_none(fake_api):
    with FashionAIClient(TOKEN, fake_api.base_url) as client:
        client.detailed_search("s1", "bolsa", size="  ")
    assert fake_api.requests[-1].path == "/v1/products/protected/search/detailed?query=bolsa"


@pytest.mark.parametrize(("base", "url"), [
    ("https://catalog.api.fashionai.dev/api/v1", "https://catalog.api.fashionai.dev/v1/products/protected/search/detailed"),
    ("http://127.0.0.1:8765/api/v1/", "http://127.0.0.1:8765/v1/products/protected/search/detailed"),
    ("https://proxy.example/fashionai/api/v2", "https://proxy.example/fashionai/v2/products/protected/search/detailed"),
    ("https://proxy.example/fai", "https://proxy.example/fai/products/protected/search/detailed"),
])
def test_the_detailed_search_address_drops_api_from_the_base(base, url):
    assert detailed_search_url(base, "a b", "42") == url + "?query=a%20b&size=42"


def test_an_empty_detailed_answer_says_it_may_be_an_error(fake_api):
    fake_api.mode = "empty"
    with FashionAIClient(TOKEN, fake_api.base_url) as client:
        detailed = client.detailed_search("s1", "vestido")
        page = client.search("s1", "vestido")
    assert detailed.products == () and detailed.empty_may_be_error
    assert page.items == () and page.empty and page.total_items == 0 and page.total_pages == 0


def test_the_request_record_and_curl_hold_the_query_never_the_token():
    with client_over(answering(PAGE)) as client:
        answer = client.search("s1", "vestido azul", user_id="u9")
    assert answer.request.asked() == (EventType.SEARCH, "s1", "u9", "vestido azul")
    curl = answer.request.to_curl()
    assert "query=vestido%20azul" in curl and "$FASHIONAI_APP_TOKEN" in curl
    assert TOKEN not in curl and TOKEN not in repr(answer)


def test_the_observer_gets_the_page_of_ids_with_the_query_as_the_item():
    seen = []
    with client_over(answering(PAGE), on_exchange=seen.append) as client:
        client.search("s1", "vestido")
    assert seen[0].products == ("147748", "149250") and seen[0].request.event_type == EventType.SEARCH


# --------------------------------------------------------------------------- shapes


def test_ids_sent_as_numbers_arrive_as_strings():
    with client_over(answering({**PAGE, "items": [147748, "149250"]})) as client:
        assert client.search("s1", "vestido").items == ("147748", "149250")
    body = {"products": [{**DETAILED["products"][0], "productId": 147748, "sku": 55}]}
    with client_over(answering(body)) as client:
        product = client.detailed_search("s1", "vestido").products[0]
    assert (product.product_id, product.sku) == ("147748", "55")


def test_money_is_exact():
    with client_over(answering(DETAILED)) as client:
        product = client.detailed_search("s1", "vestido").products[0]
    assert product.price == Decimal("179.9") and product.sale_price == Decimal("159.9")
    assert isinstance(product.price, Decimal) and product.images == ("https://i/1.jpg",)
    assert (product.name, product.size, product.link) == ("Vestido azul", "M", "https://store/p/147748")


@pytest.mark.parametrize(("change", "words"), [
    ({"totalPages": None}, 'no "totalPages"'),
    ("drop totalPages", 'no "totalPages"'),
    ({"totalPages": -1}, '"totalPages" is -1, less than 0'),
    ({"totalItems": -5}, '"totalItems" is -5, less than 0'),
    ({"currentPage": 0}, '"currentPage" is 0, less than 1'),
    ({"totalItems": "47"}, '"totalItems" is a JSON string, not a whole number'),
    ({"totalItems": 4.5}, '"totalItems" is 4.5, not a whole number'),
    ({"totalItems": 1}, '"totalItems" is 1, fewer than the 2 products on this page'),
    ({"totalPages": 0}, '"totalPages" is 0 while "totalItems" is 47'),
    ({"items": [1.5]}, "product #1 is a JSON number, not an id"),
    ({"items": ["1", None]}, "product #2 is a JSON null, not an id"),
    ({"items": ["  "]}, "product #1 is an empty id"),
    ({"items": "147748"}, '"items" is a JSON string, not a list of ids'),
    ({"items": [str(n) for n in range(10_000)]}, "the page holds 10,000 products, more than the 20 asked for"),
    ("drop items", 'the body has no "items" list'),
])
def test_a_search_answer_that_breaks_the_shape_is_refused_in_words(change, words):
    body = dict(PAGE)
    if isinstance(change, str):
        del body[change.split()[1]]
    else:
        body.update(change)
    with client_over(answering(body)) as client, pytest.raises(ResponseFormatError) as caught:
        client.search("s1", "vestido")
    assert words in str(caught.value) and str(caught.value).startswith("Fashion.AI answered HTTP 200, but")
    assert caught.value.request.event_type == EventType.SEARCH


def test_a_whole_number_written_with_a_point_is_read():
    with client_over(answering({**PAGE, "totalItems": 47.0})) as client:
        assert client.search("s1", "vestido").total_items == 47


@pytest.mark.parametrize(("product", "words"), [
    ({"price": "$159.90"}, 'the "price" of product #1 is the text "$159.90", not a number'),
    ({"salePrice": "159.90"}, 'the "salePrice" of product #1 is the text "159.90", not a number'),
    ({"price": -1}, 'the "price" of product #1 is negative'),
    ({"price": True}, 'the "price" of product #1 is a JSON boolean, not a number'),
    ({"productId": None}, 'product #1 has no "productId"'),
    ({"images": "https://i/1.jpg"}, 'the "images" of product #1 is not a list of addresses'),
    ({"link": 5}, 'the "link" of product #1 is a JSON number, not a text'),
])
def test_a_detailed_answer_that_breaks_the_shape_is_refused_in_words(product, words):
    body = {"products": [{**DETAILED["products"][0], **product}]}
    with client_over(answering(body)) as client, pytest.raises(ResponseFormatError) as caught:
        client.detailed_search("s1", "vestido")
    assert words in str(caught.value)


def test_a_price_written_as_the_docs_example_does_is_refused_saying_why():
    body = b'{"products": [{"productId": "1", "sku": "A", "name": "B", "images": [], "price": $159.90}]}'
    with client_over(answering(body)) as client, pytest.raises(ResponseFormatError) as caught:
        client.detailed_search("s1", "vestido")
    assert "a price is written with a currency sign (like $159.90), which is not JSON" in str(caught.value)


def test_a_not_a_number_price_is_refused():
    body = b'{"products": [{"productId": "1", "price": NaN}]}'
    with client_over(answering(body)) as client, pytest.raises(ResponseFormatError, match="not a finite number"):
        client.detailed_search("s1", "vestido")


def test_more_than_five_detailed_products_are_refused():
    body = {"products": [{**DETAILED["products"][0], "productId": str(n)} for n in range(10_000)]}
    with client_over(answering(body)) as client, pytest.raises(ResponseFormatError, match="more than the 5"):
        client.detailed_search("s1", "vestido")


def test_details_left_out_are_none():
    with client_over(answering({"products": [{"productId": "7"}]})) as client:
        product = client.detailed_search("s1", "vestido").products[0]
    assert (product.sku, product.name, product.images, product.price, product.sale_price, product.size,
            product.link) == ("", "", (), None, None, None, None)


# --------------------------------------------------------------------------- secrets, errors, retries, bodies


def test_an_answer_giving_the_token_as_an_id_is_refused_and_an_echoed_token_is_blanked():
    with client_over(answering({**PAGE, "items": ["1", TOKEN]})) as client, \
            pytest.raises(ResponseFormatError) as caught:
        client.search("s1", "vestido")
    assert TOKEN not in str(caught.value) and TOKEN not in caught.value.body_excerpt
    body = {"products": [{**DETAILED["products"][0], "name": f"Vestido {TOKEN}", "link": f"https://x/?t={TOKEN}"}]}
    with client_over(answering(body)) as client:
        answer = client.detailed_search("s1", "vestido")
    assert TOKEN not in repr(answer.products) and TOKEN not in json.dumps(answer.response_body)
    assert "[app token]" in answer.products[0].name


def test_errors_are_the_other_calls_errors():
    with client_over(answering({"error": "no"}, status=401)) as client, pytest.raises(AuthenticationError):
        client.search("s1", "vestido")
    with client_over(answering(b"<html>Login</html>")) as client, pytest.raises(ResponseFormatError, match="HTML"):
        client.detailed_search("s1", "vestido")


@pytest.mark.parametrize("call", ["search", "detailed_search"])
def test_a_search_is_retried_only_when_it_certainly_was_not_recorded(call):
    sent = []
    with client_over(answering({"error": "boom"}, status=500, sent=sent), max_retries=2) as client, \
            pytest.raises(ServerError):
        getattr(client, call)("s1", "vestido")
    assert len(sent) == 1  # a 500 may have recorded the search: never sent again
    answers = iter([httpx.Response(503), httpx.Response(200, json=PAGE if call == "search" else DETAILED)])
    sent.clear()

    def flaky(request):
        sent.append(request)
        return next(answers)

    with client_over(flaky, max_retries=2) as client:
        getattr(client, call)("s1", "vestido")
    assert len(sent) == 2  # a 503 was not recorded: sent again


def test_a_read_timeout_is_not_retried():
    sent = []

    def slow(request):
        sent.append(request)
        raise httpx.ReadTimeout("slow", request=request)

    with client_over(slow, max_retries=2) as client, pytest.raises(APITimeoutError):
        client.search("s1", "vestido")
    assert len(sent) == 1


@pytest.mark.parametrize("call", ["search", "detailed_search"])
def test_a_compressed_answer_is_read_and_an_endless_one_stopped_at_the_limit(call, monkeypatch):
    payload = json.dumps(PAGE if call == "search" else DETAILED).encode()
    packer = zlib.compressobj(6, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    gzipped = packer.compress(payload) + packer.flush()
    with client_over(lambda request: httpx.Response(200, headers={"Content-Encoding": "gzip"},
                                                    stream=httpx.ByteStream(gzipped))) as client:
        getattr(client, call)("s1", "vestido")
    monkeypatch.setattr(_body, "MAX_ANSWER_BYTES", 10_000)
    produced = []

    class Endless(httpx.SyncByteStream):
        def __iter__(self):
            while True:
                produced.append(1)
                yield b"[" * 1000

    with client_over(lambda request: httpx.Response(200, stream=Endless())) as client, \
            pytest.raises(ResponseFormatError, match="larger than"):
        getattr(client, call)("s1", "vestido")
    assert len(produced) <= 12


def test_a_token_echoed_in_every_form_a_browser_decodes_reaches_no_search_answer(fake_api):
    fake_api.mode = ENCODED_ECHO
    with FashionAIClient(ECHOED, fake_api.base_url) as client:
        page = client.search("s1", "vestido")
        detailed = client.detailed_search("s1", "vestido")
    for text in (repr(page), json.dumps(page.response_body), repr(detailed.products),
                 json.dumps(detailed.response_body, ensure_ascii=False)):
        shown = visible(text)
        assert not found_forms(text) and not found_forms(shown) and ECHOED[::-1] not in shown
    assert "[app token]" in detailed.products[0].name and page.items == ("000001", "000002", "999999")
