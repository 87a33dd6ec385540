"""What the Search page hands over as a deck or a report (`output.handover.Handover`), from what it holds.

    search_handover(preview, same=same, chat=chat, backend=..., catalog=...)

The shopper's results as product cards (each with its move), what the same query gives the other shoppers
and the store's text match (the bump chart, each lane's sentence against the shopper's, their cards), and
the WhatsApp chat cards with where they disagree with the catalog. No call, no Streamlit.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime

from fashionai.compare.view import lane_order
from fashionai.domain import DEFAULT_CURRENCY
from fashionai.measures.movement import Move
from fashionai.output import charts
from fashionai.output.handover import Card, Handover, Section, card_picture, cards_from_frame, now
from fashionai.search.same_query import SHOPPER, SameQuery, lane_words
from fashionai.storefront.search_view import SearchPreview, empty_words
from fashionai.storefront.whatsapp_view import WhatsAppPreview
from fashionai.text.formatting import STOCK_STATUS_WORDS, format_price, plural

__all__ = ["search_handover", "search_results_section"]

_MARKUP = re.compile(r"\*\*|\\")


def _plain(markdown: str) -> str:
    """A page's Markdown sentence as plain text (bold marks and escapes dropped)."""
    return _MARKUP.sub("", markdown)


def search_results_section(preview: SearchPreview, moves: Mapping[str, Move], currency: str, *,
                           heading: str | None = None) -> Section:
    """A search's results as a handover section: where their order comes from, an empty answer's words, the cards
    with their moves (the Search page's, and the walk's search box)."""
    answer = preview.answer
    said = [(f"Order: {preview.source}; Fashion.AI found {plural(answer.total_items, 'product')} "
            f"(page {answer.current_page:,} of {preview.pages:,}).")]
    if words := empty_words(preview):
        said.append(_plain(words))
    frame = preview.products
    notes = [moves[pid].label if pid in moves else "" for pid in frame["product_id"]]
    return Section(heading or f"Search “{preview.query}”: what this shopper sees", tuple(said),
                   cards=cards_from_frame(frame, currency=currency, notes=notes))


def _same_query(same: SameQuery, currency: str) -> list[Section]:
    comparison = same.comparison
    lanes = []
    for lane in comparison.lanes:
        reading = same.reading(lane.label) if lane.label != SHOPPER else ""
        lanes.append(f"{lane.label}: {lane_words(lane, same.page)}" + (f" {reading}" if reading else ""))
    sections = [Section("What the same query gives", tuple(lanes))]
    usable = comparison.usable_labels
    if SHOPPER in usable and len(usable) > 1:
        order = lane_order(SHOPPER, usable)
        sections.append(Section(f"How the top {comparison.k} reshuffles across shoppers",
                                chart=charts.bump_chart(comparison.rank_long, k=comparison.k, lane_order=order,
                                                        info=comparison.info, compared=order[1])))
        sections.append(Section("Key to the chart above: each letter drawn in its points, and its product",
                                charts.key_lines(charts.bump_key(comparison.rank_long, k=comparison.k,
                                                                 lane_order=order, info=comparison.info))))
    for label in usable:
        if label == SHOPPER:
            continue
        top = list(dict.fromkeys(comparison.lane(label).ranking))[:comparison.k]
        rows = comparison.products.reindex(top)
        frame = rows.assign(product_id=top, rank=range(1, len(top) + 1),
                            in_catalog=[pid in comparison.products.index for pid in top])
        sections.append(Section(f"{label}: its top {comparison.k}", cards=cards_from_frame(frame, currency=currency)))
    return sections


def _chat(chat: WhatsAppPreview) -> Section:
    if chat.empty_words:
        return Section("WhatsApp preview", (_plain(chat.empty_words),))
    verb = plural(chat.disagreeing, "disagrees", "disagree", with_count=False)
    said = [f"{plural(chat.disagreeing, 'card')} of {len(chat.cards)} {verb} with the catalog."
            if chat.disagreeing else "Every card agrees with the catalog (name, price or sale price, stock)."]
    said += [f"{card.product.name or card.product.product_id}: {'; '.join(card.disagreements)}."
             for card in chat.cards if card.disagreements]
    cards = []
    for card in chat.cards:
        product = card.product
        price = format_price(product.price, chat.currency)
        if product.sale_price is not None and product.sale_price != product.price:
            price = f"{price}, sale {format_price(product.sale_price, chat.currency)}"
        pictures = [card_picture(image) for image in product.images]  # the first a handover can show
        picture, address = next((found for found in pictures if found != (None, None)), (None, None))
        cards.append(Card(product.name or f"Product {product.product_id}", price,
                          "not in catalog" if card.stock is None else STOCK_STATUS_WORDS[card.stock], card.rank,
                          picture, "differs from the catalog" if card.disagreements else "", address))
    size = f", size {chat.size}" if chat.size else ""
    return Section(f"WhatsApp preview: “{chat.query}”{size}", tuple(said), cards=tuple(cards))


def search_handover(preview: SearchPreview, *, moves: Mapping[str, Move] | None = None, same: SameQuery | None = None,
                    chat: WhatsAppPreview | None = None, backend: str, catalog: str,
                    currency: str = DEFAULT_CURRENCY, made_at: datetime | None = None) -> Handover:
    """The Search page: the shopper's results (with their `moves`, by product id), what the same query gives the
    others (when compared for this query and page), the WhatsApp preview (when asked for this query)."""
    sections = [search_results_section(preview, moves or {}, currency)]
    if same is not None and (same.query, same.page) == (preview.query, preview.page):
        sections += _same_query(same, currency)
    if chat is not None and chat.query == preview.query:
        sections.append(_chat(chat))
    who = f"session {preview.session_id}" + (f", user {preview.user_id}" if preview.user_id else "")
    subject = f"The search “{preview.query}” for {who}"
    summary = [(f"A shopper ({who}) searching “{preview.query}” sees {plural(len(preview.products), 'product')} "
               f"on page {preview.page}, in {preview.source}'s order.")]
    if same is not None and len(sections) > 1:
        summary += [f"{label}: {same.reading(label)}" for label in same.comparison.usable_labels
                    if label != SHOPPER and same.reading(label)]
    if chat is not None and chat.query == preview.query and chat.disagreeing:
        summary.append(f"The WhatsApp search shows {plural(chat.disagreeing, 'product')} with details other than "
                       "the catalog's.")
    return Handover(f"Search: {preview.query}", subject, made_at or now(), backend, catalog, tuple(sections),
                    summary=" ".join(summary))
