"""What moved these products: the leave-one-out experiment's panel, drawn by the walk, journey and compare pages.

    explain_panel(ctx, lambda: from_walk(walk.trail, session_id), key="walk", page="Shopper walk")

The panel says what the experiment replays and what it costs in calls before anything is sent;
it needs a confirmation on the live API, the right to make live calls (a merchandiser) and, over
the audit call cap, an admin's; it runs as an audit in this server's background (progress shown
while it works), and its result is read back from the stored run, never by calling again.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from fashionai.audit import background
from fashionai.audit.model import AuditRun
from fashionai.audit.store import AuditStore
from fashionai.config import ConfigError, HistoryError
from fashionai.explain.charts import moves_heatmap
from fashionai.explain.handover import explanation_handover, explanation_section
from fashionai.explain.experiment import DEFAULT_TWINS, MAX_TWINS, ExplainError, Experiment, start_experiment
from fashionai.explain.reading import Explanation, read_explanation
from fashionai.explain.sources import Source, from_history, from_journey
from fashionai.history import Filters
from fashionai.journeys.journey import Journey
from fashionai.compare.compared import Comparison
from fashionai.compare.lanes import SESSION, LaneSpec
from fashionai.team import Action
from fashionai.team.activity import ActivityAction
from fashionai.text.formatting import escape_markdown, plural
from fashionai.ui.activity import log_activity
from fashionai.ui.audit_runs import call_cap, watch
from fashionai.ui.catalog_choice import catalog_name
from fashionai.ui.errors import show_error
from fashionai.output.handover import Section
from fashionai.ui.handover_widgets import handover_buttons, made_with
from fashionai.ui.identity import allowed, current_person, require, why_not
from fashionai.ui.page_context import Context
from fashionai.ui.resources import audit_config, audit_store, history_store

TITLE = "What moved these products (leave-one-out replays)"
GONE = "The experiment's stored run is gone (deleted, or past the history's retention): run it again."
HISTORY_READ = 500
"""The most saved answers of a session read for its history (its last events are replayed)."""
SENTENCES = 5
"""The biggest moves said as sentences under the heatmap."""
LANE_KEY, LINKED_LANE_KEY = "compare_explain_lane", "compare_explain_linked_lane"
"""The compare page's session lane explained (its picker), and a share link's lane (its session) to pick."""


def run_key(key: str) -> str:
    """The session-state key holding the id of the experiment's stored run on the page `key`."""
    return f"{key}_explain_run"


def take_link(key: str, run_id: str | None) -> None:
    """A share link's experiment (its stored run's id) shown by the panel of the page `key`: read, no call."""
    if run_id:
        st.session_state[run_key(key)] = run_id


def explain_panel(ctx: Context, source: Callable[[], Source], *, key: str, page: str) -> None:
    """The experiment's panel: `source()` makes the events to replay (its ExplainError says why there are none)."""
    with st.expander(TITLE, icon=":material/science:", expanded=bool(st.session_state.get(run_key(key)))):
        st.caption("Each variant is a fresh synthetic session that replays the shopper's events, then opens the "
                   "category: once with every event, once without each event, and the whole sequence again on "
                   "other sessions (the twins) to measure the engine's own noise. A move no larger than a "
                   "product's spread across those identical replays is said to be within noise.")
        try:
            events = source()
        except ExplainError as err:
            st.info(escape_markdown(f"Nothing to replay yet: {err}."), icon=":material/info:")
        else:
            _plan(ctx, events, key=key, page=page)
        if run_id := st.session_state.get(run_key(key)):
            _result(ctx, run_id, key=key)


def _plan(ctx: Context, source: Source, *, key: str, page: str) -> None:
    left, right = st.columns(2)
    twins = left.number_input("Twins (identical replays, for the noise)", min_value=1, max_value=MAX_TWINS,
                              value=DEFAULT_TWINS, step=1, key=f"{key}_explain_twins")
    singles = right.checkbox("Also replay each event alone", key=f"{key}_explain_singles")
    try:
        experiment = source.experiment(twins=int(twins), singles=singles)
    except ExplainError as err:
        st.info(escape_markdown(f"These events cannot be replayed: {err}."), icon=":material/info:")
        return
    cost = experiment.cost()
    st.markdown(f"Replays {plural(len(experiment.events), 'event')} of the {escape_markdown(source.title)}, "
                f"asking for **{escape_markdown(experiment.category)}** last: **{cost.calls:,} calls** "
                f"({escape_markdown(cost.words())}, the first the category's best sellers)."
                + (f" Left out: {escape_markdown(source.note)}" if source.note else ""))
    cap = call_cap()
    over_cap = cap is not None and cost.calls > cap
    if over_cap:
        st.warning(f"That is more than the {cap:,} calls an audit may make here (the audit call cap).",
                   icon=":material/block:")
    over_ok = over_cap and allowed(Action.AUDIT_OVER_CAP) and st.checkbox(
        "Run it over the cap (an admin's right)", key=f"{key}_explain_over_cap")
    confirmed = not ctx.settings.is_live or st.checkbox(
        f"I understand: send these {cost.calls:,} calls to the live Fashion.AI", key=f"{key}_explain_confirm")
    refusal = why_not(Action.LIVE_CALL)
    running = bool((run := st.session_state.get(run_key(key))) and background.active(run) is not None)
    if st.button("Run the experiment", icon=":material/science:", key=f"{key}_explain_start",
                 disabled=bool(refusal) or not confirmed or (over_cap and not over_ok) or running,
                 help=refusal or None):
        _start(ctx, experiment, key=key, page=page, cap=cap, over_cap=over_cap, confirmed=confirmed)


