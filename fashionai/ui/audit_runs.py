"""The audit page's runs: the store, starting and resuming a run in the background, watching it, its scorecard.

Imported by pages/audit.py (and ui/explain_widgets.py, which watches an experiment's run the same way).
A run works in a background thread of this server (fashionai.audit.background), stored as it goes; any
browser session can watch it, and a page that is closed or reloaded loses nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

import pandas as pd
import streamlit as st

from fashionai.audit import background, noise
from fashionai.audit.comparison import compare_scorecards, query_changes, shopper_overlap
from fashionai.audit.model import HEARTBEAT_EVERY, Answer, AuditRun, RunStatus
from fashionai.audit.plan import AuditPlan, plan_from_json
from fashionai.audit.runner import CANCELLED_WORDS, resume_run, start_run
from fashionai.audit.scorecard import Scorecard, score_run
from fashionai.audit.store import AuditStore
from fashionai.audit.view import category_shoppers, drill_compare_view, scorecard_meta
from fashionai.config import ConfigError, HistoryError
from fashionai.domain import DEFAULT_P
from fashionai.journeys.view import product_names
from fashionai.output import share
from fashionai.team import Action, can_steer, refusal
from fashionai.team.activity import ActivityAction
from fashionai.text.formatting import escape_markdown
from fashionai.ui.activity import log_activity, log_from_thread
from fashionai.ui.audit_widgets import run_progress
from fashionai.ui.catalog_choice import catalog_name
from fashionai.ui.errors import show_error
from fashionai.ui.filters_widgets import dashboard_filters
from fashionai.ui.identity import current_person, require
from fashionai.ui.page_context import Context
from fashionai.ui.resources import audit_config, audit_store

T = TypeVar("T")
SCORECARD_KEY = "_audit_scorecard"
"""(run id, done calls, catalog fingerprint, Scorecard): the scorecard of an unfinished run, made once per state."""
PAGE = "Audits"
ANSWERS_KEY = "_audit_answers"
"""(run id, done calls, answers): a run's answers, read once per state for its drill-down and export."""


def store_or_stop() -> AuditStore:
    """The audits' store (the history's database); without one, say why and stop the page."""
    try:
        return audit_store()
    except (HistoryError, ConfigError) as err:
        st.error(f"**Audits are kept in the history, which cannot be used now.** {escape_markdown(err)}\n\n"
                 "Audits need it: fix the history's address on the Settings page.", icon=":material/database:")
        st.stop()


def call(fn: Callable[[], T]) -> T | None:
    """A store call whose failure is shown in plain words (None then)."""
    try:
        return fn()
    except (HistoryError, ConfigError, ValueError) as err:
        show_error(err, what="The audits' store")
        return None


def call_cap() -> int | None:
    """The most calls an audit may make here (None: no cap, the setting at 0)."""
    try:
        return audit_config().max_calls
    except ConfigError as err:
        show_error(err, what="The audit call cap setting")
        st.stop()


def steer_refusal(run: AuditRun) -> str:
    """Why this person may not cancel or resume `run` (someone else started it; only they or an admin may),
    "" when they may: a disabled button's help."""
    who = current_person()
    if can_steer(who, run.started_by):
        return ""
    return f"This run was started by {run.started_by_words}. {refusal(who, Action.STEER_OTHERS_RUN)}"


def may_steer(run: AuditRun) -> bool:
    """The server's check when Cancel or Resume is pressed: the person who started the run, or an admin (a
    refusal is shown and recorded)."""
    return can_steer(current_person(), run.started_by) or require(Action.STEER_OTHERS_RUN, page=PAGE)


def shared_rate_note(plan: AuditPlan) -> str:
    """What the deployment's shared rate does to this plan's pace, in words ("" when it does not hold it back)."""
    try:
        rate = audit_config().rate
    except ConfigError:  # said when the run starts
        return ""
    if rate is None:
        return ""
    note = (f"Every audit of this studio together sends at most {rate:g} requests a second "
            "(the **audits' rate**, `FASHIONAI_AUDIT_RATE`), shared with any other run going at the time")
    if plan.rate > rate:
        return f"{note}: this plan's {plan.rate:g} a second is held to that, so it takes longer than said above."
    return f"{note}: when others run, this one may take longer than said above."


def save_plan(store: AuditStore, plan: AuditPlan) -> None:
    """Save the plan as this person's (checked here, on the server), said in a toast and written in the activity
    log as "audit planned"."""
    if not require(Action.PLAN_AUDIT, page=PAGE):
        return
    if call(lambda: store.save_plan(plan, owner=current_person().email)) is not False:
        st.toast(f"Plan “{plan.name}” saved.", icon=":material/save:")
        log_activity(ActivityAction.AUDIT_PLANNED, page=PAGE, detail=plan.name)


def _score(ctx: Context, plan: AuditPlan) -> Callable[[Iterable[Answer], bool], str]:
    catalog = ctx.catalog
    filters = dashboard_filters(quiet=True)  # read here: the run is scored in its own thread

    def score(answers: Iterable[Answer], partial: bool = False) -> str:
        return score_run(answers, catalog, k=plan.k, partial=partial, judgments=plan.judgments,
                         filters=filters).to_json()
    return score


