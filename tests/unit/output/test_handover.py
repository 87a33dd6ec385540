"""The deck and the report handed over: a hostile catalog (markup, the app token and an e-mail in a product's name,
a remote picture), a comparison, a walk, a journey and an audit scorecard, each as a .pptx and an .html file."""

from __future__ import annotations

import io
import math
import re
import zipfile

import pandas as pd
from pptx.enum.shapes import MSO_SHAPE_TYPE

from fashionai.audit.handover import scorecard_handover
from fashionai.audit.model import AuditRun
from fashionai.catalog import load_catalog
from fashionai.catalog.sample import SAMPLE_CATALOG_PATH
from fashionai.domain import EventType
from fashionai.journeys.handover import journey_handover
from fashionai.journeys.journey import Journey, Step
from fashionai.journeys.run import run_journey
from fashionai.output import charts
from fashionai.output.chart_images import chart_spec
from fashionai.output.deck import CARDS_PER_SLIDE, deck_bytes
from fashionai.output.handover import KEY_HEADING, Handover, Section, cards_from_frame, scrub
from fashionai.output.pictures import inline_picture
from fashionai.output.report import report_html
from fashionai.storefront.preview import preview_storefront
from fashionai.walk.handover import walk_handover
from fashionai.walk.steps import CATEGORY, Walk, category_page
from fashionai.walk.trail import answered
from tests.handover_helpers import EMAIL, FACTS, PNG, TOKEN, WHEN, audit_handover, opened, slide_texts, whole_walk



def everything(deck: bytes) -> str:
    """Every XML part of the .pptx as text (slides, notes, properties)."""
    with zipfile.ZipFile(io.BytesIO(deck)) as archive:
        return "\n".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist()
                         if name.endswith((".xml", ".rels")))


def test_the_deck_opens_again_in_16_9_with_the_title_slides_facts(compared):
    _, deck, _ = compared
    presentation = opened(deck)
    assert round(presentation.slide_width / presentation.slide_height, 2) == round(16 / 9, 2)
    title = slide_texts(deck)[0]
    for words in ("Compare lanes: Dresses", "Built-in simulator", "Hostile catalog", "2 lanes of the category Dresses",
                  "29 Nov 2026, 18:25 UTC"):
        assert words in title


def test_every_chart_has_a_slide_with_its_picture_and_reading(compared):
    handover, deck, _ = compared
    charted = [section for section in handover.sections if section.chart is not None]
    assert len(charted) == 7  # bump chart, who moved, four heatmaps, why
    assert charted[1].heading == "Who moved: s1 against Native order"
    assert charted[1].readings[0].startswith(("Of the ", "The ")) and "Moved up: " in charted[1].readings[1]
    pictured = {}
    for slide, text in zip(opened(deck).slides, slide_texts(deck), strict=True):
        if any(shape.shape_type == MSO_SHAPE_TYPE.PICTURE for shape in slide.shapes):
            pictured[text.split("\n")[0]] = text
    for section in charted:
        assert section.heading in pictured
        assert section.readings[0].split(":")[0] in pictured[section.heading]


def test_the_lanes_top_k_are_card_slides_with_names_prices_and_stock(compared):
    _, deck, _ = compared
    cards = [text for text in slide_texts(deck) if "top 5" in text.split("\n")[0] and "#1" in text]
    assert len(cards) == 1  # a row of five cards a lane: the two lanes on one slide, one above the other
    assert cards[0].startswith("Native order: top 5\n") and "\ns1: top 5\n" in cards[0]
    native = cards[0].split("\ns1: top 5\n")[0]
    assert "Vestido Aurora 01" in native and "R$ 101,90" in native and "low stock" in native
    assert "no picture" in native  # the remote picture is a placeholder box, never fetched


