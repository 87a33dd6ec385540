"""The audit page's drawing: the plan's form, the run's progress, the scorecard, two runs, runs over time.

Imported by pages/audit.py only. Every widget key is built from the `key` the page passes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import pandas as pd
import streamlit as st
from streamlit.elements.lib.column_types import ColumnConfig

from fashionai.audit import noise
from fashionai.audit.charts import measure_across_chart, trend_chart
from fashionai.audit.model import (
    HEARTBEAT_LIMIT,
    PLACEMENT_LABELS,
    RUN_STATUS_LABELS,
    AuditRun,
    Purpose,
    RunStatus,
)
from fashionai.audit.estimate import Estimate, plan_estimate
from fashionai.audit.plan import AuditPlan, PlanError, pasted_shoppers, plan_to_json
from fashionai.audit.scorecard import MEASURES, Scorecard
from fashionai.audit.view import (
    BETTER_WORDS,
    HEADLINE_MEASURES,
    MEASURE_BY_KEY,
    category_frame,
    changes_in_words,
    measure_across,
    measure_table,
    noise_in_words,
    overlap_in_words,
    placement_label,
    placements_of,
    trend_frame,
    trend_table,
    with_last_run,
)
from fashionai.catalog import Catalog
from fashionai.domain import K_RANGE, EventType
from fashionai.journeys.journey import Journey
from fashionai.text.formatting import duration_words, escape_markdown, plural
from fashionai.ui.audit_search_widgets import changed_queries_panel, worst_queries_panel

FIELDS = ("name", "categories", "personas", "builtin", "journeys", "sessions", "shelf", "products", "sample", "k",
          "twins", "rate", "concurrency")
"""The plan form's fields; each widget's key is the page's key, an underscore and the field."""


def plan_defaults(plan: AuditPlan, *, key: str, saved: Mapping[str, Journey]) -> dict[str, object]:
    """The form's values for `plan` (journeys it names that this session has not saved are left out)."""
    return {
        f"{key}_name": plan.name, f"{key}_categories": list(plan.categories),
        f"{key}_personas": plan.synthetic_personas, f"{key}_builtin": plan.builtin_personas,
        f"{key}_journeys": [j.name for j in plan.journeys if j.name in saved],
        f"{key}_sessions": "\n".join(f"{s.session_id}, {s.user_id}" if s.user_id else s.session_id
                                     for s in plan.sessions),
        f"{key}_shelf": EventType.CUSTOM_SHELF in plan.placements,
        f"{key}_products": EventType.PRODUCT_VIEW in plan.placements, f"{key}_sample": plan.product_sample,
        f"{key}_k": plan.k, f"{key}_twins": plan.stability_twins, f"{key}_rate": plan.rate,
        f"{key}_concurrency": plan.concurrency,
    }


def plan_form(categories: Sequence[str], saved: Mapping[str, Journey], *, key: str) -> tuple[AuditPlan | None, str]:
    """The plan's widgets; the plan they make, or None and what is wrong in plain words."""
    state = st.session_state
    for name, value in plan_defaults(AuditPlan(name="New audit"), key=key, saved=saved).items():
        state.setdefault(name, value)
    st.text_input("Plan name", key=f"{key}_name", max_chars=120)
    st.multiselect("Categories", list(categories), key=f"{key}_categories", placeholder="Every category",
                   help="Leave empty to audit every category of the catalog in use.")
    left, right = st.columns(2)
    with left:
        st.number_input("Synthetic personas", 0, 500, step=1, key=f"{key}_personas",
                        help="Shoppers made from the catalog's tastes (a style, colour, brand or price band each). "
                             "Each views two products of its taste on a fresh session before it is measured.")
        st.checkbox("Add the built-in demo personas", key=f"{key}_builtin")
        st.multiselect("Add saved journeys", list(saved), key=f"{key}_journeys",
                       help="Journeys edited or loaded on the Personas and journeys page.")
    with right:
        st.text_area("Add shopper sessions, one per line", key=f"{key}_sessions", height=108,
                     placeholder="session id\nsession id, user id",
                     help="Real sessions are measured as they are, with no warm-up. Fashion.AI records every call "
                          "as a visit of that session.")
    st.markdown("**What to ask for each shopper**")
    a, b, c = st.columns(3)
    a.checkbox("Category pages", value=True, disabled=True, key=f"{key}_category_pages",
               help="Every audited category's page, always.")
    b.checkbox(PLACEMENT_LABELS[EventType.CUSTOM_SHELF], key=f"{key}_shelf")
    with c:
        st.checkbox(f"{PLACEMENT_LABELS[EventType.PRODUCT_VIEW]}s", key=f"{key}_products")
        st.number_input("Products sampled per category", 1, 20, step=1, key=f"{key}_sample",
                        disabled=not state.get(f"{key}_products"))
    a, b, c, d = st.columns(4)
    a.number_input("Top K measured", *K_RANGE, step=1, key=f"{key}_k")
    b.number_input("Personas run twice (stability)", 0, 50, step=1, key=f"{key}_twins",
                   help="The first personas run again on a second fresh session: how alike their two storefronts "
                        "are is the stability measure.")
    c.number_input("Requests per second", 0.1, 500.0, step=1.0, key=f"{key}_rate",
                   help="The audit never sends faster than this, whatever the number of calls at once.")
    d.number_input("Calls at once", 1, 16, step=1, key=f"{key}_concurrency")
    try:
        placements = [EventType.CATEGORY_VIEW]
        placements += [EventType.CUSTOM_SHELF] if state.get(f"{key}_shelf") else []
        placements += [EventType.PRODUCT_VIEW] if state.get(f"{key}_products") else []
        plan = AuditPlan(
            name=state.get(f"{key}_name") or "", categories=tuple(state.get(f"{key}_categories") or ()),
            synthetic_personas=int(state.get(f"{key}_personas") or 0), builtin_personas=bool(state.get(f"{key}_builtin")),
            journeys=tuple(saved[name] for name in state.get(f"{key}_journeys") or () if name in saved),
            sessions=pasted_shoppers(state.get(f"{key}_sessions") or ""), placements=tuple(placements),
            product_sample=int(state.get(f"{key}_sample") or 1), k=int(state.get(f"{key}_k") or 10),
            stability_twins=int(state.get(f"{key}_twins") or 0), rate=float(state.get(f"{key}_rate") or 1.0),
            concurrency=int(state.get(f"{key}_concurrency") or 1),
        )
    except PlanError as err:
        return None, str(err)
    return plan, ""


