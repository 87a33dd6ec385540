"""What the compare page shows, worked out without Streamlit (fashionai.compare.view)."""

from __future__ import annotations

import json

import httpx
import pandas as pd
import pytest

from fashionai.api.client import FashionAIClient
from fashionai.api.errors import ServerError
from fashionai.catalog import load_catalog
from fashionai.compare.fetch import compare_lanes
from fashionai.compare.lanes import BEST_SELLERS, KINDS, NATIVE, PERSONA, SESSION, native_lane, session_lane
from fashionai.compare.view import (
    BEST_OPTION,
    KIND_NAMES,
    MEASURE_HELP,
    NATIVE_OPTION,
    LaneChoice,
    change_counts,
    choose_lanes,
    default_lanes,
    events_sentence,
    failed_lanes,
    k_limit,
    lane_cards,
    lane_options,
    lane_order,
    nothing_new_to_compare,
    progress_text,
)
from fashionai.domain import K_RANGE, EventType
from fashionai.journeys.journey import Journey, Step
from fashionai.measures.ranking import MEASURES

BASE = "http://api.test/api/v1"
CATALOG_CSV = (
    "id,name,category,price,stock\n"
    "01,Linen Dress,Dresses,199.9,5\n02,Satin Dress,Dresses,299.9,0\n03,Wrap Dress,Dresses,249.9,2\n"
    "04,Maxi Dress,Dresses,219.9,9\n05,Shirt Dress,Dresses,189.9,7\n06,Tee,Tops,59.9,30\n"
)
SPORTY = Journey("Sporty", "", "Dresses", (Step(EventType.PRODUCT_VIEW, "01"), Step(EventType.CUSTOM_SHELF)))
OFFICE = Journey("Office", "", "Dresses", (Step(EventType.CATEGORY_VIEW, "Dresses"),))
BOHO = Journey("Boho", "", "Dresses", (Step(EventType.CUSTOM_SHELF),))


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(CATALOG_CSV.encode())


def client(answers):
    """A client whose categoryView answers per session (a list of ids, or a status to fail with)."""
    def handle(request):
        if request.method == "GET":
            return httpx.Response(200, json={"products": ["05", "04"]})
        answer = answers.get(json.loads(request.content)["sessionId"], ["03", "01", "02"])
        if isinstance(answer, int):
            return httpx.Response(answer, json={"error": "failed"})
        return httpx.Response(200, json={"products": answer})
    return FashionAIClient("t", base_url=BASE, transport=httpx.MockTransport(handle), max_retries=0)


def compare(catalog, specs, answers=None, **measures):
    return compare_lanes(client(answers or {}), catalog, "Dresses", specs, **measures)


# --------------------------------------------------------------------------- choosing the lanes


def test_the_options_are_both_baselines_every_persona_and_every_saved_journey():
    options = lane_options([SPORTY, OFFICE], {"Boho": BOHO})
    assert list(options) == [NATIVE_OPTION, BEST_OPTION, "Persona: Sporty", "Persona: Office", "Journey: Boho"]
    assert options[NATIVE_OPTION].kind == NATIVE and options[BEST_OPTION].kind == BEST_SELLERS
    assert options["Persona: Office"].persona == OFFICE and options["Persona: Office"].label == "Office"
    assert options["Journey: Boho"].label == "Boho (journey)"  # named by the journey's own name, marked


def test_the_page_opens_with_the_first_two_personas_and_both_baselines():
    assert default_lanes([SPORTY, OFFICE, BOHO]) == ["Persona: Sporty", "Persona: Office", NATIVE_OPTION, BEST_OPTION]
    assert default_lanes([]) == [NATIVE_OPTION, BEST_OPTION]


def choose(chosen, sessions="", *, add_sidebar=False, session_id=None, user_id=None):
    return choose_lanes(lane_options([SPORTY, OFFICE], {}), chosen, sessions, add_sidebar=add_sidebar,
                        session_id=session_id, user_id=user_id)


def test_chosen_options_typed_sessions_and_the_sidebars_session_become_lanes():
    choice = choose([NATIVE_OPTION], "sess-a\nsess-b, 90", add_sidebar=True, session_id="side", user_id="7")
    assert [(s.kind, s.label) for s in choice.specs] == [
        (NATIVE, "Native order"), (SESSION, "sess-a"), (SESSION, "sess-b · user 90"), (SESSION, "side · user 7")]
    assert choice.problems == ()


def test_the_choice_says_every_lane_it_would_fetch_the_typed_sessions_too():
    choice = choose([NATIVE_OPTION, BEST_OPTION], "sess-a, , Anna\nsess-b, 90")
    assert choice.labels == "4 lanes: Native order, Best sellers, Anna, sess-b · user 90."
    assert choose([]).labels == "No lane chosen yet."


def test_repeated_labels_are_numbered_and_a_repeated_session_is_a_problem():
    assert [s.label for s in choose([NATIVE_OPTION], "x\nx, 2").specs] == ["Native order", "x", "x · user 2"]
    choice = choose([NATIVE_OPTION], "x\nx")
    assert [s.label for s in choice.specs] == ["Native order", "x", "x (2)"]
    assert choice.problems == (("Session 'x' is in two lanes: each call is recorded as a visit, so the second would "
                                "see the first. Keep it once."),)  # one full stop


