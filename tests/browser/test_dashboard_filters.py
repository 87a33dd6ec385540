"""The dashboard's filters in the browser: recorded for category pages (in this module's own server's database, so no
other test meets them), the storefront's cards that break them wear the badge with their reasons, and the Settings
page lists them."""

from __future__ import annotations

import pytest

from fashionai.filters import DashboardFilters
from fashionai.filters.store import FilterStore
from fashionai.team import LOCAL_PERSON
from tests.browser import servers
from tests.browser.streamlit_page import badge, click_button, expect, go_to, main

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def studio_server(browser, tmp_path_factory):
    """The app on the simulator, its history's database holding a least price no sample product reaches."""
    workdir = tmp_path_factory.mktemp("filters-server")
    url = f"sqlite:///{workdir / 'history.db'}"
    store = FilterStore(url)
    store.set_filters("categoryView", DashboardFilters(min_price=10_000), person=LOCAL_PERSON)
    store.close()
    server = servers.start_app(workdir, env=servers.clean_environment(FASHIONAI_HISTORY_URL=url))
    yield server
    server.stop()


def test_the_storefront_marks_products_breaking_a_filter_and_settings_lists_it(studio):
    click_button(main(studio), "Preview storefront")
    expect(badge(main(studio), "breaks a dashboard filter").first).to_be_visible()
    expect(main(studio).get_by_text("outside R$ 10.000,00 or more").first).to_be_visible()
    expect(main(studio).get_by_text("break a dashboard filter set for Category page")).to_be_visible()
    go_to(studio, "Settings")
    expect(main(studio).get_by_text("Dashboard filters (the team's)")).to_be_visible()
    expect(main(studio).get_by_test_id("stDataFrame").filter(has_text="Recommendation type").first).to_be_visible()
