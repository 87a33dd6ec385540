"""Load a store's catalog file, map its columns to ours, and join rankings against it.

    catalog = load_catalog("produtos.csv")          # path, bytes or binary file object
    catalog.products                                # DataFrame indexed by product id
    catalog.warnings                                # what was wrong and what was done
    join_ranking(catalog, ["0042", "0007", "9999"]) # one row per ranked id, in order

Files come as people export them: UTF-8 (with or without BOM) or Windows-1252,
separated by ``,`` ``;`` tab or ``|``, with prices like ``R$ 1.299,00`` and stock as
quantities or yes/no. A head sample decides the encoding and separator
(``_csvsniff``), pyarrow parses every column as text (ids are never guessed as
numbers), prices and stock are read a column at a time (``_values``), and ids are
looked up through hashes rather than a Python object per product (``_ids``).

A Catalog is read-only once built, so one object can be shared between sessions.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import BinaryIO, Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from fashionai.catalog import _values
from fashionai.catalog._csvsniff import HEAD_BYTES, Dialect, guess_encoding, mostly_utf8, refusal, sniff
from fashionai.catalog._ids import IdLookup
from fashionai.domain import LOW_STOCK_MAX

Source = str | os.PathLike[str] | bytes | bytearray | memoryview | BinaryIO

FIELDS: dict[str, str] = {
    "product_id": "Product id",
    "name": "Name",
    "category": "Category",
    "stock": "Stock",
    "price": "Price",
    "image_url": "Image URL",
    "brand": "Brand",
    "color": "Color",
    "style": "Style",
    "gender": "Gender",
    "size": "Size",
}
"""Our field names, each with a plain-English label, in display order."""

CORE_FIELDS = ("name", "category", "stock", "price", "image_url")
"""Fields every Catalog.products has as columns (blank when the file has none)."""

MAX_ID_CHARS = 1_000
"""The longest product id a catalog keeps, in characters. Real ids are codes of a few dozen
characters; a longer one is a column chosen wrongly or a hostile file. Rows with a longer id
are skipped (counted in `Catalog.long_ids`, with a warning), and a ranked id longer than every
id of the catalog is unknown without being hashed (see `_ids.IdLookup.positions`)."""
EXAMPLES = 3
MAX_BAD_LINES_SHARE = 0.5  # more unreadable lines than this: the file is not a table
READ_BLOCK_BYTES = 1 << 20
"""How much of the file the CSV reader takes at a time (pyarrow's default, said here): a line
(or a quoted value spanning lines) must fit in about this. A product is a few hundred bytes;
a longer line is a picture or a document pasted into a cell, or not a product export. Kept at
1 MB rather than raised: every load would hold bigger blocks, and a file can always hold a
line longer than any limit. Such a file gets a message naming the line (`_long_line`)."""

_NOT_FOUND = {
    "name": "No product name column was found, so names are blank.",
    "category": "No category column was found, so products have no category.",
    "stock": "No stock column was found, so stock is unknown for every product "
             "(never counted as in stock).",
    "price": "No price column was found, so prices are blank.",
}
_RESERVED = {*FIELDS, "rank", "in_catalog", "in_stock"}  # join_ranking's own columns

# Column names as _key() writes them, most specific first.
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "product_id": ("productid", "idproduto", "produtoid", "iddoproduto", "id", "sku", "skuid",
                   "itemid", "styleid", "codigoproduto", "codigodoproduto", "codproduto",
                   "productcode", "codigo", "cod", "code", "itemcode", "referencia", "ref",
                   "reference"),
    "name": ("productname", "productdisplayname", "nomeproduto", "nomedoproduto", "name",
             "nome", "title", "titulo", "displayname", "produto", "product", "descricao",
             "description"),
    "category": ("articletype", "producttype", "tipoproduto", "tipodeproduto", "subcategory",
                 "subcategoria", "category", "categoria", "productcategory",
                 "categoriadoproduto", "departamento", "department", "secao", "section",
                 "mastercategory", "tipo", "type"),
    "stock": ("stock", "estoque", "qty", "quantity", "quantidade", "qtd", "qtde",
              "stockquantity", "stockqty", "stocklevel", "inventory", "inventoryquantity",
              "inventoryqty", "saldo", "saldoestoque", "estoquedisponivel",
              "quantidadedisponivel", "quantidadeemestoque", "qtyavailable", "available",
              "availability", "disponivel", "disponibilidade", "instock", "emestoque"),
    "price": ("price", "preco", "saleprice", "sellingprice", "currentprice", "finalprice",
              "precovenda", "precodevenda", "precopor", "precofinal", "valor", "valorvenda",
              "valordevenda", "precopromocional", "offerprice", "listprice", "precooriginal",
              "precode", "precolista", "msrp"),
    "image_url": ("imageurl", "imagelink", "image", "imagem", "imagemurl", "urlimagem",
                  "urldaimagem", "linkimagem", "linkdaimagem", "img", "imgurl", "imagesrc",
                  "mainimage", "picture", "pictureurl", "photo", "photourl", "foto",
                  "fotourl", "thumbnail", "link"),
    "brand": ("brand", "marca", "brandname", "fabricante", "manufacturer", "vendor"),
    "color": ("color", "colour", "cor", "basecolour", "basecolor", "colorname", "nomecor"),
    "style": ("style", "estilo", "usage", "occasion", "ocasiao", "uso"),
    "gender": ("gender", "genero", "sexo", "sex"),
    "size": ("size", "tamanho", "tam"),
}
# Second chance for long names ("Preço de Venda (R$)"): a word of the name, in this
# order of fields, so "Nome da Categoria" is a category rather than a name.
_WORDS: dict[str, set[str]] = {
    "category": {"category", "categoria", "departamento", "department"},
    "brand": {"brand", "marca"},
    "color": {"color", "colour", "cor"},
    "size": {"size", "tamanho"},
    "gender": {"gender", "genero"},
    "style": {"style", "estilo"},
    "image_url": {"image", "imagem", "img", "foto", "photo", "picture"},
    "price": {"price", "preco", "valor"},
    "stock": {"stock", "estoque", "qty", "quantity", "quantidade", "inventory"},
    "product_id": {"sku"},
    "name": {"name", "nome", "title", "titulo"},
}
_NOT_WORDS = {"cost", "custo", "compra"}  # a purchase cost is not the price

pa.set_memory_pool(pa.system_memory_pool())
"""Arrow allocates from the C library's malloc in this process. Its default pool (mimalloc)
keeps what the CSV reader's threads allocated and freed, out of reach of release_unused: a
1,000,000-product catalog of 97 MB peaked at 3.2 times the file's size in extra memory, 2.0
with malloc, in the same time (benchmarks/bench_catalog.py)."""
_WORKERS = ThreadPoolExecutor(max_workers=1, thread_name_prefix="fashionai-catalog")
_ARROW_TO_PANDAS = {pa.int64(): pd.Int64Dtype(), pa.float64(): pd.Float64Dtype()}.get


class CatalogError(ValueError):
    """The file cannot be used as a catalog; the message says why and what to do."""


@dataclass(frozen=True)
class CatalogHealth:
    """Figures for a catalog health report."""

    rows: int
    categories: dict[str, int]  # products per category, in the store's order
    uncategorised: int
    stock: dict[str, int]  # in_stock (above LOW_STOCK_MAX), low, out, unknown
    price: dict[str, float | None]  # count, missing, min, median, mean, max
    warnings: list[str]


@dataclass(frozen=True, eq=False)
class Catalog:
    """A loaded catalog. Read-only: share it, never change its frame.

    `products` is indexed by product id (str). `join_ranking`, `search` and
    `category_ids` find ids fast from the first call; pandas' own lookups
    (``products.loc[ids]``, ``id in products.index``) build pandas' hash table the
    first time, a fraction of a second for a million products.
    """

    products: pd.DataFrame = field(repr=False)
    warnings: list[str]
    mapping: dict[str, str]  # our field -> the file's column used for it
    source_columns: list[str]
    _fingerprint: Future[str] = field(repr=False)
    _lookup: IdLookup = field(repr=False)
    source_name: str = ""  # file name when known
    encoding: str = "utf-8"
    delimiter: str = ","
    skipped_rows: int = 0  # rows without a product id
    long_ids: int = 0  # rows skipped because their id is longer than MAX_ID_CHARS
    duplicate_ids: int = 0  # rows dropped because their id came earlier
    stock_kind: Literal["quantity", "yes/no", "missing"] = "quantity"

    @property
    def fingerprint(self) -> str:
        """sha256 (hex) of the file's bytes and the columns override. Hashed beside the
        load, so reading it right away may wait a moment."""
        return self._fingerprint.result()

    @cached_property
    def nbytes(self) -> int:
        """The memory the catalog holds, in bytes: its frame (pandas' deep memory_usage, which
        for arrow-backed text reads the buffers) and its id lookup."""
        return int(self.products.memory_usage(index=True, deep=True).sum()) + self._lookup.nbytes

    @cached_property
    def categories(self) -> list[str]:
        """Category values in order of first appearance: the store's native order."""
        return list(self._category_positions)

    def category_ids(self, category: str) -> list[str]:
        """Product ids of a category in file order; [] for a category not in the file."""
        positions = self._category_positions.get(category)
        return [] if positions is None else self.products.index[positions].tolist()

    def positions(self, product_ids: Sequence[str]) -> np.ndarray:
        """Row position in `products` of each id (-1 where the catalog lacks it), by the shared id index."""
        return self._lookup.positions(list(product_ids))

    def count_unknown(self, product_ids: Sequence[str]) -> int:
        """How many of `product_ids` (repeats counted) the catalog lacks."""
        return int((self.positions(product_ids) < 0).sum()) if len(product_ids) else 0

    def search(self, text: str, limit: int = 20) -> pd.DataFrame:
        """Products whose id is `text` (first) or whose name contains it, ignoring case
        and accents; at most `limit` rows, in file order after the exact id."""
        query = text.strip()
        if not query or limit < 1:
            return self.products.iloc[:0]
        exact = self._lookup.positions([query])[0]
        found = [exact] if exact >= 0 else []
        contains = pc.match_substring(self._folded_names, _values.fold_str(query))
        hits = np.flatnonzero(pc.fill_null(contains, False).to_numpy(zero_copy_only=False))
        found += [p for p in hits[: limit + 1] if p != exact]
        return self.products.iloc[found[:limit]]

    def health(self) -> CatalogHealth:
        """Figures for a health report: rows, categories, stock and prices."""
        products = self.products
        stock, prices = products["stock"], products["price"].dropna()
        low = int(stock.between(1, LOW_STOCK_MAX).sum()) if self.stock_kind == "quantity" else 0
        return CatalogHealth(
            rows=len(products),
            categories={name: len(rows) for name, rows in self._category_positions.items()},
            uncategorised=int(products["category"].isna().sum()),
            stock={
                "in_stock": int((stock > 0).sum()) - low,
                "low": low,
                "out": int((stock <= 0).sum()),
                "unknown": int(stock.isna().sum()),
            },
            price={
                "count": len(prices),
                "missing": len(products) - len(prices),
                **{stat: float(getattr(prices, stat)()) if len(prices) else None
                   for stat in ("min", "median", "mean", "max")},
            },
            warnings=list(self.warnings),
        )

    @cached_property
    def _category_positions(self) -> dict[str, np.ndarray]:
        return self.products.groupby("category", sort=False).indices

    @cached_property
    def _folded_names(self) -> pa.ChunkedArray:
        return _values.fold(pa.chunked_array([pa.array(self.products["name"].array)]))


def load_catalog(
    source: Source, *, columns: Mapping[str, str | None] | None = None, name: str | None = None
) -> Catalog:
    """Read a catalog file: a path, bytes, or a binary file object.

    `columns` maps our field names (see FIELDS) to the file's column names and
    overrides detection; map a field to None to leave it out. `name` is the file
    name to report when `source` is bytes. Raises CatalogError when the file cannot
    be used.
    """
    raw = _Raw.of(source, name)
    notes: list[str] = []
    override = dict(columns or {})
    try:
        if reason := refusal(raw.head, raw.name):
            raise CatalogError(reason)
        header, data, dialect, encoding = _read_table(raw, notes)
        parts = _build(header, data, override, notes)
    except BaseException:
        raw.close()
        raise
    return Catalog(
        **parts,
        warnings=notes,
        _fingerprint=_WORKERS.submit(raw.fingerprint, override),  # hashed while we return
        source_name=raw.name,
        encoding=encoding,
        delimiter=dialect.delimiter,
    )


def join_ranking(catalog: Catalog, product_ids: Iterable[str]) -> pd.DataFrame:
    """One row per ranked id, in the given order (repeats kept): rank (from 1),
    product_id, in_catalog, in_stock (NA when unknown), then the catalog's columns,
    blank for ids the catalog does not hold."""
    ids = ["" if product_id is None else str(product_id).strip() for product_id in product_ids]
    products = catalog.products
    positions = catalog._lookup.positions(ids)
    fields = {name: products[name].array.take(positions, allow_fill=True)
              for name in products.columns}
    return pd.DataFrame({
        "rank": np.arange(1, len(ids) + 1),
        "product_id": pd.array(ids, dtype="str"),
        "in_catalog": positions >= 0,
        "in_stock": fields["stock"] > 0,
        **fields,
    })


def detect_columns(names: list[str]) -> dict[str, str]:
    """Our field -> the column among `names` that holds it, for the fields recognised.

    Names match ignoring case, accents, spaces and punctuation, in English and
    Portuguese (``Preço`` is a price, ``productId`` an id, ``articleType`` a category).
    """
    return _detect(names, list(FIELDS))


# -- reading ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Raw:
    """The file's bytes, in memory or on disk, and its first HEAD_BYTES."""

    name: str
    head: bytes
    at_eof: bool  # the head is the whole file
    data: bytes | None = None
    path: Path | None = None
    file: BinaryIO | None = None  # kept open for hashing, even if the path is replaced

    @classmethod
    def of(cls, source: Source, name: str | None) -> _Raw:
        if isinstance(source, (str, os.PathLike)):
            path = Path(source)
            file = path.open("rb")
            head = file.read(HEAD_BYTES + 1)
            return cls(name or path.name, head[:HEAD_BYTES], len(head) <= HEAD_BYTES,
                       path=path, file=file)
        if hasattr(source, "read"):
            name = name or Path(str(getattr(source, "name", "") or "")).name
            source = source.read()
            if isinstance(source, str):
                raise TypeError("Open the catalog file in binary mode ('rb').")
        if not isinstance(source, (bytes, bytearray, memoryview)):
            raise TypeError(f"A catalog is a path, bytes or a binary file, not {type(source)}.")
        data = source if isinstance(source, bytes) else bytes(source)  # hashed later: freeze it
        return cls(name or "", data[:HEAD_BYTES], len(data) <= HEAD_BYTES, data=data)

    def stream(self) -> pa.NativeFile:
        return pa.BufferReader(self.data) if self.path is None else pa.OSFile(str(self.path))

    def read(self) -> bytes:
        return self.data if self.path is None else self.path.read_bytes()

    def fingerprint(self, columns: Mapping[str, str | None]) -> str:
        """sha256 of the bytes, then of the columns override; closes the file."""
        if self.file is None:
            digest = hashlib.sha256(self.data)
        else:
            with self.file:
                self.file.seek(0)
                digest = hashlib.file_digest(self.file, "sha256")
        digest.update(json.dumps(columns, sort_keys=True).encode())
        return digest.hexdigest()

    def close(self) -> None:
        if self.file is not None:
            self.file.close()


def _read_table(
    raw: _Raw, notes: list[str]
) -> tuple[list[str], list[pa.ChunkedArray], Dialect, str]:
    """Parse the whole file as text: the header, and the columns below it."""
    encoding = guess_encoding(raw.head, raw.at_eof)
    dialect = sniff(raw.head, encoding, raw.at_eof)
    if not dialect.header:
        raise CatalogError("The file is empty: there are no products in it.")
    stream, newlines = raw.stream, dialect.quoted_newlines
    if encoding in ("cp1252", "latin-1"):
        encoding, stream = _not_utf8(raw, raw.head, notes)
    while True:
        try:
            table, bad = _parse(stream(), dialect, encoding, newlines)
        except pa.ArrowInvalid as err:
            if "straddl" in str(err):  # pyarrow: "straddling object straddles two block boundaries"
                raise CatalogError(_long_line(raw)) from err
            if encoding == "utf-8" and "UTF8" in str(err):  # bad bytes past the head
                encoding, stream = _not_utf8(raw, raw.read(), notes)
                continue
            if not newlines:  # a quoted value spans lines past the head
                newlines = True
                continue
            raise CatalogError(f"The file could not be read as a CSV table: {err}") from err
        except UnicodeDecodeError as err:
            if encoding != "cp1252":
                raise CatalogError(f"The file could not be read as {encoding} text: {err}. "
                                   "Save it as CSV UTF-8 and load it again.") from err
            encoding = "latin-1"  # a byte that Windows-1252 leaves undefined
            continue
        if bad and dialect.quoted and not newlines:
            try:
                retry = _parse(stream(), dialect, encoding, newlines=True)
            except pa.ArrowInvalid as err:
                if "straddl" in str(err):
                    raise CatalogError(_long_line(raw)) from err
                retry = table, bad  # read across lines, it is no better
            if len(retry[1]) < len(bad):
                table, bad = retry
        break
    if encoding in ("cp1252", "latin-1"):
        notes.append(f"The file is not UTF-8; it was read as {_ENCODING_NAMES[encoding]}, as "
                     "Excel saves plain CSV in Brazil and Western Europe. If accents look "
                     "wrong, save the file as CSV UTF-8 and load it again.")
    if bad:
        rows = len(table) - 1
        if len(bad) > MAX_BAD_LINES_SHARE * (rows + len(bad)):
            raise CatalogError(
                f"Most lines do not have the {len(dialect.header)} fields of the header "
                f"(separator {_SEPARATOR_NAMES.get(dialect.delimiter, dialect.delimiter)}), "
                "so the file is not a consistent table. Export it again as CSV."
            )
        notes.append(f"{_n(len(bad), 'line does', 'lines do')} not have the "
                     f"{len(dialect.header)} fields of the header and "
                     f"{_n(len(bad), 'was', 'were', count=False)} skipped, e.g. {_quote(bad)}.")
    if raw.head.startswith(b"\xef\xbb\xbf") and encoding == "utf-8":
        encoding = "utf-8-sig"
    header = [value or "" for value in table.slice(0, 1).to_pylist()[0].values()]
    return header, [column.slice(1) for column in table.columns], dialect, encoding


_ENCODING_NAMES = {"cp1252": "Windows-1252", "latin-1": "Latin-1 (ISO-8859-1)"}
_SEPARATOR_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}


