"""A query set: the searches a relevance audit sends, typed, read from a CSV, or drawn from the catalog.

    typed_queries("vestido azul\\ntênis")             # one query a line
    read_queries(uploaded_bytes, name="queries.csv")  # a CSV read as the catalog is (encoding, BOM, separator)
    catalog_queries(catalog, per_kind=10)             # top categories, brands, colours, names with a typo

Every way gives a `QuerySet`: the queries in order, each once (compared without case or spaces at the ends),
each one the site search accepts (`api.search.check_query`), at most `MAX_QUERIES`, and `notes` saying in
plain words what was left out and why. A hostile file is handled as a catalog upload is (the same reader,
`catalog.load.read_text_table`): a workbook, a binary or an empty file is refused in words; bad bytes, a BOM and
Excel's ``sep=`` line are read through. A cell a spreadsheet would run as a formula (``=HYPERLINK(...)``) is
left out, never sent; a leading apostrophe our own exports put before such a cell is dropped.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

from fashionai.api.search import check_query
from fashionai.catalog import Catalog, CatalogError
from fashionai.catalog.load import Source, read_text_table
from fashionai.output.exports import neutralize
from fashionai.text.formatting import one_line, plural

__all__ = ["CATALOG_KINDS", "MAX_QUERIES", "QUERY_COLUMNS", "QuerySet", "QuerySetError", "catalog_queries",
           "file_problem", "formula_cell", "header_names", "read_queries", "typed_queries", "with_typo"]

MAX_QUERIES = 100_000
"""The most queries a set holds; a longer file keeps its first MAX_QUERIES, saying so."""
QUERY_COLUMNS = ("query", "queries", "search", "search term", "term", "keyword", "consulta", "busca", "termo")
"""Headers that name the query column (compared without case); a file of one column needs none."""
CATALOG_KINDS = {"category": "top categories", "brand": "top brands", "color": "top colours",
                 "name": "product names with a typo"}
"""What a set drawn from the catalog is made of: the catalog's field -> how it is said."""
EXAMPLES = 3


class QuerySetError(ValueError):
    """A query set that cannot be made, in plain words (what happened and what to do)."""


@dataclass(frozen=True)
class QuerySet:
    """The queries in order (each once), where they came from in words, and what was left out."""

    queries: tuple[str, ...]
    source: str
    notes: tuple[str, ...] = field(default=())

    def __len__(self) -> int:
        return len(self.queries)


def formula_cell(text: str) -> bool:
    """Whether a spreadsheet would run this cell as a formula, as `output.exports.neutralize` decides it, but for a
    leading minus: "-50%" is a search a shopper may type, and a minus alone runs nothing harmful."""
    return neutralize(text) != text and not text.lstrip().startswith(("-", "\uff0d"))


def typed_queries(text: str) -> QuerySet:
    """Queries typed one a line (blank lines skipped)."""
    return _made(text.splitlines(), "typed")


def read_queries(source: Source, *, name: str | None = None) -> QuerySet:
    """Queries from a CSV: the column headed like QUERY_COLUMNS, or the only column (its first line is then a
    query too unless it is such a header). Raises QuerySetError when no query can be read."""
    try:
        table = read_text_table(source, name=name)
    except CatalogError as err:
        raise QuerySetError(file_problem("queries", "query", err)) from err
    try:
        header = header_names(table.header)
        wanted = [i for i, h in enumerate(header) if h.lower() in QUERY_COLUMNS]
        if wanted:
            column, first = wanted[0], []
        elif len(header) == 1:
            column, first = 0, [table.header[0]]
        else:
            raise QuerySetError(
                f"The queries file has {plural(len(header), 'column')} ({', '.join(repr(h) for h in header[:5])}) "
                f"and none is headed “query”: name the column of queries “query”, or upload a file of one column.")
        values = first + [v or "" for v in table.columns[column].to_pylist()]
        notes = list(table.notes)
    finally:
        table.close()
    made = _made(values, f"the file {table.name}" if table.name else "an uploaded file", notes)
    if not made.queries:
        raise QuerySetError("The queries file holds no query a shopper could type" +
                            (f" ({made.notes[-1].rstrip('.')})" if made.notes else "") + ": add one query a line.")
    return made


