"""The simulator: an in-memory, deterministic stand-in for the Fashion.AI API.

`Simulator.handle` speaks the API's wire format (the paths and token header of
`fashionai.api.models`; a JSON ``{"products": [ids]}`` or ``{"error": ...}``) for any
transport; `Simulator.recommend` and `Simulator.sales_ranking` are the same answers as
Python calls. Each session and user keeps its last HISTORY_LIMIT events; the ranking
itself is `fashionai.simulator.affinity`, the injected faults `fashionai.simulator.faults`.
"""

from __future__ import annotations

import hmac
import json
import math
import threading
import time
from collections import Counter, deque
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from fashionai.api.models import RECOMMENDATION_PATH, SALES_RANKING_PATH, TOKEN_HEADER
from fashionai.domain import TRACKING_EVENTS, EventType
from fashionai.simulator.affinity import HISTORY_LIMIT, LOOK_SIZE, SHELF_SIZE, SIMILAR_SIZE, AffinityRanker, Event
from fashionai.simulator.faults import Decision, Faults

__all__ = ["LOOK_SIZE", "SHELF_SIZE", "SIMILAR_SIZE", "AnswerTooLate", "BadRequest", "ConnectionDropped",
           "SimResponse", "Simulator", "parse_recommendation"]


class ConnectionDropped(Exception):
    """An injected fault: the connection must be closed without an answer."""


class AnswerTooLate(Exception):
    """Injected latency outlasted the caller's timeout: the caller gave up before the answer."""


class BadRequest(ValueError):
    """A request body the API would answer with 400."""


@dataclass(frozen=True)
class SimResponse:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def _json_response(status: int, payload: object, headers: Mapping[str, str] | None = None) -> SimResponse:
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    return SimResponse(status, {"Content-Type": "application/json", **(headers or {})}, body)


def _error(status: int, message: str, headers: Mapping[str, str] | None = None) -> SimResponse:
    return _json_response(status, {"error": message}, headers)


_STATUS_MESSAGES = {429: "too many requests", 500: "internal server error", 502: "bad gateway",
                    503: "service unavailable", 504: "gateway timeout"}
_BROKEN_HTML = (b"<!DOCTYPE html><html><head><title>Maintenance</title></head>"
                b"<body><h1>We'll be right back</h1></body></html>")


def _injected(decision: Decision) -> SimResponse:
    status = decision.status or 500
    headers = {}
    if decision.retry_after is not None:
        headers["Retry-After"] = str(math.ceil(decision.retry_after))
    return _error(status, _STATUS_MESSAGES.get(status, "injected error"), headers)