@st.cache_resource(show_spinner=False, max_entries=32)
def _estimate(plan_json: str, fingerprint: str, _plan: AuditPlan, _catalog: Catalog) -> Estimate:
    return plan_estimate(_plan, _catalog)


def cached_estimate(plan: AuditPlan, catalog: Catalog) -> Estimate:
    """`plan_estimate`, once per plan (its JSON) and catalog: a rerun that changes neither costs nothing, even over
    100,000 categories. PlanError as plan_estimate (never cached)."""
    return _estimate(plan_to_json(plan), catalog.fingerprint, plan, catalog)


PURPOSE_WORDS: dict[str, str] = {
    Purpose.WARMUP: "the personas' warm-up: each first views products of its taste (not scored)",
    Purpose.MEASURE: "measured (scored)", Purpose.REFERENCE: "the reference the scorecard compares with"}
"""Why a run makes a call, as the estimate's table says it."""


def estimate_box(estimate: Estimate, *, cap: int | None, live: bool) -> bool:
    """What the run will cost, in words and per event; False (and why) when it is over the call cap (None: none)."""
    over = cap is not None and estimate.calls > cap
    text = f"**Before it starts:** {escape_markdown(estimate.words())}"
    if over:
        st.error(f"{text}\n\nThat is more than the {cap:,} calls an audit may make here (the **audit call cap** "
                 "setting, `FASHIONAI_AUDIT_MAX_CALLS`). Audit fewer categories or shoppers, or raise the cap.",
                 icon=":material/block:")
    elif live:
        st.warning(f"{text}\n\nThis is the **live** Fashion.AI: every call but the best sellers is recorded as a "
                   "shopper's visit, on synthetic sessions starting `fai-audit-`.", icon=":material/visibility:")
    else:
        st.info(text, icon=":material/calculate:")
    per_event = pd.DataFrame([{"call": PLACEMENT_LABELS.get(event, event), "calls": count,
                               "purpose": PURPOSE_WORDS.get(purpose, purpose)}
                              for (event, purpose), count in estimate.by_purpose.items()],
                             columns=["call", "calls", "purpose"])
    st.dataframe(per_event, hide_index=True, width="content",
                 column_config={"call": "Call", "purpose": "What for",
                                "calls": st.column_config.NumberColumn("Calls", format="localized")})
    return not over


# --------------------------------------------------------------------------- a run


