"""Reading the merchandising answers and checking what goes into their URLs: the small pieces both share.

A body that breaks the documented shape raises `ShapeError` (a ValueError) whose `problem`
completes the client's sentence "Fashion.AI answered HTTP 200, but ...", so the client can
wrap it into a `ResponseFormatError`. Ids arrive as strings or numbers and leave as strings.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

__all__ = ["PATH_VALUE_MAX_CHARS", "ShapeError", "check_limit", "id_text", "json_object", "json_type",
           "parse_instant", "path_value"]

PATH_VALUE_MAX_CHARS = 320
"""The longest value that goes into a URL path segment (an e-mail address is at most 254 characters)."""


class ShapeError(ValueError):
    """An answer that breaks the documented shape; `problem` says how, in plain words."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem



def json_type(value: object) -> str:
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


def id_text(value: object, what: str) -> str:
    """An id as text: strings as sent, whole numbers written out; anything else is a ShapeError."""
    if isinstance(value, bool) or not isinstance(value, (str, numbers.Integral)):
        raise ShapeError(f"{what} is a JSON {json_type(value)}, not an id")
    text = str(int(value)) if isinstance(value, numbers.Integral) else value
    if not text.strip():
        raise ShapeError(f"{what} is an empty id")
    return text


def json_object(value: object, what: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise ShapeError(f"{what} is a JSON {json_type(value)}, not an object")
    return value


def parse_instant(value: object, what: str = "the date") -> datetime:
    """An ISO 8601 instant with its zone ("2025-09-23T00:00:00.000Z", with or without the
    milliseconds, or an offset like +00:00) as an aware datetime in UTC; else a ShapeError.
    A date without a zone is refused: it would be read in the wrong time zone."""
    if not isinstance(value, str):
        raise ShapeError(f"{what} is a JSON {json_type(value)}, not a date")
    shown = value if len(value) <= 40 else value[:39] + "…"
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError as err:
        raise ShapeError(f"{what} ({shown!r}) is not an ISO 8601 date and time") from err
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ShapeError(f"{what} ({shown!r}) has no time zone (like a final Z)")
    try:
        return moment.astimezone(UTC)
    except OverflowError as err:  # "0001-01-01T00:00:00+01:00" is before year 1 in UTC
        raise ShapeError(f"{what} ({shown!r}) is out of the range of dates") from err



def path_value(value: object, what: str) -> str:
    """A value that goes into a URL path segment: text or a whole number, stripped, not blank,
    not too long, not "." or ".." (which a URL reads as a step up the path)."""
    if isinstance(value, bool) or not isinstance(value, (str, numbers.Integral)):
        raise ValueError(f"{what} must be a text or a whole number, not {type(value).__name__}")
    text = str(int(value)) if isinstance(value, numbers.Integral) else value.strip()
    if not text:
        raise ValueError(f"{what} is blank: type one")
    if len(text) > PATH_VALUE_MAX_CHARS:
        raise ValueError(f"{what} is {len(text):,} characters long; at most {PATH_VALUE_MAX_CHARS} are accepted")
    if set(text) == {"."}:
        raise ValueError(f"{what} cannot be only dots")
    return text



def check_limit(limit: object) -> int | None:
    """`limit` for similar products as sent: None (the API's default) or a whole number of at
    least 1; anything else is a ValueError saying so in plain words."""
    if limit is None:
        return None
    if isinstance(limit, bool) or not isinstance(limit, numbers.Integral):
        raise ValueError(f"the number of similar products must be a whole number of at least 1, not {limit!r}")
    if limit < 1:
        raise ValueError(f"the number of similar products must be at least 1, not {int(limit)}")
    return int(limit)

