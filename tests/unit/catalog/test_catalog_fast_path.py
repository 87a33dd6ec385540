"""The loader's fast path: the reader makes `string` columns (less to hold while parsing), the frame
holds `large_string`; the columns' conversions start before the ids are checked only when the
ids as parsed are already what the checks would make of them."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pytest

from fashionai.catalog import load_catalog
from fashionai.catalog._frame import (
    _ARROW_TO_PANDAS,
    _drop_rows_without_id,
    _in_pandas,
    _keeps_every_row,
    _masked_array,
    _one_chunk,
)
from fashionai.catalog.model import MAX_ID_CHARS

IDS = ["A1", "0001", "x" * MAX_ID_CHARS, "x" * (MAX_ID_CHARS + 1), "é" * MAX_ID_CHARS, " A2", "A3 ",
       "A4\t", "\u00a0A5", "A6\u00a0", "é7", "8é", "", None, "   "]


def _chunked(values: list[str | None], *, sliced: bool) -> pa.ChunkedArray:
    """`values` in two chunks of `string`, as the reader makes them; `sliced`: the first chunk
    starts one row in (the header row taken off)."""
    first = pa.array(["header", *values[:1]] if sliced else values[:1], pa.string())
    return pa.chunked_array([first.slice(1) if sliced else first, pa.array(values[1:], pa.string())])


@pytest.mark.parametrize("sliced", [False, True])
@pytest.mark.parametrize("value", IDS)
def test_the_fast_path_is_taken_only_where_the_checks_would_change_nothing(value, sliced):
    ids = _chunked(["B1", value, "B2"], sliced=sliced)
    data = {"id": ids, "name": _chunked(["n1", "n2", "n3"], sliced=sliced)}
    checked, skipped, long_ids = _drop_rows_without_id(dict(data), "id", [])
    unchanged = (skipped, long_ids, len(checked)) == (0, 0, 3) and checked.equals(_one_chunk(ids))
    if _keeps_every_row(ids):
        assert unchanged, value
    else:  # the careful path; only these values need it
        assert value is None or value != value.strip() or not value or len(value.encode()) > MAX_ID_CHARS \
            or not value.isascii()


def test_plain_ids_take_the_fast_path():
    assert _keeps_every_row(_chunked(["A1", "0001", "x" * MAX_ID_CHARS], sliced=True))
    assert _keeps_every_row(pa.chunked_array([], pa.string()))


def test_an_id_of_max_id_chars_characters_of_two_bytes_each_is_kept():
    """Its bytes are over the limit, its characters are not: the byte lengths only rule out long ids."""
    longest = "é" * MAX_ID_CHARS
    catalog = load_catalog(f"product_id,name\n{longest},a\nB1,b\n".encode())
    assert list(catalog.products.index) == [longest, "B1"] and catalog.long_ids == 0


def test_text_reaches_the_frame_as_large_string_from_the_fast_and_the_careful_path():
    fast = load_catalog(b"product_id,name,category\nA1,a,x\nA2,b,y\n")
    careful = load_catalog(b"product_id,name,category\n A1 ,a,x\n,b,y\nA2,c,z\n")
    assert careful.skipped_rows == 1 and list(careful.products.index) == ["A1", "A2"]
    for catalog in (fast, careful):
        assert catalog.products.index.array._pa_array.type == pa.large_string()
        assert catalog._lookup.ids.type == pa.large_string()
        for name in ("name", "category"):
            assert catalog.products[name].array._pa_array.type == pa.large_string()
            assert catalog.products[name].array._pa_array.num_chunks == 1


@pytest.mark.parametrize("chunks", [
    [[1.5, None, -2.0], [None], [], [3.0]],  # nulls, a chunk of nulls only, an empty chunk
    [[None, None]],
    [],
])
@pytest.mark.parametrize("kind", [pa.float64(), pa.int64()])
def test_numbers_reach_pandas_in_one_copy_as_arrow_would_make_them(chunks, kind):
    values = pa.chunked_array([pa.array(chunk, kind) for chunk in chunks], kind)
    expected = pa.table({"x": values}).to_pandas(types_mapper=_ARROW_TO_PANDAS)["x"].array
    whole = values.combine_chunks()
    for given, wanted in ((values, expected), (whole, expected), (whole.slice(1), expected[1:])):
        made = _masked_array(given)
        pd.testing.assert_extension_array_equal(made, wanted)
        assert (made._data[made._mask] == 0).all()  # what lies under the mask is 0, not left-over memory


def test_numbers_from_a_file_with_blanks_across_many_blocks():
    rows = [f"P{i},{'' if i % 7 == 0 else i / 4},{'' if i % 5 == 0 else i}" for i in range(60_000)]
    catalog = load_catalog(("product_id,price,stock\n" + "\n".join(rows)).encode())
    prices, stock = catalog.products["price"], catalog.products["stock"]
    assert str(prices.dtype) == "Float64" and str(stock.dtype) == "Int64"
    assert prices.isna().sum() == len(range(0, 60_000, 7)) and stock.isna().sum() == len(range(0, 60_000, 5))
    assert prices.iloc[1] == 0.25 and stock.iloc[59_999] == 59_999 and pd.isna(prices.iloc[7])


@pytest.mark.parametrize("values", [
    pa.array(["a", None, "é"], pa.large_string()),
    pa.nulls(3, pa.large_string()),  # a column the file lacks: text, not object
    pa.array([], pa.large_string()),
])
def test_text_reaches_pandas_as_a_tables_to_pandas_makes_it(values):
    expected = pa.table({"x": values}).to_pandas(types_mapper=_ARROW_TO_PANDAS)["x"].array
    made, _, _ = _in_pandas(lambda given, _column: (given, [], None), values, "x")
    assert made.dtype == expected.dtype and type(made) is type(expected)
    pd.testing.assert_extension_array_equal(made, expected)


def test_the_id_index_is_what_to_pandas_makes_of_the_ids():
    for catalog in (load_catalog(b"product_id,name\nA1,a\nA2,b\n"), load_catalog(b"product_id,name\n A1 ,a\n,b\nA1,c\n")):
        expected = pd.Index(catalog._lookup.ids.to_pandas(), name="product_id")
        pd.testing.assert_index_equal(catalog.products.index, expected, exact=True)
        assert str(catalog.products.index.dtype) == "str"
