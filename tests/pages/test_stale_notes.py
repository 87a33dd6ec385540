"""AppTest: a result made for another session, category or main piece says so, and its button runs it again."""

from __future__ import annotations

from tests.apptest_helpers import button, open_page, texts


def _note(at) -> str:
    return "\n".join(w.value.replace("\\", "") for w in at.warning if "was made for" in w.value)


def _change_session(at, value: str):
    at.text_input(key="shopper_session_id").set_value(value).run()
    assert not at.exception


def test_the_storefront_says_the_sidebar_session_changed_and_previews_again(app):
    open_page(app, "pages/storefront.py")
    button(app, "Preview storefront").click().run()
    before = app.session_state["storefront_preview"]
    assert not _note(app)
    _change_session(app, "sess-other")
    note = _note(app)
    assert f"This storefront was made for session {before.session_id}" in note
    assert "the session is now sess-other" in note
    assert app.session_state["storefront_preview"] is before  # nothing was called
    button(app, "Preview again").click().run()
    assert not app.exception
    assert app.session_state["storefront_preview"].session_id == "sess-other"
    assert not _note(app)


def test_the_storefront_says_the_category_changed(app):
    open_page(app, "pages/storefront.py")
    button(app, "Preview storefront").click().run()
    made = app.session_state["storefront_preview"].category_id
    other = next(c for c in app.selectbox(key="storefront_category").options if c != made)
    app.selectbox(key="storefront_category").set_value(other).run()
    assert f"the category is now {other} (it was made for {made})" in _note(app)


def test_the_look_says_the_sidebar_session_changed_and_asks_again(app):
    open_page(app, "pages/shop_the_look.py")
    button(app, "Shop the look").click().run()
    assert not _note(app)
    _change_session(app, "sess-look-2")
    assert "This look was made for session" in _note(app)
    button(app, "Ask again").click().run()
    assert not app.exception
    assert app.session_state["look_preview"].session_id == "sess-look-2"
    assert not _note(app)
    assert "Ask again" not in texts(app)


def test_the_comparison_says_the_sidebar_session_of_its_lane_changed_and_compares_again(app):
    open_page(app, "pages/compare.py")
    app.checkbox(key="compare_sidebar").check().run()
    button(app, "Compare lanes").click().run()
    assert not app.exception and not _note(app)
    app.selectbox(key="compare_category").set_value(app.selectbox(key="compare_category").options[1]).run()
    assert "the category is now" in _note(app)
    _change_session(app, "sess-lane-2")
    assert "the session is now sess-lane-2" in _note(app)
    button(app, "Compare again").click().run()
    assert not app.exception
    assert not _note(app)
    assert app.session_state["compare_view"].session == "sess-lane-2"


def test_a_comparison_without_the_sidebar_lane_ignores_the_sidebar_session(app):
    open_page(app, "pages/compare.py")
    button(app, "Compare lanes").click().run()
    _change_session(app, "sess-lane-3")
    assert not _note(app)
