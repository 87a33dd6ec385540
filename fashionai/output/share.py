"""A page's view in the URL's query string, so that a copied link opens the same view.

    params = encode(StorefrontView(category="dresses", session="sess-1", snapshot="3f2a…"))
    # {"page": "storefront", "v": "1", "category": "dresses", "session": "sess-1", "snap": "3f2a…"}
    decoded = decode("storefront", params)  # Decoded(view=StorefrontView(...), problems=())

Each page that can be shared has a frozen view dataclass holding what it shows:
the category or product, the shopper sessions and users, K, the reference lane, the
snapshots. `encode` makes a flat dict for ``st.query_params`` (a list for a repeated
key), leaving out empty and default values; `decode` reads one back, checking every
value. A bad value never stops the page: it is dropped, and `Decoded.problems` says
in plain words which one and what the page does instead. Whether a value is stale
(a category the catalog no longer has, a snapshot retention removed) depends on the
deployment, so the adapter checks that and adds its own messages.

A link carries ids, numbers and snapshot ids only: never a token, never a header.
Streamlit's own parameters (``embed``, ``embed_options``) are left alone, and so is ``catalog``
(CATALOG_PARAM), which every page's URL may carry for the adapter (fashionai.ui.links).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar
from urllib.parse import quote, urlencode

from fashionai.domain import JOURNEY_K_RANGE, K_RANGE, MAX_LANES, P_RANGE, SNAPSHOT_ID, Backend, EventType
from fashionai.journey import MAX_STEPS

VERSION = "1"
PAGE_PARAM, VERSION_PARAM = "page", "v"
STREAMLIT_PARAMS = frozenset({"embed", "embed_options"})
CATALOG_PARAM = "catalog"
"""The session's catalog, by its fingerprint in the catalog library: on every page's URL, not a view's value."""
MAX_TEXT = 2_000
"""Longest id a link may carry (session ids, categories, product ids, lane names): ids of many hundred
characters, and the whole link still fits the address a browser and the server take."""
DATE_RANGE = (date(2000, 1, 1), date(2099, 12, 31))
"""The days a link may name (and the history page's day pickers offer): outside it, no limit on that side."""
NO_SNAPSHOT = "-"
"""In a compare link's list of snapshots: a lane with none (the native order)."""
OUTCOMES = ("ok", "failed")

_ISO_DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", re.ASCII)  # no week dates, no times, no other digits


@dataclass(frozen=True)
class _Param:
    """One query parameter: its name in the URL, the view's field, and what it may hold."""

    name: str
    attr: str
    kind: str  # text, texts, bool, int, float, snapshot, snapshots, date, choice
    what: str  # words for messages: "category", "K"
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] = ()
    most: int = 1  # how many values a repeated parameter may have


# --------------------------------------------------------------------------- views


@dataclass(frozen=True)
class StorefrontView:
    category: str | None = None
    session: str | None = None
    user: str | None = None
    hide_out_of_stock: bool = False
    snapshot: str | None = None  # the preview's saved answer

    PAGE: ClassVar[str] = "storefront"
    PARAMS: ClassVar[tuple[_Param, ...]] = (
        _Param("category", "category", "text", "category"),
        _Param("session", "session", "text", "shopper session"),
        _Param("user", "user", "text", "user id"),
        _Param("hide", "hide_out_of_stock", "bool", "hiding out-of-stock products"),
        _Param("snap", "snapshot", "snapshot", "saved answer"),
    )


@dataclass(frozen=True)
class LookView:
    product: str | None = None
    session: str | None = None
    user: str | None = None
    only_valid: bool = False
    snapshot: str | None = None

    PAGE: ClassVar[str] = "shop_the_look"
    PARAMS: ClassVar[tuple[_Param, ...]] = (
        _Param("product", "product", "text", "main piece"),
        _Param("session", "session", "text", "shopper session"),
        _Param("user", "user", "text", "user id"),
        _Param("valid", "only_valid", "bool", "showing only pieces with stock"),
        _Param("snap", "snapshot", "snapshot", "saved answer"),
    )


