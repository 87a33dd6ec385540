"""AppTest of the shopper-profile panel (fashionai.ui.merch_widgets.profile_panel) on a small page of its own.

The client's `profile` is replaced by a fake that records its calls (in the test, never in the app), so
these tests run before and after the client's own `profile` exists; the last test uses the simulator's.
What they protect: one call per button press (a rerun calls nothing), the sections in plain language,
shelf products matching a look, a 404 in plain words, and an e-mail looked up reaching no session value
but its input's, no drawn element but its input, no query parameter, no log line and no history.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from fashionai.api.client import FashionAIClient
from fashionai.api.errors import NotFoundError, ServerError
from fashionai.api.profiles import BuyingMoment, CustomerProfile, Occasion, ShopperProfile
from fashionai.team.activity import ActivityAction, ActivityLog
from tests.apptest_helpers import button, texts
from tests.pages.app_contents import drawn, holds, session_values

EMAIL = "ana.souza.7f3e@example.com.br"
MASKED = "a***@e***.br"
KEY = "test_profile"
PROFILE = ShopperProfile(
    user_profile_id="90",
    customer=CustomerProfile(description="Cliente que navega sobretudo por blazers", style="Trabalho"),
    occasions=(Occasion("Trabalho", "Profissional segura", ("blazer de linho", "calças de alfaiataria")),),
    buying_moment=BuyingMoment(summary="Procura peças de trabalho", new_behaviour=True,
                               opportunities=("Oferecer blazers de linho",)),
)


def profile_page():
    import pandas as pd
    import streamlit as st

    from fashionai import ui
    from fashionai.ui import merch_widgets

    settings = ui.get_settings()
    catalog = ui.active_catalog(settings)
    ctx = ui.Context(settings, catalog, ui.get_client(settings, catalog))
    user = st.text_input("User id", key="shopper_user_id").strip() or None
    shelves = {"For you": pd.DataFrame({"product_id": ["A1", "A2", "A3"],
                                        "name": ["Blazer Linho Off-White", "Saia Midi", "Calça Alfaiataria Preta"]}),
               "Best sellers": pd.DataFrame({"product_id": ["B1"], "name": ["Tênis Branco"]})}
    merch_widgets.profile_panel(ctx, user, shelves, key="test_profile")
    shown = merch_widgets.shown_profile("test_profile", user)
    st.caption(f"shown profile: {None if shown is None else shown.user_profile_id}")


class Fake:
    """The fake's calls, (kind, value) each: "nobody" has no profile, "broken" (or any value while `failing`)
    fails with a 500."""

    def __init__(self):
        self.calls = []
        self.failing = False

    def profile(self, value, kind="user-profile-id"):
        self.calls.append((kind, value))
        if value == "nobody":
            raise NotFoundError("Fashion.AI has no such profile", status_code=404)
        if value == "broken" or self.failing:
            raise ServerError("Fashion.AI failed (HTTP 500). Try again in a moment.", status_code=500)
        return PROFILE


@pytest.fixture
def fake(monkeypatch):
    held = Fake()
    monkeypatch.setattr(FashionAIClient, "profile", lambda client, value, kind="user-profile-id":
                        held.profile(value, kind), raising=False)
    return held


@pytest.fixture
def calls(fake):
    return fake.calls


@pytest.fixture
def page():
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_function(profile_page, default_timeout=60)
    yield at
    st.cache_data.clear()
    st.cache_resource.clear()


def set_user(at, user):
    at.text_input(key="shopper_user_id").set_value(user).run()
    assert not at.exception
    return at


def fetch(at):
    button(at, "Fetch the profile").click().run()
    assert not at.exception
    return at


def test_the_profile_is_fetched_on_the_button_once_and_kept_across_reruns(page, calls):
    set_user(page.run(), "90")
    assert calls == []  # nothing is called before the button
    assert "Press **Fetch the profile**" in texts(page.main)
    fetch(page)
    assert calls == [("user-profile-id", "90")]
    page.run()
    page.run()
    assert calls == [("user-profile-id", "90")]  # reruns read the kept profile
    text = texts(page.main)
    for shown in ("Style", "Occasions", "Buying moment now", "Opportunities", "Marketing briefing", "Content hooks",
                  "Trabalho", "Profissional segura", "blazer de linho", "Procura peças de trabalho",
                  "Oferecer blazers de linho", "this is new for this shopper"):
        assert shown in text, shown
    assert "shown profile: 90" in text


def test_each_section_says_its_text_is_the_vendors_portuguese(page, calls):
    """Issue 21, item 23: English headings over the vendor's Portuguese, with nothing saying whose words."""
    fetch(set_user(page.run(), "90"))
    said = [c.value for c in page.main.caption if "In the vendor's words (Portuguese)" in c.value]
    sections = [m.value for m in page.main.markdown if m.value.startswith("- **")]
    assert sections and len(said) == len(sections)


