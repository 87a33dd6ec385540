"""An audit run's scorecard: every measure per placement and category, and overall.

    card = score_run(answers, catalog, k=10)     # streams the answers once
    card.overall()["personalization"]            # 0.72, or None when not measurable
    print(scorecard_text(card))                  # a plain table for a terminal
    Scorecard.from_json(card.to_json())          # kept with the run

How a run's answers are read (`score_run`):

- A *slot* is what every shopper is asked alike: a category page (one slot per category),
  the home shelf (one slot, category ""), a product page (one slot per product). List
  measures compare the shoppers' lists of one slot.
- Only measured answers are scored: warm-up answers are not; reference (best sellers)
  answers give each category's best-selling head and are not scored themselves.
- Twins (`Answer.twin_of`) are left out of every measure and count but `stability`, which
  pairs a twin's list with its original's list of the same slot.
- List measures read answers that came back with products; an empty or failed answer
  counts only in `empty_rate` / `error_rate`. If a shopper has two answers for a slot
  (a resumed run), the last one counts.
- Rates are over the row's measured calls: out-of-stock and unknown over the top-K places,
  empty and error over the calls, latency over the calls that succeeded.
- A category page's "category's products" are the category's; a product page's are its
  category's (each product slot measured, the category row their mean; rates and the bias
  table pooled over the category's product slots); the home shelf's are the whole catalog,
  and its best-selling head is the union of every category's head.
- The overall row: list measures the mean of the category-page rows; rates pooled over
  every measured call of the run (every placement).
- Not measured is not zero: a measure the catalog or the run cannot support (no stock
  column, no colour column, no persona run twice) is NaN in every row, and
  `Scorecard.not_measured` says why in plain words (`not_measured_reasons`).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol, SupportsFloat

import pandas as pd

from fashionai.audit import registry
from fashionai.audit.model import PLACEMENT_LABELS, Answer, MeasureInfo, Purpose
from fashionai.audit.scoring import score_answers
from fashionai.audit.shoppers import TASTE_ATTRIBUTES, taste_values
from fashionai.catalog import Catalog
from fashionai.catalog.stock import StockState, stock_states
from fashionai.domain import EventType
from fashionai.filters import FilterSettings, check_filters
from fashionai.relevance.judgments import Judgments
from fashionai.relevance.worst import QUERY_COLUMNS, query_table, worst_queries
from fashionai.text.formatting import visible

__all__ = ["BIAS_TABLE_COLUMNS", "MEASURES", "MEASURE_INFO", "MEASURE_KEYS", "OVERALL", "ROW_COLUMNS",
           "SCORECARD_FORMAT", "Scorecard", "format_value", "not_measured_reasons", "overall_words", "score_run",
           "scorecard_text"]

SCORECARD_FORMAT = "fashionai-audit-scorecard/1"
OVERALL = "overall"
"""The placement of the scorecard's overall row (its category is "")."""

MEASURES = registry.MEASURES
"""Every measure's words, unit and direction, in the scorecard's order: `fashionai.audit.registry`'s specs."""
MEASURE_KEYS = registry.MEASURE_KEYS
MEASURE_INFO = registry.MEASURE_INFO

ROW_COLUMNS = ("placement", "category", "shoppers", "calls", *MEASURE_KEYS)
ADDED_SINCE = "the run was scored before this measure was added"
"""Why a stored scorecard has no value of a measure that none of its rows holds (a measure added since)."""
BIAS_TABLE_COLUMNS = ("placement", "category", "attribute", "value", "share_shown", "share_category", "lift")


