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
import textwrap
from typing import Any

import altair as alt
import vl_convert

from fashionai.output.handover import scrub

__all__ = ["CHART_WIDTH", "FONT_KEYS", "SCALE", "chart_png", "chart_spec", "smallest_font"]

CHART_WIDTH = 860
"""Pixels across for a chart drawn as wide as its container (a slide's width, less its margins)."""
SCALE = 2.0
"""Pixels per chart pixel in the PNG: sharp on a projector and when a slide is zoomed."""
_HOVER = re.compile(r"\s*[^.;:]*\b[Hh]over\b[^.]*\.")
"""A sentence asking to hover (a subtitle's): a picture has no tooltips."""


def _cleaned(value: Any, width: int) -> Any:  # Any: a Vega-Lite specification's JSON, or a part
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


FONT_KEYS = frozenset({"fontSize", "labelFontSize", "titleFontSize", "subtitleFontSize"})
"""Where a Vega-Lite specification sets a text's size (a mark's, an axis's, a legend's, a title's)."""
_FONT_CONFIG = {"axis": ("labelFontSize", "titleFontSize"), "legend": ("labelFontSize", "titleFontSize"),
                "header": ("labelFontSize", "titleFontSize"), "title": ("fontSize", "subtitleFontSize"),
                "text": ("fontSize",), "mark": ("fontSize",)}
"""Every text size Vega leaves to its defaults (10 or 11 pixels), set in the chart's config."""


def _at_least(value: Any, size: int) -> Any:  # Any: a specification's JSON, or a part
    """Every font size in `value` (a specification, a part of one) raised to `size` pixels at least."""
    if isinstance(value, list):
        return [_at_least(item, size) for item in value]
    if isinstance(value, dict):
        return {key: max(item, size) if key in FONT_KEYS and isinstance(item, int | float) else _at_least(item, size)
                for key, item in value.items()}
    return value


def _min_font(spec: dict[str, Any], size: int) -> dict[str, Any]:
    spec = _at_least(spec, size)
    config = dict(spec.get("config") or {})
    for part, keys in _FONT_CONFIG.items():
        config[part] = {**dict.fromkeys(keys, size), **(config.get(part) or {})}
    spec["config"] = config
    return spec


def smallest_font(spec: dict[str, Any]) -> float:
    """The smallest font size (pixels) a specification sets anywhere: its config and its marks."""
    sizes: list[float] = []

    def walk(value: object) -> None:
        if isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, dict):
            for key, item in value.items():
                if key in FONT_KEYS and isinstance(item, int | float):
                    sizes.append(float(item))
                else:
                    walk(item)

    walk(spec)
    return min(sizes, default=0.0)


TITLE_LETTER = 0.6
"""A title's letter's width, in ems, at the most (sans-serif): how many letters a line of a picture's title holds."""


def _wrapped_titles(value: Any, width: int, font: int) -> Any:
    """Every title's subtitle wrapped onto lines that fit `width` pixels at `font` (a picture has no room to
    spare: one long line made the whole picture as wide, so it was shrunk on its slide and its letters raised)."""
    if isinstance(value, list):
        return [_wrapped_titles(item, width, font) for item in value]
    if not isinstance(value, dict):
        return value
    wrapped = {key: _wrapped_titles(item, width, font) for key, item in value.items()}
    subtitle = wrapped.get("subtitle")
    if isinstance(subtitle, str) and subtitle:
        size = max(font, int(wrapped.get("subtitleFontSize") or 0))
        wrapped["subtitle"] = textwrap.wrap(subtitle, max(20, int(width / (size * TITLE_LETTER)))) or subtitle
    return wrapped


def chart_spec(chart: alt.TopLevelMixin, *, width: int = CHART_WIDTH, min_font: int | None = None) -> dict[str, Any]:
    """The chart's Vega-Lite specification, every text scrubbed, a container's width made `width` and subtitles
    wrapped to it; with `min_font`, every text at least that many pixels (its config sets each size Vega would
    leave to its defaults)."""
    spec = _cleaned(chart.to_dict(), width)
    spec = _wrapped_titles(spec, width, min_font or 11)
    return spec if min_font is None else _min_font(spec, min_font)


@functools.lru_cache(maxsize=32)
def _png(spec: str, scale: float) -> bytes:
    return bytes(vl_convert.vegalite_to_png(json.loads(spec), scale=scale))


def chart_png(chart: alt.TopLevelMixin, *, width: int = CHART_WIDTH, scale: float = SCALE,
              min_font: int | None = None) -> bytes:
    """The chart as a PNG (bytes), drawn locally: no network is asked for anything. The last pictures
    drawn are kept (by specification), so a deck and a report of the same charts draw them once."""
    return _png(json.dumps(chart_spec(chart, width=width, min_font=min_font), sort_keys=True), scale)
