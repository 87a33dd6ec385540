"""The only code that speaks HTTP to Fashion.AI.

    with FashionAIClient(token) as client:
        recommendation = client.category_view("session-1", "pants")
        recommendation.products  # ("p3", "p1", ...), best first

Every personalization call is also a tracking event (it tells the AI that the session
saw the category or product), so the client retries an event only when the server
certainly did not record it; see `fashionai.api._retry`. One client is safe to share
between threads. The app token never appears in a repr, a log record, an error or a
`RequestRecord`.
"""

from __future__ import annotations

import contextvars
import copy
import http.cookiejar
import json
import logging
import math
import numbers
import random
import shlex
import time
import uuid
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

import httpcore
import httpx

from fashionai.api import _retry, redaction
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
from fashionai.domain import EventType

__all__ = ["DEFAULT_BASE_URL", "Exchange", "FashionAIClient", "Recommendation", "RequestRecord"]

DEFAULT_BASE_URL = "https://catalog.api.fashionai.dev/api/v1"
TOKEN_HEADER = "X-FashionAI-APP-Token"
RECOMMENDATION_PATH = "/products/protected/recommendation"
SALES_RANKING_PATH = "/products/protected/sales-ranking"

MAX_CONNECT_TIMEOUT = 5.0  # seconds; a dead host fails fast even with a long read timeout
BODY_EXCERPT_CHARS = 500  # how much of an unexpected answer an error keeps
MAX_ANSWER_BYTES = 128 * 2**20
"""The most of an answer the client reads (after decompression): 128 MiB. A 1,000,000-product
category is 1,000,000 ids; at 40 characters an id, quoted, with a comma and an indent, that is
about 50 MB, so this is generous for the largest real catalog. An answer over it (a gzip bomb, an
endless body) fails with ResponseFormatError, having inflated no more than this."""
MAX_ERROR_BODY_BYTES = 64 * 2**10
"""The most of an error answer read: its start is all an error message shows."""
ACCEPTED_ENCODINGS = ("gzip", "deflate")
"""The compressions the client asks for and inflates itself, a chunk at a time up to the limit."""
CONCURRENT_SESSIONS = 20
"""Browser sessions at once that one app server is sized for. They all share one client
(the app holds it with st.cache_resource); tests/test_concurrency.py drives this many."""
POOL_LIMITS = httpx.Limits(max_connections=32, max_keepalive_connections=16)
"""Connections to Fashion.AI for all those sessions: one call in flight for each of them, plus
room for a comparison's lanes (up to 8 at once). A call beyond that waits for a free
connection, up to the client's timeout (httpx's pool timeout). Sixteen stay open between
calls, so steady traffic does not pay a TLS handshake a call."""

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RequestRecord:
    """What was sent, without headers (so without the token)."""

    method: str
    url: str  # full, with the query
    json: dict[str, Any] | None = None  # the body sent, or None for a GET
    event_type: str | None = None  # categoryView, ...; None for the sales ranking

    def asked(self) -> tuple[str, str | None, str | None, str | None]:
        """What was asked: (event type, session id, user id, item id) as sent; the sales
        ranking as `EventType.SALES_RANKING`, its category as the item and no session or user."""
        if not self.event_type:
            category = parse_qs(urlsplit(self.url).query).get("categoryId", [None])[0]
            return EventType.SALES_RANKING, None, None, category
        body = self.json if isinstance(self.json, dict) else {}
        data = body.get("data") if isinstance(body.get("data"), dict) else {}
        return self.event_type, _text(body.get("sessionId")), _text(body.get("userId")), _text(data.get("id"))

    def to_curl(self) -> str:
        """An equivalent curl command that reads the token from $FASHIONAI_APP_TOKEN."""
        parts = [
            "curl",
            "-X",
            self.method,
            shlex.quote(self.url),
            "-H",
            shlex.quote("Content-Type: application/json"),
            "-H",
            shlex.quote("Accept: application/json"),
            "-H",
            f'"{TOKEN_HEADER}: $FASHIONAI_APP_TOKEN"',  # double quotes: the shell expands it
        ]
        if self.json is not None:
            body = json.dumps(self.json, ensure_ascii=False, separators=(",", ":"))
            parts += ["--data", shlex.quote(body)]
        return " ".join(parts)


