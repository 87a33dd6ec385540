"""Exports: a page's tables as CSV for spreadsheets and JSON for programs (each room makes its own `Export`:
the storefront's and the look's in storefront/export.py, a comparison's in compare/export.py).

    export = storefront_export(preview, shown)
    export.csv()            # bytes: UTF-8 with BOM, comma-separated, formula-safe
    export.csv(dialect=SEMICOLON)   # ; and decimal commas, as Excel in Brazil expects
    export.json()           # str: what, when, for whom, and the rows

CSV is made to open cleanly in Excel, LibreOffice and Google Sheets: UTF-8 with a
byte-order mark (so accents survive a double-click in Excel), CRLF line ends, and
every text cell or header that a spreadsheet would run as a formula (it starts with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return, or with one of those first four,
or their full-width forms, after invisible leading characters: spaces of any Unicode kind,
line breaks, zero-width and other format characters, control characters) prefixed with an
apostrophe, as OWASP advises against CSV injection. Numbers stay numbers. Image addresses are kept
only when they are web addresses: an image embedded in the catalog (a ``data:`` URI, as
in the bundled sample) is written "(embedded image)", anything else left blank.

JSON keeps every value exactly (a program reads it, not a spreadsheet), with the
context a reader needs: which page, category, session, user, K, the snapshot ids.

Nothing here sees a request header, so no export can hold the token.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import pandas as pd

from fashionai.text.formatting import is_missing, safe_image_url

EMBEDDED_IMAGE = "(embedded image)"
"""What a CSV says instead of an image embedded in the catalog as a data: URI."""
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMULA_SIGNS = ("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20")
"""What starts a formula once a spreadsheet has skipped the leading blanks (with full-width forms)."""
_INVISIBLE = {"Zs", "Zl", "Zp", "Cc", "Cf"}  # spaces, line and paragraph separators, controls, format characters
COMMA, SEMICOLON = "comma", "semicolon"
DIALECTS = {COMMA: (",", "."), SEMICOLON: (";", ",")}
"""CSV dialects: separator and decimal mark."""

PRODUCT_COLUMNS = ["rank", "product_id", "name", "category", "price", "stock", "in_stock", "in_catalog",
                   "brand", "color", "style", "image_url"]
"""The storefront table's leading columns, in order; any other catalog columns follow."""


def neutralize(value: object) -> object:
    """A text that a spreadsheet would run as a formula, made inert with a leading apostrophe.

    Read as a spreadsheet reads it: leading blanks of any kind (" =1", a non-breaking
    space, a line break, a zero-width space) do not stop ``=1`` from being a formula.
    """
    if isinstance(value, str) and (value.startswith(FORMULA_STARTS) or _skip_blanks(value).startswith(FORMULA_SIGNS)):
        return "'" + value
    return value


def _skip_blanks(text: str) -> str:
    """The text after its leading whitespace and invisible characters (of any Unicode kind)."""
    for position, char in enumerate(text):
        if not (char.isspace() or unicodedata.category(char) in _INVISIBLE):
            return text[position:]
    return ""


def neutralize_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with every text cell and column name neutralized; numbers, booleans and NA untouched."""
    safe = frame.copy()
    for column in safe.columns:
        series = safe[column]
        if pd.api.types.is_string_dtype(series.dtype) or series.dtype == object:
            safe[column] = series.map(neutralize, na_action="ignore")
    safe.columns = [neutralize(str(column)) for column in safe.columns]
    return safe


def image_address(value: object) -> object:
    """An image address as a spreadsheet should hold it: an http(s) URL as it is (a
    protocol-relative one made https), ``EMBEDDED_IMAGE`` for an image embedded in the
    catalog (a ``data:`` URI, often kilobytes of base64), and blank for anything else."""
    if is_missing(value):
        return value
    url = safe_image_url(value)
    if url.lower().startswith(("http://", "https://")):
        return url
    return EMBEDDED_IMAGE if str(value).strip().lower().startswith("data:") else pd.NA


def to_csv(frame: pd.DataFrame, *, dialect: str = COMMA) -> bytes:
    """The frame as spreadsheet-safe CSV bytes (UTF-8 with BOM, CRLF), without its index.

    An ``image_url`` column holds web addresses only (`image_address`)."""
    separator, decimal = DIALECTS[dialect]
    if "image_url" in frame.columns:
        frame = frame.assign(image_url=frame["image_url"].map(image_address).astype("str"))
    text = neutralize_frame(frame).to_csv(index=False, sep=separator, decimal=decimal, lineterminator="\r\n",
                                          date_format="%Y-%m-%dT%H:%M:%SZ")
    return ("\ufeff" + text).encode("utf-8")


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The frame's rows as JSON-ready dicts: NA becomes null, times ISO 8601, values exact."""
    return json.loads(frame.to_json(orient="records", date_format="iso", force_ascii=False, double_precision=15))


@dataclass(frozen=True)
class Export:
    """Tables to download, and what they are: one CSV a table, one JSON with everything."""

    name: str  # file name stem: "storefront-dresses-sess-1"
    tables: Mapping[str, pd.DataFrame] = field(repr=False)  # the first is the main table
    meta: Mapping[str, Any] = field(default_factory=dict)

    def csv(self, table: str | None = None, *, dialect: str = COMMA) -> bytes:
        return to_csv(self.tables[table or next(iter(self.tables))], dialect=dialect)

    def json(self, *, exported_at: datetime | None = None) -> str:
        moment = (exported_at or datetime.now(timezone.utc)).astimezone(timezone.utc)
        payload = {"exported_at": moment.isoformat(timespec="seconds").replace("+00:00", "Z"), **self.meta}
        payload |= {name: records(frame) for name, frame in self.tables.items()}
        return json.dumps(payload, ensure_ascii=False, indent=1) + "\n"

    def file_name(self, table: str | None = None, extension: str = "csv") -> str:
        suffix = f"-{slug(table)}" if table and table != next(iter(self.tables)) else ""
        return f"{self.name}{suffix}.{extension}"


def slug(*parts: object, limit: int = 80) -> str:
    """A file-name-safe stem: ``storefront-vestidos-de-festa-sess-1``."""
    text = "-".join(str(part) for part in parts if part not in (None, ""))
    text = re.sub(r"[^0-9A-Za-z]+", "-", text.encode("ascii", "ignore").decode()).strip("-").lower()
    return text[:limit].rstrip("-") or "export"


def product_table(frame: pd.DataFrame) -> pd.DataFrame:
    """A joined ranking (`catalog.join_ranking`) with its columns in a reader's order."""
    leading = [c for c in PRODUCT_COLUMNS if c in frame.columns]
    return frame[leading + [c for c in frame.columns if c not in leading]].reset_index(drop=True)
