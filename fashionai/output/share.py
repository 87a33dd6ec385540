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

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar
from urllib.parse import quote, urlencode

from fashionai.domain import JOURNEY_K_RANGE, K_RANGE, MAX_LANES, MAX_STEPS, P_RANGE, Backend, EventType
from fashionai.output.share_params import Param, read_value, show, values_of

VERSION = "1"
PAGE_PARAM, VERSION_PARAM = "page", "v"
STREAMLIT_PARAMS = frozenset({"embed", "embed_options"})
CATALOG_PARAM = "catalog"
"""The session's catalog, by its fingerprint in the catalog library: on every page's URL, not a view's value."""
OUTCOMES = ("ok", "failed")


# --------------------------------------------------------------------------- views


@dataclass(frozen=True)
class StorefrontView:
    category: str | None = None
    session: str | None = None
    user: str | None = None
    hide_out_of_stock: bool = False
    snapshot: str | None = None  # the preview's saved answer

    PAGE: ClassVar[str] = "storefront"
    PARAMS: ClassVar[tuple[Param, ...]] = (
        Param("category", "category", "text", "category"),
        Param("session", "session", "text", "shopper session"),
        Param("user", "user", "text", "user id"),
        Param("hide", "hide_out_of_stock", "bool", "hiding out-of-stock products"),
        Param("snap", "snapshot", "snapshot", "saved answer"),
    )


@dataclass(frozen=True)
class SearchView:
    query: str | None = None
    session: str | None = None
    user: str | None = None
    snapshot: str | None = None  # the search's saved answer (its page in it)

    PAGE: ClassVar[str] = "search"
    PARAMS: ClassVar[tuple[Param, ...]] = (
        Param("query", "query", "text", "query"),
        Param("session", "session", "text", "shopper session"),
        Param("user", "user", "text", "user id"),
        Param("snap", "snapshot", "snapshot", "saved answer"),
    )


