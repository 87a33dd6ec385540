"""The walk page, live, against an API that echoes the app token in every form a browser decodes on its own
(tests/fakeapi.py's ``echo-200-encoded``: HTML entities, invisible characters between its letters, fullwidth,
reversed) in every text of the home page's answers: the shelf, the collection's slice and the shopper's
profile. The token is looked for, in no form, in every element the page drew (as the bytes the browser
receives, read as the browser shows them), in its texts and in the session state.
"""

from __future__ import annotations

import pytest

from fashionai.api.redaction import REPLACEMENT
from tests.apptest_helpers import button, open_page, texts
from tests.fakeapi import ENCODED_ECHO, visible
from tests.pages.app_contents import drawn, session_values
from tests.token_forms import found_forms

TOKEN = "echo/Tok+en~5f2a9c0e7b1d4386a9e0c2f4b6d8e1a3"


def leaks(text: str) -> bool:
    shown = visible(text)
    return bool(found_forms(text) or found_forms(shown)) or TOKEN[::-1] in shown


@pytest.fixture
def walk_home(app, fake_api, monkeypatch):
    monkeypatch.setenv("FASHIONAI_APP_TOKEN", TOKEN)
    fake_api.mode = ENCODED_ECHO
    open_page(app, "pages/walk.py")
    assert "Live Fashion.AI API" in texts(app.sidebar)
    app.sidebar.text_input(key="shopper_user_id").set_value("90").run()
    app.text_input(key="walk_collection_pick").set_value("1").run()
    button(app, "Open the home page").click().run()
    button(app, "Fetch the profile").click().run()
    return app


def test_the_walk_page_shows_no_form_of_an_echoed_token(walk_home, fake_api):
    at = walk_home
    assert not at.exception and not at.error
    paths = [seen.path for seen in fake_api.requests]
    assert any("/merchandising-collections/protected/1" in p for p in paths)
    assert any("/crm/protected/profile/user-profile-id/90" in p for p in paths)
    shown = texts(at)
    assert "Profile of user" in shown and "Inverno" in shown and "Minimalista" in shown  # both panels drawn
    assert [p[:160] for p in drawn(at) if leaks(p.decode("utf-8", "replace"))] == []
    assert not leaks(shown)
    assert [key for key, value in session_values(at).items() if leaks(repr(value))] == []
    assert REPLACEMENT in shown.replace("\\", "")  # the echoes, blanked
