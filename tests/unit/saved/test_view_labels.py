"""Labels that tell snapshots apart (a name, the time to the second, the question, the whole session), lanes of
two snapshots that differ from their first characters, a list's first products with their names, and the
picker's limit in words."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from fashionai.catalog import load_catalog
from fashionai.catalog.sample import SAMPLE_CATALOG_PATH
from fashionai.history import snapshots_frame
from fashionai.history.model import first_products_text
from fashionai.saved.view import compare_two, lane_labels, pick_limit_message, snapshot_label
from tests.history_helpers import snap

MOMENT = datetime(2026, 11, 29, 10, 24, 51, tzinfo=timezone.utc)
SESSION = "studio-journey-1a2b3c4d5e6f-with-a-long-tail"


def test_a_label_holds_the_time_to_the_second_the_question_and_the_whole_session():
    label = snapshot_label(snap(recorded_at=MOMENT, session_id=SESSION, item_id="Dresses"))
    assert label == f"2026-11-29 10:24:51 UTC · categoryView Dresses · {SESSION}"


def test_a_named_snapshot_is_labelled_by_its_name_first():
    assert snapshot_label(snap(recorded_at=MOMENT), "before the winter campaign").startswith(
        "“before the winter campaign” · 2026-11-29 10:24:51 UTC")


def test_two_snapshots_of_one_journey_get_lanes_that_differ_from_their_start():
    look = snap(recorded_at=MOMENT, session_id=SESSION, event_type="shopTheLook", item_id="000814")
    view = snap(recorded_at=MOMENT + timedelta(seconds=12), session_id=SESSION, item_id="Dresses")
    assert lane_labels([look, view]) == ["A · 10:24:51 shopTheLook 000814", "B · 10:25:03 categoryView Dresses"]
    assert lane_labels([look, view], {view.id: "after the campaign"})[1] == "B · after the campaign"


def test_lanes_of_two_days_carry_the_day():
    first, second = snap(recorded_at=MOMENT - timedelta(days=1)), snap(recorded_at=MOMENT)
    assert lane_labels([first, second]) == ["A · 2026-11-28 10:24:51 categoryView dresses",
                                            "B · 2026-11-29 10:24:51 categoryView dresses"]


def test_the_comparison_of_two_snapshots_takes_the_lane_labels():
    catalog = load_catalog(SAMPLE_CATALOG_PATH)
    category = catalog.categories[0]
    ids = tuple(catalog.category_ids(category)[:6])
    first, second = snap(item_id=category, products=ids), snap(item_id=category, products=ids[::-1])
    two = compare_two([first, second], catalog, ["A · one", "B · two"])
    assert two.comparison.labels == ["A · one", "B · two"]


def test_first_products_show_their_names_beside_their_ids():
    names = {"000814": "Red dress", "000815": float("nan")}
    assert first_products_text(("000814", "000815", "x"), 7, names) == "Red dress (000814), 000815, x …"
    frame = snapshots_frame([snap(products=("000814",))], product_names=names)
    assert frame["first_products"].tolist() == ["Red dress (000814)"]


def test_the_list_shows_snapshot_names():
    named, plain = snap(), snap()
    frame = snapshots_frame([named, plain], snapshot_names={named.id: "before the winter campaign"})
    assert frame["name"].tolist() == ["before the winter campaign", ""]


def test_a_third_pick_is_refused_in_words():
    assert pick_limit_message(["2026-11-29 10:24:51 UTC · categoryView Dresses · s"]) == (
        "Only two snapshots can be chosen: one to open, or two to compare. This pick was not taken: "
        "2026-11-29 10:24:51 UTC · categoryView Dresses · s. Remove one of the two first.")


def test_a_journeys_target_ranked_again_within_one_second_is_told_apart_in_the_picker():
    from fashionai.saved.view import picker_labels

    fetches = [snap(recorded_at=MOMENT + timedelta(milliseconds=300 * n), session_id=SESSION, item_id="Dresses")
               for n in range(3)]
    other = snap(recorded_at=MOMENT, session_id=SESSION, item_id="Skirts")
    labels = picker_labels({s.id: s for s in [fetches[2], other, fetches[0], fetches[1]]})
    assert len(set(labels.values())) == 4  # all different
    assert [labels[s.id] for s in fetches] == [
        f"2026-11-29 10:24:51 UTC · categoryView Dresses · {SESSION} · answer {n} of 3" for n in (1, 2, 3)]
    assert labels[other.id] == snapshot_label(other)  # alone in its words: as it was
    named = picker_labels({s.id: s for s in fetches[:2]}, {fetches[0].id: "before"})
    assert named[fetches[1].id] == snapshot_label(fetches[1])  # the name already tells them apart
