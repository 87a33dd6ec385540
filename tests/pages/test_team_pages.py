"""The admins' Team and Activity pages (issue 23): listed for admins only and refused to anyone else, also by their
address; an admin gives a role (written in the activity log as "role changed"); the log filtered by person, action
and day; a database that is down is said in plain words and the pages (and the actions) go on."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime

import pytest

from fashionai.team import Role
from fashionai.team.activity import ActivityAction, ActivityLog
from fashionai.team.roles import RoleTable
from tests.apptest_helpers import button, texts
from tests.team_helpers import AUTH_SECRETS, signed_in

pytestmark = pytest.mark.slow

ADMIN = signed_in("lead@store.com", "Lea Admin", ["admin"])
MERCHANDISER = signed_in("ana@store.com", "Ana Lima", ["merchandiser"])


def history_url() -> str:
    return os.environ["FASHIONAI_HISTORY_URL"]


def as_person(app, user):
    app.secrets = AUTH_SECRETS
    app.user = user
    return app


def test_an_admin_gives_a_role_and_the_change_is_in_the_log(app):
    as_person(app, ADMIN).run()
    app.switch_page("pages/team.py").run()
    assert not app.exception
    assert "Change a role" in texts(app.main)
    app.selectbox(key="team_person").set_value("Someone else (type their e-mail)")
    app.text_input(key="team_new_person").set_value("Bo@Store.com")
    app.selectbox(key="team_role").set_value("merchandiser")
    button(app, "Save the role").click().run()
    assert not app.exception
    assert "viewer → merchandiser" in app.success[0].value
    assert RoleTable(history_url()).role_of("bo@store.com") == Role.MERCHANDISER
    (row,) = ActivityLog(history_url()).entries(action=ActivityAction.ROLE_CHANGED)
    assert (row.who, row.about, row.detail, row.page) == ("lead@store.com", "bo@store.com",
                                                          "viewer → merchandiser", "Team")
    assert "bo@store.com" in list(app.dataframe[0].value["Person"])


def test_a_blank_or_wrong_email_is_refused_in_plain_words(app):
    as_person(app, ADMIN).run()
    app.switch_page("pages/team.py").run()
    app.selectbox(key="team_person").set_value("Someone else (type their e-mail)")
    app.text_input(key="team_new_person").set_value("not an address")
    button(app, "Save the role").click().run()
    assert not app.exception
    assert app.error and "is not an e-mail address" in app.error[0].value.replace("\\", "")
    assert not ActivityLog(history_url()).entries(action=ActivityAction.ROLE_CHANGED)


def test_the_local_user_of_a_studio_without_sign_in_opens_both_pages(app):
    app.run()
    for page in ("pages/team.py", "pages/activity.py"):
        app.switch_page(page).run()
        assert not app.exception
        assert not app.warning or "lock" not in str(app.warning[0].icon)


@pytest.mark.parametrize("page", ["pages/team.py", "pages/activity.py"])
def test_an_admin_page_is_listed_for_admins_only(app, page):
    as_person(app, MERCHANDISER).run()
    with pytest.raises(ValueError, match="Could not find a navigation page"):  # not in the merchandiser's list
        app.switch_page(page)
    as_person(app, ADMIN).run()
    app.switch_page(page).run()
    assert not app.exception and app.title[0].value in ("Team", "Activity")


@pytest.mark.parametrize("page", ["pages/team.py", "pages/activity.py"])
def test_an_admin_page_run_for_a_merchandiser_refuses_on_the_server(page):
    """The page's own check, should its script run for someone else (a crafted request): refused, nothing shown."""
    from streamlit.testing.v1 import AppTest

    from fashionai.ui import frame
    from tests import ROOT

    ActivityLog(history_url()).record(who="lead@store.com", action=ActivityAction.CATALOG_DELETED, detail="Winter")
    frame.assume_navigation()
    at = as_person(AppTest.from_file(str(ROOT / page), default_timeout=60), MERCHANDISER)
    at.run()
    assert not at.exception
    assert "takes the admin role" in texts(at.main)
    assert "Change a role" not in texts(at.main) and "Winter" not in texts(at.main) and not at.dataframe


def test_the_activity_page_filters_by_person_action_and_day(app):
    log = ActivityLog(history_url())
    log.record(who="ana@store.com", action=ActivityAction.SIGNED_IN, page="Sign-in",
               at=datetime(2026, 12, 6, 9, 0, tzinfo=UTC))
    log.record(who="ana@store.com", action=ActivityAction.CATALOG_UPLOADED, page="Catalog", detail="Summer 2026",
               at=datetime(2026, 12, 7, 9, 0, tzinfo=UTC))
    log.record(who="bo@store.com", action=ActivityAction.LIVE_CALLS, page="Compare lanes", count=8,
               detail="=HYPERLINK(\"http://evil\")", at=datetime(2026, 12, 7, 10, 0, tzinfo=UTC))
    as_person(app, ADMIN).run()
    app.switch_page("pages/activity.py").run()
    assert not app.exception
    # the admin's own sign-in, just now, first (fashionai.ui.identity logs it once a browser session)
    assert list(app.dataframe[0].value["Action"]) == ["signed in", "live calls", "catalog uploaded", "signed in"]
    app.selectbox(key="activity_who").set_value("ana@store.com").run()
    assert list(app.dataframe[0].value["Action"]) == ["catalog uploaded", "signed in"]
    app.selectbox(key="activity_action").set_value("signed in").run()
    assert list(app.dataframe[0].value["When (UTC)"]) == ["2026-12-06 09:00:00"]
    app.selectbox(key="activity_action").set_value("Every action").run()
    app.date_input(key="activity_day").set_value(date(2026, 12, 7)).run()
    assert list(app.dataframe[0].value["Detail"]) == ["Summer 2026"]
    app.selectbox(key="activity_who").set_value("bo@store.com").run()
    app.date_input(key="activity_day").set_value(date(2026, 12, 1)).run()
    assert not app.dataframe and "Nothing in the activity log matches" in texts(app.main)


