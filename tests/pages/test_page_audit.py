"""AppTest of the audit page: a plan and its estimate (no call), a run in the background with its scorecard,
cancel and resume, the call cap, live confirmation, a category's shoppers opened on Compare lanes, two runs
compared after the catalog changed, and runs over time."""

from __future__ import annotations

import threading
import time
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from streamlit.testing.v1 import AppTest

from fashionai.audit import background
from fashionai.audit.model import AUDIT_SESSION_PREFIX, PLACEMENT_LABELS, RunStatus
from fashionai.audit.plan import AuditPlan, resolve_plan
from fashionai.audit.store import AuditStore, runs_table
from fashionai.catalog import load_catalog
from fashionai.catalog.sample import SAMPLE_CATALOG_PATH
from fashionai.simulator import Faults, Simulator, start_server
from tests.apptest_helpers import button, open_page, texts
from tests.pages.audit_pages import PAGE, small_plan, start, start_and_cancel


def progress_text(at: AppTest) -> str:
    return " ".join(bar.proto.text for bar in at.get("progress"))


@pytest.fixture
def audits(store):
    return AuditStore(store)


def test_the_plan_section_estimates_the_run_and_sends_nothing(app, store):
    open_page(app, PAGE)
    assert app.title[0].value == "Audits"
    small_plan(app)
    shown = texts(app)
    assert "Before it starts:" in shown and "tracking events" in shown
    assert not button(app, "Start the audit").disabled
    assert store.count() == 0


def test_a_run_stores_its_answers_and_shows_the_scorecard(app, store, audits):
    open_page(app, PAGE)
    small_plan(app)
    run_id = start(app)
    run = audits.run(run_id)
    assert run.status == RunStatus.DONE and run.done_calls == run.total_calls and run.scorecard_json
    sessions = {s.session_id for s in store.query(limit=1000) if s.session_id}
    assert sessions and all(s.startswith(AUDIT_SESSION_PREFIX) for s in sessions)
    assert "Finished: 27 of 27 calls" in progress_text(app).replace("\\", "")
    assert any("Personalization" in str(table.value.to_dict()) for table in app.table)
    assert not app.error


def test_a_measure_the_run_cannot_support_says_not_measured_on_the_scorecard(app):
    # issue 21, item 4: not measured is not zero (here stability: no persona ran twice)
    open_page(app, PAGE)
    small_plan(app)
    app.number_input(key="audit_plan_twins").set_value(0)
    app.run()
    start(app)
    assert not app.exception and not app.error
    (scorecard,) = [table.value for table in app.table if "What it means" in table.value.columns]
    overall = {measure.replace("\\", ""): value.replace("\\", "")  # the table's cells are escaped Markdown
               for measure, value in zip(scorecard["Measure"], scorecard["Overall"], strict=True)}
    assert overall["Stability"].startswith("not measured, because no persona ran twice")
    assert overall["Personalization"].endswith("%")
    captions = " ".join(c.value for c in app.caption).replace("\\", "")
    assert "Not measured: Stability, because no persona ran twice" in captions


def test_a_category_drills_down_to_its_shoppers_and_opens_compare_lanes_without_a_call(app, store):
    open_page(app, PAGE)
    small_plan(app)
    start(app)
    before = store.count()
    app.selectbox(key="audit_card_drill").set_value("Dresses").run()
    assert not app.exception
    button(app, "Open them on Compare lanes").click().run()
    assert not app.exception
    assert "no call was made" in texts(app)
    assert store.count() == before
    labels = [m.value for m in app.markdown if m.value.startswith("**") and m.value.endswith("**")]
    shoppers = [label for label in labels if label not in ("**Native order**", "**Best sellers**")]
    assert shoppers and not [label for label in shoppers if "audit" in label]  # named after the shopper, not its session


def test_over_the_call_cap_the_audit_cannot_start(app, monkeypatch):
    monkeypatch.setenv("FASHIONAI_AUDIT_MAX_CALLS", "5")
    open_page(app, PAGE)
    small_plan(app)
    assert "audit call cap" in texts(app)
    assert button(app, "Start the audit").disabled


def test_with_no_call_cap_the_plan_is_estimated_and_the_audit_can_start(app, monkeypatch):
    """FASHIONAI_AUDIT_MAX_CALLS=0 means no cap (README): the estimate compared the calls with None and the page
    failed (found by mypy)."""
    monkeypatch.setenv("FASHIONAI_AUDIT_MAX_CALLS", "0")
    open_page(app, PAGE)
    small_plan(app)
    assert not app.exception and not app.error
    assert "Before it starts:" in texts(app) and "audit call cap" not in texts(app)
    assert not button(app, "Start the audit").disabled


