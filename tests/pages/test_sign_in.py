"""Sign-in (issue 23, items 1 and 2): signed out sees the sign-in page and nothing else; signed in, the sidebar says
who and offers Sign out; without [auth] the studio is the local user's, as before; a live token beyond loopback
without sign-in sends no live call and every page says why."""

from __future__ import annotations

import pytest
from streamlit import config as st_config

from fashionai.ui.navigation import PAGE_SPECS
from tests.apptest_helpers import button, texts
from tests.team_helpers import AUTH_SECRETS, TWO_PROVIDERS, signed_in

LOCKED_WORDS = "Live calls are off"  # the start of CLOSED_WITHOUT_SIGN_IN (the screen escapes its punctuation)
CRAFTED_RERUN = "storefront_stale_rerun"


def test_signed_out_sees_the_sign_in_page_and_nothing_else(app):
    app.secrets = AUTH_SECRETS
    app.user = {"is_logged_in": False}
    app.run()
    assert not app.exception
    assert [b.label for b in app.button] == ["Sign in"]
    assert "Sign in with your team's account" in texts(app.main)
    assert not app.sidebar.children, "the sidebar (catalog, shopper, backend) is not drawn for a visitor"
    assert not app.selectbox and not app.text_input and not app.metric


@pytest.mark.parametrize("spec", PAGE_SPECS, ids=lambda spec: spec.path)
def test_every_page_address_opens_the_sign_in_page_when_signed_out(app, spec):
    app.secrets = AUTH_SECRETS
    app.user = signed_in("ana@example.com", "Ana Lima", ["admin"])
    app.run()  # the page list, as a signed-in run registers it
    app.user = {"is_logged_in": False}
    app.switch_page(spec.path).run()
    assert not app.exception
    assert [b.label for b in app.button] == ["Sign in"]
    assert not app.sidebar.children


def test_one_button_per_provider(app):
    app.secrets = TWO_PROVIDERS
    app.user = {"is_logged_in": False}
    app.run()
    assert [b.label for b in app.button] == ["Sign in with google", "Sign in with okta"]


def test_signed_in_the_sidebar_says_who_and_their_role_with_sign_out(app):
    app.secrets = AUTH_SECRETS
    app.user = signed_in("ana@example.com", "Ana Lima", ["merchandiser"])
    app.run()
    assert not app.exception
    sidebar = texts(app.sidebar)
    assert "Ana Lima" in sidebar and "merchandiser" in sidebar
    assert button(app, "Sign out")
    assert "Preview storefront" in [b.label for b in app.button]


def test_a_person_with_no_role_is_a_viewer(app):
    app.secrets = AUTH_SECRETS
    app.user = signed_in("new@example.com", "New Person", ["marketing"])
    app.run()
    assert "viewer" in texts(app.sidebar)


def test_without_sign_in_the_studio_is_the_local_users_as_before(app):
    app.run()
    assert not app.exception
    assert "Sign out" not in [b.label for b in app.button]
    assert "Preview storefront" in [b.label for b in app.button]
    assert LOCKED_WORDS not in texts(app)


@pytest.fixture
def open_address():
    """The server listening on every interface (server.address empty, Streamlit's default)."""
    st_config.set_option("server.address", "")


@pytest.mark.parametrize("spec", PAGE_SPECS, ids=lambda spec: spec.path)
def test_a_live_token_beyond_loopback_without_sign_in_says_so_on_every_page(app, fake_api, open_address, spec):
    app.run()
    app.switch_page(spec.path).run()
    assert not app.exception
    assert LOCKED_WORDS in texts(app.main).replace("\\", "")  # as the note shows it (Markdown escaped)


def test_the_safe_default_sends_no_live_call(app, fake_api, open_address):
    app.run()
    preview = button(app, "Preview storefront")
    assert preview.disabled and preview.help.startswith("Live calls are off")
    app.session_state[CRAFTED_RERUN] = True  # the stale note's button, pressed by a crafted request
    app.run()
    assert not app.exception
    assert fake_api.requests == []
    assert LOCKED_WORDS in texts(app.main)


def test_the_safe_default_leaves_the_simulator_alone(app, open_address):
    app.run()
    button(app, "Preview storefront").click().run()
    assert not app.exception
    assert LOCKED_WORDS not in texts(app)
    assert app.metric, "the simulator's storefront is shown"


def test_a_team_that_chose_an_open_studio_calls_the_live_api(app, fake_api, open_address, monkeypatch):
    monkeypatch.setenv("FASHIONAI_ALLOW_ANONYMOUS", "true")
    app.run()
    button(app, "Preview storefront").click().run()
    assert not app.exception
    assert fake_api.requests
    assert LOCKED_WORDS not in texts(app)


def test_loopback_only_calls_the_live_api(app, fake_api):
    app.run()
    button(app, "Preview storefront").click().run()
    assert fake_api.requests
    assert LOCKED_WORDS not in texts(app)


def test_the_marker_is_the_start_of_the_safe_defaults_words():
    from fashionai.team.signin import CLOSED_WITHOUT_SIGN_IN

    assert CLOSED_WITHOUT_SIGN_IN.startswith(LOCKED_WORDS)


def test_an_allow_anonymous_that_cannot_be_read_is_said_and_sends_no_live_call(app, fake_api, monkeypatch):
    monkeypatch.setenv("FASHIONAI_ALLOW_ANONYMOUS", "maybe")
    app.run()
    assert not app.exception
    shown = texts(app.main).replace("\\", "")
    assert "FASHIONAI_ALLOW_ANONYMOUS" in shown and "must be true or false" in shown
    app.session_state[CRAFTED_RERUN] = True
    app.run()
    assert fake_api.requests == []


def test_a_sign_in_that_cannot_start_says_what_to_fix(app):
    app.secrets = {"auth": {"client_id": "studio"}}  # no redirect_uri, cookie_secret, ...
    app.user = {"is_logged_in": False}
    app.run()
    button(app, "Sign in").click().run()
    assert not app.exception
    assert "Sign-in could not start" in texts(app.main) and "[auth]" in texts(app.main)


def test_a_group_of_the_provider_mapped_by_fashionai_role_map_is_a_role(app, monkeypatch):
    monkeypatch.setenv("FASHIONAI_ROLE_MAP", "Merch Team=merchandiser, IT Admins=admin")
    app.secrets = AUTH_SECRETS
    app.user = signed_in("ana@example.com", "Ana Lima", ["Merch Team", "Everyone"])
    app.run()
    assert not app.exception
    assert "merchandiser" in texts(app.sidebar)


def test_a_role_map_that_cannot_be_read_is_said_and_everyone_is_a_viewer(app, fake_api, monkeypatch):
    monkeypatch.setenv("FASHIONAI_ROLE_MAP", "Merch Team=boss")
    app.secrets = AUTH_SECRETS
    app.user = signed_in("lead@example.com", "Lea Admin", ["admin"])
    app.run()
    assert not app.exception
    shown = texts(app.main).replace("\\", "")
    assert "FASHIONAI_ROLE_MAP" in shown and "'boss', which is no role: use viewer, merchandiser or admin" in shown
    assert "viewer" in texts(app.sidebar)
    with pytest.raises(ValueError, match="Could not find a navigation page"):  # the admin's pages are not theirs
        app.switch_page("pages/team.py")
    app.session_state[CRAFTED_RERUN] = True
    app.run()
    assert fake_api.requests == []