def event_body(event_type: str, session_id: str | None, item_id: str, user_id: str | None = None) -> dict[str, Any]:
    """The JSON body of a recommendation call (an event), as the client sends it: ``userId`` only
    when there is a user. Rebuilding a saved answer's request uses the same rule."""
    body: dict[str, Any] = {}
    if user_id is not None:
        body["userId"] = user_id
    body.update(sessionId=session_id, eventType=event_type, data={"id": item_id})
    return body


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


@dataclass(frozen=True)
class Recommendation:
    """A successful answer: product ids ranked best first, and how they were obtained."""

    products: tuple[str, ...]
    request: RequestRecord
    status_code: int
    response_body: Any = field(repr=False)  # the parsed JSON, as received
    elapsed: float  # seconds for the whole call, retries and waits included
    attempts: int  # requests sent: 1 plus the retries
    exchange_id: str | None = field(default=None, compare=False)  # the Exchange observers were given


@dataclass(frozen=True)
class Exchange:
    """One finished call, success or failure, as the client's ``on_exchange`` observer sees it.

    What was sent and what came back, without headers (so without the token) and
    without the answer's body: just the ranked ids, or the error's class name.
    """

    id: str  # unique per call; a successful call's Recommendation.exchange_id
    request: RequestRecord
    status_code: int | None  # the last HTTP status received; None when no answer arrived
    products: tuple[str, ...]  # the ranked ids, best first; () on failure
    error: str | None  # the error's class name, e.g. "RateLimitError"; None on success
    elapsed: float  # seconds for the whole call, retries and waits included
    attempts: int  # requests sent: 1 plus the retries
    timestamp: datetime  # when the call finished (UTC)

    @property
    def ok(self) -> bool:
        return self.error is None


_deadline: contextvars.ContextVar[float | None] = contextvars.ContextVar("fashionai_deadline", default=None)
"""The time.monotonic() by which the call running in this thread must end (None: no call)."""


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

    httpx's read timeout bounds each read, not the answer: a server sending a byte every
    second never trips it. Every read here waits at most for what is left of the call, so a
    trickle (of the headers or the body) ends at the deadline and httpcore drops the connection.
    """

    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, _within(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, _within(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(self, ssl_context: Any, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        return _DeadlineStream(self._stream.start_tls(ssl_context, server_hostname,
                                                      _within(timeout, httpcore.ConnectTimeout)))

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class _DeadlineBackend(httpcore.NetworkBackend):
    """httpcore's network backend, with every connection a `_DeadlineStream`."""

    def __init__(self, backend: httpcore.NetworkBackend) -> None:
        self._backend = backend

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Any = None) -> httpcore.NetworkStream:
        return _DeadlineStream(self._backend.connect_tcp(
            host, port, _within(timeout, httpcore.ConnectTimeout), local_address, socket_options))

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Any = None) -> httpcore.NetworkStream:
        return _DeadlineStream(self._backend.connect_unix_socket(
            path, _within(timeout, httpcore.ConnectTimeout), socket_options))

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


def _bound_to_deadlines(http: httpx.Client) -> None:
    """Give the client's connection pools (direct, and through any proxy) the deadline backend.

    httpx does not take a network backend, so this sets httpcore's: before the first connection
    is made, every connection the pools make is a `_DeadlineStream`. A pool this does not know
    (a test's transport) is left alone; the body is still read against the deadline.
    """
    for transport in (http._transport, *http._mounts.values()):
        pool = getattr(transport, "_pool", None)
        backend = getattr(pool, "_network_backend", None)
        if backend is not None and not isinstance(backend, _DeadlineBackend):
            pool._network_backend = _DeadlineBackend(backend)


class _AnswerTooLarge(Exception):
    """The answer ran over the limit; nothing more of it was read."""


@dataclass(frozen=True)
class _Answer:
    """A response as read: status, headers and the (decompressed) body, no more than the limit."""

    status_code: int
    headers: httpx.Headers
    content: bytes
    charset: str | None = None

    @property
    def text(self) -> str:
        try:
            return self.content.decode(self.charset or "utf-8", errors="replace")
        except LookupError:  # an unknown charset
            return self.content.decode("utf-8", errors="replace")


