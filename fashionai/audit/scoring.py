"""Reading a run's answers into the scorecard's rows: the work behind `scorecard.score_run`.

The answers are read once; each measured answer leaves only its top K (by shopper and
slot) and its call's figures (succeeded, products, duration). The catalog is asked after:
which shown ids it lacks, which it has out of stock, each taste attribute's values and
each category's products. The rules (slots, twins, rates, the overall row) are in
`fashionai.audit.scorecard`'s docstring.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from fashionai.audit import registry
from fashionai.audit.beyond_overlap import sales_popularity
from fashionai.audit.measures import attribute_bias, best_selling_head
from fashionai.measures.ranked_ids import top_k
from fashionai.audit.model import Answer, Purpose
from fashionai.audit.shoppers import TASTE_ATTRIBUTES, taste_values
from fashionai.catalog import Catalog
from fashionai.catalog.stock import known_out
from fashionai.domain import EventType
from fashionai.filters import FilterSettings, check_filters
from fashionai.relevance.judgments import Judgments
from fashionai.relevance.scores import Search

LIST_KEYS = registry.LIST_KEYS
RATE_KEYS = registry.RATE_KEYS
STABILITY_P = registry.STABILITY_P
GROUP_COLUMNS = ("gender",)
"""Group columns of the catalog that exposure parity reads besides the taste attributes."""


@dataclass
class Slot:
    """What every shopper is asked alike (a category page, the home shelf, a product page) and what came back."""

    placement: str
    item: str
    category: str
    tops: dict[str, list[str]] = field(default_factory=dict)  # shopper key -> top K (answers with products)
    twins: dict[str, tuple[str, list[str]]] = field(default_factory=dict)  # twin key -> (original key, top K)
    shoppers: set[str] = field(default_factory=set)
    ok: list[bool] = field(default_factory=list)
    counts: list[int] = field(default_factory=list)
    elapsed: list[float] = field(default_factory=list)  # seconds, calls that succeeded

    def add(self, answer: Answer, k: int) -> None:
        top = top_k(answer.products, k) if answer.ok else []
        if answer.twin_of:
            if top:
                self.twins[answer.shopper_key] = (answer.twin_of, top)
            return
        self.shoppers.add(answer.shopper_key)
        self.ok.append(bool(answer.ok))
        self.counts.append(len(answer.products))
        if answer.ok:
            self.elapsed.append(float(answer.elapsed))
        if top:
            self.tops[answer.shopper_key] = top
        else:
            self.tops.pop(answer.shopper_key, None)  # the last answer of a shopper counts

    def stability_pairs(self) -> list[tuple[list[str], list[str]]]:
        return [(top, self.tops[original]) for original, top in self.twins.values() if original in self.tops]


@dataclass
class CatalogFacts:
    """What the measures ask of the catalog, looked up once."""

    catalog: Catalog
    shown: set[str]
    unknown: set[str] = field(init=False)
    out_of_stock: set[str] = field(init=False)
    values: dict[str, dict[str, str]] = field(init=False)
    groups: dict[str, dict[str, str]] = field(init=False)
    _categories: dict[str, set[str]] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        ids = list(self.shown)
        positions = self.catalog.positions(ids) if ids else np.empty(0, dtype=np.int64)
        self.unknown = {pid for pid, pos in zip(ids, positions, strict=True) if pos < 0}
        self.out_of_stock = set()
        products = self.catalog.products
        if "stock" in products.columns and ids:
            known = positions >= 0
            low = np.zeros(len(ids), dtype=bool)
            low[known] = known_out(products["stock"].iloc[positions[known]])  # unknown stock is not out of stock
            self.out_of_stock = {pid for pid, flag in zip(ids, low, strict=True) if flag}
        tastes = taste_values(self.catalog)
        self.values = {a: tastes[a].dropna().to_dict() if a in tastes.columns else {} for a in TASTE_ATTRIBUTES}
        self.groups = dict(self.values)  # exposure's groups: the tastes and the other group columns it has
        for column in GROUP_COLUMNS:
            if column in products.columns:
                text = products[column].astype("string").str.strip()
                self.groups[column] = text[text.notna() & (text != "")].to_dict()

    def products_of(self, category: str) -> set[str]:
        """The category's products; the whole catalog for "" (the home shelf)."""
        if category not in self._categories:
            ids = self.catalog.products.index if category == "" else self.catalog.category_ids(category)
            self._categories[category] = set(ids)
        return self._categories[category]


