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