def _parse(stream: pa.NativeFile, dialect: Dialect, encoding: str,
           newlines: bool) -> tuple[pa.Table, list[str]]:
    bad: list[str] = []

    def skip(row: pacsv.InvalidRow) -> str:
        bad.append(row.text)
        return "skip"

    names = [f"c{i}" for i in range(len(dialect.header))]
    table = pacsv.read_csv(
        stream,
        read_options=pacsv.ReadOptions(encoding=encoding, skip_rows=dialect.skip_rows,
                                       column_names=names, block_size=READ_BLOCK_BYTES),
        parse_options=pacsv.ParseOptions(delimiter=dialect.delimiter,
                                         newlines_in_values=newlines,
                                         invalid_row_handler=skip),
        convert_options=pacsv.ConvertOptions(column_types=dict.fromkeys(names, pa.string()),
                                             strings_can_be_null=True, null_values=[""]),
    )
    return table, bad


def _long_line(raw: _Raw) -> str:
    """What to say of a file with a line (or a quoted value) too long for the reader."""
    data = np.frombuffer(raw.read(), dtype=np.uint8)
    ends = np.append(np.flatnonzero(data == ord("\n")), len(data))
    lengths = np.diff(ends, prepend=-1) - 1
    over = np.flatnonzero(lengths > READ_BLOCK_BYTES)
    limit = f"{READ_BLOCK_BYTES / 2**20:g} MB"
    if len(over):
        where = (f"Line {int(over[0]) + 1:,} of the file is {lengths[over[0]] / 2**20:,.1f} MB long, "
                 f"longer than the {limit} a line may have")
    else:
        where = f"A value in quotes spans lines adding up to more than the {limit} a row may have"
    return (f"{where}, so the file cannot be read. A product's line is a few hundred characters: check "
            "that the file is a product export (a picture or a document pasted into a cell makes such a "
            "line), remove that line, and load it again.")