def test_nothing_in_the_deck_or_report_holds_the_token_or_the_e_mail(compared, comparison):
    handover, deck, report = compared
    for text in (everything(deck), report):
        assert TOKEN not in text and EMAIL not in text
        assert "[app token]" in text and "[personal data]" in text  # the hostile product, named
    for section in handover.sections:
        if section.chart is not None:  # what the pictures are drawn from
            spec = str(chart_spec(section.chart))
            assert TOKEN not in spec and EMAIL not in spec


def test_the_report_is_one_file_with_inline_pictures_and_escaped_names(compared):
    _, _, report = compared
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:|//)""", report, re.I)
    assert "<script" not in report.lower() and "&lt;script&gt;" in report
    sources = re.findall(r'src="([^"]*)"', report)
    assert sources and all(source.startswith("data:image/") for source in sources)
    assert sum(source.startswith("data:image/png;base64,iVBOR") for source in sources) >= 7  # charts + one card
    assert "Vestido Aurora 01" in report and "https://cdn.example.com" not in report
    assert "<link" not in report and "@import" not in report and "url(" not in report


def test_a_card_keeps_only_inline_pictures():
    assert inline_picture(PNG) == PNG
    for value in ("https://cdn.example.com/a.jpg", "file:///etc/passwd", "/srv/img.png", "data:text/html,<b>",
                  None, float("nan")):
        assert inline_picture(value) is None
    frame = pd.DataFrame({"product_id": ["1", "2"], "name": ["A", None], "in_catalog": [True, False],
                          "price": [10.0, math.nan], "stock": [9, None], "image_url": [PNG, "https://x.example/a.png"]})
    first, second = cards_from_frame(frame, currency="$")
    assert (first.name, first.price, first.stock, first.rank, first.image) == ("A", "$10.00", "in stock", 1, PNG)
    assert (second.name, second.stock, second.image) == ("Unknown product 2", "not in catalog", None)


def test_the_sample_catalogs_svg_pictures_are_pictures_in_the_deck_and_the_report():
    products = load_catalog(SAMPLE_CATALOG_PATH).products.head(CARDS_PER_SLIDE).reset_index()
    assert products["image_url"].str.startswith("data:image/svg+xml").all()
    cards = cards_from_frame(products)
    assert all(card.image and card.image.startswith("data:image/png;base64,iVBOR") for card in cards)
    handover = Handover("Storefront", "The sample catalog's first products", WHEN, sections=(
        Section("The storefront", ("Ten products.",), cards=cards),), **FACTS)
    deck = deck_bytes(handover)
    slides = [slide for slide, text in zip(opened(deck).slides, slide_texts(deck), strict=True) if text.startswith("The storefront")]
    assert sum(shape.shape_type == MSO_SHAPE_TYPE.PICTURE for slide in slides for shape in slide.shapes) == len(cards)
    assert "no picture" not in everything(deck)
    report = report_html(handover)
    assert report.count('src="data:image/png;base64,iVBOR') == len(cards) and "no picture" not in report


def test_scrub_takes_the_token_and_any_e_mail_out():
    assert scrub(f"a {TOKEN} b\n{EMAIL}") == "a [app token] b [personal data]"


def test_long_readings_and_grids_go_on_over_more_slides():
    cards = cards_from_frame(pd.DataFrame({"product_id": [str(n) for n in range(23)],
                                           "name": [f"P{n}" for n in range(23)]}), limit=30)
    handover = Handover("T", "S", WHEN, "b", "c", (Section("Many words", tuple(f"line {n}" for n in range(11))),
                                                   Section("Grid", cards=cards)))
    texts = slide_texts(deck_bytes(handover))
    assert len(texts) == 1 + 2 + math.ceil(23 / CARDS_PER_SLIDE)
    assert "line 10" in texts[2] and "P22" in texts[-1]


