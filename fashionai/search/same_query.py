"""What the same query gives beside one shopper's search: an anonymous shopper, personas, other shopper sessions,
the store's own text match.

    cost = same_query_cost(personas, sessions)                 # what pressing "Compare" sends, said before it is
    same = compare_same_query(client, catalog, preview, personas, sessions=sessions)   # the lanes, measured

Every search is a tracking event, so the anonymous shopper and the personas search on fresh synthetic sessions:
the sidebar shopper's session is never touched (its lane is the search already on screen, no call). The
anonymous shopper sends one search; a persona first sends its journey's steps (its taste: one event each),
then the search; an added shopper session (typed as on the compare page) searches as itself, recorded as
that session's behaviour; the store's text match is no call. The lanes are a `Comparison` (lanes of the query's
page, the store's match as the native order), so the compare page's measures and rank changes read them.
No Streamlit here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from fashionai.api.client import FashionAIClient
from fashionai.api.errors import FashionAIError
from fashionai.catalog import Catalog
from fashionai.compare.compared import Comparison
from fashionai.compare.lanes import (
    PERSONA,
    SESSION,
    SOURCE_FASHIONAI,
    Lane,
    LaneSpec,
    answered_lane,
    native_lane,
    with_unique_labels,
)
from fashionai.domain import DEFAULT_K, K_RANGE, MAX_LANES
from fashionai.journeys.journey import Journey
from fashionai.journeys.run import send_step
from fashionai.output import readings
from fashionai.storefront.search_view import SearchPreview
from fashionai.text.formatting import new_session_id, plural

__all__ = ["ANONYMOUS", "SEARCH_SESSION_PREFIX", "SHOPPER", "STORE_LANE", "SameQuery", "check_sessions",
           "compare_same_query", "lane_words", "same_query_cost"]

SHOPPER, ANONYMOUS, STORE_LANE = "This shopper", "Anonymous shopper", "Store's text match"
SEARCH_SESSION_PREFIX = "studio-search"
"""The fresh synthetic sessions of the comparison's shoppers start with this."""


def _persona_label(persona: Journey) -> str:
    return f"{persona.name} (persona)"


def same_query_cost(personas: Sequence[Journey], sessions: Sequence[LaneSpec] = ()) -> str:
    """What "Compare" sends, in one sentence, before it is pressed."""
    events = 1 + sum(len(persona.steps) + 1 for persona in personas) + len(sessions)
    text = f"Comparing sends {plural(events, 'tracking event')}: an anonymous shopper's search"
    for persona in personas:
        text += f", {persona.name}'s {plural(len(persona.steps), 'visit')} (its taste) then its search"
    text += " on fresh synthetic sessions"
    if len(sessions) == 1:
        text += ", and a search for the shopper session added, recorded as its behaviour"
    elif sessions:
        text += (f", and a search for each of the {plural(len(sessions), 'shopper session')} added, recorded as "
                 "each one's behaviour")
    return text + ". The sidebar shopper's session is not touched; the store's text match is no call."


def check_sessions(sessions: Sequence[LaneSpec], personas: Sequence[Journey], shopper: str) -> None:
    """ValueError (plain words) when the lanes would be too many, or an added session is the sidebar shopper's or
    is added twice (each search is recorded as that session's behaviour: the second would see the first)."""
    lanes = 3 + len(personas) + len(sessions)  # this shopper, the anonymous one, the store's text match
    if lanes > MAX_LANES:
        raise ValueError(f"at most {MAX_LANES} lanes are compared; these choices make {lanes}: leave out a persona "
                         "or a session")
    ids = [spec.session_id for spec in sessions if spec.session_id is not None]
    if shopper in ids:
        raise ValueError(f"session {shopper} is the sidebar's shopper, already the first lane: leave it out")
    twice = sorted({session for session in ids if ids.count(session) > 1})
    if twice:
        raise ValueError(f"session {twice[0]} is added twice; each search is recorded, so keep it once")


@dataclass(frozen=True)
class SameQuery:
    """The lanes of one query's page side by side, measured against this shopper's (`reference`)."""

    query: str
    page: int
    comparison: Comparison

    @property
    def reference(self) -> str:
        return SHOPPER

    def reading(self, label: str) -> str:
        """How lane `label` compares with this shopper's results, in one sentence ("" when it cannot be measured)."""
        pair = self.comparison.pair(SHOPPER, label)
        return "" if pair is None else readings.row_reading(pair, self.comparison.k)