def test_a_database_that_is_down_is_said_and_the_pages_go_on(app, monkeypatch, tmp_path):
    broken = tmp_path / "broken.db"
    broken.write_bytes(b"this is not a database" * 100)
    monkeypatch.setenv("FASHIONAI_HISTORY_URL", broken.as_posix())
    as_person(app, ADMIN).run()
    app.switch_page("pages/activity.py").run()
    assert not app.exception
    assert "The activity log cannot be read" in app.error[0].value and "Traceback" not in texts(app.main)
    app.switch_page("pages/team.py").run()
    assert not app.exception
    assert "The team's roles cannot be shown" in texts(app.main)


def test_an_admin_changes_what_the_history_keeps_logged_with_old_and_new(app):
    from fashionai.history import HistoryStore
    from tests.history_helpers import snap

    history = HistoryStore(history_url(), max_age_days=None, max_count=None)
    now = datetime.now(UTC)
    recent, old = snap(recorded_at=now), snap(recorded_at=now.replace(year=now.year - 1))
    history.record(recent)
    history.record(old)
    as_person(app, ADMIN).run()
    app.switch_page("pages/team.py").run()
    assert not app.exception
    assert "What the history keeps" in texts(app.main)
    app.number_input(key="team_retention_days").set_value(30.0)
    app.number_input(key="team_retention_count").set_value(0)
    button(app, "Save what the history keeps").click().run()
    assert not app.exception
    assert app.success[0].value == ("The history now keeps 30 days, no limit of snapshots; 1 snapshot outside it "
                                    "was deleted.")
    (row,) = ActivityLog(history_url()).entries(action=ActivityAction.RETENTION_CHANGED)
    assert (row.who, row.page, row.detail) == (
        "lead@store.com", "Team", "history kept: 90 days, at most 100,000 snapshots → 30 days, no limit of snapshots")
    assert [s.id for s in history.summaries()] == [recent.id]
    app.run()  # the page says whose choice is in force, and that it wins
    assert "chosen on this page by lead@store.com" in texts(app.main).replace("\\", "")
    history.close()


def test_a_retention_change_sent_by_someone_no_longer_an_admin_is_refused(app):
    as_person(app, ADMIN).run()
    app.switch_page("pages/team.py").run()
    app.number_input(key="team_retention_days").set_value(1.0)
    app.user = MERCHANDISER  # the same form, sent by a merchandiser (a crafted widget state)
    button(app, "Save what the history keeps").click().run()
    assert not app.exception
    assert not ActivityLog(history_url()).entries(action=ActivityAction.RETENTION_CHANGED)
    from fashionai.team.retention import Retention, TeamSettings
    assert not TeamSettings(history_url()).retention(Retention()).team_set
    assert "What the history keeps" not in texts(app.main)  # the page is not theirs: it does not even run


def test_the_activity_pages_empty_message_fits_the_choices_made(app):
    app.run()  # the local user: no sign-in row, an empty log
    app.switch_page("pages/activity.py").run()
    assert not app.exception
    shown = texts(app.main)
    assert "The activity log is empty" in shown and "Choose Everyone" not in shown
    ActivityLog(history_url()).record(who="bo@store.com", action=ActivityAction.SIGNED_IN, page="Sign-in",
                                      at=datetime(2026, 12, 7, 9, 0, tzinfo=UTC))
    app.run()
    app.selectbox(key="activity_action").set_value("catalog deleted").run()
    shown = texts(app.main)
    assert "Nothing in the activity log matches" in shown
    assert "Choose Every action to see more" in shown and "Everyone" not in shown.split("matches")[1]
    app.selectbox(key="activity_action").set_value("Every action").run()
    app.selectbox(key="activity_who").set_value("bo@store.com")
    app.date_input(key="activity_day").set_value(date(2026, 12, 1)).run()
    assert "Choose Everyone or no day to see more" in texts(app.main)


def test_the_team_page_says_a_role_came_from_the_identity_provider(app, monkeypatch):
    """Issue 23: a person whose role the provider's claim gave was listed as "nobody set one: a viewer". Each
    person signs in (the sidebar writes the "signed in" row, with where the role came from); the admin's Team page
    then says the provider gave it, and for a person with no role anywhere that the table has none."""
    monkeypatch.setenv("FASHIONAI_ROLE_MAP", "Merch Team=merchandiser")
    for user in (signed_in("mo@store.com", "Mo Mapped", ["Merch Team", "Everyone"]),
                 signed_in("cy@store.com", "Cy Nobody", ["Everyone"]), ADMIN):
        as_person(app, user).run()
        assert not app.exception
    app.switch_page("pages/team.py").run()
    assert not app.exception
    table = app.dataframe[0].value.set_index("Person")
    assert table.loc["mo@store.com", "Role"] == "merchandiser"
    assert table.loc["mo@store.com", "Role comes from"] == ("the identity provider (groups: Merch Team) at their "
                                                            "last sign-in")
    assert table.loc["lead@store.com", "Role comes from"].startswith("the identity provider (groups: admin)")
    assert table.loc["cy@store.com", "Role"] == "viewer"
    assert table.loc["cy@store.com", "Role comes from"].startswith("not in the role table, and not seen signing in")
    stored = " ".join(row.detail for row in ActivityLog(history_url()).entries(action=ActivityAction.SIGNED_IN))
    assert "SECRET" not in stored and "Everyone" not in stored
