"""What the compare page shows, worked out: the lanes offered, the chosen lanes and what stops them, the
tracking events they send, the lane cards, and the failed lanes grouped by what went wrong.

The page reads its widgets, calls these and renders what they return (frozen dataclasses and plain
strings); no Streamlit here. Text that reaches Markdown is escaped here (`escape_markdown`); problems
are plain text, escaped where they are shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from fashionai.compare.compared import Comparison
from fashionai.compare.lanes import (
    BEST_SELLERS,
    NATIVE,
    PERSONA,
    SESSION,
    LaneSpec,
    best_sellers_lane,
    check_specs,
    native_lane,
    parse_session_lines,
    persona_lane,
    session_lane,
    with_unique_labels,
)
from fashionai.domain import K_RANGE
from fashionai.journeys.journey import Journey
from fashionai.output import readings
from fashionai.text.formatting import escape_markdown, plural

NATIVE_OPTION, BEST_OPTION = "Native order", "Best sellers"
KIND_NAMES = {NATIVE: "Store's native order", BEST_SELLERS: "Fashion.AI best sellers",
              PERSONA: "Persona on a fresh synthetic session", SESSION: "Shopper session"}
MEASURE_HELP = {
    "rbo": "Rank-biased overlap: agreement of the whole lists, the top counting most (1 = same order). "
           "p sets how fast the weight falls with depth.",
    "overlap": "Overlap at K: the share of the K places both lanes fill with the same products.",
    "jaccard": "Jaccard at K: products in both top K over products in either.",
    "kendall": "Kendall's tau over the products both lists hold: 1 = same order, -1 = reversed.",
}
"""A caption under each measure's heatmap, by `ranking.MEASURES` name."""
TOP_NAMES_ON_CARD = 3


# --------------------------------------------------------------------------- choosing the lanes


def lane_options(personas: Iterable[Journey], saved: Mapping[str, Journey]) -> dict[str, LaneSpec]:
    """The lanes offered, by option name: the two baselines, every persona, every saved journey."""
    options = {NATIVE_OPTION: native_lane(NATIVE_OPTION), BEST_OPTION: best_sellers_lane(BEST_OPTION)}
    options |= {f"Persona: {p.name}": persona_lane(p) for p in personas}
    options |= {f"Journey: {j.name}": persona_lane(j, f"{j.name} (journey)") for j in saved.values()}
    return options


def default_lanes(personas: Sequence[Journey]) -> list[str]:
    """The lanes chosen when the page opens: the first two personas and both baselines."""
    return [f"Persona: {p.name}" for p in personas[:2]] + [NATIVE_OPTION, BEST_OPTION]


@dataclass(frozen=True)
class LaneChoice:
    """The lanes a comparison would fetch, what stops it (plain text, one sentence each), and its cost."""

    specs: tuple[LaneSpec, ...]
    problems: tuple[str, ...]

    @property
    def events(self) -> int:
        """Tracking events the comparison sends."""
        return sum(spec.events for spec in self.specs)

    @property
    def cost(self) -> str:
        """The events sentence said before the click: how many events, and for whom."""
        return events_sentence(self.specs)

    @property
    def labels(self) -> str:
        """Every lane the comparison would fetch, in order, the added sessions too: "3 lanes: Native order,
        Best sellers, Anna" (the picker shows the chosen options only)."""
        if not self.specs:
            return "No lane chosen yet."
        return f"{plural(len(self.specs), 'lane')}: {', '.join(spec.label for spec in self.specs)}."


def choose_lanes(options: Mapping[str, LaneSpec], chosen: Iterable[str], sessions_text: str, *,
                 add_sidebar: bool, session_id: str | None, user_id: str | None) -> LaneChoice:
    """The chosen options, the typed shopper sessions and maybe the sidebar's, as lanes with unique labels."""
    problems = []
    specs = [options[name] for name in chosen]
    try:
        specs += parse_session_lines(sessions_text)
    except ValueError as err:
        problems.append(f"Shopper sessions: {err}.")
    if add_sidebar:
        if session_id:
            specs.append(session_lane(session_id, user_id))
        else:
            problems.append("The sidebar has no shopper session id to add.")
    specs = with_unique_labels(specs)
    try:
        check_specs(specs)
    except ValueError as err:
        text = str(err).rstrip(".")  # some messages end in a sentence of their own: "... Keep it once."
        problems.append(f"{text[:1].upper()}{text[1:]}.")
    return LaneChoice(tuple(specs), tuple(problems))