def test_a_walk_hands_over_its_calls_and_its_category_page(catalog, client):
    preview = preview_storefront(client, catalog, "walker", "Dresses")
    entry = answered((), EventType.CATEGORY_VIEW, "Dresses", preview.products["product_id"], elapsed=0.02,
                     snapshot=None, at=WHEN)
    walk = Walk.start("walker").went(CATEGORY, [entry], category=category_page(preview, None,
                                                                                catalog.category_ids("Dresses")))
    handover = walk_handover(walk, made_at=WHEN, **FACTS)
    deck, report = deck_bytes(handover), report_html(handover)
    assert "session walker" in slide_texts(deck)[0]
    assert any("18:25:00 UTC · Category page: Dresses" in text for text in slide_texts(deck))
    for text in (everything(deck), report):
        assert "Vestido Aurora 01" in text and TOKEN not in text and EMAIL not in text


def test_the_bump_chart_is_followed_by_its_key_in_the_deck_and_the_report(compared, comparison):
    handover, deck, report = compared
    headings = [section.heading for section in handover.sections]
    bump = headings.index("How the top 5 reshuffles across lanes")
    key = handover.sections[bump + 1]
    assert key.heading == KEY_HEADING and key.chart is None
    table = charts.bump_key(comparison.rank_long, k=5, lane_order=["Native order", "s1"], info=comparison.info)
    assert key.readings == charts.key_lines(table) and len(table) >= 5
    said = " · ".join(key.readings)
    for letter, product_id in zip(table["key"], table["product_id"], strict=True):  # every letter drawn is named
        assert f"{letter}: " in said and product_id in said
    assert KEY_HEADING in everything(deck) and scrub(key.readings[0]) in everything(deck)
    assert "Key to the chart above" in report


JARGON = re.compile(r"customShelf|productView|salesRanking|categoryView|shopTheLook|first answer|"
                    r"Product page:? \d|\(similar\)|custom shelf")
"""The API's names, and ids where a product's name belongs: never in a handout (only in the request inspector)."""


def test_a_walk_hands_over_what_the_shopper_saw_in_plain_words(catalog, client):
    walk = whole_walk(catalog, client)
    handover = walk_handover(walk, catalog_data=catalog, made_at=WHEN, **FACTS)
    deck, report = deck_bytes(handover), report_html(handover)
    for text in ("\n".join(slide_texts(deck)), report):
        assert not JARGON.search(text), JARGON.search(text)
    name = catalog.products.loc["000003", "name"]
    calls = handover.sections[0].readings
    assert [line.split(" · ")[1].split(":")[0] for line in calls] == [
        "Home shelf", "Collection", "Best sellers", "Category page", "Product page", "Similar products",
        "Shop the look"]
    assert f"Product page: {name}: " in calls[4] and "first visit" in calls[0]
    headings = [section.heading for section in handover.sections]
    assert f"Home: {walk.home.collection.slice.collection_name}" in headings  # the collection's slice is there
    assert f"Product page: {name}" in headings
    similar = [section for section in handover.sections if "imilar" in section.heading]
    assert len(similar) == 2 and all(section.readings for section in similar)  # each says why it is there


def test_a_journey_hands_over_its_drift_chart_steps_and_last_storefront(catalog, client):
    journey = Journey(f"Hostile {EMAIL}", "", "Dresses", (Step(EventType.PRODUCT_VIEW, "000003"),
                                                          Step(EventType.CATEGORY_VIEW, "Dresses")))
    run = run_journey(client, journey, session_id="journeyer", native=catalog.category_ids("Dresses"))
    handover = journey_handover(run, k=5, catalog_data=catalog, made_at=WHEN, **FACTS)
    deck, report = deck_bytes(handover), report_html(handover)
    texts = slide_texts(deck)
    assert "Journey: Hostile [personal data]" in texts[0]
    assert any(text.startswith("How the top 5 drifts") for text in texts)
    assert any(text.startswith(KEY_HEADING) for text in texts)  # the drift chart's letters named
    assert any("Step 2:" in text for text in texts)
    for text in (everything(deck), report):
        assert EMAIL not in text and TOKEN not in text
    assert report.count('class="card"') == 5


