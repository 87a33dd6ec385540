"""Comparisons rebuilt from the history: saved answers as lanes, without calling Fashion.AI.

    compare_snapshots([yesterday, today], catalog, k=10, p=0.9)   # one session, two moments
    replay_comparison("dresses", [(spec, snapshot), ...], catalog, k=10, p=0.9)   # a shared link's lanes
    replay_journey([event1, fetch1, event2, fetch2], catalog, journey=planned)   # a shared journey's run

Each lane is built by the compare page's own rule (`lanes.answered_lane`): an empty
answer of a session or persona shows the native order, an empty sales ranking is left
out, and the measures are those of any `Comparison`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from fashionai.catalog import Catalog
from fashionai.compare.compared import Comparison
from fashionai.compare.lanes import BEST_SELLERS, NATIVE, SESSION, LaneSpec, answered_lane, with_unique_labels
from fashionai.compare.search_lanes import replay_query
from fashionai.domain import EventType
from fashionai.journeys.journey import Journey, Step
from fashionai.journeys.run import JourneyRun, StepResult
from fashionai.storefront.preview import recommendation_from_snapshot

if TYPE_CHECKING:  # only its attributes are read: the history's package re-exports these replays
    from fashionai.history.model import Snapshot


def snapshot_lane(snapshot: Snapshot, label: str | None = None) -> LaneSpec:
    """The lane a snapshot stands for: a shopper session's answer, or the best sellers."""
    if snapshot.event_type == EventType.SALES_RANKING:
        return LaneSpec(BEST_SELLERS, label or f"{snapshot.recorded_at:%Y-%m-%d %H:%M:%S} · best sellers")
    session = snapshot.session_id or "no session"
    who = f"{session} · user {snapshot.user_id}" if snapshot.user_id else session
    return LaneSpec(SESSION, label or f"{snapshot.recorded_at:%Y-%m-%d %H:%M:%S} · {who}",
                    session_id=session, user_id=snapshot.user_id)


def replay_comparison(
    category: str,
    lanes: Sequence[tuple[LaneSpec, Snapshot | None]],
    catalog: Catalog,
    *,
    k: int,
    p: float,
) -> Comparison:
    """A comparison rebuilt from saved snapshots, without calling Fashion.AI.

    Each lane is a spec with the snapshot of its (last) call, or None for the native
    order. An empty answer of a session or persona shows the native order, as on the
    compare page. ValueError for a failed snapshot or a call lane without one.
    """
    category = str(category or "").strip()
    native = tuple(catalog.category_ids(category))
    specs = with_unique_labels([spec for spec, _ in lanes])
    built = []
    for spec, (_, snapshot) in zip(specs, lanes, strict=True):
        if spec.kind == NATIVE:
            built.append(answered_lane(spec, (), native, catalog))
            continue
        if snapshot is None:
            raise ValueError(f"lane {spec.label!r} has no saved snapshot")
        recommendation = recommendation_from_snapshot(snapshot)
        built.append(answered_lane(spec, snapshot.products, native, catalog, session_id=snapshot.session_id,
                                      recommendation=recommendation, elapsed=snapshot.elapsed))
    return Comparison.of(category, built, native, catalog, k=k, p=p)


def compare_snapshots(snapshots: Sequence[Snapshot], catalog: Catalog, *, k: int, p: float,
                      labels: Sequence[str] | None = None) -> Comparison:
    """Two or more successful snapshots as lanes (e.g. one session yesterday and today), named `labels`
    if given (else by time and session).

    The category is the first snapshot's when it is a categoryView (its native order
    is the fallback for an empty answer and the base of the "why" figures). Site searches of one query are
    compared as a search's lanes (`search_lanes.replay_query`: the store's text match is the fallback).
    """
    if len(snapshots) < 2:
        raise ValueError("choose at least two snapshots to compare")
    failed = [s for s in snapshots if not s.ok]
    if failed:
        raise ValueError(f"the snapshot of {failed[0].recorded_at:%Y-%m-%d %H:%M:%S} recorded a failure "
                         f"({failed[0].outcome}): it has no ranking to compare")
    first = snapshots[0]
    named: list[str | None] = list(labels) if labels is not None else [None] * len(snapshots)
    queries = {s.item_id for s in snapshots if s.event_type == EventType.SEARCH}
    if len(queries) == 1 and all(s.event_type == EventType.SEARCH for s in snapshots):  # one query's searches
        return replay_query(str(queries.pop() or ""), [(snapshot_lane(s, label), s) for s, label in
                                                      zip(snapshots, named, strict=True)], catalog, k=k, p=p)
    by_category = first.event_type in (EventType.CATEGORY_VIEW, EventType.SALES_RANKING)
    category = first.item_id if by_category and first.item_id else ""
    return replay_comparison(category, [(snapshot_lane(s, label), s) for s, label in zip(snapshots, named, strict=True)],
                             catalog, k=k, p=p)


SHARED_JOURNEY = "Shared journey"
"""The name of a journey replayed from a link whose journey this browser session does not offer."""


def replay_journey(snapshots: Sequence[Snapshot], catalog: Catalog, *, journey: Journey | None = None) -> JourneyRun:
    """A journey's run rebuilt from its saved answers (no call): for every step its event's answer, then the
    target category's ranking fetched after it (`JourneyRun.saved_ids`' order), joined with today's catalog.

    `journey` is the one the link names, used when its steps and target are the saved ones (else a journey
    is made from the answers, named after it or SHARED_JOURNEY). ValueError when the answers are not one
    journey's run (an odd count, a failure, a fetch that is no categoryView, two sessions).
    """
    if not snapshots or len(snapshots) % 2:
        raise ValueError("a journey's saved answers come in pairs, a step and the ranking fetched after it")
    failed = [s for s in snapshots if not s.ok]
    if failed:
        raise ValueError(f"the answer of {failed[0].recorded_at:%Y-%m-%d %H:%M:%S} recorded a failure")
    events, fetches = snapshots[0::2], snapshots[1::2]
    targets = {fetch.item_id for fetch in fetches}
    if any(fetch.event_type != EventType.CATEGORY_VIEW for fetch in fetches) or len(targets) != 1:
        raise ValueError("the rankings fetched after the steps are not of one category")
    if len({(s.session_id, s.user_id) for s in snapshots}) != 1:
        raise ValueError("the saved answers are of more than one shopper session")
    target = str(targets.pop() or "")
    steps = tuple(Step(event.event_type, event.item_id or "") for event in events)
    if journey is None or journey.target_category != target or journey.steps != steps:
        journey = Journey(journey.name if journey is not None else SHARED_JOURNEY,
                          "Replayed from the history.", target, steps)
    native = tuple(catalog.category_ids(target))
    results = tuple(StepResult(
        number=number, step=step, answer=event.products, ranking=fetch.products, shown=fetch.products or native,
        event=recommendation_from_snapshot(event), fetch=recommendation_from_snapshot(fetch),
        elapsed=event.elapsed + fetch.elapsed,
    ) for number, (step, event, fetch) in enumerate(zip(steps, events, fetches, strict=True), start=1))
    first = snapshots[0]
    return JourneyRun(journey, first.session_id or "", first.user_id, native, results, events_sent=len(snapshots))