def _not_utf8(raw: _Raw, data: bytes,
              notes: list[str]) -> tuple[str, Callable[[], pa.NativeFile]]:
    """The encoding and stream of a file that is not valid UTF-8 throughout.

    A mostly-UTF-8 file with a few stray bytes stays UTF-8 (each stray becomes U+FFFD);
    others are Windows-1252, or Latin-1 when they use bytes Windows-1252 leaves undefined.
    """
    if mostly_utf8(data):
        text = raw.read().decode("utf-8", errors="replace")
        strays = text.count("\ufffd")
        notes.append(f"The file is UTF-8 except for "
                     f"{_n(strays, 'stray byte', 'stray bytes')}, shown as \ufffd.")
        fixed = text.encode()
        return "utf-8", lambda: pa.BufferReader(fixed)
    try:
        data.decode("cp1252")
        return "cp1252", raw.stream
    except UnicodeDecodeError:
        return "latin-1", raw.stream


# -- building the frame -------------------------------------------------------------


def _build(header: list[str], columns: list[pa.ChunkedArray],
           override: Mapping[str, str | None], notes: list[str]) -> dict:
    """The Catalog's frame and facts. Empties `columns` as it goes, so each parsed
    column is freed once it has been converted."""
    data = dict(zip(_column_names(header), columns))
    columns.clear()
    for raw_name, name in zip(header, list(data)):
        if _is_unnamed(raw_name) and data[name].null_count == len(data[name]):
            del data[name]  # a spreadsheet's empty leftover column
    names = list(data)
    if not names or not len(data[names[0]]):
        raise CatalogError("The file has a header row but no products. "
                           f"Columns found: {_listing(names)}.")
    mapping = _resolve_mapping(names, override)
    if "product_id" not in mapping:
        raise CatalogError(
            "No product id column was recognised. Columns found: "
            f"{_listing(names)}. Say which one holds the product ids, for example "
            f"columns={{'product_id': {names[0]!r}}}."
        )

    _release_freed_memory()  # the reader's blocks
    ids, skipped, long_ids = _drop_rows_without_id(data, mapping["product_id"], notes)
    _release_freed_memory()  # the id column as parsed
    jobs = _convert(data, mapping)  # in the background, beside the id index
    index, lookup, repeated = _id_index(ids, notes)
    del ids
    stock_kind = "quantity" if "stock" in mapping else "missing"
    fields = {}
    for name, job in jobs.items():
        fields[name], field_notes, kind = job.result()
        notes.extend(field_notes)
        stock_kind = kind or stock_kind
    for name in CORE_FIELDS:
        if name not in mapping and name in _NOT_FOUND:
            notes.append(_NOT_FOUND[name])
    _release_freed_memory()  # the id column's and the last conversions' leftovers: before the frame is made
    frame = pa.table(fields)
    if repeated is not None:
        frame = frame.filter(pa.array(~repeated))
    del fields
    products = frame.to_pandas(types_mapper=_ARROW_TO_PANDAS)
    products.index = index
    del frame
    _release_freed_memory()
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
        notes.append(f"{_n(int(repeated.sum()), 'row repeats', 'rows repeat')} a product id "
                     f"already seen (e.g. {_quote(examples)}); the first row of each id was "
                     "kept.")
        lookup = lookup.without(repeated)
    return pd.Index(lookup.ids.to_pandas(), name="product_id"), lookup, repeated


