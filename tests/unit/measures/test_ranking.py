import itertools
import math
import random

import numpy as np
import pandas as pd
import pytest

from fashionai.measures.ranking import (
    Rankings,
    jaccard_at_k,
    kendall_tau,
    move_note,
    overlap_at_k,
    pairwise_table,
    rank_changes,
    rank_matrix,
    rbo,
    similarity_matrix,
)


def ids(letters: str) -> list[str]:
    return list(letters)


def random_rankings(count: int = 40, seed: int = 7) -> list[list[str]]:
    rng = random.Random(seed)
    pool = [f"p{i}" for i in range(30)]
    return [rng.sample(pool, rng.randint(0, 20)) for _ in range(count)]


# --- rbo ---------------------------------------------------------------------------


def test_rbo_matches_the_published_value_for_uneven_lists():
    assert round(rbo(ids("NHMACFL"), ids("CGNA"), p=0.9), 4) == 0.4904
    assert round(rbo(ids("CGNA"), ids("NHMACFL"), p=0.9), 4) == 0.4904


def test_rbo_hand_computed_swap_of_two():
    # eq. 30 at depth 2: X_2/2 * p^2 + (1-p)/p * (X_1/1 * p + X_2/2 * p^2), X = (0, 2)
    assert rbo(ids("AB"), ids("BA"), p=0.5) == pytest.approx(0.5)


@pytest.mark.parametrize("p", [0.5, 0.9, 0.98])
def test_rbo_of_identical_lists_is_one(p):
    assert rbo(ids("ABCDEFG"), ids("ABCDEFG"), p) == pytest.approx(1.0)


def test_rbo_of_disjoint_lists_is_zero():
    assert rbo(ids("ABC"), ids("XYZW")) == 0.0


def test_rbo_extrapolation_scores_a_prefix_as_full_agreement():
    assert rbo(ids("ABC"), ids("ABCDEFG")) == pytest.approx(1.0)


def test_rbo_of_empty_lists():
    assert rbo([], []) == 1.0
    assert rbo([], ids("AB")) == 0.0
    assert rbo(ids("AB"), []) == 0.0


@pytest.mark.parametrize("p", [0, 1, -0.1, 1.5])
def test_rbo_rejects_p_outside_the_open_unit_interval(p):
    with pytest.raises(ValueError, match="p must be"):
        rbo(ids("AB"), ids("AB"), p)


def test_rbo_ignores_later_duplicates():
    assert rbo(ids("AAB"), ids("AB")) == pytest.approx(1.0)
    assert rbo(ids("ABA"), ids("BA")) == rbo(ids("AB"), ids("BA"))


def test_rbo_weighs_the_top_more_than_the_bottom():
    assert rbo(ids("ABCDEF"), ids("BACDEF")) < rbo(ids("ABCDEF"), ids("ABCDFE"))


# --- overlap, jaccard, kendall -------------------------------------------------------


def test_overlap_and_jaccard_hand_computed():
    a, b = ids("ABCDE"), ids("BAXYZ")
    assert overlap_at_k(a, b, 3) == pytest.approx(2 / 3)
    assert jaccard_at_k(a, b, 3) == pytest.approx(2 / 4)
    assert overlap_at_k(a, b, 1) == 0.0
    assert jaccard_at_k(a, b, 5) == pytest.approx(2 / 8)


def test_overlap_divides_by_k_even_for_short_lists():
    assert overlap_at_k(ids("ABC"), ids("ABC"), 10) == pytest.approx(0.3)
    assert jaccard_at_k(ids("ABC"), ids("ABC"), 10) == 1.0


def test_set_measures_of_empty_lists():
    assert jaccard_at_k([], [], 5) == 1.0
    assert overlap_at_k([], [], 5) == 0.0
    assert jaccard_at_k([], ids("A"), 5) == 0.0


def test_set_measures_count_an_id_once():
    assert overlap_at_k(ids("AAB"), ids("AB"), 2) == 1.0
    assert jaccard_at_k(ids("AAB"), ids("BA"), 2) == 1.0


@pytest.mark.parametrize("measure", [overlap_at_k, jaccard_at_k])
def test_set_measures_reject_k_below_one(measure):
    with pytest.raises(ValueError, match="k must be"):
        measure(ids("AB"), ids("AB"), 0)


