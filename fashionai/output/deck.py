"""A handover as a PowerPoint deck (16:9), made with python-pptx.

    deck_bytes(handover)   # the .pptx file's bytes

A title slide (what was compared, when, against which backend and catalog), a summary slide (its findings
in one paragraph); then for each section a
slide with its chart as a picture and its sentences beside it (or its sentences alone, over as many
slides as they need), and its product cards, ten a slide (five across, two rows): a picture (or a
placeholder box), the name, the price, the stock and the rank. Every text passes through
`handover.scrub`. No Streamlit here.
"""

from __future__ import annotations

import base64
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.util import Emu, Inches, Pt

from fashionai.output.chart_images import SCALE, chart_png
from fashionai.output.handover import SUMMARY_HEADING, Card, Handover, Section, scrub

__all__ = ["CARDS_PER_SLIDE", "MIN_CHART_FONT_PT", "READINGS_PER_SLIDE", "ChartPicture", "chart_box", "chart_picture",
           "deck_bytes"]

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.5)
CARD_COLUMNS, CARD_ROWS = 5, 2
CARDS_PER_SLIDE = CARD_COLUMNS * CARD_ROWS
READINGS_PER_SLIDE = 8
"""Sentences on a slide without a chart (a long list goes on over more slides)."""
READINGS_BESIDE_CHART = 4
SHORT_READINGS = 2
"""A section with this many sentences at most (and short ones) has them over its cards, not on a slide alone."""
MIN_CHART_FONT_PT = 12
"""The smallest text of a chart on a slide, in points: readable from the back of a room on a projector."""
SPARE_PIXELS = 40
"""A chart's picture narrower than its box by more than this (in the chart's pixels, at its height) is drawn wider."""
DECK_CHART_WIDTH = 560
"""Pixels across a chart as wide as its container is drawn for a slide (fewer than a page's: bigger letters)."""

PLUM, INK, TAUPE, BLUSH, IVORY = (RGBColor.from_string(c) for c in ("5B2149", "2E2630", "A39489", "EBC9CF", "F6F1EC"))


def _text(slide, left, top, width, height, lines: Sequence[str], *, size: int = 16, color: RGBColor = INK,
          bold: bool = False) -> None:
    """A text box of `lines`, one paragraph each (scrubbed), words wrapped."""
    frame = slide.shapes.add_textbox(left, top, width, height).text_frame
    frame.word_wrap = True
    for number, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if number == 0 else frame.add_paragraph()
        paragraph.space_after = Pt(size * 0.4)
        run = paragraph.add_run()
        run.text = scrub(line)
        run.font.size, run.font.bold, run.font.color.rgb = Pt(size), bold, color


def _slide(deck, heading: str):
    slide = deck.slides.add_slide(deck.slide_layouts[6])  # blank
    _text(slide, MARGIN, Inches(0.3), WIDTH - 2 * MARGIN, Inches(0.8), [heading], size=26, color=PLUM, bold=True)
    return slide


def _title_slide(deck, handover: Handover) -> None:
    slide = deck.slides.add_slide(deck.slide_layouts[6])
    band = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, WIDTH, Inches(0.35))
    band.fill.solid()
    band.fill.fore_color.rgb = PLUM
    band.line.fill.background()
    _text(slide, Inches(0.8), Inches(1.6), WIDTH - Inches(1.6), Inches(1.4), [handover.title], size=40,
          color=PLUM, bold=True)
    _text(slide, Inches(0.8), Inches(3.3), WIDTH - Inches(1.6), Inches(3.0),
          [f"{label}: {value}" for label, value in handover.facts], size=20)
    if handover.notes:  # what the file left out, and why (pictures from a host the server does not allow)
        _text(slide, Inches(0.8), Inches(5.4), WIDTH - Inches(1.6), Inches(1.1), handover.notes, size=12, color=TAUPE)
    _text(slide, Inches(0.8), HEIGHT - Inches(0.9), WIDTH - Inches(1.6), Inches(0.5),
          ["Made with the Fashion.AI Merchandising Studio"], size=12, color=TAUPE)


def _summary_slide(deck, handover: Handover) -> None:
    slide = _slide(deck, SUMMARY_HEADING)
    _text(slide, MARGIN, Inches(1.4), WIDTH - 2 * MARGIN, HEIGHT - Inches(2.0), [handover.summary], size=24)