def score_answers(answers: Iterable[Answer], catalog: Catalog, *, k: int, overall: str,
                  facts: CatalogFacts | None = None, judgments: Judgments | None = None, bias_table: bool = True,
                  filters: FilterSettings | None = None,
                  ) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[Search]]:
    """The scorecard's rows (dicts of `ROW_COLUMNS`, None where not measurable; the query set's searches in one
    row, placement SEARCH; the overall row, placement `overall`, last), its bias table's rows and the searches
    that answered (query, ranked ids; twins left out), which `judgments` grade. `facts`: the catalog's, looked
    up once by a caller that scores many resamples of the same answers (they must cover every id shown); such a
    caller passes `bias_table=False` when it reads only the rows (no bias rows made: their frames were most of a
    resample's time). `filters`: the team's dashboard filters, which `filter_breaches` checks each placement's
    lists against."""
    slots: dict[tuple[str, str], Slot] = {}
    references: dict[str, list[str]] = {}
    viewed: dict[str, list[str]] = {}  # shopper key -> the products it viewed while warming up (calibration)
    searches: list[Search] = []
    totals: list[int] = []
    for answer in answers:
        if answer.purpose == Purpose.WARMUP and answer.event_type == EventType.PRODUCT_VIEW:
            viewed.setdefault(answer.shopper_key, []).append(str(answer.item_id))
        if answer.purpose == Purpose.REFERENCE:
            if answer.ok:  # the best sellers, read whole for the head (a handful of calls)
                references[answer.category] = list(answer.products)
            continue
        if answer.purpose != Purpose.MEASURE:
            continue
        if answer.event_type == EventType.SEARCH and answer.ok and not answer.twin_of:
            searches.append((str(answer.item_id), answer.products))  # the query, its ranked ids
            totals += [] if answer.total_items is None else [int(answer.total_items)]
        key = (str(answer.event_type), str(answer.item_id))
        slot = slots.get(key)
        if slot is None:
            slot = slots[key] = Slot(key[0], key[1], str(answer.category or ""))
        slot.add(answer, k)

    facts = facts or CatalogFacts(catalog, {pid for s in slots.values() for top in s.tops.values() for pid in top})
    heads = {c: best_selling_head(ranking, facts.products_of(c)) for c, ranking in references.items()}
    shelf_head = set().union(*heads.values()) if heads else set()
    popularity = {pid: pop for c, ranking in references.items()
                  for pid, pop in sales_popularity(ranking, facts.products_of(c)).items()}
    context = _Context(facts, popularity, viewed, _breaking(catalog, slots.values(), filters))

    rows: list[dict[str, Any]] = []
    bias_rows: list[dict[str, Any]] = []
    by_placement = {p: [s for s in slots.values() if s.placement == p] for p in
                    (EventType.CATEGORY_VIEW, EventType.CUSTOM_SHELF, EventType.PRODUCT_VIEW)}
    for placement in (EventType.CATEGORY_VIEW, EventType.CUSTOM_SHELF):
        for slot in by_placement[placement]:
            head = shelf_head if placement == EventType.CUSTOM_SHELF else heads.get(slot.category, set())
            measures, bias = _slot_measures(slot, context, head, k, with_bias=bias_table)
            rows.append(_row(placement, slot.category, [slot], measures, facts, k, breaking=context.breaking))
            bias_rows += _bias_rows(placement, slot.category, bias)
    product_groups: dict[str, list[Slot]] = {}
    for slot in by_placement[EventType.PRODUCT_VIEW]:
        product_groups.setdefault(slot.category, []).append(slot)
    for category, group in product_groups.items():
        head = heads.get(category, set())
        measured = [_slot_measures(slot, context, head, k, with_bias=False)[0] for slot in group]
        measures = {key: _mean([m[key] for m in measured]) for key in LIST_KEYS}
        rows.append(_row(EventType.PRODUCT_VIEW, category, group, measures, facts, k, breaking=context.breaking))
        if not bias_table:
            continue
        pooled = [top for slot in group for top in slot.tops.values()]
        bias_rows += _bias_rows(EventType.PRODUCT_VIEW, category, {
            a: attribute_bias(pooled, facts.values[a], facts.products_of(category), k) for a in TASTE_ATTRIBUTES})

    found = {"searches": searches, "totals": totals, "judgments": judgments}
    searched = [s for s in slots.values() if s.placement == EventType.SEARCH]
    if searched:
        rows.append(_row(EventType.SEARCH, "", searched, dict.fromkeys(LIST_KEYS), facts, k, found,
                         breaking=context.breaking))
    category_rows = [r for r in rows if r["placement"] == EventType.CATEGORY_VIEW]
    measures = {key: _mean([r[key] for r in category_rows]) for key in LIST_KEYS}
    rows.append(_row(overall, "", list(slots.values()), measures, facts, k, found, breaking=context.breaking))
    return rows, bias_rows, searches


