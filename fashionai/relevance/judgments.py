"""Judgments: how relevant a product is to a query, graded 0 (not relevant) to 3 (exactly what was asked for).

    read_judgments(uploaded_bytes, name="judgments.csv")   # Judgments: .grades[query][product_id] -> grade

The CSV has three columns, found by their headers (without case): the query (``query``), the product id
(``product_id``, ``product id``, ``id``, ``sku``) and the grade (``grade``, ``relevance``, ``judgment``,
``label``). It is read as the catalog and the query sets are (`catalog.load.read_text_table`); product ids stay
text as written ("0042" is not 42); a query is matched without case or spaces at its ends, as the query sets keep
it. A line without a query or an id, or with a grade that is not a whole number 0 to 3, is left out, saying so;
the same (query, product) judged twice keeps its last grade, saying so. At most `MAX_JUDGMENTS` lines are read.

    marked = mark(None, "vestido azul", "0042", 3)   # grades marked on the Search page, a grade at a time
    judgments_csv(marked)                            # the CSV read_judgments reads back (query, product_id, grade)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any
from dataclasses import dataclass, field
from types import MappingProxyType

import pandas as pd

from fashionai.catalog import CatalogError
from fashionai.catalog.load import Source, read_text_table
from fashionai.output.exports import neutralize, to_csv
from fashionai.relevance.queries import EXAMPLES, file_problem, formula_cell, header_names
from fashionai.text.formatting import one_line, plural

__all__ = ["GRADES", "MARKED", "MAX_GRADE", "MAX_JUDGMENTS", "Judgments", "JudgmentsError", "judgments_csv", "mark",
           "read_judgments"]

MAX_GRADE = 3
GRADES = {0: "not relevant", 1: "somewhat relevant", 2: "relevant", 3: "exactly what was asked for"}
"""Each grade and what it means."""
MARKED = "the grades marked on the Search page"
"""The source of judgments marked a grade at a time (`mark`)."""
MAX_JUDGMENTS = 1_000_000
"""The most judgment lines read; a longer file keeps its first MAX_JUDGMENTS, saying so."""
_COLUMNS = {
    "query": ("query", "queries", "search", "search term", "term", "consulta", "busca"),
    "product_id": ("product_id", "product id", "productid", "id", "sku", "item", "item_id"),
    "grade": ("grade", "relevance", "judgment", "judgement", "label", "rel", "nota"),
}


class JudgmentsError(ValueError):
    """Judgments that cannot be read, in plain words (what happened and what to do)."""


def query_key(query: str) -> str:
    """How a query is matched to its judgments: without case or spaces at its ends."""
    return one_line(query).strip().casefold()


@dataclass(frozen=True)
class Judgments:
    """grades[query key][product id] = grade 0-3; the source in words; what was left out."""

    grades: Mapping[str, Mapping[str, int]]
    source: str
    notes: tuple[str, ...] = field(default=())

    def of(self, query: str) -> Mapping[str, int]:
        """The judged products of `query` (empty when it has none)."""
        return self.grades.get(query_key(query), MappingProxyType({}))

    def judged(self, query: str) -> bool:
        return query_key(query) in self.grades

    @property
    def count(self) -> int:
        return sum(len(products) for products in self.grades.values())


def read_judgments(source: Source, *, name: str | None = None) -> Judgments:
    """Judgments from a CSV (see the module's docstring). Raises JudgmentsError when none can be read."""
    try:
        table = read_text_table(source, name=name)
    except CatalogError as err:
        raise JudgmentsError(file_problem("judgments", "judgment", err)) from err
    try:
        header = header_names(table.header)
        lower = [h.lower() for h in header]
        found: dict[str, int] = {}
        for role, names in _COLUMNS.items():
            at = next((lower.index(n) for n in names if n in lower), None)
            if at is None:
                raise JudgmentsError(
                    f"The judgments file has no {role.replace('_', ' ')} column (its columns: "
                    f"{', '.join(repr(h) for h in header[:6])}). Head its columns query, product_id and grade.")
            found[role] = at
        rows = zip(*(table.columns[found[r]].to_pylist() for r in ("query", "product_id", "grade")), strict=True)
        grades, notes = _graded(rows)
        notes = [*table.notes, *notes]
    finally:
        table.close()
    if not grades:
        raise JudgmentsError("The judgments file holds no usable judgment" +
                             (f" ({notes[-1].rstrip('.')})" if notes else "") +
                             ": write one line per judgment, query, product_id and grade 0 to 3.")
    frozen = MappingProxyType({q: MappingProxyType(p) for q, p in grades.items()})
    return Judgments(frozen, f"the file {table.name}" if table.name else "an uploaded file", tuple(notes))


def mark(judgments: Judgments | None, query: str, product_id: str, grade: int | None) -> Judgments:
    """`judgments` (None: none yet) with `product_id` graded `grade` for `query` (None: its grade taken back)."""
    key, product = query_key(query), str(product_id).strip()
    if not key or not product:
        raise JudgmentsError("A grade needs a query and a product id: search first, then grade its results.")
    if grade is not None and grade not in GRADES:
        raise JudgmentsError(f"A grade is a whole number 0 to {MAX_GRADE}, not {grade!r}.")
    grades = {q: dict(p) for q, p in (judgments.grades.items() if judgments is not None else ())}
    products = grades.setdefault(key, {})
    if grade is None:
        products.pop(product, None)
    else:
        products[product] = int(grade)
    frozen = MappingProxyType({q: MappingProxyType(p) for q, p in grades.items() if p})
    return Judgments(frozen, MARKED if judgments is None else judgments.source)


def judgments_csv(judgments: Judgments) -> bytes:
    """The judgments as the CSV `read_judgments` reads (query, product_id, grade; spreadsheet-safe, ids as text)."""
    rows = [(query, product, grade) for query, products in judgments.grades.items()
            for product, grade in products.items()]
    frame = pd.DataFrame(rows, columns=["query", "product_id", "grade"]).astype(
        {"query": "str", "product_id": "str", "grade": "int64"})
    return to_csv(frame)


def _unquoted(text: str) -> str:
    """A cell without the quote a spreadsheet-safe CSV puts before text a spreadsheet would run (`to_csv`)."""
    return text[1:] if text.startswith("'") and neutralize(text[1:]) != text[1:] else text


def _graded(rows: Iterable[tuple[Any, Any, Any]]) -> tuple[dict[str, dict[str, int]], list[str]]:
    grades: dict[str, dict[str, int]] = {}
    bad: list[str] = []
    twice = 0
    read = 0
    for line, (query, product, grade) in enumerate(rows, start=2):
        read += 1
        if read > MAX_JUDGMENTS:
            break
        query, product, grade = (one_line(v or "").strip() for v in (query, product, grade))
        query, product = _unquoted(query), _unquoted(product)
        problem = ("no query" if not query else "a formula for a query" if formula_cell(query)
                   else "no product id" if not product else None)
        if problem is None and grade not in {str(g) for g in GRADES}:
            problem = f"grade {grade!r}, not a whole number 0 to {MAX_GRADE}" if grade else "no grade"
        if problem:
            bad.append(f"line {line:,} ({problem})")
            continue
        products = grades.setdefault(query_key(query), {})
        twice += product in products
        products[product] = int(grade)
    notes = []
    if bad:
        notes.append(f"{plural(len(bad), 'line was', 'lines were')} left out: {'; '.join(bad[:EXAMPLES])}"
                     f"{' ...' if len(bad) > EXAMPLES else ''}.")
    if twice:
        notes.append(f"{plural(twice, 'product was', 'products were')} judged twice for the same query; "
                     "the last grade is kept.")
    if read > MAX_JUDGMENTS:
        notes.append(f"Only the first {MAX_JUDGMENTS:,} judgments are read; split the file to judge more.")
    return grades, notes
