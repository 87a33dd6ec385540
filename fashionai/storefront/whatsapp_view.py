"""The WhatsApp preview: Fashion.AI's detailed search as a chat card shows it, checked against the catalog.

    preview = preview_whatsapp(client, catalog, session, "tênis", size="42")   # one call: a tracking event
    preview.cards[0].disagreements     # ('price R$ 159,90 here, R$ 149,90 in your catalog', ...)
    preview.empty_words                # an empty list: no match, or an error (the vendor answers both alike)

The detailed search is the only call whose answer carries product details (name, pictures, price, sale
price, size, link), so they can disagree with the catalog the store sells from: each card says where
(name, price, stock by the stock rule in `fashionai.catalog.stock`, a size other than the one asked).
No Streamlit here; client errors propagate unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import pandas as pd

from fashionai.api.client import FashionAIClient
from fashionai.api.search import MAX_DETAILED_PRODUCTS, DetailedAnswer, DetailedProduct
from fashionai.catalog import Catalog, join_ranking
from fashionai.catalog.model import stock_kind_of
from fashionai.catalog.stock import StockState, stock_state
from fashionai.domain import DEFAULT_CURRENCY
from fashionai.text.formatting import format_price, is_missing, one_line

__all__ = ["CENT", "EMPTY_MAY_BE_ERROR", "ChatCard", "WhatsAppPreview", "card_disagreements", "preview_whatsapp",
           "rejoin_whatsapp"]

CENT = Decimal("0.01")
"""Prices closer than this agree (the catalog's are read as floats)."""
EMPTY_MAY_BE_ERROR = (
    "**Fashion.AI answered with an empty list.** For the detailed search that means either that no product in "
    "stock matched (in this size, when one is given) or that it met an error: it answers both the same way, so "
    "an empty list does not prove there is no match. Try the query without a size, or check the same query on "
    "the site search above.")


@dataclass(frozen=True)
class ChatCard:
    """One product of the detailed answer as a chat card shows it, with what the catalog says of it."""

    rank: int
    product: DetailedProduct
    in_catalog: bool
    catalog_name: str | None
    catalog_price: Decimal | None
    stock: StockState | None
    """The catalog's stock state by the stock rule; None when the catalog lacks the product."""
    disagreements: tuple[str, ...]
    """Where the answer's details disagree with the catalog (or with the size asked), each in plain words."""


@dataclass(frozen=True)
class WhatsAppPreview:
    """A detailed search for one shopper: the answer and its cards."""

    session_id: str
    user_id: str | None
    query: str
    size: str | None
    answer: DetailedAnswer
    cards: tuple[ChatCard, ...]
    currency: str = DEFAULT_CURRENCY

    @property
    def disagreeing(self) -> int:
        """Cards with at least one disagreement."""
        return sum(1 for card in self.cards if card.disagreements)

    @property
    def empty_words(self) -> str | None:
        """What an empty answer means (Markdown); None when products came back."""
        return EMPTY_MAY_BE_ERROR if self.answer.empty_may_be_error else None


def _money(value: object) -> Decimal | None:
    if is_missing(value):
        return None
    try:
        return Decimal(str(value)).quantize(CENT)
    except (InvalidOperation, ValueError):
        return None


def _same_text(one: str, two: str) -> bool:
    return " ".join(one.split()).casefold() == " ".join(two.split()).casefold()


def card_disagreements(product: DetailedProduct, row: pd.Series, *, size: str | None = None,
                       currency: str = DEFAULT_CURRENCY, stock_kind: str = "quantity") -> tuple[str, ...]:
    """Where `product` (the answer's) disagrees with its catalog `row` (join_ranking's, in_catalog False for a
    product the catalog lacks) and with the `size` asked, in plain words."""
    if not bool(row["in_catalog"]):
        return ("not in your catalog: the store cannot sell it as the chat shows it",)
    found = []
    name = row.get("name")
    if product.name and not is_missing(name) and not _same_text(product.name, str(name)):
        found.append(f"name “{one_line(product.name)}” here, “{one_line(name)}” in your catalog")
    price = _money(row.get("price"))
    offered = [money for money in (product.price, product.sale_price) if money is not None]
    if price is not None and offered and all(abs(money - price) >= CENT for money in offered):
        said = format_price(product.price, currency) if product.price is not None else "no price"
        if product.sale_price is not None:
            said += f" (sale {format_price(product.sale_price, currency)})"
        found.append(f"price {said} here, {format_price(price, currency)} in your catalog")
    if stock_state(row.get("stock"), stock_kind) == StockState.OUT:
        found.append("out of stock in your catalog (the detailed search should answer only products in stock)")
    if size and product.size and not _same_text(product.size, size):
        found.append(f"size {one_line(product.size)}, not the size asked ({one_line(size)})")
    return tuple(found)


def _card(rank: int, product: DetailedProduct, row: pd.Series, size: str | None, currency: str, kind: str) -> ChatCard:
    known = bool(row["in_catalog"])
    name = row.get("name") if known and not is_missing(row.get("name")) else None
    return ChatCard(rank, product, known, None if name is None else str(name),
                    _money(row.get("price")) if known else None,
                    stock_state(row.get("stock"), kind) if known else None,
                    card_disagreements(product, row, size=size, currency=currency, stock_kind=kind))


def preview_whatsapp(client: FashionAIClient, catalog: Catalog, session_id: str, query: str, *,
                     user_id: str | None = None, size: str | None = None,
                     currency: str = DEFAULT_CURRENCY) -> WhatsAppPreview:
    """The detailed search of `query` (in `size`, when given) for the session: one call, a tracking event; each
    product it answers (at most `MAX_DETAILED_PRODUCTS`) checked against the catalog."""
    session, user = str(session_id or "").strip(), str(user_id or "").strip() or None
    answer = client.detailed_search(session, query, user_id=user, size=size)
    return _preview(session, user, answer, catalog, currency)


def rejoin_whatsapp(preview: WhatsAppPreview, catalog: Catalog) -> WhatsAppPreview:
    """The same answer checked against another catalog (no call)."""
    return _preview(preview.session_id, preview.user_id, preview.answer, catalog, preview.currency)


def _preview(session: str, user: str | None, answer: DetailedAnswer, catalog: Catalog,
             currency: str) -> WhatsAppPreview:
    joined = join_ranking(catalog, answer.product_ids)
    kind = stock_kind_of(joined)
    cards = tuple(_card(number, product, row, answer.size, currency, kind)
                  for number, (product, (_, row)) in enumerate(zip(answer.products, joined.iterrows(), strict=True), start=1))
    return WhatsAppPreview(session, user, answer.query, answer.size, answer, cards[:MAX_DETAILED_PRODUCTS], currency)