def test_what_stops_a_comparison_is_said_in_sentences():
    assert choose([NATIVE_OPTION]).problems == ("Choose 2 to 8 lanes to compare; 1 lane is chosen.",)
    choice = choose([NATIVE_OPTION, BEST_OPTION], ", 90")
    assert choice.problems == ('Shopper sessions: line 1: a session id comes before the comma, as in "sess-1, 90".',)
    assert len(choice.specs) == 2  # the chosen options are kept
    choice = choose([NATIVE_OPTION, BEST_OPTION], add_sidebar=True, session_id="")
    assert choice.problems == ("The sidebar has no shopper session id to add.",)


@pytest.mark.parametrize("chosen, sessions, sentence", [
    ([NATIVE_OPTION, BEST_OPTION], "", "This comparison sends no tracking event."),
    ([NATIVE_OPTION], "s1", ("This comparison sends 1 tracking event. Each shopper session you added is recorded "
                             "as a visit of that session.")),
    (["Persona: Office", NATIVE_OPTION], "", ("This comparison sends 2 tracking events, a persona on a fresh "
                                               "synthetic session.")),
    (["Persona: Sporty", "Persona: Office"], "s1\ns2", ("This comparison sends 8 tracking events, 2 personas on "
      "fresh synthetic sessions. Each shopper session you added is recorded as a visit of that session.")),
])
def test_the_events_sentence_counts_events_personas_and_shoppers(chosen, sessions, sentence):
    choice = choose(chosen, sessions)
    assert choice.cost == events_sentence(choice.specs) == sentence
    assert choice.events == sum(spec.events for spec in choice.specs)


def test_a_lane_choice_is_frozen():
    with pytest.raises(AttributeError):
        LaneChoice((), ()).specs = ()


def test_progress_names_the_lane_escaped():
    assert progress_text("sess_a", True, 2, 4) == "2 of 4 lanes: sess\\_a done"
    assert progress_text("b", False, 1, 1) == "1 of 1 lane: b failed"


# --------------------------------------------------------------------------- the fetched lanes


def test_failed_lanes_are_grouped_by_their_message_in_lane_order(catalog):
    specs = [session_lane("a_1"), native_lane(), session_lane("b"), session_lane("c")]
    comparison = compare(catalog, specs, {"a_1": 500, "b": 400, "c": 500})
    groups = failed_lanes(comparison)
    assert [group.what for group in groups] == ["Lanes a\\_1, c", "Lane b"]  # labels escaped for Markdown
    assert isinstance(groups[0].error, ServerError)
    assert nothing_new_to_compare(comparison)  # only the native order has a ranking


def test_a_comparison_with_two_rankings_is_something_new_even_with_a_failed_lane(catalog):
    comparison = compare(catalog, [session_lane("a"), native_lane(), session_lane("b")], {"b": 500})
    assert not nothing_new_to_compare(comparison)
    assert [group.what for group in failed_lanes(comparison)] == ["Lane b"]
    assert failed_lanes(compare(catalog, [session_lane("a"), native_lane()])) == ()
    assert not nothing_new_to_compare(compare(catalog, [session_lane("a"), native_lane()]))


def test_a_card_for_every_lane_says_its_kind_state_note_and_first_names(catalog):
    specs = [session_lane("known"), session_lane("new"), native_lane(), session_lane("broken")]
    comparison = compare(catalog, specs, {"new": [], "broken": 500})
    known, new, native, broken = lane_cards(comparison)
    assert (known.label, known.kind, known.state) == ("known", KIND_NAMES[SESSION], "ranked")
    assert known.top == "1. Wrap Dress\n2. Linen Dress\n3. Satin Dress"  # three names, best first
    assert known.note == "Fashion\\.AI ranked 3 products for session known\\."  # escaped for Markdown
    assert new.state == "waiting" and "doesn't know this session yet" in new.note
    assert new.top.startswith("1. Linen Dress")  # the native order it falls back to
    assert native.state == "ranked" and native.kind == "Store's native order"
    assert broken.state == "failed" and isinstance(broken.error, ServerError) and broken.top == ""
    assert known.error is None


def test_every_lane_kind_and_measure_has_its_words():
    assert set(KIND_NAMES) == set(KINDS) and set(MEASURE_HELP) == set(MEASURES)
    assert PERSONA in KIND_NAMES


def test_k_is_limited_by_the_longest_ranking_within_the_range(catalog):
    assert k_limit(compare(catalog, [session_lane("a"), native_lane()], {"a": ["01", "02"]})) == 5  # native: 5
    assert k_limit(compare(catalog, [session_lane("a"), session_lane("b")], {"a": ["01"], "b": []})) == 5
    long = [f"x{i}" for i in range(80)]
    assert k_limit(compare(catalog, [session_lane("a"), native_lane()], {"a": long})) == K_RANGE[1]
    one = compare(catalog, [session_lane("a"), session_lane("b")], {"a": ["01"], "b": ["02"]})
    assert k_limit(one) == 2  # at least 2, so a slider has a range


def test_the_bump_chart_runs_from_the_reference_through_the_lanes_in_card_order():
    assert lane_order("C", ["A", "B", "D"]) == ["C", "A", "B", "D"]  # the cards' order, the reference first
    assert lane_order("A", ["B"]) == ["A", "B"]


def test_rank_change_counts_say_each_change_with_k_in_the_labels():
    changes = pd.DataFrame({"change": ["up", "up", "down", "new", "same"]})
    assert change_counts(changes, 7) == (("Moved up", 2), ("Moved down", 1), ("New in top 7", 1),
                                         ("Dropped from top 7", 0))
    assert all(type(count) is int for _, count in change_counts(changes, 7))
