"""Reading a store's catalog file: `load_catalog`.

    catalog = load_catalog("produtos.csv")          # path, bytes or binary file object

Files come as people export them: UTF-8 (with or without BOM) or Windows-1252,
separated by ``,`` ``;`` tab or ``|``, with prices like ``R$ 1.299,00`` and stock as
quantities or yes/no. A head sample decides the encoding and separator
(``_csvsniff``), pyarrow parses every column as text (ids are never guessed as
numbers), the columns are mapped to our fields (`columns`) and the frame is built
(``_frame``).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from fashionai.catalog._csvsniff import HEAD_BYTES, Dialect, guess_encoding, mostly_utf8, refusal, sniff
from fashionai.catalog._frame import WORKERS, build_frame
from fashionai.catalog._wording import counted, quoted
from fashionai.catalog.model import Catalog, CatalogError

__all__ = ["ENCODING_NAMES", "MAX_BAD_LINES_SHARE", "MAX_COLUMNS", "READ_BLOCK_BYTES", "Source", "TextTable",
           "load_catalog", "read_text_table"]

Source = str | os.PathLike[str] | bytes | bytearray | memoryview | BinaryIO

MAX_BAD_LINES_SHARE = 0.5  # more unreadable lines than this: the file is not a table
MAX_COLUMNS = 1_000
"""The most columns a catalog file (or an extra file) may have. A store's export has a few dozen;
thousands are a wrong file (a pivot table, a transposed sheet) or a hostile one. Counted on the
header, before the file is parsed, and refused at once."""
READ_BLOCK_BYTES = 1 << 20
"""How much of the file the CSV reader takes at a time (pyarrow's default, said here): a line
(or a quoted value spanning lines) must fit in about this. A product is a few hundred bytes;
a longer line is a picture or a document pasted into a cell, or not a product export. Kept at
1 MB rather than raised: every load would hold bigger blocks, and a file can always hold a
line longer than any limit. Such a file gets a message naming the line (`_long_line`)."""

pa.set_memory_pool(pa.system_memory_pool())
"""Arrow allocates from the C library's malloc in this process. Its default pool (mimalloc)
keeps what the CSV reader's threads allocated and freed, out of reach of release_unused: a
1,000,000-product catalog of 97 MB peaked at 3.2 times the file's size in extra memory, 2.0
with malloc, in the same time (benchmarks/bench_catalog.py)."""

def load_catalog(
    source: Source, *, columns: Mapping[str, str | None] | None = None, name: str | None = None
) -> Catalog:
    """Read a catalog file: a path, bytes, or a binary file object.

    `columns` maps our field names (see FIELDS) to the file's column names and
    overrides detection; map a field to None to leave it out. `name` is the file
    name to report when `source` is bytes. Raises CatalogError when the file cannot
    be used.
    """
    table = read_text_table(source, name=name)
    override = dict(columns or {})
    try:
        parts = build_frame(table.header, table.columns, override, table.notes)
    except BaseException:
        table.close()
        raise
    return Catalog(
        **parts,
        warnings=table.notes,
        _fingerprint=WORKERS.submit(table.fingerprint, override),  # hashed while we return
        source_name=table.name,
        encoding=table.encoding,
        delimiter=table.delimiter,
    )


@dataclass
class TextTable:
    """A CSV file read as text: its header, its columns below it (every value text, blank ones
    null), how it was read, and what was wrong. What `load_catalog` and the extra files
    (`fashionai.catalog.extras`) both start from."""

    name: str
    header: list[str]
    columns: list[pa.ChunkedArray]
    encoding: str
    delimiter: str
    notes: list[str]
    _raw: _Raw

    def fingerprint(self, mapping: Mapping[str, object]) -> str:
        """sha256 (hex) of the file's bytes, then of `mapping` (how its columns are read); closes the file."""
        return self._raw.fingerprint(mapping)

    def close(self) -> None:
        self._raw.close()


def read_text_table(source: Source, *, name: str | None = None) -> TextTable:
    """Read a CSV file as text columns, finding its encoding and separator from its head.
    Raises CatalogError when it is not a table (a workbook, a binary, an empty file, ...)."""
    raw = _Raw.of(source, name)
    notes: list[str] = []
    try:
        if reason := refusal(raw.head, raw.name):
            raise CatalogError(reason)
        header, data, dialect, encoding = _read_table(raw, notes)
    except BaseException:
        raw.close()
        raise
    return TextTable(raw.name, header, data, encoding, dialect.delimiter, notes, raw)


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

    def fingerprint(self, columns: Mapping[str, object]) -> str:
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
    if len(dialect.header) > MAX_COLUMNS:
        raise CatalogError(_too_wide(len(dialect.header), raw.at_eof or b"\n" in raw.head))
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
            raise CatalogError("The file could not be read as a CSV table: a line or a quoted value in it is "
                               "broken. Export it again as CSV and load it again.") from err
        except UnicodeDecodeError as err:
            if encoding != "cp1252":
                raise CatalogError(f"The file could not be read as {ENCODING_NAMES.get(encoding, encoding)} "
                                   f"text: the bytes at position {err.start:,} are not such text. Save it as "
                                   "CSV UTF-8 and load it again.") from err
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
        notes.append(f"The file is not UTF-8; it was read as {ENCODING_NAMES[encoding]}, as "
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
        notes.append(f"{counted(len(bad), 'line does', 'lines do')} not have the "
                     f"{len(dialect.header)} fields of the header and "
                     f"{counted(len(bad), 'was', 'were', count=False)} skipped, e.g. {quoted(bad)}.")
    if raw.head.startswith(b"\xef\xbb\xbf") and encoding == "utf-8":
        encoding = "utf-8-sig"
    header = [value or "" for value in table.slice(0, 1).to_pylist()[0].values()]
    return header, [column.slice(1) for column in table.columns], dialect, encoding


ENCODING_NAMES = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 (with a byte order mark, as Excel writes it)",
    "cp1252": "Windows-1252",
    "latin-1": "Latin-1 (ISO-8859-1)",
}
"""Each encoding a catalog may be read as (`Catalog.encoding`), in plain words."""
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


def _too_wide(columns: int, whole_header: bool) -> str:
    """What to say of a file with more than MAX_COLUMNS columns (`whole_header`: all of its
    header was in the head, else `columns` is what the head holds of it)."""
    count = f"{columns:,}" if whole_header else f"more than {columns:,}"
    return (f"This file has {count} columns; a catalog has at most {MAX_COLUMNS:,}: is it the right "
            "file? A store's product export has a few dozen columns (id, name, category, stock, price, ...).")


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
                     f"{counted(strays, 'stray byte', 'stray bytes')}, shown as \ufffd.")
        fixed = text.encode()
        return "utf-8", lambda: pa.BufferReader(fixed)
    try:
        data.decode("cp1252")
        return "cp1252", raw.stream
    except UnicodeDecodeError:
        return "latin-1", raw.stream