def _column_names(header: list[str]) -> list[str]:
    """Trimmed header names; blank ones numbered, repeated ones suffixed."""
    names: list[str] = []
    for position, raw_name in enumerate(header, start=1):
        name = raw_name.strip() or f"column {position}"
        base, copy = name, 1
        while name in names:
            copy += 1
            name = f"{base} ({copy})"
        names.append(name)
    return names


def _is_unnamed(raw_name: str) -> bool:
    return not raw_name.strip() or re.fullmatch(r"Unnamed: \d+", raw_name.strip()) is not None


def _drop_rows_without_id(data: dict[str, pa.ChunkedArray], id_column: str,
                          notes: list[str]) -> tuple[pa.Array, int, int]:
    """The trimmed ids, how many rows have none and how many one over MAX_ID_CHARS. Those
    rows are taken out of `data` (in place) and counted, except wholly empty rows, which
    spreadsheets leave behind."""
    ids = _values.clean_text(data[id_column].combine_chunks())
    too_long = pc.fill_null(pc.greater(pc.utf8_length(ids), MAX_ID_CHARS), False)
    long_ids = pc.sum(too_long).as_py() or 0
    if not ids.null_count and not long_ids:
        return ids, 0, 0
    missing = pc.is_null(ids)
    blank = missing
    for name, values in data.items():
        if name != id_column:
            blank = pc.and_(blank, pc.is_null(values))
    skipped = ids.null_count - (pc.sum(blank).as_py() or 0)
    kept = pc.invert(pc.or_(missing, too_long))
    if not pc.any(kept).as_py():
        raise CatalogError(f"No row has a usable product id in column {id_column!r} (ids are "
                           f"missing or longer than {MAX_ID_CHARS:,} characters): choose the "
                           "column that holds the product ids.")
    if skipped:
        notes.append(f"{_n(skipped, 'row has', 'rows have')} no product id (column "
                     f"{id_column!r}) and will not be shown.")
    if long_ids:
        examples = ids.filter(too_long).slice(0, EXAMPLES).to_pylist()
        notes.append(f"{_n(long_ids, 'row has a product id', 'rows have product ids')} longer "
                     f"than {MAX_ID_CHARS:,} characters (column {id_column!r}), so "
                     f"{_n(long_ids, 'it was', 'they were', count=False)} skipped (e.g. "
                     f"{_quote(_shortened(x) for x in examples)}). Product ids are short codes: "
                     "check that this column holds them.")
    for name, values in data.items():
        data[name] = values.filter(kept)
    return ids.filter(kept), skipped, long_ids


