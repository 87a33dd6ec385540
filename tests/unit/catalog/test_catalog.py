"""Loading catalog files as stores export them, and joining rankings against them."""

from __future__ import annotations

import dataclasses
import io

import numpy as np
import pandas as pd
import pytest

from fashionai.catalog import FIELDS, Catalog, CatalogError, join_ranking, load_catalog
from tests import CORPUS
from tests.corpus.make_corpus import FILES


def corpus(name: str, **kwargs) -> Catalog:
    return load_catalog(CORPUS / name, **kwargs)


def products(index: list[str], **columns) -> pd.DataFrame:
    """A literal products frame: text columns as str, stock Int64, price Float64."""
    dtypes = {"stock": "Int64", "price": "Float64"}
    return pd.DataFrame(
        {name: pd.array(values, dtype=dtypes.get(name, "str")) for name, values in columns.items()},
        index=pd.Index(index, dtype="str", name="product_id"),
    )


def test_corpus_files_are_what_the_generator_writes():
    on_disk = {p.name: p.read_bytes() for p in CORPUS.iterdir() if p.is_file() and p.suffix != ".py"}  # no __pycache__
    assert on_disk == FILES


def test_plain_file():
    catalog = corpus("plain.csv")
    expected = products(
        ["0001", "0002", "0003", "0004"],
        name=["Slim Jeans", "Linen Shirt", "Silk Dress", "Denim Jacket"],
        category=["Jeans", "Shirts", "Dresses", "Jeans"],
        stock=[5, 0, 2, None],
        price=[129.9, 89.5, 499.0, 259.0],
        image_url=[f"https://img.example/000{i}.jpg" for i in range(1, 5)],
        brand=["Acme", "Acme", "Bella", "Acme"],
        color=["Blue", "White", "Red", "Blue"],
        style=["Casual", "Casual", "Party", "Casual"],
    )
    pd.testing.assert_frame_equal(catalog.products, expected)
    assert catalog.warnings == []
    assert (catalog.encoding, catalog.delimiter, catalog.source_name) == ("utf-8", ",", "plain.csv")
    assert catalog.source_columns == [
        "product_id", "name", "category", "color", "style", "brand", "price", "stock", "image_url"]


def test_brazilian_excel_export():
    catalog = corpus("br_cp1252_semicolon.csv")
    expected = products(
        ["001", "002", "003", "004"],
        name=["Calça Jeans Azul", "Vestido Longo Estampado", "Camiseta Básica", "Saia Plissada"],
        category=["Calças", "Vestidos", "Camisetas", "Saias"],
        stock=[3, 0, 12, 1],
        price=[129.9, 1299.0, 49.9, None],
        image_url=[None] * 4,
        brand=["Lança Perfume", "Farm", "Hering", "Farm"],
    )
    pd.testing.assert_frame_equal(catalog.products, expected)
    assert (catalog.encoding, catalog.delimiter) == ("cp1252", ";")
    assert catalog.mapping["price"] == "Preço"
    assert any("Windows-1252" in w for w in catalog.warnings)
    assert any("'sob consulta'" in w and "1 price" in w for w in catalog.warnings)


@pytest.mark.parametrize(
    ("name", "delimiter", "encoding", "ids", "names"),
    [
        ("utf8_bom.csv", ",", "utf-8-sig", ["A1", "A2"], ["Calça Jeans Azul", "Blusa Crochê"]),
        ("tab.tsv", "\t", "utf-8", ["SKU-1", "SKU-2"], ["Shirt, blue", "Shirt, red"]),
        ("pipe.txt", "|", "utf-8", ["10", "11"], ["Cap", "Belt"]),
        ("quoted.csv", ",", "utf-8", ["1", "2", "3"],
         ['Shirt, "Oxford" cut', "Two-line\nname", "Semi;colon"]),
        ("excel_leftovers.csv", ";", "utf-8", ["1", "2"], ["Cap", "Hat"]),
        ("sep_line.csv", ";", "utf-8", ["1", "2"], ["A", "B"]),
        ("utf16.txt", "\t", "utf-16", ["1"], ["Calça"]),
        ("utf8_stray_byte.csv", ",", "utf-8", ["1", "2"], ["Calça", "Caf\ufffd Mug"]),
    ],
)
def test_file_shapes(name, delimiter, encoding, ids, names):
    catalog = corpus(name)
    assert (catalog.delimiter, catalog.encoding) == (delimiter, encoding)
    assert catalog.products.index.tolist() == ids
    assert catalog.products["name"].tolist() == names


