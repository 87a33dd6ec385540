"""A hostile API echoes the app token in another form: no form of it is shown or stored.

The loopback fake API (tests/fakeapi.py, its ``echo-*`` modes) sends back the token the
studio sent in its header: URL-encoded, base64 or JSON-escaped in a 400 body, the request's
headers in an extra field of a good answer (raw, and base64 "X-FashionAI-APP-Token: ..."),
the token as a product id. For each, the storefront, shop-the-look and compare pages press
their primary button, live, and every form of the token (`token_forms`) is looked for in
every element the app drew (as the bytes the browser receives, and as text), in the session
state (walked, and every value's repr, data frames included), in the log records, and in the
history database's bytes on disk. Each page says what happened in plain words.
"""

from __future__ import annotations

import base64
import logging
import os
import re
from pathlib import Path
from urllib.parse import quote

import pytest

from fashionai.api.redaction import REPLACEMENT
from fashionai.history import HistoryStore
from tests.apptest_helpers import button, compare_tabs, open_compare_tab, texts
from tests.fakeapi import ECHO_MODES, TOKEN_HEADER
from tests.pages.app_contents import drawn, holds, session_values
from tests.token_forms import FORMS, TOKEN, found_forms


def test_the_forms_are_distinct_and_the_fake_api_echoes_them():
    """The check looks for what the fake API really sends (else it would prove nothing)."""
    from tests.fakeapi import echo_answer

    assert len(FORMS) > 15 and TOKEN in FORMS and quote(TOKEN, safe="") in FORMS
    headers = {TOKEN_HEADER: TOKEN, "Accept": "application/json"}
    for mode in ECHO_MODES:
        status, body = echo_answer(mode, TOKEN, headers, None)
        assert status in (200, 400)
        assert found_forms(body) != [], mode
    assert found_forms(base64.b64encode(b"Authorization: x " + TOKEN.encode() + b" y")) != []
    for start in range(60):  # a line break anywhere in the token's base64 leaves a run of it whole
        wrapped = base64.b64encode(b"X" * start + TOKEN.encode() + b"Y" * 100).decode()
        for cut in range(len(wrapped)):
            assert found_forms(wrapped[:cut] + "\n" + wrapped[cut:]) != []
    assert found_forms(TOKEN.replace("~", "\\~").replace("+", "\\+")) == [TOKEN]  # as Markdown escapes it


def assert_no_form_of_the_token(at, where: str) -> None:
    assert not at.exception, where
    assert [(where, p[:120]) for p in drawn(at) if found_forms(p)] == []
    assert found_forms(texts(at)) == [], where
    assert found_forms(repr(at.query_params)) == [], where
    values = session_values(at)
    leaked = sorted({key for key, value in values.items() for form in FORMS if holds(value, form)})
    assert leaked == [], where
    assert [key for key, value in values.items() if found_forms(repr(value))] == [], where


def assert_plain_message(at, mode: str, where: str) -> None:
    """A failed call says so in words (never a traceback); an answer used shows the echo blanked."""
    messages = re.sub(r"\\(.)", r"\1", " ".join(e.value for e in [*at.error, *at.warning]))  # Markdown unescaped
    assert "Traceback" not in messages and "Exception" not in messages, where
    if mode == "echo-200-headers":
        assert "did not work" not in messages, where
        shown = "\n".join(code.value for code in at.code)
        assert "request_headers" in shown and REPLACEMENT in shown, where  # the echo was drawn, blanked
    elif mode == "echo-200-product":
        assert "is the app token" in messages and "did not work" in messages, where
    else:
        assert "rejected the request as invalid (HTTP 400)" in messages, where
        assert REPLACEMENT in messages, where  # the error's excerpt of the body is shown, blanked


@pytest.fixture
def live(app, fake_api, monkeypatch, caplog):
    monkeypatch.setenv("FASHIONAI_APP_TOKEN", TOKEN)
    caplog.set_level(logging.DEBUG)
    for name in ("httpx", "httpcore", "fashionai", "streamlit"):
        caplog.set_level(logging.DEBUG, logger=name)
    app.run()
    assert "Live Fashion.AI API" in texts(app.sidebar)
    return app


@pytest.mark.parametrize("mode", ECHO_MODES)
def test_an_echoed_token_is_shown_and_stored_nowhere(live, fake_api, caplog, mode):
    fake_api.mode = mode
    at = live
    for page, label in (("pages/storefront.py", "Preview storefront"), ("pages/shop_the_look.py", "Shop the look"),
                        ("pages/compare.py", "Compare lanes")):
        at.switch_page(page).run()
        button(at, label).click().run()
        if page == "pages/compare.py":
            for tab in compare_tabs(at):  # the requests tab shows each lane's exchange
                assert_no_form_of_the_token(at, f"{page}: {tab}")
            open_compare_tab(at, "Requests")
        assert_no_form_of_the_token(at, page)
        assert_plain_message(at, mode, page)

    # The token was sent, in its header only, and echoed back.
    assert fake_api.requests and all(r.headers[TOKEN_HEADER] == TOKEN for r in fake_api.requests)
    assert found_forms(caplog.text) == []

    # The history: every snapshot, and the database's bytes on disk.
    store = HistoryStore(os.environ["FASHIONAI_HISTORY_URL"])
    snapshots = store.query(limit=10_000)
    assert snapshots  # every call was recorded, answered or failed
    assert found_forms(store.export_json()) == []
    database = Path(os.environ["FASHIONAI_HISTORY_URL"])
    files = [path for path in (database, database.with_name(database.name + "-wal")) if path.exists()]
    assert files
    for path in files:
        assert found_forms(path.read_bytes()) == [], path.name


def test_a_token_of_digits_echoed_as_a_json_number_is_not_shown(app, fake_api, monkeypatch):
    """A number is no string, yet it is the token when the token is all digits."""
    digits = "7306918245573306918245"
    monkeypatch.setenv("FASHIONAI_APP_TOKEN", digits)
    fake_api.mode = "echo-200-headers"
    app.run()
    button(app, "Preview storefront").click().run()
    assert not app.exception
    shown = "\n".join(code.value for code in app.code)
    assert '"account": "[app token]"' in shown
    assert [p[:120] for p in drawn(app) if digits.encode() in p] == []
    assert [key for key, value in session_values(app).items() if holds(value, digits)] == []
