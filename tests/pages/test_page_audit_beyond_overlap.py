"""AppTest: the audit page's scorecard shows the measures beyond overlap (issue 25, item 2) in words and
numbers, with their meanings, after a run on the simulator."""

from __future__ import annotations

import re

from fashionai.audit import registry
from tests.apptest_helpers import open_page
from tests.pages.audit_pages import PAGE, small_plan, start

LABELS = {"novelty": r"\d+\.\d\d", "popularity_bias": r"\d+\.\d\d", "entropy": r"\d+\.\d\d",
          "intra_list_diversity": r"\d+%", "calibration": r"\d+\.\d\d", "exposure_parity": r"\d+\.\d\d"}


def test_the_scorecard_shows_the_measures_beyond_overlap(app):
    open_page(app, PAGE)
    small_plan(app)
    start(app)
    assert not app.exception and not app.error
    (scorecard,) = [table.value for table in app.table if "What it means" in table.value.columns]
    overall = {m.replace("\\", ""): v.replace("\\", "") for m, v in zip(scorecard["Measure"], scorecard["Overall"],
                                                                          strict=True)}
    meanings = " ".join(scorecard["What it means"]).replace("\\", "")
    for key, shape in LABELS.items():
        info = registry.MEASURE_INFO[key]
        assert re.fullmatch(shape, overall[info.label]), (info.label, overall[info.label])
        assert info.meaning[:40] in meanings
    assert not any(word in " ".join(overall.values()) for word in ("nan", "None"))


def test_the_scorecard_says_why_fair_exposure_reads_what_it_does(app):
    open_page(app, PAGE)
    small_plan(app)
    start(app)
    assert not app.exception and not app.error
    (scorecard,) = [table.value for table in app.table if "What it means" in table.value.columns]
    parity = dict(zip(scorecard["Measure"], scorecard["Overall"], strict=True))[
        registry.MEASURE_INFO["exposure_parity"].label].replace("\\", "")
    words = [c.value.replace("\\", "") for c in app.caption if c.value.startswith(":material/balance: ")]
    assert len(words) == 1, words
    assert parity == "0.00"  # a small run on the simulator: in every category some group gets no place
    assert re.search(r"is 0 in (\d+) of \1 categor(y|ies) because .* never shown", words[0]), words[0]
    (groups,) = [frame.value for frame in app.dataframe if "exposure_share" in frame.value.columns]
    assert list(groups.columns) == ["attribute", "group", "exposure_share", "catalog_share"]
    assert len(groups) >= 2 and not groups.isna().any().any()
    for attribute, shares in groups.groupby("attribute")["catalog_share"]:
        assert abs(shares.sum() - 1) < 1e-9, attribute