def test_live_audits_need_a_confirmation(app, fake_api):
    open_page(app, PAGE)
    small_plan(app)
    assert "live" in texts(app)
    assert button(app, "Start the audit").disabled
    app.checkbox(key="audit_confirm_live").check().run()
    assert not button(app, "Start the audit").disabled
    assert not fake_api.requests


def test_a_cancelled_run_resumes_to_the_planned_calls(app, audits):
    open_page(app, PAGE)
    small_plan(app, rate=4.0)  # 27 calls take about 7 s: the cancel comes well before the end
    button(app, "Start the audit").click().run()
    run_id = app.session_state["audit_run"]
    background.cancel(run_id)
    assert background.wait(run_id, timeout=60)
    app.run()
    run = audits.run(run_id)
    assert run.status == RunStatus.CANCELLED and run.done_calls < run.total_calls
    assert "Cancelled" in progress_text(app)
    button(app, "Resume").click().run()
    assert background.wait(run_id, timeout=60)
    app.run()
    run = audits.run(run_id)
    assert run.status == RunStatus.DONE and run.done_calls == run.total_calls
    assert len(list(audits.answers(run_id))) == run.total_calls


def test_two_runs_compare_and_show_over_time(app):
    open_page(app, PAGE)
    small_plan(app)
    start(app)
    app.session_state["_audit_goto"] = "Plan and start"
    app.run()
    start(app)
    app.session_state["_audit_goto"] = "Two runs"
    app.run()
    assert not app.exception and not app.error
    assert "The same shoppers in both runs" in texts(app)
    placements = {value for frame in app.dataframe if "placement" in frame.value.columns
                  for value in frame.value["placement"]}
    assert placements and placements <= set(PLACEMENT_LABELS.values()) | {"Overall"}  # in words, in every table
    app.session_state["_audit_goto"] = "Over time"
    app.run()
    assert not app.exception
    drawn = app.get("vega_lite_chart") or app.get("arrow_vega_lite_chart")
    assert drawn and all(chart.proto.theme == "" for chart in drawn)  # the house style: values and whole titles
    table = app.dataframe[-1].value  # one row a run, in words: no started_at, 0.3532 or +00:00
    assert list(table.columns[:3]) == ["Run started", "Run", "Personalization"]
    assert table["Personalization"].str.fullmatch(r"\d+%").all()
    assert table["Run started"].str.fullmatch(r"\d\d \w{3} \d{4}, \d\d:\d\d").all()
    assert "Times are in UTC." in [caption.value for caption in app.caption]


def test_two_runs_of_different_plans_say_so_above_the_table(app):
    # issue 21, item 5: the Two runs tab showed rows of "—" without a word
    open_page(app, PAGE)
    small_plan(app, categories=("Dresses",))
    start(app)
    app.session_state["_audit_goto"] = "Plan and start"
    app.run()
    app.number_input(key="audit_plan_k").set_value(5)
    small_plan(app, categories=("Tops",))
    start(app)
    app.session_state["_audit_goto"] = "Two runs"
    app.run()
    assert not app.exception and not app.error
    warnings = " ".join(w.value for w in app.warning).replace("\\", "")  # markdown escapes
    assert ("These runs are not comparable measure by measure: different plans: categories Dresses and Tops; "
            "K 10 and 5") in warnings


