"""A misbehaving stand-in for the live API on loopback, for page tests of the live mode.

``FakeAPI.mode`` says how the next requests are answered; every request is kept in
``FakeAPI.requests`` (method, path, headers, body) so tests can count what was sent.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MODES = {
    "ok": (200, {"products": ["000001", "000002", "999999"]}),
    "empty": (200, {"products": []}),
    "400": (400, {"error": "bad request"}),
    "401": (401, {"error": "invalid or expired token"}),
    "403": (403, {"error": "forbidden"}),
    "404": (404, {"error": "not found"}),
    "429": (429, {"error": "slow down"}),
    "500": (500, {"error": "boom"}),
    "502": (502, {"error": "bad gateway"}),
    "503": (503, {"error": "unavailable"}),
}


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class FakeAPI:
    server: ThreadingHTTPServer
    mode: str = "ok"
    products: list[str] | None = None
    requests: list[Seen] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/api/v1"


def start_fake_api() -> FakeAPI:
    holder: dict[str, FakeAPI] = {}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):  # quiet
            pass

        def _answer(self) -> None:
            api = holder["api"]
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            api.requests.append(Seen(self.command, self.path, dict(self.headers), body))
            mode = api.mode
            if mode == "drop":
                self.close_connection = True
                self.connection.close()
                return
            if mode == "slow":
                api.release.wait(5)
            if mode == "html":
                self._send(200, b"<html><body>Login</body></html>", "text/html")
                return
            if mode == "badjson":
                self._send(200, b'{"products": ["1", ', "application/json")
                return
            if mode == "redirect":
                self._send(302, b"", "text/plain", {"Location": "https://example.invalid/login"})
                return
            status, payload = MODES.get(mode, MODES["ok"])
            if mode == "ok" and api.products is not None:
                payload = {"products": api.products}
            headers = {"Retry-After": "1"} if status == 429 else {}
            self._send(status, json.dumps(payload).encode(), "application/json", headers)

        def _send(self, status, body, ctype, headers=None):
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = _answer

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    api = FakeAPI(server)
    holder["api"] = api
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return api


def stop_fake_api(api: FakeAPI) -> None:
    api.release.set()
    api.server.shutdown()
    api.server.server_close()
    time.sleep(0)  # let handler threads see the release
