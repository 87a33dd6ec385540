"""The simulator's wire format: which route a request is, its validated arguments, JSON answers.

    route_of("POST", "/api/v1/products/protected/similar")     # Route("similar", ())
    route_of("GET", ".../crm/protected/profile/email/a%40b.c")  # Route("profile", ("email", "a@b.c"))
    parse_similar(body), parse_limit(query)                     # similar()'s arguments, or BadRequest
    parse_search(body, query), parse_detailed_search(body, query)  # the searches' arguments, or BadRequest

Paths are matched on their end (any prefix, e.g. /api/v1) and arrive still percent-encoded;
a path parameter is one encoded segment, decoded here (so "%2F" in an id is a "/" of the id).
Answers are `SimResponse`s: JSON ``{"products": ...}``, a slice, a profile, or ``{"error": ...}``.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple, TypedDict
from urllib.parse import unquote

from fashionai.api.endpoints import ENDPOINTS
from fashionai.domain import TRACKING_EVENTS, EventType
from fashionai.simulator.faults import Decision

__all__ = ["BadRequest", "NotFound", "Route", "SimResponse", "broken_response", "error_response",
           "injected_response", "json_response", "mask_personal_paths", "parse_detailed_search", "parse_limit",
           "parse_recommendation", "parse_search", "parse_similar", "query_value", "route_of"]


class BadRequest(ValueError):
    """A request the API would answer with 400."""


class NotFound(KeyError):
    """Something the API would answer with 404 (an unknown product, profile kind, ...)."""

    def __str__(self) -> str:  # a KeyError quotes its message; this one reads plainly
        return str(self.args[0]) if self.args else "not found"


@dataclass(frozen=True)
class SimResponse:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:  # Any: JSON as sent, checked by whoever reads it
        return json.loads(self.body)


def json_response(status: int, payload: object, headers: Mapping[str, str] | None = None) -> SimResponse:
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    return SimResponse(status, {"Content-Type": "application/json", **(headers or {})}, body)


def error_response(status: int, message: str, headers: Mapping[str, str] | None = None) -> SimResponse:
    return json_response(status, {"error": message}, headers)


_STATUS_MESSAGES = {429: "too many requests", 500: "internal server error", 502: "bad gateway",
                    503: "service unavailable", 504: "gateway timeout"}
_BROKEN_HTML = (b"<!DOCTYPE html><html><head><title>Maintenance</title></head>"
                b"<body><h1>We'll be right back</h1></body></html>")


def injected_response(decision: Decision) -> SimResponse:
    """The error answer of an injected status (with Retry-After when the fault sets one)."""
    status = decision.status or 500
    headers = {}
    if decision.retry_after is not None:
        headers["Retry-After"] = str(math.ceil(decision.retry_after))
    return error_response(status, _STATUS_MESSAGES.get(status, "injected error"), headers)


def broken_response(response: SimResponse, kind: str) -> SimResponse:
    """A 200 whose body breaks: a maintenance page ("html") or the JSON cut in half."""
    if kind == "html":
        return SimResponse(200, {"Content-Type": "text/html; charset=utf-8"}, _BROKEN_HTML)
    return SimResponse(200, response.headers, response.body[: max(1, len(response.body) // 2)])


# -- routes -----------------------------------------------------------------------------------------


class Route(NamedTuple):
    """A routed request: its name and its decoded path parameters."""

    name: str  # a row's name of `fashionai.api.endpoints.ENDPOINTS` ("recommendation", "similar", ...)
    params: tuple[str, ...] = ()


_PROFILE_PREFIX = ENDPOINTS["profile"].prefix  # "/crm/protected/profile/"


def _segments(path: str, prefix: str, count: int) -> tuple[str, ...] | None:
    """The `count` encoded segments after `prefix` at the end of `path`, decoded; None otherwise."""
    head = prefix.rstrip("/")
    parts = path.split("/")
    if len(parts) <= count or not "/".join(parts[:-count]).endswith(head):
        return None
    return tuple(unquote(part) for part in parts[-count:])


def route_of(method: str, path: str) -> Route | None:
    """The route of a request (`path` still percent-encoded, without its query), or None (404)."""
    path = path.rstrip("/")
    method = method.upper()
    for row in ENDPOINTS.values():  # in the table's order
        if row.method != method:
            continue
        if not row.params:
            if path.endswith(row.path):
                return Route(row.name)
            continue
        params = _segments(path, row.prefix, len(row.params))
        if params is not None:
            return Route(row.name, params)
    return None


_PERSONAL_PATH = re.compile(
    "(" + re.escape(_PROFILE_PREFIX) + r"(?!user-profile-id/)[^/?#\"\s]*/)"  # any kind but the user id
    + r"[^?#\"]*?(?=[?#\"]|\s+HTTP/|\s*$)"  # its value, up to the query, a quote or the protocol
)


def mask_personal_paths(text: str) -> str:
    """`text` (e.g. a logged request line) with the value of every profile path looked up by
    anything but a user profile id (an e-mail, phone, document, or a kind written oddly)
    replaced by "***": personal data never reaches a log."""
    return _PERSONAL_PATH.sub(r"\1***", text)


# -- request bodies and queries ------------------------------------------------------------------------


def query_value(query: Mapping[str, Any], name: str) -> str | None:
    """One query parameter: the first value when a parser gives lists (parse_qs), else the value."""
    value = query.get(name)
    if isinstance(value, list | tuple):
        value = value[0] if value else None
    return value


def _json_object(body: bytes) -> dict[str, Any]:
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError) as err:
        raise BadRequest("body must be JSON") from err
    if not isinstance(payload, dict):
        raise BadRequest("body must be a JSON object")
    return payload


def _shopper(payload: Mapping[str, Any]) -> tuple[str, str | int | None]:
    session_id = payload.get("sessionId")
    if not isinstance(session_id, str) or not session_id.strip():
        raise BadRequest("sessionId is required and must be a non-empty string")
    user_id = payload.get("userId")
    if isinstance(user_id, bool) or not isinstance(user_id, str | int | None):
        raise BadRequest("userId must be a string")
    return session_id, user_id


def _data_id(payload: Mapping[str, Any], *, required: bool) -> str:
    data = payload.get("data")
    if data is not None and not isinstance(data, dict):
        raise BadRequest("data must be an object")
    item_id = (data or {}).get("id", "")
    if required and (not isinstance(item_id, str) or not item_id):
        raise BadRequest("data.id is required and must be a non-empty string")
    return item_id if isinstance(item_id, str) else ""


class RecommendationArgs(TypedDict):
    """recommend()'s keyword arguments, read from a recommendation body."""

    session_id: str
    event_type: str
    item_id: str
    user_id: str | int | None


