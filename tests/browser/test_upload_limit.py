"""A catalog over the server's upload limit is refused in the browser, and says so.

Streamlit's uploader checks server.maxUploadSize in the browser: a bigger file is never
sent, so the app never sees it. What the user sees is Streamlit's: the limit under the
empty drop zone ("1MB per file"), then the file's chip marked invalid with "File must
be 1.0MB or smaller." (an alert for screen readers, a tooltip on the chip). The app adds
the limit to the uploader's help, and the catalog in use stays in use, named below it.
A test server with a 1 MB limit keeps the files small.
"""

from __future__ import annotations

import re

import pytest

from tests.browser import servers
from tests.browser.conftest import VIEWPORT
from tests.browser.streamlit_page import (
    expect,
    open_app,
    sidebar,
    traffic,
    upload_catalog,
    watch,
)

pytestmark = pytest.mark.browser

LIMIT_MB = 1


@pytest.fixture(scope="module")
def small_limit_server(browser, tmp_path_factory):
    server = servers.start_app(tmp_path_factory.mktemp("small-upload-limit"),
                               extra_args=["--server.maxUploadSize", str(LIMIT_MB)])
    yield server
    server.stop()


@pytest.fixture
def small_limit_studio(browser, small_limit_server):
    context = browser.new_context(viewport=VIEWPORT, base_url=small_limit_server.url)
    context.route(re.compile(r"^(?!(https?|wss?)://(127\.0\.0\.1|localhost)[:/])[a-z]+://"),
                  lambda route: route.abort("blockedbyclient"))
    page = context.new_page()
    watch(page)
    open_app(page, small_limit_server.url + "/")
    yield page
    context.close()


def catalog_file(path, size: int):
    """A valid catalog CSV of at least `size` bytes."""
    lines, written, number = ["product_id,name,category,price,stock"], 0, 0
    while written < size:
        number += 1
        lines.append(f"{number:07d},Linen Shirt number {number} in a long name,Shirts,99.90,3")
        written += len(lines[-1]) + 1
    path.write_text("\n".join(lines) + "\n")
    return path


def test_a_file_over_the_limit_is_refused_with_a_message_and_the_catalog_stays(small_limit_studio, tmp_path):
    page = small_limit_studio
    uploader = sidebar(page).get_by_test_id("stFileUploader")
    expect(uploader).to_contain_text(f"{LIMIT_MB}MB per file")  # Streamlit states the limit up front
    uploader.get_by_test_id("stTooltipHoverTarget").hover()  # and so does the app's help
    expect(page.get_by_test_id("stTooltipContent")).to_contain_text(f"Files up to {LIMIT_MB} MB")
    page.mouse.move(700, 500)

    big = catalog_file(tmp_path / "big.csv", int(LIMIT_MB * 1024 * 1024 * 1.3))
    uploader.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(big)  # refused in the browser: no run

    chip = uploader.get_by_test_id("stFileChip")
    expect(chip).to_have_attribute("aria-invalid", "true")
    expect(chip).to_contain_text("big.csv")
    expect(uploader.get_by_role("alert")).to_have_text(f"Error: File must be {LIMIT_MB:.1f}MB or smaller.")
    chip.hover()
    expect(page.get_by_test_id("stTooltipErrorContent")).to_contain_text(f"File must be {LIMIT_MB:.1f}MB or smaller.")
    assert not [r.url for r in traffic(page).requests if "/_stcore/upload_file" in r.url]  # nothing was sent
    expect(sidebar(page).get_by_text("bundled sample catalog: 1,200 products")).to_be_visible()

    uploader.get_by_test_id("stFileChipDeleteBtn").get_by_role("button").click()
    small = catalog_file(tmp_path / "small.csv", 2_000)
    upload_catalog(page, small)  # under the limit: read as usual
    expect(sidebar(page).get_by_text(re.compile(r"small\.csv: \d+ products"))).to_be_visible()
