"""Turning the parsed text columns into a Catalog's frame and facts.

Ids are trimmed, checked and indexed (``_ids``); prices and stock converted a column at a
time (``_values``) in a background thread beside the id index; every parsed column is freed
once converted, so a large file's copies do not add up. What was wrong, and what was done,
goes into the notes.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from fashionai.catalog._ids import IdLookup, string_buffers
from fashionai.catalog._values import MAX_STOCK, clean_text, parse_numbers, parse_stock
from fashionai.catalog._wording import (
    EXAMPLES,
    counted,
    extra_file_hint,
    listing,
    negative_stock,
    quoted,
    shortened,
    too_large_stock,
)
from fashionai.catalog.columns import guess_extra, resolve_mapping
from fashionai.catalog.model import CORE_FIELDS, FIELDS, MAX_ID_CHARS, CatalogError

__all__ = ["NOT_FOUND", "SAMPLE_ROWS", "WORKERS", "build_frame", "named_columns", "release_freed_memory"]

WORKERS = ThreadPoolExecutor(max_workers=2, thread_name_prefix="fashionai-catalog")
"""Two background threads for loading: they convert columns beside the id index (two at a time: a 1,000,000-product
load 1.66x -> 1.54x pyarrow's read, its peak memory about 0.1x the file's size higher), and hash the file."""
_ARROW_TO_PANDAS = {pa.int64(): pd.Int64Dtype(), pa.float64(): pd.Float64Dtype()}.get

NOT_FOUND = {
    "name": "No product name column was found, so names are blank.",
    "category": "No category column was found, so products have no category.",
    "stock": "No stock column was found, so stock is unknown for every product (the setting \"Treat "
             "unknown stock as in stock\" decides whether it counts as in stock).",
    "price": "No price column was found, so prices are blank.",
}
_RESERVED = {*FIELDS, "rank", "in_catalog", "in_stock"}  # join_ranking's own columns


def build_frame(header: list[str], columns: list[pa.ChunkedArray],
           override: Mapping[str, str | None], notes: list[str]) -> dict:
    """The Catalog's frame and facts. Empties `columns` as it goes, so each parsed
    column is freed once it has been converted."""
    data = named_columns(header, columns)
    names = list(data)
    if not names or not len(data[names[0]]):
        raise CatalogError("The file has a header row but no products. "
                           f"Columns found: {listing(names)}.", columns=names)
    mapping = resolve_mapping(names, override)
    guess = guess_extra(names, {name: data[name].slice(0, SAMPLE_ROWS).to_pylist() for name in names})
    hint = (extra_file_hint(guess.field, guess.file_names)  # a file that looks like an extra file
            if guess.field is not None and not guess.has_products and "name" not in override else None)
    if "product_id" not in mapping:
        if hint is not None and "product_id" not in override:
            raise CatalogError(f"{hint} If it is your products "
                               "file, choose the column that holds the product ids under Columns. Columns "
                               f"found: {listing(names)}.", columns=names)
        raise CatalogError(f"No column of product ids was recognised. Columns found: {listing(names)}. "
                           "Choose the column that holds the product ids under Columns.", columns=names)
    if hint is not None and len(names) <= 3:
        notes.append(hint)

    WORKERS.submit(release_freed_memory)  # the reader's blocks, beside the ids' checks
    id_column = data[mapping["product_id"]]
    if _keeps_every_row(id_column):  # the common case: convert at once, beside the id index
        jobs = _convert(data, mapping)
        ids, skipped, long_ids = _one_chunk(id_column), 0, 0  # already trimmed, none missing or long
    else:
        ids, skipped, long_ids = _drop_rows_without_id(data, mapping["product_id"], notes)
        jobs = _convert(data, mapping)
    del id_column
    index, lookup, repeated = _id_index(ids, notes)
    del ids
    stock_kind = "quantity" if "stock" in mapping else "missing"
    fields = {}
    for name, job in jobs.items():
        fields[name], field_notes, kind = job.result()
        notes.extend(field_notes)
        stock_kind = kind or stock_kind
    for name in CORE_FIELDS:
        if name not in mapping and name in NOT_FOUND:
            notes.append(NOT_FOUND[name])
    if repeated is not None:
        fields = {name: values[~repeated] for name, values in fields.items()}
    products = pd.DataFrame(fields, index=index, copy=False)  # the columns as they are: no copy
    del fields
    release_freed_memory()  # the id column's and the last conversions' leftovers
    return {
        "products": products,
        "mapping": mapping,
        "source_columns": names,
        "skipped_rows": skipped,
        "long_ids": long_ids,
        "duplicate_ids": 0 if repeated is None else int(repeated.sum()),
        "stock_kind": stock_kind,
        "_lookup": lookup,
    }


def _id_index(ids: pa.Array,
              notes: list[str]) -> tuple[pd.Index, IdLookup, np.ndarray | None]:
    """The product id index and its lookup; and which rows repeat an earlier id."""
    lookup = IdLookup.of(ids)
    repeated = lookup.repeats()
    if repeated is not None:
        examples = pc.unique(ids.filter(pa.array(repeated))).slice(0, EXAMPLES).to_pylist()
        notes.append(f"{counted(int(repeated.sum()), 'row repeats', 'rows repeat')} a product id "
                     f"already seen (e.g. {quoted(examples)}); the first row of each id was "
                     "kept.")
        lookup = lookup.without(repeated)
    return pd.Index(_TEXT.__from_arrow__(lookup.ids), name="product_id"), lookup, repeated  # as to_pandas makes it


SAMPLE_ROWS = 20
"""Values of each column looked at to guess what a file is (file names, say)."""


def named_columns(header: list[str], columns: list[pa.ChunkedArray]) -> dict[str, pa.ChunkedArray]:
    """The file's columns by their trimmed names (blank ones numbered, repeated ones suffixed),
    without a spreadsheet's empty leftover columns. Empties `columns`."""
    data = dict(zip(_column_names(header), columns, strict=True))
    columns.clear()
    for raw_name, name in zip(header, list(data), strict=True):
        if _is_unnamed(raw_name) and data[name].null_count == len(data[name]):
            del data[name]
    return data