def status_words(run: AuditRun, progress: object | None) -> str:
    """The run's state in one line: "Running: 420 of 1,208 calls, 3 errors, about 2 minutes left"."""
    if progress is not None:
        done, total = getattr(progress, "done", run.done_calls), getattr(progress, "total", run.total_calls)
        status = getattr(progress, "status", run.status)
        words = f"{RUN_STATUS_LABELS.get(status, status)}: {done:,} of {total:,} calls"
        errors = getattr(progress, "errors", 0)
        if errors:
            words += f", {plural(errors, 'error')}"
        paused = getattr(progress, "paused_seconds", 0) or 0
        if paused > 0:
            words += f", waiting {duration_words(paused)} as Fashion.AI asked (429)"
        eta = getattr(progress, "eta_seconds", None)
        if eta is not None and status != RunStatus.DONE:
            words += f", about {duration_words(eta)} left"
        return words
    words = f"{run.status_label}: {run.done_calls:,} of {run.total_calls:,} calls"
    if run.status == RunStatus.RUNNING and run.working():
        since = f" since {run.claimed_at:%H:%M:%S} UTC" if run.claimed_at else ""
        words += (f", by {run.owner_words}{since}; it can be resumed here once it gives no sign of life for "
                  f"{HEARTBEAT_LIMIT:.0f} seconds")
    elif run.status == RunStatus.RUNNING:
        words += " (its process stopped without saying so: resume it)"
    return words + (f". {run.message}" if run.message else "")


def run_progress(run: AuditRun, progress: object | None) -> None:
    """A progress bar with the run's state in words."""
    done = getattr(progress, "done", run.done_calls) if progress is not None else run.done_calls
    total = max(1, getattr(progress, "total", run.total_calls) if progress is not None else run.total_calls)
    st.progress(min(1.0, done / total), text=escape_markdown(status_words(run, progress)))


# --------------------------------------------------------------------------- the scorecard


def scorecard_panel(card: Scorecard, *, key: str, drill: Callable[[str], None],
                    last: tuple[AuditRun, Scorecard] | None = None) -> None:
    """The overall scorecard (each measure with its meaning and direction, set against the `last` comparable
    run's when there is one), then a measure across categories, then the table of every category;
    `drill(category)` draws a category's shoppers."""
    if card.partial:
        st.warning("This run did not finish: the scorecard measures the answers it has.", icon=":material/pending:")
    table = measure_table(card)
    if last is not None:
        table = with_last_run(table, last[1])
        st.caption(f"Each figure is set against the last finished run of this plan on this catalog "
                   f"({last[0].started_at:%Y-%m-%d %H:%M} UTC).")
    else:
        st.caption("No earlier finished run of this plan on this catalog to set these figures against yet.")
    st.table(table.drop(columns="key").map(escape_markdown).rename(columns={  # a table reads Markdown: inert
                 "measure": "Measure", "value": "Overall", "better": "Direction", "meaning": "What it means"}),
             hide_index=True)  # a table, not a grid: the meanings wrap instead of being cut
    placements = placements_of(card)
    left, right = st.columns([1, 1])
    placement = left.selectbox("Placement", placements, format_func=placement_label, key=f"{key}_placement") \
        if len(placements) > 1 else (placements[0] if placements else EventType.CATEGORY_VIEW)
    measure = right.selectbox("Measure across categories", [info.key for info in MEASURES],
                              format_func=lambda k: MEASURE_BY_KEY[k].label, key=f"{key}_measure")
    frame = measure_across(card, measure, placement)
    if measure in card.not_measured:
        st.caption(escape_markdown(f"{MEASURE_BY_KEY[measure].label} was not measured, because "
                                   f"{card.not_measured[measure]}."))
    elif frame.empty:
        st.caption(f"{MEASURE_BY_KEY[measure].label} could not be measured for any category of this placement.")
    else:
        st.altair_chart(measure_across_chart(frame, MEASURE_BY_KEY[measure]), width="stretch", theme=None)
    rows = category_frame(card, placement)
    config: dict[str, ColumnConfig | None] = {"category": st.column_config.TextColumn("Category", pinned=True),
              "shoppers": st.column_config.NumberColumn("Shoppers", format="localized"),
              "calls": st.column_config.NumberColumn("Calls", format="localized")}
    for info in MEASURES:
        fmt = "%.0f ms" if info.unit == "ms" else "percent" if info.unit == "share" else "%.2f"
        config[info.key] = st.column_config.NumberColumn(info.label, format=fmt, help=f"{info.meaning} "
                                                         f"({BETTER_WORDS.get(info.better, '')}). {info.help}")
    for measure in card.not_measured:  # not a column of blanks: said once below the table
        config[measure] = None
    st.dataframe(rows, hide_index=True, width="stretch", column_config=config)
    if card.not_measured:
        st.caption(escape_markdown("Not measured: " + "; ".join(
            f"{MEASURE_BY_KEY[measure].label}, because {why}" for measure, why in card.not_measured.items()) + "."))
    worst_queries_panel(card)
    categories = [c for c in rows["category"] if c] if placement == EventType.CATEGORY_VIEW else []
    if categories:
        category = st.selectbox("A category's shoppers", categories, key=f"{key}_drill", index=None,
                                placeholder="Choose a category to see what each shopper was shown")
        if category:
            drill(category)