def test_spreadsheet_leftovers_are_dropped_without_fuss():
    catalog = corpus("excel_leftovers.csv")
    assert catalog.source_columns == ["id", "name", "category", "price", "stock"]
    assert catalog.products["price"].tolist() == [10.0, 20.0]
    assert (catalog.skipped_rows, catalog.warnings) == (0, [])


def test_prices_with_currency_and_thousands():
    catalog = corpus("us_prices.csv")
    assert catalog.products["price"].tolist() == [1299.0, 15.5, 10.0]
    assert catalog.mapping == {"product_id": "item_id", "name": "product name",
                               "category": "category", "stock": "inventory",
                               "price": "sale_price"}
    assert catalog.products["units_sold"].tolist() == ["1,234", "15", "2"]  # kept as text


def test_ids_are_kept_as_written():
    catalog = corpus("ids.csv")
    assert catalog.products.index.tolist() == [
        "000123", "12345678901234567890", "77", "1163.0"]
    assert catalog.products.loc["000123", "name"] == "Zero Lead"  # the first of the repeats
    assert (catalog.skipped_rows, catalog.duplicate_ids) == (2, 1)
    assert any("2 rows have no product id" in w for w in catalog.warnings)
    assert any("1 row repeats" in w and "'000123'" in w for w in catalog.warnings)


def test_numeric_ids_never_become_numbers():
    catalog = load_catalog(b"id,name\n1163,a\n0042,b\n9007199254740993,c\n")
    assert catalog.products.index.tolist() == ["1163", "0042", "9007199254740993"]


def test_stock_words():
    catalog = corpus("stock_words.csv")
    assert catalog.products["stock"].tolist() == [1, 0, 1, 0, 1, 0, 1, 0, pd.NA, pd.NA]
    assert catalog.stock_kind == "yes/no"
    assert any("yes/no" in w for w in catalog.warnings)
    assert any("'talvez'" in w for w in catalog.warnings)


def test_ragged_lines_are_skipped_and_reported():
    catalog = corpus("ragged.csv")
    assert catalog.products.index.tolist() == ["1", "4", "5"]
    assert any("2 lines do not have the 5 fields" in w for w in catalog.warnings)


def test_public_fashion_dataset_columns():
    catalog = corpus("styles_like.csv")
    assert catalog.mapping == {"product_id": "id", "name": "productDisplayName",
                               "category": "articleType", "color": "baseColour",
                               "style": "usage", "gender": "gender"}
    assert catalog.products.index.tolist() == ["1163", "1525", "1164"]
    assert catalog.products["stock"].isna().all() and catalog.stock_kind == "missing"
    assert any("No stock column" in w for w in catalog.warnings)
    assert any("No price column" in w for w in catalog.warnings)
    assert catalog.categories == ["Tshirts", "Backpacks"]


@pytest.mark.parametrize(
    ("name", "fragment"),
    [
        ("empty.csv", "empty"),
        ("header_only.csv", "header row but no products"),
        ("no_id_column.csv", "Columns found: 'nome', 'cor', 'preço'"),
        ("workbook.xlsx", "File > Save As > CSV UTF-8"),
        ("old_workbook.xls", "Excel workbook"),
        ("binary.bin", "binary file"),
        ("page.html", "not a CSV file"),
    ],
)
def test_unusable_files(name, fragment):
    with pytest.raises(CatalogError, match=fragment.replace(">", ".").replace("(", ".")):
        corpus(name)


def test_catalog_error_is_a_value_error():
    assert issubclass(CatalogError, ValueError)


def test_a_file_that_is_no_table():
    text = "id,name\n" + "".join(f'{i},"a",{"x," * (i % 5)}\n' for i in range(50))
    with pytest.raises(CatalogError, match="not a consistent table"):
        load_catalog(text.encode())