@dataclass(frozen=True)
class LookView:
    product: str | None = None
    session: str | None = None
    user: str | None = None
    only_valid: bool = False
    snapshot: str | None = None

    PAGE: ClassVar[str] = "shop_the_look"
    PARAMS: ClassVar[tuple[Param, ...]] = (
        Param("product", "product", "text", "main piece"),
        Param("session", "session", "text", "shopper session"),
        Param("user", "user", "text", "user id"),
        Param("valid", "only_valid", "bool", "showing only pieces with stock"),
        Param("snap", "snapshot", "snapshot", "saved answer"),
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
    query: str | None = None  # the lanes search this query (its first page) instead of ranking the category
    explain: str | None = None  # the stored run of a session lane's leave-one-out experiment (replayed, no call)
    explain_lane: str | None = None  # that lane's shopper session

    PAGE: ClassVar[str] = "compare"
    PARAMS: ClassVar[tuple[Param, ...]] = (
        Param("category", "category", "text", "category"),
        Param("lane", "lanes", "texts", "lanes", most=MAX_LANES),
        Param("line", "sessions", "texts", "shopper session lanes", most=MAX_LANES),
        Param("sidebar", "add_sidebar", "bool", "adding the sidebar's session"),
        Param("session", "session", "text", "shopper session"),
        Param("user", "user", "text", "user id"),
        Param("k", "k", "int", "K", *K_RANGE),
        Param("p", "p", "float", "weight of the top ranks (RBO p)", *P_RANGE),
        Param("ref", "reference", "text", "reference lane"),
        Param("other", "other", "text", "lane compared with"),
        Param("snap", "snapshots", "snapshots", "saved answers", most=MAX_LANES),
        Param("query", "query", "text", "search query"),
        Param("explain", "explain", "snapshot", "experiment's stored run"),
        Param("xlane", "explain_lane", "text", "explained session lane"),
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
    explain: str | None = None  # the stored run of its leave-one-out experiment (replayed from the store, no call)

    PAGE: ClassVar[str] = "journey"
    PARAMS: ClassVar[tuple[Param, ...]] = (
        Param("journey", "journey", "text", "journey"),
        Param("k", "k", "int", "K", *JOURNEY_K_RANGE),
        Param("fresh", "fresh", "bool", "running on a fresh session"),
        Param("session", "session", "text", "shopper session"),
        Param("user", "user", "text", "user id"),
        Param("snap", "snapshots", "snapshots", "journey's saved answers", most=MAX_JOURNEY_SNAPSHOTS),
        Param("explain", "explain", "snapshot", "experiment's stored run"),
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
    PARAMS: ClassVar[tuple[Param, ...]] = (
        Param("session", "session", "text", "session filter"),
        Param("user", "user", "text", "user filter"),
        Param("item", "item", "text", "category or product filter"),
        Param("event", "event", "choice", "event filter", choices=tuple(EventType)),
        Param("backend", "backend", "choice", "backend filter", choices=tuple(Backend)),
        Param("from", "since", "date", "first day"),
        Param("to", "until", "date", "last day"),
        Param("outcome", "outcome", "choice", "outcome filter", choices=OUTCOMES),
        Param("snap", "selected", "snapshots", "chosen snapshots", most=2),
        Param("k", "k", "int", "K", *K_RANGE),
        Param("p", "p", "float", "weight of the top ranks (RBO p)", *P_RANGE),
        Param("ref", "reference", "snapshot", "reference snapshot"),
    )


MAX_WALK_SNAPSHOTS = 40
"""The most saved answers a walk's link names (its trail's last ones): about 1,300 characters of link."""


@dataclass(frozen=True)
class WalkView:
    session: str | None = None  # the sidebar's shopper session and user: the walk's shopper
    user: str | None = None
    snapshots: tuple[str, ...] = ()  # the trail's saved answers, in order
    explain: str | None = None  # the stored run of its leave-one-out experiment (replayed from the store, no call)

    PAGE: ClassVar[str] = "walk"
    PARAMS: ClassVar[tuple[Param, ...]] = (
        Param("session", "session", "text", "shopper session"),
        Param("user", "user", "text", "user id"),
        Param("snap", "snapshots", "snapshots", "walk's saved answers", most=MAX_WALK_SNAPSHOTS),
        Param("explain", "explain", "snapshot", "experiment's stored run"),
    )


View = StorefrontView | SearchView | LookView | CompareView | JourneyView | HistoryView | WalkView
VIEWS: dict[str, type[View]] = {view.PAGE: view for view in (StorefrontView, SearchView, LookView, CompareView, JourneyView,
                                                       HistoryView, WalkView)}
SIDEBAR_PAGES = frozenset({"storefront", "search", "shop_the_look", "compare", "journey", "walk"})
"""Pages whose ``session`` and ``user`` are the sidebar's shopper session and user."""


@dataclass(frozen=True)
class Decoded:
    """A link's view of one page, and what was wrong with it (plain sentences, not markup)."""

    view: View
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
    values = values_of(params.get(PAGE_PARAM))
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
    version = values_of(params.get(VERSION_PARAM))
    if version and version[-1] != VERSION:
        return Decoded(view_class(), (
            (f"This link was made by another version of the studio (v={show(version[-1])}); its settings "
             "were not applied, so the page opens as usual."),))

    known = {param.name: param for param in view_class.PARAMS}
    values: dict[str, Any] = {}
    problems: list[str] = []
    unknown = [key for key in params if key not in known and key not in (PAGE_PARAM, VERSION_PARAM, CATALOG_PARAM)
               and key not in STREAMLIT_PARAMS]
    if unknown:
        names = ", ".join(show(key) for key in unknown[:5])
        problems.append(f"This link has settings this page does not know ({names}); they were ignored.")
    for name, param in known.items():
        raw = values_of(params.get(name))
        if not raw:
            continue
        value, problem = read_value(param, raw)
        if problem:
            problems.append(problem)
        else:
            values[param.attr] = value
    since, until = values.get("since"), values.get("until")
    if since is not None and until is not None and since > until:
        del values["since"], values["until"]
        problems.append(f"The link's first day ({since}) is after the last day ({until}), so neither was used.")
    return Decoded(view_class(**values), tuple(problems))


def compare_view(category: str | None, lanes: Sequence[str], sessions_text: str, add_sidebar: bool,
                 session: str | None, user: str | None, *, query: str | None = None) -> CompareView:
    """The compare page's lanes as a view (its text area of sessions split into lines); `query` for lanes of a
    search (the category then left out)."""
    lines = tuple(line.strip() for line in str(sessions_text or "").splitlines() if line.strip())
    query = str(query or "").strip() or None
    return CompareView(category=None if query else (category or None), lanes=tuple(lanes), sessions=lines,
                       add_sidebar=add_sidebar, session=(session or None) if add_sidebar else None,
                       user=(user or None) if add_sidebar else None, query=query)
