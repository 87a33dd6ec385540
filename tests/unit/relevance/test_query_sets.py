"""Query sets (typed, CSV, drawn from the catalog) and judgments, with hostile files handled in words."""

from __future__ import annotations

import pytest

from fashionai.catalog import load_catalog
from fashionai.relevance import queries as q
from fashionai.relevance.judgments import JudgmentsError, read_judgments
from fashionai.relevance.queries import (
    QuerySetError,
    catalog_queries,
    read_queries,
    typed_queries,
    with_typo,
)


def test_typed_queries_keep_order_drop_blanks_and_repeats():
    made = typed_queries("vestido azul\n\n  tênis  \nVESTIDO AZUL\n-50%\n")
    assert made.queries == ("vestido azul", "tênis", "-50%")
    assert made.notes == ()


def test_formula_cells_are_left_out_and_our_apostrophe_dropped():
    made = typed_queries('=HYPERLINK("http://x")\n@SUM(A1)\n\u00a0+1\n\'=vestido\nsaia')
    assert made.queries == ("=vestido", "saia")
    assert "3 cells that looked like spreadsheet formulas were left out" in made.notes[0]


def test_a_query_the_search_refuses_is_left_out_in_words():
    made = typed_queries("a" * 600 + "\nsaia")
    assert made.queries == ("saia",)
    assert "600 characters long" in made.notes[0]


def test_csv_with_bom_and_a_query_column():
    made = read_queries(b"\xef\xbb\xbfQuery;clicks\nt\xc3\xaanis;3\nsaia;2\n", name="q.csv")
    assert made.queries == ("tênis", "saia")
    assert made.source == "the file q.csv"


def test_csv_with_bad_bytes_is_read_as_windows_1252_saying_so():
    made = read_queries("busca\ncal\xe7a\nsaia\n".encode("cp1252"), name="q.csv")
    assert made.queries == ("calça", "saia")
    assert "not UTF-8" in made.notes[0]


def test_bom_with_a_stray_byte_still_finds_the_header():
    made = read_queries(b"\xef\xbb\xbfquery;x\nt\xeanis;1\n", name="q.csv")
    assert made.queries == ("tênis",)


def test_one_column_without_header_keeps_its_first_line():
    assert read_queries(b"vestido\nsaia\n").queries == ("vestido", "saia")


@pytest.mark.parametrize(("data", "words"), [
    (b"", "The queries file is empty"),
    (b"PK\x03\x04 xl/workbook", "Excel workbook"),
    (b"a,b\n1,2\n", "none is headed “query”"),
    (b"query\n=1+1\n", "holds no query a shopper could type (1 cell that looked like a spreadsheet formula"),
])
def test_hostile_files_are_refused_in_words(data, words):
    with pytest.raises(QuerySetError) as caught:
        read_queries(data, name="q.csv")
    assert words in str(caught.value)


def test_a_set_is_capped_with_words(monkeypatch):
    monkeypatch.setattr(q, "MAX_QUERIES", 3)
    made = read_queries(("query\n" + "\n".join(f"q{i}" for i in range(5))).encode())
    assert made.queries == ("q0", "q1", "q2")
    assert "The set has 5 different queries; only the first 3 are kept" in made.notes[-1]


def test_the_real_cap_reads_100000_rows():
    data = ("query\n" + "\n".join(f"q{i}" for i in range(100_005))).encode()
    made = read_queries(data)
    assert len(made) == 100_000 and made.queries[-1] == "q99999"
    assert "100,005 different queries" in made.notes[-1]


def test_with_typo_swaps_two_neighbouring_letters_the_same_every_time():
    typo = with_typo("Vestido Floral")
    assert typo == with_typo("Vestido Floral") and typo != "Vestido Floral"
    assert sorted(typo) == sorted("Vestido Floral") and typo[0] == "V"
    differing = [i for i, (a, b) in enumerate(zip(typo, "Vestido Floral", strict=True)) if a != b]
    assert len(differing) == 2 and differing[1] == differing[0] + 1
    assert with_typo("ab") == "ab" and with_typo("aa a") == "aa a"


CATALOG = (b"product_id,name,category,brand,color,price,stock,image_url\n"
           b"0001,Vestido Floral,Vestidos,Farm,azul,10,1,\n"
           b"0002,Vestido Longo,Vestidos,Farm,azul,10,1,\n"
           b"0003,Saia Midi,Saias,Animale,preto,10,1,\n")


def test_catalog_queries_draw_the_most_common_values_and_names_with_a_typo():
    made = catalog_queries(load_catalog(CATALOG, name="c.csv"), per_kind=1)
    assert made.queries == ("Vestidos", "Farm", "azul", with_typo("Saia Midi"))
    assert catalog_queries(load_catalog(CATALOG, name="c.csv"), per_kind=1) == made


def test_catalog_queries_say_which_kinds_the_catalog_lacks():
    catalog = load_catalog(b"product_id,name,category,price,stock,image_url\n0001,Saia,Saias,1,1,\n", name="c.csv")
    made = catalog_queries(catalog, per_kind=2)
    assert made.queries == ("Saias", with_typo("Saia"))
    assert "top brands, top colours" in made.notes[0]


JUDGED = b"query,product_id,grade\nvestido,0042,3\nVestido ,0007,1\nvestido,0042,2\nsaia,0001,4\nsaia,,1\n"


def test_judgments_keep_ids_as_text_and_say_what_was_left_out():
    judged = read_judgments(JUDGED, name="j.csv")
    assert dict(judged.of("VESTIDO")) == {"0042": 2, "0007": 1}
    assert judged.count == 2 and not judged.judged("saia")
    assert "2 lines were left out: line 5 (grade '4', not a whole number 0 to 3); line 6 (no product id)" \
        in judged.notes[0]
    assert "1 product was judged twice" in judged.notes[1]


@pytest.mark.parametrize(("data", "words"), [
    (b"", "The judgments file is empty"),
    (b"query,id\nx,1\n", "no grade column"),
    (b"query,id,grade\nx,1,high\n", "holds no usable judgment (1 line was left out: line 2 (grade 'high'"),
])
def test_bad_judgments_are_refused_in_words(data, words):
    with pytest.raises(JudgmentsError) as caught:
        read_judgments(data)
    assert words in str(caught.value)
