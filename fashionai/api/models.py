"""The API's wire and what a call leaves behind.

The address, paths (from `endpoints.ENDPOINTS`) and token header of Fashion.AI (the client and the simulator both
speak them), and the frozen records of a call: `RequestRecord` (what was sent, without
headers), `Recommendation` (a successful answer) and `Exchange` (a finished call, as the
client's observer sees it). None of them holds the app token. The answers of a collection
and of a profile live beside their parsers: `fashionai.api.collections.CollectionAnswer`,
`fashionai.api.profiles.ProfileAnswer`.
"""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from fashionai.api.endpoints import ENDPOINTS
from fashionai.domain import EventType

__all__ = [
    "DEFAULT_BASE_URL",
    "RECOMMENDATION_PATH",
    "SALES_RANKING_PATH",
    "SIMILAR_PATH",
    "TOKEN_HEADER",
    "Exchange",
    "Recommendation",
    "RequestRecord",
]

DEFAULT_BASE_URL = "https://catalog.api.fashionai.dev/api/v1"
TOKEN_HEADER = "X-FashionAI-APP-Token"
RECOMMENDATION_PATH = ENDPOINTS["recommendation"].path
SALES_RANKING_PATH = ENDPOINTS["sales-ranking"].path
SIMILAR_PATH = ENDPOINTS["similar"].path


@dataclass(frozen=True)
class RequestRecord:
    """What was sent, without headers (so without the token)."""

    method: str
    url: str  # full, with the query
    json: dict[str, Any] | None = None  # the body sent, or None for a GET
    event_type: str | None = None  # categoryView, ..., similar, collection; None for the sales ranking

    def asked(self) -> tuple[str, str | None, str | None, str | None]:
        """What was asked: (event type, session id, user id, item id) as sent; the sales
        ranking as `EventType.SALES_RANKING`, its category as the item and no session or user;
        a collection as `EventType.COLLECTION`, its id (the URL's last segment) as the item; a search (site or
        detailed) its query (decoded from the URL) as the item."""
        if not self.event_type:
            category = parse_qs(urlsplit(self.url).query).get("categoryId", [None])[0]
            return EventType.SALES_RANKING, None, None, category
        if self.event_type == EventType.COLLECTION:
            return EventType.COLLECTION, None, None, unquote(urlsplit(self.url).path.rsplit("/", 1)[-1])
        body = self.json if isinstance(self.json, dict) else {}
        if self.event_type in (EventType.SEARCH, EventType.DETAILED_SEARCH):  # the query as the item asked about
            query = parse_qs(urlsplit(self.url).query).get("query", [None])[0]
            return self.event_type, _text(body.get("sessionId")), _text(body.get("userId")), query
        data = body["data"] if isinstance(body.get("data"), dict) else {}
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
    when there is a user. Similar products (`EventType.SIMILAR`) take the same body without
    ``eventType``. Rebuilding a saved answer's request uses the same rule."""
    body: dict[str, Any] = {}
    if user_id is not None:
        body["userId"] = user_id
    body["sessionId"] = session_id
    if event_type != EventType.SIMILAR:
        body["eventType"] = event_type
    body["data"] = {"id": item_id}
    return body


def _text(value: object) -> str | None:
    return None if value is None else str(value)


@dataclass(frozen=True)
class Recommendation:
    """A successful answer: product ids ranked best first, and how they were obtained."""

    products: tuple[str, ...]
    request: RequestRecord
    status_code: int
    response_body: Any = field(repr=False)  # Any: the parsed JSON, as received
    elapsed: float  # seconds for the whole call, retries and waits included
    attempts: int  # requests sent: 1 plus the retries
    exchange_id: str | None = field(default=None, compare=False)  # the Exchange observers were given


@dataclass(frozen=True)
class SliceSeen:
    """What the history keeps of a collection answer's slice beside its ids: the slice's id and name, and the ids
    of its products that fail the slice's filters (`active: false`), in position order."""

    slice_id: str
    slice_name: str
    inactive: tuple[str, ...]


@dataclass(frozen=True)
class Exchange:
    """One finished call, success or failure, as the client's ``on_exchange`` observer sees it.

    What was sent and what came back, without headers (so without the token) and
    without the answer's body: just the ranked ids, or the error's class name. A collection's
    answer gives its slice's ids in position order; its 404 (no active slice, a normal state)
    is a success with status 404 and no ids, a slice its `slice_seen`; a site search's gives its page's ids and its
    `totals`.
    A profile call is never observed.
    """

    id: str  # unique per call; a successful call's Recommendation.exchange_id
    request: RequestRecord
    status_code: int | None  # the last HTTP status received; None when no answer arrived
    products: tuple[str, ...]  # the ranked ids, best first (a slice's in position order); () on failure
    error: str | None  # the error's class name, e.g. "RateLimitError"; None on success
    elapsed: float  # seconds for the whole call, retries and waits included
    attempts: int  # requests sent: 1 plus the retries
    timestamp: datetime  # when the call finished (UTC)
    totals: tuple[int, int] | None = None  # a search's (total items, total pages); None for any other answer
    slice_seen: SliceSeen | None = None  # a collection's slice (id, name, inactive ids); None for any other answer

    @property
    def ok(self) -> bool:
        return self.error is None
