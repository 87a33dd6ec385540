"""Compare lanes in the browser: one click fetches every lane; K, p and the reference only recompute.

The defaults are two personas, the store's native order and Fashion.AI's best sellers on
the sample catalog's first category. The last test runs live against a loopback API
that fails every call of one shopper session: that lane shows its error, the others draw.
"""

from __future__ import annotations

import json
import re
import threading

import pytest

from fashionai.catalog import load_catalog
from fashionai.catalog.sample import SAMPLE_CATALOG_PATH
from fashionai.simulator import SimResponse, Simulator, start_server
from tests.browser import servers
from tests.browser.handover_files import check_handover
from tests.browser.streamlit_page import (
    alert,
    click_button,
    expect,
    expect_no_exception,
    get_widget,
    go_to,
    main,
    open_expander,
    open_tab,
    press_slider,
    rerun,
    slider_value,
    traffic,
)

pytestmark = pytest.mark.browser

DEFAULT_LANES = ("Sporty shopper", "Office shopper", "Native order", "Best sellers")
PERSONA_SESSION = re.compile(r"studio-persona-[0-9a-f]+")
BROKEN_SESSION = "broken-session"


def lane_heading(page, label: str):
    """A lane's bold label at the top of its box."""
    return main(page).locator("strong").get_by_text(label, exact=True)


def lane_top_names(page) -> list[list[str]]:
    """The "1. name" lines under each lane, lane by lane."""
    blocks = main(page).get_by_test_id("stText").filter(has_text=re.compile(r"^1\. ")).all_inner_texts()
    return [[line.split(". ", 1)[1] for line in block.splitlines()] for block in blocks]


def test_compare_lanes_draws_the_charts_and_a_new_k_recomputes_them_without_a_call(studio):
    go_to(studio, "Compare lanes")
    expect(alert(main(studio), "Info", "Press Compare lanes")).to_be_visible()
    click_button(main(studio), "Compare lanes")

    expect_no_exception(studio)
    expect(main(studio).get_by_test_id("stHeading").filter(has_text="Knitwear: 4 lanes")).to_be_visible()
    for label in DEFAULT_LANES:
        expect(lane_heading(studio, label)).to_be_visible()
    expect(alert(main(studio), "Error")).to_have_count(0)
    sporty_top = lane_top_names(studio)[0]
    assert len(sporty_top) == 3 and all(sporty_top), sporty_top
    sessions = PERSONA_SESSION.findall(main(studio).inner_text())
    assert len(set(sessions)) == 2, sessions  # each persona ran on its own fresh session

    bump = open_tab(main(studio), "Bump chart", lazy=True).get_by_test_id("stVegaLiteChart")
    expect(bump.locator("svg, canvas").first).to_be_visible()
    expect(main(studio).get_by_test_id("stVegaLiteChart")).to_have_count(1)  # only the open tab is drawn
    expect(bump).to_contain_text("How the top 10 reshuffles across lanes")
    for label in DEFAULT_LANES:
        expect(bump).to_contain_text(label)

    changes = open_tab(main(studio), "Rank changes", lazy=True)
    expect(changes.get_by_text("Sporty shopper against Native order")).to_be_visible()
    for metric in ("Moved up", "Moved down", "New in top 10", "Dropped from top 10"):
        expect(changes.get_by_test_id("stMetric").filter(has_text=metric)).to_be_visible()
    change_chart = changes.get_by_test_id("stVegaLiteChart")
    expect(change_chart).to_contain_text("Who moved, and how far")
    for name in sporty_top:  # the compared lane's top products, by name, on the chart's axis
        expect(change_chart).to_contain_text(name)
    expect(change_chart.locator("svg, canvas").first).to_be_visible()
    # A product new to the top 10 is drawn apart from the moves, noted with where it came from ("new (from #70)").
    expect(change_chart).to_contain_text(re.compile(r"from #\d+"))

    measures = open_tab(main(studio), "Measures", lazy=True)
    heatmaps = measures.get_by_test_id("stVegaLiteChart")
    expect(heatmaps).to_have_count(4)  # RBO, overlap@K, Jaccard@K, Kendall's tau
    for index in range(4):
        expect(heatmaps.nth(index).locator("svg, canvas").first).to_be_visible()
    expect(measures.get_by_text("Every pair of lanes")).to_be_visible()
    expect(measures.get_by_test_id("stDataFrame")).to_be_visible()

    expect(main(studio).get_by_text("Fashion.AI is not called again")).to_be_visible()
    assert slider_value(main(studio), "Top K") == "10"
    press_slider(main(studio), "Top K", "ArrowLeft")

    assert slider_value(main(studio), "Top K") == "9"
    changes = open_tab(main(studio), "Rank changes", lazy=True)
    expect(changes.get_by_test_id("stMetric").filter(has_text="New in top 9")).to_be_visible()
    expect(open_tab(main(studio), "Bump chart", lazy=True).get_by_test_id("stVegaLiteChart")).to_contain_text(
        "How the top 9 reshuffles across lanes")
    # Fetching again would run each persona on a new fresh session: the same sessions mean no call.
    assert PERSONA_SESSION.findall(main(studio).inner_text()) == sessions
    assert "k=9" in studio.url
    assert traffic(studio).page_errors == []  # every chart drew (a Vega-Lite error leaves it blank)

    # What goes to the stakeholders: the deck and the report of these four lanes, read back.
    slides = check_handover(main(studio), "handover-compare-4-lanes", backend="Built-in simulator",
                            names=[*sporty_top, *DEFAULT_LANES])
    assert any("How the top 9 reshuffles across lanes" in text for text in slides)  # at the view's K


