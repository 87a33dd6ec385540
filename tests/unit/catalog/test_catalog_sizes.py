"""Stock per size: an extra file of (product id, size, stock) rows, detected from its columns and kept as one
value a product (fashionai.catalog.sizes, the "sizes" kind of fashionai.catalog.extras); and a sale price column."""

from __future__ import annotations

import pytest

from fashionai.catalog import CatalogError, load_catalog
from fashionai.catalog.extras import ExtraMapping, join_extras, read_extra
from fashionai.catalog.sizes import SIZE_STOCK, sizes_of

PRODUCTS = ("id,name,category,price,sale price,stock\n"
            "0042,Linen Shirt,Shirts,199.90,149.90,10\n"
            "0043,Straw Hat,Hats,89.90,,4\n"
            "0044,Denim Jacket,Jackets,320.00,320.00,0\n")
SIZES = ("sku,tamanho,estoque\n"
         "0042,P,3\n"
         "0042,M,0\n"
         "0042,G,5\n"
         "0043,U,4\n"
         "0042,M,7\n"
         "9999,P,1\n"
         "0044,P,\n")


@pytest.fixture(scope="module")
def products():
    return load_catalog(PRODUCTS.encode(), name="products.csv")


def test_a_sale_price_column_is_read_as_a_price_beside_the_price(products):
    assert products.mapping["price"] == "price" and products.mapping["sale_price"] == "sale price"
    assert products.products["sale_price"].tolist()[:1] == [149.90]
    assert products.products["sale_price"].isna()["0043"]


def test_a_file_of_ids_sizes_and_stock_is_detected_as_stock_per_size():
    extra = read_extra(SIZES.encode(), name="sizes.csv")
    assert extra.kind.key == "sizes"
    assert extra.mapping == ExtraMapping("sizes", "sku", "estoque", False, "tamanho")
    assert extra.repeated == 1 and extra.repeated_examples == ["0042"]  # 0042's M twice: the first kept
    assert extra.skipped_no_value == 1  # 0044's P has no stock


def test_stock_per_size_is_joined_as_one_value_a_product_in_the_files_order(products):
    joined = join_extras(products, [read_extra(SIZES.encode(), name="sizes.csv")])
    column = joined.catalog.products[SIZE_STOCK]
    assert sizes_of(column["0042"]) == {"P": 3, "M": 0, "G": 5}
    assert list(sizes_of(column["0042"])) == ["P", "M", "G"]
    assert sizes_of(column["0043"]) == {"U": 4}
    assert sizes_of(column["0044"]) is None  # the file has no readable row of it
    report = joined.reports[0]
    assert (report.matched, report.unknown) == (2, 1)
    assert "1 row repeats an id and size already seen (e.g. '0042')" in " ".join(report.sentences())


def test_a_sizes_file_without_a_size_column_is_refused_in_words():
    with pytest.raises(CatalogError, match="column that holds the sizes"):
        read_extra(b"sku,estoque\n0042,3\n", name="s.csv", mapping=ExtraMapping(kind="sizes"))


def test_sizes_of_a_product_without_them_is_none():
    assert sizes_of(None) is None and sizes_of(float("nan")) is None and sizes_of("not json") is None
