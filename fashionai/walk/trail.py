"""The shopper walk's trail: every call a walk sent, in order, with what each one changed.

    entry = answered(trail, EventType.CATEGORY_VIEW, "dresses", ids, elapsed=0.02, snapshot="3f2a…", at=now)
    entry.change                      # "first visit", or "3 moved up, 2 new in the top 12"
    trail = trail + (entry,)
    journey = walk_journey(trail, "Walk of Tuesday")   # its tracking events, watching the last category
    view = walk_view(session, user, trail)             # the share link's view: the trail's saved answers

An entry says what a call asked (its event label, the id), what came back (the number of products,
the time it took, the saved answer's id) and, against the same call earlier in the walk, what moved.
A failed call is an entry too (nothing changed). No Streamlit here, and no call.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from fashionai.domain import EventType, call_label
from fashionai.journeys.journey import JOURNEY_EVENTS, MAX_STEPS, Journey, Step
from fashionai.measures.movement import DOWN, NEW, UP, movements
from fashionai.output.share import MAX_WALK_SNAPSHOTS, WalkView
from fashionai.text.formatting import plural

__all__ = ["TOP", "TrailEntry", "answered", "failed", "previous_answer", "trail_frame", "walk_journey",
           "walk_view", "what_changed"]

TOP = 12
"""How many of an answer's first products "what changed" looks at (a storefront's first rows)."""

FIRST_ANSWER = "first visit"
NO_SLICE = "no slice is active now"


@dataclass(frozen=True)
class TrailEntry:
    """One call of a walk: when it finished, its `event` (an EventType), the id asked about ("" for
    none), the product ids answered, seconds taken, what it changed (words), and its saved answer
    (`snapshot`, None when there is none). `error` holds the failure's words; None when answered."""

    at: datetime
    event: str
    item_id: str
    products: tuple[str, ...]
    elapsed: float
    change: str
    snapshot: str | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def previous_answer(trail: Sequence[TrailEntry], event: str, item_id: str) -> tuple[str, ...] | None:
    """The products the same call (event and id) last answered in this walk, or None before its first answer."""
    for entry in reversed(trail):
        if entry.ok and entry.event == event and entry.item_id == item_id:
            return entry.products
    return None


def what_changed(event: str, products: Sequence[str], previous: Sequence[str] | None, *, top: int = TOP) -> str:
    """What an answer changed against the same call's answer before (None: there was none), in words."""
    products, before = tuple(products), None if previous is None else tuple(previous)
    if before is None:
        return FIRST_ANSWER + ("" if products else ": empty")
    if not products:
        return "empty again" if not before else f"empty now (was {plural(len(before), 'product')})"
    if not before:
        return f"{plural(len(products), 'product')} now (was empty)"
    if products == before:
        return "no change"
    if event == EventType.CUSTOM_SHELF:
        new = len(set(products) - set(before))
        if not new:
            return "shelf changed: the same products, reordered"
        return f"shelf changed: {new:,} new of {len(products):,}"
    moves = movements(products, before)
    counts = {UP: 0, DOWN: 0, NEW: 0}
    for product_id in dict.fromkeys(products[:top]):
        move = moves[product_id]
        if move.change in counts:
            counts[move.change] += 1
    parts = [f"{counts[UP]:,} moved up" if counts[UP] else "", f"{counts[DOWN]:,} down" if counts[DOWN] else "",
             f"{counts[NEW]:,} new" if counts[NEW] else ""]
    parts = [part for part in parts if part]
    if not parts:
        return f"the top {top} is unchanged; products below it moved"
    return ", ".join(parts) + f" in the top {top}"


def answered(trail: Sequence[TrailEntry], event: str, item_id: str, products: Sequence[str], *, elapsed: float,
             snapshot: str | None, at: datetime, note: str | None = None) -> TrailEntry:
    """The entry of an answered call, with what it changed against the same call earlier in `trail`
    (`note` instead, e.g. for a collection with no active slice)."""
    products = tuple(str(p) for p in products)
    change = note or what_changed(event, products, previous_answer(trail, event, item_id))
    return TrailEntry(at, str(event), item_id, products, float(elapsed), change, snapshot)