_Converted = tuple[pa.Array, list[str], str | None]  # values, notes, stock kind


def _convert(data: dict[str, pa.ChunkedArray],
             mapping: dict[str, str]) -> dict[str, Future[_Converted]]:
    """Jobs making our fields, then the file's other columns, into contiguous arrays:
    text, float64 price, int64 stock. Takes the columns out of `data`, so each parsed
    one is freed once converted."""
    uses = Counter(mapping.values())
    rows = len(data[mapping["product_id"]])

    def take(column: str) -> pa.ChunkedArray:
        uses[column] -= 1
        return data.pop(column) if uses[column] < 1 else data[column]

    jobs: dict[str, Future[_Converted]] = {}
    for name in FIELDS:
        column = mapping.get(name)
        if name == "product_id":
            take(column)
        elif column is not None:
            convert = {"price": _price, "stock": _stock, "category": _category}.get(name, _text)
            jobs[name] = _WORKERS.submit(convert, take(column), column)
        elif name in CORE_FIELDS:
            kind = {"stock": pa.int64(), "price": pa.float64()}.get(name, pa.large_string())
            jobs[name] = _WORKERS.submit(lambda kind=kind: (pa.nulls(rows, kind), [], None))
    for column in list(data):
        name = f"{column} (file)" if column in _RESERVED else column
        jobs[name] = _WORKERS.submit(_text, data.pop(column), column)
    return jobs


