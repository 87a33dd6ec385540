"""The whole-call deadline, down to every read and write of the connection.

    bind_to_deadlines(http)      # once, when the httpx.Client is built
    with call_deadline(when):    # around one call, its retries and waits
        ...                      # every read, write, connect and TLS handshake ends by `when`

Why this reaches into httpx and httpcore: httpx's read timeout bounds each read, not the
answer, so a server sending a byte every second never trips it; and httpx takes no network
backend. So `bind_to_deadlines` swaps httpcore's network backend inside the client's
connection pools (httpx's private ``_transport``, ``_mounts`` and ``_pool``, httpcore's
private ``_network_backend``) for one whose every connection waits at most for what is left
of the call. This is the only code that touches those private names; a pool it does not
recognise (a test's transport) is left alone, and the body is still read against the
deadline (`fashionai.api._body`). tests/test_client_hostile.py trickles an answer over a real
socket to hold it to this.
"""

from __future__ import annotations

import contextlib
import contextvars
import ssl
import time
from collections.abc import Iterator
from typing import Any

import httpcore
import httpx

__all__ = ["bind_to_deadlines", "call_deadline"]

_deadline: contextvars.ContextVar[float | None] = contextvars.ContextVar("fashionai_deadline", default=None)
"""The time.monotonic() by which the call running in this thread must end (None: no call)."""


@contextlib.contextmanager
def call_deadline(deadline: float) -> Iterator[None]:
    """Every connection used in this thread (and context) ends its reads and writes by `deadline`."""
    bound = _deadline.set(deadline)
    try:
        yield
    finally:
        _deadline.reset(bound)


def _within(timeout: float | None, error: type[Exception]) -> float | None:
    """`timeout` shortened to what is left of the call's deadline; `error` once it has passed."""
    deadline = _deadline.get()
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise error("the call's deadline passed")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    """A connection whose every read and write ends by the call's deadline.

    Every read here waits at most for what is left of the call, so a trickle (of the headers
    or the body) ends at the deadline and httpcore drops the connection.
    """

    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, _within(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, _within(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        return _DeadlineStream(self._stream.start_tls(ssl_context, server_hostname,
                                                      _within(timeout, httpcore.ConnectTimeout)))

    def get_extra_info(self, info: str) -> object:
        return self._stream.get_extra_info(info)


class _DeadlineBackend(httpcore.NetworkBackend):
    """httpcore's network backend, with every connection a `_DeadlineStream`."""

    def __init__(self, backend: httpcore.NetworkBackend) -> None:
        self._backend = backend

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Any = None) -> httpcore.NetworkStream:  # Any: httpcore's SOCKET_OPTION (private)
        return _DeadlineStream(self._backend.connect_tcp(
            host, port, _within(timeout, httpcore.ConnectTimeout), local_address, socket_options))

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Any = None) -> httpcore.NetworkStream:  # Any: as above
        return _DeadlineStream(self._backend.connect_unix_socket(
            path, _within(timeout, httpcore.ConnectTimeout), socket_options))

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


def bind_to_deadlines(http: httpx.Client) -> None:
    """Give the client's connection pools (direct, and through any proxy) the deadline backend.

    Call it before the first connection is made: from then on every connection the pools make
    is a `_DeadlineStream`. A pool this does not know (a test's transport) is left alone.
    """
    for transport in (http._transport, *http._mounts.values()):
        pool = getattr(transport, "_pool", None)
        backend = getattr(pool, "_network_backend", None)
        if pool is not None and backend is not None and not isinstance(backend, _DeadlineBackend):
            pool._network_backend = _DeadlineBackend(backend)
