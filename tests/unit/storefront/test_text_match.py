"""The store's own text match (the search's non-personalized baseline): every word, accents and case ignored,
name matches first, then the catalog's order; deterministic."""

import pytest

from fashionai.catalog import load_catalog
from fashionai.storefront.text_match import query_words, text_match

CSV = """id,name,category,brand,color,style,stock
001,Vestido Midi,Vestidos,Maré,Azul,boho,3
002,Calça Jeans,Calças,Rota,Azul,casual,2
003,Blusa Azul,Tops,Maré,Branco,office,1
004,Vestido Longo Azul,Vestidos,Rota,Vermelho,boho,0
005,Saia,Saias,,,,
""".encode()


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(CSV)


def test_every_word_must_be_found_in_some_field(catalog):
    # 001: "vestido" in its name, "azul" its colour; 004 holds both in its name; 003 has no "vestido"
    assert text_match(catalog, "vestido azul") == ("004", "001")


def test_more_words_in_the_name_rank_first_then_the_catalogs_order(catalog):
    # every product matching "azul": 003 and 004 hold it in the name, 001 and 002 only in the colour
    assert text_match(catalog, "azul") == ("003", "004", "001", "002")


def test_case_and_accents_are_ignored_both_ways(catalog):
    assert text_match(catalog, "CALCA") == ("002",)
    assert text_match(catalog, "maré") == text_match(catalog, "mare") == ("001", "003")


def test_brand_category_and_style_are_searched(catalog):
    assert text_match(catalog, "rota") == ("002", "004")
    assert text_match(catalog, "boho vestidos") == ("001", "004")


def test_no_match_and_no_word_give_nothing(catalog):
    assert text_match(catalog, "sneaker") == ()
    assert text_match(catalog, "  ") == ()
    assert text_match(catalog, "a e !") == ()  # one-letter words and punctuation are no words


def test_query_words_are_folded_distinct_and_in_order():
    assert query_words("Vestido AZUL, vestido; tênis a") == ("vestido", "azul", "tenis")


def test_a_catalog_without_the_text_fields_matches_nothing():
    bare = load_catalog(b"id,stock\n1,2\n")
    assert text_match(bare, "anything") == ()
