"""The only code that speaks HTTP to Fashion.AI.

    with FashionAIClient(token) as client:
        recommendation = client.category_view("session-1", "pants")
        recommendation.products  # ("p3", "p1", ...), best first

Every personalization call is also a tracking event (it tells the AI that the session
saw the category or product), so the client retries an event only when the server
certainly did not record it; see `fashionai._retry`. One client is safe to share
between threads. The app token never appears in a repr, a log record, an error or a
`RequestRecord`.
"""

from __future__ import annotations

import http.cookiejar
import json
import logging
import math
import numbers
import random
import shlex
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

import httpx

from fashionai import _retry
from fashionai.errors import (
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

__all__ = ["DEFAULT_BASE_URL", "Exchange", "FashionAIClient", "Recommendation", "RequestRecord"]

DEFAULT_BASE_URL = "https://catalog.api.fashionai.dev/api/v1"
TOKEN_HEADER = "X-FashionAI-APP-Token"
RECOMMENDATION_PATH = "/products/protected/recommendation"
SALES_RANKING_PATH = "/products/protected/sales-ranking"
SALES_RANKING = "salesRanking"
"""The event type history and reports give a sales-ranking call (the API has none: it is a GET)."""

MAX_CONNECT_TIMEOUT = 5.0  # seconds; a dead host fails fast even with a long read timeout
BODY_EXCERPT_CHARS = 500  # how much of an unexpected answer an error keeps
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
        ranking as `SALES_RANKING`, its category as the item and no session or user."""
        if not self.event_type:
            category = parse_qs(urlsplit(self.url).query).get("categoryId", [None])[0]
            return SALES_RANKING, None, None, category
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
        self._token = _clean_token(token)
        self._on_exchange = on_exchange
        self._base_url = _clean_base_url(base_url)
        if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not (
            math.isfinite(timeout) and timeout > 0
        ):
            raise ValueError(f"timeout must be a positive number of seconds, not {timeout!r}")
        if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
            raise ValueError(f"max_retries must be an int >= 0, not {max_retries!r}")
        self._timeout = float(timeout)
        self._max_retries = max_retries
        self._sleep = time.sleep  # tests replace it, so that they never really wait
        self._http = httpx.Client(
            base_url=self._base_url,
            headers={
                "Content-Type": "application/json",
                "Accept": "application/json",
                TOKEN_HEADER: self._token,
            },
            timeout=httpx.Timeout(self._timeout, connect=min(self._timeout, MAX_CONNECT_TIMEOUT)),
            follow_redirects=False,
            limits=POOL_LIMITS,
            # One client serves many shoppers: never carry a cookie from one call to the next.
            cookies=http.cookiejar.CookieJar(http.cookiejar.DefaultCookiePolicy(allowed_domains=[])),
            transport=transport,
        )

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
        self._http.close()

    # --- personalization events (each one is recorded by Fashion.AI) ---

    def category_view(
        self, session_id: str | int, category_id: str | int, *, user_id: str | int | None = None
    ) -> Recommendation:
        """All products of the category, ranked for this session and user."""
        session = _require_id(session_id, "session_id")
        return self._event("categoryView", session, _require_id(category_id, "category_id"), user_id)

    def shop_the_look(
        self, session_id: str | int, product_id: str | int, *, user_id: str | int | None = None
    ) -> Recommendation:
        """Products that complete the look of this main piece (check stock before showing)."""
        session = _require_id(session_id, "session_id")
        return self._event("shopTheLook", session, _require_id(product_id, "product_id"), user_id)

    def product_view(
        self, session_id: str | int, product_id: str | int, *, user_id: str | int | None = None
    ) -> Recommendation:
        """Products similar to this one, ranked for this session and user."""
        session = _require_id(session_id, "session_id")
        return self._event("productView", session, _require_id(product_id, "product_id"), user_id)

    def custom_shelf(self, session_id: str | int, *, user_id: str | int | None = None) -> Recommendation:
        """A personalized shelf built from the session's browsing."""
        return self._event("customShelf", _require_id(session_id, "session_id"), "", user_id)

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
        body: dict[str, Any] = {}
        user = _optional_id(user_id, "user_id")
        if user is not None:
            body["userId"] = user
        body.update(sessionId=session_id, eventType=event_type, data={"id": item_id})
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
        request = self._http.build_request(method, path, json=body)
        record = RequestRecord(method, str(request.url), body, event_type)
        exchange_id = uuid.uuid4().hex
        started = time.monotonic()
        attempts = 0
        try:
            while True:
                attempts += 1
                can_retry = attempts <= self._max_retries
                try:
                    response = self._http.send(request)
                except httpx.HTTPError as err:
                    if can_retry and _retry.should_retry_exception(err, idempotent=idempotent):
                        self._pause(attempts, None, type(err).__name__, record)
                        continue
                    raise _transport_error(err, record, attempts, self._timeout) from err

                if response.is_success:
                    response_body, products = self._parse(response, record)
                    recommendation = Recommendation(
                        products=products,
                        request=record,
                        status_code=response.status_code,
                        response_body=response_body,
                        elapsed=time.monotonic() - started,
                        attempts=attempts,
                        exchange_id=exchange_id,
                    )
                    self._observe(exchange_id, record, started, attempts, recommendation)
                    return recommendation
                retry_after = _retry.parse_retry_after(response.headers)
                if (
                    can_retry
                    and _retry.should_retry_status(response.status_code, idempotent=idempotent)
                    and (retry_after is None or retry_after <= _retry.MAX_RETRY_AFTER)
                ):
                    self._pause(attempts, retry_after, f"HTTP {response.status_code}", record)
                    continue
                raise self._status_error(response, record, retry_after, attempts)
        except Exception as err:  # tell the observer, then let the error go on unchanged
            self._observe(exchange_id, record, started, attempts, err)
            raise

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
                type(err).__name__, _one_line(str(err).replace(self._token, "[app token]")),
            )

    def _pause(self, attempts: int, retry_after: float | None, why: str, record: RequestRecord) -> None:
        delay = _retry.retry_delay(attempts - 1, retry_after, random.random())
        logger.info(
            "Fashion.AI %s %s failed (%s); retrying in %.2f s", record.method, record.url, why, delay
        )
        self._sleep(delay)

    def _excerpt(self, response: httpx.Response) -> str:
        """The start of the answer's body, with the token blanked should a server echo it."""
        return response.text.replace(self._token, "[app token]")[:BODY_EXCERPT_CHARS]

    def _status_error(
        self, response: httpx.Response, record: RequestRecord, retry_after: float | None, attempts: int
    ) -> APIStatusError:
        status = response.status_code
        excerpt = self._excerpt(response)
        detail = f": {_one_line(excerpt)}" if excerpt.strip() else ""
        wait = f"Wait {retry_after:g} s" if retry_after is not None else "Wait a minute"
        error_class: type[APIStatusError] = APIStatusError
        if 300 <= status < 400:
            location = response.headers.get("location")
            target = f" to {_one_line(location)}" if location else ""
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

    def _parse(self, response: httpx.Response, record: RequestRecord) -> tuple[Any, tuple[str, ...]]:
        """The parsed body and its product ids, or ResponseFormatError."""
        status = response.status_code

        def bad(problem: str, advice: str = "Report it to Fashion.AI support.") -> ResponseFormatError:
            return ResponseFormatError(
                f"Fashion.AI answered HTTP {status}, but {problem}. {advice}",
                status_code=status,
                body_excerpt=self._excerpt(response),
                request=record,
            )

        try:
            body = response.json()
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
        return body, tuple(ids)


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
            f"try again later or raise the timeout.{maybe_recorded}"
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


def _require_id(value: object, name: str) -> str:
    text = _optional_id(value, name)
    if text is None:
        raise ValueError(f"{name} is blank; Fashion.AI needs one for this call")
    return text


def _clean_token(token: object) -> str:
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


def _clean_base_url(base_url: object) -> str:
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