def file_problem(what: str, one: str, err: CatalogError) -> str:
    """Why a file of `what` (queries, judgments; `one` of them) could not be read, in the catalog reader's words."""
    if "empty" in str(err):
        return f"The {what} file is empty: write a header line, then one {one} a line."
    return f"The {what} file could not be read: {err}"


def header_names(header: list[str]) -> list[str]:
    """A CSV's header as names: on one line, trimmed, without the BOM a file that is not all UTF-8 keeps as text."""
    names = [one_line(h).strip() for h in header]
    if names:
        names[0] = names[0].lstrip("\ufeff").removeprefix("\u00ef\u00bb\u00bf").strip()
    return names


def _made(values: Iterable[str], source: str, notes: list[str] | None = None) -> QuerySet:
    notes = list(notes or [])
    kept: dict[str, str] = {}
    formulas: list[str] = []
    refused: list[str] = []
    total = 0
    for raw in values:
        text = one_line(raw).strip()
        if not text:
            continue
        if text.startswith("'") and formula_cell(text[1:].lstrip()):
            text = text[1:].strip()  # made inert by an export of ours: the query as typed
        elif formula_cell(text):
            formulas.append(text)
            continue
        try:
            query = check_query(text)
        except ValueError as err:
            refused.append(f"{text[:40]!r}: {err}")
            continue
        key = query.casefold()
        if key in kept:
            continue
        total += 1
        if total <= MAX_QUERIES:
            kept[key] = query
    if formulas:
        cells = plural(len(formulas), "cell that looked like a spreadsheet formula was",
                       "cells that looked like spreadsheet formulas were")
        notes.append(f"{cells} left out, e.g. "
                     f"{', '.join(repr(f[:40]) for f in formulas[:EXAMPLES])}.")
    if refused:
        notes.append(f"{plural(len(refused), 'query', 'queries')} could not be sent and "
                     f"{plural(len(refused), 'was', 'were', with_count=False)} left out, e.g. "
                     f"{'; '.join(refused[:EXAMPLES])}.")
    if total > MAX_QUERIES:
        notes.append(f"The set has {total:,} different queries; only the first {MAX_QUERIES:,} are kept. "
                     "Split it into several sets to audit the rest.")
    return QuerySet(tuple(kept.values()), source, tuple(notes))


def with_typo(text: str) -> str:
    """`text` with one typo, the same every time: two neighbouring letters swapped, at a place chosen by a
    checksum of the text (never the first letter; a text of fewer than three letters is left as it is)."""
    places = [i for i in range(1, len(text) - 1) if text[i].isalpha() and text[i + 1].isalpha()
              and text[i] != text[i + 1]]
    if not places:
        return text
    i = places[zlib.crc32(text.encode()) % len(places)]
    return text[:i] + text[i + 1] + text[i] + text[i + 2:]


def catalog_queries(catalog: Catalog, *, per_kind: int = 10, kinds: Iterable[str] = tuple(CATALOG_KINDS)) -> QuerySet:
    """Queries drawn from the catalog: for each of `kinds` (see CATALOG_KINDS) its `per_kind` most common values
    (ties by value, so the same catalog gives the same set); names get one typo each (`with_typo`)."""
    if per_kind < 1:
        raise QuerySetError("Draw at least one query of each kind.")
    products = catalog.products
    values: list[str] = []
    missing: list[str] = []
    for kind in kinds:
        if kind not in CATALOG_KINDS:
            raise QuerySetError(f"{kind!r} is not a kind of query drawn from a catalog; choose among "
                                f"{', '.join(CATALOG_KINDS.values())}.")
        column = products[kind] if kind in products.columns else pd.Series([], dtype=object)
        texts = column.dropna().astype(str).str.strip()
        texts = texts[texts != ""]
        if texts.empty:
            missing.append(CATALOG_KINDS[kind])
            continue
        counts = texts.value_counts()
        top = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:per_kind]
        values.extend(with_typo(v) if kind == "name" else v for v, _ in top)
    notes = [f"The catalog has no values for {', '.join(missing)}: no query of {plural(len(missing), 'that kind', 'those kinds', with_count=False)} was drawn."] if missing else []
    made = _made(values, "the catalog", notes)
    if not made.queries:
        raise QuerySetError("The catalog has no category, brand, colour or name to draw queries from: "
                            "type the queries or upload them as a CSV.")
    return made
