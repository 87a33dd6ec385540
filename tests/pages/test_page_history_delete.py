"""Deleting a snapshot on the History page (issue 23): an admin's (the local user's without sign-in), once
confirmed, for everyone, written in the activity log; refused to a merchandiser, also by a crafted press."""

from __future__ import annotations

from fashionai.team.activity import ActivityAction, ActivityLog
from tests.apptest_helpers import button
from tests.pages.history_pages import open_history, snap
from tests.team_helpers import AUTH_SECRETS, signed_in


def _open(at, saved):
    at.radio(key="history_owner").set_value("Everyone").run()
    at.multiselect(key="history_selected").set_value([saved.id]).run()
    assert not at.exception
    return at


def test_an_admin_deletes_an_opened_snapshot_once_confirmed_and_it_is_logged(studio, store, catalog):
    saved = store.record(snap(catalog))
    at = _open(open_history(studio), saved)
    button(at, "Delete this snapshot…").click().run()
    assert store.count() == 1 and "for everyone using this studio" in " ".join(w.value for w in at.warning)
    button(at, "Yes, delete it").click().run()
    assert not at.exception
    assert store.count() == 0 and at.multiselect(key="history_selected").value == []
    (row,) = ActivityLog(store.display_url).entries(action=ActivityAction.SNAPSHOT_DELETED)
    assert row.who == "local" and row.page == "History" and "categoryView" in row.detail


def test_a_merchandiser_may_not_delete_even_by_a_crafted_press(studio, store, catalog):
    saved = store.record(snap(catalog), owner="ana@store.com")
    studio.secrets = AUTH_SECRETS
    studio.user = signed_in("ana@store.com", "Ana Lima", ["merchandiser"])
    at = _open(open_history(studio), saved)
    delete = button(at, "Delete this snapshot…")
    assert delete.disabled and "takes the admin role" in delete.help.replace("\\", "")
    at.session_state[f"history_delete_{saved.id}"] = True  # a crafted widget state: the confirmation drawn
    at.run()
    yes = button(at, "Yes, delete it")
    yes.click().run()
    assert not at.exception
    assert store.count() == 1
    assert not ActivityLog(store.display_url).entries(action=ActivityAction.SNAPSHOT_DELETED)
    refused = ActivityLog(store.display_url).entries(action=ActivityAction.REFUSED)
    assert refused and refused[0].who == "ana@store.com"
