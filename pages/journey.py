"""Personas and journeys: how one category's ranking drifts as a shopper browses, step by step."""

import streamlit as st

from fashionai import ui
from fashionai.compare.replay import replay_journey
from fashionai.domain import DEFAULT_K, JOURNEY_K_RANGE, EventType
from fashionai.journeys.journey import Journey, journey_from_json, made_by
from fashionai.journeys.run import run_journey
from fashionai.journeys.view import (
    NEW_JOURNEY,
    compare_lane_name,
    drift,
    failed_step,
    journey_caption,
    journey_choices,
    product_names,
    run_caption,
    run_cost,
    run_steps,
    step_progress,
)
from fashionai.output import share
from fashionai.team import Action
from fashionai.text.formatting import code_span, escape_markdown, new_session_id
from fashionai.ui.explain_widgets import explained, journey_panel, run_key, take_link
from fashionai.ui.handover_widgets import journey_buttons
from fashionai.ui.journey_widgets import drift_section, journey_editor, planned_table

RUN_KEY = ui.JOURNEY_RUN_KEY  # read by the catalog page, dropped when the catalog changes
CHOICE_KEY = "journey_choice"
SAVED_JOURNEYS_KEY = ui.SAVED_JOURNEYS_KEY  # shared with the compare page: name -> Journey
SESSION_PREFIX = "studio-journey"


def _load_upload() -> None:
    """Read an uploaded journey file into the saved journeys and choose it (a callback)."""
    uploaded = st.session_state.get("journey_upload")
    st.session_state.pop("journey_load_error", None)
    if uploaded is None:
        return
    try:
        journey = journey_from_json(uploaded.getvalue())
    except ValueError as err:
        st.session_state["journey_load_error"] = f"{uploaded.name} could not be loaded: {err}."
        return
    st.session_state.setdefault(SAVED_JOURNEYS_KEY, {})[journey.name] = journey
    st.session_state[CHOICE_KEY] = f"Saved: {journey.name}"


def apply_link(link: ui.LinkOpening, offered: dict[str, Journey]) -> None:
    """A shared link: its journey (if this session offers it), K and fresh-session toggle, and its run replayed
    from the history's saved answers (no call)."""
    view: share.JourneyView = link.view
    if view.journey is not None:
        if view.journey not in offered:
            link.problems.append(f"The link's journey {view.journey!r} is not available here (personas are made "
                                 "from the catalog; edited journeys are kept per browser session: load its JSON "
                                 "file).")
        else:
            st.session_state[CHOICE_KEY] = view.journey
    if view.k is not None:
        st.session_state["journey_k"] = view.k
    st.session_state["journey_fresh"] = view.fresh
    st.session_state.pop(RUN_KEY, None)
    take_link("journey", view.explain)  # its experiment: read from the stored run by the panel (no call)
    saved = link.saved(list(view.snapshots)) if view.snapshots else []
    if not saved or len(saved) < len(view.snapshots):
        return  # nothing saved named, or some gone (said by link.saved): the page as usual
    try:
        st.session_state[RUN_KEY] = replay_journey(saved, link.ctx.catalog, journey=offered.get(view.journey or ""))
    except ValueError as err:
        link.problems.append(f"The journey's saved answers cannot be shown here: {err}.")
        return
    link.notes.append(f"Replaying the journey saved on {saved[0].recorded_at:%Y-%m-%d at %H:%M} UTC with today's "
                      "catalog: no call was made. Press **Run journey** to run it live (every step is recorded).")


ctx = ui.context()
catalog = ctx.catalog
names = product_names(catalog)
st.title("Personas and journeys")
st.caption("A journey is a scripted shopper: an ordered list of events (open a category, view a product, "
           "ask for a look, open the home shelf) sent for one session. After every step the target "
           "category's ranking is fetched, so you can watch its top products move step by step.")
if ctx.settings.is_live:
    st.warning("**Fashion.AI records every step**, and every ranking fetched after a step (a visit of the "
               "target category's page): two events per step, all for the journey's session. Journeys run on "
               "a fresh synthetic session id unless you turn that off below.", icon=":material/visibility:")
else:
    st.caption(":material/visibility: Like Fashion.AI, the simulator records every step and every ranking "
               "fetched after it (a visit of the target category's page) as events of the journey's session.")

# --------------------------------------------------------------------------- choose and edit

personas = ui.personas(catalog)
saved: dict[str, Journey] = st.session_state.setdefault(SAVED_JOURNEYS_KEY, {})
categories = catalog.categories
choices = journey_choices(personas, saved, categories)
if not choices:
    st.info("Your catalog has no categories, so there is nothing to build a journey on. Load a journey file, "
            "or upload a catalog with a category column.", icon=":material/info:")
ui.open_link("journey", ctx, lambda link: apply_link(link, choices), options=list(choices))  # a shared link's view, applied once
st.session_state.setdefault("journey_fresh", True)
st.session_state.setdefault("journey_k", DEFAULT_K)
if st.session_state.get(CHOICE_KEY) not in choices and choices:
    st.session_state[CHOICE_KEY] = next(iter(choices))

left, right = st.columns([2, 1], vertical_alignment="bottom")
choice = left.selectbox("Journey", list(choices), key=CHOICE_KEY,
                        help="Built-in personas are made from your catalog; saved journeys are the ones you "
                             "loaded or ran after editing, in this browser session.")
