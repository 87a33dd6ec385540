"""The leave-one-out experiment read: each product's rank with every event, without each one, and the noise.

    explanation = read_explanation(store, run_id, catalog)     # from the stored run: no call
    explanation.rank_all("p1"), explanation.rank_without("p1", 0), explanation.noise("p1")
    for move in explanation.moves()[:5]:
        print(explanation.sentence(move))   # Viewing *Linen Shirt — White* moved *Straw Hat* from #14 to #2

A move is counted for the products in the first `k` places (DEFAULT_K) of either answer, the
shelf a shopper sees. Ranks are 1-based places in a variant's answer; a product absent from an answer is "not
shown" there, and for arithmetic stands one place below that answer's last product.

**Noise**: a product's noise is the spread (highest minus lowest place) of its rank across
the "all" replay and its twins, the same events sent again on fresh sessions: what the
engine moves it by chance. **Within noise**: a move of a product by an event (its place
without the event minus its place with every event) is within noise when its size is not
larger than that product's noise; only a larger move is told as the event's doing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

import pandas as pd

from fashionai.audit.model import Answer, Purpose
from fashionai.audit.plan import plan_from_json
from fashionai.audit.store import AuditStore
from fashionai.catalog import Catalog
from fashionai.domain import DEFAULT_K, EventType
from fashionai.explain.experiment import ALL, ONLY, TWIN, WITHOUT, ExplainError, Experiment, experiment_from_plan, variant_of
from fashionai.journeys.journey import Step
from fashionai.text.formatting import escape_markdown

NOT_SHOWN = "not shown"
TOP_PRODUCTS = 15
"""The heatmap's products: the biggest movers only."""

_DONE: dict[str, tuple[str, str]] = {  # an event as a label (what the shopper did) and as a cause (doing it)
    EventType.PRODUCT_VIEW: ("Viewed {}", "Viewing {}"),
    EventType.SHOP_THE_LOOK: ("Asked for the look of {}", "Asking for the look of {}"),
    EventType.CATEGORY_VIEW: ("Opened category {}", "Opening category {}"),
    EventType.SEARCH: ("Searched '{}'", "Searching '{}'"),
    EventType.CUSTOM_SHELF: ("Opened the home shelf", "Opening the home shelf"),
}


def _about(step: Step, names: Mapping[str, str]) -> str:
    return names.get(step.id, step.id) if step.event_type in (EventType.PRODUCT_VIEW, EventType.SHOP_THE_LOOK) \
        else step.id


def event_label(step: Step, names: Mapping[str, str]) -> str:
    """What the shopper did, in words: "Viewed Linen Shirt — White", "Searched 'vestido azul'"."""
    return _DONE.get(step.event_type, ("{}", "{}"))[0].format(_about(step, names))


def _cause(step: Step, names: Mapping[str, str], mark: Callable[[str], str]) -> str:
    done = _DONE.get(step.event_type, ("{}", "{}"))[1]
    return done.format(mark(_about(step, names))) if "{}" in done else done


@dataclass(frozen=True)
class Move:
    """Product `product` moved by event `event` (0-based): its place without the event, with every event (None:
    not shown), `change` places up (negative: down), and whether that is within the twins' noise."""

    event: int
    product: str
    without: int | None
    with_all: int | None
    change: int
    within_noise: bool

    @property
    def size(self) -> int:
        return abs(self.change)


