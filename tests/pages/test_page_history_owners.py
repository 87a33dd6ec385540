"""The History page opens on "Mine" with "Everyone" one choice away, and says who made each snapshot (issue 23):
the local user's without sign-in, the signed-in person's answers recorded as theirs."""

from __future__ import annotations

from fashionai.team.activity import ActivityAction, ActivityLog
from tests.apptest_helpers import button
from tests.pages.history_pages import open_history, snap
from tests.team_helpers import AUTH_SECRETS, signed_in


def test_mine_first_then_everyone_with_who_made_each(studio, store, catalog):
    mine = store.record(snap(catalog))  # the local user's
    theirs = store.record(snap(catalog), owner="bo@store.com")
    older = store.record(snap(catalog), owner=None)  # made before owners were recorded
    at = open_history(studio)
    assert at.radio(key="history_owner").value == "Mine"
    frame = at.dataframe[0].value
    assert frame["id"].tolist() == [mine.id] and frame["made_by"].tolist() == ["local user"]
    at.radio(key="history_owner").set_value("Everyone").run()
    assert not at.exception
    frame = at.dataframe[0].value
    assert sorted(frame["id"]) == sorted([mine.id, theirs.id, older.id])
    assert dict(zip(frame["id"], frame["made_by"], strict=True)) == {mine.id: "local user", theirs.id: "bo@store.com",
                                                        older.id: "unknown"}


def test_nothing_of_mine_says_everyone_is_one_choice_away(studio, store, catalog):
    store.record(snap(catalog), owner="bo@store.com")
    at = open_history(studio)
    assert not at.dataframe
    assert "choose Everyone to see the team's" in " ".join(i.value for i in at.info)


def test_a_signed_in_persons_answers_are_theirs(studio, store):
    studio.secrets = AUTH_SECRETS
    studio.user = signed_in("ana@store.com", "Ana Lima", ["merchandiser"])
    studio.run()
    button(studio, "Preview storefront").click().run()
    assert not studio.exception
    studio.switch_page("pages/history.py").run()
    frame = studio.dataframe[0].value
    assert len(frame) >= 1 and set(frame["made_by"]) == {"ana@store.com"}
    assert not ActivityLog(store.display_url).entries(action=ActivityAction.LIVE_CALLS)  # the simulator: no live call


def test_a_snapshot_named_is_in_the_activity_log(studio, store, catalog):
    saved = store.record(snap(catalog))
    at = open_history(studio)
    at.multiselect(key="history_selected").set_value([saved.id]).run()
    at.text_input(key=f"history_name_{saved.id}").set_value("before the winter campaign").run()
    button(at, "Save the name").click().run()
    assert not at.exception
    (row,) = ActivityLog(store.display_url).entries(action=ActivityAction.SNAPSHOT_NAMED)
    assert (row.who, row.page, row.detail) == ("local", "History", "before the winter campaign")
