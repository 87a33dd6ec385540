"""A product's picture fit for a deck or a report: only inline pictures (data: URIs), never an address.

    inline_picture("data:image/png;base64,...")      # as it is
    inline_picture("data:image/svg+xml;base64,...")  # drawn as a PNG here, offline, if it is safe to draw
    inline_picture("https://cdn.example.com/a.jpg")  # None: a card shows a placeholder box (unless the
                                                     # deployment allows its host: output.picture_fetch)

PNG, JPEG and GIF pictures go in as they are. An SVG (the sample catalog's pictures are SVG) is drawn
as a PNG by vl-convert's SVG renderer (resvg), which python-pptx and every slide program can show. That
renderer reads files named by an absolute path (`<image href="/srv/...">`), so an SVG is drawn only when
it refers to nothing outside itself: no `href` but to its own `#ids`, no `url(...)` but `url(#...)`, no
`<image>`, no DOCTYPE or entities, at most `MAX_SVG_BYTES`, and with a size of at most `MAX_SVG_SIDE`
pixels a side worked out with its units (`_svg_budget.svg_pixels`: `width="4000cm"` is 151,181 pixels).
Filters that cost seconds to draw (a blur, say) are refused. It is drawn once, at `SVG_WIDTH` pixels
across, in a worker process under a memory and a time budget (`_svg_budget.render_png`): a picture that
would take the server's memory or minutes only ends its worker. Anything else, or an SVG that does not
draw, is None. No Streamlit here.
"""

from __future__ import annotations

import base64
import binascii
import functools
import re
from urllib.parse import unquote_to_bytes

from fashionai.output._svg_budget import png_size, render_png, svg_pixels

__all__ = ["MAX_SVG_BYTES", "MAX_SVG_SIDE", "SVG_TALLEST", "SVG_WIDTH", "inline_picture", "svg_png"]

MAX_SVG_BYTES = 256_000
"""The largest SVG drawn (a product picture is a few kilobytes)."""
MAX_SVG_SIDE = 4_000
"""The largest width or height an SVG may declare, in pixels (its units worked out): a picture, not a poster."""
SVG_WIDTH = 360
"""Pixels across of an SVG drawn as a PNG: about 150 dots an inch in a card a fifth of a slide wide."""
SVG_TALLEST = 4 * SVG_WIDTH
"""Pixels down at most of an SVG drawn (a very tall one is drawn narrower)."""

_RASTER = re.compile(r"^data:image/(png|jpe?g|gif);base64,[A-Za-z0-9+/=\s]+$", re.IGNORECASE)
_SVG = re.compile(r"^data:image/svg\+xml(?P<params>(?:;[^;,]*)*?)(?P<base64>;base64)?,(?P<data>.*)$",
                  re.IGNORECASE | re.DOTALL)
_OUTSIDE = re.compile(
    r"<!DOCTYPE|<!ENTITY|<image\b|<foreignObject\b|<script\b|@import"
    r"|href\s*+=\s*+(?:\"\s*+(?!#)|'\s*+(?!#)|(?![\"'#]))"  # an href to anything but one of its own ids
    r"|url\(\s*+(?:\"\s*+(?!#)|'\s*+(?!#)|(?![\"'#]))",  # a url(...) to anything but one of its own ids
    re.IGNORECASE)
_COSTLY = re.compile(r"<fe(?:GaussianBlur|DropShadow|Morphology|ConvolveMatrix|Turbulence|DisplacementMap"
                     r"|DiffuseLighting|SpecularLighting|Tile|Image)\b|\bfilter\s*:\s*(?:blur|drop-shadow)\(",
                     re.IGNORECASE)


def _svg_text(uri: str) -> str | None:
    """The SVG a data: URI holds, as text, or None if it is not one or does not decode."""
    match = _SVG.match(uri)
    if match is None or len(match["data"]) > 3 * MAX_SVG_BYTES:  # too long even percent-encoded: not decoded
        return None
    try:
        raw = (base64.b64decode(match["data"], validate=False) if match["base64"]
               else unquote_to_bytes(match["data"]))
        return raw.decode("utf-8") if len(raw) <= MAX_SVG_BYTES else None
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None


def _self_contained(svg: str) -> bool:
    """The SVG refers to nothing outside itself, uses no costly filter and declares a picture's size (see the
    module's text)."""
    if _OUTSIDE.search(svg) or _COSTLY.search(svg):
        return False
    size = svg_pixels(svg)
    return size is not None and max(size) <= MAX_SVG_SIDE


@functools.lru_cache(maxsize=256)  # keyed by the SVG's text: at most 256 of 256 kB, one deck's cards
def svg_png(svg: str, width: int = SVG_WIDTH) -> bytes | None:
    """The SVG drawn as a PNG about `width` pixels across (at most `SVG_TALLEST` down), offline, in the budgeted
    worker; None if it is not self-contained, is too big, or does not draw within the budget. The last pictures
    drawn are kept, by their text."""
    if not _self_contained(svg):
        return None
    drawn_width, drawn_height = svg_pixels(svg) or (0.0, 0.0)
    scale = min(width / drawn_width, SVG_TALLEST * width / SVG_WIDTH / drawn_height, 8.0)
    png = render_png(svg, scale)
    drawn = png_size(png) if png is not None else (0, 0)
    # the size worked out must be the one drawn (a font size set in the SVG changes what an em is, say)
    fits = 0 < drawn[0] <= 2 * width and 0 < drawn[1] <= 2 * SVG_TALLEST * width / SVG_WIDTH
    return png if fits else None


def inline_picture(value: object) -> str | None:
    """`value` as an inline PNG, JPEG or GIF picture (a data: URI), an SVG one drawn as a PNG; else None. A card
    never fetches a remote picture and never reads the server's disk: it shows a placeholder box instead."""
    if not isinstance(value, str):
        return None
    uri = value.strip()
    if _RASTER.match(uri):
        return uri
    svg = _svg_text(uri)
    png = svg_png(svg) if svg is not None else None
    return f"data:image/png;base64,{base64.b64encode(png).decode('ascii')}" if png else None