class SimilarArgs(TypedDict):
    """similar()'s keyword arguments (without the limit), read from a similar-products body."""

    session_id: str
    product_id: str
    user_id: str | int | None


def parse_recommendation(body: bytes) -> RecommendationArgs:
    """Validate a recommendation body; return recommend()'s keyword arguments or raise BadRequest."""
    payload = _json_object(body)
    session_id, user_id = _shopper(payload)
    event_type = payload.get("eventType")
    if event_type not in TRACKING_EVENTS:
        raise BadRequest(f"eventType must be one of {', '.join(TRACKING_EVENTS)}")
    item_id = _data_id(payload, required=event_type != EventType.CUSTOM_SHELF)
    return {"session_id": session_id, "event_type": str(event_type), "item_id": item_id, "user_id": user_id}


def parse_similar(body: bytes) -> SimilarArgs:
    """Validate a similar-products body ``{"userId"?, "sessionId", "data": {"id"}}``; return
    similar()'s keyword arguments (without the limit) or raise BadRequest."""
    payload = _json_object(body)
    session_id, user_id = _shopper(payload)
    return {"session_id": session_id, "product_id": _data_id(payload, required=True), "user_id": user_id}


_WHOLE = re.compile("[0-9]+")


def parse_limit(value: object, name: str = "limit") -> int | None:
    """The `limit` of a similar-products query (or a search's `name`: its limit or page): None when absent,
    else a whole number of at least 1 (written in digits; an int is taken as it is), or BadRequest."""
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        limit = value
    elif isinstance(value, str) and _WHOLE.fullmatch(value.strip()):
        limit = int(value.strip())
    else:
        raise BadRequest(f"{name} must be a whole number of at least 1")
    if limit < 1:
        raise BadRequest(f"{name} must be a whole number of at least 1")
    return limit


def _search_query(query: Mapping[str, Any]) -> str:
    text = query_value(query, "query")
    if not isinstance(text, str) or not text.strip():
        raise BadRequest("query is required and must not be blank")
    return text


def parse_search(body: bytes, query: Mapping[str, Any]) -> dict[str, Any]:
    """Validate a site search (body ``{"userId"?, "sessionId"}``, ``?page&limit&query``); return search()'s
    keyword arguments (page 1 and limit 20 when absent) or raise BadRequest."""
    session_id, user_id = _shopper(_json_object(body))
    page, limit = (parse_limit(query_value(query, name), name) for name in ("page", "limit"))
    return {"session_id": session_id, "user_id": user_id, "query": _search_query(query), "page": page or 1,
            "limit": limit or 20}


def parse_detailed_search(body: bytes, query: Mapping[str, Any]) -> dict[str, Any]:
    """Validate a detailed search (body ``{"userId"?, "sessionId"}``, ``?query&size``); return
    detailed_search()'s keyword arguments or raise BadRequest."""
    session_id, user_id = _shopper(_json_object(body))
    size = query_value(query, "size")
    return {"session_id": session_id, "user_id": user_id, "query": _search_query(query),
            "size": size if isinstance(size, str) and size.strip() else None}