def _start(ctx: Context, experiment: Experiment, *, key: str, page: str, cap: int | None, over_cap: bool,
           confirmed: bool) -> None:
    """Checked here, on the server, whoever asks: the right to spend calls, and an admin's over the cap."""
    if not require(Action.LIVE_CALL, page=page) or (over_cap and not require(Action.AUDIT_OVER_CAP, page=page)):
        return
    try:
        store = audit_store()
        runner = start_experiment(store, ctx.client, experiment, ctx.catalog, backend=ctx.settings.backend,
                                  catalog_name=catalog_name(ctx.settings)[0], max_calls=None if over_cap else cap,
                                  confirmed_live=confirmed, started_by=current_person().email,
                                  shared_rate=audit_config().rate)
    except (ValueError, HistoryError, ConfigError) as err:
        show_error(err, what="Starting the experiment")
        return
    background.start_in_background(runner)
    st.session_state[run_key(key)] = runner.run_id
    log_activity(ActivityAction.AUDIT_STARTED, page=page, detail=f"{experiment.plan().name} ({ctx.settings.backend})",
                 count=runner.resolved.total_calls)


def explanation(ctx: Context, store: AuditStore, run_id: str, *, key: str) -> Explanation | None:
    """The stored run read once per state (no call); None, with the reason shown, when it cannot be read."""
    try:
        run = store.run(run_id)
    except HistoryError as err:
        show_error(err, what="Reading the experiment")
        return None
    if run is None:
        st.info(GONE, icon=":material/history:")
        return None
    try:
        return _read(ctx, store, run, key=key)
    except (ValueError, HistoryError) as err:
        show_error(err, what="Reading the experiment")
        return None


def _read(ctx: Context, store: AuditStore, run: AuditRun, *, key: str) -> Explanation:
    """The stored run's explanation, read once per state (its answers so far, the catalog) and kept for the page
    `key`; ValueError or HistoryError when it cannot be read."""
    kept = st.session_state.get(f"{key}_explain_read")
    state = (run.id, run.done_calls, ctx.catalog.fingerprint)
    if kept is not None and kept[0] == state:
        return kept[1]
    found = read_explanation(store, run.id, ctx.catalog)
    st.session_state[f"{key}_explain_read"] = (state, found)
    return found


def _result(ctx: Context, run_id: str, *, key: str) -> None:
    try:
        store = audit_store()
    except (HistoryError, ConfigError) as err:
        show_error(err, what="The audits' store")
        return
    try:
        stored = store.run(run_id)
    except HistoryError as err:
        show_error(err, what="Reading the experiment")
        return
    if stored is None:
        st.info(GONE, icon=":material/history:")
        return
    run = watch(store, run_id)  # its progress, redrawn while it works; the page reruns when it stops
    if run is None or background.active(run_id) is not None:
        return
    found = explanation(ctx, store, run_id, key=key)
    if found is not None:
        explanation_view(found, run_short_id=run.short_id, key=key)
        handover_buttons(lambda: explanation_handover(found, **made_with(ctx)), key=f"{key}_explain_handover",
                         name=f"fashionai-what-moved-{run.short_id}")


def explained(key: str) -> tuple[Section, ...]:
    """The section of the experiment shown on the page `key` (read from its stored run), for the page's own deck
    and report; () before one is shown."""
    kept = st.session_state.get(f"{key}_explain_read")
    return (explanation_section(kept[1]),) if kept is not None and kept[0][0] == st.session_state.get(run_key(key)) \
        else ()


