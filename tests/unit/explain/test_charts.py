"""The experiment's heatmap, read through its spec: events across, the biggest movers down, colour the change."""

from __future__ import annotations

from fashionai.domain import EventType
from fashionai.explain.charts import moves_heatmap
from fashionai.explain.reading import Explanation
from fashionai.journeys.journey import Step


def test_the_heatmap_draws_events_by_the_biggest_movers_coloured_by_change():
    steps = (Step(EventType.PRODUCT_VIEW, "shirt"), Step(EventType.CATEGORY_VIEW, "Hats"))
    rankings = {"all": ("hat", "cap", "beret"), "without 1": ("cap", "beret", "hat"),
                "without 2": ("hat", "beret", "cap"), "twin 1": ("hat", "cap", "beret")}
    explanation = Explanation(steps, "Opened category Hats", rankings, {"shirt": "Linen Shirt", "hat": "Straw Hat"},
                              twins=1)
    spec = moves_heatmap(explanation, top=2).to_dict()
    cells, numbers = spec["layer"]
    assert cells["mark"]["type"] == "rect" and numbers["mark"]["type"] == "text"
    encoding = cells["encoding"]
    assert encoding["x"]["field"] == "event" and encoding["y"]["field"] == "product"
    assert encoding["color"]["field"] == "moved" and encoding["color"]["scale"]["domain"] == [-2, 0, 2]
    assert encoding["x"]["scale"]["domain"] == ["1. Viewed Linen Shirt", "2. Opened category Hats"]
    rows = next(iter(spec["datasets"].values()))
    assert {row["product"] for row in rows} == {"Straw Hat", "cap"}  # the two biggest movers only
