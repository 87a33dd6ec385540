"""The words written on the charts: names shortened apart (issue 21: "Basics Me…" twice), product keys, lane tags
and lane names wrapped, the key said in sentences."""

import pandas as pd

from fashionai.output import chart_labels

ALIKE = pd.DataFrame({"name": ["Basics Men's Crew T-shirt Navy", "Basics Men's Crew T-shirt Black",
                               "Basics Men's Crew T-shirt White", "Basics Men's Crew T-shirt Navy", "Straw bag"]},
                     index=pd.Index(["m1", "m2", "m3", "m4", "s1"], dtype="str"))


def test_short_names_and_lane_tags():
    assert chart_labels.short_name("Linen dress") == "Linen dress"
    assert chart_labels.short_name("Linen wrap dress with a very long name", 12) == "Linen wrap…"
    assert chart_labels.lane_tags(["Sporty shopper", "Native order"]) == {
        "Sporty shopper": "A · Sporty shopper", "Native order": "B · Native order"}
    assert chart_labels.lane_tags(["Persona: Office shopper at lunch"])["Persona: Office shopper at lunch"] \
        == "A · Persona: Offi…"
    # the history page's lanes are lettered already: only shortened
    assert chart_labels.lane_tags(["A · 10:24:51 categoryView Dresses"]) == {
        "A · 10:24:51 categoryView Dresses": "A · 10:24:51 cate…"}


def test_names_sharing_a_long_prefix_are_shortened_apart():
    shorts = chart_labels.distinct_short_names(ALIKE["name"], 22)
    assert shorts.is_unique and all(len(text) <= 22 for text in shorts)
    assert shorts["s1"] == "Straw bag"  # a short name is left alone
    assert shorts["m2"].startswith("Basics Men") and shorts["m2"].endswith("Black")  # the end that tells apart
    assert shorts["m1"].endswith("m1") and shorts["m4"].endswith("m4")  # the same name twice: the ids say which


def test_the_key_said_in_sentences_for_a_deck():
    key = pd.DataFrame({"key": list("ABC"), "name": ["Linen dress", "Straw bag", "x9"],
                        "product_id": ["p1", "p2", "x9"]})
    assert chart_labels.key_lines(key, per_line=2) == ("A: Linen dress (p1) · B: Straw bag (p2)", "C: x9")


def test_keys_are_letters_past_z_too():
    assert [chart_labels.product_key(n) for n in (0, 25, 26, 27, 51, 52, 701, 702)] == [
        "A", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"]


def test_lane_names_wrap_whole_onto_lines():
    lines = chart_labels.lane_lines(["Casual shoes browser (journey)", "Native order"], 18)
    assert lines == {"Casual shoes browser (journey)": ["Casual shoes", "browser (journey)"],
                     "Native order": ["Native order"]}
