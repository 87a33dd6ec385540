"""The frame's last guard: a page that raises shows a short message with an error reference;
the server log gets the traceback with the same reference, without the token."""

from __future__ import annotations

import logging
import re

import pytest
from streamlit.runtime.scriptrunner_utils.exceptions import RerunException, ScriptControlException, StopException

from fashionai import ui
from fashionai.catalog import CatalogError
from tests.apptest_helpers import texts

TOKEN = "live-token-SECRET-7d3f"
REFERENCE = re.compile(r"error reference \*\*([0-9a-f]{8})\*\*")


def break_page(monkeypatch, error: Exception) -> None:
    """Make every page that previews raise `error` outside any ui.call (from ui.context, its first line)."""
    def context():
        raise error

    monkeypatch.setattr(ui, "context", context)


def frame_errors(at) -> list[str]:
    return [e.value for e in at.error if "did not work" in e.value]


def test_an_unexpected_exception_is_a_short_message_with_a_reference(app, fake_api, monkeypatch, caplog):
    caplog.set_level(logging.DEBUG)
    break_page(monkeypatch, RuntimeError(f"internal detail, the server echoed {TOKEN}"))
    app.run()

    assert not app.exception  # no Streamlit exception box, no traceback
    [message] = frame_errors(app)
    assert message.startswith("**Storefront preview did not work.** Something unexpected went wrong\\.")
    assert "internal detail" not in message and TOKEN not in message
    reference = REFERENCE.search(message).group(1)

    [record] = [r for r in caplog.records if r.levelno == logging.ERROR and r.name == "fashionai.ui"]
    assert reference in record.getMessage()
    assert "Storefront preview" in record.getMessage()
    assert "RuntimeError: internal detail, the server echoed [app token]" in caplog.text  # the details
    assert "Traceback (most recent call last)" in caplog.text
    assert TOKEN not in caplog.text


def test_each_failure_gets_its_own_reference(app, monkeypatch, caplog):
    break_page(monkeypatch, KeyError("price"))
    app.run()
    first = REFERENCE.search(frame_errors(app)[0]).group(1)
    app.run()
    second = REFERENCE.search(frame_errors(app)[0]).group(1)
    assert first != second
    assert [first, second] == re.findall(r"reference ([0-9a-f]{8})", caplog.text)


def test_the_studios_own_errors_keep_their_message_and_get_a_reference(app, monkeypatch):
    break_page(monkeypatch, CatalogError("The catalog has no product id column."))
    app.run()
    [message] = frame_errors(app)
    assert "The catalog has no product id column" in message
    assert REFERENCE.search(message)


def test_a_value_error_from_a_bug_is_not_shown_raw(app, monkeypatch):
    break_page(monkeypatch, ValueError("cannot reindex on an axis with duplicate labels"))
    app.run()
    [message] = frame_errors(app)
    assert "reindex" not in message and "Something unexpected went wrong" in message


def test_streamlit_control_flow_is_not_an_exception_the_frame_catches():
    """st.stop, st.rerun and st.switch_page raise these; `except Exception` must let them through."""
    for control in (ScriptControlException, StopException, RerunException):
        assert not issubclass(control, Exception)


def test_a_page_that_stops_early_shows_no_error(app):
    app.run()  # the storefront stops (st.stop) until the first preview
    assert not app.exception
    assert frame_errors(app) == []
    assert "Press **Preview storefront**" in texts(app)


def test_a_page_that_switches_pages_is_not_an_error(app, monkeypatch):
    import streamlit as st

    def tracking_note(settings):
        st.switch_page("pages/settings.py")

    monkeypatch.setattr(ui, "tracking_note", tracking_note)
    app.run()
    assert not app.exception
    assert frame_errors(app) == []
    assert "Connection check" in texts(app)


@pytest.mark.parametrize("page", ["pages/shop_the_look.py", "pages/compare.py", "pages/journey.py"])
def test_every_page_is_guarded(app, monkeypatch, page):
    app.run()
    break_page(monkeypatch, RuntimeError("boom"))
    app.switch_page(page).run()
    assert not app.exception
    [message] = frame_errors(app)
    assert REFERENCE.search(message)


def test_a_failing_catalog_sidebar_leaves_the_page_working(app, monkeypatch, caplog):
    def catalog_sidebar(settings):
        raise OSError("disk on fire")

    monkeypatch.setattr(ui, "catalog_sidebar", catalog_sidebar)
    app.run()
    assert not app.exception
    [message] = [e.value for e in app.sidebar.error]
    assert message.startswith("**The catalog sidebar did not work.**") and REFERENCE.search(message)
    assert "disk on fire" not in message and "disk on fire" in caplog.text
    assert app.title[0].value == "Storefront preview"
