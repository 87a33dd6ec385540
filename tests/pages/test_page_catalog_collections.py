"""AppTest of the Catalog page's Collections tab: pick a collection, fetch its active slice, see it.

The first tests replace the client's `collection` with a fake (so they run before and after the
client's own exists); the last ones use the simulator's sample collections through the real client.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import pytest

from fashionai.api.client import FashionAIClient
from fashionai.api.collections import CollectionSlice, SliceProduct
from fashionai.api.errors import ServerError
from tests.apptest_helpers import button, metrics, open_page, texts

PAGE = "pages/catalog.py"
PICKER = "catalog_collection_id"
FETCH = "Fetch the active slice"
NOW = datetime.now(timezone.utc)
# Sample catalog ids: 000814 (stock 2), 000892 (45), 002572 (stock 0); "gone-1" is in no catalog.
SLICE = CollectionSlice(
    collection_id="4", collection_name="Street & Sport", description="Everything sporty and street.",
    slice_id="40", slice_name="Full Range", starts_at=NOW - timedelta(days=5), ends_at=NOW + timedelta(days=9, hours=1),
    products=(SliceProduct("000892", 1, True), SliceProduct("gone-1", 2, True), SliceProduct("002572", 3, False),
              SliceProduct("000814", 4, True), SliceProduct("000892", 5, True)),
)


@dataclass(frozen=True)
class Answer:
    """The parts of a CollectionAnswer the panel reads."""

    collection_id: str
    slice: CollectionSlice | None
    elapsed: float = 0.012


class Fake:
    def __init__(self):
        self.calls = []
        self.failing = False

    def collection(self, collection_id):
        self.calls.append(collection_id)
        if self.failing:
            raise ServerError("Fashion.AI failed (HTTP 500). Try again in a moment.", status_code=500)
        return Answer(collection_id, SLICE if collection_id == "4" else None)


@pytest.fixture
def fake(monkeypatch):
    held = Fake()
    monkeypatch.setattr(FashionAIClient, "collection", lambda client, collection_id: held.collection(collection_id),
                        raising=False)
    return held


def fetch(app, collection_id):
    app.selectbox(key=PICKER).set_value(collection_id).run()
    button(app, FETCH).click().run()
    assert not app.exception
    return app


def cards(app) -> list[tuple[int, str]]:
    """(position, product id) of every card drawn, in order."""
    found = []
    for caption in app.caption:
        if match := re.match(r"#(\d+) · .* · id (.+)$", caption.value):
            found.append((int(match[1]), match[2].replace("\\", "")))
    return found


def marks(app) -> list[str]:
    return [caption.value for caption in app.caption if caption.value.startswith(":material/warning:")]


def test_nothing_is_fetched_before_the_button(app, fake):
    open_page(app, PAGE)
    assert "Pick a collection and press **Fetch the active slice**" in texts(app.main)
    app.selectbox(key=PICKER).set_value("4").run()
    assert fake.calls == []


def test_an_active_slice_shows_its_products_in_position_order_with_their_marks(app, fake):
    fetch(open_page(app, PAGE), "4")
    assert fake.calls == ["4"]
    assert cards(app) == [(1, "000892"), (2, "gone-1"), (3, "002572"), (4, "000814"), (5, "000892")]
    assert marks(app) == [":material/warning: listed 2 times",
                          ":material/warning: not in your catalog",
                          ":material/warning: inactive: fails the slice's filters · out of stock",
                          ":material/warning: listed 2 times"]
    figures = metrics(app)
    assert {label: figures[label] for label in ("Products listed", "Inactive", "Out of stock", "Not in your catalog",
                                                "Listed more than once")} == {
        "Products listed": "5", "Inactive": "1", "Out of stock": "1", "Not in your catalog": "1",
        "Listed more than once": "1"}
    text = texts(app.main)
    assert "**10 days left**" in text
    # issue 21, item 23: "active slice Tailoring Week (21)" read as if 21 were part of its name
    assert ("**Street & Sport** (collection id `4`) · active slice **Full Range** (slice id `40`)"
            in text.replace("\\", ""))
    app.run()
    assert fake.calls == ["4"]  # a rerun shows the kept answer


def test_a_collection_with_no_active_slice_says_so_plainly(app, fake):
    fetch(open_page(app, PAGE), "3")
    infos = " ".join(info.value for info in app.info)
    assert "No slice of collection `3` is active now" in infos
    assert not app.error
    assert cards(app) == []


def test_a_failure_keeps_the_slice_on_screen(app, fake):
    fetch(open_page(app, PAGE), "4")
    fake.failing = True
    fetch(app, "4")
    assert "HTTP 500" in app.error[0].value
    assert len(cards(app)) == 5


def test_the_sample_collections_are_offered_by_name(app, fake):
    open_page(app, PAGE)
    picker = app.selectbox(key=PICKER)
    assert picker.options[:4] == ["1 · Winter Collection", "2 · Office Edit", "3 · Summer Preview",
                                  "4 · Street & Sport"]




def test_the_simulators_collection_with_no_active_slice(app):
    fetch(open_page(app, PAGE), "3")
    assert "No slice of collection `3` is active now" in " ".join(info.value for info in app.info)
    assert not app.error


def test_the_simulators_long_slice_marks_its_oddities_and_is_saved_in_the_history(app, store):
    before = store.count()
    fetch(open_page(app, PAGE), "4")
    assert not app.error
    positions = [position for position, _ in cards(app)]
    assert positions == sorted(positions) and positions
    figures = metrics(app)
    assert int(figures["Not in your catalog"]) >= 1
    assert int(figures["Listed more than once"]) >= 1
    assert store.count() == before + 1  # the fetch is a snapshot: the history shows when the slice changed


def test_live_the_collection_id_is_typed(app, fake, fake_api):
    open_page(app, PAGE)
    assert not [box for box in app.selectbox if box.key == PICKER]
    app.text_input(key=PICKER).set_value(" 12 ").run()
    button(app, FETCH).click().run()
    assert not app.exception
    assert fake.calls == ["12"]
    assert "No slice of collection `12` is active now" in " ".join(info.value for info in app.info)
    assert fake_api.requests == []  # the page made no other call (the fake collection answered)