def test_kendall_tau_known_values():
    assert kendall_tau(ids("ABCD"), ids("ABCD")) == 1.0
    assert kendall_tau(ids("ABCD"), ids("DCBA")) == -1.0
    assert kendall_tau(ids("ABCD"), ids("BACD")) == pytest.approx(2 / 3)  # 1 of 6 pairs discordant


def test_kendall_tau_uses_only_shared_items():
    assert kendall_tau(ids("ABXC"), ids("CYBA")) == -1.0


def test_kendall_tau_needs_two_shared_items():
    assert kendall_tau(ids("AB"), ids("AC")) is None
    assert kendall_tau([], []) is None


def test_kendall_tau_matches_brute_force_on_a_large_shuffle():
    rng = random.Random(3)
    a = [str(i) for i in range(400)]
    b = a[:]
    rng.shuffle(b)
    position = {item: i for i, item in enumerate(b)}
    signs = [
        np.sign(position[a[j]] - position[a[i]]) for i, j in itertools.combinations(range(len(a)), 2)
    ]
    assert kendall_tau(a, b) == pytest.approx(sum(signs) / len(signs))


def rbo_by_definition(a: list[str], b: list[str], p: float) -> float:
    """Eq. 32 of Webber, Moffat & Zobel (2010) read literally: X_d from prefix sets at every depth."""
    a, b = list(dict.fromkeys(a)), list(dict.fromkeys(b))
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    s, l = len(short), len(long)  # noqa: E741 - s and l as in the paper
    if l == 0:
        return 1.0
    if s == 0:
        return 0.0
    overlap = {d: len(set(short[:d]) & set(long[:d])) for d in range(1, l + 1)}
    total = sum(overlap[d] / d * p**d for d in range(1, l + 1))
    total += sum(overlap[s] * (d - s) / (s * d) * p**d for d in range(s + 1, l + 1))
    return (1 - p) / p * total + ((overlap[l] - overlap[s]) / l + overlap[s] / s) * p**l


@pytest.mark.parametrize("p", [0.5, 0.9, 0.98])
def test_rbo_matches_the_definition_on_random_lists_with_duplicates(p):
    rng = random.Random(11)
    pool = [f"p{i}" for i in range(60)]
    for _ in range(60):
        a = [rng.choice(pool) for _ in range(rng.randint(0, 50))]
        b = [rng.choice(pool) for _ in range(rng.randint(0, 50))]
        assert rbo(a, b, p) == pytest.approx(min(1.0, max(0.0, rbo_by_definition(a, b, p))), abs=1e-12)


def test_measures_of_lanes_of_a_hundred_thousand_items():
    rng = np.random.default_rng(5)
    a = [f"{i:07d}" for i in range(100_000)]
    b = [a[i] for i in rng.permutation(len(a))]
    assert kendall_tau(a, b) == pytest.approx(0.0, abs=0.01)
    assert rbo(a, a[:50_000]) == pytest.approx(1.0)
    changes = rank_changes(a, b, k=20)
    assert len(changes) == 40 and set(changes["change"]) <= {"new", "dropped", "up", "down", "same"}


def test_kendall_tau_handles_twenty_thousand_items():
    a = [str(i) for i in range(20_000)]
    assert kendall_tau(a, a[::-1]) == -1.0


MEASURES = {
    "rbo": rbo,
    "overlap": lambda a, b: overlap_at_k(a, b, 10),
    "jaccard": lambda a, b: jaccard_at_k(a, b, 10),
}


@pytest.mark.parametrize("name", MEASURES)
def test_measures_are_symmetric_bounded_and_one_on_identity(name):
    measure = MEASURES[name]
    rankings = random_rankings()
    for a, b in itertools.combinations(rankings, 2):
        value = measure(a, b)
        assert value == pytest.approx(measure(b, a))
        assert 0.0 <= value <= 1.0
    for a in rankings:
        if len(a) >= 10 or name != "overlap":
            assert measure(a, a) == pytest.approx(1.0)


def test_kendall_tau_is_symmetric_and_bounded():
    rankings = random_rankings()
    for a, b in itertools.combinations(rankings, 2):
        tau = kendall_tau(a, b)
        assert tau == (None if tau is None else pytest.approx(kendall_tau(b, a)))
        assert tau is None or -1.0 <= tau <= 1.0


# --- tables of lanes -----------------------------------------------------------------

LANES = {"baseline": ids("ABCDE"), "shopper": ids("BAFCE"), "solo": ids("Z")}