class CountingSimulator(Simulator):
    """The simulator as a fake live API: every request's arrival time and the status it was answered."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.seen: list[tuple[float, int]] = []
        self._seen_lock = threading.Lock()

    def handle(self, *args, **kwargs):
        answer = super().handle(*args, **kwargs)
        with self._seen_lock:
            self.seen.append((time.monotonic(), answer.status))
        return answer


@pytest.fixture
def throttling_api(monkeypatch):
    """A live API (the simulator on loopback) that answers every 4th request 429 with Retry-After: 0.3."""
    simulator = CountingSimulator(load_catalog(SAMPLE_CATALOG_PATH).products, token="live-token-429",
                                  faults=Faults(rate_limit_burst=4, retry_after=0.3))
    server, _, base_url = start_server(simulator)
    monkeypatch.setenv("FASHIONAI_APP_TOKEN", "live-token-429")
    monkeypatch.setenv("FASHIONAI_BASE_URL", base_url)
    yield simulator
    server.shutdown()
    server.server_close()


def test_a_live_api_answering_429_slows_the_run_down_and_loses_no_answer(app, store, audits, throttling_api):
    open_page(app, PAGE)
    small_plan(app, personas=2)
    app.number_input(key="audit_plan_concurrency").set_value(1).run()  # one call at a time: nothing in flight
    app.checkbox(key="audit_confirm_live").check().run()
    run_id = start(app)
    run = audits.run(run_id)
    assert run.status == RunStatus.DONE and run.done_calls == run.total_calls
    answers = list(audits.answers(run_id))
    assert len(answers) == run.total_calls and all(a.ok for a in answers)
    assert not [s for s in store.query(limit=1000) if s.status_code == 429]  # a 429 is no answer: never stored
    seen = throttling_api.seen
    limited = [n for n, (_, status) in enumerate(seen) if status == 429]
    assert limited and len(seen) == run.total_calls + len(limited)  # each 429 sent again, once
    for n in limited:  # after a 429, nothing is sent until its Retry-After has passed (a sleep: never shorter)
        if n + 1 < len(seen):
            assert seen[n + 1][0] - seen[n][0] >= 0.3


def test_a_plan_is_saved_opened_again_and_deleted(app, audits):
    open_page(app, PAGE)
    app.text_input(key="audit_plan_name").set_value("Weekly dresses").run()
    small_plan(app, personas=7, categories=("Dresses",))
    button(app, "Save the plan").click().run()
    assert [p.name for p in audits.plans()] == ["Weekly dresses"]
    assert audits.plan("Weekly dresses").synthetic_personas == 7
    app.text_input(key="audit_plan_name").set_value("Something else").run()
    app.number_input(key="audit_plan_personas").set_value(2).run()
    app.selectbox(key="audit_saved_plan").set_value("Weekly dresses").run()
    assert app.text_input(key="audit_plan_name").value == "Weekly dresses"
    assert app.number_input(key="audit_plan_personas").value == 7
    assert app.multiselect(key="audit_plan_categories").value == ["Dresses"]
    button(app, "Delete the saved plan").click().run()
    assert not app.exception and audits.plans() == []


def test_a_damaged_history_says_audits_need_it_and_shows_no_traceback(app, monkeypatch, tmp_path):
    broken = tmp_path / "broken.db"
    broken.write_bytes(b"this is not a database \x00\xff" * 100)
    monkeypatch.setenv("FASHIONAI_HISTORY_URL", broken.as_posix())
    open_page(app, PAGE)
    small_plan(app)
    button(app, "Start the audit").click().run()
    assert not app.exception
    shown = texts(app)
    assert "Traceback" not in shown
    assert app.error and any("Starting the audit did not work" in e.value and "damaged" in e.value for e in app.error)


def test_opening_a_categorys_shoppers_on_compare_lanes_keeps_the_sidebars_shopper_session(app, store):
    """Issue 21, item 22: the drill-down's "Open them on Compare lanes" replaced the sidebar's shopper session
    (and so silently restarted the walk)."""
    open_page(app, PAGE)
    app.text_input(key="shopper_session_id").set_value("my-walk-session").run()
    app.text_input(key="shopper_user_id").set_value("user-7").run()
    small_plan(app)
    start(app)
    app.selectbox(key="audit_card_drill").set_value("Dresses").run()
    button(app, "Open them on Compare lanes").click().run()
    assert not app.exception
    assert "no call was made" in texts(app)
    assert app.session_state["shopper_session_id"] == "my-walk-session"
    assert app.session_state["shopper_user_id"] == "user-7"


def test_the_scorecard_wraps_its_meanings_and_sets_each_figure_against_the_last_run_of_the_plan(app):
    """Issue 21, item 22: the meanings were cut at 1,280 px (a grid cuts its cells; a table wraps them) and
    nothing said whether 29% is high or low for this store."""
    open_page(app, PAGE)
    small_plan(app)
    start(app)
    assert "No earlier finished run of this plan" in texts(app)
    (scorecard,) = [table.value for table in app.table if "What it means" in table.value.columns]
    assert "last run" not in " ".join(scorecard["Overall"])

    app.session_state["audit_section"] = "Plan and start"
    app.run()
    small_plan(app)
    start(app)
    assert not app.exception
    (scorecard,) = [table.value for table in app.table if "What it means" in table.value.columns]
    overall = {measure.replace("\\", ""): value.replace("\\", "")  # the table's cells are escaped Markdown
               for measure, value in zip(scorecard["Measure"], scorecard["Overall"], strict=True)}
    assert "(last run: " in overall["Personalization"]
    assert "set against the last finished run of this plan" in texts(app)


def test_the_estimate_says_which_calls_are_the_personas_warm_up(app):
    """Issue 21, item 23: product-page calls were listed for a plan without product pages, unexplained."""
    open_page(app, PAGE)
    small_plan(app)
    (table,) = [frame.value for frame in app.dataframe if "purpose" in frame.value.columns]
    product_pages = table[table["call"] == "Product page"]
    assert len(product_pages) and product_pages["purpose"].str.contains("warm-up").all()
    assert "productView" not in set(table["call"])  # the placements' names, not the vendor's


# --------------------------------------------------------------------------- runs of other processes


def made_run(audits, catalog, *, owner=None, name="Elsewhere"):
    """A run the local user started, stored as another process would store it (held by `owner`, its heartbeat
    fresh), or released (the Runs list opens on the person's own runs)."""
    plan = AuditPlan(name=name, categories=tuple(catalog.categories[:2]), synthetic_personas=2, stability_twins=0)
    resolved = resolve_plan(plan, catalog, uuid.uuid4().hex)
    run = audits.create_run(resolved, backend="simulator", catalog_fingerprint=catalog.fingerprint,
                            catalog_name="bundled sample catalog", owner=owner, started_by="local")
    if owner is None:
        run = audits.set_status(run.id, RunStatus.CANCELLED, message="Cancelled: resume it to make the calls left.")
    return run


def run_list(app):
    (found,) = [box for box in app.selectbox if box.label == "Run"]
    return found


def runs_section(app):
    open_page(app, PAGE)
    app.session_state["_audit_goto"] = "Runs"
    return app.run()


def test_the_page_keeps_to_the_run_chosen_when_its_label_changes_and_another_runs_elsewhere(app, audits):
    catalog = load_catalog(SAMPLE_CATALOG_PATH)
    chosen = made_run(audits, catalog, name="Mine")
    other = made_run(audits, catalog, owner="other-host:4242:abc")  # newer: first in the list
    runs_section(app)
    run_list(app).set_value(chosen.id).run()
    assert app.session_state["audit_run"] == chosen.id and "Cancelled" in progress_text(app).replace("\\", "")
    app.session_state["_audit_goto"] = "Over time"  # the list is not drawn for a moment
    app.run()
    app.session_state["_audit_goto"] = "Runs"
    audits.claim(chosen.id, "third-host:7:xyz")  # another process resumes it: its label changes
    app.run()
    assert not app.exception
    assert app.session_state["audit_run"] == chosen.id and run_list(app).value == chosen.id
    shown = progress_text(app).replace("\\", "")
    assert "Running (on another server/process)" in shown and "process 7 on third-host" in shown
    assert not [b for b in app.button if b.label == "Resume"]  # not ours to resume while it works there
    assert [b for b in app.button if b.label == "Cancel"]  # but it may be cancelled from here (issue 23)
    assert other.id != chosen.id


def test_a_run_whose_heartbeat_stopped_is_offered_for_resume_and_one_running_elsewhere_is_not(app, audits):
    catalog = load_catalog(SAMPLE_CATALOG_PATH)
    run = made_run(audits, catalog, owner="other-host:4242:abc")
    runs_section(app)
    labels = run_list(app).options  # as the list shows them
    assert any("Running (on another server/process)" in label for label in labels)
    assert not [b for b in app.button if b.label == "Resume"]
    button_less = progress_text(app).replace("\\", "")
    assert "resumed here once it gives no sign of life" in button_less
    with audits._engine().begin() as conn:  # its process died 10 minutes ago
        conn.execute(runs_table.update().where(runs_table.c.id == run.id)
                     .values(heartbeat=datetime.now(timezone.utc).replace(tzinfo=None) - timedelta(minutes=10)))
    app.run()
    assert "Stopped without finishing (can be resumed)" in progress_text(app).replace("\\", "")
    assert [b for b in app.button if b.label == "Resume"]


def test_resume_pressed_after_another_process_took_the_run_starts_nothing_and_says_who_runs_it(app, audits):
    catalog = load_catalog(SAMPLE_CATALOG_PATH)
    run = made_run(audits, catalog, name="Mine")
    runs_section(app)
    audits.claim(run.id, "other-host:4242:abc")  # between the page drawn and the button pressed
    button(app, "Resume").click().run()
    assert not app.exception and not app.error
    assert background.active(run.id) is None and audits.run(run.id).owner == "other-host:4242:abc"
    assert "by process 4242 on other-host" in progress_text(app).replace("\\", "")


def test_cancel_shows_the_run_cancelled_at_once_in_the_list(app, audits):
    run_id = start_and_cancel(app)
    (label,) = [option for option in run_list(app).options if run_id[:8] in option]
    assert "Cancelled" in label and audits.run(run_id).status == RunStatus.CANCELLED
    assert background.wait(run_id, timeout=60)
