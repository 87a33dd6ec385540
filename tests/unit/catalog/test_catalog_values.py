"""Reading numbers, stock, column names, encodings and separators: tables of cases."""

from __future__ import annotations

import math

import pyarrow as pa
import pytest

from fashionai.catalog import detect_columns
from fashionai.catalog._csvsniff import guess_encoding, refusal, sniff
from fashionai.catalog._values import clean_text, parse_numbers, parse_stock


def _numbers(*texts: str | None) -> list[float | None]:
    return parse_numbers(pa.chunked_array([pa.array(texts, pa.large_string())])).values.to_pylist()


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        (["129.90", "15", None], [129.9, 15.0, None]),  # plain numbers: the fast path
        (["129,90", "1.299,00", "49,9"], [129.9, 1299.0, 49.9]),  # decimal commas
        (["R$ 129,90", "R$1.299,00", "  R$ 5 "], [129.9, 1299.0, 5.0]),
        (["$1,299.00", "USD 10", "€ 5.50", "10 €"], [1299.0, 10.0, 5.5, 10.0]),
        (["1 299,00", "1\u00a0299,00", "12,5"], [1299.0, 1299.0, 12.5]),
        (["1,234", "15", "2,500"], [1234.0, 15.0, 2500.0]),  # no decimals: thousands
        (["1.299", "15", "2.490"], [1299.0, 15.0, 2490.0]),  # Brazil's thousands dots
        (["1.299", "15", "2.5"], [1.299, 15.0, 2.5]),  # dots are decimals here
        (["-3,50", "BRL -2"], [-3.5, -2.0]),
        (["", "  ", None, "10"], [None, None, None, 10.0]),  # blank is unknown
    ],
)
def test_parse_numbers(texts, expected):
    assert _numbers(*texts) == expected


@pytest.mark.parametrize(
    ("texts", "expected", "unreadable"),
    [
        (["10,00", "sob consulta", "N/D", ""], [10.0, None, None, None], 2),
        (["10.50", "abc", "12..0"], [10.5, None, None], 2),
        # the column writes decimal commas; a dot decimal is the odd one out
        (["10,50", "12,90", "7.25"], [10.5, 12.9, None], 1),
    ],
)
def test_parse_numbers_counts_what_it_cannot_read(texts, expected, unreadable):
    parsed = parse_numbers(pa.chunked_array([pa.array(texts, pa.large_string())]))
    assert parsed.values.to_pylist() == expected
    assert parsed.unreadable == unreadable
    assert len(parsed.examples) == min(unreadable, 3)


def test_parse_numbers_turns_nan_and_inf_text_into_unknown():
    assert _numbers("1.5", "nan", "NaN", "inf") == [1.5, None, None, None]
    assert _numbers("nan") == [None]


@pytest.mark.parametrize(
    ("texts", "expected", "words"),
    [
        (["10", "0", "-2", None], [10, 0, -2, None], False),
        (["10.0", "3.0"], [10, 3], False),
        (["3,0", "1.234"], [3, 1234], False),
        (["2.5", "0.2"], [3, 1], False),  # fractions round up: still in stock
        (["yes", "No", "TRUE", "false", "Y", "n"], [1, 0, 1, 0, 1, 0], True),
        (["sim", "não", "Disponível", "indisponível", "S", "N"], [1, 0, 1, 0, 1, 0], True),
        (["In stock", "Out of stock", "esgotado", "", "talvez"], [1, 0, 0, None, None], True),
        (["1", "0", " 4 "], [1, 0, 4], False),
    ],
)
def test_parse_stock(texts, expected, words):
    parsed = parse_stock(pa.chunked_array([pa.array(texts, pa.large_string())]))
    assert parsed.values.to_pylist() == expected
    assert parsed.words is words


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["product_id", "name", "category", "stock", "price", "image_url"],
         {"product_id": "product_id", "name": "name", "category": "category",
          "stock": "stock", "price": "price", "image_url": "image_url"}),
        (["Código", "Nome", "Preço", "Estoque", "Imagem", "Marca", "Cor"],
         {"product_id": "Código", "name": "Nome", "stock": "Estoque", "price": "Preço",
          "image_url": "Imagem", "brand": "Marca", "color": "Cor"}),
        (["productId", "Product Name", "Sale_Price", "QTY", "img"],
         {"product_id": "productId", "name": "Product Name", "stock": "QTY",
          "price": "Sale_Price", "image_url": "img"}),
        (["id", "gender", "masterCategory", "subCategory", "articleType", "baseColour",
          "season", "year", "usage", "productDisplayName"],
         {"product_id": "id", "name": "productDisplayName", "category": "articleType",
          "color": "baseColour", "style": "usage", "gender": "gender"}),
        (["SKU", "Título", "Departamento", "Disponível", "Valor", "Foto"],
         {"product_id": "SKU", "name": "Título", "category": "Departamento",
          "stock": "Disponível", "price": "Valor", "image_url": "Foto"}),
        (["cod", "descrição", "preço de venda (R$)", "preço de custo", "estoque atual"],
         {"product_id": "cod", "name": "descrição", "stock": "estoque atual",
          "price": "preço de venda (R$)"}),
        (["Nome da Categoria", "Nome", "ref"],
         {"product_id": "ref", "name": "Nome", "category": "Nome da Categoria"}),
        (["colour", "estilo", "gênero", "tamanho", "link"],
         {"image_url": "link", "color": "colour", "style": "estilo", "gender": "gênero",
          "size": "tamanho"}),
        (["foo", "bar"], {}),
    ],
)
def test_detect_columns(names, expected):
    assert detect_columns(names) == expected


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [
        ("id,name,price\n1,a,2\n", ","),
        ("id;nome;preço\n1;Calça, azul;129,90\n2;Saia;9,90\n", ";"),
        ("id\tname\tprice\n1\tShirt, blue\t1\n", "\t"),
        ("id|name|price\n1|a|1\n", "|"),
        ('id,name\n1,"a;b;c"\n2,"d|e"\n', ","),
        ("sep=;\nid;name\n1;a\n", ";"),
        ("sku\n1\n2\n", ","),
    ],
)
def test_sniff_finds_the_separator(text, delimiter):
    assert sniff(text.encode(), "utf-8", at_eof=True).delimiter == delimiter


