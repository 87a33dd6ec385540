"""The only code that speaks HTTP to Fashion.AI.

    with FashionAIClient(token) as client:
        recommendation = client.category_view("session-1", "pants")
        recommendation.products  # ("p3", "p1", ...), best first

Every personalization call is also a tracking event (it tells the AI that the session
saw the category or product), so the client retries an event only when the server
certainly did not record it; see `fashionai.api._retry`. One client is safe to share
between threads. The app token never appears in a repr, a log record, an error or a
`RequestRecord`.

The client holds the calls and their retry loop; its helpers, each private to the package:
`_body` reads and parses an answer, `_deadline` holds every read and write to the call's
deadline, `_status` says which error (and message) a failure raises, `_retry` which
failures are retried. What a call sends and returns is in `fashionai.api.models`.
"""

from __future__ import annotations

import copy
import http.cookiejar
import logging
import math
import numbers
import random
import time
import uuid
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any
from urllib.parse import quote, urlsplit

import httpx

from fashionai.api import redaction
from fashionai.api._body import ACCEPTED_ENCODINGS, Answer, AnswerTooLarge, parse_products, read_answer
from fashionai.api._deadline import bind_to_deadlines, call_deadline
from fashionai.api._retry import (
    MAX_RETRY_AFTER,
    parse_retry_after,
    retry_delay,
    should_retry_exception,
    should_retry_status,
)
from fashionai.api._status import one_line, status_error, too_large_error, transport_error
from fashionai.api.models import (
    DEFAULT_BASE_URL,
    RECOMMENDATION_PATH,
    SALES_RANKING_PATH,
    TOKEN_HEADER,
    Exchange,
    Recommendation,
    RequestRecord,
    event_body,
)
from fashionai.domain import EventType

__all__ = [
    "DEFAULT_BASE_URL",
    "Exchange",
    "FashionAIClient",
    "Recommendation",
    "RequestRecord",
    "clean_base_url",
    "clean_token",
]

MAX_CONNECT_TIMEOUT = 5.0  # seconds; a dead host fails fast even with a long read timeout
CONCURRENT_SESSIONS = 20
"""Browser sessions at once that one app server is sized for. They all share one client
(the app holds it with st.cache_resource); tests/test_concurrency.py drives this many."""
POOL_LIMITS = httpx.Limits(max_connections=32, max_keepalive_connections=16)
"""Connections to Fashion.AI for all those sessions: one call in flight for each of them, plus
room for a comparison's lanes (up to 8 at once). A call beyond that waits for a free
connection, up to the client's timeout (httpx's pool timeout). Sixteen stay open between
calls, so steady traffic does not pay a TLS handshake a call."""

logger = logging.getLogger(__name__)


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
        bind_to_deadlines(self._http)

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
        with call_deadline(deadline):
            try:
                while True:
                    attempts += 1
                    can_retry = attempts <= self._max_retries
                    try:
                        answer = self._attempt(request, deadline)
                    except httpx.HTTPError as err:
                        if can_retry and should_retry_exception(err, idempotent=idempotent) and self._pause(
                            attempts, None, type(err).__name__, record, deadline
                        ):
                            continue
                        raise transport_error(err, record, attempts, self._timeout, self._redactor) from err
                    except AnswerTooLarge as err:
                        raise too_large_error(record, err.limit) from err

                    if 200 <= answer.status_code < 300:
                        response_body, products = parse_products(answer, record, self._redactor)
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
                    retry_after = parse_retry_after(answer.headers)
                    if (
                        can_retry
                        and should_retry_status(answer.status_code, idempotent=idempotent)
                        and (retry_after is None or retry_after <= MAX_RETRY_AFTER)
                        and self._pause(attempts, retry_after, f"HTTP {answer.status_code}", record, deadline)
                    ):
                        continue
                    raise status_error(answer, record, retry_after, attempts, self._redactor)
            except Exception as err:  # tell the observer, then let the error go on unchanged
                self._observe(exchange_id, record, started, attempts, err)
                raise

    def _attempt(self, request: httpx.Request, deadline: float) -> Answer:
        """One request, its answer read to its end (or to the limit) by the deadline; the connection
        is released (or dropped, when the answer was not read to its end) before this returns."""
        left = deadline - time.monotonic()
        if left <= 0:
            raise httpx.ReadTimeout("the call's deadline passed before this attempt", request=request)
        request.extensions["timeout"] = httpx.Timeout(left, connect=min(left, MAX_CONNECT_TIMEOUT)).as_dict()
        response = self._http.send(request, stream=True)
        try:
            return read_answer(response, deadline)
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
                type(err).__name__, one_line(self._redactor.redact(str(err))),
            )

    def _pause(
        self, attempts: int, retry_after: float | None, why: str, record: RequestRecord, deadline: float
    ) -> bool:
        """Wait before the next attempt; False (no wait) when the wait would outlast the deadline."""
        delay = retry_delay(attempts - 1, retry_after, random.random())
        if time.monotonic() + delay >= deadline:
            return False
        logger.info(
            "Fashion.AI %s %s failed (%s); retrying in %.2f s", record.method, record.url, why, delay
        )
        self._sleep(delay)
        return True


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
