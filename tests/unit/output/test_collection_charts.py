"""The chart of a collection over time: slices by day, coloured by state."""

from __future__ import annotations

import pandas as pd

from fashionai.output.collection_charts import STATE_COLORS, collection_timeline_chart
from fashionai.storefront.collection_timeline import NOT_LIVE_ROW, STATES

DAYS = pd.DataFrame({"day": pd.to_datetime(["2026-05-01", "2026-05-02"]).astype("datetime64[us]"),
                     "slice": ["Slice 1 (2 products)", NOT_LIVE_ROW], "state": ["over the limit", "not live"],
                     "answers": [1, 1], "out_of_stock_share": [0.25, float("nan")],
                     "inactive_share": [0.25, float("nan")], "flagged_share": [0.5, float("nan")]})


def test_the_chart_is_slices_by_day_coloured_by_state():
    chart = collection_timeline_chart(DAYS, limit=0.2).to_dict()
    assert chart["mark"]["type"] == "rect"
    assert chart["encoding"]["y"]["field"] == "slice"
    assert chart["encoding"]["y"]["sort"] == ["Slice 1 (2 products)", NOT_LIVE_ROW]
    assert chart["encoding"]["color"]["scale"]["domain"] == list(STATES) == list(STATE_COLORS)
    assert "more than 20%" in chart["title"]["subtitle"]
    [data] = chart["datasets"].values()
    assert [row["share_text"] for row in data] == ["50%", ""]  # inactive or out of stock; a 404's none, not nan
    assert chart["encoding"]["tooltip"][-1]["title"] == "Inactive or out of stock"