def _column_names(header: list[str]) -> list[str]:
    """Trimmed header names; blank ones numbered, repeated ones suffixed."""
    names: dict[str, None] = {}  # ordered, and a name is looked up at once however wide the file
    for position, raw_name in enumerate(header, start=1):
        name = raw_name.strip() or f"column {position}"
        base, copy = name, 1
        while name in names:
            copy += 1
            name = f"{base} ({copy})"
        names[name] = None
    return list(names)


def _is_unnamed(raw_name: str) -> bool:
    return not raw_name.strip() or re.fullmatch(r"Unnamed: \d+", raw_name.strip()) is not None


def _drop_rows_without_id(data: dict[str, pa.ChunkedArray], id_column: str,
                          notes: list[str]) -> tuple[pa.Array, int, int]:
    """The trimmed ids, how many rows have none and how many one over MAX_ID_CHARS. Those
    rows are taken out of `data` (in place) and counted, except wholly empty rows, which
    spreadsheets leave behind."""
    ids = clean_text(_one_chunk(data[id_column]))
    too_long = _too_long(ids)
    long_ids = 0 if too_long is None else pc.sum(too_long).as_py() or 0
    if not ids.null_count and not long_ids:
        return ids, 0, 0
    missing = pc.is_null(ids)
    blank = missing
    for name, values in data.items():
        if name != id_column:
            blank = pc.and_(blank, pc.is_null(values))
    skipped = ids.null_count - (pc.sum(blank).as_py() or 0)
    kept = pc.invert(missing if too_long is None else pc.or_(missing, too_long))
    if not pc.any(kept).as_py():
        raise CatalogError(f"No row has a usable product id in column {id_column!r} (ids are "
                           f"missing or longer than {MAX_ID_CHARS:,} characters): choose the "
                           "column that holds the product ids under Columns.", columns=list(data))
    if skipped:
        notes.append(f"{counted(skipped, 'row has', 'rows have')} no product id (column "
                     f"{id_column!r}) and will not be shown.")
    if long_ids:
        examples = ids.filter(too_long).slice(0, EXAMPLES).to_pylist()
        notes.append(f"{counted(long_ids, 'row has a product id', 'rows have product ids')} longer "
                     f"than {MAX_ID_CHARS:,} characters (column {id_column!r}), so "
                     f"{counted(long_ids, 'it was', 'they were', count=False)} skipped (e.g. "
                     f"{quoted(shortened(x) for x in examples)}). Product ids are short codes: "
                     "check that this column holds them.")
    for name, values in data.items():
        data[name] = values.filter(kept)
    return ids.filter(kept), skipped, long_ids


