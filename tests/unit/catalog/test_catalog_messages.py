"""Every refusal and hint of the catalog speaks the page's words, never code (issue 13: uploading images.csv
alone answered `columns={'product_id': 'filename'}`)."""

from __future__ import annotations

import codecs

import pytest

from fashionai.catalog import FIELDS, CatalogError, load_catalog
from fashionai.catalog.extras import ExtraMapping, read_extra

IMAGES = b"filename,link\n15970.jpg,http://img.example/15970.jpg\n39386.jpg,http://img.example/39386.jpg\n"

CATALOG_FILES = {
    "images.csv": (IMAGES, {}),
    "no ids.csv": ("nome,cor,preço\nCalça,Azul,10\n".encode(), {}),
    "stock only, no ids.csv": (b"artigo;quantidade\nA;3\n", {}),
    "empty.csv": (b"", {}),
    "header only.csv": (b"codigo,nome\n", {}),
    "blank ids.csv": (b"sku,nome\n,Saia\n,Blusa\n", {}),
    "unknown field.csv": (b"sku,nome\n1,Saia\n", {"prize": "nome"}),
    "missing column.csv": (b"sku,nome\n1,Saia\n", {"product_id": "codigo"}),
    "ragged.csv": (b"sku,nome,cor\n1,a\n2,b\n3,c,d,e,f\n4\n", {}),
    "book.xlsx": (b"PK\x03\x04\x14\x00xl/workbook", {}),
    "utf16 broken.csv": (codecs.BOM_UTF16_LE + "sku,nome\n1,a\n".encode("utf-16-le") + b"\x00\xd8", {}),
    "json.csv": (b'{"sku": 1}', {}),
}


def code_in(message: str) -> list[str]:
    """What in `message` reads as Python: braces, an equals sign, one of our field names in quotes."""
    found = [mark for mark in ("{", "}", "=") if mark in message]
    return found + [f"'{key}'" for key in FIELDS if f"'{key}'" in message or f'"{key}"' in message]


@pytest.mark.parametrize("name", list(CATALOG_FILES))
def test_no_catalog_refusal_reads_as_code(name):
    data, columns = CATALOG_FILES[name]
    with pytest.raises(CatalogError) as caught:
        load_catalog(data, name=name, columns=columns or None)
    message = str(caught.value)
    assert not code_in(message), message
    assert "Traceback" not in message and "codec" not in message


@pytest.mark.parametrize(("data", "mapping"), [
    (b"sku\n1\n", None),
    (b"sku,estoque\n1,3\n", ExtraMapping(id_column="codigo")),
    (b"sku,estoque\n1,3\n", ExtraMapping(kind="shoes")),
    (b"sku,estoque\n1,3\n", ExtraMapping(id_column="estoque", value_column="estoque")),
    (b"sku,estoque\n,3\n", None),
    (b"a,b\n1,2\n", None),
])
def test_no_extra_file_refusal_reads_as_code(data, mapping):
    with pytest.raises(CatalogError) as caught:
        read_extra(data, name="extra.csv", mapping=mapping)
    assert not code_in(str(caught.value)), str(caught.value)


def test_an_images_file_as_the_catalog_says_to_attach_it_under_extra_files():
    with pytest.raises(CatalogError) as caught:
        load_catalog(IMAGES, name="images.csv")
    message = str(caught.value)
    assert message.startswith("This file has no column of product names or categories: it looks like an "
                              "images file (a file name and a link). Upload the products file as the catalog "
                              "and attach this one under Extra files.")
    assert "choose the column that holds the product ids under Columns" in message
    assert caught.value.columns == ["filename", "link"]  # for the page to offer them


def test_a_file_without_ids_says_where_to_choose_them():
    with pytest.raises(CatalogError) as caught:
        load_catalog("nome,cor,preço\nCalça,Azul,10\n".encode())
    assert "Choose the column that holds the product ids under Columns" in str(caught.value)
    assert caught.value.columns == ["nome", "cor", "preço"]


def test_a_stock_file_loaded_as_the_catalog_is_read_with_a_hint():
    catalog = load_catalog(b"sku;estoque\nA1;3\nA2;0\n", name="estoque.csv")
    assert any("it looks like a stock file" in warning and "under Extra files" in warning
               for warning in catalog.warnings)


def test_warnings_of_a_messy_file_read_as_words():
    data = "sku;nome;preço;estoque\n1;a;R$ x;talvez\n;b;1,00;2\n1;c;2,00;1.5\n".encode()
    catalog = load_catalog(data)
    assert catalog.warnings
    for warning in catalog.warnings:
        assert not code_in(warning), warning
