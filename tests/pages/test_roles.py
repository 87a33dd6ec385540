"""Roles on the server (issue 23, item 3): each role on each guarded action, under AppTest. A viewer sees the
button off with the refusal's words, and a crafted request (a widget state the page would act on) is refused on
the server too; a merchandiser and an admin do their part."""

from __future__ import annotations

import io
import os

import pytest

from fashionai.catalog import load_catalog
from fashionai.catalog.library import CatalogLibrary
from fashionai.team.view import OWNER_CHOICES
from fashionai.walk.steps import CATEGORY
from tests.apptest_helpers import button, open_page, texts
from tests.pages.audit_pages import PAGE as AUDIT_PAGE
from tests.pages.audit_pages import small_plan
from tests.pages.history_pages import open_history, snap
from tests.team_helpers import AUTH_SECRETS, signed_in

CRAFTED_RERUN = "storefront_stale_rerun"  # the stale note's button, as a crafted request presses it
SHOP_CSV = "id,name,category,stock\nA1,Red scarf,Scarves,3\nA2,Blue scarf,Scarves,0\n"


def sign_in(app, role: str):
    app.secrets = AUTH_SECRETS
    app.user = signed_in(f"{role}@example.com", f"A {role}", [role])
    return app


def words(app) -> str:
    return texts(app).replace("\\", "")


# --------------------------------------------------------------------------- live calls


def test_a_viewer_cannot_preview_live_even_with_a_crafted_request(app, fake_api):
    sign_in(app, "viewer").run()
    preview = button(app, "Preview storefront")
    assert preview.disabled and "takes the merchandiser role" in preview.help
    app.session_state[CRAFTED_RERUN] = True
    app.run()
    assert not app.exception
    assert fake_api.requests == []
    assert "A viewer is signed in as viewer; to live call takes the merchandiser role" in words(app)


@pytest.mark.parametrize("role", ["merchandiser", "admin"])
def test_a_merchandiser_and_an_admin_preview_live(app, fake_api, role):
    sign_in(app, role).run()
    button(app, "Preview storefront").click().run()
    assert not app.exception
    assert fake_api.requests
    assert "takes the merchandiser role" not in words(app)


def test_a_viewer_previews_on_the_simulator(app):
    sign_in(app, "viewer").run()
    button(app, "Preview storefront").click().run()
    assert not app.exception
    assert app.metric, "the simulator's storefront is shown"


def test_a_viewers_previews_are_not_kept_in_the_history_and_the_sidebar_says_so(app):
    from fashionai.history import HistoryStore

    history = HistoryStore(os.environ["FASHIONAI_HISTORY_URL"], max_age_days=None, max_count=None)
    sign_in(app, "viewer").run()
    button(app, "Preview storefront").click().run()
    assert not app.exception and app.metric
    assert history.count() == 0, "a viewer's preview wrote no snapshot"
    assert "Your previews are not kept in the history" in words(app.sidebar)
    sign_in(app, "merchandiser").run()
    assert "not kept in the history" not in words(app.sidebar)
    button(app, "Preview storefront").click().run()
    assert history.count() >= 1 and set(history.owners(s.id for s in history.summaries()).values()) == {
        "merchandiser@example.com"}
    history.close()


def test_a_viewers_previews_under_a_fault_drill_are_not_kept_either(app):
    from fashionai.history import HistoryStore
    from fashionai.simulator import Faults
    from fashionai.ui.session import FAULTS_KEY

    history = HistoryStore(os.environ["FASHIONAI_HISTORY_URL"], max_age_days=None, max_count=None)
    sign_in(app, "viewer")
    app.session_state[FAULTS_KEY] = Faults(latency=0.001)  # a drill on: this session's own client
    app.run()
    button(app, "Preview storefront").click().run()
    assert not app.exception and app.metric
    assert history.count() == 0
    history.close()


def test_a_viewers_crafted_search_sends_no_live_call(app, fake_api):
    open_page(sign_in(app, "viewer"), "pages/search.py")
    search = button(app, "Search")
    assert search.disabled and "takes the merchandiser role" in search.help
    app.session_state["search_query"] = "scarf"
    app.session_state["search_suggestion_picked"] = True  # a suggestion pill's press, as a crafted request makes it
    app.run()
    assert not app.exception
    assert fake_api.requests == []
    assert "takes the merchandiser role" in words(app)


def test_a_merchandiser_searches_live(app, fake_api):
    open_page(sign_in(app, "merchandiser"), "pages/search.py")
    app.session_state["search_query"] = "scarf"
    app.session_state["search_suggestion_picked"] = True
    app.run()
    assert not app.exception
    assert fake_api.requests


def test_a_viewers_crafted_walk_click_sends_no_live_call(app, fake_api):
    open_page(sign_in(app, "viewer"), "pages/walk.py")
    assert "takes the merchandiser role" in " ".join(info.value for info in app.info).replace("\\", "")
    app.session_state["walk_action"] = (CATEGORY, "Knitwear")
    app.run()
    assert not app.exception
    assert fake_api.requests == []
    assert "takes the merchandiser role" in words(app)


def test_a_viewer_cannot_run_a_journey(app):
    open_page(sign_in(app, "viewer"), "pages/journey.py")
    run = button(app, "Run journey")
    assert run.disabled and "run journey takes the merchandiser role" in run.help
    app.session_state["journey_stale_rerun"] = True
    app.run()
    assert not app.exception
    assert "run journey takes the merchandiser role" in words(app)
    assert "journey_run" not in app.session_state


