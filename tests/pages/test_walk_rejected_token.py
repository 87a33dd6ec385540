"""The walk on a token Fashion.AI rejects (HTTP 401): the home page says so once, and sends no call after the
rejected one (each would be rejected too, and would say so again)."""

from __future__ import annotations

from tests.apptest_helpers import button, open_page


def test_a_rejected_token_is_said_once_on_the_home_page(app, fake_api):
    fake_api.mode = "401"
    open_page(app, "pages/walk.py")
    app.text_input(key="walk_collection_pick").set_value("1").run()
    button(app, "Open the home page").click().run()
    assert not app.exception
    said = [e.value for e in [*app.error, *app.warning] if "rejected the app token" in e.value]
    assert len(said) == 1, said
    assert len(fake_api.requests) == 1  # the shelf's call; the collection and best sellers are not asked
    trail = app.session_state["walk_state"].trail
    assert [(entry.event, entry.error) for entry in trail] == [("customShelf", "HTTP 401")]
