"""Extra files (images, stock, prices) joined onto a catalog by product id (fashionai.catalog.extras)."""

from __future__ import annotations

import pyarrow as pa
import pytest

from fashionai.catalog import CatalogError, load_catalog
from fashionai.catalog.extras import ExtraMapping, ids_from_file_names, join_extras, read_extra

STYLES = ("id,gender,masterCategory,subCategory,articleType,baseColour,season,year,usage,productDisplayName\n"
          "1163,Men,Apparel,Topwear,Tshirts,Blue,Summer,2011,Sports,Nike Sahara Jersey\n"
          "1164,Men,Apparel,Topwear,Tshirts,Blue,Winter,2015,Sports,Nike T20 Jersey\n"
          "1165,Women,Apparel,Topwear,Tops,Red,Summer,2012,Casual,Red Top\n"
          "0042,Women,Footwear,Shoes,Heels,Black,Winter,2016,Casual,Black Heels\n")
IMAGES = ("filename,link\n"
          "1163.jpg,http://img.example/1163.jpg\n"
          "1164.jpg,http://img.example/1164.jpg\n"
          "9999.jpg,http://img.example/9999.jpg\n"
          "1163.jpg,http://img.example/other.jpg\n"
          "0042.png,http://img.example/0042.png\n"
          ",http://img.example/none.jpg\n")


@pytest.fixture(scope="module")
def styles():
    return load_catalog(STYLES.encode(), name="styles.csv")


def test_ids_from_file_names_drop_folders_queries_and_any_extension():
    names = pa.array(["15970.jpg", "img/15970.JPEG", "C:\\fotos\\A-1.webp", "http://x/y/0042.png?v=2",
                      "15970", "a.b.gif", ".jpg", None, "  7.jpg "], pa.large_string())
    assert ids_from_file_names(names).to_pylist() == [
        "15970", "15970", "A-1", "0042", "15970", "a.b", ".jpg", None, "7"]


def test_an_images_file_of_file_names_is_detected_and_joined(styles):
    extra = read_extra(IMAGES.encode(), name="images.csv")
    assert extra.kind.key == "images"
    assert extra.mapping == ExtraMapping("images", "filename", "link", True)
    joined = join_extras(styles, [extra])
    images = joined.catalog.products["image_url"]
    assert images["1163"] == "http://img.example/1163.jpg"  # the first of a repeated id
    assert images["0042"] == "http://img.example/0042.png"  # leading zero kept: ids are text
    assert images.isna()["1165"]
    report = joined.reports[0]
    assert (report.matched, report.changed, report.unknown, report.uncovered) == (3, 3, 1, 1)
    assert report.unknown_examples == ["9999"] and report.uncovered_examples == ["1165"]
    assert (report.repeated, report.repeated_examples, report.skipped) == (1, ["1163"], 1)
    words = " ".join(report.sentences())
    assert "1 id of the file is not in the catalog (e.g. '9999')" in words
    assert "1 product of the catalog is not in the file (e.g. '1165')" in words
    assert "1 row repeats an id already seen (e.g. '1163')" in words
    assert "1 row was skipped" in words


def test_the_joined_catalog_is_a_new_catalog_with_its_own_fingerprint(styles):
    extra = read_extra(IMAGES.encode(), name="images.csv")
    joined = join_extras(styles, [extra]).catalog
    assert joined is not styles and styles.products["image_url"].isna().all()  # the original is untouched
    assert joined.fingerprint != styles.fingerprint
    assert join_extras(styles, [read_extra(IMAGES.encode(), name="again.csv")]).catalog.fingerprint == joined.fingerprint
    other = read_extra(IMAGES.replace("9999", "9998").encode(), name="images.csv")
    assert join_extras(styles, [other]).catalog.fingerprint != joined.fingerprint
    assert joined.source_name == "styles.csv + images.csv"
    assert joined.health().rows == 4
    assert list(joined.positions(["1165", "0042"])) == [2, 3]  # lookups still work
    assert joined.category_ids("Tshirts") == ["1163", "1164"]


def test_ids_with_and_without_extensions_when_the_user_says_they_are_file_names(styles):
    data = b"product;picture\n1163;https://cdn/a.jpg\nfolder/1164;https://cdn/b.jpg\n"
    plain = read_extra(data, name="pics.csv", mapping=ExtraMapping(kind="images", id_column="product"))
    assert plain.mapping.file_names is False
    assert join_extras(styles, [plain]).reports[0].matched == 1  # "folder/1164" is not an id
    named = read_extra(data, name="pics.csv", mapping=ExtraMapping(kind="images", id_column="product",
                                                                  file_names=True))
    assert join_extras(styles, [named]).reports[0].matched == 2


def test_an_images_file_fills_only_products_without_an_image():
    catalog = load_catalog(b"id,name,image\nA,Scarf,http://own/a.jpg\nB,Hat,\n")
    extra = read_extra(b"id,image_url\nA,http://file/a.jpg\nB,http://file/b.jpg\n", name="img.csv")
    joined = join_extras(catalog, [extra])
    assert joined.catalog.products["image_url"].tolist() == ["http://own/a.jpg", "http://file/b.jpg"]
    assert joined.reports[0].changed == 1 and joined.reports[0].matched == 2


