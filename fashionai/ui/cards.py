"""Products as the storefront shows them: cards (a picture that falls back to the placeholder, name, price,
stock and move badges), grids of cards, tables and paging. Products without an image use this browser
session's image address template (Settings)."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pandas as pd
import streamlit as st

from fashionai.catalog.model import stock_kind_of
from fashionai.domain import DEFAULT_CURRENCY
from fashionai.filters import BADGE as FILTER_BADGE
from fashionai.measures.movement import DOWN, NEW, SAME, UP, Move
from fashionai.output.images import card_picture, with_image, with_template_images
from fashionai.text.formatting import (
    BadgeColor,
    STOCK_BADGE_COLOR,
    column_title,
    escape_markdown,
    format_price,
    is_missing,
    safe_image_url,
    stock_status,
)
from fashionai.ui.resources import get_settings
from fashionai.ui.store_settings import image_template


def _stock_badge(row: pd.Series, stock_kind: str) -> tuple[str, BadgeColor]:
    if not bool(row.get("in_catalog", True)):
        return "not in catalog", STOCK_BADGE_COLOR["not in catalog"]
    status = stock_status(row.get("stock"), stock_kind)
    return status, STOCK_BADGE_COLOR[status]


MOVE_COLORS: dict[str, BadgeColor] = {UP: "green", DOWN: "red", NEW: "blue", SAME: "gray"}
CARD_WIDTH = 172
"""Pixels of a card in a row that wraps (the walk's rows, a collection's cards): three fit a full-width page at
1,024 x 768, four at 1,280 x 800, and no name breaks mid-word."""


def product_card(row: pd.Series, *, currency: str = DEFAULT_CURRENCY, show_rank: bool = True, move: Move | None = None,
                 against: str = "the list before", stock_kind: str = "quantity", breaches: Sequence[str] = ()) -> None:
    """One product as the storefront shows it: picture, name, price, stock badge, rank, and its `move`
    since the list before (`against` names that list in the badge's tooltip); `stock_kind` is the catalog's
    (`stock_kind_of` its joined frame): a yes/no stock has no "low stock". `breaches`: the dashboard filters it
    breaks, in words (`fashionai.filters`): a badge saying so, the reasons on hover and under it.

    The picture is one element of a fixed shape: the product's image (or the image address template's,
    for a catalog row without one) over the placeholder, so an image that fails to load shows the
    placeholder, at the same height as a card without an image."""
    with st.container(border=True):
        name = row.get("name")
        if not bool(row.get("in_catalog", True)) or is_missing(name):
            name = f"Unknown product {row['product_id']}"
        st.markdown(card_picture(with_image(row, image_template()), name), unsafe_allow_html=True)
        st.text(str(name))
        status, color = _stock_badge(row, stock_kind)
        label = f"#{int(row['rank'])} · " if show_rank and "rank" in row else ""
        st.caption(f"{label}{escape_markdown(format_price(row.get('price'), currency))} · "
                   f"id {escape_markdown(row['product_id'])}")
        if move is None:
            st.badge(status, color=color)
        else:
            with st.container(horizontal=True, gap="small"):
                st.badge(status, color=color)
                st.badge(move.label, color=MOVE_COLORS[move.change], help=move.words(against))
        if breaches:
            filter_badge(breaches)


def filter_badge(breaches: Sequence[str]) -> None:
    """A product's mark for the dashboard filters it breaks: the badge, its reasons on hover and as a caption."""
    st.badge(FILTER_BADGE, icon=":material/filter_alt:", color="orange", help="; ".join(breaches))
    said = "; ".join(breaches)
    st.caption(escape_markdown(said[:1].upper() + said[1:]))


