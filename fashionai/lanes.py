"""Lanes side by side: one category as several shoppers and baselines would see it.

A lane is one list of the category's products, best first:

- ``session``: Fashion.AI's ``categoryView`` for a shopper session (and user). One
  tracking event for that session.
- ``persona``: a `Journey` run on a fresh synthetic session, watching this category
  (``journey.run_journey``); the lane is the storefront after the last step. Two
  events per step, all for that new session.
- ``native``: the store's own order (catalog order). No call.
- ``best_sellers``: Fashion.AI's sales ranking for the category. Not an event.

`compare_lanes` fetches every lane at once (``lanes.fetch_lanes``: a persona's
steps run one after another inside its own lane) and returns a frozen
`Comparison`: each lane's ranking or error, from which it computes the measures,
bump-chart and lift frames when they are first read. `Comparison.remeasure(k=...,
p=...)` gives the same lanes at another k or p, without calling Fashion.AI again.

An empty answer for a session or persona means Fashion.AI does not know that
session yet; the storefront then shows the native order, so that is what the lane
draws and measures (``Lane.fallback``, said in ``Lane.note``). An empty sales
ranking has no such fallback: the lane is left out of charts and measures.

No Streamlit here; `on_done` progress callbacks run in the caller's thread.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from fashionai._fanout import LaneResult, OnDone, fetch_lanes
from fashionai.api.client import FashionAIClient, Recommendation
from fashionai.catalog import Catalog
from fashionai.domain import DEFAULT_K, DEFAULT_P, MAX_LANES, MIN_LANES
from fashionai.journey import Journey, JourneyRun, retarget, run_journey
from fashionai.output.present import is_missing, new_session_id, plural, safe_image_url
from fashionai.ranking import (
    DEFAULT_ATTRIBUTES,
    MEASURES,
    Rankings,
    attribute_lift,
    move_note,
    pairwise_table,
    rank_matrix,
    unique_ids,
)

SESSION, PERSONA, NATIVE, BEST_SELLERS = "session", "persona", "native", "best_sellers"
KINDS = (SESSION, PERSONA, NATIVE, BEST_SELLERS)
PERSONA_SESSION_PREFIX = "studio-persona"

SOURCE_FASHIONAI = "Fashion.AI"
SOURCE_NATIVE = "native order"
SOURCE_SALES = "sales ranking"

INFO_COLUMNS = ("name", "category", "stock", "in_stock", "price", "image_url", "color", "style", "brand")

CHANGE_WORDS = {"up": "up {n}", "down": "down {n}", "same": "same place", "new": "new in the top {k}, {note}",
                "dropped": "dropped from the top {k}, {note}"}
"""Words for each change; {note} says where a new product came from or a dropped one went
(`compare.move_note`: "from #70", "to #25", "not returned", ...)."""


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
            for spec, label in zip(specs, unique_labels([spec.label for spec in specs]))]


def parse_session_lines(text: str) -> list[LaneSpec]:
    """Session lanes from lines of "session id" or "session id, user id"; blank lines skipped."""
    specs = []
    for number, line in enumerate(str(text or "").splitlines(), start=1):
        if not line.strip():
            continue
        session, _, user = line.partition(",")
        if not session.strip():
            raise ValueError(f"line {number}: a session id comes before the comma, as in \"sess-1, 90\"")
        specs.append(session_lane(session.strip(), user.strip() or None))
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


@dataclass(frozen=True)
class _Fetched:
    """What a lane's callable hands back (in a worker thread)."""

    answer: tuple[str, ...] | None
    session_id: str | None = None
    recommendation: Recommendation | None = None
    journey: JourneyRun | None = None


def _lane_task(
    client: FashionAIClient,
    spec: LaneSpec,
    category: str,
    native: tuple[str, ...],
    new_session: Callable[[], str],
) -> Callable[[], _Fetched]:
    if spec.kind == NATIVE:
        return lambda: _Fetched(None)
    if spec.kind == BEST_SELLERS:
        def best_sellers() -> _Fetched:
            answer = client.sales_ranking(category)
            return _Fetched(tuple(answer.products), recommendation=answer)
        return best_sellers
    if spec.kind == SESSION:
        def session() -> _Fetched:
            answer = client.category_view(spec.session_id, category, user_id=spec.user_id)
            return _Fetched(tuple(answer.products), spec.session_id, answer)
        return session
    assert spec.persona is not None

    def persona() -> _Fetched:
        session_id = new_session()
        run = run_journey(client, retarget(spec.persona, category), session_id=session_id,
                          user_id=spec.user_id, native=native)
        last = run.steps[-1].fetch if run.steps else None
        return _Fetched(run.final_answer, session_id, last, run)
    return persona