class _Inflater:
    """gzip or deflate, inflated a chunk at a time to no more than the room left."""

    def __init__(self, encoding: str) -> None:
        self._deflate = encoding == "deflate"
        self._zlib = zlib.decompressobj(zlib.MAX_WBITS if self._deflate else 16 + zlib.MAX_WBITS)
        self._started = False

    def feed(self, data: bytes, room: int) -> bytes:
        try:
            out = self._zlib.decompress(data, room)
        except zlib.error:
            if not (self._deflate and not self._started):
                raise
            self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)  # deflate sent raw, without the zlib header
            out = self._zlib.decompress(data, room)
        self._started = True
        while self._zlib.unconsumed_tail and len(out) < room:
            out += self._zlib.decompress(self._zlib.unconsumed_tail, room - len(out))
        return out


def _read_answer(response: httpx.Response, deadline: float, limit: int, *, cut: bool) -> _Answer:
    """Read the streamed `response`'s body, inflating it, until the deadline and up to `limit` bytes.

    Over the limit: `cut` keeps the first `limit` bytes, else _AnswerTooLarge. Past the deadline:
    httpx.ReadTimeout. A compression not asked for or broken: httpx.DecodingError.
    """
    encoding = response.headers.get("content-encoding", "").strip().lower()
    if encoding in ("", "identity"):
        inflater = None
    elif encoding in ACCEPTED_ENCODINGS or encoding == "x-gzip":
        inflater = _Inflater("deflate" if encoding == "deflate" else "gzip")
    else:
        raise httpx.DecodingError(f"the answer is compressed as {encoding!r}, which the studio did not ask for",
                                  request=response.request)
    declared = response.headers.get("content-length", "")
    if not cut and inflater is None and declared.isdigit() and int(declared) > limit:
        raise _AnswerTooLarge
    parts, size = [], 0
    if response.is_stream_consumed:  # a transport that answered with the whole body in memory
        chunks = iter((response.content,))
        inflater = None  # httpx has inflated it
    else:
        chunks = response.iter_raw()
    for raw in chunks:
        if time.monotonic() > deadline:
            raise httpx.ReadTimeout("the call's deadline passed while the answer was arriving",
                                    request=response.request)
        room = limit - size + 1
        try:
            data = inflater.feed(raw, room) if inflater is not None else raw[:room]
        except zlib.error as err:
            raise httpx.DecodingError(f"the {encoding} compression is broken: {err}",
                                      request=response.request) from err
        size += len(data)
        parts.append(data)
        if size > limit:
            if not cut:
                raise _AnswerTooLarge
            break
    content = b"".join(parts)[:limit] if cut else b"".join(parts)
    return _Answer(response.status_code, response.headers, content, response.charset_encoding)