@dataclass(frozen=True, eq=False)
class Scorecard:
    """A run's scorecard. `rows`: one row per placement and category (`ROW_COLUMNS`, a measure NaN
    when not measurable) and the overall row last; `bias`: each attribute value's shares per row."""

    k: int
    rows: pd.DataFrame
    bias: pd.DataFrame
    partial: bool = False  # the run did not finish: the measures read what it asked
    catalog_fingerprint: str = ""
    not_measured: dict[str, str] = field(default_factory=dict)  # measure key -> why it could not be measured
    queries: pd.DataFrame = field(default_factory=lambda: _queries_frame([]))  # a row a query (relevance.worst)

    def overall(self) -> dict[str, float | None]:
        """Every measure of the overall row, None where not measurable."""
        row = self.rows[self.rows["placement"] == OVERALL]
        if row.empty:
            return dict.fromkeys(MEASURE_KEYS)
        return {key: _number(row.iloc[0][key]) for key in MEASURE_KEYS}

    def category_rows(self, placement: str = EventType.CATEGORY_VIEW) -> pd.DataFrame:
        """The rows of one placement, in the run's order."""
        return self.rows[self.rows["placement"] == str(placement)].reset_index(drop=True)

    def to_json(self) -> str:
        return json.dumps({
            "format": SCORECARD_FORMAT,
            "k": self.k,
            "partial": self.partial,
            "catalog_fingerprint": self.catalog_fingerprint,
            "not_measured": dict(self.not_measured),
            "rows": _records(self.rows, ROW_COLUMNS),
            "bias": _records(self.bias, BIAS_TABLE_COLUMNS),
            **(self._queries_json() if not self.queries.empty else {}),
        }, ensure_ascii=False, allow_nan=False)

    def _queries_json(self) -> dict[str, Any]:
        """The per-query table and its worst queries (`relevance.worst`), for a run that searched."""
        worst = worst_queries(self.queries)
        return {"queries": _records(self.queries, QUERY_COLUMNS),
                "worst_queries": {kind: _records(getattr(worst, kind), QUERY_COLUMNS)
                                  for kind in ("zero_results", "lowest_ndcg")}}

    @classmethod
    def from_json(cls, text: str | bytes) -> Scorecard:
        """A scorecard read back from `to_json`; ValueError saying what is wrong in plain words."""
        try:
            data = json.loads(text)
        except (ValueError, TypeError, RecursionError) as err:
            raise ValueError("the stored scorecard is not readable JSON") from err
        if not isinstance(data, dict) or data.get("format") != SCORECARD_FORMAT:
            raise ValueError(f"the stored scorecard is not in the {SCORECARD_FORMAT!r} format")
        k = data.get("k")
        if isinstance(k, bool) or not isinstance(k, int) or k < 1:
            raise ValueError("the stored scorecard has no valid K")
        reasons = data.get("not_measured") or {}
        if not isinstance(reasons, dict) or not all(
                key in MEASURE_INFO and isinstance(why, str) for key, why in reasons.items()):
            raise ValueError("the stored scorecard's measures not measured are not measure: reason pairs")
        rows = data.get("rows")
        if isinstance(rows, list) and rows and all(isinstance(r, dict) for r in rows):
            added = [key for key in MEASURE_KEYS if all(key not in r for r in rows)]  # measures added since
            rows = [{**dict.fromkeys(added), **r} for r in rows]
            reasons = {**dict.fromkeys(added, ADDED_SINCE), **reasons}
        return cls(k=k, rows=_frame(rows, ROW_COLUMNS, "rows"),
                   bias=_frame(data.get("bias"), BIAS_TABLE_COLUMNS, "bias table"),
                   partial=bool(data.get("partial", False)),
                   catalog_fingerprint=str(data.get("catalog_fingerprint") or ""),
                   not_measured=dict(reasons), queries=_queries_frame(data.get("queries") or []))