@dataclass(frozen=True)
class CompareView:
    category: str | None = None
    lanes: tuple[str, ...] = ()  # the lane options chosen: "Native order", "Persona: Sporty shopper", ...
    sessions: tuple[str, ...] = ()  # added shopper sessions, "session" or "session, user"
    add_sidebar: bool = False  # the sidebar's shopper session is a lane too
    session: str | None = None  # the sidebar's shopper session and user
    user: str | None = None
    k: int | None = None
    p: float | None = None
    reference: str | None = None
    other: str | None = None
    snapshots: tuple[str, ...] = ()  # one a lane, in lane order: a snapshot id or NO_SNAPSHOT

    PAGE: ClassVar[str] = "compare"
    PARAMS: ClassVar[tuple[_Param, ...]] = (
        _Param("category", "category", "text", "category"),
        _Param("lane", "lanes", "texts", "lanes", most=MAX_LANES),
        _Param("line", "sessions", "texts", "shopper session lanes", most=MAX_LANES),
        _Param("sidebar", "add_sidebar", "bool", "adding the sidebar's session"),
        _Param("session", "session", "text", "shopper session"),
        _Param("user", "user", "text", "user id"),
        _Param("k", "k", "int", "K", *K_RANGE),
        _Param("p", "p", "float", "weight of the top ranks (RBO p)", *P_RANGE),
        _Param("ref", "reference", "text", "reference lane"),
        _Param("other", "other", "text", "lane compared with"),
        _Param("snap", "snapshots", "snapshots", "saved answers", most=MAX_LANES),
    )


MAX_JOURNEY_SNAPSHOTS = 2 * MAX_STEPS
"""The most saved answers a journey's link names: two a step (its event, the ranking after it), about 1,400
characters of link for the longest journey."""


@dataclass(frozen=True)
class JourneyView:
    journey: str | None = None  # the journey chosen, as the page lists it: "Persona: Sporty shopper"
    k: int | None = None
    fresh: bool = True
    session: str | None = None
    user: str | None = None
    snapshots: tuple[str, ...] = ()  # the run's saved answers: each step's event, then the ranking after it

    PAGE: ClassVar[str] = "journey"
    PARAMS: ClassVar[tuple[_Param, ...]] = (
        _Param("journey", "journey", "text", "journey"),
        _Param("k", "k", "int", "K", *JOURNEY_K_RANGE),
        _Param("fresh", "fresh", "bool", "running on a fresh session"),
        _Param("session", "session", "text", "shopper session"),
        _Param("user", "user", "text", "user id"),
        _Param("snap", "snapshots", "snapshots", "journey's saved answers", most=MAX_JOURNEY_SNAPSHOTS),
    )


@dataclass(frozen=True)
class HistoryView:
    session: str | None = None  # filters
    user: str | None = None
    item: str | None = None  # category or product
    event: str | None = None
    backend: str | None = None
    since: date | None = None  # first day, UTC
    until: date | None = None  # last day, UTC (included)
    outcome: str | None = None  # "ok" or "failed"
    selected: tuple[str, ...] = ()  # one snapshot opened, or two compared
    k: int | None = None
    p: float | None = None
    reference: str | None = None  # which selected snapshot is the reference lane

    PAGE: ClassVar[str] = "history"
    PARAMS: ClassVar[tuple[_Param, ...]] = (
        _Param("session", "session", "text", "session filter"),
        _Param("user", "user", "text", "user filter"),
        _Param("item", "item", "text", "category or product filter"),
        _Param("event", "event", "choice", "event filter", choices=tuple(EventType)),
        _Param("backend", "backend", "choice", "backend filter", choices=tuple(Backend)),
        _Param("from", "since", "date", "first day"),
        _Param("to", "until", "date", "last day"),
        _Param("outcome", "outcome", "choice", "outcome filter", choices=OUTCOMES),
        _Param("snap", "selected", "snapshots", "chosen snapshots", most=2),
        _Param("k", "k", "int", "K", *K_RANGE),
        _Param("p", "p", "float", "weight of the top ranks (RBO p)", *P_RANGE),
        _Param("ref", "reference", "snapshot", "reference snapshot"),
    )