def _too_long(ids: pa.Array) -> pa.Array | None:
    """Which ids are longer than MAX_ID_CHARS characters; None when none is, as read from their
    byte lengths (a character is at least a byte), without counting the characters of every id."""
    if int(np.diff(string_buffers(ids)[0]).max(initial=0)) <= MAX_ID_CHARS:
        return None
    return pc.fill_null(pc.greater(pc.utf8_length(ids), MAX_ID_CHARS), False)


def _keeps_every_row(ids: pa.ChunkedArray) -> bool:
    """Whether the ids, as parsed, are already what `_drop_rows_without_id` would make of them,
    dropping no row: none missing or blank, none longer than MAX_ID_CHARS bytes, none with white
    space (or a character beyond ASCII) at either end, which `clean_text` would trim. Read from the
    arrow buffers, so that the columns' conversions start at once; False takes the careful path."""
    if ids.null_count:
        return False
    for chunk in ids.chunks:
        offsets, data = string_buffers(chunk)
        if len(offsets) < 2:
            continue
        lengths = np.diff(offsets)
        if lengths.min() < 1 or lengths.max() > MAX_ID_CHARS:
            return False
        text = data[offsets[0]: offsets[-1]]
        if text.min() > 0x20 and text.max() < 0x80:  # no white space nor beyond ASCII anywhere
            continue
        edges = np.concatenate([data[offsets[:-1]], data[offsets[1:] - 1]])
        if ((edges <= 0x20) | (edges >= 0x80)).any():
            return False
    return True


_Converted = tuple[pa.Array, list[str], str | None]  # values, notes, stock kind
_InPandas = tuple[pd.api.extensions.ExtensionArray, list[str], str | None]


def _in_pandas(convert: Callable[[pa.ChunkedArray, str], _Converted], values: pa.ChunkedArray,
               column: str) -> _InPandas:
    """`convert` made into the frame's column in the job itself, beside the others (numbers are
    copied into pandas' own arrays; text is kept as it is), rather than the whole frame at the end.
    Text becomes pandas' `str` as a table's to_pandas makes it, by the same call, without the table
    (1-5 ms a column); anything else goes through a table, as the whole frame went."""
    values, notes, kind = convert(values, column)
    if values.type in _MASKED_ARRAYS:
        return _masked_array(values), notes, kind
    if pa.types.is_large_string(values.type):
        return _TEXT.__from_arrow__(values), notes, kind
    return pa.table({column: values}).to_pandas(types_mapper=_ARROW_TO_PANDAS)[column].array, notes, kind


_TEXT = pd.api.types.pandas_dtype("str")


_MASKED_ARRAYS = {pa.int64(): pd.arrays.IntegerArray, pa.float64(): pd.arrays.FloatingArray}


def _masked_array(values: pa.ChunkedArray | pa.Array) -> pd.api.extensions.ExtensionArray:
    """An Int64 or Float64 pandas array of arrow numbers, their values copied once, straight from each
    chunk's buffer into one numpy array (arrow's own way, joining the chunks and then converting, copied
    them two or three times); missing values are 0 under the mask."""
    kind = values.type.to_pandas_dtype()
    chunks = values.chunks if isinstance(values, pa.ChunkedArray) else [values]
    data = np.zeros(len(values), dtype=kind)
    mask = np.zeros(len(values), dtype=bool)
    start = 0
    for chunk in chunks:
        end = start + len(chunk)
        if chunk.null_count < len(chunk):
            data[start:end] = np.frombuffer(chunk.buffers()[1], dtype=kind)[chunk.offset: chunk.offset + len(chunk)]
        if chunk.null_count:
            mask[start:end] = chunk.is_null().to_numpy(zero_copy_only=False)
        start = end
    if mask.any():
        data[mask] = 0
    return _MASKED_ARRAYS[values.type](data, mask)


def _nulls_of(rows: int, kind: pa.DataType) -> Callable[[pa.ChunkedArray, str], _Converted]:
    """A field the file lacks, as a conversion: `rows` nulls of its type, whatever it is given."""
    def nulls(_values: pa.ChunkedArray, _column: str) -> _Converted:
        return pa.nulls(rows, kind), [], None
    return nulls


