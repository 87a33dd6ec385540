"""Live mode against the loopback simulator: every page works, and the token never reaches the browser."""

from __future__ import annotations

import re

import pytest

from tests.browser.streamlit_page import (
    alert,
    badge,
    click_button,
    expect,
    expect_no_exception,
    go_to,
    main,
    nav_links,
    open_expander,
    rerun,
    sidebar,
    traffic,
)

pytestmark = pytest.mark.browser


def run_every_preview(page) -> dict[str, str]:
    """Open each page, press each of its enabled primary buttons; return each page's HTML afterwards.

    A new page is covered as soon as it is in the navigation. A primary button must start a
    rerun (a download or a dialog does not): give such a page a flow of its own.
    """
    contents = {}
    for title, _ in nav_links(page):
        go_to(page, title)
        primary = main(page).locator("[data-testid='stBaseButton-primary']:visible")  # not a button's hidden twin
        for index in range(primary.count()):
            button = primary.nth(index)
            if button.is_enabled():
                with rerun(page):
                    button.click()
        expect_no_exception(page)
        expect(alert(main(page), "Error")).to_have_count(0)  # every call answered: the checks below mean something
        contents[title] = page.content()
    return contents


def test_live_mode_answers_from_the_simulator(live_studio):
    expect(badge(sidebar(live_studio), "Live Fashion.AI API")).to_be_visible()
    go_to(live_studio, "Settings")
    click_button(main(live_studio), "Check the connection")
    expect(main(live_studio).get_by_test_id("stAlertContentSuccess")).to_contain_text(
        "Connected: Live Fashion.AI API answered HTTP 200")


def test_token_reaches_no_page_no_request_and_no_websocket_frame(live_studio, live_server, simulator_token):
    contents = run_every_preview(live_studio)
    contents["storefront, second preview"] = _second_storefront_preview(live_studio)
    seen = traffic(live_studio)

    # The checks can see what they look for: the pages rendered live answers, frames were recorded.
    assert "Connected: Live Fashion.AI API answered HTTP 200" in contents["Settings"]
    assert "…" + simulator_token[-4:] in contents["Settings"]  # the one part of the token the app shows
    assert seen.frames_received and seen.frames_sent and seen.requests
    assert any(b"Live Fashion.AI API" in frame for frame in seen.frames_received)

    token = simulator_token.encode()
    assert [title for title, html in contents.items() if simulator_token in html] == []
    assert [request.url for request in seen.requests if simulator_token in request.url] == []
    assert [request.url for request in seen.requests
            if token in (request.post_data_buffer or b"")] == []
    assert [frame[:80] for frame in seen.frames_received if token in frame] == []
    assert [frame[:80] for frame in seen.frames_sent if token in frame] == []
    assert [text for text in seen.console if simulator_token in text] == []
    kept = live_studio.evaluate(STORAGE_JS)  # what the browser keeps: address, cookies, web storage
    assert simulator_token not in kept and simulator_token not in str(live_studio.context.cookies())
    assert simulator_token not in live_server.log_path.read_text(errors="replace")  # nor the server's log


STORAGE_JS = """() => JSON.stringify([location.href, document.cookie, {...localStorage}, {...sessionStorage}])"""


def _second_storefront_preview(page) -> str:
    go_to(page, "Storefront preview")
    click_button(main(page), "Preview storefront")
    expect(main(page).get_by_text("order: Fashion.AI")).to_be_visible()
    return page.content()


ECHO_PAGES = (("Storefront preview", "Preview storefront"), ("Shop the look", "Shop the look"),
              ("Compare lanes", "Compare lanes"))


def test_a_token_echoed_in_another_form_reaches_no_page_frame_url_or_storage(echo_studio, echo_server, echo_token):
    """The fake API sends the token back (URL-encoded, base64, JSON-escaped, in the request's headers, as a
    product id: tests/fakeapi.py's echo modes); the storefront, look and compare pages call it, and no
    form of the token (tests/token_forms.py) reaches the browser."""
    from tests.fakeapi import ECHO_MODES
    from tests.token_forms import found_forms, token_forms

    forms = token_forms(echo_token)
    fake_api = echo_server.fake_api
    contents = {}
    for mode in ECHO_MODES:
        fake_api.mode = mode
        for title, label in ECHO_PAGES:
            go_to(echo_studio, title)
            click_button(main(echo_studio), label)
            expect_no_exception(echo_studio)
            if mode == "echo-200-headers":
                if title != "Compare lanes":  # (its lanes' expanders are in a tab; the frames hold them too)
                    details = open_expander(main(echo_studio), "Request and response")
                    expect(details).to_contain_text("request_headers")  # the answer's extra field, blanked
                    expect(details).to_contain_text("[app token]")
            elif mode == "echo-200-product":  # (any lane's error: see the closing note on a rare connection error)
                expect(alert(main(echo_studio), "Error", "is the app token").first).to_be_visible()
            else:
                refused = re.compile(r"HTTP 400.*\[app token\]", re.S)  # the echo shown, the token blanked
                expect(alert(main(echo_studio), "Error", refused).first).to_be_visible()
            contents[f"{mode} on {title}"] = echo_studio.content()
    seen = traffic(echo_studio)

    # The token was sent and echoed; the checks below can see what they look for.
    assert fake_api.requests and all(r.headers["X-FashionAI-APP-Token"] == echo_token for r in fake_api.requests)
    assert seen.frames_received and seen.frames_sent and seen.requests
    assert any(b"[app token]" in frame for frame in seen.frames_received)

    def found(text: str | bytes) -> list[str]:  # frames hold Markdown: its escapes are taken out too
        return found_forms(text, forms)

    assert {where: found(html) for where, html in contents.items() if found(html)} == {}
    assert [request.url for request in seen.requests if found(request.url)] == []
    assert [request.url for request in seen.requests if found(request.post_data_buffer or b"")] == []
    assert [frame[:80] for frame in seen.frames_received if found(frame)] == []
    assert [frame[:80] for frame in seen.frames_sent if found(frame)] == []
    assert [text for text in seen.console if found(text)] == []
    assert found(echo_studio.evaluate(STORAGE_JS)) == []  # address, cookies, web storage
    assert found(str(echo_studio.context.cookies())) == []
    assert found(echo_server.log_path.read_text(errors="replace")) == []  # nor the server's log