def start(ctx: Context, store: AuditStore, plan: AuditPlan, *, cap: int | None, confirmed_live: bool,
          over_cap: bool = False) -> str | None:
    """Start `plan` in the background; its run id, or None (the reason shown). `over_cap`: an admin starts it
    over the call cap (checked here, whoever asks)."""
    if not (require(Action.PLAN_AUDIT, page=PAGE) and require(Action.LIVE_CALL, page=PAGE)):
        return None
    if over_cap and not require(Action.AUDIT_OVER_CAP, page=PAGE):
        return None
    try:
        runner = start_run(store, ctx.client, plan, ctx.catalog, backend=ctx.settings.backend,
                           catalog_name=catalog_name(ctx.settings)[0], max_calls=None if over_cap else cap,
                           confirmed_live=confirmed_live, started_by=current_person().email,
                           shared_rate=audit_config().rate, score=_score(ctx, plan))
    except (ValueError, HistoryError) as err:
        show_error(err, what="Starting the audit")
        return None
    background.start_in_background(runner, then=_when_finished(plan.name))
    log_activity(ActivityAction.AUDIT_STARTED, page=PAGE, detail=f"{plan.name} ({ctx.settings.backend})",
                 count=runner.resolved.total_calls)
    return runner.run_id


def _when_finished(plan_name: str) -> Callable[[object], None]:
    """What the run's thread does when it ends: "audit finished" in the activity log, once all its calls are made."""
    write = log_from_thread(ActivityAction.AUDIT_FINISHED, page=PAGE)

    def finished(run: object) -> None:
        if isinstance(run, AuditRun) and run.status == RunStatus.DONE:
            write(plan_name, run.done_calls)
    return finished


def resume(ctx: Context, store: AuditStore, run: AuditRun) -> bool:
    """Resume a stopped run in the background (the same shoppers and sessions); False when it cannot (another
    process runs it, say, or someone else started it and this person is no admin), and why is shown."""
    if not (may_steer(run) and require(Action.PLAN_AUDIT, page=PAGE) and require(Action.LIVE_CALL, page=PAGE)):
        return False
    try:
        plan = plan_from_json(run.plan_json)
        runner = resume_run(store, ctx.client, run.id, ctx.catalog, backend=ctx.settings.backend,
                            shared_rate=audit_config().rate, score=_score(ctx, plan))
    except (ValueError, HistoryError) as err:
        show_error(err, what="Resuming the audit")
        return False
    started = background.start_in_background(runner, then=_when_finished(run.plan_name))
    if started:
        log_activity(ActivityAction.AUDIT_RESUMED, page=PAGE, detail=f"{run.plan_name} (run {run.short_id})")
    return started


def cancellable(run: AuditRun) -> bool:
    """A run working, here or on another server (which then stops it at its next heartbeat)."""
    return background.active(run.id) is not None or (run.status == RunStatus.RUNNING and run.working())


def cancel(run: AuditRun) -> None:
    """Cancel a run (a button's callback: the page then shows it cancelled), when this person started it or is
    an admin: here at once; on another server by storing it cancelled, which that server reads at its run's next
    heartbeat (within HEARTBEAT_EVERY seconds)."""
    if not may_steer(run):
        return
    if background.cancel(run.id):
        st.toast("Cancelled: the calls in flight finish, then the run stops. Resume it any time.")
        log_activity(ActivityAction.AUDIT_CANCELLED, page=PAGE, detail=f"{run.plan_name} (run {run.short_id})")
    elif call(lambda: audit_store().set_status(run.id, RunStatus.CANCELLED, message=CANCELLED_WORDS)) is not None:
        st.toast(f"Cancelled: the server running it stops it within {HEARTBEAT_EVERY:.0f} seconds (what it made "
                 "is kept). Resume it any time once it has stopped.")
        log_activity(ActivityAction.AUDIT_CANCELLED, page=PAGE,
                     detail=f"{run.plan_name} (run {run.short_id}, on another server)")


def watch(store: AuditStore, run_id: str) -> AuditRun | None:
    """The run's progress, redrawn every second while it works here (every few seconds from the store while
    it works in another process); the page reruns when it stops."""
    run = call(lambda: store.run(run_id))
    if run is None:
        return None
    runner = background.active(run.id)
    if runner is None and run.working():  # in another process: its stored progress and heartbeat

        @st.fragment(run_every=2.0)
        def elsewhere() -> None:
            fresh = call(lambda: store.run(run.id)) or run
            if not fresh.working():
                st.rerun(scope="app")
            run_progress(fresh, None)

        elsewhere()
        return run
    if runner is None:
        run_progress(run, None)
        return run

    @st.fragment(run_every=1.0)
    def progress() -> None:
        current = background.active(run.id)
        if current is None:  # it stopped: show the scorecard
            st.rerun(scope="app")
        fresh = call(lambda: store.run(run.id)) or run
        run_progress(fresh, current.progress)

    progress()
    return run


