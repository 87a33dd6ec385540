"""The history page under AppTest: naming a snapshot, labels and lanes that tell snapshots apart, the list's
product names, the picker's limit of two, and answers to different questions said before the measures."""

from __future__ import annotations

from datetime import timedelta

from tests.pages.history_pages import NOW, open_history, snap, texts


def _pick(at, ids):
    at.multiselect(key="history_selected").set_value(list(ids)).run()
    assert not at.exception
    return at


def test_an_opened_snapshot_can_be_named_and_the_name_shows_in_the_list_and_picker(studio, store, catalog):
    saved = store.record(snap(catalog))
    at = _pick(open_history(studio), [saved.id])
    at.text_input(key=f"history_name_{saved.id}").set_value("before the winter campaign").run()
    [save] = [b for b in at.button if b.label == "Save the name"]
    save.click().run()
    assert not at.exception
    assert store.names([saved.id]) == {saved.id: "before the winter campaign"}
    assert "“before the winter campaign”" in texts(at, "subheader")
    assert at.dataframe[0].value["name"].tolist() == ["before the winter campaign"]
    picker = at.multiselect(key="history_selected")
    assert picker.format_func(saved.id).startswith("“before the winter campaign” · ")


def test_the_list_shows_product_names_beside_ids(studio, store, catalog):
    saved = store.record(snap(catalog))
    at = open_history(studio)
    first = saved.products[0]
    assert at.dataframe[0].value["first_products"][0].startswith(f"{catalog.products.at[first, 'name']} ({first})")


def test_a_third_pick_is_refused_with_a_message(studio, store, catalog):
    picks = [store.record(snap(catalog, recorded_at=NOW - timedelta(minutes=m))) for m in range(3)]
    at = _pick(open_history(studio), [s.id for s in picks])
    assert at.multiselect(key="history_selected").value == [picks[0].id, picks[1].id]
    assert "Only two snapshots can be chosen" in texts(at, "warning").replace("\\", "")
    assert "Two snapshots compared" in texts(at, "subheader")


def test_different_questions_are_said_before_the_measures_and_lanes_differ(studio, store, catalog):
    session = "studio-journey-0123456789abcdef"
    view = store.record(snap(catalog, session_id=session, recorded_at=NOW - timedelta(seconds=12)))
    look = store.record(snap(catalog, session_id=session, event_type="shopTheLook", item_id=view.products[0]))
    at = _pick(open_history(studio), [view.id, look.id])
    warning = texts(at, "warning").replace("\\", "")
    assert (f"These are answers to different questions: categoryView {view.item_id} and shopTheLook "
            f"{look.item_id}; the measures below compare their product lists only") in warning.replace("**", "")
    labels = at.selectbox(key="history_reference").options
    assert labels[0].startswith("A · ") and labels[1].startswith("B · ") and labels[0] != labels[1]
    assert f"{NOW - timedelta(seconds=12):%H:%M:%S} categoryView" in labels[0]
