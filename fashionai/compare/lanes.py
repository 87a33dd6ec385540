"""Lanes side by side: one category as several shoppers and baselines would see it.

A lane is one list of the category's products, best first:

- ``session``: Fashion.AI's ``categoryView`` for a shopper session (and user). One
  tracking event for that session.
- ``persona``: a `Journey` run on a fresh synthetic session, watching this category
  (``journey_run.run_journey``); the lane is the storefront after the last step. Two
  events per step, all for that new session.
- ``native``: the store's own order (catalog order). No call.
- ``best_sellers``: Fashion.AI's sales ranking for the category. Not an event.

`fetch.compare_lanes` fetches every lane at once (``_fanout.fan_out``: a persona's
steps run one after another inside its own lane) and returns a frozen
`compared.Comparison` of the lanes: each lane's ranking or error, measured
against each other when first read.

An empty answer for a session or persona means Fashion.AI does not know that
session yet; the storefront then shows the native order, so that is what the lane
draws and measures (``Lane.fallback``, said in ``Lane.note``). An empty sales
ranking has no such fallback: the lane is left out of charts and measures. That
rule is `answered_lane`, for lanes fetched now and lanes rebuilt from saved answers.

No Streamlit here; `on_done` progress callbacks run in the caller's thread.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace


from fashionai.api.client import Recommendation
from fashionai.catalog import Catalog
from fashionai.domain import MAX_LANES, MIN_LANES
from fashionai.journeys.journey import Journey
from fashionai.journeys.run import JourneyRun
from fashionai.text.formatting import plural

SESSION, PERSONA, NATIVE, BEST_SELLERS = "session", "persona", "native", "best_sellers"
KINDS = (SESSION, PERSONA, NATIVE, BEST_SELLERS)
PERSONA_SESSION_PREFIX = "studio-persona"

SOURCE_FASHIONAI = "Fashion.AI"
SOURCE_NATIVE = "native order"
SOURCE_SALES = "sales ranking"


# --------------------------------------------------------------------------- lane specs


@dataclass(frozen=True)
class LaneSpec:
    """What one lane shows: its kind (see KINDS), its label, and what the kind needs."""

    kind: str
    label: str
    session_id: str | None = None
    user_id: str | None = None
    persona: Journey | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown lane kind {self.kind!r}; use one of {', '.join(KINDS)}")
        label = str(self.label or "").strip()
        if not label:
            raise ValueError("every lane needs a label")
        object.__setattr__(self, "label", label)
        session = str(self.session_id or "").strip() or None
        object.__setattr__(self, "session_id", session)
        object.__setattr__(self, "user_id", str(self.user_id or "").strip() or None)
        if self.kind == SESSION and session is None:
            raise ValueError(f"lane {label!r} shows a shopper session but has no session id")
        if self.kind == PERSONA and not isinstance(self.persona, Journey):
            raise ValueError(f"lane {label!r} shows a persona but has no journey")

    @property
    def events(self) -> int:
        """Tracking events this lane sends: 1 for a session, 2 per step for a persona."""
        if self.kind == SESSION:
            return 1
        if self.kind == PERSONA and self.persona is not None:
            return self.persona.events
        return 0


def native_lane(label: str = "Native order") -> LaneSpec:
    return LaneSpec(NATIVE, label)


def best_sellers_lane(label: str = "Best sellers") -> LaneSpec:
    return LaneSpec(BEST_SELLERS, label)


def persona_lane(journey: Journey, label: str | None = None) -> LaneSpec:
    return LaneSpec(PERSONA, label or journey.name, persona=journey)


def session_lane(session_id: str, user_id: str | None = None, label: str | None = None) -> LaneSpec:
    session, user = str(session_id or "").strip(), str(user_id or "").strip()
    return LaneSpec(SESSION, label or (f"{session} · user {user}" if user else session),
                    session_id=session, user_id=user or None)


def unique_labels(labels: Sequence[str]) -> list[str]:
    """Labels made distinct by numbering repeats: ["A", "A"] -> ["A", "A (2)"]."""
    out: list[str] = []
    for label in labels:
        text = candidate = str(label).strip()
        number = 1
        while candidate in out:
            number += 1
            candidate = f"{text} ({number})"
        out.append(candidate)
    return out


def with_unique_labels(specs: Sequence[LaneSpec]) -> list[LaneSpec]:
    """The specs, with repeated labels numbered ("Sporty shopper (2)")."""
    return [spec if spec.label == label else replace(spec, label=label)
            for spec, label in zip(specs, unique_labels([spec.label for spec in specs]), strict=True)]


def parse_session_lines(text: str) -> list[LaneSpec]:
    """Session lanes from lines of "session id", "session id, user id" or "session id, user id, name" (the user id
    may be left empty: "sess-1, , Casual shopper"; the name, the rest of the line, labels the lane); blank lines
    skipped."""
    specs = []
    for number, line in enumerate(str(text or "").splitlines(), start=1):
        if not line.strip():
            continue
        session, _, rest = line.partition(",")
        user, _, name = rest.partition(",")
        if not session.strip():
            raise ValueError(f"line {number}: a session id comes before the comma, as in \"sess-1, 90\"")
        specs.append(session_lane(session.strip(), user.strip() or None, " ".join(name.split()) or None))
    return specs


def check_specs(specs: Sequence[LaneSpec]) -> None:
    """ValueError unless there are 2 to 8 lanes with distinct labels and distinct sessions."""
    if not MIN_LANES <= len(specs) <= MAX_LANES:
        raise ValueError(f"choose {MIN_LANES} to {MAX_LANES} lanes to compare; "
                         f"{plural(len(specs), 'lane is', 'lanes are')} chosen")
    labels = [spec.label for spec in specs]
    repeated = sorted({label for label in labels if labels.count(label) > 1})
    if repeated:
        raise ValueError(f"two lanes have the same label {repeated[0]!r}; give each lane its own")
    sessions = [(spec.session_id, spec.user_id) for spec in specs if spec.kind == SESSION]
    twice = [pair for pair in sessions if sessions.count(pair) > 1]
    if twice:
        raise ValueError(
            f"session {twice[0][0]!r} is in two lanes: each call is recorded as a visit, so the "
            "second would see the first. Keep it once."
        )


# --------------------------------------------------------------------------- lane results


@dataclass(frozen=True)
class Lane:
    """One lane as fetched: its ranking (what the storefront shows), or its error."""

    spec: LaneSpec
    ranking: tuple[str, ...]  # drawn and measured; the native order for an empty answer
    answer: tuple[str, ...] | None  # Fashion.AI's own answer; None for the native lane or on error
    source: str  # SOURCE_FASHIONAI, SOURCE_NATIVE or SOURCE_SALES: where `ranking` comes from
    session_id: str | None = None  # the session asked for (a persona's fresh one)
    recommendation: Recommendation | None = field(default=None, repr=False)  # the last exchange
    journey: JourneyRun | None = field(default=None, repr=False)
    error: BaseException | None = None
    elapsed: float = 0.0
    unknown: int = 0  # returned ids the catalog does not hold

    @property
    def label(self) -> str:
        return self.spec.label

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def fallback(self) -> bool:
        """Fashion.AI answered with an empty list, so the lane shows the native order."""
        return self.ok and self.spec.kind in (SESSION, PERSONA) and self.answer == ()

    @property
    def native_order(self) -> bool:
        """The store's own order, not fetched (a native lane)."""
        return self.spec.kind == NATIVE

    @property
    def usable(self) -> bool:
        """Has a ranking to draw and measure."""
        return self.ok and bool(self.ranking)

    @property
    def note(self) -> str:
        """What the lane is and where its order comes from, in plain words (plain text)."""
        kind, n = self.spec.kind, len(self.ranking)
        if not self.ok:
            if self.journey is not None and self.journey.failed_step is not None:
                run = self.journey
                call = "its event" if run.failed_call == "event" else "the ranking fetched after it"
                return (f"The persona's journey stopped at step {run.failed_step} of "
                        f"{len(run.journey.steps)} ({call} failed) on session {run.session_id}.")
            return "This lane could not be fetched; the other lanes are not affected."
        if kind == NATIVE:
            if not n:
                return "Your catalog has no products in this category."
            return (f"The category in your catalog's own order ({plural(n, 'product')}): the storefront without "
                    "Fashion.AI. No call.")
        if kind == BEST_SELLERS:
            if not n:
                return ("Fashion.AI has no sales ranking for this category, so this lane is left out "
                        "of the charts and measures.")
            return (f"Fashion.AI's {plural(n, 'best seller')}, most sold first: not personalized, and not a "
                    "tracking event.")
        who = f"session {self.session_id}"
        if kind == PERSONA and self.journey is not None:
            steps = len(self.journey.steps)
            who = (f"the fresh session {self.session_id} after {plural(steps, 'step')} "
                   f"({plural(self.journey.events_sent, 'event')})")
        elif self.spec.user_id:
            who += f", user {self.spec.user_id}"
        if self.fallback:
            return (f"Fashion.AI answered with an empty list for {who}: it doesn't know this session yet. "
                    "The storefront then shows the native order, which is what this lane draws. The call "
                    "was recorded as a visit, so the next one usually ranks.")
        text = f"Fashion.AI ranked {plural(n, 'product')} for {who}."
        if self.unknown:
            text += (" It is not in your catalog." if n == 1 else
                     f" {self.unknown:,} of them {plural(self.unknown, 'is', 'are', with_count=False)} not in your "
                     "catalog.")
        return text


def answered_lane(
    spec: LaneSpec, answer: Sequence[str] | None, native: Sequence[str], catalog: Catalog, **details
) -> Lane:
    """The lane `spec` shows given Fashion.AI's `answer` (ignored for the native lane).

    An empty answer for a session or persona shows the native order, as the storefront
    does; an empty sales ranking stays empty. `details` are the other `Lane` fields
    (session_id, recommendation, journey, elapsed).
    """
    native = tuple(native)
    if spec.kind == NATIVE:
        return Lane(spec, native, None, SOURCE_NATIVE, **details)
    answer = tuple(answer or ())
    unknown = catalog.count_unknown(answer)
    if spec.kind == BEST_SELLERS:
        return Lane(spec, answer, answer, SOURCE_SALES, unknown=unknown, **details)
    if not answer:  # a session Fashion.AI doesn't know yet: the storefront shows its own order
        return Lane(spec, native, answer, SOURCE_NATIVE, **details)
    return Lane(spec, answer, answer, SOURCE_FASHIONAI, unknown=unknown, **details)