@dataclass(frozen=True)
class Explanation:
    """An experiment's answers: the events (each a Step and a plain label), the final question, each variant's
    ranked ids (by variant name: "all", "without 2", "only 2", "twin 1"; a variant not answered is absent)."""

    steps: tuple[Step, ...]
    question: str
    rankings: Mapping[str, tuple[str, ...]]
    names: Mapping[str, str] = field(default_factory=dict)
    twins: int = 0
    run_id: str = ""
    complete: bool = True
    k: int = DEFAULT_K  # a move counts when the product is in the first k places with or without the event

    @property
    def events(self) -> tuple[str, ...]:
        """Each event's plain label, in order."""
        return tuple(event_label(step, self.names) for step in self.steps)

    def name(self, product: str) -> str:
        found = self.names.get(product)
        return found if isinstance(found, str) and found.strip() else product

    # --- ranks

    def rank(self, product: str, variant: str) -> int | None:
        """`product`'s place (1-based) in `variant`'s answer; None when not shown or the variant not answered."""
        ids = self.rankings.get(variant)
        if ids is None or product not in ids:
            return None
        return ids.index(product) + 1

    def rank_all(self, product: str) -> int | None:
        return self.rank(product, ALL)

    def rank_without(self, product: str, event: int) -> int | None:
        return self.rank(product, f"{WITHOUT} {event + 1}")

    def rank_only(self, product: str, event: int) -> int | None:
        return self.rank(product, f"{ONLY} {event + 1}")

    def _place(self, product: str, variant: str) -> int:
        """The place used in arithmetic: a product not shown stands one below the answer's last."""
        ids = self.rankings[variant]
        return ids.index(product) + 1 if product in ids else len(ids) + 1

    def repeats(self) -> tuple[str, ...]:
        """The variants that replay every event and were answered: "all" and the twins."""
        return tuple(v for v in (ALL, *(f"{TWIN} {t + 1}" for t in range(self.twins))) if v in self.rankings)

    def noise(self, product: str) -> int:
        """The spread of `product`'s place across "all" and its twins (0 with fewer than two of them answered)."""
        places = [self._place(product, v) for v in self.repeats()]
        return max(places) - min(places) if len(places) > 1 else 0

    @property
    def noise_measured(self) -> bool:
        return len(self.repeats()) > 1

    # --- moves

    def moves(self) -> list[Move]:
        """Every product of the first `k` places (with every event or without the event) moved by leaving an event
        out, biggest first (then in event order, then the answer's)."""
        if ALL not in self.rankings:
            return []
        found: list[tuple[int, int, Move]] = []
        for event in range(len(self.steps)):
            without = f"{WITHOUT} {event + 1}"
            if without not in self.rankings:
                continue
            products = list(dict.fromkeys((*self.rankings[ALL][:self.k], *self.rankings[without][:self.k])))
            for order, product in enumerate(products):
                change = self._place(product, without) - self._place(product, ALL)
                if change:
                    move = Move(event, product, self.rank(product, without), self.rank_all(product), change,
                                abs(change) <= self.noise(product))
                    found.append((event, order, move))
        found.sort(key=lambda item: (-item[2].size, item[0], item[1]))
        return [move for _, _, move in found]

    def sentence(self, move: Move, *, markdown: bool = False, quoted: bool = False) -> str:
        """"Viewing *Linen Shirt — White* moved *Straw Hat* from #14 to #2" (", within noise" when it is);
        `markdown` escapes the names for Streamlit, `quoted` puts them in quotes instead (a deck's text)."""
        def mark(text: str) -> str:
            if quoted:
                return f"“{text}”"
            return f"*{escape_markdown(text)}*" if markdown else f"*{text}*"
        cause = _cause(self.steps[move.event], self.names, mark)
        words = (f"{cause} moved {mark(self.name(move.product))} from {_place_words(move.without)} "
                 f"to {_place_words(move.with_all)}")
        if move.within_noise:
            words += f", within noise (its place varies by {self.noise(move.product)} between identical replays)"
        return words

    def shown(self) -> tuple[str, ...]:
        """The first `k` products with every event: what a merchandiser points at."""
        return self.rankings.get(ALL, ())[:self.k]

    def story(self, product: str, *, markdown: bool = False) -> list[str]:
        """What each event did to one product, in event order: its move's sentence, or that leaving the event out
        did not move it (or that the replay without it was not answered); `markdown` as for `sentence`."""
        def mark(text: str) -> str:
            return f"*{escape_markdown(text)}*" if markdown else f"*{text}*"
        moves = {m.event: m for m in self.moves() if m.product == product}
        said = []
        for event, step in enumerate(self.steps):
            if event in moves:
                said.append(self.sentence(moves[event], markdown=markdown))
            elif f"{WITHOUT} {event + 1}" not in self.rankings:
                said.append(f"{_cause(step, self.names, mark)}: its replay without this event was not answered")
            else:
                said.append(f"{_cause(step, self.names, mark)} did not move {mark(self.name(product))} "
                            f"(at {_place_words(self.rank_all(product))} either way)")
        return said

    def biggest(self, count: int = 5) -> list[Move]:
        """The biggest moves beyond noise first, then those within it: what the sentences say."""
        moves = self.moves()
        return ([m for m in moves if not m.within_noise] + [m for m in moves if m.within_noise])[:count]

    def change_frame(self, top: int = TOP_PRODUCTS) -> pd.DataFrame:
        """A row an (event, product) for the `top` products that moved most: the heatmap's data."""
        moves = self.moves()
        products = list(dict.fromkeys(m.product for m in moves))[:top]
        kept = {p: n for n, p in enumerate(products)}
        labels = self.events
        rows = [(f"{m.event + 1}. {labels[m.event]}", m.event, m.product, self.name(m.product), m.change,
                 _place_words(m.without), _place_words(m.with_all), m.within_noise, kept[m.product])
                for m in moves if m.product in kept]
        return pd.DataFrame({
            "event": pd.array([r[0] for r in rows], dtype="str"),
            "event_index": pd.array([r[1] for r in rows], dtype="Int64"),
            "product_id": pd.array([r[2] for r in rows], dtype="str"),
            "product": pd.array([r[3] for r in rows], dtype="str"),
            "change": pd.array([r[4] for r in rows], dtype="Int64"),
            "without": pd.array([r[5] for r in rows], dtype="str"),
            "with_all": pd.array([r[6] for r in rows], dtype="str"),
            "within_noise": pd.array([r[7] for r in rows], dtype="boolean"),
            "order": pd.array([r[8] for r in rows], dtype="Int64"),
        })

    def to_json(self) -> dict:
        """The moves for `explain --json` and exports: every move, with its words."""
        return {"run_id": self.run_id, "question": self.question, "events": list(self.events),
                "complete": self.complete, "noise_measured": self.noise_measured,
                "moves": [{"event": m.event + 1, "event_label": self.events[m.event], "product_id": m.product,
                           "product": self.name(m.product), "rank_without": m.without, "rank_with_all": m.with_all,
                           "change": m.change, "within_noise": m.within_noise, "noise": self.noise(m.product),
                           "sentence": self.sentence(m)} for m in self.moves()]}


