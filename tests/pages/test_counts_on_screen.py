"""Counts on screen carry thousands separators (issue 21, item 23: "Chart all 1099 products", "1099" in tables)."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from tests.apptest_helpers import open_page
from tests.pages.audit_pages import PAGE, small_plan, start


def chart_all_toggle():
    import pandas as pd

    from fashionai.ui.chart_widgets import changes_top

    changes_top(pd.DataFrame({"product_id": [f"{i:05d}" for i in range(1099)]}), key="changes_all")


def test_the_chart_all_toggle_says_its_count_with_a_thousands_separator():
    at = AppTest.from_function(chart_all_toggle).run()
    assert not at.exception
    assert at.toggle(key="changes_all").label == "Chart all 1,099 products"


def number_formats(at: AppTest) -> dict[str, str]:
    """Each dataframe column's number format, by its label."""
    formats = {}
    for frame in at.dataframe:
        for config in json.loads(frame.proto.columns or "{}").values():
            kind = config.get("type_config", {})
            if "format" in kind:
                formats[config.get("label")] = kind["format"]
    return formats


def test_the_audit_tables_counts_carry_thousands_separators(app):
    open_page(app, PAGE)
    small_plan(app)
    assert number_formats(app)["Calls"] == "localized"  # the estimate's
    start(app)
    formats = number_formats(app)
    assert formats["Shoppers"] == formats["Calls"] == "localized"  # the categories'
