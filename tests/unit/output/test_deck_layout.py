"""A deck read from a projector: every chart's text at least 12 points on its 16:9 slide, a summary of the findings
first (the report opens with the same words), and no slide spent on one line or one card."""

from __future__ import annotations

import html

import pytest
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.util import Emu

from fashionai.domain import EventType
from fashionai.journeys.handover import journey_handover
from fashionai.journeys.journey import Journey, Step
from fashionai.journeys.run import run_journey
from fashionai.output.chart_images import SCALE, chart_png, chart_spec, smallest_font
from fashionai.output.deck import DECK_CHART_WIDTH, MIN_CHART_FONT_PT, chart_picture, deck_bytes
from fashionai.output.handover import SUMMARY_HEADING, scrub
from fashionai.output.report import report_html
from fashionai.walk.steps import EMPTY_SHELF
from tests.handover_helpers import FACTS, WHEN, audit_handover, opened, slide_texts, whole_walk



def png_width(png: bytes) -> int:
    return int.from_bytes(png[16:20], "big")


@pytest.fixture(scope="module")
def journeyed(catalog, client):
    journey = Journey("Evening", "", "Dresses", (Step(EventType.PRODUCT_VIEW, "000003"),
                                                Step(EventType.CATEGORY_VIEW, "Dresses")))
    run = run_journey(client, journey, session_id="journeyer", native=catalog.category_ids("Dresses"))
    handover = journey_handover(run, k=5, catalog_data=catalog, made_at=WHEN, **FACTS)
    return handover, deck_bytes(handover)


def test_every_charts_text_is_at_least_12_points_on_its_slide(compared, journeyed):
    for handover, deck in (compared[:2], journeyed):
        charts = {section.heading: section.chart for section in handover.sections if section.chart is not None}
        pictures = [(slide.shapes[0].text_frame.text, shape) for slide in opened(deck).slides
                    for shape in slide.shapes if shape.shape_type == MSO_SHAPE_TYPE.PICTURE
                    and slide.shapes[0].text_frame.text in charts]  # a card's picture is no chart
        assert {heading for heading, _ in pictures} == set(charts)
        for heading, shape in pictures:
            png = shape.image.blob
            points_a_pixel = Emu(shape.width).pt / (png_width(png) / SCALE)  # the chart's pixel on the slide
            _, _, _, font = chart_picture(charts[heading], shape.width, shape.height)
            assert png == chart_png(charts[heading], width=DECK_CHART_WIDTH, min_font=font)  # the one drawn
            spec = chart_spec(charts[heading], width=DECK_CHART_WIDTH, min_font=font)
            assert smallest_font(spec) * points_a_pixel >= MIN_CHART_FONT_PT, heading
            assert all(spec["config"][part][key] >= font for part, key in (
                ("axis", "labelFontSize"), ("axis", "titleFontSize"), ("legend", "labelFontSize"),
                ("title", "subtitleFontSize"), ("text", "fontSize")))  # Vega's 10-pixel defaults too


def test_smallest_font_reads_marks_and_config():
    spec = {"mark": {"type": "text", "fontSize": 9}, "config": {"axis": {"labelFontSize": 14}}}
    assert smallest_font(spec) == 9


@pytest.fixture(scope="module")
def every_kind(compared, journeyed, catalog, client):
    """One handover of each kind and its deck, made once for the module (a deck takes seconds): a comparison, a
    journey run, a whole walk, an audit run."""
    from fashionai.walk.handover import walk_handover

    walk = walk_handover(whole_walk(catalog, client), catalog_data=catalog, made_at=WHEN, **FACTS)
    audit = audit_handover()
    return {"compare": compared[:2], "journey": journeyed, "walk": (walk, deck_bytes(walk)),
            "audit": (audit, deck_bytes(audit))}


def test_every_deck_and_report_open_with_a_summary_of_the_findings(every_kind):
    for kind, (handover, deck) in every_kind.items():
        summary = handover.summary
        assert len(summary) > 80 and "\n" not in summary, kind  # one paragraph, in words
        texts = slide_texts(deck)
        assert texts[1] == f"{SUMMARY_HEADING}\n{scrub(summary)}", kind  # the slide after the title
        report = report_html(handover)
        first = report.index("<section")
        assert report[first:].startswith(f'<section class="summary"><h2>{SUMMARY_HEADING}</h2>'), kind
        assert html.escape(scrub(summary), quote=True) in report[first:report.index("</section>", first)], kind
    said = {kind: handover for kind, (handover, _) in every_kind.items()}
    assert "s1 set against Native order" in said["compare"].summary
    assert "These two storefronts" in said["compare"].summary
    assert "After 2 steps" in said["journey"].summary
    assert "Home shelf, Collection, Best sellers, Category page, Product page" in said["walk"].summary
    assert "Personalization 55%" in said["audit"].summary


def spent_on_one(slide) -> bool:
    """A slide holding one sentence alone, or one product card alone (and no chart)."""
    texts = [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]
    bullets = sum(line.startswith("• ") for text in texts for line in text.split("\n"))
    cards = sum(text.startswith("#") for text in texts)  # a card's words open with its rank
    charts = sum(shape.shape_type == MSO_SHAPE_TYPE.PICTURE and shape.width > Emu(914400 * 4) for shape in slide.shapes)
    return not charts and ((bullets == 1 and cards == 0) or (cards == 1 and bullets == 0 and len(texts) <= 3))


def test_no_slide_is_spent_on_one_sentence_or_one_card(every_kind):
    for kind, (_, deck) in every_kind.items():
        slides = list(opened(deck).slides)[2:]  # after the title and the summary
        alone = [slide.shapes[0].text_frame.text for slide in slides if spent_on_one(slide)]
        assert alone == [], kind


def test_the_walk_deck_holds_every_place_the_shopper_saw(catalog, client):
    from fashionai.walk.handover import walk_handover

    walk = whole_walk(catalog, client, "newcomer")
    handover = walk_handover(walk, catalog_data=catalog, made_at=WHEN, **FACTS)
    texts = "\n".join(slide_texts(deck_bytes(handover)))
    assert walk.home.shelf_products.empty  # a new session's shelf: said in words, not a blank half slide
    assert f"Home: For you\n• {EMPTY_SHELF}" in texts
    assert all(section.readings or section.cards for section in handover.sections)
    for heading in ("Home: For you", f"Home: {walk.home.collection.slice.collection_name}", "Home: Best sellers",
                    "Category page: Dresses", "Product page: ", "Similar for this shopper: ", "Similar products: ",
                    "Shop the look: "):
        assert heading in texts, heading
