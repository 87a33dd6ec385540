"""Audits: how personal Fashion.AI is across many shoppers, scored, compared between runs, watched over time."""

import streamlit as st

from fashionai import ui
from fashionai.audit.comparison import run_differences
from fashionai.audit.plan import PlanError, plan_categories, plan_from_json, plan_to_json
from fashionai.audit.view import answers_frame, last_comparable_run
from fashionai.output import exports
from fashionai.team import Action, who_words
from fashionai.text.formatting import escape_markdown
from fashionai.ui import audit_runs
from fashionai.ui.audit_exposure_widgets import exposure_panel
from fashionai.ui.audit_power_widgets import shoppers_needed_panel
from fashionai.ui.audit_search_widgets import query_defaults, query_set_form
from fashionai.ui.audit_widgets import (
    cached_estimate,
    comparison_panel,
    estimate_box,
    noise_panel,
    plan_defaults,
    plan_form,
    scorecard_panel,
    trend_panel,
)
from fashionai.ui.handover_widgets import audit_buttons
from fashionai.ui.ownership import mine_or_everyone

SECTIONS = ("Plan and start", "Runs", "Two runs", "Over time")
SECTION_KEY, GOTO_KEY, RUN_KEY, FORM = "audit_section", "_audit_goto", "audit_run", "audit_plan"
PICK_KEY = "audit_run_pick"  # the list's widget; RUN_KEY keeps the run chosen (a label that changes never moves it)

ctx = ui.context()
st.title("Audits")
st.caption("How personal Fashion.AI is across many shoppers: a plan of categories and shoppers, run at a steady "
           "pace, scored (how different the storefronts are, how much of each category they show, the long tail, "
           "out-of-stock products, errors and speed), compared with earlier runs and watched over time.")
ui.tracking_note(ctx.settings)
store = audit_runs.store_or_stop()
if GOTO_KEY in st.session_state:
    st.session_state[SECTION_KEY] = st.session_state.pop(GOTO_KEY)
st.session_state.setdefault(SECTION_KEY, SECTIONS[0])
section = st.segmented_control("Section", SECTIONS, key=SECTION_KEY, label_visibility="collapsed") or SECTIONS[0]
saved_journeys = st.session_state.get(ui.SAVED_JOURNEYS_KEY, {})


def load_plan(text: str | bytes) -> None:
    """A plan (saved or uploaded) into the form; a bad one says why and changes nothing."""
    try:
        plan = plan_from_json(text)
    except PlanError as err:
        st.session_state["_audit_plan_problem"] = str(err)
        return
    st.session_state.update(plan_defaults(plan, key=FORM, saved=saved_journeys) | query_defaults(plan, key=FORM))


def open_saved_plan() -> None:
    name = st.session_state.get("audit_saved_plan")
    plan = audit_runs.call(lambda: store.plan(name)) if name else None
    if plan is not None:
        load_plan(plan_to_json(plan))


def delete_saved_plan() -> None:
    name = st.session_state.get("audit_saved_plan")
    if name and ui.require(Action.DELETE, page="Audits") and audit_runs.call(
            lambda: store.delete_plan(name)) is not False:
        st.session_state["audit_saved_plan"] = None
        st.toast(f"Plan “{name}” deleted (its runs stay).", icon=":material/delete:")


def open_uploaded_plan() -> None:
    upload = st.session_state.get("audit_plan_upload")
    if upload is not None:
        load_plan(upload.getvalue())


if section == "Plan and start":
    saved_plans = audit_runs.call(store.plans) or []
    left, right = st.columns(2)
    saved_by = {p.name: who_words(p.owner) for p in saved_plans}
    left.selectbox("Open a saved plan", list(saved_by), index=None, key="audit_saved_plan",
                   format_func=lambda name: f"{name} · saved by {saved_by.get(name, who_words(None))}",
                   placeholder=f"{len(saved_plans)} saved" if saved_plans else "No plan saved yet",
                   on_change=open_saved_plan)
    right.file_uploader("Or load a plan file (JSON)", type=["json"], key="audit_plan_upload",
                        on_change=open_uploaded_plan)
    if st.session_state.get("audit_saved_plan") and ui.allowed(Action.DELETE):
        left.button("Delete the saved plan", icon=":material/delete:", on_click=delete_saved_plan)
    if problem := st.session_state.pop("_audit_plan_problem", None):
        st.error(f"That plan cannot be used: {escape_markdown(problem)}.", icon=":material/rule:")
    plan, problem = plan_form(ctx.catalog.categories, saved_journeys, key=FORM)
    plan, problem = query_set_form(plan, ctx.catalog, key=FORM) if plan is not None else (plan, problem)
    if plan is None:
        st.warning(escape_markdown(problem), icon=":material/rule:")
        st.stop()
    try:  # counted, not resolved, and kept per plan and catalog: a rerun stays quick over 100,000 categories
        _, missing = plan_categories(plan, ctx.catalog)
        estimate = cached_estimate(plan, ctx.catalog)
    except PlanError as err:
        st.warning(escape_markdown(str(err)), icon=":material/rule:")
        st.stop()
    if missing:
        st.caption(f"Not in the catalog in use, left out: {escape_markdown(', '.join(missing))}.")
    cap = audit_runs.call_cap()
    within_cap = estimate_box(estimate, cap=cap, live=ctx.settings.is_live)
    over_cap = not within_cap and ui.allowed(Action.AUDIT_OVER_CAP) and st.checkbox(
        "Start it over the cap (an admin's right)", key="audit_over_cap")
    st.caption(audit_runs.shared_rate_note(plan))
    shoppers_needed_panel(ctx, store, key=FORM)
    confirmed = not ctx.settings.is_live or st.checkbox(
        "I understand: start this audit on the live Fashion.AI", key="audit_confirm_live")
    start_refusal = ui.why_not(Action.PLAN_AUDIT) or ui.why_not(Action.LIVE_CALL)
    with st.container(horizontal=True):
        if st.button("Start the audit", type="primary", icon=":material/play_arrow:", help=start_refusal or None,
                     disabled=not ((within_cap or over_cap) and confirmed) or bool(start_refusal)):
            run_id = audit_runs.start(ctx, store, plan, cap=cap, confirmed_live=confirmed, over_cap=over_cap)
            if run_id is not None:
                st.session_state[RUN_KEY], st.session_state[GOTO_KEY] = run_id, "Runs"
                st.rerun()
        if st.button("Save the plan", icon=":material/save:", disabled=not ui.allowed(Action.PLAN_AUDIT),
                     help=ui.why_not(Action.PLAN_AUDIT) or None):
            audit_runs.save_plan(store, plan)
        st.download_button("Download the plan (JSON)", plan_to_json(plan), file_name=f"{exports.slug(plan.name)}.json",
                           mime="application/json", icon=":material/download:", on_click="ignore")