def _text(values: pa.ChunkedArray, source: str) -> _Converted:
    return _one_chunk(values), [], None


def _category(values: pa.ChunkedArray, source: str) -> _Converted:
    return _one_chunk(_values.clean_text(_one_chunk(values))), [], None


def _price(values: pa.ChunkedArray, source: str) -> _Converted:
    parsed = _values.parse_numbers(values)
    notes = []
    if parsed.unreadable:
        notes.append(f"{_n(parsed.unreadable, 'price', 'prices')} in column {source!r} could "
                     f"not be read as a number (e.g. {_quote(parsed.examples)}), so "
                     f"{_n(parsed.unreadable, 'it is', 'they are', count=False)} left blank.")
    return _one_chunk(parsed.values), notes, None


def _stock(values: pa.ChunkedArray, source: str) -> _Converted:
    parsed = _values.parse_stock(values)
    notes = []
    if parsed.words:
        notes.append(f"Stock column {source!r} holds yes/no values: yes was read as 1 "
                     "(in stock) and no as 0 (out of stock).")
    if parsed.rounded:
        notes.append(f"{_n(parsed.rounded, 'stock quantity', 'stock quantities')} in column "
                     f"{source!r} had a fraction, rounded up to whole units.")
    if parsed.unreadable:
        notes.append(f"{_n(parsed.unreadable, 'stock value', 'stock values')} in column "
                     f"{source!r} could not be read (e.g. {_quote(parsed.examples)}); those "
                     "products count as unknown stock.")
    return _one_chunk(parsed.values), notes, "yes/no" if parsed.words else "quantity"


