"""Views in the query string: every page's state survives the round trip; bad values get messages."""

from __future__ import annotations

from dataclasses import fields
from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest

from fashionai.output import share, share_params
from fashionai.output.share import CompareView, HistoryView, JourneyView, LookView, StorefrontView, decode, encode

SNAP_A, SNAP_B = "a" * 32, "0123456789abcdef" * 2

FULL_VIEWS = [
    StorefrontView(category="Vestidos de festa", session="sess 1/ä", user="90", hide_out_of_stock=True,
                   snapshot=SNAP_A),
    LookView(product="000814", session="sess-1", user=None, only_valid=True, snapshot=SNAP_B),
    CompareView(category="Jeans", lanes=("Native order", "Persona: Sporty & co", "Best sellers"),
                sessions=("sess-2", "sess-3, 90"), add_sidebar=True, session="sess-1", user="7", k=12, p=0.85,
                reference="Native order", other="Persona: Sporty & co",
                snapshots=(share_params.NO_SNAPSHOT, SNAP_A, SNAP_B, SNAP_A), explain=SNAP_B, explain_lane="sess-2"),
    JourneyView(journey="Persona: Boho shopper", k=15, fresh=False, session="sess-1", user="90"),
    HistoryView(session="sess-1", user="90", item="Jeans", event="categoryView", backend="live",
                since=date(2026, 4, 16), until=date(2026, 4, 17), outcome="ok", selected=(SNAP_A, SNAP_B), k=5,
                p=0.9, reference=SNAP_B),
    share.WalkView(session="sess-1", user="90", snapshots=(SNAP_A, SNAP_B, SNAP_A)),
]
DEFAULT_VIEWS = [view_class() for view_class in share.VIEWS.values()]


def through_the_url(params: dict) -> dict[str, list[str]]:
    """What a browser hands back: the query string parsed as Streamlit does (repeated keys kept)."""
    link = share.link("https://studio.example/compare", params)
    return parse_qs(urlsplit(link).query, keep_blank_values=True)


@pytest.mark.parametrize("view", FULL_VIEWS + DEFAULT_VIEWS, ids=lambda v: f"{type(v).__name__}")
def test_every_page_state_survives_the_round_trip(view):
    decoded = decode(view.PAGE, through_the_url(encode(view)))
    assert decoded is not None and decoded.problems == ()
    assert decoded.view == view


@pytest.mark.parametrize("view", FULL_VIEWS, ids=lambda v: type(v).__name__)
def test_every_field_of_every_view_is_in_its_link(view):
    attrs = {param.attr for param in view.PARAMS}
    assert attrs == {f.name for f in fields(view)}


def test_defaults_are_left_out_so_links_stay_short():
    assert encode(StorefrontView()) == {"page": "storefront", "v": "1"}
    assert encode(JourneyView(fresh=True)) == {"page": "journey", "v": "1"}
    assert encode(JourneyView(fresh=False))["fresh"] == "0"


def test_single_values_are_strings_and_lists_repeat_the_key():
    params = encode(CompareView(lanes=("A", "B"), k=10))
    assert params["lane"] == ["A", "B"] and params["k"] == "10"
    assert share.query_string(params) == "page=compare&v=1&lane=A&lane=B&k=10"


def test_the_link_is_the_page_address_with_the_view():
    params = encode(StorefrontView(category="a b&c"))
    assert share.link("http://host:8501/storefront?old=1#x", params) == (
        "http://host:8501/storefront?page=storefront&v=1&category=a%20b%26c")
    assert share.link(None, params).startswith("?page=storefront")


def test_a_link_for_another_page_is_ignored():
    assert decode("storefront", {"page": "compare", "category": "x"}) is None


def test_a_hand_made_link_without_page_or_version_works():
    decoded = decode("storefront", {"category": "dresses", "hide": "true"})
    assert decoded.view == StorefrontView(category="dresses", hide_out_of_stock=True)
    assert decoded.problems == ()


def test_a_link_from_another_version_is_not_applied():
    decoded = decode("storefront", {"page": "storefront", "v": "2", "category": "dresses"})
    assert decoded.view == StorefrontView()
    [problem] = decoded.problems
    assert "another version" in problem and "v='2'" in problem


def test_streamlit_parameters_are_left_alone():
    decoded = decode("storefront", {"embed": "true", "embed_options": ["show_toolbar"], "category": "x"})
    assert decoded.problems == () and decoded.view.category == "x"


def test_unknown_parameters_are_named_and_ignored():
    decoded = decode("history", {"catgory": "x", "utm_source": "mail"})
    [problem] = decoded.problems
    assert "'catgory'" in problem and "'utm_source'" in problem and "ignored" in problem