def test_path_bytes_and_file_object_load_the_same():
    path = CORPUS / "br_cp1252_semicolon.csv"
    from_path = load_catalog(path)
    from_str = load_catalog(str(path))
    from_bytes = load_catalog(path.read_bytes(), name="produtos.csv")
    from_file = load_catalog(io.BytesIO(path.read_bytes()))
    with path.open("rb") as file:
        from_open = load_catalog(file)
    for other in (from_str, from_bytes, from_file, from_open):
        pd.testing.assert_frame_equal(other.products, from_path.products)
        assert other.fingerprint == from_path.fingerprint
    assert from_bytes.source_name == "produtos.csv"
    assert from_open.source_name == "br_cp1252_semicolon.csv"


def test_text_mode_file_is_refused():
    with pytest.raises(TypeError, match="binary mode"):
        load_catalog(io.StringIO("id\n1\n"))


def test_fingerprint_covers_bytes_and_override():
    plain = corpus("plain.csv")
    assert len(plain.fingerprint) == 64
    assert corpus("plain.csv").fingerprint == plain.fingerprint
    assert corpus("plain.csv", columns={"name": "brand"}).fingerprint != plain.fingerprint
    assert corpus("pipe.txt").fingerprint != plain.fingerprint


def test_fingerprint_survives_the_file_going_away(tmp_path):
    path = tmp_path / "catalog.csv"
    path.write_bytes(FILES["plain.csv"])
    catalog = load_catalog(path)
    path.unlink()
    assert catalog.fingerprint == load_catalog(FILES["plain.csv"]).fingerprint


def test_single_column_of_ids():
    catalog = load_catalog(b"sku\n001\n002\n")
    assert catalog.products.index.tolist() == ["001", "002"]
    assert catalog.products["name"].isna().all()


def test_columns_override_detection():
    catalog = corpus("plain.csv", columns={"name": "brand", "category": "style", "stock": None})
    assert catalog.mapping["name"] == "brand" and catalog.mapping["category"] == "style"
    assert "stock" not in catalog.mapping
    assert catalog.products["name"].tolist() == ["Acme", "Acme", "Bella", "Acme"]
    assert catalog.products["stock"].isna().all()
    assert "color" in catalog.products.columns  # the rest is still detected


def test_columns_override_names_an_id_column():
    catalog = corpus("no_id_column.csv", columns={"product_id": "nome"})
    assert catalog.products.index.tolist() == ["Calça"]
    assert catalog.products["price"].tolist() == [10.0]


def test_columns_override_to_a_missing_column():
    with pytest.raises(CatalogError, match=r"'sku'.*Columns found: 'product_id', 'name'"):
        corpus("plain.csv", columns={"product_id": "sku"})


def test_columns_override_with_an_unknown_field():
    with pytest.raises(CatalogError, match=r"does not know \('prize'\)"):
        corpus("plain.csv", columns={"prize": "price"})


def test_non_utf8_past_the_head_falls_back_to_windows_1252():
    body = "".join(f"{i:05d};Produto {i};Calças;10,00;1\n" for i in range(5000))
    data = ("id;nome;categoria;preço;estoque\n" + body + "99999;Calça Azul;Calças;1,00;0\n")
    catalog = load_catalog(data.encode("cp1252"))
    assert len(data) > 65536
    assert catalog.encoding == "cp1252"
    assert catalog.products.loc["99999", "name"] == "Calça Azul"
    assert any("Windows-1252" in w for w in catalog.warnings)


def test_bytes_windows_1252_leaves_undefined_mean_latin_1():
    catalog = load_catalog(b"id;nome\n1;Cal\xe7a \x81\n")
    assert catalog.encoding == "latin-1"
    assert catalog.products.loc["1", "name"] == "Cal\u00e7a \x81"


def test_repeated_ids_past_the_head():
    rows = "".join(f"{i % 4000:05d},Name {i}\n" for i in range(6000))
    catalog = load_catalog(("id,name\n" + rows).encode())
    assert len(catalog.products) == 4000 and catalog.duplicate_ids == 2000
    assert catalog.products.loc["00001", "name"] == "Name 1"


