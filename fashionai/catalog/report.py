"""What the Catalog page reports: a catalog's health in plain words, and Fashion.AI's answers
reconciled with it.

    answers = page_answers(storefront=preview, comparison=result)   # or answers_from_snapshots(...)
    report = reconcile(catalog, answers)
    report.unknown                                  # ids returned that the catalog lacks
    never_returned(catalog, report, "Dresses")      # ids of a category no answer returned

An `Answer` is one list of ranked ids Fashion.AI gave back, with what was asked
(event, category or product, session) and where it was seen. Answers come from the
results this browser session's pages hold (`page_answers`) or from the history's
snapshots (`answers_from_snapshots`). Nothing here calls Fashion.AI.

A category answer can hold tens of thousands of ids: everything here works on id
arrays and returns ids or small frames; the page joins one page of them at a time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import pandas as pd

from fashionai.api.models import Recommendation
from fashionai.catalog.load import ENCODING_NAMES
from fashionai.catalog.model import Catalog, CatalogHealth, join_ranking
from fashionai.catalog.stock import LOW_STOCK_MAX, UNKNOWN_IN_STOCK_DEFAULT, StockState
from fashionai.domain import EventType

NONE_COLUMN = "(none)"
"""The mapping choice "this field is not in the file"."""

_SEPARATORS = {",": "commas", ";": "semicolons", "\t": "tabs", "|": "pipes (|)"}
STOCK_BUCKETS = {
    StockState.IN.value: f"In stock ({LOW_STOCK_MAX + 1} or more)",
    StockState.LOW.value: f"Low stock (1–{LOW_STOCK_MAX})",
    StockState.OUT.value: "Out of stock",
    StockState.UNKNOWN.value: "Stock unknown",
}
"""Each state of the stock rule (`fashionai.catalog.stock`, the keys of `CatalogHealth.stock`) and its
label, on the chart and on the figures alike: a product is in exactly one bucket."""
IN_STOCK_YES_NO = "In stock"
"""The in-stock label when stock is yes/no: no quantities, so no low stock."""
STOCK_HELP = {
    STOCK_BUCKETS["in_stock"]: f"More than {LOW_STOCK_MAX} units. Low stock is counted apart.",
    STOCK_BUCKETS["low"]: f"In stock, but only 1 to {LOW_STOCK_MAX} units.",
    STOCK_BUCKETS["out"]: "No units: a stock of 0, or a negative stock (counted as none).",
    STOCK_BUCKETS["unknown"]: ("Counted as in stock only with the setting \"Treat unknown stock as in stock\" "
                               f"({'on' if UNKNOWN_IN_STOCK_DEFAULT else 'off'} by default): otherwise the "
                               "storefront would not show these."),
}


# --------------------------------------------------------------------------- health


def stock_breakdown(health: CatalogHealth, stock_kind: str) -> dict[str, int]:
    """Products per stock bucket, labelled, in a fixed order: what the chart draws and the
    figures say (each product in one bucket, so they add up to the rows).

    A yes/no stock column has no quantities, so it has no low bucket and its in-stock
    bucket is plain "In stock"; a catalog without a stock column has only "Stock unknown".
    """
    if stock_kind == "missing":
        return {STOCK_BUCKETS["unknown"]: health.rows}
    counts = {label: health.stock.get(key, 0) for key, label in STOCK_BUCKETS.items()}
    if stock_kind != "quantity":
        counts.pop(STOCK_BUCKETS["low"])
        counts = {IN_STOCK_YES_NO if label == STOCK_BUCKETS["in_stock"] else label: count
                  for label, count in counts.items()}
    return counts


def describe_format(catalog: Catalog) -> str:
    """How the file was read, in plain words: "UTF-8, values separated by semicolons"."""
    encoding = ENCODING_NAMES.get(catalog.encoding, catalog.encoding)
    separator = _SEPARATORS.get(catalog.delimiter, repr(catalog.delimiter))
    return f"{encoding}, values separated by {separator}"


def mapping_choices(catalog: Catalog, fields: Iterable[str]) -> dict[str, str]:
    """The mapping in use as the page's choices: field -> column, or NONE_COLUMN."""
    return {field: catalog.mapping.get(field, NONE_COLUMN) for field in fields}


def mapping_override(choices: Mapping[str, str]) -> dict[str, str | None]:
    """The page's choices as `load_catalog(columns=...)`: NONE_COLUMN becomes None (leave it out)."""
    return {field: None if column == NONE_COLUMN else column for field, column in choices.items()}


# --------------------------------------------------------------------------- answers


@dataclass(frozen=True)
class Answer:
    """One answer from Fashion.AI: the ranked ids, what was asked, and where it was seen."""

    seen_in: str  # "Storefront preview", "Compare lanes: Office shopper", "History, 2026-05-02 10:14:03 UTC"
    event_type: str  # categoryView, shopTheLook, productView, customShelf or salesRanking
    item_id: str | None  # the category or product asked about ("" for customShelf)
    session_id: str | None
    products: tuple[str, ...]
    id: str | None = None  # the exchange (= snapshot) id, when known: the same answer is counted once

    @property
    def asked(self) -> str:
        """What was asked, in words: "categoryView Dresses"."""
        return f"{self.event_type} {self.item_id}" if self.item_id else self.event_type


