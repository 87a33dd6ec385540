"""Every measure said in one plain sentence, each wording branch with literal figures."""

import math

import pytest

from fashionai.output import readings


@pytest.mark.parametrize("rbo, words", [
    (0.95, "nearly the same"), (0.9, "nearly the same"), (0.72, "much alike"), (0.3, "partly alike"),
    (0.05, "little alike"), (0.0, "nothing alike"),
])
def test_rbo_reads_as_how_alike_the_whole_lists_are(rbo, words):
    assert readings.rbo_reading(rbo) == f"Taken whole, the top counting most, the two lists are {words}."


@pytest.mark.parametrize("shared, k, text", [
    (7, 10, "They share 7 of their top 10 products."),
    (10, 10, "Their top 10 hold the same 10 products."),
    (0, 10, "They share none of their top 10 products."),
    (1, 1, "They have the same top product."),
    (0, 1, "Their top products differ."),
])
def test_overlap_reads_as_a_count_of_shared_products(shared, k, text):
    assert readings.overlap_reading(shared, k) == text


@pytest.mark.parametrize("jaccard, k, text", [
    (0.54, 10, "Of the products in either top 10, 54% are in both."),
    (1.0, 10, "Their top 10 hold exactly the same products."),
    (0.0, 10, "No product is in both top 10s."),
    (0.0, 1, "Their top products differ."),
])
def test_jaccard_reads_as_a_share_of_the_products_in_either(jaccard, k, text):
    assert readings.jaccard_reading(jaccard, k) == text


@pytest.mark.parametrize("tau, order", [
    (0.9, "in nearly the same order"), (0.5, "mostly in the same order"), (-0.33, "mostly in a different order"),
    (0.0, "mostly in a different order"), (-0.6, "mostly in reverse order"), (-1.0, "in nearly reverse order"),
])
def test_kendall_reads_as_how_alike_the_order_of_the_shared_products_is(tau, order):
    assert readings.kendall_reading(tau) == f"The products they share come {order}."


@pytest.mark.parametrize("tau", [None, math.nan])
def test_kendall_without_enough_shared_products_says_so(tau):
    assert readings.kendall_reading(tau) == "They have too few products in common to compare their order."


@pytest.mark.parametrize("shared, k, rbo, tau, text", [
    (7, 10, 0.45, 0.1, ("These two storefronts share 7 of their top 10 products, mostly in a different order, "
                        "and are partly alike overall.")),
    (0, 10, 0.0, None, "These two storefronts share none of their top 10 products, and are nothing alike overall."),
    (10, 10, 1.0, 1.0, ("These two storefronts show the same top 10 in the same order, and are nearly the same "
                        "overall.")),
    (10, 10, 0.7, 0.6, ("These two storefronts share all of their top 10 products, mostly in the same order, "
                        "and are much alike overall.")),
    (1, 10, 0.08, math.nan, "These two storefronts share 1 of their top 10 products, and are little alike overall."),
    (1, 1, 0.95, None, "These two storefronts show the same top product, and are nearly the same overall."),
])
def test_a_pair_of_storefronts_in_one_sentence(shared, k, rbo, tau, text):
    assert readings.pair_reading(shared, k, rbo, tau) == text


@pytest.mark.parametrize("steps, kept, shown, empty, text", [
    (0, 10, 10, 0, "No step has run yet, so the storefront still shows the store's own order."),
    (3, 10, 10, 0, "After 3 steps, the top 10 still holds only the store's own top 10, perhaps in another order."),
    (1, 0, 10, 0, "After 1 step, none of the top 10 is from the store's own top 10: the browsing replaced them all."),
    (4, 6, 10, 0, "After 4 steps, 6 of the top 10 are still from the store's own top 10: the browsing brought in 4."),
    (4, 1, 10, 2, ("After 4 steps, 1 of the top 10 is still from the store's own top 10: the browsing brought in 9. "
                   "2 answers were empty, so the store's own order was shown there.")),
    (2, 0, 0, 1, ("After 2 steps, the storefront shows no product. 1 answer was empty, so the store's own order "
                  "was shown there.")),
])
def test_a_journeys_drift_in_plain_words(steps, kept, shown, empty, text):
    assert readings.drift_reading(steps, kept, shown, 10, empty) == text


@pytest.mark.parametrize("counts, k, text", [
    ((0, 0, 10, 0, 0), 10, "The products both show keep their places."),
    ((3, 2, 1, 4, 4), 10, ("Of the 6 products both show in the top 10, 3 moved up and 2 moved down. 4 products are new "
                           "in the top 10; 4 have left.")),
    ((0, 1, 7, 0, 2), 10, "Of the 8 products both show in the top 10, 1 moved down. 2 products have left the top 10."),
    ((1, 0, 0, 0, 0), 10, "The one product both show in the top 10 moved up."),
    ((0, 0, 9, 1, 1), 10, "The products both show keep their places. 1 product is new in the top 10; 1 has left."),
    ((0, 0, 1, 0, 0), 1, "The one product both show keeps its place."),
    ((0, 0, 0, 1, 1), 1, "The two share no product at the top. 1 product is new at the top; 1 has left."),
    ((0, 0, 0, 0, 3), 5, "The two share no product in the top 5. 3 products have left the top 5."),
])
def test_the_rank_changes_in_plain_words(counts, k, text):
    assert readings.changes_reading(*counts, k) == text


def test_no_reading_names_a_technical_measure():
    said = [readings.rbo_reading(0.5), readings.overlap_reading(3, 10), readings.jaccard_reading(0.2, 10),
            readings.kendall_reading(0.2), readings.pair_reading(3, 10, 0.5, 0.2), readings.drift_reading(2, 3, 10, 10),
            readings.changes_reading(3, 2, 1, 4, 4, 10)]
    for text in said:
        assert not any(word in text.lower() for word in ("rbo", "jaccard", "kendall", "tau", "overlap"))


@pytest.mark.parametrize("shared, words", [(0, "They share no product, so there is no order to compare."),
                                           (1, "They share one product only, so there is no order to compare.")])
def test_kendall_with_nothing_or_one_product_shared_reads_no_order(shared, words):
    """Issue 21, item 22: the history said "share none of their top 10" beside "the products they share come
    mostly in the same order" (a tau read with nothing shared)."""
    assert readings.kendall_reading(0.6, shared) == words
    pair = {"rbo": 0.0, "overlap_at_k": shared / 10, "jaccard_at_k": shared / 19, "kendall_tau": 0.6}
    said = readings.measure_readings(pair, 10)
    assert said["kendall"] == words and "same order" not in " ".join(said.values())