@dataclass(frozen=True)
class _Context:
    """What every slot's list measures read besides its own lists."""

    facts: CatalogFacts
    popularity: dict[str, float]  # id -> popularity from its category's sales ranking
    viewed: dict[str, list[str]]  # shopper key -> products viewed while warming up
    breaking: dict[str, set[str]] = field(default_factory=dict)  # placement -> ids breaking its dashboard filters


def _breaking(catalog: Catalog, slots: Iterable[Slot], filters: FilterSettings | None) -> dict[str, set[str]]:
    """Per placement whose dashboard filters the catalog supports: the ids shown there that break them."""
    shown: dict[str, set[str]] = {}
    for slot in slots:
        shown.setdefault(slot.placement, set()).update(pid for top in slot.tops.values() for pid in top)
    checks = {placement: check_filters(catalog, placement, sorted(ids), filters)
              for placement, ids in shown.items()} if filters else {}
    return {placement: set(check.breaches) for placement, check in checks.items() if check.measurable}


def _filter_places(slots: Sequence[Slot], breaking: dict[str, set[str]], unknown: set[str]) -> tuple[int, int] | None:
    """(places held by ids breaking their placement's filters, places checked) over the slots' lists."""
    hits = places = 0
    for slot in slots:
        bad = breaking.get(slot.placement)
        if bad is None:
            continue
        for top in slot.tops.values():
            known = [pid for pid in top if pid not in unknown]
            places += len(known)
            hits += sum(pid in bad for pid in known)
    return (hits, places) if places else None


def _slot_measures(slot: Slot, context: _Context, head: set[str], k: int, *,
                   with_bias: bool = True) -> tuple[dict[str, float | None], dict[str, pd.DataFrame]]:
    facts = context.facts
    lists = list(slot.tops.values())
    products = facts.products_of(slot.category)
    bias = {a: attribute_bias(lists, facts.values[a], products, k) for a in TASTE_ATTRIBUTES} if with_bias else {}
    inputs = registry.MeasureInputs(k, lists=lists, products=products, head=head, pairs=slot.stability_pairs(),
                                    values=facts.values, popularity=context.popularity,
                                    groups=facts.groups,
                                    events=[context.viewed.get(key, []) for key in slot.tops])
    measures = {spec.key: spec.compute(inputs) for spec in registry.MEASURES if spec.kind == registry.LIST}
    return measures, bias


def _row(placement: str, category: str, slots: Sequence[Slot], measures: dict[str, float | None],
         facts: CatalogFacts, k: int, found: dict[str, Any] | None = None, *,
         breaking: dict[str, set[str]] | None = None) -> dict[str, Any]:
    """A row: its measures, its rates pooled over its slots' calls; the search measures over `found` (the
    searches, their totals and the judgments: the search and overall rows)."""
    lists = [top for slot in slots for top in slot.tops.values()]
    inputs = registry.MeasureInputs(k, lists=lists, out_of_stock=facts.out_of_stock, unknown=facts.unknown,
                                    counts=[n for slot in slots for n in slot.counts],
                                    ok=[flag for slot in slots for flag in slot.ok],
                                    elapsed=[s for slot in slots for s in slot.elapsed],
                                    filter_places=_filter_places(slots, breaking or {}, facts.unknown),
                                    **(found or {}))
    return {
        "placement": str(placement), "category": category,
        "shoppers": len(set().union(*(slot.shoppers for slot in slots))) if slots else 0,
        "calls": len(inputs.ok),
        **measures,
        **{spec.key: spec.compute(inputs) for spec in registry.MEASURES if spec.kind == registry.RATE},
    }


def _bias_rows(placement: str, category: str, bias: dict[str, pd.DataFrame]) -> list[dict[str, Any]]:
    return [{"placement": str(placement), "category": category, "attribute": attribute, **record}
            for attribute, frame in bias.items() for record in frame.to_dict("records")]


def _mean(values: Sequence[float | None]) -> float | None:
    kept = [v for v in values if v is not None and v == v]
    return sum(kept) / len(kept) if kept else None
