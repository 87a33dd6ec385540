"""The Audits page's runs open on "Mine" (the runs the person started), "Everyone" one choice away; a saved plan
says who saved it; planning, starting, cancelling and finishing an audit are written in the activity log (issue 23)."""

from __future__ import annotations

import uuid

from fashionai.audit.model import RunStatus
from fashionai.audit.plan import AuditPlan, resolve_plan
from fashionai.audit.store import AuditStore
from fashionai.catalog import load_catalog
from fashionai.catalog.sample import SAMPLE_CATALOG_PATH
from fashionai.history import Filters
from fashionai.team.activity import ActivityAction, ActivityLog
from tests.apptest_helpers import button, open_page
from tests.pages.audit_pages import PAGE, small_plan, start


def run_labels(app) -> list[str]:
    boxes = [box for box in app.selectbox if box.label == "Run"]
    return [label.replace("\\", "") for label in boxes[0].options] if boxes else []


def test_the_runs_open_on_mine_then_everyone(app, store):
    audits, catalog = AuditStore(store), load_catalog(SAMPLE_CATALOG_PATH)
    plan = AuditPlan(name="Theirs", categories=tuple(catalog.categories[:2]), synthetic_personas=2, stability_twins=0)
    theirs = audits.create_run(resolve_plan(plan, catalog, uuid.uuid4().hex), backend="simulator",
                               catalog_fingerprint=catalog.fingerprint, catalog_name="sample", started_by="bo@store.com")
    audits.set_status(theirs.id, RunStatus.CANCELLED)
    open_page(app, PAGE)
    app.session_state["_audit_goto"] = "Runs"
    app.run()
    assert not app.exception and not run_labels(app)
    assert "choose Everyone to see the team's runs" in " ".join(i.value for i in app.info)
    app.radio(key="audit_owner").set_value("Everyone").run()
    assert [label for label in run_labels(app) if "bo@store.com" in label]


def test_plan_start_and_finish_are_in_the_activity_log(app, store):
    open_page(app, PAGE)
    small_plan(app, personas=2, categories=("Dresses",))
    button(app, "Save the plan").click().run()
    assert not app.exception
    saved = AuditStore(store).plans()
    assert [p.owner for p in saved] == ["local"]
    app.run()  # the list of saved plans is drawn above the button: the next run lists it
    box = next(b for b in app.selectbox if b.key == "audit_saved_plan")
    assert box.format_func(saved[0].name).endswith("· saved by local user")
    run_id = start(app)
    log = ActivityLog(store.display_url)
    actions = [e.action for e in reversed(log.entries())]
    assert actions == [ActivityAction.AUDIT_PLANNED, ActivityAction.AUDIT_STARTED, ActivityAction.AUDIT_FINISHED]
    finished = log.entries(action=ActivityAction.AUDIT_FINISHED)[0]
    assert finished.who == "local" and finished.count == AuditStore(store).run(run_id).done_calls > 0
    assert store.count(Filters(owner="local")) == finished.count  # the run's answers are its starter's snapshots
    assert run_labels(app) and "local user" in run_labels(app)[0]