MAX_WALK_SNAPSHOTS = 40
"""The most saved answers a walk's link names (its trail's last ones): about 1,300 characters of link."""


@dataclass(frozen=True)
class WalkView:
    session: str | None = None  # the sidebar's shopper session and user: the walk's shopper
    user: str | None = None
    snapshots: tuple[str, ...] = ()  # the trail's saved answers, in order

    PAGE: ClassVar[str] = "walk"
    PARAMS: ClassVar[tuple[_Param, ...]] = (
        _Param("session", "session", "text", "shopper session"),
        _Param("user", "user", "text", "user id"),
        _Param("snap", "snapshots", "snapshots", "walk's saved answers", most=MAX_WALK_SNAPSHOTS),
    )


View = StorefrontView | LookView | CompareView | JourneyView | HistoryView | WalkView
VIEWS: dict[str, type] = {view.PAGE: view for view in (StorefrontView, LookView, CompareView, JourneyView,
                                                       HistoryView, WalkView)}
SIDEBAR_PAGES = frozenset({"storefront", "shop_the_look", "compare", "journey", "walk"})
"""Pages whose ``session`` and ``user`` are the sidebar's shopper session and user."""


@dataclass(frozen=True)
class Decoded:
    """A link's view of one page, and what was wrong with it (plain sentences, not markup)."""

    view: Any
    problems: tuple[str, ...] = ()


# --------------------------------------------------------------------------- encode


def encode(view: View) -> dict[str, str | list[str]]:
    """The view as query parameters: ``page`` and ``v`` first, then every non-default value."""
    params: dict[str, str | list[str]] = {PAGE_PARAM: view.PAGE, VERSION_PARAM: VERSION}
    defaults = type(view)()
    for param in view.PARAMS:
        value = getattr(view, param.attr)
        if value == getattr(defaults, param.attr) or value is None:
            continue
        if param.kind in ("texts", "snapshots"):
            params[param.name] = [str(v) for v in value]
        elif param.kind == "bool":
            params[param.name] = "1" if value else "0"
        elif param.kind == "float":
            params[param.name] = f"{value:g}"
        elif param.kind == "date":
            params[param.name] = value.isoformat()
        else:
            params[param.name] = str(value)
    return params


def query_string(params: Mapping[str, str | Sequence[str]]) -> str:
    """``page=storefront&v=1&category=…``: repeated keys for lists, spaces as %20."""
    pairs = [(key, value) for key, values in params.items()
             for value in ([values] if isinstance(values, str) else values)]
    return urlencode(pairs, quote_via=quote)


def link(base_url: str | None, params: Mapping[str, str | Sequence[str]]) -> str:
    """The link to share: the page's address (no query) and the view's parameters."""
    base = (base_url or "").split("?", 1)[0].split("#", 1)[0]
    return f"{base}?{query_string(params)}"


# --------------------------------------------------------------------------- decode


def link_page(params: Mapping[str, Any]) -> str | None:
    """The page a link names (its ``page`` parameter), if any."""
    values = _values(params.get(PAGE_PARAM))
    return values[-1] if values else None


def decode(page: str, params: Mapping[str, str | Sequence[str]]) -> Decoded | None:
    """A link's view of `page`, every bad value dropped with a message; None if it names another page.

    A link with no ``page`` is taken as meant for the page it opens (a hand-made
    ``?category=dresses`` works), and one with no ``v`` as this version's.
    """
    view_class = VIEWS[page]
    named = link_page(params)
    if named is not None and named != page:
        return None
    version = _values(params.get(VERSION_PARAM))
    if version and version[-1] != VERSION:
        return Decoded(view_class(), (
            f"This link was made by another version of the studio (v={_show(version[-1])}); its settings "
            "were not applied, so the page opens as usual.",))

    known = {param.name: param for param in view_class.PARAMS}
    values: dict[str, Any] = {}
    problems: list[str] = []
    unknown = [key for key in params if key not in known and key not in (PAGE_PARAM, VERSION_PARAM, CATALOG_PARAM)
               and key not in STREAMLIT_PARAMS]
    if unknown:
        names = ", ".join(_show(key) for key in unknown[:5])
        problems.append(f"This link has settings this page does not know ({names}); they were ignored.")
    for name, param in known.items():
        raw = _values(params.get(name))
        if not raw:
            continue
        value, problem = _read(param, raw)
        if problem:
            problems.append(problem)
        else:
            values[param.attr] = value
    since, until = values.get("since"), values.get("until")
    if since is not None and until is not None and since > until:
        del values["since"], values["until"]
        problems.append(f"The link's first day ({since}) is after the last day ({until}), so neither was used.")
    return Decoded(view_class(**values), tuple(problems))