elif section == "Runs":
    mine = mine_or_everyone("audit_owner", ui.current_person(), what="runs")
    runs = audit_runs.call(lambda: store.runs(started_by=mine)) or []
    if not runs:
        st.info("You have started no audit yet: choose Everyone to see the team's runs." if mine else
                "No audit has run yet: make a plan and start it.", icon=":material/fact_check:")
        st.stop()
    ids = [run.id for run in runs]
    if st.session_state.get(RUN_KEY) not in ids:  # nothing chosen yet (or it was deleted): the newest
        st.session_state[RUN_KEY] = ids[0]
    st.session_state[PICK_KEY] = run_id = st.session_state[RUN_KEY]
    labels = {run.id: run.label for run in runs}
    st.selectbox("Run", ids, format_func=labels.get, key=PICK_KEY,
                 on_change=lambda: st.session_state.update({RUN_KEY: st.session_state[PICK_KEY]}))
    run = audit_runs.watch(store, run_id)  # redrawn every second while the run works; the whole page when it ends
    if run is None:
        st.stop()
    refused = escape_markdown(audit_runs.steer_refusal(run))  # checked again when pressed
    with st.container(horizontal=True):
        if audit_runs.cancellable(run):  # here, or on another server
            st.button("Cancel", icon=":material/stop:", on_click=audit_runs.cancel, args=(run,), disabled=bool(refused),
                      help=refused or None)
        elif run.resumable and st.button("Resume", type="primary", icon=":material/play_arrow:",
                                         disabled=bool(refused), help=refused or None):
            if audit_runs.resume(ctx, store, run):
                st.rerun()
    card = audit_runs.scorecard(ctx, store, run)
    if card is not None:
        def drill(category: str) -> None:
            audit_runs.shoppers_drill(ctx, store, run, category, k=card.k, key=f"audit_drill_shoppers_{category}")

        last = last_comparable_run(runs, run)
        last_card = audit_runs.scorecard(ctx, store, last) if last is not None else None
        scorecard_panel(card, key="audit_card", drill=drill, last=(last, last_card) if last_card else None)
        exposure_panel(ctx, run, card, lambda: audit_runs.answers(store, run))
        ui.export_buttons(exports.Export(
            f"audit-{exports.slug(run.plan_name)}-{run.short_id}",
            {"scorecard": card.rows, "answers": answers_frame(audit_runs.answers(store, run), k=card.k),
             "bias": card.bias}, meta=audit_runs.meta(run)), key="audit_export")
        audit_buttons(run, card)

elif section == "Two runs":
    runs = [run for run in audit_runs.call(store.runs) or [] if run.scorecard_json]
    if len(runs) < 2:
        st.info("Two runs with a scorecard are needed: run an audit twice (after a change of the catalog, say).",
                icon=":material/compare_arrows:")
        st.stop()
    labels = {run.id: run.label for run in runs}
    left, right = st.columns(2)
    first = left.selectbox("First run", list(labels), index=1, format_func=labels.get, key="audit_first")
    second = right.selectbox("Second run", list(labels), index=0, format_func=labels.get, key="audit_second")
    if first == second:
        st.warning("Choose two different runs.", icon=":material/rule:")
        st.stop()
    changes, overlap, queries = audit_runs.compare(store, first, second)
    by_id = {run.id: run for run in runs}
    differences = run_differences(by_id[first], by_id[second])
    comparison_panel(changes, overlap, key="audit_changes", differences=differences, queries=queries)
    noise_panel(audit_runs.noise_table(ctx, store, first, second, work=False), key="audit_noise",
                catalog_fits=ctx.catalog.fingerprint == by_id[first].catalog_fingerprint, comparable=not differences,
                catalog_name=by_id[first].catalog_name,
                work=lambda: audit_runs.noise_table(ctx, store, first, second, work=True))

else:
    runs = audit_runs.call(store.runs) or []
    plans = list(dict.fromkeys(run.plan_name for run in runs))
    if not plans:
        st.info("No audit has run yet.", icon=":material/timeline:")
        st.stop()
    plan_name = st.selectbox("Plan", plans, key="audit_trend_plan")
    trend_panel([run for run in runs if run.plan_name == plan_name], key="audit_trend")