def _place_words(place: int | None) -> str:
    return NOT_SHOWN if place is None else f"#{place}"


def product_names(catalog: Catalog) -> Mapping[str, str]:
    """Product names by id (empty when the catalog has none)."""
    products = catalog.products
    return products["name"].dropna().astype("str").to_dict() if "name" in products.columns else {}


def explanation_of(experiment: Experiment, answers: Iterable[Answer], catalog: Catalog, *, run_id: str = "",
                   complete: bool = True) -> Explanation:
    """The experiment's measured answers read into an Explanation (a failed answer leaves its variant out)."""
    rankings: dict[str, tuple[str, ...]] = {}
    for answer in answers:
        variant = variant_of(answer.shopper_key)
        if variant is not None and answer.purpose == Purpose.MEASURE and answer.ok:
            rankings[variant] = tuple(str(p) for p in answer.products)
    everything = product_names(catalog)
    wanted = {p for ids in rankings.values() for p in ids} | {s.id for s in experiment.events}
    names = {p: everything[p] for p in wanted if p in everything}
    return Explanation(experiment.events, f"Opened category {experiment.category}", rankings, names,
                       twins=experiment.twins, run_id=run_id, complete=complete)


def read_explanation(store: AuditStore, run_id: str, catalog: Catalog) -> Explanation:
    """A stored experiment's run read back from the history (no call); ExplainError when it is not one."""
    run = store.run(run_id)
    if run is None:
        raise ExplainError(f"there is no stored experiment {str(run_id)[:40]!r}: it may have been deleted")
    experiment = experiment_from_plan(plan_from_json(run.plan_json))
    return explanation_of(experiment, store.answers(run.id), catalog, run_id=run.id,
                          complete=run.done_calls >= run.total_calls)
