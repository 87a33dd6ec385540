"""Stock too large to be real, and negative stock: in the products file and in an extra stock file.

A quantity beyond MAX_STOCK (``10000000000000000000`` overflowed int64 and crashed the loader with
pyarrow's words) is unreadable for its rows, and the warning says how many and which value; a
negative quantity is kept, counted as out of stock, and said so.
"""

from __future__ import annotations

import pyarrow as pa
import pytest

from fashionai.catalog import load_catalog
from fashionai.catalog._values import MAX_STOCK, parse_stock
from fashionai.catalog.extras import join_extras, read_extra
from fashionai.catalog.report import STOCK_BUCKETS, STOCK_HELP

HUGE = "10000000000000000000"  # 2^63 is 9223372036854775808


def _stock(*texts: str | None):
    return parse_stock(pa.chunked_array([pa.array(texts, pa.large_string())]))


@pytest.mark.parametrize("texts", [
    [HUGE, "3", None],  # past int64
    ["9223372036854775807", "3", None],  # int64's largest: no real stock either
    [f"{MAX_STOCK + 1}", "3", None],
    [f"-{HUGE}", "3", None],
    ["1.000.000.000.000", "3", None],  # through the slow path (Brazilian thousands)
    [HUGE, "yes", None],  # words and quantities mixed
])
def test_a_stock_beyond_the_limit_is_unreadable_for_its_row(texts):
    parsed = _stock(*texts)
    expected = [None, 1 if texts[1] == "yes" else 3, None]
    assert parsed.values.to_pylist() == expected
    assert (parsed.unreadable, parsed.too_large, parsed.examples) == (1, 1, [texts[0]])


def test_a_stock_of_exactly_the_limit_is_a_quantity():
    parsed = _stock(str(MAX_STOCK), f"-{MAX_STOCK}")
    assert parsed.values.to_pylist() == [MAX_STOCK, -MAX_STOCK] and parsed.unreadable == 0


def test_negative_stock_is_kept_and_counted():
    parsed = _stock("-5", "3", "-2,5", "-0", None)
    assert parsed.values.to_pylist() == [-5, 3, -2, 0, None]
    assert (parsed.negative, parsed.negative_examples) == (2, ["-5", "-2,5"])


def test_the_catalog_loads_a_huge_stock_as_unknown_and_says_so():
    catalog = load_catalog(f"id,name,stock\nA1,scarf,{HUGE}\nA2,hat,4\nA3,belt,{HUGE}\n".encode())

    assert catalog.products["stock"].isna().tolist() == [True, False, True]
    warning = next(w for w in catalog.warnings if "could not be read" in w)
    assert warning == (f"2 stock values in column 'stock' could not be read (e.g. '{HUGE}'): 2 are quantities "
                       f"beyond {MAX_STOCK:,} units, too large to be a real stock; those products count as "
                       "unknown stock.")
    assert catalog.health().stock["unknown"] == 2


def test_the_catalog_counts_negative_stock_as_out_of_stock_and_says_so():
    catalog = load_catalog(b"id,name,stock\nA1,scarf,-3\nA2,hat,4\nA3,belt,0\n")

    assert catalog.products["stock"].tolist() == [-3, 4, 0]
    assert "1 stock quantity is negative in column 'stock' (e.g. '-3'); it counts as out of stock (no units)." \
        in catalog.warnings
    health = catalog.health()
    assert health.stock["out"] == 2 and health.stock["unknown"] == 0
    assert any("negative" in w for w in health.warnings)  # the health report says it
    assert "negative" in STOCK_HELP[STOCK_BUCKETS["out"]]


def test_an_extra_stock_file_skips_a_huge_stock_and_reports_negative_stock():
    catalog = load_catalog(b"id,name,stock\nA1,scarf,1\nA2,hat,1\nA3,belt,1\n")
    extra = read_extra(f"id,stock\nA1,{HUGE}\nA2,-2\nA3,7\n".encode(), name="stock.csv")

    assert extra.ids.to_pylist() == ["A2", "A3"] and extra.values.to_pylist() == [-2, 7]
    assert extra.skipped_no_value == 1
    joined = join_extras(catalog, [extra])
    assert joined.catalog.products["stock"].tolist() == [1, -2, 7]  # A1 keeps the catalog's own
    said = joined.reports[0].sentences()
    assert any(f"could not be read (e.g. '{HUGE}'): 1 is a quantity beyond {MAX_STOCK:,} units" in s for s in said)
    assert "1 stock quantity is negative in column 'stock' (e.g. '-2'); it counts as out of stock (no units)." \
        in said
