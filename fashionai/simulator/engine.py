"""The simulator: an in-memory, deterministic stand-in for the Fashion.AI API.

`Simulator.handle` speaks the API's wire format (`fashionai.simulator.wire`: the paths and
token header of `fashionai.api`, JSON answers) for any transport; `recommend`,
`sales_ranking`, `similar`, `collection` and `profile` are the same answers as Python calls.
Each session and user keeps its last HISTORY_LIMIT events; the ranking itself is
`fashionai.simulator.affinity`, the injected faults `fashionai.simulator.faults`.

Only the recommendation events are recorded as visits. The vendor's docs do not say whether
`similar` is; here it is NOT: it ranks with the session's (and user's) history without adding
to it, so asking for similar products never changes later rankings or `events_recorded`. Its
`limit` defaults to DEFAULT_SIMILAR_LIMIT (10; the vendor's default is undocumented).
Collections and profiles are reads, never recorded. Faults and the token check apply to
every route alike; each route (a row of `fashionai.api.endpoints.ENDPOINTS`) has its handler in HANDLERS.

A search (`search`, `detailed_search`; matching in `fashionai.simulator.search`) is ranked by relevance, then
by the shopper's affinity (two sessions see the same matches in different orders), and is recorded as the
session's behaviour: as if the shopper had looked at its best match (a productView of it, teaching its
category, colour, style, brand and price band), so the pages after a search lean to what was searched; a search
matching nothing is recorded with nothing to teach. The detailed search answers at most 5 available products
(the simulator's stock rule), of the given size when the catalog has sizes (any of a product's sizes, written
"P, M, G", compared case-insensitively; without a size column the size is not checked); a request it cannot
read answers ``{"products": []}``, as the vendor documents for its errors.
"""

from __future__ import annotations

import hmac
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from typing import Any

import numpy as np
import pandas as pd

from fashionai.api.models import TOKEN_HEADER
from fashionai.api.profiles import PROFILE_KINDS
from fashionai.domain import TRACKING_EVENTS, EventType
from fashionai.simulator.affinity import HISTORY_LIMIT, LOOK_SIZE, SHELF_SIZE, SIMILAR_SIZE, AffinityRanker, Event
from fashionai.simulator.collections import COLLECTION_IDS, DailyCollections
from fashionai.simulator.faults import Decision, Faults
from fashionai.simulator.profiles import new_shopper, personal_profile_id, profile_for, summarise
from fashionai.simulator.search import SearchIndex, detailed_products, search_page
from fashionai.simulator.wire import (
    BadRequest,
    NotFound,
    Route,
    SimResponse,
    broken_response,
    error_response,
    injected_response,
    json_response,
    parse_detailed_search,
    parse_limit,
    parse_recommendation,
    parse_search,
    parse_similar,
    query_value,
    route_of,
)

__all__ = ["DEFAULT_SIMILAR_LIMIT", "HANDLERS", "LOOK_SIZE", "SHELF_SIZE", "SIMILAR_SIZE", "AnswerTooLate",
           "BadRequest", "ConnectionDropped", "NotFound", "SimResponse", "Simulator", "parse_recommendation"]

DEFAULT_SIMILAR_LIMIT = 10
"""How many similar products `similar` answers without a `limit` (the vendor's is undocumented)."""
DETAILED_SIZE = 5
"""The most products a detailed search answers (the vendor's limit)."""


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


class ConnectionDropped(Exception):
    """An injected fault: the connection must be closed without an answer."""


class AnswerTooLate(Exception):
    """Injected latency outlasted the caller's timeout: the caller gave up before the answer."""