def _release_freed_memory() -> None:
    """Hand the parsed columns already converted back to the system, so the copies
    that replace them do not add up (arrow's allocator keeps freed memory otherwise)."""
    pa.default_memory_pool().release_unused()


def _one_chunk(values: pa.ChunkedArray | pa.Array) -> pa.Array:
    """One contiguous array (taking rows from a chunked one costs the whole column),
    text as large_string, the type pandas keeps."""
    _release_freed_memory()
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    return values.cast(pa.large_string()) if pa.types.is_string(values.type) else values


# -- column mapping -----------------------------------------------------------------


def _resolve_mapping(names: list[str], columns: Mapping[str, str | None]) -> dict[str, str]:
    unknown = [key for key in columns if key not in FIELDS]
    if unknown:
        raise CatalogError(f"Unknown field {_quote(unknown)} in the column mapping; the fields "
                           f"are {_listing(FIELDS)}.")
    chosen: dict[str, str] = {}
    for key, column in columns.items():
        if column is None:
            continue
        match = _find_column(names, column)
        if match is None:
            raise CatalogError(f"The column mapping names {column!r} for "
                               f"{FIELDS[key].lower()}, but the file has no such column. "
                               f"Columns found: {_listing(names)}.")
        chosen[key] = match
    rest = [name for name in names if name not in chosen.values()]
    detected = _detect(rest, [key for key in FIELDS if key not in columns])
    return {key: (chosen | detected)[key] for key in FIELDS if key in chosen | detected}