def test_similarity_matrix_is_square_symmetric_and_labelled():
    matrix = similarity_matrix(LANES, "rbo", p=0.8)
    assert list(matrix.index) == list(matrix.columns) == list(LANES)
    assert (matrix.index.name, matrix.columns.name) == ("lane_a", "lane_b")
    np.testing.assert_allclose(matrix.to_numpy(), matrix.to_numpy().T)
    np.testing.assert_allclose(np.diag(matrix.to_numpy()), 1.0)
    assert matrix.loc["baseline", "shopper"] == pytest.approx(rbo(LANES["baseline"], LANES["shopper"], 0.8))


def test_similarity_matrix_uses_k_and_leaves_undefined_kendall_empty():
    assert similarity_matrix(LANES, "overlap", k=2).loc["baseline", "shopper"] == 1.0
    assert similarity_matrix(LANES, "jaccard", k=3).loc["baseline", "shopper"] == pytest.approx(2 / 4)
    kendall = similarity_matrix(LANES, "kendall")
    expected = kendall_tau(LANES["baseline"], LANES["shopper"])
    assert kendall.loc["baseline", "shopper"] == pytest.approx(expected)
    assert math.isnan(kendall.loc["solo", "solo"])
    assert math.isnan(kendall.loc["baseline", "solo"])


def test_similarity_matrix_rejects_unknown_measures():
    with pytest.raises(ValueError, match="measure"):
        similarity_matrix(LANES, "cosine")


def test_pairwise_table_has_one_row_per_unordered_pair():
    table = pairwise_table(LANES, p=0.9, k=3)
    assert list(table.columns) == ["lane_a", "lane_b", "rbo", "overlap_at_k", "jaccard_at_k", "kendall_tau"]
    assert list(zip(table["lane_a"], table["lane_b"], strict=True)) == [
        ("baseline", "shopper"),
        ("baseline", "solo"),
        ("shopper", "solo"),
    ]
    first = table.iloc[0]
    assert first["rbo"] == pytest.approx(rbo(LANES["baseline"], LANES["shopper"]))
    assert first["overlap_at_k"] == pytest.approx(2 / 3)
    assert first["jaccard_at_k"] == pytest.approx(2 / 4)
    assert table["kendall_tau"].isna().tolist() == [False, True, True]


def changes_frame(rows):
    frame = pd.DataFrame(rows, columns=["product_id", "ref_rank", "rank", "change", "delta"])
    return frame.astype(
        {"product_id": "str", "ref_rank": "Int64", "rank": "Int64", "change": "str", "delta": "Int64"}
    )


def test_rank_changes_over_full_lists():
    expected = changes_frame(
        [
            ("B", 2, 1, "up", 1),
            ("A", 1, 2, "down", -1),
            ("F", None, 3, "new", None),
            ("C", 3, 4, "down", -1),
            ("E", 5, 5, "same", 0),
            ("D", 4, None, "dropped", None),
        ]
    )
    pd.testing.assert_frame_equal(rank_changes(ids("ABCDE"), ids("BAFCE")), expected)


def test_rank_changes_within_top_k_keeps_full_list_ranks():
    expected = changes_frame(
        [
            ("B", 2, 1, "up", 1),
            ("A", 1, 2, "down", -1),
            ("F", 6, 3, "new", 3),  # in the reference, but below its top 3: its real move, up 3
            ("C", 3, 4, "dropped", -1),  # still listed, but below the top 3: down 1
        ]
    )
    pd.testing.assert_frame_equal(rank_changes(ids("ABCDEFG"), ids("BAFCEGD"), k=3), expected)


def test_a_product_new_to_the_top_k_from_far_below_moves_as_far_as_it_really_did():
    # The case: against the native order a product went from #70 to #1, and one
    # fell out of the top 10 to #40; the top-10 view called both moves "no movement".
    reference = [f"p{i}" for i in range(1, 81)]  # p70 is #70
    other = ["p70", *[p for p in reference if p not in ("p70", "p3")][:38], "p3"]  # p3 falls to #40
    changes = rank_changes(reference, other, k=10).set_index("product_id")
    assert changes.loc["p70", ["ref_rank", "rank", "change", "delta"]].tolist() == [70, 1, "new", 69]
    assert changes.loc["p3", ["ref_rank", "rank", "change", "delta"]].tolist() == [3, 40, "dropped", -37]
    gone = rank_changes(reference, ["p70"], k=10).set_index("product_id")  # not returned at all
    assert gone.loc["p1", "change"] == "dropped" and pd.isna(gone.loc["p1", "delta"])
    assert pd.isna(gone.loc["p1", "rank"])