class FashionAIClient:
    """A client for Fashion.AI's personalization and sales-ranking endpoints."""

    def __init__(
        self,
        token: str,
        base_url: str = DEFAULT_BASE_URL,
        *,
        timeout: float = 10.0,
        max_retries: int = 2,
        transport: httpx.BaseTransport | None = None,
        on_exchange: Callable[[Exchange], None] | None = None,
    ) -> None:
        """on_exchange, if given, is called once per call (after any retries), success or
        failure, with an `Exchange`; it runs in the calling thread, and an exception it
        raises is logged (without the token) and never reaches the caller."""
        self._token = clean_token(token)
        self._redactor = redaction.Redactor((self._token,))
        self._on_exchange = on_exchange
        self._base_url = clean_base_url(base_url)
        self._timeout = _check_timeout(timeout)
        if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
            raise ValueError(f"max_retries must be an int >= 0, not {max_retries!r}")
        self._max_retries = max_retries
        self._sleep = time.sleep  # tests replace it, so that they never really wait
        self._owns_http = True
        self._http = httpx.Client(
            base_url=self._base_url,
            headers={
                "Content-Type": "application/json",
                "Accept": "application/json",
                "Accept-Encoding": ", ".join(ACCEPTED_ENCODINGS),
                TOKEN_HEADER: self._token,
            },
            timeout=httpx.Timeout(self._timeout, connect=min(self._timeout, MAX_CONNECT_TIMEOUT)),
            follow_redirects=False,
            limits=POOL_LIMITS,
            # One client serves many shoppers: never carry a cookie from one call to the next.
            cookies=http.cookiejar.CookieJar(http.cookiejar.DefaultCookiePolicy(allowed_domains=[])),
            transport=transport,
        )
        _bound_to_deadlines(self._http)

    def with_timeout(self, timeout: float) -> FashionAIClient:
        """This client with another timeout, sharing its connections, token, retries and observer
        (one browser session's choice on the Settings page). Closing it leaves the connections open."""
        timeout = _check_timeout(timeout)
        if timeout == self._timeout:
            return self
        other = copy.copy(self)
        other._timeout, other._owns_http = timeout, False
        return other

    @property
    def base_url(self) -> str:
        return self._base_url

    @property
    def timeout(self) -> float:
        return self._timeout

    @property
    def max_retries(self) -> int:
        return self._max_retries

    def __repr__(self) -> str:
        return (
            f"FashionAIClient(base_url={self._base_url!r}, timeout={self._timeout!r}, "
            f"max_retries={self._max_retries!r})"
        )

    def __enter__(self) -> FashionAIClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        if self._owns_http:
            self._http.close()

    # --- personalization events (each one is recorded by Fashion.AI) ---

    def category_view(
        self, session_id: str | int, category_id: str | int, *, user_id: str | int | None = None
    ) -> Recommendation:
        """All products of the category, ranked for this session and user."""
        session = _require_id(session_id, "session_id")
        return self._event(EventType.CATEGORY_VIEW, session, _require_id(category_id, "category_id"), user_id)

    def shop_the_look(
        self, session_id: str | int, product_id: str | int, *, user_id: str | int | None = None
    ) -> Recommendation:
        """Products that complete the look of this main piece (check stock before showing)."""
        session = _require_id(session_id, "session_id")
        return self._event(EventType.SHOP_THE_LOOK, session, _require_id(product_id, "product_id"), user_id)

    def product_view(
        self, session_id: str | int, product_id: str | int, *, user_id: str | int | None = None
    ) -> Recommendation:
        """Products similar to this one, ranked for this session and user."""
        session = _require_id(session_id, "session_id")
        return self._event(EventType.PRODUCT_VIEW, session, _require_id(product_id, "product_id"), user_id)

    def custom_shelf(self, session_id: str | int, *, user_id: str | int | None = None) -> Recommendation:
        """A personalized shelf built from the session's browsing."""
        return self._event(EventType.CUSTOM_SHELF, _require_id(session_id, "session_id"), "", user_id)

    # --- not personalized, not an event ---

    def sales_ranking(self, category_id: str | int | None = None) -> Recommendation:
        """Best sellers, most sold first; all categories when category_id is None."""
        path = SALES_RANKING_PATH
        if category_id is not None:
            path += "?categoryId=" + quote(_require_id(category_id, "category_id"), safe="")
        return self._call("GET", path, idempotent=True)

    # --- plumbing ---

    def _event(
        self, event_type: str, session_id: str, item_id: str, user_id: str | int | None
    ) -> Recommendation:
        body = event_body(event_type, session_id, item_id, _optional_id(user_id, "user_id"))
        return self._call(
            "POST", RECOMMENDATION_PATH, body=body, event_type=event_type, idempotent=False
        )

    def _call(
        self,
        method: str,
        path: str,
        *,
        body: dict[str, Any] | None = None,
        event_type: str | None = None,
        idempotent: bool,
    ) -> Recommendation:
        """Send, retrying what may be retried, all within one deadline: `timeout` seconds for every
        attempt, every wait between them and reading every answer to its end."""
        request = self._http.build_request(method, path, json=body)
        record = RequestRecord(method, str(request.url), body, event_type)
        exchange_id = uuid.uuid4().hex
        started = time.monotonic()
        deadline = started + self._timeout
        attempts = 0
        bound = _deadline.set(deadline)
        try:
            while True:
                attempts += 1
                can_retry = attempts <= self._max_retries
                try:
                    answer = self._attempt(request, deadline)
                except httpx.HTTPError as err:
                    if can_retry and _retry.should_retry_exception(err, idempotent=idempotent) and self._pause(
                        attempts, None, type(err).__name__, record, deadline
                    ):
                        continue
                    raise self._transport_error(err, record, attempts) from err
                except _AnswerTooLarge as err:
                    raise ResponseFormatError(
                        f"Fashion.AI answered, but the answer is larger than {MAX_ANSWER_BYTES // 2**20} MB, the "
                        "most the studio reads (a category of a million products takes well under half of "
                        "that), so it was not read further. Report it to Fashion.AI support.",
                        request=record,
                    ) from err

                if 200 <= answer.status_code < 300:
                    response_body, products = self._parse(answer, record)
                    recommendation = Recommendation(
                        products=products,
                        request=record,
                        status_code=answer.status_code,
                        response_body=response_body,
                        elapsed=time.monotonic() - started,
                        attempts=attempts,
                        exchange_id=exchange_id,
                    )
                    self._observe(exchange_id, record, started, attempts, recommendation)
                    return recommendation
                retry_after = _retry.parse_retry_after(answer.headers)
                if (
                    can_retry
                    and _retry.should_retry_status(answer.status_code, idempotent=idempotent)
                    and (retry_after is None or retry_after <= _retry.MAX_RETRY_AFTER)
                    and self._pause(attempts, retry_after, f"HTTP {answer.status_code}", record, deadline)
                ):
                    continue
                raise self._status_error(answer, record, retry_after, attempts)
        except Exception as err:  # tell the observer, then let the error go on unchanged
            self._observe(exchange_id, record, started, attempts, err)
            raise
        finally:
            _deadline.reset(bound)

    def _attempt(self, request: httpx.Request, deadline: float) -> _Answer:
        """One request, its answer read to its end (or to the limit) by the deadline; the connection
        is released (or dropped, when the answer was not read to its end) before this returns."""
        left = deadline - time.monotonic()
        if left <= 0:
            raise httpx.ReadTimeout("the call's deadline passed before this attempt", request=request)
        request.extensions["timeout"] = httpx.Timeout(left, connect=min(left, MAX_CONNECT_TIMEOUT)).as_dict()
        response = self._http.send(request, stream=True)
        try:
            if 200 <= response.status_code < 300:
                return _read_answer(response, deadline, MAX_ANSWER_BYTES, cut=False)
            try:
                return _read_answer(response, deadline, MAX_ERROR_BODY_BYTES, cut=True)
            except httpx.HTTPError:  # the error's status says enough without its body
                return _Answer(response.status_code, response.headers, b"")
        finally:
            response.close()

    def _observe(
        self,
        exchange_id: str,
        record: RequestRecord,
        started: float,
        attempts: int,
        outcome: Recommendation | Exception,
    ) -> None:
        """Hand the finished call to the on_exchange observer; its failure never reaches the caller."""
        if self._on_exchange is None:
            return
        failed = isinstance(outcome, Exception)
        exchange = Exchange(
            id=exchange_id,
            request=record,
            status_code=getattr(outcome, "status_code", None),
            products=() if failed else outcome.products,
            error=type(outcome).__name__ if failed else None,
            elapsed=outcome.elapsed if not failed else time.monotonic() - started,
            attempts=attempts,
            timestamp=datetime.now(timezone.utc),
        )
        try:
            self._on_exchange(exchange)
        except Exception as err:  # an observer (the history, say) must never break a call
            logger.warning(
                "The exchange observer failed for %s %s: %s: %s", record.method, record.url,
                type(err).__name__, _one_line(self._redactor.redact(str(err))),
            )

    def _pause(
        self, attempts: int, retry_after: float | None, why: str, record: RequestRecord, deadline: float
    ) -> bool:
        """Wait before the next attempt; False (no wait) when the wait would outlast the deadline."""
        delay = _retry.retry_delay(attempts - 1, retry_after, random.random())
        if time.monotonic() + delay >= deadline:
            return False
        logger.info(
            "Fashion.AI %s %s failed (%s); retrying in %.2f s", record.method, record.url, why, delay
        )
        self._sleep(delay)
        return True

    def _excerpt(self, answer: _Answer) -> str:
        """The start of the answer's body, with every form of the token blanked should a server echo it."""
        return self._redactor.redact(answer.text)[:BODY_EXCERPT_CHARS]

    def _status_error(
        self, response: _Answer, record: RequestRecord, retry_after: float | None, attempts: int
    ) -> APIStatusError:
        status = response.status_code
        excerpt = self._excerpt(response)
        detail = f": {_one_line(excerpt)}" if excerpt.strip() else ""
        wait = f"Wait {retry_after:g} s" if retry_after is not None else "Wait a minute"
        error_class: type[APIStatusError] = APIStatusError
        if 300 <= status < 400:
            location = response.headers.get("location")
            target = f" to {_one_line(self._redactor.redact(location))}" if location else ""
            message = (
                f"Fashion.AI answered with a redirect (HTTP {status}){target}, which the client "
                f"does not follow. The endpoint address is probably wrong: check the base URL "
                f"(it should look like {DEFAULT_BASE_URL})."
            )
        elif status == 400:
            error_class = BadRequestError
            message = (
                f"Fashion.AI rejected the request as invalid (HTTP 400){detail}. "
                "Check the session id and the ids sent."
            )
        elif status == 401:
            error_class = AuthenticationError
            message = (
                "Fashion.AI rejected the app token (HTTP 401). Check FASHIONAI_APP_TOKEN or "
                "the token in .streamlit/secrets.toml; it may be expired."
            )
        elif status == 403:
            error_class = PermissionDeniedError
            message = (
                "Fashion.AI refused access (HTTP 403): the app token is not allowed to use this "
                "endpoint. Check the token's permissions in the Fashion.AI dashboard or ask "
                "Fashion.AI support."
            )
        elif status == 404:
            error_class = NotFoundError
            message = (
                f"Fashion.AI found nothing at {record.url} (HTTP 404). Check the base URL "
                f"(it should look like {DEFAULT_BASE_URL}) and the id sent."
            )
        elif status == 429:
            error_class = RateLimitError
            message = (
                f"Fashion.AI is limiting how often this app may call it (HTTP 429). "
                f"{wait} and try again."
            )
        elif 500 <= status < 600:
            error_class = ServerError
            advice = f"{wait} and try again" if retry_after is not None else "Try again in a moment"
            message = (
                f"Fashion.AI had a server error (HTTP {status}). {advice}; if it keeps "
                "happening, contact Fashion.AI support."
            )
        else:
            message = (
                f"Fashion.AI answered with an unexpected HTTP {status}{detail}. Check the "
                "request and the base URL; if it keeps happening, contact Fashion.AI support."
            )
        return error_class(
            message + _gave_up(attempts),
            status_code=status,
            body_excerpt=excerpt,
            retry_after=retry_after,
            request=record,
        )

    def _parse(self, response: _Answer, record: RequestRecord) -> tuple[Any, tuple[str, ...]]:
        """The parsed body (every form of the token blanked) and its product ids, or ResponseFormatError."""
        status = response.status_code

        def bad(problem: str, advice: str = "Report it to Fashion.AI support.") -> ResponseFormatError:
            return ResponseFormatError(
                f"Fashion.AI answered HTTP {status}, but {problem}. {advice}",
                status_code=status,
                body_excerpt=self._excerpt(response),
                request=record,
            )

        try:
            body = json.loads(response.content)
        except (ValueError, RecursionError) as err:
            content_type = response.headers.get("content-type", "")
            if "html" in content_type or response.text.lstrip().startswith("<"):
                raise bad(
                    "with a web page (HTML) instead of JSON",
                    "The base URL probably points at a website, not the API: check it.",
                ) from err
            if not response.content.strip():
                raise bad("the body is empty instead of JSON") from err
            raise bad(
                "the body is not valid JSON (it may have been cut off)",
                "Try again; if it keeps happening, report it to Fashion.AI support.",
            ) from err

        if not isinstance(body, dict):
            raise bad(f'the body is a JSON {_json_type(body)}, not an object with "products"')
        if "products" not in body:
            raise bad('the body has no "products" list')
        products = body["products"]
        if not isinstance(products, list):
            raise bad(f'"products" is a JSON {_json_type(products)}, not a list of ids')
        ids = []
        for position, item in enumerate(products, start=1):
            if isinstance(item, bool) or not isinstance(item, (str, int)):
                raise bad(f"product #{position} is a JSON {_json_type(item)}, not an id")
            text = str(item)
            if not text.strip():
                raise bad(f"product #{position} is an empty id")
            ids.append(text)
        if self._redactor.holds("\n".join(ids)):  # a server that echoes the token as an id: show none of it
            position = next(n for n, text in enumerate(ids, start=1) if self._redactor.holds(text))
            raise bad(
                f"product #{position} is the app token (or holds it), which an answer must never echo; "
                "the answer was not used, so the token is shown and saved nowhere"
            )
        return self._redactor.redact_json(body), tuple(ids)

    def _transport_error(self, err: httpx.HTTPError, record: RequestRecord, attempts: int) -> FashionAIError:
        error = _transport_error(err, record, attempts, self._timeout)
        message = self._redactor.redact(error.message)
        if message != error.message:
            error.args, error.message = (message,), message
        return error


