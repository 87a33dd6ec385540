"""Size up a catalog file from its first bytes, before parsing it.

Three questions, each answered from a small head sample:

- ``refusal``: is this a CSV text at all? (Excel workbooks, archives, binaries, web
  pages and JSON are refused with a message saying what to do instead.)
- ``guess_encoding``: UTF-8 (with or without BOM), UTF-16 (with BOM), or the
  Windows-1252 / Latin-1 of spreadsheets exported in Brazil and Western Europe.
- ``sniff``: the separator, whether a quoted value spans lines, the header.

The whole file is parsed later by pyarrow; these helpers never read past the head.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
from dataclasses import dataclass

HEAD_BYTES = 1 << 16
SNIFF_RECORDS = 200
DELIMITERS = (",", ";", "\t", "|")

_SAVE_AS_CSV = "choose File > Save As > CSV UTF-8 and upload that"
_SEP_LINE = re.compile(r"sep=(.)\s*", re.IGNORECASE)


@dataclass(frozen=True)
class Dialect:
    delimiter: str
    header: list[str]  # the first record, as the csv module reads it
    skip_rows: int = 0  # 1 when the file opens with Excel's "sep=;" line
    quoted_newlines: bool = False  # a quoted value in the sample spans lines
    quoted: bool = False  # the sample uses quote characters at all


def refusal(head: bytes, name: str = "") -> str | None:
    """Why this file cannot be a CSV catalog, in plain words; None when it may be."""
    suffix = name.lower().rpartition(".")[2] if "." in name else ""
    if not head.strip():
        return "The file is empty: there are no products in it."
    if head.startswith(b"PK\x03\x04"):
        if b"opendocument.spreadsheet" in head[:100]:
            return ("This looks like a LibreOffice spreadsheet (.ods); choose File > Save As > "
                    "Text CSV (UTF-8) and upload that.")
        if b"xl/" in head or suffix in {"xlsx", "xlsm"}:
            return f"This looks like an Excel workbook; in Excel {_SAVE_AS_CSV}."
        return "This is a zip archive, not a CSV file: unzip it and upload the CSV inside."
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return f"This looks like an Excel workbook (Excel 97-2003 .xls); in Excel {_SAVE_AS_CSV}."
    if head.startswith(b"\x1f\x8b"):
        return "This file is compressed (gzip): decompress it and upload the CSV inside."
    if head.startswith(b"%PDF"):
        return "This is a PDF document, not a CSV file: export the catalog as CSV and upload that."
    if not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and _is_binary(head):
        return ("This is a binary file, not a CSV text file. Export the catalog as CSV "
                "(comma- or semicolon-separated text) and upload that.")
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if start == b"<":
        return "This looks like a web page or an XML document, not a CSV file."
    if start in (b"{", b"["):
        return "This looks like JSON, not a CSV file: export the catalog as CSV and upload that."
    return None


def _is_binary(head: bytes) -> bool:
    if b"\x00" in head:
        return True
    controls = sum(head.count(bytes([c])) for c in (*range(1, 9), *range(14, 32)) if c != 27)
    return controls > len(head) // 100


def guess_encoding(head: bytes, at_eof: bool) -> str:
    """A codec name for the file, judged on its head: utf-8, utf-16, cp1252 or latin-1."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=at_eof)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        head.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:  # bytes cp1252 leaves undefined (0x81, 0x8D, ...)
        return "latin-1"


def mostly_utf8(data: bytes) -> bool:
    """Whether text that fails as UTF-8 is still UTF-8 but for a few stray bytes."""
    high = len(re.findall(rb"[\x80-\xff]", data))
    utf8 = len(re.findall(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}"
                          rb"|[\xf0-\xf4][\x80-\xbf]{3}", data))
    return utf8 > 0 and utf8 * 2 >= high - utf8  # more UTF-8 characters than strays


def sniff(head: bytes, encoding: str, at_eof: bool) -> Dialect:
    """The separator and header of a CSV text, judged on its first records."""
    text = head.decode(encoding, errors="replace").lstrip("\ufeff")
    if not at_eof and "\n" in text:
        text = text[: text.rindex("\n") + 1]  # whole lines only
    first_line, _, rest = text.partition("\n")
    skip_rows = 0
    if sep := _SEP_LINE.fullmatch(first_line):
        text, skip_rows = rest, 1
    records = {d: _records(text, d, complete=at_eof) for d in DELIMITERS}
    scores = {d: _consistency(rows) for d, rows in records.items()}
    delimiter = sep.group(1) if sep else max(DELIMITERS, key=scores.__getitem__)
    if not sep and scores[delimiter][1] < 2:
        delimiter = ","  # a single column: any separator reads it the same
    rows = records.get(delimiter) or _records(text, delimiter, complete=at_eof)
    return Dialect(
        delimiter=delimiter,
        header=rows[0] if rows else [],
        skip_rows=skip_rows,
        quoted_newlines=any("\n" in f or "\r" in f for row in rows for f in row),
        quoted='"' in text,
    )


def _records(text: str, delimiter: str, *, complete: bool) -> list[list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[str]] = []
    try:
        rows.extend(itertools.islice(reader, SNIFF_RECORDS + 1))
    except csv.Error:  # an unterminated quote where the sample was cut
        complete = False
    if not complete and len(rows) > 1 and len(rows) <= SNIFF_RECORDS:
        rows.pop()  # the sample may have cut the last record short
    return [row for row in rows if any(field.strip() for field in row)]


def _consistency(rows: list[list[str]]) -> tuple[float, int]:
    """(share of records as wide as the header, header width); width 1 scores nothing."""
    if not rows or len(rows[0]) < 2:
        return (0.0, 1)
    width = len(rows[0])
    body = rows[1:]
    share = sum(len(row) == width for row in body) / len(body) if body else 1.0
    return (share, width)
