"""AppTest of the Settings page's timeout, a token that cannot be sent, and curl on the simulator."""

from __future__ import annotations

import pytest

from fashionai import ui
from fashionai.config import SESSION_TIMEOUT_RANGE
from tests.apptest_helpers import button, texts

BAD_TOKENS = {"non-breaking space": "live-token\u00a0SECRET-7d3f", "line break": "live-token\nSECRET-7d3f",
              "accented letter": "live-tokén-SECRET-7d3f"}
PAGES = ["pages/storefront.py", "pages/shop_the_look.py", "pages/compare.py", "pages/journey.py",
         "pages/catalog.py", "pages/history.py", "pages/settings.py"]


@pytest.mark.parametrize("name", BAD_TOKENS)
def test_a_token_that_cannot_be_sent_says_copy_it_again_on_every_page(app, monkeypatch, fake_api, name):
    monkeypatch.setenv("FASHIONAI_APP_TOKEN", BAD_TOKENS[name])
    app.run()
    for page in PAGES:
        app.switch_page(page).run()
        assert not app.exception, page
        shown = texts(app)
        assert "copy it again" in shown, page
        assert "Something unexpected went wrong" not in shown, page
        assert "SECRET" not in shown and "SECRET" not in repr(app), page
    assert fake_api.requests == []


def timeout_input(app):
    return app.number_input(key="timeout_input")


def test_the_timeout_is_a_setting_of_this_browser_session(app, monkeypatch):
    monkeypatch.setenv("FASHIONAI_TIMEOUT", "7")
    app.run()
    app.switch_page("pages/settings.py").run()
    assert timeout_input(app).value == 7.0
    assert (timeout_input(app).proto.min, timeout_input(app).proto.max) == SESSION_TIMEOUT_RANGE
    timeout_input(app).set_value(42.0).run()
    assert not app.exception
    assert app.session_state[ui.TIMEOUT_KEY] == 42.0
    assert "studio's default is 7 s" in texts(app)

    app.switch_page("pages/storefront.py").run()  # kept on other pages, and the client in use follows it
    button(app, "Preview storefront").click().run()
    assert app.session_state["storefront_preview"] is not None
    app.switch_page("pages/settings.py").run()
    assert timeout_input(app).value == 42.0
    button(app, "Check the connection").click().run()
    assert "Connected" in texts(app)

    timeout_input(app).set_value(7.0).run()  # back to the default: nothing of the session's is kept
    assert ui.TIMEOUT_KEY not in app.session_state


def test_the_session_timeout_is_the_clients_deadline(app, fake_api):
    """Live, the session's timeout reaches the call: a slow API fails after it, saying so."""
    fake_api.mode = "slow"  # answers after 5 s, released at teardown
    app.run()
    app.switch_page("pages/settings.py").run()
    assert timeout_input(app).value == 2.0  # FASHIONAI_TIMEOUT of the fake_api fixture
    timeout_input(app).set_value(1.0).run()
    button(app, "Check the connection").click().run()
    assert not app.exception
    assert "did not answer within 1 s" in texts(app)
    assert "raise the timeout on the Settings page" in texts(app)


def test_a_timeout_outside_the_range_is_not_used(app, monkeypatch):
    app.run()
    app.switch_page("pages/settings.py").run()
    app.session_state[ui.TIMEOUT_KEY] = 10_000.0  # say, from an older studio
    app.run()
    assert not app.exception
    assert timeout_input(app).value == 10.0 and ui.TIMEOUT_KEY not in app.session_state


def test_the_simulator_shows_a_curl_command_for_the_loopback_simulator(app):
    app.run()
    app.switch_page("pages/settings.py").run()
    button(app, "Check the connection").click().run()
    code = [c.value for c in app.code]
    assert "python -m fashionai simulate --port 8765" in code
    assert any(c.startswith("curl -X GET http://127.0.0.1:8765/api/v1/products/protected/sales-ranking")
               for c in code), code
    assert not any("simulator.local" in c for c in code)
    assert "built-in simulator" in texts(app)


def test_live_the_curl_command_is_the_apis(app, fake_api):
    app.run()
    app.switch_page("pages/settings.py").run()
    button(app, "Check the connection").click().run()
    code = [c.value for c in app.code]
    assert any(c.startswith(f"curl -X GET {fake_api.base_url}/products/protected/sales-ranking") for c in code)
    assert not any("fashionai simulate" in c for c in code)


def test_a_token_that_cannot_be_sent_is_said_once_on_each_page(app, monkeypatch, fake_api):
    """The page says what is wrong with the token; the sidebar points to it instead of saying it again."""
    monkeypatch.setenv("FASHIONAI_APP_TOKEN", BAD_TOKENS["accented letter"])
    app.run()
    for page in [*PAGES, "pages/walk.py", "pages/audit.py"]:
        app.switch_page(page).run()
        assert not app.exception, page
        said = [e.value for e in [*app.error, *app.warning, *app.info, *app.caption] if "copy it again" in e.value]
        assert len(said) == 1, (page, said)
        assert "copy it again" in texts(app.main), page
        assert "settings cannot be used" in texts(app.sidebar), page
