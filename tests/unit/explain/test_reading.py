"""An experiment's reading on hand-made rankings: ranks with and without each event, products not shown, ties in
size, the twins' noise and the rule for "within noise", the sentences and the heatmap's rows."""

from __future__ import annotations

from fashionai.domain import EventType
from fashionai.explain.reading import Explanation, Move, event_label
from fashionai.journeys.journey import Step

STEPS = (Step(EventType.PRODUCT_VIEW, "shirt"), Step(EventType.CATEGORY_VIEW, "Dresses"),
         Step(EventType.SEARCH, "vestido azul"))
NAMES = {"shirt": "Linen Shirt — White", "hat": "Straw Hat", "a": "Dress A", "b": "Dress B", "c": "Dress C"}


def explanation(**rankings):
    base = {"all": ("hat", "a", "b", "c"), "without 1": ("a", "b", "c", "hat"), "without 2": ("hat", "a", "b", "c"),
            "without 3": ("hat", "b", "a"), "twin 1": ("hat", "a", "b", "c"), "twin 2": ("hat", "b", "a", "c")}
    return Explanation(STEPS, "Opened category Dresses", {**base, **rankings}, NAMES, twins=2, run_id="r1")


def test_events_are_labelled_in_plain_words():
    assert explanation().events == ("Viewed Linen Shirt — White", "Opened category Dresses",
                                    "Searched 'vestido azul'")
    assert event_label(Step(EventType.CUSTOM_SHELF, ""), {}) == "Opened the home shelf"
    assert event_label(Step(EventType.PRODUCT_VIEW, "zz"), {}) == "Viewed zz"  # not in the catalog: its id


def test_ranks_with_every_event_without_one_and_alone():
    e = explanation(**{"only 1": ("hat",)})
    assert e.rank_all("hat") == 1 and e.rank_without("hat", 0) == 4 and e.rank_without("hat", 1) == 1
    assert e.rank_without("c", 2) is None  # not shown without the search
    assert e.rank_only("hat", 0) == 1 and e.rank_only("a", 0) is None
    assert e.rank("hat", "only 2") is None  # a variant not asked


def test_noise_is_the_spread_of_a_products_place_across_all_and_its_twins():
    e = explanation()
    assert e.noise("hat") == 0 and e.noise("a") == 1 and e.noise("b") == 1 and e.noise("c") == 0
    assert e.noise_measured
    alone = Explanation(STEPS, "q", {"all": ("a", "b")}, twins=2)
    assert alone.noise("a") == 0 and not alone.noise_measured  # no twin answered: nothing to measure it by
    missing = explanation(**{"twin 1": ("a", "b")})  # hat and c not shown in a twin: one below its last (#3)
    assert missing.noise("hat") == 2 and missing.noise("c") == 1


def test_moves_are_sorted_by_size_and_told_from_noise():
    moves = explanation().moves()
    assert moves[0] == Move(0, "hat", 4, 1, 3, False)  # the shirt view moved the hat from #4 to #1
    sizes = [m.size for m in moves]
    assert sizes == sorted(sizes, reverse=True)
    by_key = {(m.event, m.product): m for m in moves}
    assert (1, "hat") not in by_key  # the same place without the category: no move
    assert by_key[0, "a"] == Move(0, "a", 1, 2, -1, True)  # one place, and a's place varies by one: noise
    assert (2, "c") not in by_key  # not shown without the search (#4 in arithmetic), #4 with it: no move


def test_a_product_not_shown_stands_below_the_answers_last():
    e = Explanation(STEPS[:2], "q", {"all": ("x", "y"), "without 1": ("y",), "without 2": ("x", "y"),
                                     "twin 1": ("x", "y")}, twins=1)
    [move] = e.moves()[:1]
    assert move == Move(0, "x", None, 1, 1, False)  # without the event x is not shown (#2 in arithmetic)
    assert "from not shown to #1" in e.sentence(move)


def test_ties_in_size_keep_event_order_then_the_answers():
    e = Explanation(STEPS[:2], "q", {"all": ("a", "b", "c"), "without 1": ("b", "a", "c"),
                                     "without 2": ("a", "c", "b"), "twin 1": ("a", "b", "c")}, twins=1)
    assert [(m.event, m.product) for m in e.moves()] == [(0, "a"), (0, "b"), (1, "b"), (1, "c")]


def test_the_sentence_names_the_event_the_product_and_both_places():
    e = explanation()
    assert e.sentence(e.moves()[0]) == "Viewing *Linen Shirt — White* moved *Straw Hat* from #4 to #1"
    noisy = next(m for m in e.moves() if m.within_noise)
    assert e.sentence(noisy).endswith("within noise (its place varies by 1 between identical replays)")
    search = Move(2, "c", None, 4, -1, False)
    assert e.sentence(search) == "Searching '*vestido azul*' moved *Dress C* from not shown to #4"
    marked = Explanation(STEPS, "q", e.rankings, {**NAMES, "hat": "Hat *new*"}, twins=2)
    assert "*Hat \\*new\\**" in marked.sentence(marked.moves()[0], markdown=True)


def test_the_biggest_moves_beyond_noise_come_first():
    e = explanation()
    biggest = e.biggest(10)
    beyond = [m.within_noise for m in biggest]
    assert beyond == sorted(beyond) and len(biggest) == len(e.moves())


def test_the_heatmaps_rows_keep_the_biggest_movers_only():
    frame = explanation().change_frame(top=1)
    assert set(frame["product_id"]) == {"hat"}
    assert list(frame.columns) == ["event", "event_index", "product_id", "product", "change", "without",
                                   "with_all", "within_noise", "order"]
    assert frame.loc[0, "event"] == "1. Viewed Linen Shirt — White" and frame.loc[0, "change"] == 3
    assert str(frame["product_id"].dtype) == "str"


def test_the_moves_as_json():
    data = explanation().to_json()
    assert data["run_id"] == "r1" and data["events"][0] == "Viewed Linen Shirt — White"
    first = data["moves"][0]
    assert first == {"event": 1, "event_label": "Viewed Linen Shirt — White", "product_id": "hat",
                     "product": "Straw Hat", "rank_without": 4, "rank_with_all": 1, "change": 3,
                     "within_noise": False, "noise": 0,
                     "sentence": "Viewing *Linen Shirt — White* moved *Straw Hat* from #4 to #1"}


def test_an_experiment_without_its_all_answer_has_no_moves():
    assert Explanation(STEPS, "q", {"without 1": ("a",)}, twins=1).moves() == []


def test_pointing_at_one_product_says_what_each_event_did_to_it():
    e = explanation()
    assert e.shown() == ("hat", "a", "b", "c")
    assert e.story("hat") == [
        "Viewing *Linen Shirt — White* moved *Straw Hat* from #4 to #1",
        "Opening category *Dresses* did not move *Straw Hat* (at #1 either way)",
        "Searching '*vestido azul*' did not move *Straw Hat* (at #1 either way)",
    ]
    gone = Explanation(STEPS[:2], "q", {"all": ("hat",), "twin 1": ("hat",), "without 2": ("hat",)}, NAMES, twins=1)
    assert gone.story("hat")[0] == "Viewing *Linen Shirt — White*: its replay without this event was not answered"
