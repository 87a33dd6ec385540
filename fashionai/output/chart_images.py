"""An altair chart as a PNG picture, offline, through vl-convert (altair's own saving engine).

    png = chart_png(charts.bump_chart(...))    # bytes of a PNG, drawn with fonts on this machine

Before drawing, every text of the chart's specification (titles, labels, the inline data: product
names included) goes through `handover.scrub`, so the token or an e-mail in a catalog never reaches a
picture; a chart as wide as its container gets a fixed width. The chart's data is inline (altair's
default), so nothing is loaded from anywhere. The last pictures drawn are kept, by specification. No Streamlit here.
"""

from __future__ import annotations

import functools
import json
import re
from typing import Any

import altair as alt
import vl_convert

from fashionai.output.handover import scrub

__all__ = ["CHART_WIDTH", "SCALE", "chart_png", "chart_spec"]

CHART_WIDTH = 860
"""Pixels across for a chart drawn as wide as its container (a slide's width, less its margins)."""
SCALE = 2.0
"""Pixels per chart pixel in the PNG: sharp on a projector and when a slide is zoomed."""
_HOVER = re.compile(r"\s*[^.;:]*\b[Hh]over\b[^.]*\.")
"""A sentence asking to hover (a subtitle's): a picture has no tooltips."""


def _cleaned(value: Any, width: int) -> Any:
    if isinstance(value, str):
        return scrub(value) if value.strip() else value
    if isinstance(value, list):
        return [_cleaned(item, width) for item in value]
    if isinstance(value, dict):
        cleaned = {scrub(key) if isinstance(key, str) else key: _cleaned(item, width) for key, item in value.items()}
        if isinstance(cleaned.get("subtitle"), str):
            kept = _HOVER.sub("", cleaned["subtitle"]).strip().rstrip(";,")
            cleaned["subtitle"] = kept + "." if kept and kept[-1] not in ".!?" else kept
        if cleaned.get("width") == "container":
            cleaned["width"] = width
        if cleaned.get("height") == "container":
            cleaned["height"] = width // 2
        return cleaned
    return value


def chart_spec(chart: alt.TopLevelMixin, *, width: int = CHART_WIDTH) -> dict[str, Any]:
    """The chart's Vega-Lite specification, every text scrubbed and a container's width made `width`."""
    return _cleaned(chart.to_dict(), width)


@functools.lru_cache(maxsize=32)
def _png(spec: str, scale: float) -> bytes:
    return bytes(vl_convert.vegalite_to_png(json.loads(spec), scale=scale))


def chart_png(chart: alt.TopLevelMixin, *, width: int = CHART_WIDTH, scale: float = SCALE) -> bytes:
    """The chart as a PNG (bytes), drawn locally: no network is asked for anything. The last pictures
    drawn are kept (by specification), so a deck and a report of the same charts draw them once."""
    return _png(json.dumps(chart_spec(chart, width=width), sort_keys=True), scale)