def _transport_error(
    err: httpx.HTTPError, record: RequestRecord, attempts: int, timeout: float
) -> FashionAIError:
    """Our error for an httpx failure that produced no answer."""
    host = urlsplit(record.url).netloc
    detail = f" ({err})" if str(err) else ""
    maybe_recorded = (
        " The event may already have been recorded, so it was not sent again."
        if record.event_type and not isinstance(err, _retry.NOT_SENT_ERRORS)
        else ""
    )
    if isinstance(err, httpx.ConnectTimeout):
        error_class, message = APITimeoutError, (
            f"Timed out connecting to Fashion.AI at {host}. Check the network connection and "
            "the base URL, then try again."
        )
    elif isinstance(err, httpx.PoolTimeout):
        error_class, message = APITimeoutError, (
            f"Every connection to Fashion.AI stayed busy for {timeout:g} s: too many calls "
            "at once. Try again in a moment."
        )
    elif isinstance(err, httpx.TimeoutException):
        error_class, message = APITimeoutError, (
            f"Fashion.AI did not answer within {timeout:g} s. The API may be slow or down; "
            f"try again later or raise the timeout on the Settings page.{maybe_recorded}"
        )
    elif isinstance(err, httpx.ConnectError):
        error_class, message = APIConnectionError, (
            f"Could not connect to Fashion.AI at {host}{detail}. Check the network "
            "connection and the base URL."
        )
    elif isinstance(err, httpx.DecodingError):
        return ResponseFormatError(
            f"Fashion.AI's answer could not be decoded{detail}. Try again; if it keeps "
            "happening, report it to Fashion.AI support.",
            request=record,
        )
    else:
        error_class, message = APIConnectionError, (
            f"The connection to Fashion.AI failed before an answer arrived{detail}. Try "
            f"again; if it keeps happening, check the network and the base URL.{maybe_recorded}"
        )
    return error_class(message + _gave_up(attempts), request=record)


