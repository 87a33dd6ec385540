"""Movement badges: hand-computed moves between two lists."""

from fashionai.measures.movement import DOWN, NEW, SAME, UP, Move, movements


def test_moves_between_two_visits() -> None:
    before = ["a", "b", "c", "d"]
    now = ["c", "a", "e", "b"]
    assert movements(now, before) == {
        "c": Move(UP, 2), "a": Move(DOWN, 1), "e": Move(NEW), "b": Move(DOWN, 2),
    }


def test_labels_and_words() -> None:
    assert [Move(UP, 3).label, Move(DOWN, 1).label, Move(NEW).label, Move(SAME).label] == ["↑3", "↓1", "new", "="]
    assert Move(UP, 1).words("the previous visit") == "moved up 1 place since the previous visit"
    assert Move(DOWN, 4).words("the store's own order") == "moved down 4 places since the store's own order"
    assert Move(NEW).words("the previous visit") == "not in the previous visit"


def test_first_visit_everything_new_and_repeats_count_once() -> None:
    assert movements(["x", "y", "x"], []) == {"x": Move(NEW), "y": Move(NEW)}
    assert movements(["x", "y"], ["x", "y"]) == {"x": Move(SAME), "y": Move(SAME)}


def test_ids_are_strings_end_to_end() -> None:
    moves = movements(["007", "7"], ["7", "007"])
    assert moves == {"007": Move(UP, 1), "7": Move(DOWN, 1)}
