"""Exports: the storefront table and a comparison, as CSV for spreadsheets and JSON for programs.

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
from typing import TYPE_CHECKING, Any

import pandas as pd

from fashionai.catalog.stock import UNKNOWN_IN_STOCK_DEFAULT
from fashionai.compare.compared import Comparison
from fashionai.storefront.preview import LookPreview, StorefrontPreview
from fashionai.text.formatting import is_missing, safe_image_url

if TYPE_CHECKING:  # only its attributes are read
    from fashionai.storefront.search_view import SearchPreview

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


def neutralize(value: Any) -> Any:
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


def image_address(value: Any) -> Any:
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


def slug(*parts: Any, limit: int = 80) -> str:
    """A file-name-safe stem: ``storefront-vestidos-de-festa-sess-1``."""
    text = "-".join(str(part) for part in parts if part not in (None, ""))
    text = re.sub(r"[^0-9A-Za-z]+", "-", text.encode("ascii", "ignore").decode()).strip("-").lower()
    return text[:limit].rstrip("-") or "export"


def product_table(frame: pd.DataFrame) -> pd.DataFrame:
    """A joined ranking (`catalog.join_ranking`) with its columns in a reader's order."""
    leading = [c for c in PRODUCT_COLUMNS if c in frame.columns]
    return frame[leading + [c for c in frame.columns if c not in leading]].reset_index(drop=True)


def storefront_export(preview: StorefrontPreview, shown: pd.DataFrame | None = None) -> Export:
    """The storefront as shown (``shown``: after hiding out-of-stock products, if that was on)."""
    frame = preview.products if shown is None else shown
    meta = {
        "kind": "storefront",
        "category": preview.category_id,
        "session_id": preview.session_id,
        "user_id": preview.user_id,
        "order": preview.source,
        "returned_by_fashionai": preview.returned,
        "snapshot_id": preview.recommendation.exchange_id,
    }
    return Export(slug("storefront", preview.category_id, preview.session_id), {"products": product_table(frame)},
                  meta)


def search_export(preview: SearchPreview, shown: pd.DataFrame | None = None) -> Export:
    """A page of a search as shown (`shown`: the page of the store's text match on screen, when it stands in)."""
    answer = preview.answer
    meta = {
        "kind": "search",
        "query": preview.query,
        "page": answer.page,
        "total_items": answer.total_items,
        "total_pages": answer.total_pages,
        "session_id": preview.session_id,
        "user_id": preview.user_id,
        "order": preview.source,
        "snapshot_id": answer.exchange_id,
    }
    frame = preview.products if shown is None else shown
    return Export(slug("search", preview.query, f"p{answer.page}", preview.session_id),
                  {"products": product_table(frame)}, meta)


def look_export(look: LookPreview, pieces: pd.DataFrame | None = None, *,
                unknown_in_stock: bool = UNKNOWN_IN_STOCK_DEFAULT) -> Export:
    """Shop the look: the pieces suggested for one main piece, with their stock, and whether the button would
    show (unknown stock counting as in stock only with `unknown_in_stock`, the setting)."""
    frame = look.look if pieces is None else pieces
    meta = {
        "kind": "shop_the_look",
        "main_product_id": look.product_id,
        "session_id": look.session_id,
        "user_id": look.user_id,
        "button_visible": look.button_visible(unknown_in_stock=unknown_in_stock),
        "unknown_stock_counts_as": "in stock" if unknown_in_stock else "out of stock",
        "snapshot_id": look.recommendation.exchange_id,
    }
    return Export(slug("look", look.product_id, look.session_id), {"pieces": product_table(frame)}, meta)


def comparison_tables(comparison: Comparison, reference: str) -> dict[str, pd.DataFrame]:
    """The comparison's ranks per lane with the changes against `reference`, and its measures.

    ``ranks``: one row a product in any lane's top K (the bump chart's products), its
    name, its rank in every lane's full list (blank where absent) and, for every other
    lane, how it moved from the reference ("up 3", "new in the top 10", ...).
    ``measures``: every pair of lanes with RBO, overlap@K, Jaccard@K and Kendall's tau.
    """
    rankings = comparison.rankings
    if reference not in rankings:
        raise ValueError(f"the reference lane {reference!r} has no ranking to compare with")
    k = comparison.k
    ids = list(dict.fromkeys(comparison.rank_long["product_id"]))
    names = comparison.products["name"] if "name" in comparison.products.columns else pd.Series(dtype="str")
    table = pd.DataFrame({"product_id": pd.array(ids, dtype="str"),
                          "name": pd.array([_name(names.get(pid), pid) for pid in ids], dtype="str")})
    long = comparison.rank_long  # one row per product and lane, products in the order of `ids`
    for label in rankings:
        table[f"rank: {label}"] = long.loc[long["lane"] == label, "rank"].array
    for label in rankings:
        if label == reference:
            continue
        changes = comparison.changes(reference, label).set_index("product_id")["movement"]
        table[f"change: {label}"] = pd.array([changes.get(pid, "") for pid in ids], dtype="str")
    measures = comparison.pairwise.rename(columns={
        "lane_a": "lane", "lane_b": "compared with", "rbo": f"rbo (p={comparison.p:g})",
        "overlap_at_k": f"overlap@{k}", "jaccard_at_k": f"jaccard@{k}", "kendall_tau": "kendall tau",
    })
    return {"ranks": table, "measures": measures.reset_index(drop=True)}


def comparison_export(comparison: Comparison, reference: str) -> Export:
    """A comparison's ranks, changes and measures, with each lane's origin (kind, session, snapshot)."""
    lanes = [{
        "label": lane.label,
        "kind": lane.spec.kind,
        "session_id": lane.session_id or lane.spec.session_id,
        "user_id": lane.spec.user_id,
        "source": lane.source,
        "ok": lane.ok,
        "snapshot_id": lane.recommendation.exchange_id if lane.recommendation is not None else None,
    } for lane in comparison.lanes]
    meta = {"kind": "comparison", "category": comparison.category, "k": comparison.k, "p": comparison.p,
            "reference": reference, "lanes": lanes}
    return Export(slug("comparison", comparison.category), comparison_tables(comparison, reference), meta)


def _name(name: Any, product_id: str) -> str:
    if name is None or (not isinstance(name, str) and pd.isna(name)) or not str(name).strip():
        return f"Unknown product {product_id}"
    return str(name)
