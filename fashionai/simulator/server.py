"""Serve a Simulator over loopback HTTP with the standard library.

The base URL is ``http://HOST:PORT/api/v1``. Request lines are logged to stderr
only when verbose, a profile's e-mail, phone or document masked; headers (which carry
the token) never are.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from fashionai.simulator.engine import ConnectionDropped, Simulator
from fashionai.simulator.wire import mask_personal_paths

API_PREFIX = "/api/v1"
DEFAULT_PORT = 8765
"""The port ``python -m fashionai simulate`` serves on unless told otherwise."""
LISTEN_BACKLOG = 128
"""Connections the OS may queue before the server accepts them. The standard library's 5 is
too few for one app server's sessions calling at once (tests/test_concurrency.py): the
overflow is reset, and a reset tracking event is not retried."""


class SimulatorHTTPServer(ThreadingHTTPServer):
    """A thread per connection, daemon threads, and a listen backlog for many sessions."""

    daemon_threads = True
    request_queue_size = LISTEN_BACKLOG


def _handler_for(simulator: Simulator, verbose: bool) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "FashionAISimulator/1"

        def _answer(self) -> None:
            url = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            try:
                answer = simulator.handle(
                    self.command, url.path, parse_qs(url.query, keep_blank_values=True), self.headers, body
                )
            except ConnectionDropped:
                self.close_connection = True  # hang up without a word
                return
            self.send_response(answer.status)
            for name, value in answer.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(answer.body)))
            self.end_headers()
            self.wfile.write(answer.body)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _answer

        def log_message(self, format: str, *args: object) -> None:
            if verbose:  # a profile's e-mail, phone or document is masked out of the request line
                super().log_message(format, *(mask_personal_paths(a) if isinstance(a, str) else a for a in args))

    return Handler


def make_server(
    simulator: Simulator, host: str = "127.0.0.1", port: int = DEFAULT_PORT, *, verbose: bool = False
) -> ThreadingHTTPServer:
    """A bound, not yet serving, server (port 0 picks a free port)."""
    return SimulatorHTTPServer((host, port), _handler_for(simulator, verbose))


def base_url(server: ThreadingHTTPServer) -> str:
    host, port = server.server_address[:2]
    return f"http://{host!s}:{port}{API_PREFIX}"


def start_server(
    simulator: Simulator, host: str = "127.0.0.1", port: int = 0, *, verbose: bool = False
) -> tuple[ThreadingHTTPServer, threading.Thread, str]:
    """Serve in a daemon thread; stop with ``server.shutdown(); server.server_close()``."""
    server = make_server(simulator, host, port, verbose=verbose)
    thread = threading.Thread(target=server.serve_forever, name="fashionai-simulator", daemon=True)
    thread.start()
    return server, thread, base_url(server)


def serve(
    simulator: Simulator,
    host: str = "127.0.0.1",
    port: int = DEFAULT_PORT,
    *,
    verbose: bool = False,
    on_ready: Callable[[str], None] | None = None,
) -> None:
    """Serve until interrupted; `on_ready` gets the base URL once the port is bound."""
    with make_server(simulator, host, port, verbose=verbose) as server:
        if on_ready is not None:
            on_ready(base_url(server))
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
