"""Exports: formula-safe CSV that opens cleanly in a spreadsheet, exact JSON, for storefronts and comparisons."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timezone

import pandas as pd
import pytest

from fashionai.catalog import load_catalog
from fashionai.compare.export import comparison_export, comparison_tables
from fashionai.compare.replay import compare_snapshots
from fashionai.domain import Backend, EventType
from fashionai.history import Snapshot
from fashionai.output import exports, share
from fashionai.output.exports import COMMA, SEMICOLON, Export, neutralize, neutralize_frame, to_csv
from fashionai.storefront.export import look_export, storefront_export
from fashionai.storefront.preview import look_from_snapshot, storefront_from_snapshot
from tests.history_helpers import snap as history_snap

CSV = ("id,name,category,price,stock\n"
       'p1,"=HYPERLINK(""http://evil.test"",""click"")",dresses,100.5,5\n'
       "p2,Blue dress,dresses,120,0\n"
       "p3,-Green dress,dresses,90,2\n"
       "p4,Saia Ção,dresses,1299.9,9\n"
       "000814,@SUM(A1:A9),dresses,10,1\n")


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(CSV.encode())


def snap(**changes) -> Snapshot:
    """A snapshot whose session id a spreadsheet would run as a formula."""
    return history_snap(**({"id": "ab" * 16, "recorded_at": datetime(2026, 4, 17, 12, tzinfo=timezone.utc),
                            "session_id": "=cmd|' /C calc'!A0", "user_id": "90",
                            "products": ("p1", "000814", "p3", "zz"), "elapsed": 0.01} | changes))


def read_csv(data: bytes, delimiter: str = ",") -> list[list[str]]:
    """How a spreadsheet sees the file: BOM-stripped UTF-8, CSV rows of cells."""
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=delimiter))


# --------------------------------------------------------------------------- neutralisation


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_every_formula_start_is_neutralised(start):
    assert neutralize(start + "1+1") == "'" + start + "1+1"


# A spreadsheet skips leading blanks before it looks for a formula: " =1" runs as =1.
@pytest.mark.parametrize("value", [
    " =1+1",                            # a space
    "   @SUM(A1:A9)",                   # several spaces
    "\u00a0=HYPERLINK(\"http://x\")",    # a non-breaking space
    "\n=1+1",                           # a line break
    "\r\n+1",                           # CR LF
    " \t-1",                            # a space, then a tab
    "\u2003=1",                         # an em space
    "\u3000=1",                         # an ideographic space
    "\u202f=1",                         # a narrow no-break space
    "\u2028=1",                         # a line separator
    "\u200b=1",                         # a zero-width space
    "\ufeff=1",                         # a byte-order mark
    "\x0b\x0c=1",                       # vertical tab, form feed
    "\uff1d1+1",                        # a full-width equals sign
    " \uff0b1",                         # a space, then a full-width plus
])
def test_a_formula_after_leading_blanks_of_any_kind_is_neutralised(value):
    assert neutralize(value) == "'" + value


@pytest.mark.parametrize("value", ["dress", "000814", "'=already", "", "1+1", "a=b", " dress", "\u00a0", " 1=1",
                                   "\u00a0a-b", "\n\nline"])
def test_ordinary_text_is_left_alone(value):
    assert neutralize(value) == value


@pytest.mark.parametrize("value", [-3, -2.5, 0, True, None, pd.NA])
def test_numbers_and_missing_values_are_not_text_and_stay(value):
    assert neutralize(value) is value


def test_a_frame_is_neutralised_in_text_cells_and_headers_only():
    frame = pd.DataFrame({"name": pd.array(["=1+1", "ok", None], dtype="str"),
                          "delta": pd.array([-3, 2, None], dtype="Int64"),
                          "=lane": ["+x", "@y", "z"]})
    safe = neutralize_frame(frame)
    assert list(safe.columns) == ["name", "delta", "'=lane"]
    assert list(safe["name"][:2]) == ["'=1+1", "ok"] and pd.isna(safe["name"][2])
    assert list(safe["delta"][:2]) == [-3, 2]
    assert list(safe["'=lane"]) == ["'+x", "'@y", "z"]
    assert list(frame["name"][:1]) == ["=1+1"]  # the original is untouched


# --------------------------------------------------------------------------- CSV that opens cleanly


def test_a_csv_holds_no_cell_or_header_that_runs_after_its_leading_blanks():
    frame = pd.DataFrame({"\u00a0=lane": pd.array([" =1+1", "\n@SUM(A1)", "ok"], dtype="str")})
    rows = read_csv(to_csv(frame))
    assert rows == [["'\u00a0=lane"], ["' =1+1"], ["'\n@SUM(A1)"], ["ok"]]
    for cell in (cell for row in rows for cell in row):
        assert not exports._skip_blanks(cell).startswith(exports.FORMULA_SIGNS)



def test_csv_is_utf8_with_a_bom_and_crlf_lines_that_a_spreadsheet_reads_back():
    frame = pd.DataFrame({"name": ["Saia Ção", 'say "hi", ok', "two\nlines"], "price": [1299.9, -2.5, 3.0]})
    data = to_csv(frame)
    assert data.startswith(b"\xef\xbb\xbfname,price\r\n")
    rows = read_csv(data)
    assert len(rows) == 4
    assert rows[1] == ["Saia Ção", "1299.9"]
    assert rows[2] == ['say "hi", ok', "-2.5"]  # a negative number stays a number
    assert rows[3] == ["two\nlines", "3.0"]


def test_the_semicolon_dialect_uses_decimal_commas_for_excel_in_brazil():
    frame = pd.DataFrame({"name": ["Saia; longa"], "price": [1299.9]})
    rows = read_csv(to_csv(frame, dialect=SEMICOLON), delimiter=";")
    assert rows == [["name", "price"], ["Saia; longa", "1299,9"]]


def test_the_storefront_export_opens_cleanly_and_runs_no_formula(catalog):
    preview = storefront_from_snapshot(snap(), catalog)
    export = storefront_export(preview)
    rows = read_csv(export.csv())
    header, body = rows[0], rows[1:]
    assert header[:4] == ["rank", "product_id", "name", "category"]
    assert all(len(row) == len(header) for row in body)
    names = [row[header.index("name")] for row in body]
    assert names[0] == '\'=HYPERLINK("http://evil.test","click")'
    assert names[1] == "'@SUM(A1:A9)" and names[2] == "'-Green dress" and names[3] == ""
    assert [row[header.index("product_id")] for row in body] == ["p1", "000814", "p3", "zz"]
    for row in body:
        for cell in row:
            assert not cell.startswith(exports.FORMULA_STARTS)
    assert export.file_name() == "storefront-dresses-cmd-c-calc-a0.csv"


def test_the_storefront_json_keeps_values_exact_with_their_context(catalog):
    preview = storefront_from_snapshot(snap(), catalog)
    payload = json.loads(storefront_export(preview).json(
        exported_at=datetime(2026, 4, 18, tzinfo=timezone.utc)))
    assert payload["exported_at"] == "2026-04-18T00:00:00Z"
    assert payload["kind"] == "storefront" and payload["category"] == "dresses"
    assert payload["session_id"] == "=cmd|' /C calc'!A0" and payload["snapshot_id"] == "ab" * 16
    first = payload["products"][0]
    assert first["name"] == '=HYPERLINK("http://evil.test","click")'  # exact: JSON is read by programs
    assert first["rank"] == 1 and first["price"] == 100.5 and first["in_catalog"] is True
    unknown = payload["products"][3]
    assert unknown["product_id"] == "zz" and unknown["name"] is None and unknown["in_stock"] is None


def test_a_look_export_lists_the_pieces(catalog):
    look = look_from_snapshot(snap(event_type="shopTheLook", item_id="p2", products=("p1", "p4")), catalog)
    export = look_export(look)
    assert [row[1] for row in read_csv(export.csv())[1:]] == ["p1", "p4"]
    meta = json.loads(export.json())
    assert meta["main_product_id"] == "p2" and meta["button_visible"] is True


# --------------------------------------------------------------------------- image addresses


@pytest.mark.parametrize(("value", "written"), [
    ("https://img.test/p1.jpg", "https://img.test/p1.jpg"),
    ("http://img.test/p1.jpg", "http://img.test/p1.jpg"),
    ("//cdn.test/p1.jpg", "https://cdn.test/p1.jpg"),
    ("data:image/svg+xml;base64," + "A" * 5000, exports.EMBEDDED_IMAGE),
    ("DATA:image/png;base64,AAAA", exports.EMBEDDED_IMAGE),
    ("data:text/html,<script>", exports.EMBEDDED_IMAGE),
    ("javascript:alert(1)", ""),
    ("/etc/passwd", ""),
    ("", ""),
    (None, ""),
])
def test_a_csv_holds_web_image_addresses_only(value, written):
    frame = pd.DataFrame({"product_id": pd.array(["p1"], dtype="str"), "image_url": pd.array([value], dtype="str")})
    assert read_csv(to_csv(frame))[1] == ["p1", written]


def test_the_bundled_samples_storefront_csv_carries_no_embedded_image_strings():
    from fashionai.catalog.sample import generate_catalog

    sample = load_catalog(generate_catalog(40).to_csv(index=False).encode())
    assert sample.products["image_url"].str.startswith("data:").all()  # the sample embeds its pictures
    category = sample.categories[0]
    preview = storefront_from_snapshot(snap(item_id=category, products=tuple(sample.category_ids(category))), sample)
    export = storefront_export(preview)
    data = export.csv()
    assert b"data:" not in data and len(data) < 10_000
    rows = read_csv(data)
    images = {row[rows[0].index("image_url")] for row in rows[1:]}
    assert images == {exports.EMBEDDED_IMAGE}
    first = json.loads(export.json())["products"][0]["image_url"]
    assert first.startswith("data:image/")  # JSON keeps every value exactly


# --------------------------------------------------------------------------- comparisons


@pytest.fixture
def comparison(catalog):
    yesterday = snap(id="a" * 32, session_id="sess-1", products=("p1", "p2", "p3"))
    today = snap(id="b" * 32, session_id="sess-1", products=("p3", "p1", "000814"),
                 recorded_at=datetime(2026, 4, 18, 12, tzinfo=timezone.utc))
    return compare_snapshots([yesterday, today], catalog, k=3, p=0.9)


def test_a_comparison_exports_ranks_per_lane_changes_and_measures(comparison):
    reference, other = comparison.labels
    tables = comparison_tables(comparison, reference)
    ranks = tables["ranks"]
    assert list(ranks.columns) == ["product_id", "name", f"rank: {reference}", f"rank: {other}", f"change: {other}"]
    by_id = ranks.set_index("product_id")
    assert by_id.loc["p3", f"rank: {reference}"] == 3 and by_id.loc["p3", f"rank: {other}"] == 1
    assert by_id.loc["p3", f"change: {other}"] == "up 2"
    assert by_id.loc["000814", f"change: {other}"] == "new in the top 3, not in the reference"
    assert by_id.loc["p2", f"change: {other}"] == "dropped from the top 3, not returned"
    assert pd.isna(by_id.loc["p2", f"rank: {other}"])
    measures = tables["measures"]
    assert list(measures.columns) == ["lane", "compared with", "rbo (p=0.9)", "overlap@3", "jaccard@3", "kendall tau"]
    assert measures.loc[0, "overlap@3"] == pytest.approx(2 / 3)


def test_a_comparison_csv_opens_cleanly_and_its_json_says_where_each_lane_came_from(comparison):
    reference = comparison.labels[0]
    export = comparison_export(comparison, reference)
    ranks = read_csv(export.csv("ranks"))
    assert all(len(row) == len(ranks[0]) for row in ranks)
    assert ranks[1][1] == "'=HYPERLINK(\"http://evil.test\",\"click\")"
    measures = read_csv(export.csv("measures"))
    assert measures[0][:2] == ["lane", "compared with"] and len(measures) == 2
    assert export.file_name("measures") == "comparison-dresses-measures.csv"
    payload = json.loads(export.json())
    assert payload["reference"] == reference and payload["k"] == 3
    assert [lane["snapshot_id"] for lane in payload["lanes"]] == ["a" * 32, "b" * 32]
    assert set(payload) >= {"ranks", "measures", "lanes"}


def test_an_unknown_reference_is_refused(comparison):
    with pytest.raises(ValueError, match="no ranking"):
        comparison_tables(comparison, "nobody")


# --------------------------------------------------------------------------- small things


@pytest.mark.parametrize("parts, expected", [
    (("storefront", "Vestidos de Festa", "sess 1"), "storefront-vestidos-de-festa-sess-1"),
    (("look", "../../etc/passwd"), "look-etc-passwd"),
    (("", None), "export"),
    (("x" * 200,), "x" * 80),
])
def test_file_names_are_safe(parts, expected):
    assert exports.slug(*parts) == expected


def test_an_export_has_no_token_field_and_share_knows_the_history_events():
    assert not any("token" in key for key in json.loads(Export("x", {"t": pd.DataFrame({"a": [1]})}).json()))
    for event in EventType:  # every event the history records, a link to its filter carries
        for backend in Backend:
            view = share.HistoryView(event=event, backend=backend)
            decoded = share.decode("history", share.encode(view))
            assert decoded.view == view and not decoded.problems
    assert COMMA in exports.DIALECTS and SEMICOLON in exports.DIALECTS


def test_the_storefront_export_has_a_column_of_dashboard_filter_breaches_when_one_is_set(catalog):
    from fashionai.filters import DashboardFilters, check_filters
    from fashionai.storefront.export import FILTER_COLUMN

    preview = storefront_from_snapshot(snap(), catalog)
    assert FILTER_COLUMN not in storefront_export(preview).tables["products"].columns
    check = check_filters(catalog, EventType.CATEGORY_VIEW, preview.products["product_id"],
                          DashboardFilters(low_stock_limit=2))
    table = storefront_export(preview, breaches=check.breaches).tables["products"]
    assert table[FILTER_COLUMN].tolist() == ["", "at or below the low-stock limit (1 ≤ 2)",
                                             "at or below the low-stock limit (2 ≤ 2)", ""]