def product_grid(frame: pd.DataFrame, *, columns: int = 4, currency: str = DEFAULT_CURRENCY, show_rank: bool = True,
                 moves: Mapping[str, Move] | None = None, against: str = "the list before",
                 breaches: Mapping[str, Sequence[str]] | None = None,
                 below: Callable[[str], None] | None = None) -> None:
    """Cards in rows of `columns`; with `moves` (by product id, `fashionai.measures.movement.movements`) each wears its
    move's badge; with `breaches` (by product id, `FilterCheck.breaches`) each that breaks a dashboard filter its
    mark; with `below`, `below(product id)` draws under each card (the Search page's grade)."""
    for start in range(0, len(frame), columns):
        cells = st.columns(columns)
        for cell, (_, row) in zip(cells, frame.iloc[start:start + columns].iterrows(), strict=False):
            with cell:
                move = None if moves is None else moves.get(str(row["product_id"]))
                product_card(row, currency=currency, show_rank=show_rank, move=move, against=against,
                             stock_kind=stock_kind_of(frame), breaches=(breaches or {}).get(str(row["product_id"]), ()))
                if below is not None:
                    below(str(row["product_id"]))


TABLE_COLUMNS = ["rank", "image_url", "name", "product_id", "category", "price", "stock", "in_stock", "in_catalog"]
MISSING = "—"
"""What a table shows where a value is missing (not "None")."""


def products_table(frame: pd.DataFrame, *, currency: str | None = None, key: str | None = None,
                   labels: Mapping[str, str] | None = None, keep_order: bool = False) -> None:
    """Products as a table: prices written as the cards write them (``R$ 249,90``, in the
    settings' currency unless given), headers in words (`labels` names some), "—" where a
    value is missing, images from the image address template where a catalog row has none.
    Columns in TABLE_COLUMNS' order first, unless `keep_order`."""
    frame = with_template_images(frame, image_template())
    order = list(frame.columns) if keep_order else ([c for c in TABLE_COLUMNS if c in frame.columns]
                                                    + [c for c in frame.columns if c not in TABLE_COLUMNS])
    shown = frame[order].copy()
    if "image_url" in shown:
        shown["image_url"] = shown["image_url"].map(safe_image_url)
    if "price" in shown:
        money = get_settings().currency if currency is None else currency
        shown["price"] = pd.array([format_price(value, money) for value in shown["price"]], dtype="str")
    shown.columns = [str(column) for column in shown.columns]
    column_config: dict[str, Any] = {column: column_title(column) for column in shown.columns}
    column_config |= {
        "rank": st.column_config.NumberColumn("Rank", format="localized"),
        "image_url": st.column_config.ImageColumn("Image", width="small"),
        "name": st.column_config.TextColumn("Name"),
        "product_id": st.column_config.TextColumn("Product id"),
        "category": st.column_config.TextColumn("Category"),
        "price": st.column_config.TextColumn("Price"),
        "ref_rank": st.column_config.NumberColumn("Reference rank", format="localized"),
        "stock": st.column_config.NumberColumn("Stock", format="localized"),
        "in_stock": st.column_config.CheckboxColumn("In stock"),
        "in_catalog": st.column_config.CheckboxColumn("In catalog"),
    }
    for column, label in (labels or {}).items():
        config = column_config.get(column)
        column_config[column] = {**config, "label": label} if isinstance(config, dict) else label
    st.dataframe(shown, hide_index=True, width="stretch", key=key, placeholder=MISSING,
                 column_config={column: config for column, config in column_config.items() if column in shown})


PAGE_SIZES = (12, 24, 48, 96)


def paginate(frame: pd.DataFrame, *, key: str, default_size: int = 24) -> pd.DataFrame:
    """Show one page of a long ranking at a time, with controls to move through it."""
    if len(frame) <= PAGE_SIZES[0]:
        return frame
    left, right, info = st.columns([1, 1, 2], vertical_alignment="bottom")
    size = left.selectbox("Products per page", PAGE_SIZES, index=PAGE_SIZES.index(default_size),
                          key=f"{key}_size")
    pages = max(1, math.ceil(len(frame) / size))
    page_key = f"{key}_page"
    if st.session_state.get(page_key, 1) > pages:
        st.session_state[page_key] = 1
    page = right.number_input("Page", min_value=1, max_value=pages, step=1, key=page_key)
    start = (int(page) - 1) * size
    info.caption(f"Showing {start + 1}–{min(start + size, len(frame))} of {len(frame):,}")
    return frame.iloc[start:start + size]
