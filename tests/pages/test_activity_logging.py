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
