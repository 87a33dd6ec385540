"""A product's picture on its way into a deck or a report (fashionai.output.pictures): inline raster pictures as
they are, SVG drawn as a PNG offline, and nothing that refers outside itself (the renderer reads local files)."""

from __future__ import annotations

import base64
import time
from urllib.parse import quote

import pytest
import vl_convert

from fashionai.catalog import load_catalog
from fashionai.catalog.sample import SAMPLE_CATALOG_PATH
from fashionai.output import _svg_budget
from fashionai.output._svg_budget import render_png, svg_pixels
from fashionai.output.pictures import MAX_SVG_BYTES, SVG_TALLEST, SVG_WIDTH, inline_picture, svg_png

SVG = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 360"><rect width="300" height="360" '
       'fill="#ece7df"/><path d="M110 50L62 74L36 288H264Z" fill="#d8c3a0"/></svg>')
RED = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAAB"
       "JRU5ErkJggg==")


def svg_uri(svg: str | bytes) -> str:
    raw = svg.encode() if isinstance(svg, str) else svg
    return "data:image/svg+xml;base64," + base64.b64encode(raw).decode()


def png_of(uri: str) -> bytes:
    assert uri.startswith("data:image/png;base64,")
    png = base64.b64decode(uri.split(",", 1)[1])
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    return png


def width_height(png: bytes) -> tuple[int, int]:
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def test_an_svg_picture_is_drawn_as_a_png_a_card_wide_with_its_proportions():
    png = png_of(inline_picture(svg_uri(SVG)))
    width, height = width_height(png)
    assert abs(width - SVG_WIDTH) <= 1 and abs(height - SVG_WIDTH * 360 / 300) <= 1


def test_a_percent_encoded_svg_with_its_own_references_is_drawn_too():
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="100" '
           'height="50"><defs><linearGradient id="g"><stop offset="0" stop-color="#fff"/></linearGradient>'
           '<rect id="r" width="10" height="10"/></defs><use xlink:href="#r"/><use href = \'#r\'/>'
           '<rect width="100" height="50" fill="url(#g)" style="stroke: url( \'#g\' )"/></svg>')
    png = png_of(inline_picture("data:image/svg+xml;charset=utf-8," + quote(svg)))
    width, height = width_height(png)
    assert abs(width - SVG_WIDTH) <= 1 and abs(height - SVG_WIDTH / 2) <= 1


def test_every_picture_of_the_sample_catalog_becomes_a_png():
    catalog = load_catalog(SAMPLE_CATALOG_PATH)
    pictures = [inline_picture(url) for url in catalog.products["image_url"]]
    assert all(picture is not None and png_of(picture) for picture in pictures)


def test_raster_pictures_go_in_as_they_are_and_addresses_never():
    assert inline_picture(f"  {RED} ") == RED
    for value in ("https://cdn.example.com/a.svg", "file:///etc/passwd", "/srv/img.svg", "data:text/html,<b>",
                  "data:image/svg+xml;base64,%%%", None, 3.5, b"<svg/>"):
        assert inline_picture(value) is None


@pytest.mark.parametrize("hostile", [
    '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><image href="{file}" width="10" height="10"/></svg>',
    ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><use xlink:href = "{file}"/>'
     '</svg>'),
    '<svg xmlns="http://www.w3.org/2000/svg"><rect width="9" height="9" style="fill: url( {file} )"/></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg"><style>@import "{file}";</style></svg>',
    '<!DOCTYPE svg [<!ENTITY x SYSTEM "{file}">]><svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><img src="{file}"/></foreignObject></svg>',
], ids=["image", "use", "css-url", "import", "entity", "foreign-object"])
def test_an_svg_that_refers_to_a_file_on_the_server_is_not_drawn(tmp_path, hostile):
    secret = tmp_path / "secret.png"
    secret.write_bytes(base64.b64decode(RED.split(",", 1)[1]))
    svg = hostile.format(file=secret)
    assert svg_png(svg) is None
    assert inline_picture(svg_uri(svg)) is None


def test_the_renderer_itself_reads_a_file_named_in_an_svg(tmp_path):
    # Why the filter above exists: vl-convert's renderer draws a local file an <image> names by its path, so a
    # catalog's picture could put the server's files into a deck.
    secret = tmp_path / "secret.png"
    secret.write_bytes(base64.b64decode(RED.split(",", 1)[1]))
    empty = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>'
    named = empty.replace("></svg>", f'><image href="{secret}" width="10" height="10"/></svg>')
    assert bytes(vl_convert.svg_to_png(named)) != bytes(vl_convert.svg_to_png(empty))


@pytest.mark.parametrize("svg", [
    '<svg xmlns="http://www.w3.org/2000/svg" width="100000" height="10"></svg>',  # a poster's size
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 9e9"></svg>',
    '<rect width="10" height="10"/>',  # no svg element
    '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect',  # cut off
    "not a picture",
])
def test_an_svg_too_big_or_broken_is_a_placeholder(svg):
    assert inline_picture(svg_uri(svg)) is None