def score_run(answers: Iterable[Answer], catalog: Catalog, *, k: int, partial: bool = False,
              judgments: Judgments | None = None, filters: FilterSettings | None = None) -> Scorecard:
    """The scorecard of a run's answers (`Iterable[Answer]`, read once) against `catalog`, at top K, its
    searches graded by `judgments` (the plan's), its lists checked against the team's dashboard `filters`. How the
    answers are read: see the module."""
    twins, ranking = [False], [False]

    def watched() -> Iterable[Answer]:
        for answer in answers:
            if answer.twin_of and answer.purpose == Purpose.MEASURE:
                twins[0] = True
            if answer.purpose == Purpose.REFERENCE and answer.ok and answer.products:
                ranking[0] = True
            yield answer

    rows, bias, searches = score_answers(watched(), catalog, k=k, overall=OVERALL, judgments=judgments,
                                         filters=filters)
    frame = _typed_rows(pd.DataFrame(rows, columns=list(ROW_COLUMNS)))
    judged = judgments is not None and any(judgments.judged(query) for query, _ in searches)
    placements = {str(row["placement"]) for row in rows if row["placement"] != OVERALL}
    filtered = bool(rows) and all(rows[-1].get(spec.key) is not None for spec in MEASURES
                                  if spec.needs == registry.NEEDS_FILTERS)  # the overall row measured them
    reasons = not_measured_reasons(catalog, twins=twins[0], ranking=ranking[0], searched=bool(searches), judged=judged,
                                   filters_why=None if filtered else filters_not_measured(catalog, filters, placements))
    frame[list(reasons)] = math.nan  # not measured is not zero
    return Scorecard(k=k, rows=frame, bias=_typed_bias(pd.DataFrame(bias, columns=list(BIAS_TABLE_COLUMNS))),
                     partial=partial, catalog_fingerprint=catalog.fingerprint, not_measured=reasons,
                     queries=query_table(searches, judgments, k))


NO_FILTERS = "no dashboard filter is recorded (an admin sets them on Settings, under Dashboard filters)"


def filters_not_measured(catalog: Catalog, filters: FilterSettings | None, placements: Iterable[str]) -> str:
    """Why `filter_breaches` could not be measured: no filter recorded, none for a type the run asked, or the
    catalog cannot support the filters set for those types (said as `check_filters` says it)."""
    asked = [event for event in (filters.by_event if filters else {}) if event in set(placements)]
    if not filters:
        return NO_FILTERS
    if not asked:
        return "no dashboard filter is recorded for a recommendation type the run asked"
    cannot = dict.fromkeys(why for event in asked for why in check_filters(catalog, event, [], filters).cannot_check)
    return ("the catalog cannot support the filters set (" + "; ".join(cannot) + ")" if cannot
            else "the run showed no product the catalog has")


def not_measured_reasons(catalog: Catalog, *, twins: bool, ranking: bool = True, searched: bool = False,
                         judged: bool = False, filters_why: str | None = NO_FILTERS) -> dict[str, str]:
    """The measures a run cannot measure, each with why in plain words (the end of "not measured, because ..."):
    out-of-stock without stock figures, an attribute's variety and skew without its values, stability when no
    persona ran twice (`twins`: whether any twin answered), novelty and popularity bias without a sales ranking
    (`ranking`: whether a reference call answered with products; the catalog has no sales figures of its own),
    the measures of every taste attribute when the catalog has none, search measures when no search answered
    (`searched`), relevance when no judged search answered (`judged`), the dashboard filters' breaches with
    `filters_why` (None when measured; `filters_not_measured`)."""
    products = catalog.products
    no_stock = None
    if "stock" not in products.columns or catalog.stock_kind == "missing":
        no_stock = "the catalog has no stock column"
    elif (stock_states(products["stock"]) == StockState.UNKNOWN.value).all():
        no_stock = "no product of the catalog has a stock figure"
    tastes = taste_values(catalog)
    reasons: dict[str, str] = {}
    order = {registry.NEEDS_STOCK: 0, registry.NEEDS_ATTRIBUTE: 1, registry.NEEDS_TWINS: 2,
             registry.NEEDS_RANKING: 3, registry.NEEDS_TASTES: 4, registry.NEEDS_SEARCH: 5, registry.NEEDS_JUDGMENTS: 6,
             registry.NEEDS_FILTERS: 7}
    said = sorted((spec for spec in MEASURES if spec.needs), key=lambda spec: (
        order[spec.needs], TASTE_ATTRIBUTES.index(spec.attribute) if spec.attribute else 0))
    for spec in said:  # said in this order: stock, each attribute's variety and skew, twins
        why = None
        if spec.needs == registry.NEEDS_STOCK:
            why = no_stock
        elif spec.needs == registry.NEEDS_ATTRIBUTE:
            why = _no_attribute(catalog, tastes, spec.attribute)
        elif spec.needs == registry.NEEDS_TWINS and not twins:
            why = "no persona ran twice (the plan's personas run twice is 0, or it has no persona)"
        elif spec.needs == registry.NEEDS_RANKING and not ranking:
            why = ("the run has no best-seller ranking to read popularity from (the catalog has no sales "
                   "figures, and Fashion.AI's sales ranking did not answer)")
        elif spec.needs == registry.NEEDS_TASTES and not tastes.notna().any().any():
            why = "the catalog has no style, colour, brand or price column"
        elif spec.needs == registry.NEEDS_SEARCH and not searched:
            why = "the run sent no search"
        elif spec.needs == registry.NEEDS_JUDGMENTS and not judged:
            why = "no search of the run has judgments" if searched else "the run sent no search"
        elif spec.needs == registry.NEEDS_FILTERS:
            why = filters_why
        if why:
            reasons[spec.key] = why
    return reasons


