"""A hostile API against FashionAIClient: bombs and endless answers, trickles, the token echoed back."""

from __future__ import annotations

import base64
import json
import socket
import threading
import time
import zlib
from urllib.parse import quote, quote_plus

import httpx
import pytest

from fashionai.api import _body, redaction
from fashionai.api._body import MAX_ANSWER_BYTES
from fashionai.api.client import FashionAIClient
from fashionai.api.errors import APITimeoutError, BadRequestError, ResponseFormatError

TOKEN = "tok/SECRET+a1b2 c3d4e5f6"  # a slash, a plus and a space: every escape has work to do
BASE = "https://catalog.test/api/v1"
MIB = 2**20


class Endless(httpx.SyncByteStream):
    """A body that never ends: `chunk` after `chunk`, counting what it produced (before compression)."""

    def __init__(self, gzip: bool) -> None:
        self.gzip, self.produced, self.closed = gzip, 0, False

    def __iter__(self):
        packer = zlib.compressobj(1, zlib.DEFLATED, 16 + zlib.MAX_WBITS) if self.gzip else None
        zeros = b"0" * MIB
        while True:
            self.produced += len(zeros)
            yield packer.compress(zeros) + packer.flush(zlib.Z_SYNC_FLUSH) if packer else zeros

    def close(self) -> None:
        self.closed = True


def client_over(handler, **kwargs) -> FashionAIClient:
    client = FashionAIClient(TOKEN, BASE, transport=httpx.MockTransport(handler), **kwargs)
    client._sleep = lambda seconds: None
    return client


# --------------------------------------------------------------------------- size limit


@pytest.mark.parametrize("gzip", [True, False], ids=["gzip bomb", "endless plain body"])
def test_an_answer_over_the_limit_fails_without_reading_it_all(gzip):
    body = Endless(gzip)
    headers = {"Content-Type": "application/json", **({"Content-Encoding": "gzip"} if gzip else {})}
    with client_over(lambda request: httpx.Response(200, headers=headers, stream=body)) as client:
        with pytest.raises(ResponseFormatError, match="larger than 128 MB") as caught:
            client.category_view("s1", "pants")
    assert caught.value.request.event_type == "categoryView"
    assert MAX_ANSWER_BYTES < body.produced <= MAX_ANSWER_BYTES + 2 * MIB  # stopped at the limit
    assert body.closed  # the stream was released, not left half read


def test_a_gzip_bomb_inflates_no_more_than_the_limit(monkeypatch):
    """The inflater never makes more than the room left: a 1,000:1 chunk does not blow past it."""
    monkeypatch.setattr(_body, "MAX_ANSWER_BYTES", 1000)
    inflated = []
    real = _body.Inflater.feed

    def feed(self, data, room):
        out = real(self, data, room)
        inflated.append(len(out))
        return out

    monkeypatch.setattr(_body.Inflater, "feed", feed)
    bomb = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    data = bomb.compress(b"[" * (50 * MIB)) + bomb.flush()  # 50 MB in about 50 KB
    headers = {"Content-Encoding": "gzip"}
    with client_over(lambda request: httpx.Response(200, headers=headers, stream=httpx.ByteStream(data))) as client:
        with pytest.raises(ResponseFormatError, match="larger than"):
            client.sales_ranking()
    assert sum(inflated) == 1001


def test_a_declared_length_over_the_limit_is_refused_before_reading(monkeypatch):
    monkeypatch.setattr(_body, "MAX_ANSWER_BYTES", 10)
    body = Endless(gzip=False)
    headers = {"Content-Length": "11"}
    with client_over(lambda request: httpx.Response(200, headers=headers, stream=body)) as client:
        with pytest.raises(ResponseFormatError, match="larger than"):
            client.sales_ranking()
    assert body.produced == 0