# --------------------------------------------------------------------------- one lane failing, live


class PartlyBrokenAPI:
    """The simulator as the live API on loopback, answering HTTP 500 to every call of BROKEN_SESSION."""

    def __init__(self, token: str):
        self.simulator = Simulator(load_catalog(SAMPLE_CATALOG_PATH).products, token=token)
        self.calls = 0
        self._lock = threading.Lock()

    def handle(self, method, path, query, headers, body):
        with self._lock:
            self.calls += 1
        if body and json.loads(body).get("sessionId") == BROKEN_SESSION:
            return SimResponse(500, {"Content-Type": "application/json"}, b'{"error": "internal server error"}')
        return self.simulator.handle(method, path, query, headers, body)


@pytest.fixture(scope="module")
def partly_broken_api(simulator_token):
    api = PartlyBrokenAPI(simulator_token)
    server, thread, base_url = start_server(api)
    api.base_url = base_url
    yield api
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def live_server(browser, tmp_path_factory, simulator_token, partly_broken_api):
    """In this module, the live-mode app talks to `partly_broken_api` (overrides the conftest's)."""
    env = servers.clean_environment(FASHIONAI_APP_TOKEN=simulator_token,
                                    FASHIONAI_BASE_URL=partly_broken_api.base_url)
    server = servers.start_app(tmp_path_factory.mktemp("partly-broken-live-server"), env=env)
    yield server
    server.stop()


def test_a_failing_lane_shows_its_error_and_the_other_lanes_still_compare(live_studio, partly_broken_api):
    go_to(live_studio, "Compare lanes")
    expander = open_expander(main(live_studio), "Add shopper sessions")
    sessions = get_widget(expander, "stTextArea", "Shopper sessions, one per line").locator("textarea")
    with rerun(live_studio):
        sessions.fill(BROKEN_SESSION)
        sessions.press("Control+Enter")  # commits a text area
    click_button(main(live_studio), "Compare lanes")

    expect_no_exception(live_studio)
    expect(main(live_studio).get_by_test_id("stHeading").filter(has_text="Knitwear: 5 lanes")).to_be_visible()
    failure = alert(main(live_studio), "Error", f"Lane {BROKEN_SESSION} did not work")
    expect(failure).to_be_visible()
    expect(failure).to_contain_text("500")
    expect(alert(main(live_studio), "Error")).to_have_count(1)  # only that lane
    expect(main(live_studio).get_by_text("This lane could not be fetched; the other lanes are not affected.")
           ).to_be_visible()
    bump = open_tab(main(live_studio), "Bump chart", lazy=True).get_by_test_id("stVegaLiteChart")
    for label in DEFAULT_LANES:
        expect(bump).to_contain_text(label)
    expect(bump).not_to_contain_text(BROKEN_SESSION)

    calls = partly_broken_api.calls
    press_slider(main(live_studio), "Top K", "ArrowRight")
    expect(open_tab(main(live_studio), "Rank changes", lazy=True).get_by_test_id("stMetric").filter(
        has_text="New in top 11")).to_be_visible()
    assert partly_broken_api.calls == calls  # moving K asked the API nothing