def _no_attribute(catalog: Catalog, tastes: pd.DataFrame, attribute: str) -> str | None:
    """Why an attribute's variety and skew cannot be measured, or None when they can."""
    if attribute in tastes.columns and tastes[attribute].notna().any():
        return None
    source = "price" if attribute == "price_band" else attribute
    if source not in catalog.products.columns or source not in catalog.mapping:
        return f"the catalog has no {registry.ATTRIBUTE_WORDS.get(source, source)} column"
    return f"no product of the catalog has a {registry.ATTRIBUTE_WORDS[attribute]}"


def overall_words(card: Scorecard, key: str) -> str:
    """A measure's overall value as a merchandiser reads it ("72%", "—"), or "not measured, because ..."."""
    if key in card.not_measured:
        return f"not measured, because {card.not_measured[key]}"
    return format_value(MEASURE_INFO[key], card.overall()[key])


# --------------------------------------------------------------------------- text


def format_value(info: MeasureInfo, value: SupportsFloat | str | None) -> str:
    """A measure's value as a merchandiser reads it: "72%", "0.41", "140 ms"; "—" when not measurable."""
    number = _number(value)
    if number is None:
        return "—"
    if info.unit == "ms":
        return f"{number:,.0f} ms"
    if info.unit == "ratio":
        return f"{number:.2f}"
    return f"{number * 100:.0f}%"


_CATEGORY_MEASURES = registry.HEADLINE_MEASURES


def scorecard_text(card: Scorecard) -> str:
    """The scorecard as a plain-text table: every measure overall, then the main measures per row."""
    overall = card.overall()
    lines = [f"Scorecard at K={card.k}" + (" (the run did not finish: partial)" if card.partial else "")]
    width = max(len(m.label) for m in MEASURES)
    lines.append(f"{'Measure':<{width}}  {'Overall':>9}  Better")
    for info in MEASURES:
        better = {"higher": "higher is better", "lower": "lower is better"}.get(info.better, "")
        if info.key in card.not_measured:
            better = f"not measured, because {card.not_measured[info.key]}"
        lines.append(f"{info.label:<{width}}  {format_value(info, overall[info.key]):>9}  {better}".rstrip())
    places = card.rows[card.rows["placement"] != OVERALL]
    if not places.empty:
        infos = [MEASURE_INFO[key] for key in _CATEGORY_MEASURES]
        names = [_row_name(row) for row in places.itertuples(index=False)]
        name_width = max(len("Where"), *(len(n) for n in names))
        heads = [max(len(i.label), 9) for i in infos]
        lines += ["", f"{'Where':<{name_width}}  {'Shoppers':>8}  " + "  ".join(
            f"{i.label:>{w}}" for i, w in zip(infos, heads, strict=True))]
        for name, (_, row) in zip(names, places.iterrows(), strict=True):
            cells = "  ".join(f"{format_value(i, row[i.key]):>{w}}" for i, w in zip(infos, heads, strict=True))
            lines.append(f"{name:<{name_width}}  {int(row['shoppers']):>8}  {cells}")
    return "\n".join(lines + _worst_lines(card))


