"""Judgments marked on the Search page a grade at a time, and their CSV read back as an uploaded one is."""

from __future__ import annotations

import pytest

from fashionai.relevance.judgments import MARKED, JudgmentsError, judgments_csv, mark, read_judgments


def test_marks_round_trip_through_read_judgments_with_ids_as_text():
    marked = mark(None, "Vestido Azul ", "0042", 3)
    marked = mark(marked, "vestido azul", "7", 0)
    marked = mark(marked, "-50%", "=1+2", 2)  # cells a spreadsheet would run come back as typed
    marked = mark(marked, "tênis", "0042", 1)
    back = read_judgments(judgments_csv(marked), name="marked.csv")
    assert {q: dict(p) for q, p in back.grades.items()} == {
        "vestido azul": {"0042": 3, "7": 0}, "-50%": {"=1+2": 2}, "tênis": {"0042": 1}}
    assert back.notes == ()
    assert marked.source == MARKED and marked.count == 4


def test_a_grade_marked_again_replaces_the_first_and_none_takes_it_back():
    marked = mark(mark(None, "bota", "1", 1), "BOTA", "1", 3)
    assert dict(marked.of("bota")) == {"1": 3}
    cleared = mark(marked, "bota", "1", None)
    assert cleared.count == 0 and not cleared.judged("bota")
    assert dict(marked.of("bota")) == {"1": 3}  # the judgments before are left as they were


@pytest.mark.parametrize(("query", "product", "grade", "words"), [
    ("", "1", 2, "needs a query"), ("bota", " ", 2, "needs a query and a product id"), ("bota", "1", 4, "0 to 3")])
def test_a_bad_mark_is_refused_in_words(query, product, grade, words):
    with pytest.raises(JudgmentsError, match=words):
        mark(None, query, product, grade)
