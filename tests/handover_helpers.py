"""What the handover's tests share: a hostile catalog with the simulator behind it, a comparison handed over,
a whole walk, an audit run's handover, and a look inside a deck.

The fixtures made of these (the catalog, its client, a comparison and its handover) are in
tests/unit/output/conftest.py.
"""

from __future__ import annotations

import io
import itertools
import math
from dataclasses import replace
from datetime import UTC, datetime

import pandas as pd
from pptx import Presentation

from fashionai.audit.handover import scorecard_handover
from fashionai.audit.model import AuditRun
from fashionai.audit.scorecard import MEASURE_KEYS, ROW_COLUMNS, Scorecard
from fashionai.catalog import join_ranking
from fashionai.domain import EventType
from fashionai.output.handover import Handover
from fashionai.storefront.preview import preview_look, preview_storefront
from fashionai.walk.steps import CATEGORY, HOME, PRODUCT, HomePage, Walk, category_page, product_page, with_similar
from fashionai.walk.trail import answered

TOKEN = "tok-SECRET-9f8e7d6c5b4a"
EMAIL = "ana.silva@example.com"
HOSTILE = f"<script>alert(1)</script> Vestido {EMAIL} {TOKEN}"
PNG = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAAB"
       "JRU5ErkJggg==")
NAMES = [f"Vestido Aurora {n:02d}" for n in range(1, 12)]
WHEN = datetime(2026, 11, 29, 18, 25, tzinfo=UTC)
_WALKS = itertools.count(1)
SIMULATOR_DAY = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
"""The simulator's clock (its collections' slices): a fixed day, so a deck's slides are the same on every run (with
today's, the walk deck's rows changed with the date). On this day the walk deck's rows come out odd, its last a look
of one card, which a deck used to leave alone on a slide."""
FACTS = {"backend": "Built-in simulator", "catalog": "Hostile catalog"}


def opened(deck: bytes):
    return Presentation(io.BytesIO(deck))


def slide_texts(deck: bytes) -> list[str]:
    return ["\n".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)
            for slide in opened(deck).slides]


def whole_walk(catalog, client, session: str | None = None) -> Walk:
    """Home (shelf, collection, best sellers), the Dresses page, then a product page with both rows of similar
    products and its look: every call a walk sends, through the simulator. Each walk is a new session unless named:
    the module's simulator remembers a session's events, so a walk repeated on one session would see other answers
    (and a deck of other slides) from one test to the next."""
    session = session or f"walker-{next(_WALKS)}"
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