def _worst_lines(card: Scorecard) -> list[str]:
    """The worst queries of the run's query set: those no search found anything for, the least relevant."""
    if card.queries.empty:
        return []
    worst = worst_queries(card.queries)
    lines = ["", f"Queries searched: {len(card.queries):,}"]
    if not worst.zero_results.empty:
        lines.append("Found nothing for any shopper: " + ", ".join(f"“{visible(q)}”" for q in worst.zero_results["query"]))
    if not worst.lowest_ndcg.empty:
        lines.append("Least relevant (nDCG):")
        lines += [f"  {row.mean_ndcg:.2f}  “{visible(row.query)}”" for row in worst.lowest_ndcg.itertuples(index=False)]
    return lines


class _Place(Protocol):
    """A row of the places' frame, as itertuples gives it."""

    placement: str
    category: str


def _row_name(row: _Place) -> str:
    if row.placement == EventType.SEARCH:
        return PLACEMENT_LABELS[EventType.SEARCH]
    if row.placement == EventType.CUSTOM_SHELF:
        return PLACEMENT_LABELS[EventType.CUSTOM_SHELF]
    if row.placement == EventType.PRODUCT_VIEW:
        return f"{visible(row.category)} ({PLACEMENT_LABELS[EventType.PRODUCT_VIEW].lower()}s)"
    return visible(row.category)


# --------------------------------------------------------------------------- frames


def _number(value: SupportsFloat | str | None) -> float | None:
    if value is None or value is pd.NA:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def _records(frame: pd.DataFrame, columns: tuple[str, ...]) -> list[dict[str, Any]]:
    out = []
    for row in frame[list(columns)].itertuples(index=False):
        record = {}
        for column, value in zip(columns, row, strict=True):
            record[column] = value if isinstance(value, str) else _json_number(value)
        out.append(record)
    return out


def _json_number(value: SupportsFloat | str | None) -> float | int | None:
    number = _number(value)
    if number is None:
        return None
    return int(number) if isinstance(value, int) or getattr(getattr(value, "dtype", None), "kind", None) == "i" else number


def _frame(records: object, columns: tuple[str, ...], what: str) -> pd.DataFrame:
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise ValueError(f"the stored scorecard's {what} is not a list of rows")
    for record in records:  # (a measure missing from every row was added since: from_json filled it in)
        missing = [c for c in columns if c not in record]
        if missing:
            raise ValueError(f"a row of the stored scorecard's {what} lacks {', '.join(missing)}")
    frame = pd.DataFrame(records, columns=list(columns))
    try:
        return _typed_rows(frame) if what == "rows" else _typed_bias(frame)
    except (TypeError, ValueError) as err:
        raise ValueError(f"the stored scorecard's {what} holds a value of the wrong kind") from err


def _typed_rows(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    frame["placement"] = frame["placement"].astype(object).map(str)
    frame["category"] = frame["category"].astype(object).map(lambda v: "" if v is None else str(v))
    frame[["shoppers", "calls"]] = frame[["shoppers", "calls"]].astype("int64")
    frame[list(MEASURE_KEYS)] = frame[list(MEASURE_KEYS)].astype("float64")
    return frame.reset_index(drop=True)


def _queries_frame(records: object) -> pd.DataFrame:
    """The per-query table (QUERY_COLUMNS) of stored records; ValueError when they are not such rows."""
    if not isinstance(records, list) or not all(isinstance(r, dict) and set(QUERY_COLUMNS) <= set(r) for r in records):
        raise ValueError("the stored scorecard's queries are not rows of query, searches, without_results, mean_ndcg")
    frame = pd.DataFrame(records, columns=list(QUERY_COLUMNS)).fillna({"mean_ndcg": math.nan})
    try:
        return frame.astype({"query": object, "searches": "int64", "without_results": "int64", "mean_ndcg": "float64"})
    except (TypeError, ValueError) as err:
        raise ValueError("the stored scorecard's queries hold a value of the wrong kind") from err


def _typed_bias(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    for column in ("placement", "category", "attribute", "value"):
        frame[column] = frame[column].astype(object).map(lambda v: "" if v is None else str(v))
    frame[["share_shown", "share_category", "lift"]] = frame[["share_shown", "share_category", "lift"]].astype(
        "float64")
    return frame.reset_index(drop=True)
