import math

import numpy as np
import pandas as pd
import pytest

from fashionai.measures.attributes import attribute_lift, known_attributes, price_band
from fashionai.measures.ranking import Rankings


def ids(letters: str) -> list[str]:
    return list(letters)


def test_price_band_labels_quartiles_with_open_ends():
    prices = pd.Series([10.0, 20.0, 30.0, 40.0, 50.0, np.nan], index=ids("ABCDEF"))
    bands = price_band(prices)
    assert list(bands.cat.categories) == ["up to R$ 20", "R$ 20–30", "R$ 30–40", "over R$ 40"]
    assert bands.cat.ordered
    assert bands.tolist()[:5] == ["up to R$ 20", "up to R$ 20", "R$ 20–30", "R$ 30–40", "over R$ 40"]
    assert pd.isna(bands["F"])


def test_price_band_uses_reference_edges_for_outside_prices():
    bands = price_band(pd.Series([5.0, 500.0]), bands=2, reference=pd.Series([10.0, 20.0, 30.0]))
    assert bands.tolist() == ["up to R$ 20", "over R$ 20"]


def test_price_band_edges_are_prices_that_occur_shown_with_cents_when_needed():
    bands = price_band(pd.Series([89.9, 129.9, 199.9, 249.9]))
    labels = ["up to R$ 89.90", "R$ 89.90–129.90", "R$ 129.90–199.90", "over R$ 199.90"]
    assert list(bands.cat.categories) == labels
    assert bands.tolist() == labels


def test_price_band_merges_equal_quantiles():
    assert price_band(pd.Series([9.0, 9.0, 9.0])).tolist() == ["up to R$ 9"] * 3
    assert price_band(pd.Series([9.0, 12.0]), bands=1).tolist() == ["any price"] * 2
    assert price_band(pd.Series([], dtype=float)).tolist() == []


def test_price_band_rejects_zero_bands():
    with pytest.raises(ValueError):
        price_band(pd.Series([1.0]), bands=0)


@pytest.fixture
def products():
    return pd.DataFrame(
        {
            "color": ["red", "red", "blue", "blue", None, "gold"],
            "price": [10.0, 20.0, 30.0, 40.0, 50.0, 60.0],
        },
        index=pd.Index(ids("ABCDEG"), dtype="str"),
    )


def test_attribute_lift_shares_and_lift(products):
    lift = attribute_lift(
        products, {"x": ids("AB"), "y": ids("CEZ")}, ids("ABCDE"), k=3, attributes=("color", "style")
    )
    expected = pd.DataFrame(
        {
            "lane": ["x", "x", "y", "y"],
            "attribute": "color",
            "value": ["red", "blue", "blue", "red"],
            # x: 2 red of 2 known; y: 1 blue of 1 known (E has no colour, Z is unknown)
            "share_top_k": [1.0, 0.0, 1.0, 0.0],
            # category A-D: 2 red, 2 blue (E unknown)
            "share_category": [0.5, 0.5, 0.5, 0.5],
            "lift": [2.0, 0.0, 2.0, 0.0],
            "count": [2, 0, 1, 0],
        }
    ).astype({"lane": "str", "attribute": "str", "value": "str"})
    pd.testing.assert_frame_equal(lift, expected)  # "style" is skipped: no such column


def test_attribute_lift_is_undefined_for_values_the_category_lacks(products):
    lift = attribute_lift(products, {"x": ids("AG")}, ids("ABCD"), k=2, attributes=("color",))
    gold = lift[lift["value"] == "gold"].iloc[0]
    assert gold["share_top_k"] == 0.5 and gold["share_category"] == 0.0
    assert math.isnan(gold["lift"])


def test_attribute_lift_bands_prices_over_the_category_in_band_order(products):
    lift = attribute_lift(products, {"x": ids("DG")}, ids("ABCD"), k=2, attributes=("price_band",))
    # category prices 10..40 -> edges 10, 20, 30; G (60) is outside but still banded
    assert lift["value"].tolist() == ["over R$ 30"]
    assert lift["count"].tolist() == [2]
    assert lift["share_category"].tolist() == [0.25]
    assert lift["lift"].tolist() == [4.0]


def test_attribute_lift_without_known_attributes_is_empty_but_typed(products):
    lift = attribute_lift(products, {"x": ids("AB")}, ids("AB"), attributes=("style",))
    assert lift.empty
    assert list(lift.columns) == [
        "lane", "attribute", "value", "share_top_k", "share_category", "lift", "count"
    ]


@pytest.mark.parametrize("columns", [
    {"color": [None, None, None], "price": [None, None, None]},  # columns present, every value blank
    {"color": [None, None, None]},  # no price column at all
])
def test_attribute_lift_skips_attributes_no_product_has(columns):
    products = pd.DataFrame(columns, index=["1", "2", "3"])
    lift = attribute_lift(products, {"A": ["1", "2"], "B": ["3"], "C": []}, ["1", "2", "3"], k=2)
    assert lift.empty
    assert lift["share_top_k"].dtype == "float64"


def test_attribute_lift_when_no_lane_shows_a_known_value():
    products = pd.DataFrame({"color": ["red", None, None]}, index=["1", "2", "3"])
    lift = attribute_lift(products, {"A": ["2"], "B": ["3"]}, ["1", "2", "3"], k=1)
    assert lift.empty  # no row: not a row per value with a count of 0
    assert list(lift.columns) == ["lane", "attribute", "value", "share_top_k", "share_category", "lift", "count"]


def test_known_attributes_are_those_some_top_k_product_has(products):
    rankings = Rankings({"x": ids("EG"), "y": ids("AB")})
    # E has no colour but a price; G (gold, 60) is in x's top 1 only
    assert known_attributes(products, rankings, 1) == ["color", "price_band"]
    assert known_attributes(products[["price"]], rankings, 1) == ["price_band"]
    assert known_attributes(products.assign(color=None, price=np.nan), rankings, 2) == []
