"""Comparisons rebuilt from the history: saved answers as lanes, without calling Fashion.AI.

    compare_snapshots([yesterday, today], catalog, k=10, p=0.9)   # one session, two moments
    replay_comparison("dresses", [(spec, snapshot), ...], catalog, k=10, p=0.9)   # a shared link's lanes

Each lane is built by the compare page's own rule (`lanes.answered_lane`): an empty
answer of a session or persona shows the native order, an empty sales ranking is left
out, and the measures are those of any `Comparison`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from fashionai.catalog import Catalog
from fashionai.comparison import Comparison
from fashionai.domain import EventType
from fashionai.lanes import BEST_SELLERS, NATIVE, SESSION, LaneSpec, answered_lane, with_unique_labels
from fashionai.preview import recommendation_from_snapshot

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
    for spec, (_, snapshot) in zip(specs, lanes):
        if spec.kind == NATIVE:
            built.append(answered_lane(spec, (), native, catalog))
            continue
        if snapshot is None:
            raise ValueError(f"lane {spec.label!r} has no saved snapshot")
        recommendation = recommendation_from_snapshot(snapshot)
        built.append(answered_lane(spec, snapshot.products, native, catalog, session_id=snapshot.session_id,
                                      recommendation=recommendation, elapsed=snapshot.elapsed))
    return Comparison.of(category, built, native, catalog, k=k, p=p)


def compare_snapshots(snapshots: Sequence[Snapshot], catalog: Catalog, *, k: int, p: float) -> Comparison:
    """Two or more successful snapshots as lanes (e.g. one session yesterday and today).

    The category is the first snapshot's when it is a categoryView (its native order
    is the fallback for an empty answer and the base of the "why" figures).
    """
    if len(snapshots) < 2:
        raise ValueError("choose at least two snapshots to compare")
    failed = [s for s in snapshots if not s.ok]
    if failed:
        raise ValueError(f"the snapshot of {failed[0].recorded_at:%Y-%m-%d %H:%M:%S} recorded a failure "
                         f"({failed[0].outcome}): it has no ranking to compare")
    first = snapshots[0]
    by_category = first.event_type in (EventType.CATEGORY_VIEW, EventType.SALES_RANKING)
    category = first.item_id if by_category and first.item_id else ""
    return replay_comparison(category, [(snapshot_lane(s), s) for s in snapshots], catalog, k=k, p=p)
