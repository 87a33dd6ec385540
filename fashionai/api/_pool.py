"""The client's connections to Fashion.AI (`fashionai.api.client`): one pool, and one attempt sent on it.

The pool is sized for every browser session of one app server at once, sends the token header on every
request, follows no redirect and keeps no cookie; each attempt is held to its call's deadline and its
answer read to its end (or to the size limit) before its connection goes back.
"""

from __future__ import annotations

import http.cookiejar
import time

import httpx

from fashionai.api._body import ACCEPTED_ENCODINGS, Answer, read_answer
from fashionai.api._deadline import bind_to_deadlines
from fashionai.api.models import TOKEN_HEADER

MAX_CONNECT_TIMEOUT = 5.0  # seconds; a dead host fails fast even with a long read timeout
CONCURRENT_SESSIONS = 20
"""Browser sessions at once that one app server is sized for. They all share one client
(the app holds it with st.cache_resource); tests/test_concurrency.py drives this many."""
POOL_LIMITS = httpx.Limits(max_connections=32, max_keepalive_connections=16)
"""Connections to Fashion.AI for all those sessions: one call in flight for each of them, plus
room for a comparison's lanes (up to 8 at once). A call beyond that waits for a free
connection, up to the client's timeout (httpx's pool timeout). Sixteen stay open between
calls, so steady traffic does not pay a TLS handshake a call."""


def open_pool(base_url: str, token: str, timeout: float, transport: httpx.BaseTransport | None) -> httpx.Client:
    """The connections a client (and its copies with another timeout or observer) calls through,
    every read and write of theirs bound to the call's deadline."""
    client = httpx.Client(
        base_url=base_url,
        headers={
            "Content-Type": "application/json",
            "Accept": "application/json",
            "Accept-Encoding": ", ".join(ACCEPTED_ENCODINGS),
            TOKEN_HEADER: token,
        },
        timeout=httpx.Timeout(timeout, connect=min(timeout, MAX_CONNECT_TIMEOUT)),
        follow_redirects=False,
        limits=POOL_LIMITS,
        # One client serves many shoppers: never carry a cookie from one call to the next.
        cookies=http.cookiejar.CookieJar(http.cookiejar.DefaultCookiePolicy(allowed_domains=[])),
        transport=transport,
    )
    bind_to_deadlines(client)
    return client


def send(pool: httpx.Client, request: httpx.Request, deadline: float) -> Answer:
    """One request, its answer read to its end (or to the limit) by the deadline; the connection
    is released (or dropped, when the answer was not read to its end) before this returns."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise httpx.ReadTimeout("the call's deadline passed before this attempt", request=request)
    request.extensions["timeout"] = httpx.Timeout(left, connect=min(left, MAX_CONNECT_TIMEOUT)).as_dict()
    response = pool.send(request, stream=True)
    try:
        return read_answer(response, deadline)
    finally:
        response.close()