def _picture_size(png: bytes, box_width: int, box_height: int) -> tuple[int, int]:
    """The picture's size within the box, its proportions kept (a PNG's size is in its IHDR header)."""
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    ratio = min(box_width / max(width, 1), box_height / max(height, 1))
    return int(width * ratio), int(height * ratio)


class ChartPicture(NamedTuple):
    png: bytes
    width: int  # EMU on the slide
    height: int
    font: int  # its least letters' pixels
    across: int  # the pixels across it was drawn at (a container's width)


def chart_picture(chart, box_width: int, box_height: int) -> ChartPicture:
    """The chart as a PNG fitted in the box (EMU), its smallest text MIN_CHART_FONT_PT points at least on the slide.
    A chart is drawn DECK_CHART_WIDTH pixels across, wider when it is taller than the box's shape (its lanes and
    bars get the room beside it at no cost to its letters); its fonts are raised until, at the size the picture
    gets on the slide, none is smaller (bigger letters make the picture bigger: a few rounds)."""
    font, across = 12, DECK_CHART_WIDTH
    for _ in range(6):
        png = chart_png(chart, width=across, min_font=font)
        pixels_across, pixels_down = (int.from_bytes(png[at:at + 4], "big") / SCALE for at in (16, 20))
        width, height = _picture_size(png, box_width, box_height)
        small = font * Emu(width).pt / pixels_across < MIN_CHART_FONT_PT
        spare = int(box_width / box_height * pixels_down - pixels_across)  # chart pixels the box has beside it
        if not small and spare <= SPARE_PIXELS:
            break
        if small:
            font = math.ceil(MIN_CHART_FONT_PT / (Emu(width).pt / pixels_across))
        if spare > SPARE_PIXELS:
            across += spare
    else:
        png = chart_png(chart, width=across, min_font=font)
        width, height = _picture_size(png, box_width, box_height)
    return ChartPicture(png, width, height, font, across)


def chart_box(section: Section) -> tuple[int, int]:
    """The box (EMU) a section's chart gets on its slide: beside its first sentences when it has any."""
    beside = bool(section.readings[:READINGS_BESIDE_CHART])
    return int(WIDTH - 2 * MARGIN - (Inches(3.6) if beside else 0)), int(HEIGHT - Inches(1.4) - MARGIN)


def _chart_slide(deck, section: Section) -> None:
    slide = _slide(deck, section.heading)
    beside = section.readings[:READINGS_BESIDE_CHART]
    box_width, box_height = chart_box(section)
    png, width, height, _, _ = chart_picture(section.chart, box_width, box_height)
    slide.shapes.add_picture(io.BytesIO(png), MARGIN, Inches(1.2), Emu(width), Emu(height))
    if beside:
        _text(slide, MARGIN + width + Inches(0.3), Inches(1.3), WIDTH - MARGIN - width - Inches(0.8),
              box_height, beside, size=15)
    rest = section.readings[READINGS_BESIDE_CHART:]
    if rest:
        _reading_slides(deck, f"{section.heading} (continued)", rest)


def _reading_slides(deck, heading: str, readings: Sequence[str]) -> None:
    for start in range(0, len(readings), READINGS_PER_SLIDE):
        slide = _slide(deck, heading if start == 0 else f"{heading} (continued)")
        _text(slide, MARGIN, Inches(1.3), WIDTH - 2 * MARGIN, HEIGHT - Inches(1.8),
              [f"• {line}" for line in readings[start:start + READINGS_PER_SLIDE]], size=18)


def _card(slide, card: Card, left: int, top: int, width: int, height: int) -> None:
    picture_height = int(height * 0.52)
    picture = None
    if card.image:
        raw = base64.b64decode(card.image.split(",", 1)[1])
        try:
            picture = slide.shapes.add_picture(io.BytesIO(raw), left, top, width=width)
        except Exception:  # noqa: BLE001 - a picture python-pptx cannot read: the placeholder box instead
            picture = None
        if picture is not None and picture.height > picture_height:  # keep its proportions within the box
            picture.width = int(picture.width * picture_height / picture.height)
            picture.height = picture_height
    if picture is None:
        box = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, left, top, width, picture_height)
        box.fill.solid()
        box.fill.fore_color.rgb, box.line.color.rgb = IVORY, BLUSH
        box.text_frame.text = "no picture"
        box.text_frame.paragraphs[0].runs[0].font.color.rgb = TAUPE
        box.text_frame.paragraphs[0].runs[0].font.size = Pt(11)
    rank = f"#{card.rank}  " if card.rank is not None else ""
    lines = [f"{rank}{card.name}", " · ".join(part for part in (card.price, card.stock) if part)]
    if card.note:
        lines.append(card.note)
    _text(slide, left, top + picture_height + Inches(0.05), width, height - picture_height, lines, size=11)


