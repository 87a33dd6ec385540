"""A product whose image fails to load shows the placeholder, as a product without an image does, at the
same card height: never the browser's broken-image icon."""

from __future__ import annotations

import io
import re

import pytest

from tests.browser.streamlit_page import (
    click_button,
    expect,
    expect_no_exception,
    main,
    sidebar,
    upload_catalog,
)

pytestmark = pytest.mark.browser

BLOCKED = "https://blocked-images.example/"
CSV = ("id,name,category,stock,price,image_url\n"
       f"f1,Card one,Pictures,5,10,{BLOCKED}f1.jpg\n"  # its host is unreachable: the image fails
       "n1,Card two,Pictures,5,10,\n"  # no image
       "j1,Card six,Pictures,5,10,javascript:alert(1)\n")  # an address never passed on: no image either
"""Names of the same length, so the cards' texts take the same room."""

PICTURES_JS = """() => [...document.querySelectorAll('.fai-card-picture')].map(e => {
    const card = e.closest('[data-testid="stVerticalBlock"]');
    const style = getComputedStyle(e.firstElementChild);  // the picture's layers, in its frame
    return {label: e.getAttribute('aria-label'), role: e.getAttribute('role'),
            background: style.backgroundImage, size: style.backgroundSize,
            lazy: getComputedStyle(e).contentVisibility,
            height: e.getBoundingClientRect().height, width: e.getBoundingClientRect().width,
            card: card.getBoundingClientRect().height, images: card.querySelectorAll('img').length};
})"""


def pixels(png: bytes):
    from PIL import Image

    return Image.open(io.BytesIO(png)).convert("RGB")


def difference(a: bytes, b: bytes) -> float:
    """The mean difference of two same-size screenshots' pixels, 0 to 255."""
    from PIL import ImageChops, ImageStat

    first, second = pixels(a), pixels(b)
    assert first.size == second.size
    return sum(ImageStat.Stat(ImageChops.difference(first, second)).mean) / 3


def test_a_failed_image_shows_the_placeholder_at_the_height_of_a_card_without_one(studio, tmp_path):
    tried: list[str] = []

    def refuse(route) -> None:  # an unreachable host, as the browser meets it
        tried.append(route.request.url)
        route.abort("addressunreachable")

    studio.route(re.compile(re.escape(BLOCKED)), refuse)
    path = tmp_path / "pictures.csv"
    path.write_text(CSV)
    upload_catalog(studio, path)
    expect(sidebar(studio).get_by_text("pictures.csv: 3 products")).to_be_visible()  # one category, chosen
    with studio.expect_event("requestfailed", predicate=lambda request: request.url.startswith(BLOCKED)):
        click_button(main(studio), "Preview storefront")  # the store's own order: f1, n1, j1
    pictures = main(studio).locator(".fai-card-picture")
    expect(pictures).to_have_count(3)
    expect_no_exception(studio)

    failed, empty, refused = studio.evaluate(PICTURES_JS)
    assert tried and set(tried) == {BLOCKED + "f1.jpg"}  # the browser did try, and failed
    assert failed["label"] == "Card one" and failed["role"] == "img"
    assert f'url("{BLOCKED}f1.jpg")' in failed["background"] and "data:image/svg+xml" in failed["background"]
    assert empty["background"].count("url(") == 1 and "data:image/svg+xml" in empty["background"]
    assert refused["background"] == empty["background"]  # javascript: never reached the page
    for card in (failed, empty, refused):
        assert card["images"] == 0  # a picture, no <img> that could draw a broken-image icon
        assert card["lazy"] == "auto"  # fetched when near the screen
        assert card["height"] > 100
        assert (card["width"], card["height"], card["card"]) == (empty["width"], empty["height"], empty["card"])

    # What shows is the same: the failed image's layer is not drawn, the placeholder is, with no icon.
    shots = [pictures.nth(i).screenshot() for i in range(3)]
    assert difference(shots[0], shots[1]) < 1.0
    assert difference(shots[2], shots[1]) < 1.0
