"""The words of a result made for other choices than today's (fashionai.storefront.staleness)."""

from __future__ import annotations

import pytest

from fashionai.storefront.staleness import changed_inputs, made_for, stale_message, what_changed

MADE = {"session": "sess-1", "user": None, "category": "Dresses", "catalog": "abc"}


def test_nothing_changed_says_nothing():
    assert what_changed(MADE, dict(MADE)) == []
    assert stale_message("storefront", MADE, dict(MADE)) is None


def test_blank_and_none_are_the_same_and_spaces_do_not_count():
    assert what_changed({"user": None, "session": "s"}, {"user": "  ", "session": " s "}) == []


@pytest.mark.parametrize(("now", "words"), [
    ({"session": "sess-2"}, ["the session is now sess-2 (it was made for sess-1)"]),
    ({"user": "u-9"}, ["the user is now u-9 (it was made without one)"]),
    ({"category": None}, ["no category is chosen now (it was made for Dresses)"]),
    ({"catalog": "def"}, ["another catalog is in use"]),
    ({"session": "sess-2", "category": "Tops"},
     ["the session is now sess-2 (it was made for sess-1)", "the category is now Tops (it was made for Dresses)"]),
])
def test_each_change_in_plain_words(now, words):
    assert what_changed(MADE, MADE | now) == words


def test_a_key_missing_on_one_side_is_not_compared():
    assert changed_inputs({"session": "a", "product": "1"}, {"session": "a"}) == []


def test_the_message_names_what_it_was_made_for_and_what_changed():
    message = stale_message("storefront", MADE, MADE | {"session": "sess-2"})
    assert message == ("This storefront was made for session sess-1 and category Dresses; the session is now "
                       "sess-2 (it was made for sess-1). What is on screen still shows the earlier choice: run it "
                       "again for the new one.")


def test_made_for_lists_the_inputs_without_the_catalog():
    assert made_for({"session": "s", "user": "u", "product": "000814", "catalog": "x"}) == (
        "session s, user u and main piece 000814")
    assert made_for({"catalog": "x"}) == "other choices"


def test_a_very_long_id_is_cut_in_the_words():
    words = what_changed({"session": "a"}, {"session": "x" * 500})
    assert len(words[0]) < 200 and "…" in words[0]
