"""Product pictures as the storefront draws them: an image address template for products without an
image, and a card's picture as one HTML element whose failed image falls back to the placeholder.

    check_image_template("https://cdn.example.com/img/{product_id}.jpg")   # None: usable (else why not)
    template_image(template, "ab 1")          # "https://cdn.example.com/img/ab%201.jpg"
    with_template_images(frame, template)     # image_url filled where a catalog row has none
    card_picture(image_url, name)             # <div role="img" ...> with the image over the placeholder

Pure functions, no Streamlit. A card's picture is drawn as a CSS background of two layers, the
product's image over the placeholder, in a frame of a fixed shape: an image that fails to load is
simply not drawn, so the placeholder shows at the same size, never the browser's broken-image icon.
"""

from __future__ import annotations

import html
import re
from urllib.parse import quote, urlsplit

import pandas as pd

from fashionai.text.formatting import NOT_LOADED_IMAGE, PLACEHOLDER_IMAGE, is_missing, one_line, safe_image_url

PRODUCT_ID_FIELD = "{product_id}"
"""Where a template puts the product id (percent-encoded)."""
CARD_PICTURE_CLASS = "fai-card-picture"
"""The class of a card's picture element (tests find pictures by it)."""
CARD_ASPECT_RATIO = "5 / 6"
"""Every card's picture has this shape (the placeholder's), whatever the image: cards stay the same height."""

_CSS_URL_SAFE = "!#$&*+,-./:;=?@[]_~%"
"""Characters kept as they are in an address put in a CSS url("..."): none of them can end the string,
the url() or the declaration. Everything else (quotes, parentheses, backslashes, spaces, line breaks,
<, >, braces, non-ASCII) is percent-encoded; & is escaped with the rest of the HTML attribute."""


# --------------------------------------------------------------------------- the image address template


def check_image_template(template: str) -> str | None:
    """Why `template` cannot be used as an image address template (plain words), or None when it can.

    It must be an http(s) address with a host, contain ``{product_id}``, and have no other braces;
    the address it makes must be one a browser may load (no spaces, quotes or < >).
    """
    text = template.strip()
    if not text:
        return "Type an address, for example https://cdn.example.com/img/{product_id}.jpg."
    if PRODUCT_ID_FIELD not in text:
        return "The address must contain {product_id}, where each product's id goes."
    if "{" in text.replace(PRODUCT_ID_FIELD, "") or "}" in text.replace(PRODUCT_ID_FIELD, ""):
        return "The address may contain no braces other than {product_id}."
    parts = urlsplit(text.replace(PRODUCT_ID_FIELD, "id"))
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return "The address must start with http:// or https:// and name a server."
    if safe_image_url(text.replace(PRODUCT_ID_FIELD, "id")) == PLACEHOLDER_IMAGE:
        return "The address may not contain spaces, quotes or the characters < and >."
    return None


def template_image(template: str, product_id: object) -> str:
    """The image address `template` makes for `product_id` (percent-encoded in it, slashes too)."""
    return template.strip().replace(PRODUCT_ID_FIELD, quote(str(product_id), safe=""))


def _blank(value: object) -> bool:
    return is_missing(value) or (isinstance(value, str) and not value.strip())


def count_without_image(images: pd.Series) -> int:
    """How many of `images` (a catalog's image_url column) are blank: the products an image template gives a
    picture to."""
    text = images.astype("object")
    return int((text.isna() | text.map(lambda value: isinstance(value, str) and not value.strip())).sum())


def with_image(row: pd.Series, template: str | None) -> object:
    """A product row's image address: its own, or, when its catalog row has none (blank or no column),
    the one `template` makes. A product the catalog does not hold gets none."""
    image = row.get("image_url")
    if template and _blank(image) and bool(row.get("in_catalog", True)):
        return template_image(template, row["product_id"])
    return image


def with_template_images(frame: pd.DataFrame, template: str | None) -> pd.DataFrame:
    """`frame` (products with product_id, maybe image_url and in_catalog) with image_url filled from
    `template` where a catalog row has no image; the very frame when there is no template."""
    if not template or "product_id" not in frame.columns:
        return frame
    images = (frame["image_url"].astype("object") if "image_url" in frame.columns
              else pd.Series([None] * len(frame), index=frame.index, dtype="object"))
    blank = images.map(_blank).astype(bool)
    if "in_catalog" in frame.columns:
        blank &= frame["in_catalog"].fillna(False).astype(bool)
    if not blank.any() and "image_url" in frame.columns:
        return frame
    filled = frame.copy()
    images = images.copy()
    images[blank] = [template_image(template, pid) for pid in frame.loc[blank, "product_id"]]
    filled["image_url"] = pd.array(images.tolist(), dtype="str")
    return filled


# --------------------------------------------------------------------------- a card's picture


def css_url(address: str) -> str:
    """`address` as a CSS ``url("...")``: whatever could end the string or the declaration is percent-encoded."""
    return 'url("' + quote(address, safe=_CSS_URL_SAFE) + '")'


_NAME_LIMIT = 300


def card_picture(image: object, name: object) -> str:
    """A card's picture as HTML: a frame of the card's shape (role="img", the product's `name` as its label)
    holding one layer drawing `image` (made safe: http(s) or data:image, else the placeholder) over the
    placeholder, centred and cropped. The frame is drawn lazily (``content-visibility: auto``): a picture far
    below the screen is fetched when it comes near. Every value is escaped for its place: nothing in `image`
    or `name` can leave its attribute."""
    address = safe_image_url(image)
    layers = [css_url(address), css_url(NOT_LOADED_IMAGE)] if address != PLACEHOLDER_IMAGE else \
        [css_url(PLACEHOLDER_IMAGE)]  # under an address, the placeholder says the picture did not load
    frame = (f"aspect-ratio: {CARD_ASPECT_RATIO}; width: 100%; content-visibility: auto; overflow: hidden; "
             "border-radius: 0.5rem; background-color: #f3eef0")
    picture = (f"width: 100%; height: 100%; background-image: {', '.join(layers)}; "
               f"background-size: {', '.join(['cover'] * (len(layers) - 1) + ['contain'])}; "
               "background-position: center; background-repeat: no-repeat")
    label = "" if is_missing(name) else re.sub(r"\s+", " ", one_line(name)).strip()[:_NAME_LIMIT]
    return (f'<div class="{CARD_PICTURE_CLASS}" role="img" aria-label="{html.escape(label, quote=True)}" '
            f'style="{html.escape(frame, quote=True)}"><div style="{html.escape(picture, quote=True)}"></div></div>')