@pytest.mark.parametrize("page, params, words", [
    ("compare", {"k": "0"}, "K ('0') is not a whole number from 1 to 50"),
    ("compare", {"k": "ten"}, "K ('ten')"),
    ("compare", {"p": "1.5"}, "top ranks (RBO p) ('1.5') is not a number from 0.5 to 0.99"),
    ("compare", {"p": "nan"}, "(RBO p)"),
    ("journey", {"k": "50"}, "from 3 to 30"),
    ("storefront", {"hide": "maybe"}, "hiding out-of-stock products ('maybe') is not 1 or 0"),
    ("storefront", {"category": "x" * (share_params.MAX_TEXT + 1)}, f"longer than {share_params.MAX_TEXT:,} characters"),
    ("storefront", {"session": "a\u0000b"}, "NUL character"),
    ("storefront", {"category": "   "}, "is empty"),
    ("storefront", {"snap": "../../etc/passwd"}, "not a snapshot id"),
    ("compare", {"lane": ["A"] * 9}, "at most 8"),
    ("compare", {"snap": ["x"]}, "snapshot ids"),
    ("history", {"snap": [SNAP_A, SNAP_A, SNAP_B]}, "at most 2"),
    ("history", {"event": "purchase"}, "event filter ('purchase') is not one of categoryView"),
    ("history", {"from": "yesterday"}, "first day ('yesterday') is not a date"),
    ("history", {"outcome": "maybe"}, "outcome filter"),
])
def test_a_bad_value_is_dropped_with_a_message_saying_what_the_page_does(page, params, words):
    decoded = decode(page, params)
    [problem] = decoded.problems
    assert words in problem
    assert decoded.view == share.VIEWS[page]()


def test_good_values_survive_next_to_bad_ones():
    decoded = decode("compare", {"category": "Jeans", "k": "abc", "ref": "Native order"})
    assert decoded.view == CompareView(category="Jeans", reference="Native order")
    assert len(decoded.problems) == 1


def test_a_repeated_single_value_takes_the_last():
    assert decode("storefront", {"category": ["a", "b"]}).view.category == "b"


def test_long_values_are_shortened_in_messages():
    [problem] = decode("compare", {"k": "9" * 500}).problems
    assert len(problem) < 200


def test_no_view_has_a_place_for_a_token_or_a_header():
    for view_class in share.VIEWS.values():
        names = {param.name for param in view_class.PARAMS} | {f.name for f in fields(view_class)}
        assert not any("token" in name.lower() or "header" in name.lower() for name in names)


def test_sidebar_pages_are_the_ones_whose_session_is_the_shopper():
    assert {"storefront", "search", "shop_the_look", "compare", "journey", "walk"} == share.SIDEBAR_PAGES
    assert "history" not in share.SIDEBAR_PAGES  # there, session and user are filters


# --------------------------------------------------------------------------- values the studio records travel in links

ODD_VIEWS = [
    StorefrontView(category="Vestidos\u00a0Longos", session="sess\t1", user="u\u200b90", snapshot=SNAP_A),
    LookView(product="x" * 600 + "\u200b", session=" padded session "),
    CompareView(category="Saias\u00a0Midi", sessions=("sess\t2", "sess-3, u\u200b7"), reference="Native order"),
    HistoryView(item="Vestidos\u00a0Longos", session="sess\t1", user="\u200b"),
]


@pytest.mark.parametrize("view", ODD_VIEWS, ids=lambda v: type(v).__name__)
def test_values_the_studio_records_survive_the_link_exactly(view):
    # A category with a non-breaking space, an id with a zero-width space, a session with a
    # tab or an id over 500 characters was dropped from the link with a warning.
    decoded = decode(view.PAGE, through_the_url(encode(view)))
    assert decoded.problems == ()
    assert decoded.view == view


def test_a_value_too_long_for_any_link_is_still_refused():
    [problem] = decode("storefront", {"category": "x" * (share_params.MAX_TEXT + 1)}).problems
    assert f"longer than {share_params.MAX_TEXT:,} characters" in problem


# --------------------------------------------------------------------------- days at the edges of the calendar


@pytest.mark.parametrize("params, words", [
    ({"to": "9999-12-31"}, "last day ('9999-12-31') is not a day from 2000-01-01 to 2099-12-31"),
    ({"from": "0001-01-01"}, "first day ('0001-01-01') is not a day from"),
    ({"from": "2026-13-45"}, "is not a date like 2026-04-17"),
    ({"to": "９９９９-１２-３１"}, "last day"),  # noqa: RUF001 - fullwidth digits on purpose
    ({"to": "2026-04-17T00:00"}, "last day"),
    ({"from": "2026-04-18", "to": "2026-04-17"}, "first day (2026-04-18) is after the last day (2026-04-17)"),
])
def test_days_out_of_range_or_upside_down_are_dropped_with_a_message(params, words):
    decoded = decode("history", params)
    assert any(words in problem for problem in decoded.problems), decoded.problems
    assert decoded.view.since is None and decoded.view.until is None


def test_the_last_days_of_the_range_are_kept():
    low, high = share_params.DATE_RANGE
    decoded = decode("history", {"from": low.isoformat(), "to": high.isoformat()})
    assert decoded.problems == () and (decoded.view.since, decoded.view.until) == (low, high)


def test_a_walk_link_names_at_most_forty_saved_answers():
    ok = share.WalkView(session="s", snapshots=tuple(f"{n:032x}" for n in range(share.MAX_WALK_SNAPSHOTS)))
    assert decode("walk", encode(ok)).view == ok
    too_many = encode(share.WalkView(session="s", snapshots=(*ok.snapshots, SNAP_A)))
    decoded = decode("walk", too_many)
    assert decoded.view.snapshots == () and "at most 40" in decoded.problems[0]