@pytest.mark.parametrize(("change", "ref_rank", "rank", "note"), [
    ("new", 70, 1, "from #70"),
    ("new", pd.NA, 1, "not in the reference"),
    ("dropped", 3, 25, "to #25"),
    ("dropped", 3, pd.NA, "not returned"),
    ("up", 3, 1, ""),
    ("same", 2, 2, ""),
])
def test_move_note_says_where_a_product_came_from_or_went(change, ref_rank, rank, note):
    assert move_note(change, ref_rank, rank) == note


def rank_changes_by_definition(reference, other, k):
    ref = {item: r for r, item in enumerate(dict.fromkeys(reference), 1)}
    oth = {item: r for r, item in enumerate(dict.fromkeys(other), 1)}
    ref_top, top = list(ref)[:k], list(oth)[:k]
    rows = []
    for item in top:
        delta = ref[item] - oth[item] if item in ref else None  # the real move, in the full lists
        if item not in ref_top:
            rows.append((item, ref.get(item), oth[item], "new", delta))
        else:
            rows.append((item, ref[item], oth[item], "up" if delta > 0 else "down" if delta < 0 else "same", delta))
    rows += [(item, ref[item], oth.get(item), "dropped", ref[item] - oth[item] if item in oth else None)
             for item in ref_top if item not in top]
    return rows


@pytest.mark.parametrize("k", [None, 1, 5, 30])
def test_rank_changes_match_the_definition_on_random_lists(k):
    for reference, other in zip(random_rankings(seed=1), random_rankings(seed=2), strict=True):
        frame = rank_changes(reference + reference[:3], other, k=k)  # with a repeated id
        got = [tuple(None if pd.isna(v) else v for v in row) for row in frame.itertuples(index=False)]
        assert got == rank_changes_by_definition(reference, other, k)


def test_rank_changes_of_empty_lists_is_an_empty_typed_frame():
    expected = changes_frame([])
    pd.testing.assert_frame_equal(rank_changes([], []), expected)


def test_rank_matrix_gives_every_top_k_product_its_rank_in_every_lane():
    expected = pd.DataFrame(
        {
            "product_id": ids("AABBCC"),
            "lane": ["x", "y"] * 3,
            "rank": pd.array([1, 2, 2, None, 3, 1], dtype="Int64"),
            "in_top_k": [True, True, True, False, False, True],
        }
    ).astype({"product_id": "str", "lane": "str"})
    pd.testing.assert_frame_equal(rank_matrix({"x": ids("ABC"), "y": ids("CAD")}, 2), expected)


# --- the engine ----------------------------------------------------------------------


def test_the_engine_measures_each_pair_once_per_parameter(monkeypatch):
    calls = []
    real = Rankings._rbo
    monkeypatch.setattr(Rankings, "_rbo", lambda self, a, b, p: calls.append((a, b, p)) or real(self, a, b, p))
    rankings = Rankings(LANES)
    matrix = rankings.similarity_matrix("rbo", p=0.8)
    table = rankings.pairwise_table(p=0.8)
    assert len(calls) == 6  # 3 pairs and 3 diagonals, each measured once for the matrix and the table
    assert rankings.rbo("shopper", "baseline", 0.8) == matrix.loc["baseline", "shopper"] == table["rbo"].iloc[0]
    rankings.rbo("baseline", "shopper", 0.9)
    assert len(calls) == 7  # another p is another measure


def test_the_engine_and_the_functions_agree():
    rankings = Rankings(LANES)
    a, b = LANES["baseline"], LANES["shopper"]
    assert rankings.overlap_at_k("baseline", "shopper", 3) == overlap_at_k(a, b, 3)
    assert rankings.jaccard_at_k("baseline", "shopper", 3) == jaccard_at_k(a, b, 3)
    assert rankings.kendall_tau("baseline", "shopper") == kendall_tau(a, b)
    pd.testing.assert_frame_equal(rankings.changes("baseline", "shopper", k=3), rank_changes(a, b, k=3))
    pd.testing.assert_frame_equal(rankings.rank_matrix(2), rank_matrix(LANES, 2))
