"""The activity log as the pages write it (issue 23): the live calls of a page visit as one row with their count,
none for the simulator or a rerun that calls nothing; a log that cannot be written is said on the page and what was
done goes on."""

from __future__ import annotations

import os

from fashionai.team.activity import ActivityAction, ActivityLog
from tests.apptest_helpers import button, metrics


def live_rows():
    return ActivityLog(os.environ["FASHIONAI_HISTORY_URL"]).entries(action=ActivityAction.LIVE_CALLS)


def test_a_pages_live_calls_are_one_row_with_their_count(app, fake_api):
    app.run()
    button(app, "Preview storefront").click().run()
    assert not app.exception and metrics(app)
    (row,) = live_rows()
    assert (row.who, row.page, row.count) == ("local", "Storefront preview", len(fake_api.requests))
    assert row.count >= 1 and "live-token" not in row.detail
    app.run()  # a rerun sends nothing, and writes nothing
    assert len(live_rows()) == 1


def test_the_simulators_calls_are_not_live_calls(app):
    app.run()
    button(app, "Preview storefront").click().run()
    assert not app.exception and metrics(app)
    assert live_rows() == []


def test_a_log_that_cannot_be_written_is_said_and_the_preview_goes_on(app, fake_api, monkeypatch, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the history's folder should be")
    monkeypatch.setenv("FASHIONAI_HISTORY_URL", (blocker / "history.db").as_posix())
    app.run()
    button(app, "Preview storefront").click().run()
    assert not app.exception
    assert metrics(app) and fake_api.requests, "the preview was made all the same"
    warnings = " ".join(w.value for w in app.warning)
    assert "the activity log cannot be written" in warnings and "Traceback" not in warnings


def test_a_snapshot_import_is_logged_with_its_file_and_count(studio, catalog):
    from fashionai.history import snapshots_to_json
    from tests.pages.history_pages import open_history, snap, uploader

    at = open_history(studio)
    incoming = [snap(catalog, session_id="from-elsewhere") for _ in range(2)]
    uploader(at).set_value(("export.json", snapshots_to_json(incoming).encode(), "application/json"))
    at.run()
    assert not at.exception
    (row,) = ActivityLog(os.environ["FASHIONAI_HISTORY_URL"]).entries(action=ActivityAction.SNAPSHOT_IMPORTED)
    assert (row.who, row.page, row.detail, row.count) == ("local", "History", "export.json", 2)


def test_an_audit_cancelled_on_the_page_is_logged(app):
    from fashionai.audit import background
    from tests.pages.audit_pages import start_and_cancel

    run_id = start_and_cancel(app)
    assert background.wait(run_id, timeout=60)
    rows = ActivityLog(os.environ["FASHIONAI_HISTORY_URL"]).entries(action=ActivityAction.AUDIT_CANCELLED)
    assert rows and rows[0].who == "local" and rows[0].page == "Audits" and run_id[:8] in rows[0].detail
