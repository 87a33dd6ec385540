"""Lanes of a search query: the first page of one query as several shoppers would see it, side by side.

    comparison = compare_query(client, catalog, "vestido azul", specs, k=10, p=0.9)   # every lane at once
    replay_query("vestido azul", [(spec, snapshot), ...], catalog, k=10, p=0.9)      # a link's lanes, no call

The lane kinds are the compare page's (`lanes.LaneSpec`), each searching the same query's first page:

- ``session``: Fashion.AI's site search for that shopper session (and user). One tracking event, recorded as that
  session's behaviour.
- ``persona``: a fresh synthetic session sends the persona's steps (its taste, one event each), then the search.
- ``native``: the store's own text match (`storefront.text_match`), the same page: no personalization, no call.
- ``best_sellers``: refused (a sales ranking is of a category, not of a query).

An empty answer shows the store's own text match, as the storefront does (`lanes.answered_lane`). The lanes are a
`Comparison` (its `search` set, its `category` the query), so the compare page's measures, rank changes, history
snapshots, share links, decks and reports read them as any other. No Streamlit here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, cast

from fashionai.api.client import FashionAIClient
from fashionai.api.search import DEFAULT_SEARCH_LIMIT, SearchAnswer, check_query
from fashionai.catalog import Catalog
from fashionai.compare._fanout import OnDone, TaskResult
from fashionai.compare.compared import Comparison
from fashionai.compare.fetch import fan_out_lanes
from fashionai.compare.lanes import (
    BEST_SELLERS,
    NATIVE,
    PERSONA,
    SOURCE_FASHIONAI,
    Lane,
    LaneSpec,
    answered_lane,
    check_specs,
    with_unique_labels,
)
from fashionai.domain import DEFAULT_K, DEFAULT_P, MAX_LANES
from fashionai.journeys.run import send_step
from fashionai.measures.ranked_ids import check_k, check_p
from fashionai.storefront.preview import search_from_snapshot
from fashionai.storefront.text_match import text_match
from fashionai.text.formatting import new_session_id, plural

if TYPE_CHECKING:  # only its attributes are read
    from fashionai.history.model import Snapshot

__all__ = ["QUERY_SESSION_PREFIX", "check_query_specs", "compare_query", "query_events", "query_lane_note",
           "replay_query", "store_page"]

QUERY_SESSION_PREFIX = "studio-search"
"""A persona's fresh synthetic session starts with this (as the Search page's)."""


def store_page(catalog: Catalog, query: str, limit: int = DEFAULT_SEARCH_LIMIT) -> tuple[str, ...]:
    """The store's own text match for `query`, its first page: the search lanes' native order."""
    return text_match(catalog, query)[:limit]


def query_events(spec: LaneSpec) -> int:
    """Tracking events a lane of a search sends: 1 for a session, the steps then the search for a persona."""
    if spec.kind == PERSONA and spec.persona is not None:
        return len(spec.persona.steps) + 1
    return 0 if spec.kind in (NATIVE, BEST_SELLERS) else 1


def check_query_specs(specs: Sequence[LaneSpec]) -> None:
    """ValueError (plain words) for lanes a search cannot have (best sellers), then as `lanes.check_specs`."""
    sales = [spec.label for spec in specs if spec.kind == BEST_SELLERS]
    if sales:
        raise ValueError(f"the lane {sales[0]!r} is a category's sales ranking, which a search query does not have: "
                         "leave it out")
    check_specs(specs)


def query_lane_note(lane: Lane) -> str:
    """What a lane of a search is and where its order comes from, in plain words (plain text)."""
    n = len(lane.ranking)
    if not lane.ok:
        return "This search could not be made; the other lanes are not affected."
    if lane.spec.kind == NATIVE:
        if not n:
            return "The store's own search finds nothing for this query (every word in a product's text)."
        return (f"The store's own search: {plural(n, 'product')} holding every word of the query, no "
                "personalization. No call.")
    who = f"session {lane.session_id}"
    if lane.spec.kind == PERSONA and lane.spec.persona is not None:
        who = f"the fresh session {lane.session_id}, after {plural(len(lane.spec.persona.steps), 'visit')} of its taste"
    elif lane.spec.user_id:
        who += f", user {lane.spec.user_id}"
    if lane.fallback:
        return (f"Fashion.AI's search found nothing for {who}: the storefront then shows the store's own text match, "
                "which is what this lane draws.")
    text = f"Fashion.AI's search for {who}: {plural(n, 'product')} on its first page."
    if lane.unknown:
        text += f" {lane.unknown:,} of them {'is' if lane.unknown == 1 else 'are'} not in your catalog."
    return text


def _task(client: FashionAIClient, spec: LaneSpec, query: str, limit: int,
          new_session: Callable[[], str]) -> Callable[[], tuple]:
    def search() -> tuple:
        if spec.kind == NATIVE:
            return None, None
        session = spec.session_id
        if spec.kind == PERSONA and spec.persona is not None:
            session = new_session()
            for step in spec.persona.steps:
                send_step(client, step, session, None)
        assert session is not None
        return session, client.search(session, query, user_id=spec.user_id, page=1, limit=limit)
    return search


def _lane(spec: LaneSpec, result: TaskResult, native: tuple[str, ...], catalog: Catalog) -> Lane:
    if not result.ok:
        return Lane(spec, (), None, SOURCE_FASHIONAI, error=result.error, elapsed=result.elapsed)
    session, answer = cast("tuple[str | None, SearchAnswer | None]", result.value or (None, None))
    if answer is None:
        return answered_lane(spec, (), native, catalog)
    return answered_lane(spec, answer.items, native, catalog, session_id=session, recommendation=answer,
                         elapsed=result.elapsed)


def compare_query(
    client: FashionAIClient,
    catalog: Catalog,
    query: str,
    specs: Sequence[LaneSpec],
    *,
    k: int = DEFAULT_K,
    p: float = DEFAULT_P,
    limit: int = DEFAULT_SEARCH_LIMIT,
    on_done: OnDone | None = None,
    new_session: Callable[[], str] | None = None,
    max_workers: int = MAX_LANES,
) -> Comparison:
    """Search `query` (its first page) for every lane at once and measure the lanes against each other.

    A lane's failure is kept in its `Lane.error`; the others are unaffected. ValueError (before any call) for a
    query the client refuses, lanes `check_query_specs` refuses, or a k or p the measures refuse.
    """
    query = check_query(query)
    check_query_specs(specs)
    check_k(k)
    check_p(p)
    fresh = new_session or (lambda: new_session_id(QUERY_SESSION_PREFIX))
    native = store_page(catalog, query, limit)
    return fan_out_lanes(query, specs, lambda spec: _task(client, spec, query, limit, fresh), _lane, native, catalog,
                         k=k, p=p, on_done=on_done, max_workers=max_workers, search=True)


def replay_query(query: str, lanes: Sequence[tuple[LaneSpec, Snapshot | None]], catalog: Catalog, *,
                 k: int, p: float) -> Comparison:
    """A search's lanes rebuilt from saved snapshots (site searches of `query`), without calling Fashion.AI.

    ValueError for a lane without a snapshot, a failed one, or one that is not a search of this query."""
    query = check_query(query)
    specs = with_unique_labels([spec for spec, _ in lanes])
    answers = {}
    for spec, (_, snapshot) in zip(specs, lanes, strict=True):
        if spec.kind == NATIVE:
            continue
        if snapshot is None:
            raise ValueError(f"lane {spec.label!r} has no saved snapshot")
        answer = search_from_snapshot(snapshot)
        if answer.query.strip() != query:
            raise ValueError(f"lane {spec.label!r} saved a search for {answer.query!r}, not for {query!r}")
        answers[spec.label] = (snapshot, answer)
    limit = max((answer.limit for _, answer in answers.values()), default=DEFAULT_SEARCH_LIMIT)
    native = store_page(catalog, query, limit)
    built = []
    for spec in specs:
        if spec.label not in answers:
            built.append(answered_lane(spec, (), native, catalog))
            continue
        snapshot, answer = answers[spec.label]
        built.append(answered_lane(spec, answer.items, native, catalog, session_id=snapshot.session_id,
                                   recommendation=answer, elapsed=snapshot.elapsed))
    return Comparison.of(query, built, native, catalog, k=k, p=p, search=True)
