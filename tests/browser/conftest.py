"""The real-browser suite: the app served by Streamlit, driven by Playwright in Debian's Chromium.

Fixtures, widest first:

    browser        one headless Chromium per test session (per xdist worker)
    studio_server  the app on the built-in simulator (no token), started once
    live_server    the app LIVE against ``python -m fashionai simulate --token ...``
    echo_server    the app LIVE against tests/fakeapi.py, a fake API that can echo the token
    studio         a fresh browser context and page, opened on ``studio_server``
    live_studio    the same on ``live_server``
    echo_studio    the same on ``echo_server`` (``echo_server.fake_api.mode`` says how it answers)

A page listed in app.py's navigation is covered as soon as it is listed: it is walked
and opened by its address (test_navigation.py), and in live mode its primary buttons
are pressed while the token is looked for everywhere (test_live_token.py). Its own
flow is one small test in ``test_<page>.py``, with the helpers of streamlit_page.py:

    def test_compare_shows_every_lane(studio):
        go_to(studio, "Compare lanes")
        click_button(main(studio), "Compare lanes")      # returns once that run is on screen
        expect(main(studio).get_by_test_id("stHeading").filter(has_text="lanes")).to_be_visible()

Every test of this folder is marked ``browser`` (deselect with ``-m "not browser"``).
Without Chromium or Playwright the tests skip with the reason, except under CI
(``CI=true``), where that is a failure. A failed test leaves a full-page screenshot
the page's HTML and its websocket messages in ``tests/artifacts/``.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil

import pytest

from tests.browser import servers
from tests.browser.streamlit_page import NEXT_FRAMES_JS, describe_frames, open_app, traffic, watch
from tests.fakeapi import start_fake_api, stop_fake_api

ARTIFACTS = servers.ROOT / "tests" / "artifacts"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
VIEWPORT = {"width": 1400, "height": 1000}  # wide enough that the sidebar stays open
EXPECT_TIMEOUT_MS = 20_000
"""How long an ``expect(...)`` retries: content shows up as soon as the run is rendered."""


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives the served app in a real browser (Playwright, Chromium)")


# --------------------------------------------------------------------------- availability


def chromium_path() -> str | None:
    if os.access("/usr/bin/chromium", os.X_OK):
        return "/usr/bin/chromium"
    return shutil.which("chromium")


def missing_browser() -> str | None:
    """Why the browser suite cannot run here, or None."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as err:
        return f"Playwright is not importable ({err}); install the test extra: pip install -e '.[test]'"
    if chromium_path() is None:
        return "Chromium is not installed (no /usr/bin/chromium, no chromium on PATH); apt-get install chromium"
    return None


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


@pytest.fixture(scope="session")
def browser():
    reason = missing_browser()
    if reason is not None:
        if in_ci():
            pytest.fail(f"The browser suite cannot run under CI: {reason}", pytrace=False)
        pytest.skip(f"browser suite skipped: {reason}")
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


# --------------------------------------------------------------------------- servers


