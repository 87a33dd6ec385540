"""FashionAIClient against a real socket on 127.0.0.1: refusals, read timeouts, logs."""

import json
import logging
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from fashionai.api.client import FashionAIClient
from fashionai.api.errors import APIConnectionError, APITimeoutError, AuthenticationError

TOKEN = "tok-LOOPBACK-SECRET-9f8e7d6c"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        self._answer()

    def do_POST(self):
        self._answer()

    def _answer(self):
        server = self.server
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        with server.lock:
            server.received.append((self.command, self.path, dict(self.headers), body))
            server.lock.notify_all()
        if server.mode == "slow":
            server.release.wait(10)  # longer than the client's timeout; released at teardown
        status, payload = (401, {"error": "bad token"}) if server.mode == "401" else (
            200,
            {"products": ["p1", "p2"]},
        )
        data = json.dumps(payload).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except OSError:  # the client gave up waiting and closed the connection
            pass

    def log_message(self, format, *args):  # keep the test output quiet
        pass


@pytest.fixture
def server(monkeypatch):
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.received, httpd.lock, httpd.mode = [], threading.Condition(), "ok"
    httpd.release = threading.Event()
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield httpd
    httpd.release.set()
    httpd.shutdown()
    httpd.server_close()
    thread.join(5)


def client_for(port: int, *, sleeps: list, **kwargs) -> FashionAIClient:
    client = FashionAIClient(TOKEN, f"http://127.0.0.1:{port}/api/v1/", **kwargs)
    client._sleep = sleeps.append
    return client


SLOW_TIMEOUT = 1.0
"""The client's deadline against the server that never answers: long enough that the request is sent
and read under a loaded machine (0.2 s raced the server's accept under parallel tests)."""


def received_once_sent(server, count: int) -> list:
    """The requests the server recorded, once `count` of them have arrived (the client may give up
    before the server's thread has read what it sent); waits on the server, never on a clock's guess."""
    with server.lock:
        server.lock.wait_for(lambda: len(server.received) >= count, timeout=30)
        return list(server.received)


def closed_port() -> int:
    """A port that nothing listens on: bound, then released."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_real_exchange_sends_the_token_header_only(server):
    with client_for(server.server_port, sleeps=[]) as client:
        result = client.category_view("s1", "pants", user_id=5)
    assert result.products == ("p1", "p2")
    [(method, path, headers, body)] = server.received
    assert (method, path) == ("POST", "/api/v1/products/protected/recommendation")
    assert headers["X-FashionAI-APP-Token"] == TOKEN
    assert "Authorization" not in headers
    assert json.loads(body) == {
        "userId": "5",
        "sessionId": "s1",
        "eventType": "categoryView",
        "data": {"id": "pants"},
    }


def test_a_refused_connection_is_retried_then_raised():
    sleeps = []
    with client_for(closed_port(), sleeps=sleeps, max_retries=2) as client:
        with pytest.raises(APIConnectionError) as caught:
            client.category_view("s1", "pants")
    assert type(caught.value) is APIConnectionError  # refused, not a timeout
    assert len(sleeps) == 2  # nothing was sent, so both retries were used
    assert "3 attempts" in str(caught.value)
    assert caught.value.request.event_type == "categoryView"


def test_a_read_timeout_sends_the_event_exactly_once(server):
    server.mode = "slow"
    sleeps = []
    with client_for(server.server_port, sleeps=sleeps, timeout=SLOW_TIMEOUT, max_retries=2) as client:
        with pytest.raises(APITimeoutError):
            client.category_view("s1", "pants")
    assert len(received_once_sent(server, 1)) == 1
    assert sleeps == []


def test_a_read_timeout_on_the_sales_ranking_is_not_retried_past_the_deadline(server):
    """The timeout is a deadline for the whole call: an attempt that waited it out leaves no time to retry."""
    server.mode = "slow"
    sleeps = []
    with client_for(server.server_port, sleeps=sleeps, timeout=SLOW_TIMEOUT, max_retries=1) as client:
        with pytest.raises(APITimeoutError):
            client.sales_ranking("c1")
    assert [(m, p) for m, p, _, _ in received_once_sent(server, 1)] == [
        ("GET", "/api/v1/products/protected/sales-ranking?categoryId=c1")
    ]
    assert sleeps == []


def test_the_token_is_in_no_log_record_over_a_real_socket(server, caplog):
    caplog.set_level(logging.DEBUG)
    with client_for(server.server_port, sleeps=[], timeout=SLOW_TIMEOUT) as client:
        client.category_view("s1", "pants")
        client.sales_ranking()
        server.mode = "401"
        with pytest.raises(AuthenticationError):
            client.custom_shelf("s1")
        server.mode = "slow"
        with pytest.raises(APITimeoutError):
            client.custom_shelf("s1")
    assert all(headers["X-FashionAI-APP-Token"] == TOKEN for _, _, headers, _ in server.received)
    assert any(r.name.startswith("httpcore") for r in caplog.records)  # its DEBUG trace ran
    for record in caplog.records:
        assert TOKEN not in record.getMessage()
        assert TOKEN not in repr(record.args)
    assert TOKEN not in caplog.text