right.file_uploader("Load a journey (JSON)", type=["json"], key="journey_upload", on_change=_load_upload)
if error := st.session_state.get("journey_load_error"):
    st.error(escape_markdown(error), icon=":material/error:")
if not choices:
    st.stop()

base = choices[choice]
if caption := journey_caption(base):
    st.caption(caption)
journey = journey_editor(base, categories, catalog, key="journey", expanded=choice == NEW_JOURNEY)
if journey is not None:
    planned_table(journey, catalog, names)

# --------------------------------------------------------------------------- run

c1, c2 = st.columns(2)
fresh = c1.toggle("Run on a fresh synthetic session (recommended)", key="journey_fresh",
                  help="A new session id for every run, so no real shopper's history is touched.")
k = c2.slider("Top K to follow", *JOURNEY_K_RANGE, key="journey_k")
session_id, user_id = ui.session_values()
if not fresh:
    if ctx.settings.is_live:
        st.warning(f"Every step will be recorded for session {code_span(session_id)}"
                   + (f" and user {code_span(user_id)}" if user_id else "") + ".",
                   icon=":material/visibility:")
    else:
        st.caption(f"Runs on the sidebar's session {code_span(session_id)}, whose earlier history "
                   "also counts.")
if journey is not None:
    st.caption(run_cost(journey))
    journey_panel(ctx, journey)

refused, PAGE = ui.why_not(Action.RUN_JOURNEY) or ui.why_not(Action.LIVE_CALL), "Personas and journeys"
if (st.button("Run journey", type="primary", icon=":material/directions_walk:", help=refused or None,
              disabled=journey is None or bool(refused)) or (ui.rerun_asked("journey") and journey is not None)) and (
        ui.require(Action.RUN_JOURNEY, page=PAGE) and ui.require(Action.LIVE_CALL, page=PAGE)):
    run_session = new_session_id(SESSION_PREFIX) if fresh else session_id
    if not run_session:
        st.warning("The sidebar has no shopper session id: turn on the fresh synthetic session.",
                   icon=":material/badge:")
    else:
        run = ui.call_with_progress(
            "Running the journey", f"Step 0 of {len(journey.steps)}",
            lambda progress: run_journey(ctx.client, journey, session_id=run_session,
                                         user_id=None if fresh else user_id,
                                         native=catalog.category_ids(journey.target_category), on_step=progress),
            lambda result, done, total: step_progress(result.step, done, total, names))
        # Not one step done: say why, and keep the run on screen.
        kept = run is not None and ui.keep_result(
            RUN_KEY, run, empty=run.error is not None and not run.steps,
            failures=[(failed_step(run), run.error)] if run.error is not None else [],
            note="The journey stopped before its first step was done, so the run below is the one before.")
        if kept and journey not in personas:  # edited or loaded: offer it on the compare page, as its maker's
            saved[journey.name] = made_by(journey, ui.current_person().email)

run = ui.kept_or_stop(RUN_KEY, "Press **Run journey** to send its steps and watch the target category's ranking "
                             "move.")

# --------------------------------------------------------------------------- the drift

st.subheader(f"{escape_markdown(run.journey.name)} · {escape_markdown(run.journey.target_category)}")
st.caption(run_caption(run))
shopper = () if fresh else ("session", "user")  # a fresh run's shopper is its own
ui.stale_note("journey run", {"category": run.journey.target_category, "catalog": ui.made_with_catalog(
                  RUN_KEY, run, catalog.fingerprint)} | dict(zip(shopper, (run.session_id, run.user_id), strict=False)),
              {"category": journey.target_category if journey else None, "catalog": catalog.fingerprint}
              | dict(zip(shopper, (session_id, user_id), strict=False)), rerun_label="Run it again", key="journey")
ui.view_tools(share.JourneyView(journey=choice, k=k, fresh=fresh, session=None if fresh else session_id,
                               user=None if fresh else user_id, snapshots=run.saved_ids(),
                               explain=st.session_state.get(run_key("journey"))), None, key="journey")
journey_buttons(ctx, run, k=k, names=names, extra=explained("journey"))
if run.error is not None:
    ui.show_error(run.error, what=failed_step(run))
    ui.drill_note()
    st.caption("The steps done before it are kept below.")

headline = drift(run, k, catalog, names)
drift_section(headline, k)

if run.steps:
    st.dataframe(run_steps(run, names), hide_index=True, width="stretch")

st.markdown(f"**The storefront after the last step: top {k}**")
ui.product_grid(headline.top, columns=5, currency=ctx.settings.currency, breaches=ui.filter_marks(
    catalog, EventType.CATEGORY_VIEW, headline.top, currency=ctx.settings.currency))  # the target's ranking

label = compare_lane_name(run, personas)
st.page_link("pages/compare.py", label="Compare it with other personas", icon=":material/compare_arrows:")
st.caption(f"On the compare page it is the lane **{escape_markdown(label)}**, run again on a fresh session "
           "and watching the category you choose there.")
if run.steps:
    ui.exchange_expander(run.steps[-1].fetch, label="The last ranking fetch: request and response")
elif run.error is not None:
    ui.exchange_expander(run.error)
