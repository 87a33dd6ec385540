"""Extra files joined onto a catalog by product id: images, stock, prices, stock per size.

    extra = read_extra(open("images.csv", "rb"), name="images.csv")   # detected: images, ids from file names
    joined = join_extras(catalog, [extra])
    joined.catalog                      # a new Catalog (new fingerprint, health from the joined frame)
    joined.reports[0].sentences()       # the join in plain words

An extra file is read as the catalog file is (``load.read_text_table``: encoding, separator,
Brazilian numbers) and has its own mapping (`ExtraMapping`): the column of the ids, whether those
ids are file names (``img/15970.jpg`` is product ``15970``), and the column of the values. Its
kind, and so the field it brings, is guessed from its columns (``columns.guess_extra``) unless
given. Joining:

- an **images** file *fills* the image address: products whose catalog row already has one keep it
  (the products file is the merchandiser's own word; the images file fills what it lacks);
- a **stock** file *replaces* stock: it is the daily export, newer than the products file;
- a **prices** file *replaces* prices, for the same reason;
- a **sizes** file (rows of product id, size and stock: `ExtraMapping.size_column` names the sizes) *replaces*
  a product's stock per size (``sizes.SIZE_STOCK``), all its sizes at once.

Products the file does not cover keep the catalog's value; rows of the file without an id or
without a readable value are skipped; a repeated id keeps its first row. Everything works on
whole columns (arrow and numpy), never row by row.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from fashionai.catalog._frame import NOT_FOUND, SAMPLE_ROWS, named_columns
from fashionai.catalog._ids import IdLookup
from fashionai.catalog._values import MAX_STOCK, clean_text, parse_numbers, parse_stock
from fashionai.catalog._wording import EXAMPLES, counted, listing, negative_stock, quoted, too_large_stock
from fashionai.catalog.columns import guess_extra
from fashionai.catalog.load import Source, read_text_table
from fashionai.catalog.model import MAX_ID_CHARS, Catalog, CatalogError, StockKind
from fashionai.catalog.sizes import SIZE_STOCK, size_stock_by_id

__all__ = ["KINDS", "ExtraFile", "ExtraKind", "ExtraMapping", "Joined", "JoinReport", "ids_from_file_names",
           "join_extras", "read_extra"]


@dataclass(frozen=True)
class ExtraKind:
    """A kind of extra file: the catalog field it brings and how."""

    key: str  # "images"
    label: str  # "Images"
    field: str  # the catalog field: "image_url"
    value_words: str  # what one value is, in words
    replaces: bool  # True: the file's value replaces the catalog's; False: it fills blanks only


KINDS: dict[str, ExtraKind] = {
    "images": ExtraKind("images", "Images", "image_url", "image address", replaces=False),
    "stock": ExtraKind("stock", "Stock", "stock", "stock", replaces=True),
    "prices": ExtraKind("prices", "Prices", "price", "price", replaces=True),
    "sizes": ExtraKind("sizes", "Stock per size", SIZE_STOCK, "stock per size", replaces=True),
}
"""The kinds of extra file, by key, in the order the page offers them."""
_KIND_OF_FIELD = {kind.field: key for key, kind in KINDS.items()}


@dataclass(frozen=True)
class ExtraMapping:
    """How an extra file's columns are read: None for what is to be detected."""

    kind: str | None = None
    id_column: str | None = None
    value_column: str | None = None
    file_names: bool | None = None  # the ids are file names: "img/15970.jpg" -> "15970"
    size_column: str | None = None  # a sizes file's column of sizes (its value column is the stock)


@dataclass(frozen=True, eq=False)
class ExtraFile:
    """An extra file, read and mapped: one row per distinct id (the first of repeated ones)."""

    name: str
    kind: ExtraKind
    columns: list[str]  # the file's columns, to choose from
    mapping: ExtraMapping  # as used, nothing left to detect
    ids: pa.Array = field(repr=False)  # large_string, no nulls, distinct
    values: pa.Array = field(repr=False)  # aligned with ids: text, float64 or int64; no nulls
    rows: int  # data rows of the file
    skipped_no_id: int  # rows without an id
    skipped_no_value: int  # rows with an id but no readable value
    repeated: int  # rows dropped because their id came earlier
    repeated_examples: list[str]
    notes: list[str]  # what was wrong with the file, in words
    fingerprint: str  # sha256 of the bytes and the mapping
    encoding: str
    delimiter: str
    stock_kind: StockKind = "quantity"  # "yes/no" when a stock file says yes/no
    unreadable_ids: pa.Array | None = field(default=None, repr=False)  # distinct ids of rows with no readable value