def _find_column(names: list[str], wanted: str) -> str | None:
    if wanted in names:
        return wanted
    return next((name for name in names if name.casefold() == wanted.strip().casefold()), None)


def _detect(names: list[str], fields: list[str]) -> dict[str, str]:
    keys = {name: _key(name) for name in names}
    found: dict[str, str] = {}
    for key in fields:
        for synonym in _SYNONYMS[key]:
            match = next((n for n in names if keys[n] == synonym and n not in found.values()), None)
            if match is not None:
                found[key] = match
                break
    for key, words in _WORDS.items():
        if key in fields and key not in found:
            match = next((n for n in names if n not in found.values()
                          and words & _words(n) and not _NOT_WORDS & _words(n)), None)
            if match is not None:
                found[key] = match
    return {key: found[key] for key in fields if key in found}


def _key(name: str) -> str:
    """A column name compared loosely: "Preço_Venda " -> "precovenda"."""
    return "".join(re.findall(r"[a-z0-9]+", _values.fold_str(name)))


def _words(name: str) -> set[str]:
    """The words of a column name: "productDisplayName" -> {product, display, name}."""
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name)
    return set(re.findall(r"[a-z0-9]+", _values.fold_str(spaced)))


# -- wording ------------------------------------------------------------------------


def _n(number: int, one: str, many: str, *, count: bool = True) -> str:
    """ "1 row has" / "2 rows have"; without the number when `count` is False."""
    words = one if number == 1 else many
    return f"{number} {words}" if count else words


def _shortened(text: str, length: int = 40) -> str:
    """The start of a long text, with an ellipsis when cut."""
    return text if len(text) <= length else text[:length] + "…"


def _quote(values: Iterable[object]) -> str:
    return ", ".join(repr(str(value)) for value in list(values)[:EXAMPLES])


def _listing(names: Iterable[str]) -> str:
    return ", ".join(repr(name) for name in names) or "(none)"
