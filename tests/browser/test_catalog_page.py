"""The Catalog page in the browser: an upload on the page shows its health report, everywhere."""

from __future__ import annotations

import pytest

from tests.browser.streamlit_page import (
    alert,
    expect,
    expect_no_exception,
    go_to,
    main,
    sidebar,
    upload_file,
)

pytestmark = pytest.mark.browser

CATALOG = (
    "sku;nome;categoria;preço;estoque\n"
    "A1;Cachecol Vermelho;Cachecóis;10,00;3\n"
    "A2;Cachecol Azul;Cachecóis;12,00;0\n"
    "A3;Chapéu de Lã;Chapéus;20,00;5\n"
    ";sem id;Chapéus;1,00;1\n"
)


def upload_on_the_page(page, path) -> None:
    upload_file(main(page), "Upload a catalog (CSV)", path)  # not "Attach files", the extra files' uploader


def metric(page, label: str):
    return main(page).get_by_test_id("stMetric").filter(has=page.get_by_test_id("stMetricLabel").get_by_text(
        label, exact=True)).get_by_test_id("stMetricValue")


def test_upload_on_the_catalog_page_shows_its_health(studio, tmp_path):
    path = tmp_path / "loja.csv"
    path.write_bytes(CATALOG.encode("cp1252"))
    go_to(studio, "Catalog")
    expect(metric(studio, "Products")).to_have_text("1,200")

    upload_on_the_page(studio, path)

    expect(alert(main(studio), "Success", "loja.csv is now your catalog")).to_be_visible()
    expect(metric(studio, "Products")).to_have_text("3")
    expect(metric(studio, "Categories")).to_have_text("2")
    expect(metric(studio, "Out of stock")).to_have_text("1")
    expect(metric(studio, "Rows skipped")).to_have_text("1")
    expect(main(studio).get_by_test_id("stVegaLiteChart")).to_have_count(2)  # stock and category sizes
    expect(alert(main(studio), "Warning", "no product id")).to_be_visible()
    expect(main(studio).get_by_text("Windows-1252, values separated by semicolons")).to_be_visible()
    expect(sidebar(studio).get_by_text("loja.csv: 3 products")).to_be_visible()
    expect_no_exception(studio)


def test_a_workbook_on_the_catalog_page_keeps_the_catalog(studio, tmp_path):
    path = tmp_path / "products.xlsx"
    path.write_bytes(b"PK\x03\x04" + bytes(200))
    go_to(studio, "Catalog")

    upload_on_the_page(studio, path)

    refusal = alert(main(studio), "Error", "products.xlsx could not be used")
    expect(refusal).to_contain_text("The catalog in use before is still in use")
    expect(metric(studio, "Products")).to_have_text("1,200")
    expect_no_exception(studio)