def test_an_answer_within_the_limit_compressed_or_not_is_read():
    payload = json.dumps({"products": [f"{i:07d}" for i in range(100_000)]}).encode()
    for encoding, data in (("gzip", zlib.compress(payload, wbits=16 + zlib.MAX_WBITS)),
                           ("deflate", zlib.compress(payload)), ("identity", payload)):
        headers = {"Content-Encoding": encoding}
        with client_over(lambda r, headers=headers, data=data: httpx.Response(200, headers=headers,
                                                                               stream=httpx.ByteStream(data))) as client:
            answer = client.sales_ranking()
        assert len(answer.products) == 100_000 and answer.products[-1] == "0099999", encoding


def test_a_compression_not_asked_for_is_refused():
    seen = []

    def handler(request):
        seen.append(request.headers["Accept-Encoding"])
        return httpx.Response(200, headers={"Content-Encoding": "br"}, stream=httpx.ByteStream(b"\x1b\x00"))

    with client_over(handler) as client:
        with pytest.raises(ResponseFormatError, match="could not be decoded"):
            client.sales_ranking()
    assert seen == ["gzip, deflate"]


# --------------------------------------------------------------------------- the deadline


class Trickle:
    """A loopback server that answers one byte every `pause` seconds, in the headers or the body."""

    def __init__(self, where: str, pause: float = 0.1, seconds: float = 30.0) -> None:
        self.where, self.pause, self.seconds = where, pause, seconds
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.stop = threading.Event()
        self.hung_up = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        connection, _ = self.listener.accept()
        with connection:
            connection.recv(65536)
            body = b'{"products": ["p1"]}' + b" " * 1000
            head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n" % len(body)
            if self.where == "headers":
                head += b"X-Padding: " + b"x" * 1000 + b"\r\n"
            else:
                connection.sendall(head + b"\r\n")
                head = b""
            data = head + b"\r\n" + body if head else body
            ends = time.monotonic() + self.seconds
            for byte in data:
                if self.stop.is_set() or time.monotonic() > ends:
                    break
                try:
                    connection.sendall(bytes([byte]))
                except OSError:  # the client hung up
                    self.hung_up.set()
                    break
                self.stop.wait(self.pause)

    def close(self) -> None:
        self.stop.set()
        self.listener.close()


@pytest.mark.parametrize("where", ["body", "headers"])
def test_a_trickling_answer_ends_at_the_deadline_and_the_connection_is_dropped(where, monkeypatch):
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    server = Trickle(where)
    try:
        client = FashionAIClient(TOKEN, f"http://127.0.0.1:{server.port}/api/v1", timeout=0.5, max_retries=2)
        client._sleep = lambda seconds: None
        started = time.monotonic()
        with client, pytest.raises(APITimeoutError, match=r"did not answer within 0\.5 s"):
            client.sales_ranking()
        assert time.monotonic() - started < 10  # not the 30 s the server would trickle for
        assert client._http._transport._pool.connections == []  # no connection kept past the deadline
        assert server.hung_up.wait(10)
    finally:
        server.close()


def test_retries_and_their_waits_stay_within_the_deadline():
    waits = []
    answers = iter([httpx.Response(503, headers={"Retry-After": "5"}), httpx.Response(200, json={"products": []})])
    client = FashionAIClient(TOKEN, BASE, timeout=2, transport=httpx.MockTransport(lambda r: next(answers)))
    client._sleep = waits.append
    with client, pytest.raises(Exception, match="HTTP 503"):
        client.sales_ranking()
    assert waits == []  # a 5 s wait does not fit in a 2 s call: the 503 is reported at once


# --------------------------------------------------------------------------- the token echoed back


def b64(text: str, urlsafe: bool = False, pad: bool = True) -> str:
    encoded = (base64.urlsafe_b64encode if urlsafe else base64.b64encode)(text.encode()).decode()
    return encoded if pad else encoded.rstrip("=")