class Simulator:
    """An offline Fashion.AI: ranks from per-session/user event history; deterministic, thread-safe.

    `products`: product ids in a `product_id` column or the index; a `category`
    column; optional `name, color, style, brand, price, stock, gender` (missing values
    allowed; missing stock counts as available; with a gender, a look, similar products
    and the home shelf keep to one gender and unisex). Duplicate ids keep the first row.
    `clock` gives the current time (an aware datetime) the collections' slices are
    active by; they are built over this catalog on first use and again each UTC day.
    """

    def __init__(
        self,
        products: pd.DataFrame,
        *,
        token: str | None = None,
        seed: int = 0,
        faults: Faults | None = None,
        clock: Callable[[], datetime] = _utc_now,
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
        self._collections = DailyCollections(products, clock)
        self._search = SearchIndex(products)
        self._search_positions: np.ndarray | None = None

    def __repr__(self) -> str:
        token = "required" if self._token else "not required"
        ranker = self._ranker
        return f"<Simulator {ranker.size} products, {len(ranker.categories)} categories, token {token}>"

    # -- history ---------------------------------------------------------------

    def events_recorded(self, session_id: str | None = None) -> int:
        """How many events were recorded for a session, or in all if None."""
        with self._lock:
            return self._events if session_id is None else self._session_counts[session_id]

    def _history(self, session_id: str, user_id: str | None) -> list[Event]:
        """The session's and the user's events, oldest first, the last HISTORY_LIMIT (hold the lock)."""
        earlier = {event[0]: event for event in self._sessions.get(session_id, ())}
        if user_id is not None:
            earlier.update((event[0], event) for event in self._users.get(user_id, ()))
        return [earlier[seq] for seq in sorted(earlier)][-HISTORY_LIMIT:]

    def _record(self, session_id: str, user_id: str | None, event_type: str, target: int) -> list[Event]:
        """Record one event; return the history it is ranked against (the earlier events)."""
        with self._lock:
            history = self._history(session_id, user_id)
            self._events += 1
            event = (self._events, event_type, target)
            self._session_counts[session_id] += 1
            self._sessions.setdefault(session_id, deque(maxlen=HISTORY_LIMIT)).append(event)
            if user_id is not None:
                self._users.setdefault(user_id, deque(maxlen=HISTORY_LIMIT)).append(event)
        return history

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

    def similar(
        self, session_id: str, product_id: str, user_id: str | int | None = None, limit: int | None = None
    ) -> list[str]:
        """Similar products in stock, best first: like the product in the catalog's attributes,
        ranked with the session's (and user's) history; at most `limit` (DEFAULT_SIMILAR_LIMIT
        when None). Not recorded (see the module docstring). NotFound (a KeyError) for a product
        the catalog lacks; ValueError for an empty session id or a limit under 1.
        """
        if not session_id:
            raise ValueError("session_id must not be empty")
        limit = DEFAULT_SIMILAR_LIMIT if limit is None else limit
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise ValueError("limit must be a whole number of at least 1")
        target = self._ranker.product(product_id)
        if target < 0:
            raise NotFound("product not found")
        user_id = None if user_id in (None, "") else str(user_id)
        with self._lock:
            history = self._history(session_id, user_id)
        return self._ranker.similar(target, history, size=limit)

    def search(self, session_id: str, query: str, user_id: str | int | None = None, page: int = 1,
               limit: int = 20) -> dict[str, Any]:
        """The site search's answer in the vendor's JSON (``totalItems``, ``totalPages``, ``currentPage``,
        ``items``): page `page` of `limit` ids (a page past the last: no items). Recorded (module docstring)."""
        if page < 1 or limit < 1:
            raise ValueError("page and limit must be at least 1")
        ranked = self._searched(session_id, query, user_id, EventType.SEARCH)
        return search_page(self._search.ids, ranked, page, limit)

    def detailed_search(self, session_id: str, query: str, user_id: str | int | None = None,
                        size: str | None = None) -> dict[str, Any]:
        """The detailed search's answer in the vendor's JSON: at most DETAILED_SIZE available products (of
        `size`, when the catalog has sizes) with their details from the catalog. Recorded (module docstring)."""
        ranked = self._searched(session_id, query, user_id, EventType.DETAILED_SEARCH)
        ranked = ranked[self._ranker.available_at(self._positions()[ranked])]
        return {"products": detailed_products(self._search.frame, ranked, size, DETAILED_SIZE)}

    def _positions(self) -> np.ndarray:
        """Each search row's position in the ranker (its id looked up once)."""
        if self._search_positions is None:
            self._search_positions = self._ranker.positions_of(self._search.ids)
        return self._search_positions

    def _searched(self, session_id: str, query: str, user_id: str | int | None, event_type: str) -> np.ndarray:
        """The rows matching `query`, by relevance then the shopper's affinity (catalog order last); the search
        recorded as a look at its best match (nothing to teach when none matched)."""
        if not session_id:
            raise ValueError("session_id must not be empty")
        if not isinstance(query, str) or not query.strip():
            raise ValueError("query must not be blank")
        user = None if user_id in (None, "") else str(user_id)
        rows, relevance = self._search.matches(query)
        positions = self._positions()[rows]
        with self._lock:
            history = self._history(session_id, user)
        affinity = self._ranker.shopper_scores(positions, history) if len(rows) else np.array([])
        order = np.lexsort((rows, -affinity, -np.round(relevance, 6)))  # the last key sorts first
        self._record(session_id, user, event_type, int(positions[order[0]]) if len(order) else -1)
        return rows[order]

    @property
    def collection_ids(self) -> tuple[str, ...]:
        """The sample collections' ids ("1".."4"); one of them has no active slice."""
        return COLLECTION_IDS

    def collection(self, collection_id: str | int) -> dict[str, Any] | None:
        """The collection's active slice now (by the clock), in the vendor's JSON; None when
        the collection is unknown or no slice of it is active (the API's 404). Not recorded."""
        return self._collections.active(collection_id)

    def profile(self, kind: str, value: str | int) -> dict[str, Any]:
        """A written shopper profile in the vendor's JSON (Portuguese names). Not recorded.

        `kind` "user-profile-id": the profile of that user id written from the user's
        recorded events (the "new shopper" profile when there are none). "email", "phone",
        "document": the simulator knows no one by these, so a "new shopper" profile whose
        userProfileId is a keyed hash of the value; the value itself is never in the answer.
        NotFound (a KeyError) for another kind or a blank value.
        """
        if kind not in PROFILE_KINDS:
            raise NotFound("no such profile")
        text = "" if isinstance(value, bool) or not isinstance(value, str | int) else str(value).strip()
        if not text:
            raise NotFound("no such profile")
        if kind != "user-profile-id":
            return new_shopper(personal_profile_id(kind, text))
        with self._lock:
            events = list(self._users.get(text, ()))
        return profile_for(text, summarise(events, self._ranker.seen))

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
        """Answer one HTTP request; `path` may carry any prefix (e.g. /api/v1) and is still
        percent-encoded (a collection id or profile value is decoded once, here).

        `faults` replaces the simulator's own `self.faults` for this request (an
        in-process transport can carry one browser session's fault drill).
        Injected latency is slept here, so every transport gets it. `timeout` is how
        long the caller waits for the answer, for a transport with no socket to time
        out: when the latency is longer, only `timeout` is slept, the request is
        processed as a slow server would (an event is recorded), and AnswerTooLate is
        raised instead of answering.

        Raises ConnectionDropped when a fault says the connection dies unanswered.
        """
        route = route_of(method, path)
        if route is None:
            return error_response(404, "not found")

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
        self, route: Route, decision: Decision, query: Mapping[str, Any], headers: Mapping[str, str], body: bytes
    ) -> SimResponse:
        """The answer to a routed request once its latency is over, with the decision's faults applied."""
        if decision.rejects_before_processing:
            return injected_response(decision)
        if not self._authorized(headers):
            return error_response(401, "invalid or expired token")
        try:
            response = json_response(200, self._route(route, query, body))
        except BadRequest as err:
            return error_response(400, str(err))
        except NotFound as err:
            return error_response(404, str(err))

        if decision.status is not None:  # failed after recording (500, 504)
            return injected_response(decision)
        if decision.drop:
            raise ConnectionDropped("connection dropped by fault injection")
        if decision.broken_body:
            return broken_response(response, decision.broken_body)
        return response

    def _route(self, route: Route, query: Mapping[str, Any], body: bytes) -> object:
        """The JSON payload of a routed, authorized request (its row's handler in `HANDLERS`); BadRequest (400)
        or NotFound (404)."""
        return HANDLERS[route.name](self, route, query, body)

    def _answer_sales_ranking(self, route: Route, query: Mapping[str, Any], body: bytes) -> object:
        category_id = query_value(query, "categoryId") or None
        return {"categoryId": category_id, "products": self.sales_ranking(category_id)}

    def _answer_recommendation(self, route: Route, query: Mapping[str, Any], body: bytes) -> object:
        return {"products": self.recommend(**parse_recommendation(body))}

    def _answer_similar(self, route: Route, query: Mapping[str, Any], body: bytes) -> object:
        request = parse_similar(body)
        return {"products": self.similar(**request, limit=parse_limit(query_value(query, "limit")))}

    def _answer_collection(self, route: Route, query: Mapping[str, Any], body: bytes) -> object:
        if route.params[0] not in self.collection_ids:
            raise NotFound("collection not found")
        answer = self.collection(route.params[0])
        if answer is None:
            raise NotFound("no slice of this collection is active now")
        return answer

    def _answer_profile(self, route: Route, query: Mapping[str, Any], body: bytes) -> object:
        return self.profile(*route.params)

    def _answer_search(self, route: Route, query: Mapping[str, Any], body: bytes) -> object:
        return self.search(**parse_search(body, query))

    def _answer_detailed_search(self, route: Route, query: Mapping[str, Any], body: bytes) -> object:
        try:
            request = parse_detailed_search(body, query)
        except BadRequest:  # the vendor answers its errors with an empty list
            return {"products": []}
        return self.detailed_search(**request)

    def _authorized(self, headers: Mapping[str, str]) -> bool:
        if self._token is None:
            return True
        given = {name.lower(): value for name, value in headers.items()}.get(TOKEN_HEADER.lower())
        return given is not None and hmac.compare_digest(given.encode(), self._token.encode())


_Handler = Callable[[Simulator, Route, Mapping[str, Any], bytes], object]

HANDLERS: Mapping[str, _Handler] = {
    "recommendation": Simulator._answer_recommendation,
    "similar": Simulator._answer_similar,
    "sales-ranking": Simulator._answer_sales_ranking,
    "collection": Simulator._answer_collection,
    "profile": Simulator._answer_profile,
    "search": Simulator._answer_search,
    "detailed-search": Simulator._answer_detailed_search,
}
"""Each call's handler, by its row's name in `fashionai.api.endpoints.ENDPOINTS` (a test checks every row has one)."""