def _values(raw: Any) -> list[str]:
    if raw is None:
        return []
    if isinstance(raw, str):
        return [raw]
    return [str(value) for value in raw]


def _show(value: str, limit: int = 40) -> str:
    text = " ".join(str(value).split())
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def _text(value: str) -> str | None:
    """The value exactly as the studio holds it (a tab, a non-breaking or zero-width space are kept),
    or None for a blank one, one longer than MAX_TEXT or one holding NUL."""
    if not value.strip() or len(value) > MAX_TEXT or "\x00" in value:
        return None
    return value


def _read(param: _Param, raw: list[str]) -> tuple[Any, str | None]:
    """A parameter's value, or a message saying why it was dropped."""
    value = raw[-1]
    if param.kind == "text":
        text = _text(value)
        if text is None:
            return None, (f"The link's {param.what} ({_show(value)}) is empty, longer than {MAX_TEXT:,} "
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
        return None, f"The link's setting for {param.what} ({_show(value)}) is not 1 or 0, so it was left as it was."
    if param.kind == "int":
        try:
            number = int(value.strip())
        except ValueError:
            number = None
        if number is None or not param.low <= number <= param.high:
            return None, (f"The link's {param.what} ({_show(value)}) is not a whole number from "
                          f"{param.low:g} to {param.high:g}, so the page's default is used.")
        return number, None
    if param.kind == "float":
        try:
            number = float(value.strip())
        except ValueError:
            number = math.nan
        if not (math.isfinite(number) and param.low <= number <= param.high):
            return None, (f"The link's {param.what} ({_show(value)}) is not a number from {param.low:g} "
                          f"to {param.high:g}, so the page's default is used.")
        return round(number, 2), None
    if param.kind == "choice":
        if value not in param.choices:
            return None, (f"The link's {param.what} ({_show(value)}) is not one of "
                          f"{', '.join(param.choices)}, so it was left out.")
        return value, None
    if param.kind == "date":
        try:
            day = date.fromisoformat(value.strip()) if _ISO_DAY.match(value.strip()) else None
        except ValueError:
            day = None
        if day is None:
            return None, f"The link's {param.what} ({_show(value)}) is not a date like 2026-04-17, so it was left out."
        low, high = DATE_RANGE
        if not low <= day <= high:
            return None, (f"The link's {param.what} ({_show(value)}) is not a day from {low} to {high}, so it was "
                          "left out: there is no limit on that side.")
        return day, None
    if param.kind == "snapshot":
        if not SNAPSHOT_ID.match(value.strip()):
            return None, (f"The link's {param.what} ({_show(value)}) is not a snapshot id, so it was left out.")
        return value.strip(), None
    if param.kind == "snapshots":
        ids = [v.strip() for v in raw]
        if len(ids) > param.most or not all(SNAPSHOT_ID.match(i) or i == NO_SNAPSHOT for i in ids):
            return None, (f"The link's {param.what} are not a list of at most {param.most} snapshot ids, "
                          "so nothing saved is shown.")
        return tuple(ids), None
    raise AssertionError(f"unknown parameter kind {param.kind!r}")


def compare_view(category: str | None, lanes: Sequence[str], sessions_text: str, add_sidebar: bool,
                 session: str | None, user: str | None) -> CompareView:
    """The compare page's lanes as a view (its text area of sessions split into lines)."""
    lines = tuple(line.strip() for line in str(sessions_text or "").splitlines() if line.strip())
    return CompareView(category=category or None, lanes=tuple(lanes), sessions=lines, add_sidebar=add_sidebar,
                       session=(session or None) if add_sidebar else None,
                       user=(user or None) if add_sidebar else None)