@pytest.fixture(scope="session")
def studio_server(browser, tmp_path_factory):
    """The app on the built-in simulator: no token, a clean environment. One per session (per worker)."""
    server = servers.start_app(tmp_path_factory.mktemp("studio-server"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def simulator_token() -> str:
    return "leakcheck-" + secrets.token_hex(16)


@pytest.fixture(scope="session")
def live_server(browser, tmp_path_factory, simulator_token):
    """The app LIVE (a token, a base URL) against the loopback simulator that requires that token."""
    simulator = servers.start_simulator(simulator_token)
    try:
        env = servers.clean_environment(FASHIONAI_APP_TOKEN=simulator_token, FASHIONAI_BASE_URL=simulator.base_url)
        server = servers.start_app(tmp_path_factory.mktemp("live-server"), env=env)
    except BaseException:
        simulator.stop()
        raise
    server.simulator = simulator
    yield server
    server.stop()
    simulator.stop()


@pytest.fixture(scope="session")
def echo_token() -> str:
    return "leak/echo+" + secrets.token_hex(16)


@pytest.fixture(scope="session")
def echo_server(browser, tmp_path_factory, echo_token):
    """The app LIVE against the loopback fake API of the AppTest suite (tests/fakeapi.py), run in this
    process: a test sets ``echo_server.fake_api.mode`` (an ``echo-*`` mode sends the token back)."""
    fake_api = start_fake_api()
    try:
        env = servers.clean_environment(FASHIONAI_APP_TOKEN=echo_token, FASHIONAI_BASE_URL=fake_api.base_url,
                                        FASHIONAI_TIMEOUT="5")
        server = servers.start_app(tmp_path_factory.mktemp("echo-server"), env=env)
    except BaseException:
        stop_fake_api(fake_api)
        raise
    server.fake_api = fake_api
    yield server
    server.stop()
    stop_fake_api(fake_api)


# --------------------------------------------------------------------------- pages


def _refuse_outside(route) -> None:
    route.abort("blockedbyclient")


def _new_page(browser, server):
    context = browser.new_context(viewport=VIEWPORT, base_url=server.url)
    context.route(re.compile(r"^(?!(https?|wss?)://(127\.0\.0\.1|localhost)[:/])[a-z]+://"), _refuse_outside)
    page = context.new_page()
    watch(page)
    open_app(page, server.url + "/")
    return context, page


@pytest.fixture
def studio(browser, studio_server):
    """A new browser context on the simulator-backed app, its first run on screen."""
    context, page = _new_page(browser, studio_server)
    yield page
    context.close()


@pytest.fixture
def live_studio(browser, live_server):
    """A new browser context on the live-mode app (the loopback simulator behind it)."""
    context, page = _new_page(browser, live_server)
    yield page
    context.close()


@pytest.fixture
def echo_studio(browser, echo_server):
    """A new browser context on the app that is live against the (echoing) fake API."""
    echo_server.fake_api.mode = "ok"
    context, page = _new_page(browser, echo_server)
    yield page
    context.close()
    echo_server.fake_api.mode = "ok"


# --------------------------------------------------------------------------- failure artefacts

PAGE_FIXTURES = ("studio", "live_studio", "echo_studio")
SERVER_FIXTURES = ("studio_server", "live_server", "echo_server")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    if report.failed and report.when in ("setup", "call"):
        for name in PAGE_FIXTURES:
            page = getattr(item, "funcargs", {}).get(name)
            if page is not None and not page.is_closed():
                _keep_artefacts(item, name, page, report)
        for name in SERVER_FIXTURES:
            server = getattr(item, "funcargs", {}).get(name)
            if server is not None:
                report.sections.append((f"{name} log (end)", server.log_tail()))
    return report


FIT_JS = """() => Math.max(document.documentElement.scrollHeight,
    ...[...document.querySelectorAll('[data-testid="stMain"], [data-testid="stAppViewContainer"], '
        + '[data-testid="stSidebarContent"]')].map(element => element.scrollHeight))"""


def _fit_viewport_to_content(page) -> None:
    """Streamlit scrolls inside its own containers, so a full-page screenshot is one screen: grow the window."""
    height = min(int(page.evaluate(FIT_JS)), 20_000)
    width = (page.viewport_size or VIEWPORT)["width"]
    if height > (page.viewport_size or VIEWPORT)["height"]:
        page.set_viewport_size({"width": width, "height": height})
        page.evaluate(NEXT_FRAMES_JS)  # let it lay out and paint at the new size


def _keep_artefacts(item: pytest.Item, name: str, page, report) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", item.nodeid.split("::", 1)[-1])[:120] + f"-{name}"
    try:
        _fit_viewport_to_content(page)
        page.screenshot(path=ARTIFACTS / f"{stem}.png", full_page=True)
        (ARTIFACTS / f"{stem}.html").write_text(page.content())
        (ARTIFACTS / f"{stem}.frames.txt").write_text(describe_frames(traffic(page)))
    except Exception as err:  # noqa: BLE001 - a broken page must not hide the test's own failure
        report.sections.append(("browser artefacts", f"could not be saved: {err}"))
    else:
        report.sections.append(("browser artefacts", f"{ARTIFACTS / stem}.png, .html and .frames.txt"))