@dataclass(frozen=True)
class JoinReport:
    """How an extra file met the catalog."""

    file_name: str
    kind: ExtraKind
    rows: int  # rows of the file
    matched: int  # distinct ids of the file the catalog holds
    changed: int  # products whose value the file set
    unknown: int  # distinct ids of the file the catalog lacks
    unknown_examples: list[str]
    uncovered: int  # catalog products the file has no value for
    uncovered_examples: list[str]
    repeated: int
    repeated_examples: list[str]
    skipped: int  # rows without an id or without a readable value
    notes: list[str]
    unreadable: int = 0  # catalog products the file has a row for, but no readable value
    unreadable_examples: list[str] = field(default_factory=list)

    def sentences(self) -> list[str]:
        """The join in plain words, for the page and the catalog's warnings."""
        kind = self.kind
        how = ("replaced the catalog's" if kind.replaces else
               "filled the products that had none; products with one kept theirs")
        said = [(f"{self.file_name} ({kind.label.lower()}): {counted(self.matched, 'product', 'products')} of "
                 f"the catalog found, {counted(self.changed, 'value', 'values')} set "
                 f"(its {kind.value_words} {how}).")]
        if self.unknown:
            said.append(f"{counted(self.unknown, 'id', 'ids')} of the file {'is' if self.unknown == 1 else 'are'} "
                        f"not in the catalog (e.g. {quoted(self.unknown_examples)}).")
        if self.uncovered:
            said.append(f"{counted(self.uncovered, 'product', 'products')} of the catalog "
                        f"{'is' if self.uncovered == 1 else 'are'} not in the file (e.g. "
                        f"{quoted(self.uncovered_examples)}): the catalog's own {kind.value_words}, if any, "
                        "stays.")
        if self.unreadable:
            said.append(f"{counted(self.unreadable, 'product', 'products')} of the catalog "
                        f"{'is' if self.unreadable == 1 else 'are'} in the file with a {kind.value_words} that could "
                        f"not be read (e.g. {quoted(self.unreadable_examples)}): the catalog's own "
                        f"{kind.value_words}, if any, stays.")
        if self.repeated:
            seen = "an id and size" if kind.field == SIZE_STOCK else "an id"
            said.append(f"{counted(self.repeated, 'row repeats', 'rows repeat')} {seen} already seen (e.g. "
                        f"{quoted(self.repeated_examples)}); the first row of each id was used.")
        if self.skipped:
            said.append(f"{counted(self.skipped, 'row was', 'rows were')} skipped: no id, or no readable "
                        f"{kind.value_words}.")
        return said + list(self.notes)


@dataclass(frozen=True)
class Joined:
    """A catalog with extra files joined: the new catalog and one report per file."""

    catalog: Catalog
    reports: list[JoinReport]


def ids_from_file_names(names: pa.Array) -> pa.Array:
    """Product ids from file names: folders, a query and the extension dropped
    ("img/15970.jpg?v=2" -> "15970"); blank ones null."""
    text = pc.replace_substring_regex(names, r"[?#].*$", "")
    text = pc.replace_substring_regex(text, r"^.*[/\\]", "")
    text = pc.replace_substring_regex(text, r"(.)\.[^.]*$", r"\1")  # ".jpg" alone stays: not a name
    return clean_text(text)


def read_extra(source: Source, *, name: str | None = None, mapping: ExtraMapping | None = None) -> ExtraFile:
    """Read an extra file and map its columns: what `mapping` leaves None is detected.
    Raises CatalogError, in plain words, when the file cannot be used."""
    mapping = mapping or ExtraMapping()
    table = read_text_table(source, name=name)
    try:
        data = named_columns(table.header, table.columns)
        names = list(data)
        if len(names) < 2 or not len(data[names[0]]):
            raise CatalogError("An extra file needs at least two columns (the product ids and their values) "
                               f"and one row. Columns found: {listing(names)}.", columns=names)
        guess = guess_extra(names, {n: data[n].slice(0, SAMPLE_ROWS).to_pylist() for n in names})
        used = _complete(mapping, guess, names)
        extra = _read(data, used, table.name, table.notes)
        digest = table.fingerprint(dataclasses.asdict(used))
    finally:
        table.close()
    return dataclasses.replace(extra, columns=names, fingerprint=digest, encoding=table.encoding,
                               delimiter=table.delimiter)


