"""AppTest of the audit page in a team (issue 23, item 6): a run records who started it and the list says so;
only that person or an admin may cancel or resume it, checked when the button is pressed (a crafted press of a
disabled button is refused too), in the team's words."""

from __future__ import annotations

import uuid

import pytest

from fashionai.audit import background
from fashionai.audit.model import RunStatus
from fashionai.audit.plan import AuditPlan, resolve_plan
from fashionai.audit.store import AuditStore
from fashionai.catalog import load_catalog
from fashionai.catalog.sample import SAMPLE_CATALOG_PATH
from fashionai.team import Person, Role
from tests.apptest_helpers import button, open_page
from tests.pages.audit_pages import PAGE, small_plan
from tests.team_helpers import AUTH_SECRETS, signed_in

ANA = Person("ana@example.com", name="Ana", roles=frozenset({Role.MERCHANDISER}))
BO = Person("bo@example.com", name="Bo", roles=frozenset({Role.MERCHANDISER}))
ADMIN = Person("chief@example.com", name="Chief", roles=frozenset({Role.ADMIN}))


@pytest.fixture
def audits(store):
    return AuditStore(store)


def sign_in_as(app, person: Person) -> None:
    """The next run of `app` is `person`'s, signed in through the identity provider (faked as AppTest does)."""
    app.secrets = AUTH_SECRETS
    app.user = signed_in(person.email, person.name, [person.role.value])


def cancelled_run_of(audits, started_by: str):
    catalog = load_catalog(SAMPLE_CATALOG_PATH)
    plan = AuditPlan(name="Theirs", categories=tuple(catalog.categories[:2]), synthetic_personas=2, stability_twins=0)
    run = audits.create_run(resolve_plan(plan, catalog, uuid.uuid4().hex), backend="simulator",
                            catalog_fingerprint=catalog.fingerprint, catalog_name="bundled sample catalog",
                            started_by=started_by)
    return audits.set_status(run.id, RunStatus.CANCELLED, message="Cancelled: resume it to make the calls left.")


def runs_section(app):
    """The Runs list, showing everyone's runs (these tests are about who may steer whose run)."""
    open_page(app, PAGE)
    app.session_state["_audit_goto"] = "Runs"
    app.session_state["audit_owner"] = "Everyone"
    return app.run()


def run_labels(app) -> list[str]:
    (found,) = [box for box in app.selectbox if box.label == "Run"]
    return [label.replace("\\", "") for label in found.options]


def crafted_press(app, widget) -> None:
    """A press of a disabled button, as a crafted websocket message would send it (AppTest refuses to press a
    disabled widget, as a browser does; the server must refuse it itself)."""
    widget.proto.disabled = False
    widget.click().run()


def refusals(app) -> str:
    """The refusals and errors on screen."""
    return " ".join(e.value.replace("\\", "") for e in [*app.error, *app.warning])


def test_a_run_started_on_the_page_records_the_person_and_the_list_says_who(app, audits):
    sign_in_as(app, ANA)
    open_page(app, PAGE)
    small_plan(app)
    button(app, "Start the audit").click().run()
    run_id = app.session_state["audit_run"]
    assert background.wait(run_id, timeout=60)
    app.run()
    assert not app.exception
    assert audits.run(run_id).started_by == "ana@example.com"
    (label,) = [label for label in run_labels(app) if run_id[:8] in label]
    assert "ana@example.com" in label


def test_without_sign_in_a_run_is_the_local_users(app, audits):
    open_page(app, PAGE)
    small_plan(app)
    button(app, "Start the audit").click().run()
    run_id = app.session_state["audit_run"]
    assert background.wait(run_id, timeout=60)
    app.run()
    assert audits.run(run_id).started_by == "local"
    assert any("local user" in label for label in run_labels(app))


def test_someone_elses_run_cannot_be_resumed_by_a_merchandiser_even_by_a_crafted_press(app, audits):
    run = cancelled_run_of(audits, "bo@example.com")
    sign_in_as(app, ANA)
    runs_section(app)
    resume = button(app, "Resume")
    assert resume.disabled and "started by bo@example.com" in resume.help.replace("\\", "")
    crafted_press(app, resume)  # Streamlit discards a disabled widget's press on the server
    assert not app.exception
    assert background.active(run.id) is None and audits.run(run.id).status == RunStatus.CANCELLED