def test_an_audit_run_hands_over_its_measures_in_words_and_a_chart_a_main_measure():
    handover = audit_handover()
    deck, report = deck_bytes(handover), report_html(handover)
    texts = slide_texts(deck)
    assert "Audit: Weekly [personal data]" in texts[0] and "Built-in simulator" in texts[0] and "Sample catalog" in texts[0]
    assert any("Personalization: 55%" in text for text in texts)
    assert [section.heading for section in handover.sections if section.chart is not None] == [
        "Personalization", "Out of stock shown"]
    for text in (everything(deck), report):
        assert EMAIL not in text and TOKEN not in text


def test_an_audit_measure_not_measured_is_a_line_not_an_empty_chart(tmp_path):
    # issue 21, item 4: a catalog without stock made a whole slide charting "0%" out of stock
    from fashionai.audit.model import Answer, Purpose
    from fashionai.audit.scorecard import score_run

    path = tmp_path / "nostock.csv"
    path.write_text("id,name,category,price,color\n1,Boot,Shoes,10,red\n2,Heel,Shoes,30,blue\n3,Flat,Shoes,40,red\n",
                    encoding="utf-8")
    answers = [Answer(shopper=n, shopper_key=key, shopper_label=key, session_id=None, user_id=None, twin_of=None,
                      step=0, event_type=EventType.CATEGORY_VIEW, item_id="Shoes", category="Shoes",
                      purpose=Purpose.MEASURE, products=products, elapsed=0.1, ok=True)
               for n, (key, products) in enumerate((("a", ("1", "2")), ("b", ("3", "2"))))]
    card = score_run(answers, load_catalog(path), k=2)
    run = AuditRun("a" * 32, "Weekly", "{}", "simulator", "f" * 16, "No stock", WHEN, WHEN, "done", 2, 2)
    handover = scorecard_handover(run, card)
    headings = [section.heading for section in handover.sections]
    assert "Out of stock shown" not in headings and "Stability" not in headings and "Personalization" in headings
    line = "Out of stock shown: not measured, because the catalog has no stock column."
    assert line in handover.sections[0].readings
    deck, report = deck_bytes(handover), report_html(handover)
    assert any(line in text for text in slide_texts(deck)) and line in report


def test_measures_not_measured_for_one_reason_share_one_line(tmp_path):
    """A run that sent no search had six lines "...: not measured, because the run sent no search." on its deck's
    scorecard slides: measures not measured for the same reason are said in one line, after the measured ones."""
    from fashionai.audit.model import Answer, Purpose
    from fashionai.audit.scorecard import score_run

    catalog = load_catalog(b"id,name,category,price,stock\n1,Boot,Shoes,10,3\n2,Heel,Shoes,30,0\n3,Flat,Shoes,40,5\n")
    answers = [Answer(shopper=n, shopper_key=key, shopper_label=key, session_id=None, user_id=None, twin_of=None,
                      step=0, event_type=EventType.CATEGORY_VIEW, item_id="Shoes", category="Shoes",
                      purpose=Purpose.MEASURE, products=products, elapsed=0.1, ok=True)
               for n, (key, products) in enumerate((("a", ("1", "2")), ("b", ("3", "2"))))]
    card = score_run(answers, catalog, k=2)
    searches = [key for key, why in card.not_measured.items() if why == "the run sent no search"]
    assert len(searches) >= 5
    readings = scorecard_handover(AuditRun("a" * 32, "Weekly", "{}", "simulator", "f" * 16, "Shoes", WHEN, WHEN,
                                           "done", 2, 2), card).sections[0].readings
    [line] = [line for line in readings if "the run sent no search" in line]
    assert line.startswith("Search relevance (nDCG), ") and line.endswith(": not measured, because the run sent no "
                                                                         "search.")
    measured = [index for index, line in enumerate(readings) if ": not measured, because" not in line]
    assert measured == list(range(len(measured)))  # the measured first
