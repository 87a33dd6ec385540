"""The rows packed for joining give exactly what taking each column gives, and a changed catalog packs its own."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from fashionai.catalog import join_ranking, load_catalog
from fashionai.catalog._rows import SAMPLE_ROWS, RowStore


def _frame(rows: int) -> pd.DataFrame:
    """Every kind of column a catalog's frame holds: text with few values and with many, with
    missing values; Int64, Float64 and boolean with NA; a plain numpy column."""
    index = np.arange(rows)
    return pd.DataFrame({
        "name": pd.array([f"Product {i}" if i % 7 else None for i in index], dtype="str"),
        "category": pd.array([["Vestidos", "Saias", None][i % 3] for i in index], dtype="str"),
        "stock": pd.array([None if i % 5 == 0 else int(i % 4) for i in index], dtype="Int64"),
        "price": pd.array([None if i % 6 == 0 else i + 0.9 for i in index], dtype="Float64"),
        "sale": pd.array([None if i % 4 == 0 else bool(i % 2) for i in index], dtype="boolean"),
        "weight": index.astype(np.float64) / 3,
    }, index=pd.Index([f"{i:05d}" for i in index], dtype="str"))


def _taken(products: pd.DataFrame, positions: np.ndarray) -> dict:
    return {name: products[name].array.take(positions, allow_fill=True) for name in products.columns}


@pytest.mark.parametrize("rows", [0, 1, 30, SAMPLE_ROWS + 50])
def test_packed_rows_take_what_each_column_takes(rows):
    products = _frame(rows)
    store = RowStore(products)
    rng = np.random.default_rng(rows)
    picks = [np.array([], dtype=np.int64), np.array([-1, -1])]
    if rows:
        picks += [np.array([rows - 1, -1, 0, 0, rows // 2]), rng.integers(-1, rows, 500)]
    for positions in picks:
        taken, expected = store.take(positions), _taken(products, positions)
        assert list(taken) == list(expected)
        for name, values in expected.items():
            pd.testing.assert_extension_array_equal(taken[name], values)


@pytest.mark.parametrize("rows", [30, SAMPLE_ROWS + 50])
def test_text_with_few_values_is_packed_and_text_with_many_is_not(rows):
    store = RowStore(_frame(rows))
    assert set(store._rows.dtype.names) >= {"category", "stock", "price", "sale"}
    assert "name" not in store._rows.dtype.names and "weight" not in store._rows.dtype.names
    assert store.nbytes >= store._rows.nbytes > 0


def test_a_join_reads_the_catalog_it_is_given_not_an_earlier_ones_rows(tmp_path):
    path = tmp_path / "catalog.csv"
    path.write_text("product_id,name,category,stock,price\n001,Saia,Saias,3,99.9\n002,Blusa,Blusas,0,\n")
    catalog = load_catalog(path)
    before = join_ranking(catalog, ["002", "001"])
    assert before["category"].tolist() == ["Blusas", "Saias"]
    assert catalog._rows is catalog._rows  # packed once, by the first join

    products = catalog.products.copy()
    products["category"] = pd.array(["Vestidos", None], dtype="str")
    products["stock"] = pd.array([None, 5], dtype="Int64")
    changed = dataclasses.replace(catalog, products=products)
    after = join_ranking(changed, ["002", "001"])
    assert after["category"].isna().tolist() == [True, False] and after["category"].iloc[1] == "Vestidos"
    assert after["stock"].isna().tolist() == [False, True] and after["stock"].iloc[0] == 5
    assert after["in_stock"].isna().tolist() == [False, True] and bool(after["in_stock"].iloc[0])
    assert join_ranking(catalog, ["002", "001"]).equals(before)  # the first catalog keeps its own rows