def answer_from_recommendation(recommendation: Recommendation, seen_in: str) -> Answer:
    """An Answer from a client `Recommendation` (what the pages keep)."""
    event, session, _, item = recommendation.request.asked()
    return Answer(
        seen_in=seen_in,
        event_type=event,
        item_id=item,
        session_id=session,
        products=tuple(str(pid) for pid in recommendation.products),
        id=recommendation.exchange_id,
    )


def unique_answers(answers: list[Answer]) -> list[Answer]:
    """The answers with each exchange id once (the first kept)."""
    seen: set[str] = set()
    kept = []
    for answer in answers:
        if answer.id is not None:
            if answer.id in seen:
                continue
            seen.add(answer.id)
        kept.append(answer)
    return kept


# --------------------------------------------------------------------------- reconciliation


@dataclass(frozen=True)
class Reconciliation:
    """Answers checked against one catalog.

    `answers`: one row an answer (seen_in, asked, session_id, returned, not_in_catalog).
    `unknown`: one row an id returned that the catalog lacks (product_id, answers: how
    many answers returned it, best_rank, first_seen_in), most often returned first.
    `returned`: every distinct id returned, in any answer.
    """

    answers: pd.DataFrame
    unknown: pd.DataFrame
    returned: frozenset[str]

    @property
    def returned_count(self) -> int:
        return len(self.returned)


ANSWER_COLUMNS = {"seen_in": "str", "asked": "str", "session_id": "str", "returned": "int64",
                  "not_in_catalog": "int64"}
UNKNOWN_COLUMNS = {"product_id": "str", "answers": "int64", "best_rank": "int64", "first_seen_in": "str"}


def reconcile(catalog: Catalog, answers: Sequence[Answer]) -> Reconciliation:
    """Which returned ids the catalog lacks, answer by answer and id by id."""
    lengths = [len(answer.products) for answer in answers]
    long = pd.DataFrame({
        "answer": np.repeat(np.arange(len(answers), dtype="int64"), lengths),
        "product_id": pd.array([pid for answer in answers for pid in answer.products], dtype="str"),
        "rank": np.concatenate([np.arange(1, n + 1, dtype="int64") for n in lengths] or [np.empty(0, "int64")]),
    })
    distinct = pd.unique(long["product_id"].to_numpy())
    known = join_ranking(catalog, distinct)["in_catalog"].to_numpy()
    long["unknown"] = long["product_id"].isin(pd.array(distinct[~known], dtype="str"))

    per_answer = long.groupby("answer")["unknown"].sum()
    summary = pd.DataFrame({
        "seen_in": [answer.seen_in for answer in answers],
        "asked": [answer.asked for answer in answers],
        "session_id": [answer.session_id or "" for answer in answers],
        "returned": lengths,
        "not_in_catalog": [int(per_answer.get(i, 0)) for i in range(len(answers))],
    }, columns=list(ANSWER_COLUMNS)).astype(ANSWER_COLUMNS)

    grouped = long[long["unknown"]].groupby("product_id", sort=False).agg(
        answers=("answer", "nunique"), best_rank=("rank", "min"), first=("answer", "min"))
    unknown = pd.DataFrame({
        "product_id": grouped.index.to_numpy(),
        "answers": grouped["answers"].to_numpy(),
        "best_rank": grouped["best_rank"].to_numpy(),
        "first_seen_in": [answers[i].seen_in for i in grouped["first"].to_numpy()],
    }, columns=list(UNKNOWN_COLUMNS)).astype(UNKNOWN_COLUMNS)
    unknown = unknown.sort_values(["answers", "best_rank"], ascending=[False, True], kind="stable")
    return Reconciliation(summary, unknown.reset_index(drop=True), frozenset(distinct.tolist()))


def never_returned(catalog: Catalog, report: Reconciliation, category: str) -> list[str]:
    """Product ids of `category`, in the catalog's order, that no answer returned."""
    returned = report.returned
    return [pid for pid in catalog.category_ids(category) if pid not in returned]


class Asked(Protocol):
    """What an answer asked: an `Answer`, or a saved snapshot's summary (whose ids are not read)."""

    event_type: str
    item_id: str | None


def asked_about(answers: Sequence[Asked], category: str) -> int:
    """How many of the answers are a categoryView of `category`."""
    return sum(1 for answer in answers if answer.event_type == EventType.CATEGORY_VIEW and answer.item_id == category)


def default_category(answers: Sequence[Asked], categories: Sequence[str]) -> str | None:
    """The category of the first categoryView answer that the catalog holds, else its first category."""
    known = set(categories)
    for answer in answers:
        if answer.event_type == EventType.CATEGORY_VIEW and answer.item_id in known:
            return answer.item_id
    return categories[0] if categories else None