def explanation_view(found: Explanation, *, run_short_id: str, key: str) -> None:
    """The sentences of the biggest moves, the heatmap, and what each event did to a product pointed at; read from
    the stored run (no call)."""
    st.caption(f"Read from the stored run {run_short_id} (also on the Audits page): no call was made to show it."
               + ("" if found.complete else " The run did not finish: these are the answers it has."))
    if not found.noise_measured:
        st.warning("No twin was answered, so the noise is not measured: every move is told as the event's doing.",
                   icon=":material/warning:")
    biggest = found.biggest(SENTENCES)
    if not biggest:
        st.info(f"Leaving out any one event moved no product of the first {found.k} places: these events did not "
                "change this shelf.", icon=":material/info:")
        return
    st.markdown("\n".join(f"- {found.sentence(move, markdown=True)}" for move in biggest))
    st.altair_chart(moves_heatmap(found), width="stretch", theme=None)
    shown = found.shown()
    if shown:
        pointed = st.selectbox("Point at a product: what did each event do to it?", shown, index=None,
                               format_func=lambda p: f"#{shown.index(p) + 1} {found.name(p)}",
                               placeholder="A product of the first places", key=f"{key}_explain_product")
        if pointed is not None:
            st.markdown("\n".join(f"- {line}" for line in found.story(str(pointed), markdown=True)))


def journey_panel(ctx: Context, journey: Journey) -> None:
    """The journey page's panel: the journey's steps, asking for the category it watches."""
    explain_panel(ctx, lambda: from_journey(journey), key="journey", page="Personas and journeys")


def _session_lanes(comparison: Comparison) -> dict[str, LaneSpec]:
    """The comparison's session lanes an experiment can replay, by label (none for a search comparison)."""
    if comparison.search:
        return {}
    return {lane.label: lane.spec for lane in comparison.lanes if lane.spec.kind == SESSION and lane.spec.session_id}


def _compare_key(session_id: str) -> str:
    """The page key of a session lane's panel on the compare page (one experiment a lane)."""
    return f"compare_{session_id}"


def _picked_lane(comparison: Comparison) -> LaneSpec | None:
    """The session lane the compare page's panel explains: the one picked (the only one when one), a link's first."""
    lanes = _session_lanes(comparison)
    if not lanes:
        return None
    linked = st.session_state.pop(LINKED_LANE_KEY, None)
    for label, spec in lanes.items():
        if linked is not None and spec.session_id == linked:
            st.session_state[LANE_KEY] = label  # a share link's lane, before its picker is drawn
    picked = st.session_state.get(LANE_KEY) if len(lanes) > 1 else None
    return lanes.get(str(picked)) or next(iter(lanes.values()))


def take_compare_link(run_id: str | None, lane_session: str | None) -> None:
    """A compare link's experiment (its stored run, of the session lane `lane_session`): shown by that lane's panel,
    read from the store (no call)."""
    if run_id and lane_session:
        take_link(_compare_key(lane_session), run_id)
        st.session_state[LINKED_LANE_KEY] = lane_session


def compare_explained(ctx: Context, comparison: Comparison) -> tuple[str | None, str | None, tuple[Section, ...]]:
    """The experiment of the session lane the compare page explains, for its share link and its deck and report:
    (its stored run's id, the lane's session, its section), read quietly from the store (no call; the panel below
    says what fails); (None, None, ()) before one is run."""
    spec = _picked_lane(comparison)
    run_id = st.session_state.get(run_key(_compare_key(spec.session_id))) if spec and spec.session_id else None
    if spec is None or not spec.session_id or not run_id:
        return None, None, ()
    key = _compare_key(spec.session_id)
    try:
        store = audit_store()
        run = store.run(run_id)
        if run is not None and background.active(run_id) is None:
            _read(ctx, store, run, key=key)
    except (ValueError, HistoryError, ConfigError):
        pass  # the panel says it
    return run_id, spec.session_id, explained(key)


def lane_history_panel(ctx: Context, comparison: Comparison) -> None:
    """The compare page's panel: a session lane's saved history (its tracking events, oldest first), asking for the
    compared category. A search comparison, or one without a session lane, has none."""
    lanes = _session_lanes(comparison)
    if not lanes:
        return
    _picked_lane(comparison)  # a share link's lane, picked before the picker is drawn
    label = st.selectbox("Session lane to explain", list(lanes), key=LANE_KEY) if len(lanes) > 1 \
        else next(iter(lanes))
    spec = lanes[str(label)]

    def source() -> Source:
        try:
            saved = history_store().query(Filters(session_id=spec.session_id, user_id=spec.user_id, ok=True),
                                          limit=HISTORY_READ)
        except (HistoryError, ConfigError) as err:
            raise ExplainError(f"the history cannot be read now ({err})") from err
        events = [(s.event_type, s.item_id or "") for s in reversed(saved)]
        return from_history(events, comparison.category, f"lane {spec.label}")
    explain_panel(ctx, source, key=_compare_key(str(spec.session_id)), page="Compare lanes")
