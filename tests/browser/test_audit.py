"""An audit in a real browser, as a product team would run one on the simulator: every category of the sample
catalog with 20 personas, progress on screen, cancelled and resumed, the scorecard with its chart, a category's
shoppers opened on Compare lanes from their saved answers; then the catalog changes, a second run, and the two
runs compared."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from fashionai.catalog import load_catalog
from fashionai.catalog.sample import SAMPLE_CATALOG_PATH
from tests.browser.streamlit_page import (
    alert,
    click_button,
    expect,
    expect_no_exception,
    get_widget,
    go_to,
    main,
    rerun,
    upload_catalog,
)

pytestmark = pytest.mark.browser
RUN_MS = 90_000


def set_number(page, label: str, value: float) -> None:
    field = get_widget(main(page), "stNumberInput", label).locator("input")
    with rerun(page):
        field.fill(str(value))
        field.press("Enter")


def open_section(page, name: str) -> None:
    with rerun(page):
        main(page).get_by_role("radio", name=name, exact=True).click()


def progress(page):
    return main(page).get_by_test_id("stProgress")


def test_an_audit_runs_is_cancelled_resumed_scored_drilled_and_compared(studio, tmp_path):
    page = studio
    go_to(page, "Audits")
    expect_no_exception(page)
    expect(main(page).get_by_text("Before it starts:")).to_be_visible()
    expect(main(page).get_by_text(re.compile(r"for 23 shoppers over 12 categories"))).to_be_visible()
    set_number(page, "Requests per second", 40)  # 357 calls take about 9 s: time to cancel mid-way

    click_button(main(page), "Start the audit")
    expect(progress(page)).to_contain_text(re.compile(r"Running: [\d,]+ of 357 calls"), timeout=RUN_MS)
    click_button(main(page), "Cancel")
    expect(progress(page)).to_contain_text("Cancelled (can be resumed)", timeout=RUN_MS)
    cancelled = progress(page).inner_text()
    assert "of 357 calls" in cancelled and "357 of 357" not in cancelled

    click_button(main(page), "Resume")
    expect(progress(page)).to_contain_text("Finished: 357 of 357 calls", timeout=RUN_MS)
    expect_no_exception(page)
    expect(get_widget(main(page), "stSelectbox", "Measure across categories")).to_be_visible()
    expect(main(page).get_by_test_id("stDataFrame").first).to_be_visible()
    expect(main(page).get_by_test_id("stVegaLiteChart").first).to_be_visible()

    box = get_widget(main(page), "stSelectbox", "A category's shoppers").get_by_role("combobox")
    box.scroll_into_view_if_needed()
    box.click()
    with rerun(page):
        page.get_by_test_id("stSelectboxVirtualDropdown").get_by_role("option", name="Dresses", exact=True).click()
    click_button(main(page), "Open them on Compare lanes")
    expect(main(page).get_by_text("no call was made")).to_be_visible(timeout=RUN_MS)
    expect_no_exception(page)

    # the catalog changes: a quarter of the products sell out; the same plan runs again
    catalog = load_catalog(SAMPLE_CATALOG_PATH)
    frame = pd.read_csv(SAMPLE_CATALOG_PATH, dtype=str, keep_default_na=False)
    frame.loc[frame.index % 4 == 0, catalog.mapping["stock"]] = "0"
    changed = tmp_path / "sold_out_quarter.csv"
    frame.to_csv(changed, index=False)
    upload_catalog(page, changed)
    go_to(page, "Audits")
    set_number(page, "Requests per second", 500)
    click_button(main(page), "Start the audit")
    expect(progress(page)).to_contain_text("Finished: 357 of 357 calls", timeout=RUN_MS)

    open_section(page, "Two runs")
    expect_no_exception(page)
    expect(alert(main(page), "Error")).to_have_count(0)
    expect(main(page).get_by_text("The same shoppers in both runs", exact=True)).to_be_visible()
    expect(main(page).get_by_test_id("stDataFrame")).to_have_count(2)
    open_section(page, "Over time")
    expect(main(page).get_by_test_id("stVegaLiteChart").first).to_be_visible()
    expect_no_exception(page)