def _lane(spec: LaneSpec, result: LaneResult, native: tuple[str, ...], catalog: Catalog) -> Lane:
    if not result.ok:
        return Lane(spec, (), None, SOURCE_FASHIONAI, error=result.error, elapsed=result.elapsed)
    fetched: _Fetched = result.value
    common = {"session_id": fetched.session_id, "recommendation": fetched.recommendation,
              "journey": fetched.journey, "elapsed": result.elapsed}
    if fetched.journey is not None and fetched.journey.error is not None:
        return Lane(spec, (), None, SOURCE_FASHIONAI, error=fetched.journey.error, **common)
    return lane_from_answer(spec, fetched.answer or (), native, catalog, **common)


def lane_from_answer(spec: LaneSpec, answer: tuple[str, ...], native: tuple[str, ...], catalog: Catalog,
                     **details: Any) -> Lane:
    """The lane of `spec` given Fashion.AI's `answer` (fetched now, or saved in the history): what it draws.

    The native lane draws `native` (its answer is ignored); best sellers draw their answer;
    a session or persona draws its answer, or `native` for an empty one (the storefront's
    fallback). `details` are the Lane's other fields (session_id, recommendation, journey, elapsed).
    """
    if spec.kind == NATIVE:
        return Lane(spec, native, None, SOURCE_NATIVE, **details)
    unknown = catalog.count_unknown(answer)
    if spec.kind == BEST_SELLERS:
        return Lane(spec, answer, answer, SOURCE_SALES, unknown=unknown, **details)
    if not answer:  # a session Fashion.AI doesn't know yet: the storefront shows its own order
        return Lane(spec, native, answer, SOURCE_NATIVE, **details)
    return Lane(spec, answer, answer, SOURCE_FASHIONAI, unknown=unknown, **details)


# --------------------------------------------------------------------------- the comparison