def failed(event: str, item_id: str, error: str, *, at: datetime, elapsed: float = 0.0,
           change: str = "failed: nothing changed") -> TrailEntry:
    """The entry of a call that failed (`error` in plain words)."""
    return TrailEntry(at, str(event), item_id, (), float(elapsed), change, None, error)


def trail_frame(trail: Sequence[TrailEntry], names: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The trail as a table: time (UTC), the call by what the shopper sees (`domain.CALL_LABELS`), what it was
    about (a product by its name in `names`, else its id; a category's id), products, milliseconds, what changed."""
    names = names if names is not None else {}
    return pd.DataFrame({
        "time": pd.array([f"{e.at:%H:%M:%S}" for e in trail], dtype="str"),
        "call": pd.array([call_label(e.event) for e in trail], dtype="str"),
        "about": pd.array([_about(e, names) for e in trail], dtype="str"),
        "products": pd.array([len(e.products) if e.ok else None for e in trail], dtype="Int64"),
        "ms": pd.array([round(e.elapsed * 1000) for e in trail], dtype="Int64"),
        "changed": pd.array([e.change if e.ok else f"{e.change} ({e.error})" for e in trail], dtype="str"),
    })


PRODUCT_CALLS = (EventType.PRODUCT_VIEW, EventType.SIMILAR, EventType.SHOP_THE_LOOK)
"""The calls about one product: the trail names it, not its id."""


def _about(entry: TrailEntry, names: Mapping[str, str]) -> str:
    name = names.get(entry.item_id) if entry.event in PRODUCT_CALLS else None
    return name.strip() if isinstance(name, str) and name.strip() else entry.item_id


# --------------------------------------------------------------------------- a walk as a journey, as a link


def walk_journey(trail: Sequence[TrailEntry], name: str, description: str = "") -> tuple[Journey, str]:
    """The walk as a journey: its answered tracking events in order (similar products, collections and
    best sellers are no events, so they are left out), watching the last category opened; with words
    saying what was left out. Past `MAX_STEPS` events, the last ones are kept. ValueError when the walk
    opened no category or sent no event."""
    events = [entry for entry in trail if entry.ok and entry.event in JOURNEY_EVENTS]
    categories = [entry.item_id for entry in events if entry.event == EventType.CATEGORY_VIEW]
    if not categories:
        raise ValueError("open a category first: a journey watches a category, and this walk opened none")
    steps = [Step(entry.event, "" if entry.event == EventType.CUSTOM_SHELF else entry.item_id) for entry in events]
    others = len(trail) - len(events)
    left_out = [f"{plural(others, 'call')} that sent no tracking event (similar products, collections, best "
                "sellers) or failed"] if others else []
    if len(steps) > MAX_STEPS:
        left_out.append(f"the first {plural(len(steps) - MAX_STEPS, 'event')} (a journey holds at most {MAX_STEPS})")
        steps = steps[-MAX_STEPS:]
    journey = Journey(name, description, categories[-1], tuple(steps))
    note = f"{plural(len(steps), 'step')}, watching {categories[-1]}"
    if left_out:
        note += "; left out: " + " and ".join(left_out)
    return journey, note + "."


def walk_view(session: str | None, user: str | None, trail: Sequence[TrailEntry]) -> WalkView:
    """The walk's share view: the shopper, and the saved answers of its trail in order (the last
    `MAX_WALK_SNAPSHOTS`; failed calls have none)."""
    ids = tuple(entry.snapshot for entry in trail if entry.snapshot)
    return WalkView(session=session or None, user=user or None, snapshots=ids[-MAX_WALK_SNAPSHOTS:])
