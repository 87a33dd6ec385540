"""A catalog uploaded in the sidebar replaces the server's for this browser session; a workbook is refused."""

from __future__ import annotations

import io
import zipfile

import pytest

from tests.browser.streamlit_page import (
    alert,
    click_button,
    expect,
    main,
    selectbox_options,
    selectbox_value,
    sidebar,
    upload_catalog,
)

pytestmark = pytest.mark.browser

SMALL_CATALOG = (
    "product_id,name,category,price,stock\n"
    "A1,Red Scarf,Scarves,10.00,3\n"
    "A2,Blue Scarf,Scarves,12.00,0\n"
    "A3,Wool Hat,Hats,20.00,5\n"
)



def excel_workbook() -> bytes:
    """A zip laid out as Excel writes a .xlsx: content types first, then the workbook's parts."""
    parts = {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                               'package/2006/content-types"/>',
        "_rels/.rels": '<?xml version="1.0"?><Relationships/>',
        "xl/workbook.xml": '<?xml version="1.0"?><workbook/>',
        "xl/worksheets/sheet1.xml": '<?xml version="1.0"?><worksheet/>',
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


@pytest.fixture
def small_catalog(tmp_path):
    path = tmp_path / "small.csv"
    path.write_text(SMALL_CATALOG)
    return path


@pytest.fixture
def workbook(tmp_path):
    path = tmp_path / "products.xlsx"
    path.write_bytes(excel_workbook())
    return path


def test_uploaded_catalog_is_used_and_changes_the_categories(studio, small_catalog):
    expect(sidebar(studio).get_by_text("bundled sample catalog: 1,200 products")).to_be_visible()
    sample_categories = selectbox_options(main(studio), "Category")

    upload_catalog(studio, small_catalog)

    expect(sidebar(studio).get_by_text("small.csv: 3 products")).to_be_visible()
    assert selectbox_options(main(studio), "Category") == ["Scarves", "Hats"] != sample_categories


def test_preview_after_an_upload_uses_a_category_of_the_new_catalog(studio, small_catalog):
    upload_catalog(studio, small_catalog)
    expect(sidebar(studio).get_by_text("small.csv: 3 products")).to_be_visible()

    click_button(main(studio), "Preview storefront")
    assert selectbox_value(main(studio), "Category") in {"Scarves", "Hats"}
    expect(main(studio).get_by_test_id("stText").filter(has_text="Scarf")).not_to_have_count(0)


def test_workbook_is_refused_and_the_previous_catalog_stays(studio, small_catalog, workbook):
    upload_catalog(studio, small_catalog)
    expect(sidebar(studio).get_by_text("small.csv: 3 products")).to_be_visible()

    upload_catalog(studio, workbook)

    refusal = alert(sidebar(studio), "Error", "products.xlsx could not be used")
    expect(refusal).to_contain_text("Excel workbook")
    expect(refusal).to_contain_text("The catalog in use before is still in use")
    expect(sidebar(studio).get_by_text("small.csv: 3 products")).to_be_visible()
    assert selectbox_options(main(studio), "Category") == ["Scarves", "Hats"]


def test_workbook_as_first_upload_keeps_the_server_catalog(studio, workbook):
    upload_catalog(studio, workbook)
    expect(alert(sidebar(studio), "Error", "Excel workbook")).to_be_visible()
    expect(sidebar(studio).get_by_text("bundled sample catalog: 1,200 products")).to_be_visible()