@dataclass(frozen=True, eq=False)
class Comparison:
    """Every lane of one category, and what the measures and charts need, for one k and p.

    The measure and chart frames are computed from the stored rankings when first
    read, then kept; they are read-only. `remeasure` returns a new Comparison for
    another k or p, sharing the lanes (no call to Fashion.AI).
    """

    category: str
    lanes: tuple[Lane, ...]
    native: tuple[str, ...]  # the category in catalog order
    products: pd.DataFrame = field(repr=False)  # catalog rows (INFO_COLUMNS) of every id shown, by product id
    k: int = DEFAULT_K
    p: float = DEFAULT_P
    _shared: dict = field(default_factory=dict, repr=False)
    """What does not depend on k or p (the encoded rankings, Kendall's tau of each pair),
    shared with every `remeasure` of these lanes."""

    # Derived from the rankings at k and p, computed when first read (then kept).

    @property
    def encoded(self) -> Rankings:
        """The drawable lanes' rankings encoded once (`compare.Rankings`), shared across k and p."""
        rankings = self._shared.get("rankings")
        if rankings is None:
            rankings = self._shared.setdefault("rankings", Rankings(self.rankings))
        return rankings

    @cached_property
    def pairwise(self) -> pd.DataFrame:
        """Every measure for every pair of drawable lanes (`compare.pairwise_table`)."""
        return pairwise_table(self.encoded, p=self.p, k=self.k)

    @cached_property
    def matrices(self) -> MappingProxyType:
        """Measure name -> lane-by-lane `compare.similarity_matrix`, for every measure.

        Read off `pairwise`, so no pair is measured twice; only the diagonal is added.
        """
        encoded, names = self.encoded, self.encoded.names
        columns = {"rbo": "rbo", "overlap": "overlap_at_k", "jaccard": "jaccard_at_k", "kendall": "kendall_tau"}
        index = {name: i for i, name in enumerate(names)}
        matrices = {}
        for measure in MEASURES:
            values = np.full((len(names), len(names)), np.nan)
            for i, name in enumerate(names):
                values[i, i] = encoded.measure(measure, name, name, p=self.p, k=self.k)
            for a, b, value in self.pairwise[["lane_a", "lane_b", columns[measure]]].itertuples(index=False):
                values[index[a], index[b]] = values[index[b], index[a]] = value
            matrices[measure] = pd.DataFrame(values, index=pd.Index(names, dtype="str", name="lane_a"),
                                             columns=pd.Index(names, dtype="str", name="lane_b"))
        return MappingProxyType(matrices)

    @cached_property
    def rank_long(self) -> pd.DataFrame:
        """`compare.rank_matrix` of the drawable lanes: the bump chart's data."""
        return rank_matrix(self.encoded, self.k)

    @cached_property
    def lift(self) -> pd.DataFrame:
        """`compare.attribute_lift` of every drawable lane's top k against the category."""
        attributes = _known_attributes(self.products, self.encoded, self.k)
        return attribute_lift(self.products, self.rankings, self.native, k=self.k, attributes=attributes)

    @property
    def rankings(self) -> dict[str, tuple[str, ...]]:
        """Label -> ranking of every lane that has one to draw, in lane order."""
        return {lane.label: lane.ranking for lane in self.lanes if lane.usable}

    @property
    def labels(self) -> list[str]:
        return [lane.label for lane in self.lanes]

    @property
    def usable_labels(self) -> list[str]:
        return list(self.rankings)

    @property
    def info(self) -> pd.DataFrame:
        """Name, stock and in_stock by product id: tooltips for the charts."""
        return self.products[[c for c in ("name", "stock", "in_stock") if c in self.products.columns]]

    def lane(self, label: str) -> Lane:
        for lane in self.lanes:
            if lane.label == label:
                return lane
        raise KeyError(label)

    def default_reference(self) -> str | None:
        """The native order if it can be drawn, else the first lane that can."""
        usable = self.usable_labels
        native = [lane.label for lane in self.lanes if lane.spec.kind == NATIVE and lane.usable]
        return native[0] if native else (usable[0] if usable else None)

    def remeasure(self, *, k: int | None = None, p: float | None = None) -> Comparison:
        """The same lanes measured at another k and/or p, from the stored rankings (no call)."""
        k = self.k if k is None else k
        p = self.p if p is None else p
        if k == self.k and p == self.p:
            return self  # keeps what was already computed
        _check_measures(k, p)
        return replace(self, k=k, p=p)

    def changes(self, reference: str, other: str) -> pd.DataFrame:
        """The change list from `reference` to `other` in the top k, with names and images.

        Columns: movement (words: "up 3", "new in the top 10, from #70", ...), image_url (safe to
        show), name, rank, ref_rank, change, delta, stock, price, product_id. Rows as
        `compare.rank_changes`: other's top k by rank, then the dropped ones.
        """
        frame = self.encoded.changes(reference, other, k=self.k)
        return _with_products(frame, self.products, self.k)

    def change_summary(self, reference: str) -> pd.DataFrame:
        """For every other lane: how many of its top k moved up, down, stayed, are new, dropped."""
        rows = []
        for label in self.encoded.names:
            if label == reference:
                continue
            counts = self.encoded.changes(reference, label, k=self.k)["change"].value_counts()
            rows.append({"lane": label} | {c: int(counts.get(c, 0)) for c in CHANGE_WORDS})
        columns = ["lane", "up", "down", "same", "new", "dropped"]
        return pd.DataFrame(rows, columns=columns).astype({"lane": "str"} | dict.fromkeys(columns[1:], "int64"))

    def top_k(self) -> pd.DataFrame:
        """The top k of every drawable lane side by side: rows are ranks, cells product names."""
        names = self.products["name"] if "name" in self.products.columns else pd.Series(dtype="str")
        table = {}
        encoded = self.encoded
        for label in encoded.names:
            top = encoded.ids(encoded.top(label, self.k))
            table[label] = pd.Series([_display_name(names.get(pid), pid) for pid in top]
                                     + [""] * (self.k - len(top)), dtype="str")
        frame = pd.DataFrame(table)
        frame.index = pd.RangeIndex(1, self.k + 1, name="rank")
        return frame


