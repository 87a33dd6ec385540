"""The shopper walk in a real browser, live against a fake Fashion.AI on loopback that keeps every request:
home, a category, a product, its look, back to the category re-ranked with arrows. Exactly the storefront's
calls are sent (no more, none on a rerun), the trail counts them, and the token is never in the page."""

from __future__ import annotations

import json
import secrets
import threading

import pytest

from fashionai.catalog import load_catalog
from fashionai.catalog.sample import SAMPLE_CATALOG_PATH
from fashionai.simulator import Simulator, start_server
from tests.browser import servers
from tests.browser.conftest import _new_page
from tests.browser.handover_files import check_handover
from tests.browser.streamlit_page import (
    alert,
    click_button,
    expect,
    expect_no_exception,
    fill_text,
    get_button,
    go_to,
    main,
    rerun,
    select_option,
    selectbox_options,
    traffic,
)

pytestmark = pytest.mark.browser


class RecordingSimulator(Simulator):
    """The simulator as a fake live API that keeps every request it is sent: (method, path, eventType)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.requests: list[tuple[str, str, str | None]] = []
        self._requests_lock = threading.Lock()

    def handle(self, method, path, query, headers, body, **kwargs):
        try:
            event = json.loads(body).get("eventType") if body else None
        except (ValueError, AttributeError):
            event = None
        with self._requests_lock:
            self.requests.append((method.upper(), path.split("/api/v1", 1)[-1], event))
        return super().handle(method, path, query, headers, body, **kwargs)


@pytest.fixture(scope="module")
def walk_server(browser, tmp_path_factory):
    token = "walk/" + secrets.token_hex(16)
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


def calls(server, since: int = 0) -> list[str]:
    """What was sent since `since`: a recommendation call's event, else the endpoint's path (no query)."""
    named = {"/products/protected/sales-ranking": "salesRanking", "/products/protected/similar": "similar"}
    return [event or named.get(path, path) for _, path, event in server.simulator.requests[since:]]


def test_the_walk_sends_the_storefronts_calls_and_no_others(walk_page, walk_server):
    page, server = walk_page, walk_server
    go_to(page, "Shopper walk")
    expect_no_exception(page)
    assert calls(server) == []  # opening the page sends nothing

    fill_text(main(page), "Collection id", "1")  # live: the merchandiser types a collection's id
    assert calls(server) == []
    click_button(main(page), "Open the home page")
    expect(main(page).get_by_text("For you", exact=True)).to_be_visible()
    assert calls(server) == ["customShelf", "/merchandising-collections/protected/1", "salesRanking"]

    category = selectbox_options(main(page), "Category")[0]
    select_option(main(page), "Category", category)
    assert len(calls(server)) == 3  # choosing sends nothing
    click_button(main(page), "Open category")
    assert calls(server, 3) == ["categoryView"]
    expect(main(page).get_by_text("the store's own order").first).to_be_visible()

    opens = main(page).get_by_test_id("stButton").get_by_role("button", name="Open", exact=True)
    with rerun(page):  # the first card's "Open"
        opens.first.click()
    assert calls(server, 4) == ["productView", "similar", "shopTheLook"]
    expect(main(page).get_by_text("Similar for this shopper", exact=True)).to_be_visible()

    click_button(main(page), "Shop the look")
    assert len(calls(server)) == 7  # the drawer sends nothing: the look was asked for with the product page
    expect(main(page).get_by_text("Opening it sent nothing", exact=False)).to_be_visible()

    click_button(main(page), f"← back to {category}")
    assert calls(server, 7) == ["categoryView"]
    expect(main(page).get_by_text("previous visit of the category").first).to_be_visible()
    arrows = main(page).locator(".stMarkdownBadge").filter(has_text="↑")
    expect(arrows.first).to_be_visible()  # re-ranked: products moved up since the first visit
    expect(main(page).get_by_text("8 calls, 5 tracking events")).to_be_visible()  # the trail counts them

    with rerun(page):
        page.keyboard.press("r")  # a rerun sends nothing
    assert len(calls(server)) == 8
    expect_no_exception(page)
    expect(alert(main(page), "Error")).to_have_count(0)
    assert get_button(main(page), "Home").is_visible()

    assert server.token not in page.content()
    seen = traffic(page)
    assert all(server.token.encode() not in frame for _, frame in seen.frames)
    assert all(server.token not in request.url for request in seen.requests)

    # The walk handed over: its calls and the category page as cards, without the token.
    before = len(calls(server))
    slides = check_handover(main(page), "handover-shopper-walk", backend="Live Fashion.AI API", names=[category])
    assert server.token not in "\n".join(slides)
    assert len(calls(server)) == before  # making the files sent nothing