def test_shelf_products_matching_a_look_are_listed_by_name(page, calls):
    fetch(set_user(page.run(), "90"))
    table = page.dataframe[0].value
    assert table.to_dict("records") == [
        {"shelf": "For you", "product_id": "A1", "name": "Blazer Linho Off-White", "look_items": "blazer de linho"},
        {"shelf": "For you", "product_id": "A3", "name": "Calça Alfaiataria Preta",
         "look_items": "calças de alfaiataria"},
    ]


def test_another_sidebar_user_hides_the_profile_until_fetched(page, calls):
    fetch(set_user(page.run(), "90"))
    set_user(page, "91")
    assert "shown profile: None" in texts(page.main)
    assert "Procura peças de trabalho" not in texts(page.main)
    assert calls == [("user-profile-id", "90")]
    fetch(page)
    assert calls[-1] == ("user-profile-id", "91")


def test_no_user_id_says_how_to_look_a_shopper_up(page, calls):
    page.run()
    assert "Set a user id in the sidebar" in texts(page.main)
    assert button(page, "Fetch the profile").disabled
    assert calls == []


def test_no_profile_is_said_in_plain_words(page, calls):
    fetch(set_user(page.run(), "nobody"))
    assert "Fashion.AI has no profile for this shopper" in " ".join(i.value for i in page.info)
    assert not page.error


def test_a_failure_is_a_plain_message(page, calls):
    fetch(set_user(page.run(), "broken"))
    assert "did not work" in page.error[0].value and "HTTP 500" in page.error[0].value
    assert "Traceback" not in texts(page)


def test_a_failure_keeps_the_profile_on_screen(page, fake):
    fetch(set_user(page.run(), "90"))
    fake.failing = True
    fetch(page)
    assert len(fake.calls) == 2
    assert "HTTP 500" in page.error[0].value
    assert "Procura peças de trabalho" in texts(page.main)


def test_an_email_lookup_reaches_no_state_text_url_or_log(page, calls, caplog):
    caplog.set_level(logging.DEBUG)
    page.run()
    page.selectbox(key=f"{KEY}_kind").set_value("email").run()
    assert "never put in the address bar, a share link, the history, an export or a log line" in texts(page.main)
    page.text_input(key=f"{KEY}_value").set_value(EMAIL).run()
    fetch(page)
    assert calls == [("email", EMAIL)]
    assert MASKED in texts(page.main)  # named masked
    assert "Procura peças de trabalho" in texts(page.main)
    page.run()
    assert calls == [("email", EMAIL)]
    assert_email_only_in_its_input(page)
    assert EMAIL not in caplog.text


def test_changing_the_email_forgets_the_profile_fetched(page, calls):
    page.run()
    page.selectbox(key=f"{KEY}_kind").set_value("email").run()
    page.text_input(key=f"{KEY}_value").set_value(EMAIL).run()
    fetch(page)
    page.text_input(key=f"{KEY}_value").set_value("nobody").run()
    assert "Procura peças de trabalho" not in texts(page.main)
    fetch(page)
    assert "Fashion.AI has no profile for this shopper" in " ".join(i.value for i in page.info)
    assert_email_only_in_its_input(page)


def assert_email_only_in_its_input(at):
    assert not at.exception
    text_inputs = [element for element in at.text_input if element.key == f"{KEY}_value"]
    assert text_inputs and text_inputs[0].proto.type == text_inputs[0].proto.PASSWORD
    others = [p[:120] for p in drawn(at) if EMAIL.encode() in p and p != text_inputs[0].proto.SerializeToString()]
    assert others == []
    assert EMAIL not in texts(at).replace(str(text_inputs[0].value), "")
    assert not holds(at.query_params, EMAIL)
    holders = [key for key, value in session_values(at).items() if holds(value, EMAIL) or EMAIL in repr(value)]
    assert all(key.endswith(f"{KEY}_value") for key in holders), holders


def test_an_email_lookup_on_the_simulator_stays_out_of_the_history(page, caplog):
    caplog.set_level(logging.DEBUG)
    page.run()
    page.selectbox(key=f"{KEY}_kind").set_value("email").run()
    page.text_input(key=f"{KEY}_value").set_value(EMAIL).run()
    fetch(page)
    assert MASKED in texts(page.main)
    assert_email_only_in_its_input(page)
    assert EMAIL not in caplog.text
    (row,) = ActivityLog(os.environ["FASHIONAI_HISTORY_URL"]).entries(action=ActivityAction.PROFILE_LOOKUP)
    assert (row.who, row.detail) == ("local", "profile by e-mail")  # the look-up is in the team's log, never the value
    history = Path(os.environ["FASHIONAI_HISTORY_URL"])
    if history.exists():
        for path in history.parent.glob(history.name + "*"):  # the database (and its activity log) and any journal
            assert EMAIL.encode() not in path.read_bytes()
            assert EMAIL.split("@")[0].encode() not in path.read_bytes()