def _complete(mapping: ExtraMapping, guess, names: list[str]) -> ExtraMapping:
    """The mapping with nothing left to detect; CatalogError for a column the file lacks."""
    for column in (mapping.id_column, mapping.value_column, mapping.size_column):
        if column is not None and column not in names:
            raise CatalogError(f"The file has no column {column!r}. Columns found: {listing(names)}.",
                               columns=names)
    kind = mapping.kind or _KIND_OF_FIELD.get(guess.field or "")
    if kind is None:
        raise CatalogError("Which kind of file this is could not be told from its columns "
                           f"({listing(names)}): choose images, stock, prices or sizes.", columns=names)
    if kind not in KINDS:
        raise CatalogError(f"There is no kind of extra file called {kind!r}: choose images, stock, prices or "
                           "sizes.", columns=names)
    id_column = mapping.id_column or guess.id_column
    if id_column is None:
        raise CatalogError(f"No column of product ids was recognised. Columns found: {listing(names)}. "
                           "Choose the column that holds the product ids.", columns=names)
    value_column = mapping.value_column
    if value_column is None:
        value_column = guess.value_column if kind == _KIND_OF_FIELD.get(guess.field or "") else None
        value_column = value_column or next((n for n in names if n != id_column), None)
    if value_column == id_column:
        raise CatalogError("The ids and the values are the same column: choose the column that holds the "
                           f"{KINDS[kind].value_words}.", columns=names)
    file_names = mapping.file_names if mapping.file_names is not None else (
        guess.file_names and id_column == guess.id_column)
    size_column = None
    if kind == "sizes":
        size_column = mapping.size_column or guess.size_column
        if size_column is None or size_column in (id_column, value_column):
            raise CatalogError("A stock-per-size file needs a column of sizes beside the ids and the stock: "
                               f"choose the column that holds the sizes. Columns found: {listing(names)}.",
                               columns=names)
    return ExtraMapping(kind, id_column, value_column, file_names, size_column)


def _read(data: dict[str, pa.ChunkedArray], mapping: ExtraMapping, name: str, notes: list[str]) -> ExtraFile:
    if mapping.kind is None or mapping.id_column is None or mapping.value_column is None:
        raise ValueError(f"an extra file is read with its mapping completed (_complete), not {mapping}")
    kind = KINDS[mapping.kind]
    rows = len(data[mapping.id_column])
    ids = clean_text(data[mapping.id_column].combine_chunks())
    if mapping.file_names:
        ids = ids_from_file_names(ids)
    ids = pc.if_else(pc.fill_null(pc.greater(pc.utf8_length(ids), MAX_ID_CHARS), False), None, ids)
    values, stock_kind = _values(kind, data[mapping.value_column], mapping.value_column, notes)
    has_id = pc.is_valid(ids)
    kept = pc.and_(has_id, pc.is_valid(values))
    sizes = None
    if mapping.size_column is not None and kind.field == SIZE_STOCK:
        sizes = clean_text(data[mapping.size_column].combine_chunks())
        kept = pc.and_(kept, pc.is_valid(sizes))
    no_id = rows - (pc.sum(has_id).as_py() or 0)
    no_value = rows - no_id - (pc.sum(kept).as_py() or 0)
    unreadable_ids = pc.unique(ids.filter(pc.and_(has_id, pc.invert(kept)))).cast(pa.large_string())
    if not pc.any(kept).as_py():
        raise CatalogError(f"No row has both a product id (column {mapping.id_column!r}) and a readable "
                           f"{kind.value_words} (column {mapping.value_column!r}): choose the columns that "
                           "hold them.", columns=list(data))
    ids = ids.filter(kept).cast(pa.large_string())
    values = values.filter(kept)
    repeated, examples = 0, []
    if sizes is not None:  # one text a product: its sizes and their stock
        ids, values, repeated, twice = size_stock_by_id(ids, sizes.filter(kept), values)
        examples = twice[:EXAMPLES]
    lookup = IdLookup.of(ids)
    if (mask := lookup.repeats()) is not None:
        repeated = int(mask.sum())
        examples = pc.unique(ids.filter(pa.array(mask))).slice(0, EXAMPLES).to_pylist()
        ids, values = ids.filter(pa.array(~mask)), values.filter(pa.array(~mask))
    return ExtraFile(name, kind, [], mapping, ids, values, rows, no_id, no_value, repeated, examples, notes,
                     "", "utf-8", ",", stock_kind, unreadable_ids)