@dataclass(frozen=True)
class _Row:
    """Half a slide: a section's row of cards (or its few sentences alone), with its heading when it opens the
    section (`first`) and, then, its sentences as a caption."""

    heading: str
    first: bool
    lines: tuple[str, ...] = ()
    cards: tuple[Card, ...] = ()


def _rows(heading: str, lines: Sequence[str], cards: Sequence[Card]) -> list[_Row]:
    """A section's rows: a row a CARD_COLUMNS cards, its sentences with the first (or alone, with no card)."""
    chunks = [tuple(cards[start:start + CARD_COLUMNS]) for start in range(0, len(cards), CARD_COLUMNS)] or [()]
    return [_Row(heading, number == 0, tuple(lines) if number == 0 else (), chunk)
            for number, chunk in enumerate(chunks)]


def _row_slides(deck, rows: Sequence[_Row]) -> None:
    """Rows two a slide, in order, so that a short section (a card, a sentence) shares a slide with the next: the
    slide's title is its first row's section; a row opening another section below it gets that heading."""
    gap = Inches(0.2)
    width = int((WIDTH - 2 * MARGIN - gap * (CARD_COLUMNS - 1)) / CARD_COLUMNS)
    groups = [list(rows[start:start + CARD_ROWS]) for start in range(0, len(rows), CARD_ROWS)]
    if len(groups) > 1 and len(groups[-1]) == 1 and len(groups[-1][0].cards) <= 1:
        groups[-2] += groups.pop()  # a last row of one card (or a sentence) joins the slide before, a third row
    for pair in groups:
        slot = int((HEIGHT - Inches(1.2) - MARGIN) / max(CARD_ROWS, len(pair)))
        top = pair[0]
        slide = _slide(deck, top.heading if top.first else f"{top.heading} (continued)")
        for number, row in enumerate(pair):
            y = int(Inches(1.2) + number * slot)
            if number > 0 and (row.first or row.heading != top.heading):
                _text(slide, MARGIN, y, WIDTH - 2 * MARGIN, Inches(0.4), [row.heading], size=18, color=PLUM,
                      bold=True)
                y += int(Inches(0.45))
            if row.lines:
                lines = row.lines if row.cards else [f"• {line}" for line in row.lines]
                tall = Inches(0.3) * len(lines) if row.cards else slot - (y - Inches(1.2) - number * slot)
                _text(slide, MARGIN, y, WIDTH - 2 * MARGIN, tall, lines, size=13 if row.cards else 18,
                      color=INK)
                y += int(Inches(0.3) * len(lines) + Inches(0.1)) if row.cards else 0
            height = int(Inches(1.2) + (number + 1) * slot - gap - y)
            for column, card in enumerate(row.cards):
                _card(slide, card, int(MARGIN + column * (width + gap)), y, width, height)


def _short(section: Section) -> bool:
    """Whether the section's sentences are a caption (two short ones at most) rather than slides of their own."""
    return len(section.readings) <= SHORT_READINGS and sum(len(line) for line in section.readings) <= 320


def deck_bytes(handover: Handover) -> bytes:
    """The handover as a .pptx file: the title slide, the summary, then each section's chart, sentences and cards
    (short sections and rows of cards two a slide)."""
    deck = Presentation()
    deck.slide_width, deck.slide_height = WIDTH, HEIGHT
    deck.core_properties.title = scrub(handover.title)
    deck.core_properties.author = "Fashion.AI Merchandising Studio"
    _title_slide(deck, handover)
    if handover.summary:
        _summary_slide(deck, handover)
    rows: list[_Row] = []  # short sections and rows of cards waiting for their slides
    for section in handover.sections:
        if section.chart is None and _short(section):
            rows += _rows(section.heading, section.readings, section.cards)
            continue
        _row_slides(deck, rows)
        rows = []
        if section.chart is not None:
            _chart_slide(deck, section)
        elif section.readings:
            _reading_slides(deck, section.heading, section.readings)
        if section.cards:
            rows += _rows(f"{section.heading}: the products", (), section.cards)
    _row_slides(deck, rows)
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()