def events_sentence(specs: Sequence[LaneSpec]) -> str:
    """"This comparison sends 18 tracking events, 2 personas on fresh synthetic sessions." and the like."""
    events = sum(spec.events for spec in specs)
    personas = sum(1 for spec in specs if spec.kind == PERSONA)
    shoppers = sum(1 for spec in specs if spec.kind == SESSION)
    cost = f"This comparison sends {plural(events, 'tracking event')}" if events else \
        "This comparison sends no tracking event"
    if personas == 1:
        cost += ", a persona on a fresh synthetic session"
    elif personas:
        cost += f", {personas} personas on fresh synthetic sessions"
    cost += "."
    if shoppers:
        cost += " Each shopper session you added is recorded as a visit of that session."
    return cost


def progress_text(name: str, ok: bool, done: int, total: int) -> str:
    """The progress bar's words as lanes come in: "2 of 4 lanes: Sporty shopper done" (Markdown)."""
    return f"{done} of {plural(total, 'lane')}: {escape_markdown(name)} {'done' if ok else 'failed'}"


# --------------------------------------------------------------------------- the fetched lanes


@dataclass(frozen=True)
class FailedLanes:
    """Lanes that failed with the same message: `what` names them ("Lane a", "Lanes a, b"; Markdown)."""

    what: str
    error: BaseException


def failed_lanes(comparison: Comparison) -> tuple[FailedLanes, ...]:
    """The comparison's failed lanes, one entry per distinct error message, in lane order."""
    by_message: dict[str, list] = {}
    for lane in comparison.lanes:
        if not lane.ok:
            by_message.setdefault(str(lane.error), []).append(lane)
    return tuple(FailedLanes(f"{'Lane' if len(lanes) == 1 else 'Lanes'} "
                             + ", ".join(escape_markdown(lane.label) for lane in lanes), lanes[0].error)
                 for lanes in by_message.values())


def nothing_new_to_compare(comparison: Comparison) -> bool:
    """Some lanes failed and fewer than two have a ranking: the page keeps the comparison fetched before."""
    return any(not lane.ok for lane in comparison.lanes) and len(comparison.usable_labels) < 2


@dataclass(frozen=True)
class LaneCard:
    """One lane's card: its label and kind, how it went, its note, and the first names of its ranking.

    `state` is "failed" (show `error`), "waiting" (an empty answer or nothing to draw: a warning)
    or "ranked". `label` and `note` are Markdown-escaped; `top` is plain text ("1. Name" lines).
    """

    label: str
    kind: str
    state: str
    note: str
    top: str = ""
    error: BaseException | None = None


def lane_cards(comparison: Comparison) -> tuple[LaneCard, ...]:
    """A card for every lane, in lane order."""
    top_names = comparison.top_k()
    cards = []
    for lane in comparison.lanes:
        state = "failed" if not lane.ok else "waiting" if lane.fallback or not lane.usable else "ranked"
        top = ""
        names = top_names.get(lane.label) if lane.usable else None
        if names is not None:
            top = "\n".join(f"{rank}. {name}" for rank, name in names.head(TOP_NAMES_ON_CARD).items() if name)
        cards.append(LaneCard(escape_markdown(lane.label), KIND_NAMES[lane.spec.kind], state,
                              escape_markdown(lane.note), top, lane.error))
    return tuple(cards)


def k_limit(comparison: Comparison) -> int:
    """The largest top K a slider offers: the longest ranking drawn, within K_RANGE, and at least 2."""
    longest = max((len(ranking) for ranking in comparison.rankings.values()), default=0)
    return max(2, min(K_RANGE[1], longest))


def lane_order(reference: str, others: Sequence[str]) -> list[str]:
    """The bump chart's lanes: the reference first, then the others in the lane cards' order."""
    return [reference, *[label for label in others if label != reference]]


def change_counts(changes: pd.DataFrame, k: int) -> tuple[tuple[str, int], ...]:
    """The rank-change metrics of a change list (`Comparison.changes`): (label, count) for moved up,
    moved down, new in the top k and dropped from it."""
    counts = changes["change"].value_counts()
    return tuple((label, int(counts.get(change, 0))) for change, label in (
        ("up", "Moved up"), ("down", "Moved down"), ("new", f"New in top {k}"), ("dropped", f"Dropped from top {k}")))


def change_reading(changes: pd.DataFrame, k: int) -> str:
    """The rank changes of a change list (`Comparison.changes`) in plain words (`readings.changes_reading`)."""
    counts = changes["change"].value_counts()
    up, down, same, new, dropped = (int(counts.get(change, 0)) for change in ("up", "down", "same", "new", "dropped"))
    return readings.changes_reading(up, down, same, new, dropped, k)
