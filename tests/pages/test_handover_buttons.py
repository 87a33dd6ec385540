"""The deck and the report on the four pages that hand over (compare, shopper walk, journey, audit): both buttons
are there once a result is, and showing them builds no file and sends no call (the files are made on a click)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from fashionai.ui import handover_widgets
from tests.apptest_helpers import button, open_page
from tests.pages.audit_pages import small_plan, start

LABELS = ["Download a deck", "Download a report"]


@pytest.fixture(autouse=True)
def made_only_on_a_click(monkeypatch):
    """A file built while the page is drawn (not on a click) fails the page."""
    def refuse(handover):
        raise AssertionError("a handover file was built without a click")

    monkeypatch.setattr(handover_widgets, "deck_bytes", refuse)
    monkeypatch.setattr(handover_widgets, "report_html", refuse)


def handover_labels(at: AppTest) -> list[str]:
    return [b.proto.label for b in at.get("download_button") if b.proto.label in LABELS]


def rerun_sends_nothing(at: AppTest, store) -> None:
    before = store.count()
    at.run()
    assert not at.exception
    assert handover_labels(at) == LABELS
    assert store.count() == before


def test_the_compare_page_offers_a_deck_and_a_report_of_its_comparison(app, store):
    open_page(app, "pages/compare.py")
    assert handover_labels(app) == []
    button(app, "Compare lanes").click().run()
    assert not app.exception and handover_labels(app) == LABELS
    rerun_sends_nothing(app, store)


def test_the_shopper_walk_offers_them_once_it_has_a_trail(app, store):
    open_page(app, "pages/walk.py")
    assert handover_labels(app) == []
    button(app, "Open the home page").click().run()
    assert not app.exception and handover_labels(app) == LABELS
    rerun_sends_nothing(app, store)


def test_a_journey_run_offers_them(app, store):
    open_page(app, "pages/journey.py")
    assert handover_labels(app) == []
    button(app, "Run journey").click().run()
    assert not app.exception and handover_labels(app) == LABELS
    rerun_sends_nothing(app, store)


def test_an_audit_runs_scorecard_offers_them_beside_its_export(app, store):
    open_page(app, "pages/audit.py")
    small_plan(app, personas=2, categories=("Dresses",))
    start(app)
    assert not app.exception and handover_labels(app) == LABELS
    rerun_sends_nothing(app, store)


def test_the_files_fetch_pictures_only_from_the_hosts_the_deployment_allows(monkeypatch):
    from fashionai.output.handover import Card, Handover, Section, now
    from fashionai.ui import resources

    asked = []
    monkeypatch.setattr(resources, "read_secrets", dict)
    monkeypatch.setattr(handover_widgets, "with_fetched_pictures",
                        lambda handover, policy: asked.append(policy.hosts) or handover)
    handover = Handover("Compare", "lanes", now(), "Built-in simulator", "Sample",
                        (Section("Top", cards=(Card("Dress", address="https://img.store.example/a.jpg"),)),))
    monkeypatch.delenv("FASHIONAI_IMAGE_HOSTS", raising=False)
    handover_widgets.with_pictures(handover)
    monkeypatch.setenv("FASHIONAI_IMAGE_HOSTS", "img.store.example")
    handover_widgets.with_pictures(handover)
    assert asked == [(), ("img.store.example",)]
    monkeypatch.setenv("FASHIONAI_IMAGE_HOSTS", "https://img.store.example/")
    assert "FASHIONAI_IMAGE_HOSTS" in handover_widgets.with_pictures(handover).notes[0]
    assert len(asked) == 2