def _convert(data: dict[str, pa.ChunkedArray],
             mapping: dict[str, str]) -> dict[str, Future[_InPandas]]:
    """Jobs making our fields, then the file's other columns, into the frame's pandas arrays:
    text, Float64 price, Int64 stock. Takes the columns out of `data`, so each parsed
    one is freed once converted."""
    uses = Counter(mapping.values())
    rows = len(data[mapping["product_id"]])
    unreleased = 0  # bytes of the parsed columns handed over since the last release

    def take(column: str) -> pa.ChunkedArray:
        uses[column] -= 1
        return data.pop(column) if uses[column] < 1 else data[column]

    def submit(convert: Callable[[pa.ChunkedArray, str], _Converted], values: pa.ChunkedArray,
               column: str) -> Future[_InPandas]:
        nonlocal unreleased
        if unreleased >= RELEASE_EVERY_BYTES:  # runs after the conversions before it: their columns are freed
            WORKERS.submit(release_freed_memory)
            unreleased = 0
        unreleased += values.get_total_buffer_size()  # not nbytes: that reads every chunk (8 ms for a million rows)
        return WORKERS.submit(_in_pandas, convert, values, column)

    jobs: dict[str, Future[_InPandas]] = {}
    for name in FIELDS:
        column = mapping.get(name)
        if name == "product_id":
            take(mapping[name])
        elif column is not None:
            convert = {"price": _price, "sale_price": _price, "stock": _stock, "category": _category}.get(name, _text)
            jobs[name] = submit(convert, take(column), column)
        elif name in CORE_FIELDS:
            kind = {"stock": pa.int64(), "price": pa.float64()}.get(name, pa.large_string())
            jobs[name] = WORKERS.submit(_in_pandas, _nulls_of(rows, kind), None, name)
    for column in list(data):
        name = f"{column} (file)" if column in _RESERVED else column
        jobs[name] = submit(_text, data.pop(column), column)
    return jobs


def _text(values: pa.ChunkedArray, source: str) -> _Converted:
    return _one_chunk(values), [], None


def _category(values: pa.ChunkedArray, source: str) -> _Converted:
    return _one_chunk(clean_text(_one_chunk(values))), [], None


def _price(values: pa.ChunkedArray, source: str) -> _Converted:
    parsed = parse_numbers(values)
    notes = []
    if parsed.unreadable:
        notes.append(f"{counted(parsed.unreadable, 'price', 'prices')} in column {source!r} could "
                     f"not be read as a number (e.g. {quoted(parsed.examples)}), so "
                     f"{counted(parsed.unreadable, 'it is', 'they are', count=False)} left blank.")
    return parsed.values, notes, None


def _stock(values: pa.ChunkedArray, source: str) -> _Converted:
    parsed = parse_stock(values)
    notes = []
    if parsed.words:
        notes.append(f"Stock column {source!r} holds yes/no values: yes was read as 1 "
                     "(in stock) and no as 0 (out of stock).")
    if parsed.rounded:
        notes.append(f"{counted(parsed.rounded, 'stock quantity', 'stock quantities')} in column "
                     f"{source!r} had a fraction, rounded up to whole units.")
    if parsed.unreadable:
        notes.append(f"{counted(parsed.unreadable, 'stock value', 'stock values')} in column "
                     f"{source!r} could not be read (e.g. {quoted(parsed.examples)})"
                     f"{too_large_stock(parsed.too_large, MAX_STOCK)}; those products count as unknown stock.")
    if parsed.negative:
        notes.append(negative_stock(parsed.negative, source, parsed.negative_examples))
    return parsed.values, notes, "yes/no" if parsed.words else "quantity"


RELEASE_EVERY_BYTES = 1 << 20
"""Parsed columns converted between two releases of freed memory. A release walks the whole
heap, so it is paid per megabyte converted, not per column: a wide file of small columns
(thousands of them) would otherwise pay one walk a column, its load growing with the square
of its columns."""


def release_freed_memory() -> None:
    """Hand the parsed columns already converted back to the system, so the copies
    that replace them do not add up (arrow's allocator keeps freed memory otherwise); and
    a catalog let go (`uploads`), which would otherwise stay in the process's heap."""
    pa.default_memory_pool().release_unused()


def _one_chunk(values: pa.ChunkedArray | pa.Array) -> pa.Array:
    """One contiguous array (taking rows from a chunked one costs the whole column), text as
    large_string, the type pandas keeps. The reader makes string (4-byte offsets: less to hold
    while parsing); widening copies the offsets only, after the chunks are joined (fewer bytes
    written), or before for a column of 2 GB or more (string's offsets could not reach its end)."""
    if isinstance(values, pa.ChunkedArray):
        if pa.types.is_string(values.type) and values.get_total_buffer_size() >= 1 << 31:
            values = values.cast(pa.large_string())
        values = values.combine_chunks()
    return values.cast(pa.large_string()) if pa.types.is_string(values.type) else values


