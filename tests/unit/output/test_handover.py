"""The deck and the report handed over: a hostile catalog (markup, the app token and an e-mail in a product's name,
a remote picture), a comparison, a walk, a journey and an audit scorecard, each as a .pptx and an .html file."""

from __future__ import annotations

import io
import math
import re
import zipfile
from dataclasses import replace
from datetime import UTC, datetime

import pandas as pd
import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from fashionai.api import redaction
from fashionai.api.client import FashionAIClient
from fashionai.audit.model import AuditRun
from fashionai.audit.scorecard import MEASURE_KEYS, ROW_COLUMNS, Scorecard
from fashionai.catalog import join_ranking, load_catalog
from fashionai.catalog.sample import SAMPLE_CATALOG_PATH
from fashionai.comparison import Comparison
from fashionai.domain import EventType
from fashionai.handover_views import (
    KEY_HEADING,
    comparison_handover,
    journey_handover,
    scorecard_handover,
    walk_handover,
)
from fashionai.journey import Journey, Step
from fashionai.journey_run import run_journey
from fashionai.lanes import answered_lane, native_lane, session_lane
from fashionai.output import charts
from fashionai.output.chart_images import chart_spec
from fashionai.output.deck import CARDS_PER_SLIDE, deck_bytes
from fashionai.output.handover import Handover, Section, cards_from_frame, scrub
from fashionai.output.pictures import inline_picture
from fashionai.output.report import report_html
from fashionai.preview import preview_look, preview_storefront
from fashionai.simulator import Simulator, SimulatorTransport
from fashionai.walk import CATEGORY, HOME, PRODUCT, HomePage, Walk, category_page, product_page, with_similar
from fashionai.walk_trail import answered

TOKEN = "tok-SECRET-9f8e7d6c5b4a"
EMAIL = "ana.silva@example.com"
HOSTILE = f"<script>alert(1)</script> Vestido {EMAIL} {TOKEN}"
PNG = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAAB"
       "JRU5ErkJggg==")
NAMES = [f"Vestido Aurora {n:02d}" for n in range(1, 12)]
WHEN = datetime(2026, 11, 29, 18, 25, tzinfo=UTC)
FACTS = {"backend": "Built-in simulator", "catalog": "Hostile catalog"}


@pytest.fixture(scope="module")
def catalog(tmp_path_factory):
    rows = ["product_id,name,category,color,style,brand,price,stock,image_url"]
    for number, name in enumerate(NAMES, start=1):
        image = {1: PNG, 2: "https://cdn.example.com/2.jpg"}.get(number, "")
        rows.append(f'{number:06d},"{name}",Dresses,{"Red" if number % 2 else "Blue"},casual,Noite,'
                    f'{100 + number}.90,{number % 4},"{image}"')
    rows.append(f'000099,"{HOSTILE}",Dresses,Red,office,Noite,99.90,5,')
    path = tmp_path_factory.mktemp("handover") / "hostile.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    redaction.protect(TOKEN)
    return load_catalog(path)


@pytest.fixture(scope="module")
def client(catalog):
    return FashionAIClient("t", base_url="http://sim.invalid/api/v1",
                           transport=SimulatorTransport(Simulator(catalog.products)))


def opened(deck: bytes):
    return Presentation(io.BytesIO(deck))


def slide_texts(deck: bytes) -> list[str]:
    return ["\n".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)
            for slide in opened(deck).slides]


def everything(deck: bytes) -> str:
    """Every XML part of the .pptx as text (slides, notes, properties)."""
    with zipfile.ZipFile(io.BytesIO(deck)) as archive:
        return "\n".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist()
                         if name.endswith((".xml", ".rels")))


@pytest.fixture(scope="module")
def comparison(catalog):
    native = catalog.category_ids("Dresses")
    hostile_first = ("000099", *[pid for pid in reversed(native) if pid != "000099"])
    lanes = [answered_lane(native_lane(), None, native, catalog),
             answered_lane(session_lane("s1"), hostile_first, native, catalog)]
    return Comparison.of("Dresses", lanes, native, catalog, k=5)