def lane_words(lane: Lane, page: int) -> str:
    """What a lane of the comparison is and where its order comes from, in plain words (plain text)."""
    on_page = f" (page {page})" if page > 1 else ""
    if lane.spec.kind == "native":
        if not lane.ranking:
            return "The store's own search finds nothing for this query (every word in a product's text)."
        return (f"The store's own search{on_page}: {plural(len(lane.ranking), 'product')} holding every word of the "
                "query, no personalization. No call.")
    if not lane.ok:
        return "This search could not be made; the other lanes are not affected."
    who = {SESSION: f"session {lane.session_id}"}.get(lane.spec.kind, f"the fresh session {lane.session_id}")
    if lane.label == SHOPPER:
        who = f"the sidebar's shopper (session {lane.session_id}), the results on the left: no new call"
    elif lane.spec.kind == PERSONA and lane.spec.persona is not None:
        who += f", after {plural(len(lane.spec.persona.steps), 'visit')} of its taste"
    elif lane.label == ANONYMOUS:
        who = f"a fresh synthetic session ({lane.session_id}), no user"
    if lane.fallback:
        return f"Fashion.AI found nothing for {who}: the store's own text match is shown, as on the left."
    return f"Fashion.AI's search{on_page} for {who}: {plural(len(lane.ranking), 'product')}."


def compare_same_query(client: FashionAIClient, catalog: Catalog, preview: SearchPreview,
                       personas: Sequence[Journey] = (), *, sessions: Sequence[LaneSpec] = (),
                       new_session: Callable[[], str] | None = None, k: int = DEFAULT_K) -> SameQuery:
    """The same query (and page) for an anonymous shopper and each of `personas` on fresh synthetic sessions, and
    for each added shopper session (`sessions`, session lanes), beside this shopper's `preview` (no new call) and
    the store's text match (no call); a lane that fails keeps its error. ValueError as `check_sessions` says."""
    check_sessions(sessions, personas, preview.session_id)
    fresh = new_session or (lambda: new_session_id(SEARCH_SESSION_PREFIX))
    native = preview.store_page()
    shown = tuple(str(product_id) for product_id in preview.answer.items)
    specs = [LaneSpec(SESSION, ANONYMOUS, session_id="anonymous")]
    specs += [LaneSpec(PERSONA, _persona_label(persona), persona=persona) for persona in personas]
    specs += list(sessions)
    specs = with_unique_labels([LaneSpec(SESSION, SHOPPER, session_id=preview.session_id), *specs,
                                native_lane(STORE_LANE)])[1:-1]
    lanes = [answered_lane(LaneSpec(SESSION, SHOPPER, session_id=preview.session_id, user_id=preview.user_id),
                           shown, native, catalog, session_id=preview.session_id)]
    for spec in specs:
        named = spec.session_id if spec.kind == SESSION and spec.label != ANONYMOUS else None
        session = named if named is not None else fresh()
        lanes.append(_searched(client, catalog, preview, spec, session, native))
    lanes.append(answered_lane(native_lane(STORE_LANE), None, native, catalog))
    longest = max((len(lane.ranking) for lane in lanes), default=0)
    k = max(K_RANGE[0], min(k, longest or k))
    return SameQuery(preview.query, preview.page, Comparison.of(preview.query, lanes, native, catalog, k=k))


def _searched(client: FashionAIClient, catalog: Catalog, preview: SearchPreview, spec: LaneSpec, session: str,
              native: tuple[str, ...]) -> Lane:
    """One other shopper's lane: a persona's steps first, then the search of the preview's query and page."""
    try:
        if spec.persona is not None:
            for step in spec.persona.steps:
                send_step(client, step, session, None)
        user = spec.user_id if spec.kind == SESSION else None
        answer = client.search(session, preview.query, user_id=user, page=preview.page, limit=preview.limit)
    except (FashionAIError, ValueError) as err:  # kept in the lane and shown in words; the other lanes go on
        return Lane(spec, (), None, SOURCE_FASHIONAI, session_id=session, error=err)
    return answered_lane(spec, answer.items, native, catalog, session_id=session, elapsed=answer.elapsed)