def comparison_panel(changes: pd.DataFrame, overlap: pd.DataFrame, *, key: str,
                     differences: Sequence[str] = (), queries: pd.DataFrame | None = None) -> None:
    """Two runs: each measure's change per category (the headline measures first), the queries that changed most
    (`queries`, `comparison.query_changes`) and each shopper's lists; `differences` (`comparison.run_differences`)
    said first, when the runs did not run the same plan on the same catalog."""
    if differences:
        st.warning(escape_markdown(f"These runs are not comparable measure by measure: {'; '.join(differences)}. "
                                   "Their figures are shown side by side anyway; a change may come from that "
                                   "difference, not from Fashion.AI."), icon=":material/rule:")
    if changes.empty:
        st.info("The two runs have no category in common to compare.", icon=":material/compare_arrows:")
    else:
        keys = [info.key for info in MEASURES]
        chosen = st.multiselect("Measures", keys, default=list(HEADLINE_MEASURES), key=f"{key}_measures",
                                format_func=lambda k: MEASURE_BY_KEY[k].label)
        st.dataframe(changes_in_words(changes, chosen), hide_index=True, width="stretch",
                     column_config={"placement": "Placement", "category": "Category", "measure": "Measure",
                                    "first": "First run", "second": "Second run", "change": "Change",
                                    "verdict": "Verdict"})
    if queries is not None:
        changed_queries_panel(queries)
    st.markdown("**The same shoppers in both runs**")
    if overlap.empty:
        st.caption("No shopper of the first run is in the second (synthetic personas match by name, pasted "
                   "sessions by id).")
    else:
        st.caption("Rank-biased overlap of each shopper's list between the runs: 100% is the same storefront, "
                   "0% nothing in common.")
        shown = overlap_in_words(overlap)
        st.dataframe(shown, hide_index=True, width="stretch",
                     column_config={"shopper_key": None, "shopper_label": "Shopper", "placement": "Placement",
                                    "category": "Category",
                                    "item_id": "Product page" if shown["item_id"].astype(bool).any() else None,
                                    "rbo": st.column_config.NumberColumn("Same storefront", format="percent")})


def noise_panel(table: pd.DataFrame | None, *, key: str, catalog_fits: bool, comparable: bool,
                catalog_name: str, work: Callable[[], pd.DataFrame | None]) -> None:
    """Two runs' overall changes told from noise: each measure's 95% interval and verdict, the method said;
    `table` the kept one, else a button works it out (`work`); why not, when the runs or the catalog in use do
    not allow it."""
    st.markdown("**Changes told from noise**")
    st.caption(escape_markdown(noise.method_words()) + " Overall row; a tiny change on few shoppers is within "
               "noise, a change the shoppers agree on is changed.")
    if not comparable:
        st.info("No interval: the runs did not run the same plan on the same catalog, so their shoppers cannot "
                "be paired.", icon=":material/rule:")
        return
    if not catalog_fits:
        st.info(f"The intervals are worked out from both runs' answers with their catalog "
                f"({escape_markdown(catalog_name)}): open it to see them.", icon=":material/inventory_2:")
        return
    if table is None:
        if not st.button("Work out the 95% intervals", icon=":material/query_stats:", key=f"{key}_work"):
            return
        table = work()
        if table is None:
            return
    keys = [info.key for info in MEASURES]
    chosen = st.multiselect("Measures", keys, default=list(HEADLINE_MEASURES), key=f"{key}_measures",
                            format_func=lambda k: MEASURE_BY_KEY[k].label)
    st.dataframe(noise_in_words(table, chosen), hide_index=True, width="stretch",
                 column_config={"measure": "Measure", "first": "First run", "second": "Second run",
                                "change": "Change", "interval": "95% interval", "verdict": "Verdict"})


def trend_panel(runs: Sequence[AuditRun], *, key: str) -> None:
    """Runs of one plan over time: a line a measure (the overall row of each finished run)."""
    frame = trend_frame(runs)
    if frame.empty:
        st.info("No run of this plan has a scorecard yet.", icon=":material/timeline:")
        return
    keys = [info.key for info in MEASURES if info.key in set(frame["measure"])]
    chosen = st.multiselect("Measures", keys, default=keys[:4], format_func=lambda k: MEASURE_BY_KEY[k].label,
                            key=f"{key}_measures")
    columns = st.columns(2)
    for number, measure in enumerate(chosen):
        with columns[number % 2]:
            st.altair_chart(trend_chart(frame[frame["measure"] == measure], MEASURE_BY_KEY[measure]), width="stretch",
                            theme=None)  # the house style: Streamlit's theme hid the values and cut the titles
    st.dataframe(trend_table(frame), hide_index=True, width="stretch")
    st.caption("Times are in UTC.")
