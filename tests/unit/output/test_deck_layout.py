"""A deck read from a projector: every chart's text at least 12 points on its 16:9 slide, a summary of the findings
first (the report opens with the same words), and no slide spent on one line or one card."""

from __future__ import annotations

import html
import itertools
import re

import pandas as pd
import pytest
import vl_convert
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.util import Emu

from fashionai.domain import EventType
from fashionai.journeys.handover import journey_handover
from fashionai.journeys.journey import Journey, Step
from fashionai.journeys.run import run_journey
from fashionai.output.chart_images import SCALE, chart_png, chart_spec, smallest_font
from fashionai.measures.ranking import rank_matrix
from fashionai.output import charts
from fashionai.output.deck import (
    DECK_CHART_WIDTH,
    MIN_CHART_FONT_PT,
    chart_box,
    chart_picture,
    deck_bytes,
)
from fashionai.output.handover import SUMMARY_HEADING, Section, scrub
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
            [section] = [section for section in handover.sections if section.heading == heading]
            *_, font, across = chart_picture(charts[heading], *chart_box(section))
            assert across >= DECK_CHART_WIDTH
            assert png == chart_png(charts[heading], width=across, min_font=font)  # the one drawn
            spec = chart_spec(charts[heading], width=across, min_font=font)
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


SEARCH_LANES = {"This shopper": list("ABCDEFGHIJ"), "Anonymous shopper": list("ABCDEFGHIJ"),
                "Sporty shopper (persona)": list("KFLBEMIDJH"), "Office shopper (persona)": list("BIHCJNAKOP"),
                "Evening shopper (persona)": list("ABKLCDMNEF")}
LONG_NAMES = pd.DataFrame({"name": [f"{letter} Linen Wrap Dress with a long name — Navy" for letter in "ABCDEFGHIJKLMNOP"]},
                          index=pd.Index(list("ABCDEFGHIJKLMNOP"), dtype="str"))
LETTER_WIDTH = 0.5
"""A sans-serif letter's width, in ems, on average (Liberation Sans' lower case; capitals are wider)."""


def lane_label_extents(svg: str) -> list[tuple[float, float]]:
    """The lane axis's labels as drawn: (centre, widest line's estimated width) from left to right."""
    axis = svg[svg.index('role-axis-label'):]
    axis = axis[:axis.index("</g>")]
    labels = []
    for match in re.finditer(r'<text text-anchor="middle" transform="translate\(([\d.]+),[\d.]+\)"[^>]*'
                             r'font-size="([\d.]+)px"[^>]*>(.*?)</text>', axis):
        lines = re.findall(r"<tspan[^>]*>(.*?)</tspan>", match[3]) or [match[3]]
        widest = max(len(html.unescape(line)) for line in lines) * float(match[2]) * LETTER_WIDTH
        labels.append((float(match[1]), widest))
    return labels


@pytest.mark.slow  # each draws its chart a few times (vl-convert), as the deck does
@pytest.mark.parametrize("lanes", [4, 5, 8])
def test_a_decks_bump_chart_writes_each_lane_name_clear_of_the_next(lanes):
    """At the letters a slide needs (12 points: about 18-20 px in the picture) the lane names were wrapped for 11 px
    and ran into each other ("This shopperAnonymous shopperSporty shopper"): wrapped for the deck's size, each is
    clear of its neighbours."""
    names = dict(list(SEARCH_LANES.items())[:min(lanes, 5)])
    names |= {f"Persona {n}: casual shoes (journey)": list("ABCDEFGHIJ") for n in range(lanes - len(names))}
    chart = charts.bump_chart(rank_matrix(names, 10), k=10, lane_order=list(names), info=LONG_NAMES)
    *_, font, across = chart_picture(chart, *chart_box(Section("Lanes", ("A sentence beside the chart.",))))
    labels = lane_label_extents(vl_convert.vegalite_to_svg(chart_spec(chart, width=across, min_font=font)))
    assert len(labels) == lanes
    for (left, left_width), (right, right_width) in itertools.pairwise(labels):
        assert right - left >= (left_width + right_width) / 2, (font, labels)