def test_a_latin1_semicolon_stock_file_replaces_stock(styles):
    stock = "código;descrição;estoque\n1163;Camiseta açaí;5\n1164;Camiseta;0\n0042;Salto;12\n".encode("latin-1")
    extra = read_extra(stock, name="estoque.csv")
    assert extra.kind.key == "stock" and extra.encoding in ("cp1252", "latin-1") and extra.delimiter == ";"
    assert extra.mapping.id_column == "código" and extra.mapping.value_column == "estoque"
    joined = join_extras(styles, [extra]).catalog
    assert joined.products["stock"].tolist()[:2] == [5, 0] and joined.products["stock"]["0042"] == 12
    assert joined.products["stock"].isna()["1165"]
    health = joined.health()
    assert health.stock["out"] == 1 and health.stock["unknown"] == 1
    assert joined.stock_kind == "quantity"
    assert not any("No stock column" in warning for warning in joined.warnings)  # the file brought it


def test_a_stock_file_replaces_the_catalogs_stock():
    catalog = load_catalog(b"sku,name,stock\nA,Scarf,9\nB,Hat,4\n")
    extra = read_extra(b"sku,stock\nA,0\n", name="daily.csv")
    joined = join_extras(catalog, [extra])
    assert joined.catalog.products["stock"].tolist() == [0, 4]
    assert catalog.products["stock"].tolist() == [9, 4]


def test_a_prices_file_in_reais_with_comma_decimals(styles):
    prices = "Código;Preço de venda\n1163;R$ 1.299,90\n1165;R$ 89,00\n1164;sob consulta\n".encode("cp1252")
    extra = read_extra(prices, name="preços.csv")
    assert extra.kind.key == "prices"
    joined = join_extras(styles, [extra])
    price = joined.catalog.products["price"]
    assert price["1163"] == pytest.approx(1299.90) and price["1165"] == pytest.approx(89.0)
    assert price.isna()["1164"]
    words = " ".join(joined.reports[0].sentences())
    assert "could not be read (e.g. 'sob consulta')" in words and "1 row was skipped" in words
    assert joined.catalog.health().price["count"] == 2


def test_several_files_join_in_turn(styles):
    joined = join_extras(styles, [read_extra(IMAGES.encode(), name="images.csv"),
                                  read_extra(b"id,stock\n1163,3\n", name="stock.csv")])
    assert len(joined.reports) == 2
    assert joined.catalog.products.loc["1163", "stock"] == 3
    assert joined.catalog.products.loc["1163", "image_url"].startswith("http://img.example/")
    assert joined.catalog.source_name == "styles.csv + images.csv + stock.csv"


def test_no_id_in_common_is_said(styles):
    joined = join_extras(styles, [read_extra(b"id,stock\nX1,3\nX2,4\n", name="other.csv")])
    report = joined.reports[0]
    assert report.matched == 0 and report.unknown == 2 and report.uncovered == 4
    assert "2 ids of the file are not in the catalog" in " ".join(report.sentences())


@pytest.mark.parametrize(("data", "mapping", "words"), [
    (b"id\n1\n", None, "at least two columns"),
    (b"id,stock\n1,3\n", ExtraMapping(id_column="sku"), "no column 'sku'"),
    (b"id,stock\n1,3\n", ExtraMapping(id_column="stock", value_column="stock"), "same column"),
    (b"id,stock\n,3\n,4\n", None, "No row has both a product id"),
    (b"a,b\n1,2\n", None, "choose images, stock, prices or sizes"),
    (b"PK\x03\x04 an archive", None, "zip archive"),
])
def test_an_unusable_extra_file_is_refused_in_plain_words(data, mapping, words):
    with pytest.raises(CatalogError, match=words) as caught:
        read_extra(data, name="extra.csv", mapping=mapping)
    assert "{" not in str(caught.value) and "=" not in str(caught.value)


def test_a_big_file_joins_without_a_python_loop_per_row():
    rows = 200_000
    ids = [f"P{i:06d}" for i in range(rows)]
    catalog = load_catalog(("id,name,category\n" + "".join(f"{i},n,c\n" for i in ids)).encode())
    images = ("filename,link\n" + "".join(f"img/{i}.jpg,http://x/{i}.jpg\n" for i in ids[::2])).encode()
    joined = join_extras(catalog, [read_extra(images, name="images.csv")])
    assert joined.reports[0].matched == rows // 2 and joined.reports[0].uncovered == rows // 2
    assert joined.catalog.products["image_url"].notna().sum() == rows // 2


def test_a_price_the_file_holds_but_cannot_be_read_is_said_so_not_called_missing_from_the_file():
    catalog = load_catalog(b"id,name,price\nA,scarf,10\nB,hat,20\nC,belt,5\nD,ring,1\n")
    extra = read_extra(b"id,price\nA,abc\nB,12\nC,\nB,zz\n", name="prices.csv")

    report = join_extras(catalog, [extra]).reports[0]

    assert (report.changed, report.uncovered, report.unreadable) == (1, 1, 2)  # B set; D not in the file; A, C
    assert report.uncovered_examples == ["D"] and report.unreadable_examples == ["A", "C"]
    said = report.sentences()
    assert ("2 products of the catalog are in the file with a price that could not be read (e.g. 'A', 'C'): the "
            "catalog's own price, if any, stays.") in said
    assert any(s.startswith("1 product of the catalog is not in the file (e.g. 'D')") for s in said)
