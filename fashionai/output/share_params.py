"""A share link's parameters (`fashionai.output.share`): what each may hold, each value read back and checked.

`read_value` returns a parameter's value, or the plain sentence saying why it was dropped and what the
page does instead.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from fashionai.domain import SNAPSHOT_ID

MAX_TEXT = 2_000
"""Longest id a link may carry (session ids, categories, product ids, lane names): ids of many hundred
characters, and the whole link still fits the address a browser and the server take."""
DATE_RANGE = (date(2000, 1, 1), date(2099, 12, 31))
"""The days a link may name (and the history page's day pickers offer): outside it, no limit on that side."""
NO_SNAPSHOT = "-"
"""In a compare link's list of snapshots: a lane with none (the native order)."""

_ISO_DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", re.ASCII)  # no week dates, no times, no other digits


@dataclass(frozen=True)
class Param:
    """One query parameter: its name in the URL, the view's field, and what it may hold."""

    name: str
    attr: str
    kind: str  # text, texts, bool, int, float, snapshot, snapshots, date, choice
    what: str  # words for messages: "category", "K"
    low: float = -math.inf  # a number's bounds (int and float): every one of those has both
    high: float = math.inf
    choices: tuple[str, ...] = ()
    most: int = 1  # how many values a repeated parameter may have


def values_of(raw: str | Iterable[object] | None) -> list[str]:
    """A parameter's values as a list of strings (one for a single value, none for a missing one)."""
    if raw is None:
        return []
    if isinstance(raw, str):
        return [raw]
    return [str(value) for value in raw]


def show(value: str, limit: int = 40) -> str:
    """A value as a message quotes it: spaces collapsed, cut to `limit` characters."""
    text = " ".join(str(value).split())
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def _text(value: str) -> str | None:
    """The value exactly as the studio holds it (a tab, a non-breaking or zero-width space are kept),
    or None for a blank one, one longer than MAX_TEXT or one holding NUL."""
    if not value.strip() or len(value) > MAX_TEXT or "\x00" in value:
        return None
    return value


def read_value(param: Param, raw: list[str]) -> tuple[Any, str | None]:
    """A parameter's value, or a message saying why it was dropped."""
    value = raw[-1]
    if param.kind == "text":
        text = _text(value)
        if text is None:
            return None, (f"The link's {param.what} ({show(value)}) is empty, longer than {MAX_TEXT:,} "
                          "characters or holds a NUL character, so it was left out.")
        return text, None
    if param.kind == "texts":
        texts = [_text(v) for v in raw]
        if any(t is None for t in texts) or len(texts) > param.most:
            return None, (f"The link's {param.what} cannot be used (at most {param.most}, each non-empty "
                          f"and up to {MAX_TEXT:,} characters), so they were left as they were.")
        return tuple(texts), None
    if param.kind == "bool":
        lowered = value.strip().lower()
        if lowered in ("1", "true", "yes", "on"):
            return True, None
        if lowered in ("0", "false", "no", "off"):
            return False, None
        return None, f"The link's setting for {param.what} ({show(value)}) is not 1 or 0, so it was left as it was."
    if param.kind == "int":
        try:
            whole: int | None = int(value.strip())
        except ValueError:
            whole = None
        if whole is None or not param.low <= whole <= param.high:
            return None, (f"The link's {param.what} ({show(value)}) is not a whole number from "
                          f"{param.low:g} to {param.high:g}, so the page's default is used.")
        return whole, None
    if param.kind == "float":
        try:
            number = float(value.strip())
        except ValueError:
            number = math.nan
        if not (math.isfinite(number) and param.low <= number <= param.high):
            return None, (f"The link's {param.what} ({show(value)}) is not a number from {param.low:g} "
                          f"to {param.high:g}, so the page's default is used.")
        return round(number, 2), None
    if param.kind == "choice":
        if value not in param.choices:
            return None, (f"The link's {param.what} ({show(value)}) is not one of "
                          f"{', '.join(param.choices)}, so it was left out.")
        return value, None
    if param.kind == "date":
        try:
            day = date.fromisoformat(value.strip()) if _ISO_DAY.match(value.strip()) else None
        except ValueError:
            day = None
        if day is None:
            return None, f"The link's {param.what} ({show(value)}) is not a date like 2026-04-17, so it was left out."
        low, high = DATE_RANGE
        if not low <= day <= high:
            return None, (f"The link's {param.what} ({show(value)}) is not a day from {low} to {high}, so it was "
                          "left out: there is no limit on that side.")
        return day, None
    if param.kind == "snapshot":
        if not SNAPSHOT_ID.match(value.strip()):
            return None, (f"The link's {param.what} ({show(value)}) is not a snapshot id, so it was left out.")
        return value.strip(), None
    if param.kind == "snapshots":
        ids = [v.strip() for v in raw]
        if len(ids) > param.most or not all(SNAPSHOT_ID.match(i) or i == NO_SNAPSHOT for i in ids):
            return None, (f"The link's {param.what} are not a list of at most {param.most} snapshot ids, "
                          "so nothing saved is shown.")
        return tuple(ids), None
    raise AssertionError(f"unknown parameter kind {param.kind!r}")

