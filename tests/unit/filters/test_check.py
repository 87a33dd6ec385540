"""The dashboard's filters checked on hand-made catalogs (fashionai.filters.check): each rule, its boundaries, and
what the catalog cannot support said in words."""

from __future__ import annotations

import pytest

from fashionai.catalog import load_catalog
from fashionai.catalog.extras import join_extras, read_extra
from fashionai.domain import EventType
from fashionai.filters import DashboardFilters, Discount, FilterSettings, FiltersError, check_filters

PRODUCTS = ("id,name,category,price,sale price,stock\n"
            "a,Linen Shirt,Shirts,199.90,149.90,3\n"
            "b,Straw Hat,Hats,320.00,,5\n"
            "c,Denim Jacket,Jackets,50.00,50.00,6\n"
            "d,Silk Scarf,Scarves,,,\n"
            "e,Wool Coat,Coats,300.00,,0\n")
SIZES = "id,size,stock\na,P,3\na,M,0\na,G,0\nb,U,5\nc,P,1\nc,M,2\n"


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(PRODUCTS.encode(), name="products.csv")


def test_low_stock_is_a_breach_at_or_below_the_limit_and_unknown_stock_is_not_checked(catalog):
    check = check_filters(catalog, "categoryView", list("abcde"), DashboardFilters(low_stock_limit=5))
    assert check.reasons("a") == ("at or below the low-stock limit (3 ≤ 5)",)
    assert check.reasons("b") == ("at or below the low-stock limit (5 ≤ 5)",)  # at the limit: not recommended
    assert check.reasons("c") == ()  # 6 is above it
    assert check.reasons("d") == ()  # unknown stock: not a breach
    assert check.reasons("e") == ("at or below the low-stock limit (0 ≤ 5)",)
    assert check.notes == ("1 product has unknown stock: the low-stock filter was not checked for it",)
    assert (check.breaking, check.checked, check.share) == (3, 5, 0.6)


def test_the_price_range_keeps_its_ends_and_skips_a_missing_price(catalog):
    check = check_filters(catalog, "categoryView", list("abcde"), DashboardFilters(min_price=50, max_price=300))
    assert check.reasons("b") == ("price R$ 320,00 outside R$ 50,00–R$ 300,00",)
    assert check.reasons("c") == () and check.reasons("e") == ()  # 50 and 300 are inside
    assert check.reasons("a") == ()
    assert "1 product has no price: the price range was not checked for it" in check.notes
    only_min = check_filters(catalog, "categoryView", ["c"], DashboardFilters(min_price=60))
    assert only_min.reasons("c") == ("price R$ 50,00 outside R$ 60,00 or more",)


def test_only_full_price_flags_a_discounted_product_and_only_discounted_the_others(catalog):
    full = check_filters(catalog, "categoryView", list("abc"), DashboardFilters(discount=Discount.FULL_PRICE_ONLY))
    assert full.reasons("a") == ("discounted (R$ 149,90, was R$ 199,90), but only full price is allowed",)
    assert full.reasons("b") == () and full.reasons("c") == ()  # no sale price; a sale price equal to the price
    sale = check_filters(catalog, "categoryView", list("abc"), DashboardFilters(discount=Discount.DISCOUNTED_ONLY))
    assert sale.reasons("a") == ()
    assert sale.reasons("b") == ("full price (R$ 320,00), but only discounted products are allowed",)


def test_without_a_sale_price_column_the_discount_filter_is_said_not_checked():
    plain = load_catalog(b"id,name,price,stock\na,Shirt,10,3\n", name="p.csv")
    check = check_filters(plain, "categoryView", ["a"], DashboardFilters(discount=Discount.FULL_PRICE_ONLY))
    assert check.cannot_check == ("no sale price column: the discount filter cannot be checked",)
    assert check.breaches == {} and check.share is None and not check.measurable
    assert "No sale price column: the discount filter cannot be checked." in check.sentences()


def test_without_stock_the_low_stock_filter_is_said_not_checked():
    plain = load_catalog(b"id,name,price\na,Shirt,10\n", name="p.csv")
    check = check_filters(plain, "categoryView", ["a"], DashboardFilters(low_stock_limit=2))
    assert check.cannot_check == ("no stock column: the low-stock filter cannot be checked",)
    yes_no = load_catalog(b"id,name,stock\na,Shirt,yes\nb,Hat,no\n", name="p.csv")
    check = check_filters(yes_no, "categoryView", ["a", "b"], DashboardFilters(low_stock_limit=2))
    assert check.cannot_check == (("the stock says only yes or no, not how many: the low-stock filter cannot be "
                                  "checked"),)


def test_a_size_run_is_full_only_when_every_size_is_in_stock(catalog):
    joined = join_extras(catalog, [read_extra(SIZES.encode(), name="sizes.csv")]).catalog
    check = check_filters(joined, "categoryView", list("abcd"), DashboardFilters(full_size_run=True))
    assert check.reasons("a") == ("size run not full: M, G out of stock",)
    assert check.reasons("b") == () and check.reasons("c") == ()
    assert check.notes == ("1 product has no stock per size: the size-run filter was not checked for it",)
    without = check_filters(catalog, "categoryView", ["a"], DashboardFilters(full_size_run=True))
    assert without.cannot_check == (("no stock per size (add a stock-per-size extra file): the size-run filter "
                                    "cannot be checked"),)


def test_filters_apply_to_their_own_recommendation_type_only(catalog):
    settings = FilterSettings({EventType.CUSTOM_SHELF: DashboardFilters(low_stock_limit=5)})
    assert check_filters(catalog, "categoryView", ["a"], settings).filters is None
    assert check_filters(catalog, EventType.CUSTOM_SHELF, ["a"], settings).reasons("a")
    assert check_filters(catalog, "categoryView", ["a"], settings).sentences() == [
        "No dashboard filter is recorded for Category page."]


def test_ids_the_catalog_lacks_and_repeats_are_not_counted(catalog):
    check = check_filters(catalog, "categoryView", ["a", "a", "zzz"], DashboardFilters(low_stock_limit=5))
    assert (check.checked, check.breaking) == (1, 1)


def test_several_breaches_of_one_product_are_all_said(catalog):
    check = check_filters(catalog, "categoryView", ["a"], DashboardFilters(
        low_stock_limit=3, max_price=100, discount=Discount.FULL_PRICE_ONLY))
    assert len(check.reasons("a")) == 3


@pytest.mark.parametrize(("kwargs", "words"), [
    ({"min_price": 300, "max_price": 50}, "upside down"),
    ({"min_price": -1}, "0 or more"),
    ({"max_price": "lots"}, "must be a number"),
    ({"low_stock_limit": 2.5}, "whole number"),
    ({"low_stock_limit": -1}, "from 0 to"),
    ({"discount": "sometimes"}, "discount filter is one of"),
])
def test_filters_that_cannot_be_kept_are_refused_in_words(kwargs, words):
    with pytest.raises(FiltersError, match=words):
        DashboardFilters(**kwargs)


def test_settings_read_back_from_json_and_drop_types_without_a_filter():
    settings = FilterSettings({"categoryView": DashboardFilters(min_price=10, full_size_run=True),
                               "search": DashboardFilters()})
    assert list(settings.by_event) == ["categoryView"]
    assert FilterSettings.from_json(settings.to_json()) == settings
    with pytest.raises(FiltersError, match="no recommendation type called salesRanking"):
        FilterSettings({"salesRanking": DashboardFilters(min_price=1)})