def test_the_person_who_started_a_run_and_an_admin_may_resume_it(app, audits):
    run = cancelled_run_of(audits, "bo@example.com")
    sign_in_as(app, BO)
    runs_section(app)
    assert not button(app, "Resume").disabled
    other = cancelled_run_of(audits, "bo@example.com")
    sign_in_as(app, ADMIN)
    app.session_state["audit_run"] = other.id
    app.run()
    button(app, "Resume").click().run()
    assert not app.exception and not app.error
    assert background.wait(other.id, timeout=60)
    assert audits.run(other.id).status == RunStatus.DONE
    assert audits.run(other.id).started_by == "bo@example.com"  # resumed by an admin: still Bo's run
    assert audits.run(run.id).status == RunStatus.CANCELLED


def test_a_run_working_here_is_cancelled_only_by_who_started_it_or_an_admin(app, audits):
    sign_in_as(app, BO)
    open_page(app, PAGE)
    small_plan(app, rate=4.0)  # 27 calls take about 7 s: the presses come well before the end
    button(app, "Start the audit").click().run()
    run_id = app.session_state["audit_run"]
    app.session_state["audit_owner"] = "Everyone"  # the Runs list of the whole team: Bo's run is not Ana's
    try:
        sign_in_as(app, ANA)
        app.run()
        cancel = button(app, "Cancel")
        assert cancel.disabled and "started by bo@example.com" in cancel.help.replace("\\", "")
        crafted_press(app, cancel)
        assert not app.exception and background.active(run_id) is not None
        sign_in_as(app, ADMIN)
        app.run()
        assert not button(app, "Cancel").disabled  # drawn for an admin ...
        sign_in_as(app, ANA)  # ... pressed once Ana is the one asking (the check is made when pressed)
        button(app, "Cancel").click().run()
        assert not app.exception and background.active(run_id) is not None
        words = refusals(app)
        assert "Ana is signed in as merchandiser" in words and "takes the admin role" in words
        sign_in_as(app, ADMIN)
        app.run()
        button(app, "Cancel").click().run()
        assert not app.exception and not app.error and "takes the admin role" not in refusals(app)
    finally:
        background.cancel(run_id)
        assert background.wait(run_id, timeout=60)
    assert audits.run(run_id).status == RunStatus.CANCELLED


def test_the_estimate_says_the_deployments_rate_holds_a_faster_plan(app, monkeypatch):
    monkeypatch.setenv("FASHIONAI_AUDIT_RATE", "5")
    open_page(app, PAGE)
    small_plan(app, rate=50.0)
    shown = " ".join(c.value for c in app.caption).replace("\\", "")
    assert "at most 5 requests a second" in shown and "this plan's 50 a second is held to that" in shown
    small_plan(app, rate=2.0)
    shown = " ".join(c.value for c in app.caption).replace("\\", "")
    assert "held to that" not in shown and "when others run" in shown


def working_elsewhere(audits, started_by: str):
    """A run another server works on (its heartbeat fresh), started by `started_by`."""
    catalog = load_catalog(SAMPLE_CATALOG_PATH)
    plan = AuditPlan(name="Elsewhere", categories=tuple(catalog.categories[:2]), synthetic_personas=2,
                     stability_twins=0)
    return audits.create_run(resolve_plan(plan, catalog, uuid.uuid4().hex), backend="simulator",
                             catalog_fingerprint=catalog.fingerprint, catalog_name="bundled sample catalog",
                             owner="other-host:4242:abc", started_by=started_by)


def test_a_run_working_on_another_server_is_cancelled_from_here_by_an_admin_not_by_a_colleague(app, audits):
    run = working_elsewhere(audits, "bo@example.com")
    sign_in_as(app, ANA)
    runs_section(app)
    cancel = button(app, "Cancel")
    assert cancel.disabled and "started by bo@example.com" in cancel.help.replace("\\", "")
    sign_in_as(app, ADMIN)
    app.run()
    button(app, "Cancel").click().run()
    assert not app.exception and not app.error
    stored = audits.run(run.id)
    assert stored.status == RunStatus.CANCELLED and stored.owner == "other-host:4242:abc"  # that server stops it
    assert not [b for b in app.button if b.label in ("Cancel", "Resume")]  # until it has stopped there
