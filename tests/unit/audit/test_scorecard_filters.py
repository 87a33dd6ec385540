"""The scorecard's "filter breaches" measure (issue 25): the share of top-K places held by products breaking a
dashboard filter set for the list's recommendation type, per placement and overall; not measured, with why, when no
filter is set, none for a type the run asked, or the catalog cannot support them."""

from __future__ import annotations

import math

import pytest

from fashionai.audit.scorecard import MEASURE_INFO, Scorecard, score_run
from fashionai.filters import DashboardFilters, Discount, FilterSettings
from tests.unit.audit.scorecard_helpers import CV, SHELF, run_answers, tiny_catalog


@pytest.fixture
def catalog(tmp_path):
    return tiny_catalog(tmp_path)


def test_breaches_are_the_share_of_places_of_the_filtered_type(catalog):
    # category pages: stock at or below 2 breaks (007 has 0, 9 has 2, 21 has 1; 7's stock is unknown)
    filters = FilterSettings({CV: DashboardFilters(low_stock_limit=2)})
    card = score_run(run_answers(), catalog, k=2, filters=filters)
    rows = card.category_rows().set_index("category")
    # Shoes at K=2: a [007, 8], b [8, 007] -> 007 twice of 4 places
    assert rows.loc["Shoes", "filter_breaches"] == pytest.approx(0.5)
    # Bags: a [20, 21], b [20, 21] -> 21 twice of 4 places
    assert rows.loc["Bags", "filter_breaches"] == pytest.approx(0.5)
    assert math.isnan(card.category_rows(SHELF).iloc[0]["filter_breaches"])  # no filter for the home shelf
    # overall: the category pages' 8 places only (the types with a filter): 4 of 8
    assert card.overall()["filter_breaches"] == pytest.approx(0.5)
    assert "filter_breaches" not in card.not_measured
    assert Scorecard.from_json(card.to_json()).overall()["filter_breaches"] == pytest.approx(0.5)


def test_a_type_of_its_own_is_measured_on_its_own_lists(catalog):
    filters = FilterSettings({SHELF: DashboardFilters(max_price=45)})
    card = score_run(run_answers(), catalog, k=2, filters=filters)
    # the shelf's one list [20, 9]: 20 costs 50 -> 1 of 2 places
    assert card.category_rows(SHELF).iloc[0]["filter_breaches"] == pytest.approx(0.5)
    assert math.isnan(card.category_rows().iloc[0]["filter_breaches"])
    assert card.overall()["filter_breaches"] == pytest.approx(0.5)


@pytest.mark.parametrize(("filters", "why"), [
    (None, "no dashboard filter is recorded (an admin sets them on Settings, under Dashboard filters)"),
    (FilterSettings({"search": DashboardFilters(max_price=1)}),
     "no dashboard filter is recorded for a recommendation type the run asked"),
    (FilterSettings({CV: DashboardFilters(discount=Discount.FULL_PRICE_ONLY, full_size_run=True)}),
     ("the catalog cannot support the filters set (no sale price column: the discount filter cannot be checked; "
     "no stock per size (add a stock-per-size extra file): the size-run filter cannot be checked)")),
])
def test_not_measured_says_why(catalog, filters, why):
    card = score_run(run_answers(), catalog, k=2, filters=filters)
    assert card.not_measured["filter_breaches"] == why
    assert card.overall()["filter_breaches"] is None


def test_the_measure_is_registered_with_its_words():
    info = MEASURE_INFO["filter_breaches"]
    assert (info.label, info.better, info.unit) == ("Dashboard filters broken", "lower", "share")
