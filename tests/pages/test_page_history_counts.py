"""The history page counts in agreement: '1 snapshot added', '1 was already in the history' (issue 10, item 17)."""

from __future__ import annotations

from fashionai.history import snapshots_to_json
from fashionai.storefront.preview import look_from_snapshot
from tests.pages.history_pages import open_history, snap, texts, uploader


def test_one_snapshot_is_counted_in_the_singular(studio, store, catalog):
    kept = store.record(snap(catalog, session_id="here"))
    incoming = [kept, snap(catalog, session_id="from-elsewhere")]
    at = open_history(studio)
    assert "1 snapshot matches" in texts(at, "caption")
    uploader(at).set_value(("export.json", snapshots_to_json(incoming).encode(), "application/json"))
    at.run()
    assert not at.exception
    message = texts(at, "success")
    assert "1 snapshot added" in message and "1 was already in the history" in message
    assert "2 snapshots match" in texts(at, "caption")


def test_a_saved_look_of_one_piece_says_it_in_the_singular(studio, store, catalog):
    main, piece = list(catalog.products.index[:2])
    saved = store.record(snap(catalog, event_type="shopTheLook", item_id=main, products=(piece,)))
    assert look_from_snapshot(saved, catalog).button_visible(unknown_in_stock=False)  # the piece has stock
    at = open_history(studio)
    at.multiselect(key="history_selected").set_value([saved.id]).run()
    assert not at.exception
    assert "1 of 1 suggested piece has stock" in texts(at, "caption")  # not "1 of 1 suggested pieces have"