def test_sniff_sees_quoted_newlines_and_ignores_a_cut_record():
    assert sniff(b'id,name\n1,"two\nlines"\n', "utf-8", at_eof=True).quoted_newlines
    head = b'id,name\n1,a\n2,"cut'
    assert not sniff(head, "utf-8", at_eof=False).quoted_newlines


@pytest.mark.parametrize(
    ("head", "encoding"),
    [
        ("id,nome\n1,Calça\n".encode(), "utf-8"),
        (b"\xef\xbb\xbfid\n1\n", "utf-8"),
        ("id\tnome\n".encode("utf-16"), "utf-16"),
        ("id;nome;preço\n1;Calça;1\n".encode("cp1252"), "cp1252"),
        (b"id\n\x81\n", "latin-1"),
    ],
)
def test_guess_encoding(head, encoding):
    assert guess_encoding(head, at_eof=True) == encoding


def test_guess_encoding_allows_a_character_cut_at_the_end_of_the_head():
    assert guess_encoding("id\nCalça".encode()[:-2], at_eof=False) == "utf-8"


@pytest.mark.parametrize(
    ("head", "fragment"),
    [
        (b"", "empty"),
        (b"  \n\n", "empty"),
        (b"PK\x03\x04....xl/workbook.xml", "Excel workbook"),
        (b"PK\x03\x04....word/document.xml", "zip archive"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Excel 97-2003"),
        (b"\x1f\x8b\x08\x00", "gzip"),
        (b"%PDF-1.7", "PDF"),
        (bytes(range(256)), "binary"),
        (b"<html><body>", "web page"),
        (b'{"products": []}', "JSON"),
    ],
)
def test_refusal(head, fragment):
    assert fragment in refusal(head)


def test_refusal_lets_text_through():
    assert refusal(b"id,name\n1,a\n") is None
    assert refusal("id\tnome\n".encode("utf-16")) is None


@pytest.mark.parametrize("texts", [["-0", "10"], ["-0.0", "1.5"], ["-0,00", "1,50"], ["R$ -0,00", "R$ 2,00"]])
def test_minus_zero_is_read_as_zero_not_negative_zero(texts):
    values = _numbers(*texts)
    assert values[0] == 0 and math.copysign(1, values[0]) == 1  # not -0.0: it would show as a negative price


def test_minus_zero_stock_is_zero_and_not_negative():
    parsed = parse_stock(pa.chunked_array([pa.array(["-0", "-0.0", "-0.4", "3"], pa.large_string())]))
    assert parsed.values.to_pylist() == [0, 0, 0, 3] and parsed.negative == 0


@pytest.mark.parametrize(("texts", "expected"), [
    (["a", "b c"], ["a", "b c"]),  # already clean: returned as it is
    (["a", ""], ["a", None]),  # a blank value without any null
    (["a", " b", "c\t"], ["a", "b", "c"]),
    (["a", None, "b"], ["a", None, "b"]),
    (["a", None, ""], ["a", None, None]),
    (["a", None, " b"], ["a", None, "b"]),
    ([None], [None]),
    ([], []),
    (["é", "a"], ["é", "a"]),  # beyond ASCII at an edge: trimmed the careful way, nothing to take off
])
@pytest.mark.parametrize("kind", [pa.string(), pa.large_string()])
def test_clean_text_trims_and_blanks_with_or_without_nulls(texts, expected, kind):
    text = pa.array(texts, kind)
    cleaned = clean_text(text)
    assert cleaned.to_pylist() == expected
    if texts == expected and None not in texts and texts[:1] != ["é"]:
        assert cleaned is text