@pytest.fixture(scope="module")
def compared(comparison):
    handover = comparison_handover(comparison, reference="Native order", others=["Native order", "s1"], other="s1",
                                   made_at=WHEN, **FACTS)
    return handover, deck_bytes(handover), report_html(handover)


def test_the_deck_opens_again_in_16_9_with_the_title_slides_facts(compared):
    handover, deck, _ = compared
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
    for slide, text in zip(opened(deck).slides, slide_texts(deck)):
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
    slides = [slide for slide, text in zip(opened(deck).slides, slide_texts(deck)) if text.startswith("The storefront")]
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
    for letter, product_id in zip(table["key"], table["product_id"]):  # every letter drawn is named
        assert f"{letter}: " in said and product_id in said
    assert KEY_HEADING in everything(deck) and scrub(key.readings[0]) in everything(deck)
    assert "Key to the chart above" in report


JARGON = re.compile(r"customShelf|productView|salesRanking|categoryView|shopTheLook|first answer|"
                    r"Product page:? \d|\(similar\)|custom shelf")
"""The API's names, and ids where a product's name belongs: never in a handout (only in the request inspector)."""


def whole_walk(catalog, client, session: str = "walker") -> Walk:
    """Home (shelf, collection, best sellers), the Dresses page, then a product page with both rows of similar
    products and its look: every call a walk sends, through the simulator."""
    def logged(walk, event, item, answer):
        products = answer.slice.product_ids if event == EventType.COLLECTION else answer.products
        return answered(walk.trail, event, item, products, elapsed=0.01, snapshot=None, at=WHEN)

    walk = Walk.start(session)
    shelf, best, collection = client.custom_shelf(session), client.sales_ranking(), client.collection("1")
    walk = walk.went(HOME, [logged(walk, EventType.CUSTOM_SHELF, "", shelf)])
    walk = walk.went(HOME, [logged(walk, EventType.COLLECTION, "1", collection)])
    walk = walk.went(HOME, [logged(walk, EventType.SALES_RANKING, "", best)], home=HomePage(
        shelf, join_ranking(catalog, shelf.products), collection, best, join_ranking(catalog, best.products)))
    preview = preview_storefront(client, catalog, session, "Dresses")
    walk = walk.went(CATEGORY, [answered(walk.trail, EventType.CATEGORY_VIEW, "Dresses",
                                         preview.products["product_id"], elapsed=0.01, snapshot=None, at=WHEN)],
                     category=category_page(preview, None, catalog.category_ids("Dresses")))
    view = client.product_view(session, "000003")
    walk = walk.went(PRODUCT, [logged(walk, EventType.PRODUCT_VIEW, "000003", view)],
                     product=product_page(catalog, "000003", view))
    similar = client.similar(session, "000003", limit=4)
    walk = walk.went(PRODUCT, [logged(walk, EventType.SIMILAR, "000003", similar)],
                     product=with_similar(walk.product, catalog, similar))
    look = preview_look(client, catalog, session, "000003")
    return walk.went(PRODUCT, [logged(walk, EventType.SHOP_THE_LOOK, "000003", look.recommendation)],
                     product=replace(walk.product, look=look))


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


def audit_handover() -> Handover:
    """An audit run's handover: two categories (one named with the token) and the overall row."""
    rows = [{"placement": EventType.CATEGORY_VIEW, "category": category, "personalization": value,
             "out_of_stock": 0.1} for category, value in (("Dresses", 0.7), (f"Shoes {TOKEN}", 0.4))]
    rows.append({"placement": "overall", "category": "", "personalization": 0.55, "out_of_stock": 0.1})
    frame = pd.DataFrame([{"shoppers": 5, "calls": 5, **dict.fromkeys(MEASURE_KEYS, math.nan), **row} for row in rows],
                         columns=list(ROW_COLUMNS))
    frame[list(MEASURE_KEYS)] = frame[list(MEASURE_KEYS)].astype("float64")
    card = Scorecard(k=10, rows=frame, bias=pd.DataFrame(columns=["placement", "category", "attribute", "value",
                                                                  "share_shown", "share_category", "lift"]))
    run = AuditRun("a" * 32, f"Weekly {EMAIL}", "{}", "simulator", "f" * 16, "Sample catalog", WHEN, WHEN, "done",
                   40, 40)
    return scorecard_handover(run, card)


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