def _gave_up(attempts: int) -> str:
    return f" Gave up after {attempts} attempts." if attempts > 1 else ""


def _one_line(text: str, limit: int = 200) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _optional_id(value: object, name: str) -> str | None:
    """An id as sent on the wire: ints become strings; None or blank becomes None."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, numbers.Integral)):
        raise TypeError(f"{name} must be a str or an int, not {type(value).__name__}")
    text = str(int(value)) if isinstance(value, numbers.Integral) else str(value)
    return text if text.strip() else None


def _check_timeout(timeout: object) -> float:
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not (
        math.isfinite(timeout) and timeout > 0
    ):
        raise ValueError(f"timeout must be a positive number of seconds, not {timeout!r}")
    return float(timeout)


def _require_id(value: object, name: str) -> str:
    text = _optional_id(value, name)
    if text is None:
        raise ValueError(f"{name} is blank; Fashion.AI needs one for this call")
    return text


def clean_token(token: object) -> str:
    """The token as sent (stripped), or ValueError saying in plain words what is wrong with it."""
    if token is not None and not isinstance(token, str):
        raise TypeError(f"the app token must be a str, not {type(token).__name__}")
    cleaned = (token or "").strip()
    if not cleaned:
        raise ValueError(
            "no app token: set FASHIONAI_APP_TOKEN or the token in .streamlit/secrets.toml"
        )
    if not (cleaned.isascii() and cleaned.isprintable()):
        raise ValueError(
            "the app token has characters that cannot be sent in an HTTP header; copy it "
            "again from the Fashion.AI dashboard"
        )
    return cleaned


def clean_base_url(base_url: object) -> str:
    """The base URL as used (no trailing slash), or ValueError saying what is wrong with it."""
    url = str(base_url).strip().rstrip("/")
    parts = urlsplit(url)
    if "@" in parts.netloc:  # checked first: the message below repeats the URL
        raise ValueError("the Fashion.AI base URL must not contain a user name or password")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(
            f"the Fashion.AI base URL must be an http(s) address like {DEFAULT_BASE_URL}, "
            f"not {base_url!r}"
        )
    return url