FORMS = {
    "raw": TOKEN,
    "quote": quote(TOKEN),
    "quote, nothing safe": quote(TOKEN, safe=""),
    "quote, lowercase escapes": quote(TOKEN, safe="").replace("%2F", "%2f").replace("%2B", "%2b"),
    "quote_plus": quote_plus(TOKEN),
    "JSON \\u escapes": "".join(f"\\u{ord(c):04x}" for c in TOKEN),
    "JSON \\/": TOKEN.replace("/", "\\/"),
    "base64": b64(TOKEN),
    "base64 unpadded": b64(TOKEN, pad=False),
    "base64 URL-safe": b64(TOKEN, urlsafe=True),
    "base64 URL-safe unpadded": b64(TOKEN, urlsafe=True, pad=False),
    "base64 of the header": b64(f"X-FashionAI-APP-Token: {TOKEN}"),
    "base64 of a headers dump": b64(json.dumps({"headers": {"x-fashionai-app-token": TOKEN, "accept": "*/*"}})),
    "hex": TOKEN.encode().hex(),
}
DECODED = {name: form for name, form in FORMS.items() if not name.startswith("JSON")}


def leaks(text: str) -> list[str]:
    """The forms of the token in `text` (base64 forms by their part that only the token decides)."""
    found = [name for name, form in FORMS.items() if form in text]
    cores = redaction.base64_cores(TOKEN)
    return found + [f"base64 core {core}" for core in cores if core in text]


@pytest.mark.parametrize("name", FORMS)
def test_an_error_body_echoing_the_token_in_any_form_is_redacted(name):
    body = '{"error": "bad token ' + FORMS[name] + '", "echo": "' + FORMS[name] + '"}'
    with client_over(lambda r: httpx.Response(400, text=body)) as client:
        with pytest.raises(BadRequestError) as caught:
            client.category_view("s1", "pants")
    shown = f"{caught.value} {caught.value.body_excerpt}"
    assert leaks(shown) == []
    assert "[app token]" in caught.value.body_excerpt


@pytest.mark.parametrize("name", FORMS)
def test_a_successful_answer_echoing_the_token_in_any_form_is_redacted(name):
    escaped = '"' + FORMS[name] + '"' if name.startswith("JSON") else json.dumps(FORMS[name])
    text = ('{"products": ["p1", "p2"], "request": {"headers": {"X-FashionAI-APP-Token": ' + escaped + '}}, '
            + escaped + ': "as a key"}')
    exchanges = []
    with client_over(lambda r: httpx.Response(200, text=text), on_exchange=exchanges.append) as client:
        answer = client.category_view("s1", "pants")
    assert answer.products == ("p1", "p2")
    shown = json.dumps(answer.response_body, ensure_ascii=False)
    assert leaks(shown) == [] and leaks(repr(answer)) == []
    assert leaks(json.dumps(answer.response_body, ensure_ascii=True)) == []
    assert "[app token]" in shown
    assert exchanges[0].products == ("p1", "p2")


@pytest.mark.parametrize("name", ["raw", "quote", "base64", "base64 of the header", "hex"])
def test_an_answer_giving_the_token_as_a_product_id_is_refused(name):
    exchanges = []
    answer = httpx.Response(200, json={"products": ["p1", FORMS[name], "p3"]})
    with client_over(lambda r: answer, on_exchange=exchanges.append) as client:
        with pytest.raises(ResponseFormatError, match=r"product #2 is the app token") as caught:
            client.category_view("s1", "pants")
    assert leaks(f"{caught.value} {caught.value.body_excerpt}") == []
    assert exchanges[0].products == () and exchanges[0].error == "ResponseFormatError"  # the history keeps no id


def test_a_redirect_to_an_address_holding_the_token_is_redacted():
    response = httpx.Response(302, headers={"Location": f"https://x.test/login?t={quote(TOKEN, safe='')}"})
    with client_over(lambda r: response) as client:
        with pytest.raises(Exception, match="redirect") as caught:
            client.sales_ranking()
    assert leaks(str(caught.value)) == [] and "[app token]" in str(caught.value)


def test_ordinary_answers_are_left_alone():
    body = {"products": ["SKU-1", "a%20b", "c\\d", "dG9r"], "note": "50% off, size+1, C:\\path"}
    with client_over(lambda r: httpx.Response(200, json=body)) as client:
        answer = client.category_view("s1", "pants")
    assert answer.response_body == body and answer.products == ("SKU-1", "a%20b", "c\\d", "dG9r")