def compare_lanes(
    client: FashionAIClient,
    catalog: Catalog,
    category: str,
    specs: Sequence[LaneSpec],
    *,
    k: int = DEFAULT_K,
    p: float = DEFAULT_P,
    on_done: OnDone | None = None,
    new_session: Callable[[], str] | None = None,
    max_workers: int = MAX_LANES,
) -> Comparison:
    """Fetch every lane of `category` at once and measure them against each other.

    A lane's failure is kept in its `Lane.error`; the others are unaffected.
    `on_done(result, done, total)` reports each finished lane (in this thread).
    `new_session` makes a persona's fresh session id (a synthetic one by default).
    ValueError for a blank category or lanes `check_specs` refuses.
    """
    category = str(category or "").strip()
    if not category:
        raise ValueError("choose a category to compare")
    check_specs(specs)
    _check_measures(k, p)
    fresh = new_session or (lambda: new_session_id(PERSONA_SESSION_PREFIX))
    native = tuple(catalog.category_ids(category))
    tasks = [(spec.label, _lane_task(client, spec, category, native, fresh)) for spec in specs]
    results = fetch_lanes(tasks, max_workers=max_workers, on_done=on_done)
    lanes = tuple(_lane(spec, result, native, catalog) for spec, result in zip(specs, results))
    products = lane_products(catalog, native, lanes)
    return Comparison(category, lanes, native, products, k=k, p=p)


def lane_products(catalog: Catalog, native: tuple[str, ...], lanes: Sequence[Lane]) -> pd.DataFrame:
    """Catalog rows of the category and of every id a lane shows (INFO_COLUMNS, with in_stock):
    a `Comparison`'s products, whether its lanes were fetched now or rebuilt from the history."""
    ids = unique_ids([native, *(lane.ranking for lane in lanes)])
    source = catalog.products
    positions = catalog.positions(ids)
    columns = [c for c in INFO_COLUMNS if c in source.columns]
    frame = source.iloc[positions[positions >= 0]][columns].copy()
    frame.index = pd.Index(frame.index, dtype="str", name="product_id")
    if "stock" in frame.columns:
        frame["in_stock"] = frame["stock"] > 0
    if "price" in frame.columns:  # plain floats, NaN where unknown (price bands read float64)
        frame["price"] = pd.to_numeric(frame["price"], errors="coerce").astype("float64")
    return frame[[c for c in INFO_COLUMNS if c in frame.columns]]


def _known_attributes(products: pd.DataFrame, rankings: Rankings, k: int) -> list[str]:
    """The lift attributes some product in a lane's top k has a value for.

    Uploads often lack some (no price, no brand), and an attribute no shown
    product has says nothing about why lanes differ.
    """
    top = unique_ids([rankings.ids(rankings.top(name, k)) for name in rankings.names])
    shown = products[products.index.isin(top)]
    known = []
    for attribute in DEFAULT_ATTRIBUTES:
        column = "price" if attribute == "price_band" and "price_band" not in shown.columns else attribute
        if column in shown.columns and shown[column].notna().any():
            known.append(attribute)
    return known


def _check_measures(k: int, p: float) -> None:
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    if not 0 < p < 1:
        raise ValueError(f"p must be strictly between 0 and 1, got {p}")


def _display_name(name: Any, product_id: str) -> str:
    if is_missing(name) or not str(name).strip():
        return f"Unknown product {product_id}"
    return str(name)


def _with_products(changes: pd.DataFrame, products: pd.DataFrame, k: int) -> pd.DataFrame:
    """`rank_changes` with the words for each move, and the product's name, safe image, stock, price."""
    frame = changes.copy()
    ids = frame["product_id"]

    def column(name: str) -> pd.Series:
        return products[name] if name in products.columns else pd.Series(dtype="object")

    names, images = column("name"), column("image_url")
    frame["name"] = pd.Series([_display_name(names.get(pid), pid) for pid in ids], index=frame.index, dtype="str")
    frame["image_url"] = pd.Series([safe_image_url(images.get(pid)) for pid in ids], index=frame.index, dtype="str")
    frame["stock"] = pd.array([column("stock").get(pid) for pid in ids], dtype="Int64")
    frame["price"] = pd.array([column("price").get(pid) for pid in ids], dtype="float64")
    frame["movement"] = pd.Series([
        CHANGE_WORDS[change].format(n="" if is_missing(delta) else abs(int(delta)), k=k,
                                    note=move_note(change, ref_rank, rank))
        for change, delta, ref_rank, rank in zip(frame["change"], frame["delta"], frame["ref_rank"], frame["rank"])
    ], index=frame.index, dtype="str")
    order = ["movement", "image_url", "name", "rank", "ref_rank", "change", "delta", "stock", "price", "product_id"]
    return frame[order].reset_index(drop=True)