def _broken(response: SimResponse, kind: str) -> SimResponse:
    if kind == "html":
        return SimResponse(200, {"Content-Type": "text/html; charset=utf-8"}, _BROKEN_HTML)
    return SimResponse(200, response.headers, response.body[: max(1, len(response.body) // 2)])


def parse_recommendation(body: bytes) -> dict[str, str | None]:
    """Validate a recommendation body; return recommend()'s keyword arguments or raise BadRequest."""
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError) as err:
        raise BadRequest("body must be JSON") from err
    if not isinstance(payload, dict):
        raise BadRequest("body must be a JSON object")
    session_id = payload.get("sessionId")
    if not isinstance(session_id, str) or not session_id.strip():
        raise BadRequest("sessionId is required and must be a non-empty string")
    event_type = payload.get("eventType")
    if event_type not in TRACKING_EVENTS:
        raise BadRequest(f"eventType must be one of {', '.join(TRACKING_EVENTS)}")
    user_id = payload.get("userId")
    if isinstance(user_id, bool) or not isinstance(user_id, str | int | None):
        raise BadRequest("userId must be a string")
    data = payload.get("data")
    if data is not None and not isinstance(data, dict):
        raise BadRequest("data must be an object")
    item_id = (data or {}).get("id", "")
    if event_type != EventType.CUSTOM_SHELF and (not isinstance(item_id, str) or not item_id):
        raise BadRequest("data.id is required and must be a non-empty string")
    return {
        "session_id": session_id,
        "event_type": event_type,
        "item_id": item_id if isinstance(item_id, str) else "",
        "user_id": user_id,
    }


class Simulator:
    """An offline Fashion.AI: ranks from per-session/user event history; deterministic, thread-safe.

    `products`: product ids in a `product_id` column or the index; a `category`
    column; optional `name, color, style, brand, price, stock` (missing values
    allowed; missing stock counts as available). Duplicate ids keep the first row.
    """

    def __init__(
        self,
        products: pd.DataFrame,
        *,
        token: str | None = None,
        seed: int = 0,
        faults: Faults | None = None,
    ) -> None:
        if "category" not in products.columns:
            raise ValueError("products need a 'category' column")
        self._token = token
        self.faults = faults if faults is not None else Faults()
        self._lock = threading.Lock()
        self._sessions: dict[str, deque[Event]] = {}
        self._users: dict[str, deque[Event]] = {}
        self._session_counts: Counter[str] = Counter()
        self._events = 0
        self._ranker = AffinityRanker(products, seed)

    def __repr__(self) -> str:
        token = "required" if self._token else "not required"
        ranker = self._ranker
        return f"<Simulator {ranker.size} products, {len(ranker.categories)} categories, token {token}>"

    # -- history ---------------------------------------------------------------

    def events_recorded(self, session_id: str | None = None) -> int:
        """How many events were recorded for a session, or in all if None."""
        with self._lock:
            return self._events if session_id is None else self._session_counts[session_id]

    def _record(self, session_id: str, user_id: str | None, event_type: str, target: int) -> list[Event]:
        """Record one event; return the history it is ranked against (the earlier events)."""
        with self._lock:
            earlier = {event[0]: event for event in self._sessions.get(session_id, ())}
            if user_id is not None:
                earlier.update((event[0], event) for event in self._users.get(user_id, ()))
            self._events += 1
            event = (self._events, event_type, target)
            self._session_counts[session_id] += 1
            self._sessions.setdefault(session_id, deque(maxlen=HISTORY_LIMIT)).append(event)
            if user_id is not None:
                self._users.setdefault(user_id, deque(maxlen=HISTORY_LIMIT)).append(event)
        return [earlier[seq] for seq in sorted(earlier)][-HISTORY_LIMIT:]

    # -- the API as Python calls -------------------------------------------------

    def recommend(
        self, session_id: str, event_type: str, item_id: str = "", user_id: str | int | None = None
    ) -> list[str]:
        """Answer (and record) one recommendation call: product ids, best first.

        An empty list is the API's "not enough data yet" (a cold session) as well as
        its answer for an unknown category or product. A numeric user id is the same
        user as its string.
        """
        if not session_id:
            raise ValueError("session_id must not be empty")
        if event_type not in TRACKING_EVENTS:
            raise ValueError(f"unknown event type {event_type!r}")
        user_id = None if user_id in (None, "") else str(user_id)
        ranker = self._ranker
        if event_type == EventType.CATEGORY_VIEW:
            target = ranker.category(item_id)
        elif event_type == EventType.CUSTOM_SHELF:
            target = -1
        else:
            target = ranker.product(item_id)
        history = self._record(session_id, user_id, event_type, target)
        if event_type == EventType.CATEGORY_VIEW:
            return ranker.rank_category(target, history) if target >= 0 and history else []
        if event_type == EventType.CUSTOM_SHELF:
            return ranker.shelf(history) if history else []
        if target < 0:
            return []
        if event_type == EventType.PRODUCT_VIEW:
            return ranker.similar(target, history)
        return ranker.look(target, history)

    def sales_ranking(self, category_id: str | None = None) -> list[str]:
        """Best sellers, most sold first: the whole catalog, or one category (not an event)."""
        return self._ranker.sales_ranking(category_id)

    # -- the API over HTTP ---------------------------------------------------------

    def handle(
        self,
        method: str,
        path: str,
        query: Mapping[str, Any],
        headers: Mapping[str, str],
        body: bytes,
        *,
        faults: Faults | None = None,
        timeout: float | None = None,
    ) -> SimResponse:
        """Answer one HTTP request; `path` may carry any prefix (e.g. /api/v1).

        `faults` replaces the simulator's own `self.faults` for this request (an
        in-process transport can carry one browser session's fault drill).
        Injected latency is slept here, so every transport gets it. `timeout` is how
        long the caller waits for the answer, for a transport with no socket to time
        out: when the latency is longer, only `timeout` is slept, the request is
        processed as a slow server would (an event is recorded), and AnswerTooLate is
        raised instead of answering.

        Raises ConnectionDropped when a fault says the connection dies unanswered.
        """
        path = path.rstrip("/")
        method = method.upper()
        if method == "POST" and path.endswith(RECOMMENDATION_PATH):
            route = "recommendation"
        elif method == "GET" and path.endswith(SALES_RANKING_PATH):
            route = "sales-ranking"
        else:
            return _error(404, "not found")

        decision = (faults if faults is not None else self.faults).decide()
        too_late = timeout is not None and decision.latency > timeout
        if decision.latency:
            time.sleep(timeout if too_late else decision.latency)
        try:
            response = self._answer(route, decision, query, headers, body)
        except ConnectionDropped:
            if not too_late:
                raise
        if too_late:
            raise AnswerTooLate(f"no answer within {timeout:g} s (injected latency {decision.latency:g} s)")
        return response

    def _answer(
        self, route: str, decision: Decision, query: Mapping[str, Any], headers: Mapping[str, str], body: bytes
    ) -> SimResponse:
        """The answer to a routed request once its latency is over, with the decision's faults applied."""
        if decision.rejects_before_processing:
            return _injected(decision)
        if not self._authorized(headers):
            return _error(401, "invalid or expired token")

        if route == "sales-ranking":
            category_id = query.get("categoryId")
            if isinstance(category_id, list | tuple):
                category_id = category_id[0] if category_id else None
            category_id = category_id or None
            response = _json_response(
                200, {"categoryId": category_id, "products": self.sales_ranking(category_id)}
            )
        else:
            try:
                request = parse_recommendation(body)
            except BadRequest as err:
                return _error(400, str(err))
            response = _json_response(200, {"products": self.recommend(**request)})

        if decision.status is not None:  # failed after recording (500, 504)
            return _injected(decision)
        if decision.drop:
            raise ConnectionDropped("connection dropped by fault injection")
        if decision.broken_body:
            return _broken(response, decision.broken_body)
        return response

    def _authorized(self, headers: Mapping[str, str]) -> bool:
        if self._token is None:
            return True
        given = {name.lower(): value for name, value in headers.items()}.get(TOKEN_HEADER.lower())
        return given is not None and hmac.compare_digest(given.encode(), self._token.encode())
