import base64
import re
import xml.etree.ElementTree as ET

import pandas as pd
import pytest

from fashionai.catalog.sample import (
    CATEGORIES,
    COLUMNS,
    SAMPLE_CATALOG_PATH,
    generate_catalog,
    load_sample_frame,
    write_sample_catalog,
)


@pytest.fixture(scope="module")
def catalog() -> pd.DataFrame:
    return generate_catalog()


def test_columns_and_types(catalog):
    assert list(catalog.columns) == COLUMNS
    assert len(catalog) == 1200
    text = ["product_id", "name", "category", "color", "style", "brand", "image_url"]
    assert all(catalog[column].dtype == "str" for column in text)
    assert catalog["price"].dtype == "float64"
    assert catalog["stock"].dtype == "Int64"
    assert catalog.drop(columns="image_url").notna().all().all()


def test_ids_are_unique_fixed_width_digits_with_leading_zeros(catalog):
    ids = catalog["product_id"]
    assert ids.is_unique
    assert ids.str.fullmatch(r"\d{6}").all()
    assert ids.str.startswith("0").sum() >= 10


def test_stock_has_out_of_stock_and_low_stock_shares(catalog):
    stock = catalog["stock"]
    assert 0.04 <= (stock == 0).mean() <= 0.12
    assert stock.between(1, 3).sum() > 0
    assert (stock >= 0).all()


def test_every_category_is_present_with_plausible_prices(catalog):
    assert set(catalog["category"]) == set(CATEGORIES)
    assert (catalog["price"] > 0).all()
    assert (catalog["price"] == catalog["price"].round(2)).all()
    median = catalog.groupby("category")["price"].median()
    assert median["Jackets"] > median["Tops"]


def test_styles_follow_categories(catalog):
    share = pd.crosstab(catalog["category"], catalog["style"], normalize="index")
    assert share.loc["Activewear", "sporty"] > 0.6
    assert share.loc["Dresses", "sporty"] == 0
    blazers = catalog[catalog["name"].str.contains("Blazer")]
    assert (blazers["style"] == "office").mean() > 0.5


def test_names_are_composed_from_attributes(catalog):
    row = catalog.iloc[0]
    assert row["name"].endswith(f" — {row['color']}")


def test_svg_images_are_small_valid_base64_svg(catalog):
    prefix = "data:image/svg+xml;base64,"
    for uri in catalog["image_url"].drop_duplicates():
        assert uri.startswith(prefix) and len(uri) < 1024
        root = ET.fromstring(base64.b64decode(uri[len(prefix):], validate=True))
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        assert root.get("viewBox") == "0 0 300 360"


def test_the_svg_is_filled_with_the_product_colour(catalog):
    dresses = catalog[catalog["category"] == "Dresses"]
    by_color = dresses.groupby("color")["image_url"].nunique()
    assert (by_color == 1).all()
    assert dresses["image_url"].nunique() == dresses["color"].nunique()


def test_other_image_modes():
    urls = generate_catalog(50, images="url")
    assert (urls["image_url"] == "https://img.example.com/p/" + urls["product_id"] + ".jpg").all()
    assert generate_catalog(50, images="none")["image_url"].isna().all()
    with pytest.raises(ValueError):
        generate_catalog(5, images="png")


def test_generation_is_deterministic(catalog):
    pd.testing.assert_frame_equal(generate_catalog(), catalog)
    assert not generate_catalog(seed=8).equals(catalog)


def test_large_catalogs_widen_ids_and_stay_unique():
    big = generate_catalog(200_000, images="url")
    assert big["product_id"].is_unique
    assert big["product_id"].str.len().nunique() == 1
    assert big["product_id"].str.len().iloc[0] == 7


def test_committed_csv_is_the_generator_output(tmp_path):
    written = write_sample_catalog(tmp_path / "sample.csv")
    assert written.read_bytes() == SAMPLE_CATALOG_PATH.read_bytes(), (
        "regenerate with: python -m fashionai.catalog.sample"
    )


def test_committed_csv_keeps_ids_as_quoted_text():
    header, first = SAMPLE_CATALOG_PATH.read_text(encoding="utf-8").splitlines()[:2]
    assert header.startswith('"product_id","name"')
    assert re.match(r'^"\d{6}","', first)
    assert re.search(r",\d+\.\d{2},\d+,", first)  # price and stock are bare numbers


def test_load_sample_frame_reads_it_back_exactly(catalog):
    frame = load_sample_frame()
    pd.testing.assert_frame_equal(frame, catalog)
    assert frame["product_id"].dtype == "str"
    assert isinstance(frame.index, pd.RangeIndex)