def test_quoted_newline_past_the_head():
    body = "".join(f"{i},Name {i},Tops\n" for i in range(5000))
    data = "id,name,category\n" + body + '99999,"Two\nlines",Tops\n100000,Last,Tops\n'
    catalog = load_catalog(data.encode())
    assert catalog.products.loc["99999", "name"] == "Two\nlines"
    assert catalog.products.index[-1] == "100000"
    assert catalog.warnings == [("No stock column was found, so stock is unknown for every product (the setting "
                                 "\"Treat unknown stock as in stock\" decides whether it counts as in stock)."),
                                "No price column was found, so prices are blank."]


def test_catalog_is_read_only():
    catalog = corpus("plain.csv")
    with pytest.raises(dataclasses.FrozenInstanceError):
        catalog.warnings = []


def test_fields_have_labels():
    assert {"product_id", "name", "category", "stock", "price", "image_url", "brand",
            "color", "style", "gender"} <= set(FIELDS)
    assert all(isinstance(label, str) and label for label in FIELDS.values())


# -- joining --------------------------------------------------------------------------


def test_join_ranking():
    ranked = join_ranking(corpus("plain.csv"), ["0003", "9999", "0001", "0003", "0004"])
    expected = pd.DataFrame({
        "rank": np.arange(1, 6),
        "product_id": pd.array(["0003", "9999", "0001", "0003", "0004"], dtype="str"),
        "in_catalog": [True, False, True, True, True],
        "in_stock": pd.array([True, None, True, True, None], dtype="boolean"),
        "name": pd.array(["Silk Dress", None, "Slim Jeans", "Silk Dress", "Denim Jacket"],
                         dtype="str"),
    })
    pd.testing.assert_frame_equal(ranked[expected.columns], expected)
    assert ranked["stock"].tolist() == [2, pd.NA, 5, 2, pd.NA]
    assert list(ranked.columns[4:]) == list(corpus("plain.csv").products.columns)


def test_join_ranking_out_of_stock_is_false():
    ranked = join_ranking(corpus("pipe.txt"), ["11"])
    assert ranked["in_stock"].tolist() == [False]


def test_join_ranking_of_nothing():
    ranked = join_ranking(corpus("plain.csv"), [])
    assert ranked.empty
    assert list(ranked.columns[:4]) == ["rank", "product_id", "in_catalog", "in_stock"]


def test_join_ranking_trims_ids():
    assert join_ranking(corpus("ids.csv"), [" 77"])["in_catalog"].tolist() == [True]


# -- browsing -------------------------------------------------------------------------


def test_categories_in_store_order():
    catalog = corpus("plain.csv")
    assert catalog.categories == ["Jeans", "Shirts", "Dresses"]
    assert catalog.category_ids("Jeans") == ["0001", "0004"]
    assert catalog.category_ids("Hats") == []


def test_search_ignores_case_and_accents():
    catalog = corpus("br_cp1252_semicolon.csv")
    assert catalog.search("calca").index.tolist() == ["001"]
    assert catalog.search("BÁSICA").index.tolist() == ["003"]
    assert catalog.search("   ").empty


def test_search_puts_an_exact_id_first_and_honours_the_limit():
    catalog = load_catalog(b"id,name\n1,Shirt 2\n2,Shirt 1\n3,Shirt 3\n")
    assert catalog.search("2").index.tolist() == ["2", "1"]
    assert catalog.search("shirt", limit=2).index.tolist() == ["1", "2"]


def test_near_finds_the_names_of_the_closest_word_of_a_misspelt_search():
    catalog = load_catalog("id,name\n1,Calça Jeans Azul\n2,Camisa Branca\n3,Jeans Preto\n".encode())
    assert catalog.search("jeanz").empty
    assert catalog.near("jeanz").index.tolist() == ["1", "3"]
    assert catalog.near("a camisaa", limit=1).index.tolist() == ["2"]
    assert catalog.near("zzzzz").empty and catalog.near("").empty


def test_health():
    health = corpus("plain.csv").health()
    assert health.rows == 4
    assert health.categories == {"Jeans": 2, "Shirts": 1, "Dresses": 1}
    assert health.stock == {"in_stock": 1, "low": 1, "out": 1, "unknown": 1}
    assert health.price["count"] == 4 and health.price["max"] == 499.0
    assert health.warnings == []


def test_health_counts_yes_as_in_stock():
    assert corpus("stock_words.csv").health().stock == {
        "in_stock": 4, "low": 0, "out": 4, "unknown": 2}