def answers(store: AuditStore, run: AuditRun) -> list[Answer]:
    """The run's answers, read once for its current state (drill-down, export)."""
    kept = st.session_state.get(ANSWERS_KEY)
    if kept is not None and kept[:2] == (run.id, run.done_calls):
        return kept[2]
    found = call(lambda: list(store.answers(run.id))) or []
    st.session_state[ANSWERS_KEY] = (run.id, run.done_calls, found)
    return found


def scorecard(ctx: Context, store: AuditStore, run: AuditRun) -> Scorecard | None:
    """The run's scorecard: the one stored when it stopped, else made from its answers (with the catalog in use,
    when it is the run's)."""
    if background.active(run.id) is not None:
        st.caption("The scorecard appears here when the run stops (cancel it to see what it has so far).")
        return None
    if run.scorecard_json:
        try:
            return Scorecard.from_json(run.scorecard_json)
        except ValueError as err:
            show_error(err, what="Reading the run's scorecard")
            return None
    if run.done_calls == 0:
        return None
    if ctx.catalog.fingerprint != run.catalog_fingerprint:
        st.info(f"This run's scorecard is made when it stops, with its catalog ({escape_markdown(run.catalog_name)}); "
                "open that catalog to see it sooner.", icon=":material/inventory_2:")
        return None
    kept = st.session_state.get(SCORECARD_KEY)
    if kept is not None and kept[:3] == (run.id, run.done_calls, ctx.catalog.fingerprint):
        return kept[3]
    plan = plan_from_json(run.plan_json)
    card = call(lambda: score_run(iter(answers(store, run)), ctx.catalog, k=plan.k, partial=True,
                                  judgments=plan.judgments, filters=dashboard_filters(quiet=True)))
    if card is not None:
        st.session_state[SCORECARD_KEY] = (run.id, run.done_calls, ctx.catalog.fingerprint, card)
    return card


def compare(store: AuditStore, first: str, second: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Two runs: each measure's change, each shopper's lists between them, and the queries that changed most."""
    a, b = call(lambda: store.run(first)), call(lambda: store.run(second))
    if a is None or b is None or not a.scorecard_json or not b.scorecard_json:
        return pd.DataFrame(), pd.DataFrame(), pd.DataFrame()
    before, after = Scorecard.from_json(a.scorecard_json), Scorecard.from_json(b.scorecard_json)
    changes = compare_scorecards(before, after)
    overlap = call(lambda: shopper_overlap(store.answers(a.id), store.answers(b.id), k=before.k, p=DEFAULT_P))
    return changes, overlap if overlap is not None else pd.DataFrame(), query_changes(before, after)


NOISE_KEY = "_audit_noise"
"""(first run id, second run id, catalog fingerprint, resamples, table): two runs' intervals, worked out once."""


def noise_table(ctx: Context, store: AuditStore, first: str, second: str, *, work: bool) -> pd.DataFrame | None:
    """Two runs' changes with their 95% intervals (`audit.noise`), kept for the session; worked out when `work`
    (a button: it scores every resample), else the kept one or None."""
    key = (first, second, ctx.catalog.fingerprint, noise.BOOTSTRAP_RESAMPLES)
    kept = st.session_state.get(NOISE_KEY)
    if kept is not None and kept[:4] == key:
        return kept[4]
    if not work:
        return None
    a, b = call(lambda: store.run(first)), call(lambda: store.run(second))
    if a is None or b is None:
        return None
    k = plan_from_json(a.plan_json).k
    with st.spinner("Scoring the resampled shoppers of both runs…"):
        table = call(lambda: noise.change_intervals(store.answers(a.id), store.answers(b.id), ctx.catalog, k=k,
                                                    judgments=(plan_from_json(a.plan_json).judgments,
                                                               plan_from_json(b.plan_json).judgments)))
    if table is not None:
        st.session_state[NOISE_KEY] = (*key, table)
    return table


def meta(run: AuditRun) -> dict[str, object]:
    return scorecard_meta(run)


def shoppers_drill(ctx: Context, store: AuditStore, run: AuditRun, category: str, *, k: int, key: str) -> None:
    """A category's shoppers of `run` (a scorecard row drilled into): their sessions and first products, and the
    ones chosen (up to 6, under `key`) opened side by side on Compare lanes."""
    shoppers = category_shoppers(answers(store, run), category, k=k, names=product_names(ctx.catalog))
    st.dataframe(shoppers.table.drop(columns=["snapshot_id"]), hide_index=True, width="stretch",
                 column_config={"label": "Shopper", "shopper": None, "session_id": "Session",
                                "user_id": "User", "products": "Products", "first": "First products"})
    labels: dict[str, str] = dict(zip(shoppers.table["shopper"], shoppers.table["label"], strict=True))
    chosen = st.multiselect("Shoppers to compare side by side (up to 6)", list(labels), default=list(labels)[:3],
                            max_selections=6, format_func=lambda shopper: labels[shopper], key=key)
    if st.button("Open them on Compare lanes", icon=":material/compare_arrows:", disabled=not chosen):
        view = drill_compare_view(shoppers, chosen, k=k)
        st.switch_page("pages/compare.py", query_params=share.encode(view))