# --------------------------------------------------------------------------- audits


def test_a_viewer_cannot_start_or_save_an_audit(app):
    open_page(sign_in(app, "viewer"), AUDIT_PAGE)
    small_plan(app)
    for label in ("Start the audit", "Save the plan"):
        assert button(app, label).disabled
        assert "plan audit takes the merchandiser role" in button(app, label).help


def test_over_the_cap_a_merchandiser_cannot_start_and_an_admin_may(app, monkeypatch):
    monkeypatch.setenv("FASHIONAI_AUDIT_MAX_CALLS", "5")
    open_page(sign_in(app, "merchandiser"), AUDIT_PAGE)
    small_plan(app)
    assert button(app, "Start the audit").disabled
    assert not [box for box in app.checkbox if box.key == "audit_over_cap"], "offered to admins only"

    app.user = signed_in("admin@example.com", "An admin", ["admin"])
    app.run()
    app.checkbox(key="audit_over_cap").check().run()
    assert not button(app, "Start the audit").disabled
    button(app, "Start the audit").click().run()
    assert not app.exception
    assert app.session_state["audit_run"], "the run started over the cap"


# --------------------------------------------------------------------------- the catalog library


@pytest.fixture
def kept_catalog():
    library = CatalogLibrary(os.environ["FASHIONAI_HISTORY_URL"])
    catalog = load_catalog(io.BytesIO(SHOP_CSV.encode()))
    library.add(catalog, name="Scarves")
    yield library
    library.close()


def open_library(app):
    """The Catalog page, its library on Everyone: the kept catalog is a colleague's."""
    open_page(app, "pages/catalog.py")
    app.radio(key="catalog_library_owner").set_value(OWNER_CHOICES[-1]).run()
    return app


@pytest.mark.parametrize("role", ["viewer", "merchandiser"])
def test_only_an_admin_deletes_a_catalog_even_with_a_crafted_confirmation(app, kept_catalog, role):
    open_library(sign_in(app, role))
    assert button(app, "Delete…").disabled
    app.session_state["catalog_library_confirm_delete"] = kept_catalog.list()[0].fingerprint  # crafted
    app.run()
    button(app, "Yes, delete it").click().run()
    assert not app.exception
    assert [entry.name for entry in kept_catalog.list()] == ["Scarves"]
    assert "delete takes the admin role" in words(app)


def test_an_admin_deletes_a_catalog(app, kept_catalog):
    open_library(sign_in(app, "admin"))
    button(app, "Delete…").click().run()
    button(app, "Yes, delete it").click().run()
    assert not app.exception
    assert kept_catalog.list() == []


def test_a_viewer_cannot_upload_or_rename_and_a_merchandiser_can(app, kept_catalog):
    open_library(sign_in(app, "viewer"))
    assert all(uploader.disabled for uploader in app.get("file_uploader") if uploader.key.endswith("upload"))
    assert button(app, "Rename").disabled

    app.user = signed_in("merchandiser@example.com", "A merchandiser", ["merchandiser"])
    app.run()
    app.text_input(key="catalog_library_name").set_value("Winter scarves").run()
    button(app, "Rename").click().run()
    assert not app.exception
    assert [entry.name for entry in kept_catalog.list()] == ["Winter scarves"]


# --------------------------------------------------------------------------- snapshots


def test_a_viewer_cannot_name_a_snapshot_and_a_merchandiser_can(app, store, catalog):
    saved = store.record(snap(catalog))
    open_history(sign_in(app, "viewer"))
    app.multiselect(key="history_selected").set_value([saved.id]).run()
    assert button(app, "Save the name").disabled
    assert app.text_input(key=f"history_name_{saved.id}").disabled

    app.user = signed_in("merchandiser@example.com", "A merchandiser", ["merchandiser"])
    app.run()
    app.text_input(key=f"history_name_{saved.id}").set_value("before the sale").run()
    button(app, "Save the name").click().run()
    assert store.names([saved.id]) == {saved.id: "before the sale"}


# --------------------------------------------------------------------------- the role table and the activity log


@pytest.fixture
def activity():
    from fashionai.team.activity import ActivityLog

    opened = ActivityLog(os.environ["FASHIONAI_HISTORY_URL"])
    yield opened
    opened.close()


def test_without_a_role_in_the_claim_the_role_table_decides(app, fake_api, monkeypatch):
    monkeypatch.setenv("FASHIONAI_ADMINS", "boss@example.com")
    app.secrets = AUTH_SECRETS
    app.user = signed_in("Boss@Example.com", "The boss", ["staff"])  # the provider's own group only
    app.run()
    assert "admin" in texts(app.sidebar)
    assert not button(app, "Preview storefront").disabled


def test_a_crafted_request_refused_is_in_the_activity_log(app, fake_api, activity):
    sign_in(app, "viewer").run()
    app.session_state[CRAFTED_RERUN] = True
    app.run()
    assert fake_api.requests == []
    refused = activity.entries(who="viewer@example.com", action="action refused")
    assert [(entry.page, entry.detail) for entry in refused] == [("Storefront preview", "live call")]


def test_signing_in_is_in_the_activity_log_once_a_browser_session(app, activity):
    sign_in(app, "merchandiser").run()
    app.run()
    assert len(activity.entries(who="merchandiser@example.com", action="signed in")) == 1
