"""The measures beyond overlap in a run's scorecard: hand-computed on the tiny catalog's answers, said
"not measured, because ..." when the run or the catalog cannot support them, and read back from a
scorecard stored before they existed."""

from __future__ import annotations

import json
import math

import pytest

from fashionai.audit.model import Purpose
from fashionai.audit.scorecard import Scorecard, score_run, scorecard_text
from fashionai.catalog import load_catalog
from tests.unit.audit.scorecard_helpers import PV, answer, run_answers, tiny_catalog


@pytest.fixture
def catalog(tmp_path):
    """The tiny catalog (not the folder's sample one): the answers' products and hand-computed figures."""
    return tiny_catalog(tmp_path)

NEW = ("novelty", "popularity_bias", "entropy", "intra_list_diversity", "calibration", "exposure_parity")


def test_shoes_row_hand_computed(catalog):
    # shopper a viewed 9 (red, sporty, premium) while warming up
    answers = [*run_answers(), answer("a", PV, "9", "Shoes", ["8"], purpose=Purpose.WARMUP)]
    shoes = score_run(answers, catalog, k=2).category_rows().set_index("category").loc["Shoes"]
    # K=2 lists: a [007, 8], b [8, 007]. Sales ranking 9, 8, 7, 007 of n=4: popularity 1, .75, .5, .25
    # novelty: places 007, 8, 8, 007 -> (2 + 0.41504 + 0.41504 + 2) / 4 = 1.20752 bits
    assert shoes["novelty"] == pytest.approx((2 - math.log2(0.75)) / 2)
    # popularity bias: shown mean (.25 + .75) / 2 = .5; category mean 2.5 / 4 = .625 -> 0.8
    assert shoes["popularity_bias"] == pytest.approx(0.8)
    # entropy: 007 and 8 hold 2 of 4 places each -> 1 bit
    assert shoes["entropy"] == pytest.approx(1.0)
    # 007 (sporty, red, budget) and 8 (classic, blue, premium) agree on nothing -> ILD 1
    assert shoes["intra_list_diversity"] == pytest.approx(1.0)
    # a: every attribute p = {viewed value: 1}, q = half that value -> log2(1 / (0.99·0.5 + 0.01)) = 0.98564;
    # b viewed nothing: left out
    assert shoes["calibration"] == pytest.approx(math.log2(1 / 0.505))
    # colour alone: red {007, 9} (1 + .63093) / (2 lists · 2) vs blue {8} 1.63093 / (2 · 1) -> 0.5;
    # price band: mid-range {7} never shown -> 0; the lowest ratio is 0
    assert shoes["exposure_parity"] == 0.0


def test_popularity_not_measured_without_a_sales_ranking(catalog):
    card = score_run(run_answers()[1:], catalog, k=2)  # the reference answer left out
    for key in ("novelty", "popularity_bias"):
        assert card.not_measured[key].startswith("the run has no best-seller ranking")
        assert card.rows[key].isna().all()
    assert "novelty" in card.not_measured and "entropy" not in card.not_measured
    assert "not measured, because the run has no best-seller ranking" in scorecard_text(card)


def test_taste_measures_not_measured_without_tastes(tmp_path):
    path = tmp_path / "plain.csv"
    path.write_text("id,name,category,stock\n1,Boot,Shoes,3\n2,Heel,Shoes,1\n", encoding="utf-8")
    plain = load_catalog(path)
    card = score_run([answer("a", "categoryView", "Shoes", "Shoes", ["1", "2"]),
                      answer("b", "categoryView", "Shoes", "Shoes", ["2", "1"])], plain, k=2)
    for key in ("intra_list_diversity", "calibration", "exposure_parity"):
        assert card.not_measured[key] == "the catalog has no style, colour, brand or price column"
    assert card.overall()["entropy"] == pytest.approx(1.0)


def test_the_new_keys_are_in_the_json_and_an_older_scorecard_reads_them_as_not_measurable(catalog):
    card = score_run(run_answers(), catalog, k=2)
    data = json.loads(card.to_json())
    assert all(key in row for row in data["rows"] for key in NEW)
    for row in data["rows"]:
        for key in NEW:
            del row[key]
    old = Scorecard.from_json(json.dumps(data))
    assert all(old.overall()[key] is None for key in NEW)
    assert old.overall()["personalization"] == card.overall()["personalization"]


def test_exposure_parity_reads_the_gender_column_too(tmp_path):
    path = tmp_path / "gender.csv"
    path.write_text("id,name,category,stock,style,gender\n1,Dress,Tops,3,casual,W\n2,Blouse,Tops,3,casual,W\n"
                    "3,Shirt,Tops,3,casual,M\n", encoding="utf-8")
    card = score_run([answer("a", "categoryView", "Tops", "Tops", ["1", "3"]),
                      answer("b", "categoryView", "Tops", "Tops", ["3", "2"])], load_catalog(path), k=2)
    # style has one group only; gender: W {1, 2} gets 1 (a, rank 1) + 0.63093 (b, rank 2) over 2 lists · 2
    # products = 0.40773; M {3} 0.63093 + 1 over 2 · 1 = 0.81546; ratio 0.5
    assert card.overall()["exposure_parity"] == pytest.approx(0.5)