def _values(kind: ExtraKind, column: pa.ChunkedArray, source: str, notes: list[str]) -> tuple[pa.Array, StockKind]:
    """The file's values as the catalog holds them, and the stock kind."""
    if kind.field == "image_url":
        return clean_text(column.combine_chunks()).cast(pa.large_string()), "quantity"
    parsed = parse_stock(column) if kind.field in ("stock", SIZE_STOCK) else parse_numbers(column)
    if parsed.unreadable:
        notes.append(f"{counted(parsed.unreadable, kind.value_words, kind.value_words + 's')} in column "
                     f"{source!r} could not be read (e.g. {quoted(parsed.examples)})"
                     f"{too_large_stock(parsed.too_large, MAX_STOCK)}; those rows were skipped.")
    if parsed.negative:
        notes.append(negative_stock(parsed.negative, source, parsed.negative_examples))
    if parsed.words:
        notes.append(f"Stock column {source!r} holds yes/no values: yes was read as 1 (in stock) and no as 0.")
    values = parsed.values
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    return values, "yes/no" if parsed.words else "quantity"


def join_extras(catalog: Catalog, extras: Sequence[ExtraFile]) -> Joined:
    """`catalog` with each extra file joined in turn by product id: a new Catalog (its fingerprint
    covers the catalog and every file; its health is the joined frame's) and a report per file."""
    products = catalog.products
    reports: list[JoinReport] = []
    stock_kind = catalog.stock_kind
    for extra in extras:
        products, report = _join(catalog, products, extra)
        reports.append(report)
        if extra.kind.field == "stock" and report.changed:
            stock_kind = extra.stock_kind if stock_kind in ("missing", extra.stock_kind) else "yes/no"
    digest = hashlib.sha256(catalog.fingerprint.encode())
    for extra in extras:
        digest.update(f"\n{extra.kind.key}:{extra.fingerprint}".encode())
    fingerprint: Future[str] = Future()
    fingerprint.set_result(digest.hexdigest())
    brought = {report.kind.field for report in reports if report.changed}
    warnings = [warning for warning in catalog.warnings
                if not any(warning == NOT_FOUND.get(name) for name in brought)] + [
        sentence for report in reports for sentence in report.sentences()[1:]]  # mismatches, skips, notes
    names = " + ".join([catalog.source_name or "catalog", *(extra.name or extra.kind.key for extra in extras)])
    return Joined(dataclasses.replace(catalog, products=products, warnings=warnings, _fingerprint=fingerprint,
                                      source_name=names, stock_kind=stock_kind), reports)


def _join(catalog: Catalog, products: pd.DataFrame, extra: ExtraFile) -> tuple[pd.DataFrame, JoinReport]:
    kind = extra.kind
    positions = catalog.positions(extra.ids)
    found = positions >= 0
    rows = positions[found]
    values = extra.values.filter(pa.array(found))
    current = (products[kind.field] if kind.field in products.columns
               else pd.Series(pd.NA, index=products.index, dtype="string"))
    if not kind.replaces:  # fill: only products without a value
        empty = current.isna().to_numpy()[rows]
        rows, values = rows[empty], values.filter(pa.array(empty))
    column = current.copy()
    if len(rows):
        incoming = pd.Series(values.to_pandas(types_mapper={pa.int64(): pd.Int64Dtype(),
                                                            pa.float64(): pd.Float64Dtype()}.get),
                             dtype=current.dtype)
        column.iloc[rows] = incoming.to_numpy()
    covered = np.zeros(len(products), dtype=bool)
    covered[positions[found]] = True
    unread = np.zeros(len(products), dtype=bool)  # in the file, but with no readable value
    if extra.unreadable_ids is not None and len(extra.unreadable_ids):
        where = catalog.positions(extra.unreadable_ids)
        unread[where[where >= 0]] = True
    unread = np.flatnonzero(unread & ~covered)
    uncovered = np.flatnonzero(~covered)
    uncovered = uncovered[~np.isin(uncovered, unread)]
    unknown = extra.ids.filter(pa.array(~found))
    report = JoinReport(
        file_name=extra.name or f"the {kind.key} file", kind=kind, rows=extra.rows,
        matched=int(found.sum()), changed=len(rows), unknown=len(unknown),
        unknown_examples=unknown.slice(0, EXAMPLES).to_pylist(), uncovered=len(uncovered),
        uncovered_examples=products.index[uncovered[:EXAMPLES]].tolist(), repeated=extra.repeated,
        repeated_examples=extra.repeated_examples, skipped=extra.skipped_no_id + extra.skipped_no_value,
        notes=list(extra.notes), unreadable=len(unread),
        unreadable_examples=products.index[unread[:EXAMPLES]].tolist())
    return products.assign(**{kind.field: column}), report
