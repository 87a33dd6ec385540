"""The only code that speaks HTTP to Fashion.AI.

    with FashionAIClient(token) as client:
        recommendation = client.category_view("session-1", "pants")
        recommendation.products  # ("p3", "p1", ...), best first

Every personalization call is also a tracking event (it tells the AI that the session
saw the category or product), so the client retries an event only when the server
certainly did not record it; see `fashionai.api._retry`. One client is safe to share
between threads. The app token never appears in a repr, a log record, an error or a
`RequestRecord`.

Beside the events: `similar` (a POST that is never sent twice, like an event), `collection`
(a merchandising collection's active slice, or none: HTTP 404 is a normal answer) and
`profile` (a written shopper profile; looked up by e-mail, phone or document, the value
is kept out of every record, error, log line and observer).

The client holds the calls and their retry loop; its helpers, each private to the package:
`_checks` checks what a call takes in, `_body` reads and parses an answer, `_answers` turns
it into what a call returns, `_deadline` holds every read and write to the call's deadline,
`_status` says which error (and message) a failure raises, `_retry` which failures are
retried, `_pool` holds the connections and sends one attempt, `_observer` hands a finished
call to the observer. What a call sends and returns is in `fashionai.api.models` (and, for collections
and profiles, beside their parsers in `fashionai.api.collections` and `.profiles`).
"""

from __future__ import annotations

import contextlib
import copy
import functools
import logging
import random
import time
import uuid
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import quote

import httpx

from fashionai.api import redaction
from fashionai.api._answers import (
    Done,
    read_collection,
    read_detailed,
    read_profile,
    read_recommendation,
    read_search,
)
from fashionai.api._body import Answer, AnswerTooLarge
from fashionai.api._checks import check_timeout, clean_base_url, clean_token, optional_id, require_id
from fashionai.api._deadline import call_deadline
from fashionai.api._observer import hand_over
from fashionai.api._pool import open_pool, send
from fashionai.api._retry import (
    MAX_RETRY_AFTER,
    parse_retry_after,
    retry_delay,
    should_retry_exception,
    should_retry_status,
)
from fashionai.api._shape import check_limit, path_value
from fashionai.api._status import (
    PRODUCT_NOT_FOUND,
    PROFILE_NOT_FOUND,
    status_error,
    too_large_error,
    transport_error,
)
from fashionai.api.collections import NO_ACTIVE_SLICE, CollectionAnswer, collection_path
from fashionai.api.endpoints import ENDPOINTS
from fashionai.api.models import (
    DEFAULT_BASE_URL,
    Exchange,
    Recommendation,
    RequestRecord,
    event_body,
)
from fashionai.api.profiles import (
    PERSONAL_KINDS,
    ProfileAnswer,
    lookup_words,
    profile_path,
    shown_profile_path,
    shown_value,
)
from fashionai.api.search import (
    DEFAULT_SEARCH_LIMIT,
    DetailedAnswer,
    SearchAnswer,
    check_page,
    check_query,
    check_search_limit,
    check_size,
    detailed_search_url,
    search_body,
    search_path,
)
from fashionai.domain import EventType

__all__ = [
    "DEFAULT_BASE_URL",
    "CollectionAnswer",
    "DetailedAnswer",
    "Exchange",
    "FashionAIClient",
    "ProfileAnswer",
    "Recommendation",
    "RequestRecord",
    "SearchAnswer",
    "clean_base_url",
    "clean_token",
]