def test_odd_bytes_and_endless_svgs_are_placeholders():
    assert inline_picture(svg_uri(b"<svg xmlns='http://www.w3.org/2000/svg'>\xff\xfe</svg>")) is None  # not UTF-8
    padding = "<!-- " + "x" * MAX_SVG_BYTES + " -->"
    assert inline_picture(svg_uri(SVG.replace("</svg>", padding + "</svg>"))) is None
    assert inline_picture("data:image/svg+xml;base64," + "A" * (10 * MAX_SVG_BYTES)) is None


# --------------------------------------------------------------------------- a picture cannot take the server down

BLUR = ('<svg xmlns="http://www.w3.org/2000/svg" width="4000" height="4000"><filter id="b" x="-1" y="-1" width="3" '
        'height="3"><feGaussianBlur stdDeviation="900"/></filter><rect width="4000" height="4000" fill="red" '
        'filter="url(#b)"/></svg>')  # 230 bytes: tens of seconds and more than a gigabyte to draw at its size


@pytest.mark.parametrize("size", ["4000cm", "4000in", "4000pc", "4000mm", "4000pt", "4000em", "1000ex",
                                  "3.2e3cm", "41.7in"])
def test_an_svg_too_big_in_its_units_is_a_placeholder_at_once(size):
    svg = f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}"><rect width="9" height="9"/></svg>'
    started = time.monotonic()
    assert inline_picture(svg_uri(svg)) is None
    assert time.monotonic() - started < 3


def test_a_blurred_svg_is_a_placeholder_at_once():
    started = time.monotonic()
    assert inline_picture(svg_uri(BLUR)) is None
    assert inline_picture(svg_uri(BLUR.replace(' filter="url(#b)"', ' style="filter: blur(900px)"')
                                  .replace("<feGaussianBlur", "<feFlood"))) is None
    assert time.monotonic() - started < 3


@pytest.mark.parametrize(("attributes", "pixels"), [
    ('width="10" height="20"', (10, 20)), ('width="10px" height="2.5e1px"', (10, 25)),
    ('width="3pt" height="1pc"', (4, 16)), ('width="1in" height="2.54cm"', (96, 96)),
    ('width="25.4mm" height="2em"', (96, 24)), ('width="2ex" height="1IN"', (12, 96)),
    ('width="50%" height="25%" viewBox="0 0 200 400"', (100, 100)), ('viewBox="0,0,300,360"', (300, 360)),
    ('width="600" viewBox="0 0 300 360"', (600, 360)),  # the missing side is the viewBox's, as resvg has it
    ('width="50%" height="50%"', None), ('width="200"', None), ("", None),  # resvg would measure the content
    ('width="0" height="10"', None), ('width="-5" height="10"', None), ('width="1 0" height="5"', None),
    ('width="10furlongs" height="5"', None), ('viewBox="0 0 10 9e999"', None), ('width=" 20px " height="5"', None),
])
def test_an_svg_size_is_worked_out_with_its_units(attributes, pixels):
    size = svg_pixels(f'<svg xmlns="http://www.w3.org/2000/svg" {attributes}>')
    assert (None if size is None else tuple(round(side) for side in size)) == pixels


def test_a_very_tall_svg_is_drawn_narrower_not_taller():
    png = svg_png('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="4000"><rect width="10" height="9"/>'
                  "</svg>")
    width, height = width_height(png)
    assert height <= SVG_TALLEST + 1 and width >= 1


@pytest.mark.slow  # a worker process is killed and another started
def test_the_renderer_runs_under_a_memory_budget_the_picture_cannot_escape():
    # Drawn as asked, 4000cm square is about 91 GB of pixels: the worker aborts, this process does not.
    huge = '<svg xmlns="http://www.w3.org/2000/svg" width="4000cm" height="4000cm"><rect width="9" height="9"/></svg>'
    started = time.monotonic()
    assert render_png(huge, 1.0) is None
    assert time.monotonic() - started < 5
    assert render_png(SVG, 1.0)[:4] == b"\x89PNG"  # a new worker draws the next picture


@pytest.mark.slow
def test_the_renderer_runs_under_a_time_budget_the_picture_cannot_escape():
    started = time.monotonic()
    assert render_png(BLUR, 1.0, seconds=1.0) is None  # tens of seconds at its own size: the worker is killed
    assert time.monotonic() - started < 3
    assert render_png(SVG, 1.0)[:4] == b"\x89PNG"


def test_an_svg_whose_em_is_not_the_default_is_a_placeholder_not_a_poster():
    # resvg reads an em with the svg's own font size: 30em is 3000 pixels here, not the 360 worked out.
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" font-size="100" width="30em" height="30em"><rect width="9" '
           'height="9"/></svg>')
    assert svg_png(svg) is None


@pytest.mark.slow
def test_a_worker_that_ended_between_two_pictures_is_replaced():
    assert render_png(SVG, 1.0)[:4] == b"\x89PNG"
    _svg_budget._worker._process.kill()
    _svg_budget._worker._process.wait()
    assert render_png(SVG, 1.0)[:4] == b"\x89PNG"