T = TypeVar("T")
Reader = Callable[[Answer, RequestRecord, redaction.Redactor, Done], tuple[T, tuple[str, ...]]]  # see _answers

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
        raises is logged (without the token) and never reaches the caller. Profile calls are
        not passed to it: a profile is no ranking, and must never reach the history."""
        self._token = clean_token(token)
        self._redactor = redaction.Redactor((self._token,))
        self._on_exchange = on_exchange
        self._base_url = clean_base_url(base_url)
        self._timeout = check_timeout(timeout)
        if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
            raise ValueError(f"max_retries must be an int >= 0, not {max_retries!r}")
        self._max_retries = max_retries
        self._sleep = time.sleep  # tests replace it, so that they never really wait
        self._owns_http = True
        self._http = open_pool(self._base_url, self._token, self._timeout, transport)

    def with_timeout(self, timeout: float) -> FashionAIClient:
        """This client with another timeout, sharing its connections, token, retries and observer
        (one browser session's choice on the Settings page). Closing it leaves the connections open."""
        timeout = check_timeout(timeout)
        if timeout == self._timeout:
            return self
        other = copy.copy(self)
        other._timeout, other._owns_http = timeout, False
        return other

    def with_observer(self, on_exchange: Callable[[Exchange], None] | None, *,
                      max_retries: int | None = None) -> FashionAIClient:
        """This client with another on_exchange observer (and, if given, another number of retries),
        sharing its connections, token and timeout (an audit's runner: it stores every answer itself
        and waits out a 429 with all its workers). Closing it leaves the connections open."""
        if max_retries is not None and (isinstance(max_retries, bool) or not isinstance(max_retries, int)
                                        or max_retries < 0):
            raise ValueError(f"max_retries must be an int >= 0, not {max_retries!r}")
        other = copy.copy(self)
        other._on_exchange, other._owns_http = on_exchange, False
        if max_retries is not None:
            other._max_retries = max_retries
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
        session = require_id(session_id, "session_id")
        return self._event(EventType.CATEGORY_VIEW, session, require_id(category_id, "category_id"), user_id)

    def shop_the_look(
        self, session_id: str | int, product_id: str | int, *, user_id: str | int | None = None
    ) -> Recommendation:
        """Products that complete the look of this main piece (check stock before showing)."""
        session = require_id(session_id, "session_id")
        return self._event(EventType.SHOP_THE_LOOK, session, require_id(product_id, "product_id"), user_id)

    def product_view(
        self, session_id: str | int, product_id: str | int, *, user_id: str | int | None = None
    ) -> Recommendation:
        """Products similar to this one, ranked for this session and user."""
        session = require_id(session_id, "session_id")
        return self._event(EventType.PRODUCT_VIEW, session, require_id(product_id, "product_id"), user_id)

    def custom_shelf(self, session_id: str | int, *, user_id: str | int | None = None) -> Recommendation:
        """A personalized shelf built from the session's browsing."""
        return self._event(EventType.CUSTOM_SHELF, require_id(session_id, "session_id"), "", user_id)

    def similar(self, session_id: str | int, product_id: str | int, *, user_id: str | int | None = None,
                limit: int | None = None) -> Recommendation:
        """Products similar to this one for this session and user: at most `limit` (a whole number
        of at least 1, checked before anything is sent; None: Fashion.AI's default). Fashion.AI may
        record it as a visit, so, like an event, it is never sent again once it may have arrived.
        A product Fashion.AI does not know: NotFoundError saying so."""
        session = require_id(session_id, "session_id")
        product = require_id(product_id, "product_id")
        count = check_limit(limit)
        body = event_body(EventType.SIMILAR, session, product, optional_id(user_id, "user_id"))
        row = ENDPOINTS["similar"]
        path = row.path if count is None else f"{row.path}?limit={count}"
        request, record = self._prepare(row.method, path, body, EventType.SIMILAR)
        not_found = PRODUCT_NOT_FOUND.format(product=repr(product))
        return self._call(request, record, read_recommendation, idempotent=row.idempotent, not_found=not_found)

    # --- search: part of the session's behaviour, so never sent again once it may have arrived ---

    def search(self, session_id: str | int, query: str, *, user_id: str | int | None = None, page: int = 1,
               limit: int = DEFAULT_SEARCH_LIMIT) -> SearchAnswer:
        """One page of the site search for this session and user: `.items` (ids, best first), `.total_items`,
        `.total_pages`, `.current_page`. The query not blank, `page` at least 1, `limit` from 1 to
        `MAX_SEARCH_LIMIT` (checked before anything is sent). Fashion.AI records the search as the session's
        behaviour, so, like an event, it is never sent again once it may have arrived."""
        session = require_id(session_id, "session_id")
        text, number, count = check_query(query), check_page(page), check_search_limit(limit)
        row = ENDPOINTS["search"]
        body = search_body(session, optional_id(user_id, "user_id"))
        request, record = self._prepare(row.method, search_path(text, number, count), body, EventType.SEARCH)
        read = functools.partial(read_search, query=text, page=number, limit=count)
        return self._call(request, record, read, idempotent=row.idempotent)

    def detailed_search(self, session_id: str | int, query: str, *, user_id: str | int | None = None,
                        size: str | int | None = None) -> DetailedAnswer:
        """The detailed search (for WhatsApp): `.products`, at most 5, each with its sku, name, pictures, price
        and sale price (exact decimals), size and link; only `size` when given (None or blank: any). An empty
        list may also be an error (`.empty_may_be_error`): Fashion.AI answers both the same way. Its address is
        below the host's /v1, not the base's /api/v1, as the vendor's docs write it. Never sent twice."""
        session = require_id(session_id, "session_id")
        text, wanted = check_query(query), check_size(size)
        row = ENDPOINTS["detailed-search"]
        body = search_body(session, optional_id(user_id, "user_id"))
        url = detailed_search_url(self._base_url, text, wanted)
        request, record = self._prepare(row.method, url, body, EventType.DETAILED_SEARCH)
        read = functools.partial(read_detailed, query=text, size=wanted)
        return self._call(request, record, read, idempotent=row.idempotent)

    # --- not personalized, not an event ---

    def sales_ranking(self, category_id: str | int | None = None) -> Recommendation:
        """Best sellers, most sold first; all categories when category_id is None."""
        row = ENDPOINTS["sales-ranking"]
        path = row.path
        if category_id is not None:
            path += "?categoryId=" + quote(require_id(category_id, "category_id"), safe="")
        return self._call(*self._prepare(row.method, path), read_recommendation, idempotent=row.idempotent)

    def collection(self, collection_id: str | int) -> CollectionAnswer:
        """The active slice of a merchandising collection; `.slice` is None when no slice is active
        now (Fashion.AI's HTTP 404: a normal state, not an error). Retried like the sales ranking."""
        row = ENDPOINTS["collection"]
        request, record = self._prepare(row.method, collection_path(collection_id), None, EventType.COLLECTION)
        read = functools.partial(read_collection, collection_id=path_value(collection_id, "the collection id"))
        return self._call(request, record, read, idempotent=row.idempotent, final_statuses=(NO_ACTIVE_SLICE,))

    def profile(self, value: str | int, kind: str = "user-profile-id") -> ProfileAnswer:
        """A written shopper profile, looked up by `kind` (one of `PROFILE_KINDS`): its user profile
        id, or the shopper's e-mail, phone or document. No profile: NotFoundError.

        For those personal kinds the value is in no record (its URL masked), error, log line or
        answer body the client gives back. A profile is not passed to the on_exchange observer.
        """
        row = ENDPOINTS["profile"]
        request = self._http.build_request(row.method, profile_path(kind, value))  # ValueError before sending
        record = RequestRecord(row.method, self._base_url + shown_profile_path(kind, value))
        redactor = self._redactor
        hiding: contextlib.AbstractContextManager[None] = contextlib.nullcontext()
        if kind in PERSONAL_KINDS:
            personal = redaction.Redactor((str(value), str(value).strip()), min_chars=1, loose=True,
                                          replacement=redaction.PERSONAL_REPLACEMENT)
            redactor = redaction.Redactor((self._token,), then=personal)
            hiding = redaction.hidden(redactor)  # httpx logs each request's URL, inside the call
        read = functools.partial(read_profile, kind=kind, shown=shown_value(kind, value))
        with hiding:
            return self._call(request, record, read, idempotent=row.idempotent, redactor=redactor, observe=False,
                              not_found=PROFILE_NOT_FOUND.format(who=lookup_words(kind, value)))

    # --- plumbing ---

    def _event(
        self, event_type: str, session_id: str, item_id: str, user_id: str | int | None
    ) -> Recommendation:
        row = ENDPOINTS["recommendation"]
        body = event_body(event_type, session_id, item_id, optional_id(user_id, "user_id"))
        return self._call(*self._prepare(row.method, row.path, body, event_type), read_recommendation,
                          idempotent=row.idempotent)

    def _prepare(self, method: str, path: str, body: dict[str, Any] | None = None,
                 event_type: str | None = None) -> tuple[httpx.Request, RequestRecord]:
        """The request to send, and its record (what was sent, without headers)."""
        request = self._http.build_request(method, path, json=body)
        return request, RequestRecord(method, str(request.url), body, event_type)

    def _call(
        self,
        request: httpx.Request,
        record: RequestRecord,
        read: Reader[T],
        *,
        idempotent: bool,
        final_statuses: tuple[int, ...] = (),
        not_found: str | None = None,
        redactor: redaction.Redactor | None = None,
        observe: bool = True,
    ) -> T:
        """Send, retrying what may be retried, all within one deadline: `timeout` seconds for every
        attempt, every wait between them and reading every answer to its end.

        A success (or a status in `final_statuses`) is read by `read`; any other status raises
        its error (a 404 saying `not_found` when given). `redactor` (the client's by default)
        blanks every secret of the call; `observe=False` keeps the call from the observer."""
        redactor = redactor or self._redactor
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
                        answer = send(self._http, request, deadline)
                    except httpx.HTTPError as err:
                        if can_retry and should_retry_exception(err, idempotent=idempotent) and self._pause(
                            attempts, None, type(err).__name__, record, deadline
                        ):
                            continue
                        redaction.scrub_exception(err, redactor)  # its traceback follows ours
                        raise transport_error(err, record, attempts, self._timeout, redactor) from err
                    except AnswerTooLarge as err:
                        raise too_large_error(record, err.limit) from err

                    if 200 <= answer.status_code < 300 or answer.status_code in final_statuses:
                        done = Done(exchange_id, attempts, time.monotonic() - started)
                        result, products = read(answer, record, redactor, done)
                        if observe:
                            totals = result.totals if isinstance(result, SearchAnswer) else None
                            seen = (result.slice.seen if isinstance(result, CollectionAnswer) and result.slice
                                    else None)
                            self._observe(exchange_id, record, attempts, done.elapsed, answer.status_code, products,
                                          None, totals, seen)
                        return result
                    retry_after = parse_retry_after(answer.headers)
                    if (
                        can_retry
                        and should_retry_status(answer.status_code, idempotent=idempotent)
                        and (retry_after is None or retry_after <= MAX_RETRY_AFTER)
                        and self._pause(attempts, retry_after, f"HTTP {answer.status_code}", record, deadline)
                    ):
                        continue
                    raise status_error(answer, record, retry_after, attempts, redactor, not_found=not_found)
            except Exception as err:  # tell the observer, then let the error go on unchanged
                if observe:
                    self._observe(exchange_id, record, attempts, time.monotonic() - started,
                                  getattr(err, "status_code", None), (), type(err).__name__)
                raise

    def _observe(self, *finished: Any) -> None:  # Any: hand_over's arguments, passed through as they are
        """Hand the finished call (`_observer.hand_over`'s exchange id, record, attempts, elapsed, status code,
        products, error, a search's totals and a collection's slice) to the on_exchange observer; its failure never
        reaches the caller."""
        if self._on_exchange is not None:
            hand_over(self._on_exchange, *finished, redactor=self._redactor, log=logger)

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

