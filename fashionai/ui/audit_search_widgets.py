"""The Audits page's query set: the searches a plan sends each shopper (typed, a CSV, or drawn from the catalog)
and the judgments that grade them; the scorecard's worst queries (issue 24, 5d)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from fashionai.audit.comparison import query_change_words
from fashionai.audit.plan import AuditPlan, PlanError
from fashionai.audit.scorecard import Scorecard
from fashionai.audit.search_plan import with_searches
from fashionai.catalog import Catalog
from fashionai.relevance.judgments import Judgments, JudgmentsError, read_judgments
from fashionai.relevance.queries import QuerySetError, catalog_queries, read_queries, typed_queries
from fashionai.relevance.worst import worst_queries
from fashionai.text.formatting import escape_markdown, plural
from fashionai.ui.session import MARKED_JUDGMENTS_KEY

SOURCES = {"none": "No searches", "typed": "Typed", "file": "A CSV file", "catalog": "Drawn from the catalog"}


def query_defaults(plan: AuditPlan, *, key: str) -> dict[str, object]:
    """The form's values for a plan opened (saved or uploaded): its queries typed, its judgments kept as loaded."""
    return {f"{key}_query_source": "typed" if plan.queries else "none", f"{key}_queries": "\n".join(plan.queries),
            f"{key}_loaded_judgments": plan.judgments}


def query_set_form(plan: AuditPlan, catalog: Catalog, *, key: str) -> tuple[AuditPlan | None, str]:
    """The query set's widgets under the plan's; the plan searching it, or None and what is wrong in plain words."""
    st.markdown("**Searches for each shopper** (a query set: page 1 of each query's search, top K)")
    source = st.radio("Queries", list(SOURCES), format_func=SOURCES.get, horizontal=True, key=f"{key}_query_source")
    try:
        if source == "none":
            return plan, ""
        if source == "typed":
            queries = typed_queries(st.text_area("Queries, one a line", key=f"{key}_queries", height=108))
        elif source == "file":
            upload = st.file_uploader("Queries (CSV, a column headed “query”)", type=["csv", "txt"],
                                      key=f"{key}_queries_file")
            if upload is None:
                return None, "Upload the file of queries, or choose no searches."
            queries = read_queries(upload.getvalue(), name=upload.name)
        else:
            queries = catalog_queries(catalog, per_kind=int(st.number_input(
                "Queries of each kind", 1, 50, 5, key=f"{key}_queries_per_kind",
                help="The catalog's top categories, brands and colours, and product names with a typo.")))
        if not queries.queries:
            return None, "Type at least one query, one a line, or choose no searches."
        graded = st.file_uploader("Judgments (CSV: query, product_id, grade 0-3), optional", type=["csv", "txt"],
                                  key=f"{key}_judgments_file")
        marked: Judgments | None = st.session_state.get(MARKED_JUDGMENTS_KEY)
        use_marked = False
        if marked is not None and marked.count and graded is None:
            use_marked = st.checkbox(
                f"Use the judgments marked on the Search page ({plural(marked.count, 'grade')})",
                key=f"{key}_use_marked", help="The grades clicked under the Search page's results in this browser "
                                              "session, instead of the opened plan's.")
        judgments = (read_judgments(graded.getvalue(), name=graded.name) if graded is not None
                     else marked if use_marked
                     else st.session_state.get(f"{key}_loaded_judgments"))  # the opened plan's, if any
        for note in (*queries.notes, *(judgments.notes if judgments else ())):
            st.caption(escape_markdown(note))
        st.caption(plural(len(queries), "query", "queries") + (f", {plural(judgments.count, 'judgment')}" if judgments
                                                                 else ", no judgments: relevance will not be measured"))
        return with_searches(plan, queries, judgments), ""
    except (QuerySetError, JudgmentsError, PlanError) as err:
        return None, str(err)


def worst_queries_panel(card: Scorecard) -> None:
    """The queries no search found anything for, and the judged ones of lowest nDCG."""
    if card.queries.empty:
        return
    worst = worst_queries(card.queries)
    st.markdown("**Worst queries**")
    config = {"query": st.column_config.TextColumn("Query"), "searches": st.column_config.NumberColumn("Searches"),
              "without_results": st.column_config.NumberColumn("Without results"),
              "mean_ndcg": st.column_config.NumberColumn("Relevance (nDCG)", format="%.2f")}
    if worst.zero_results.empty:
        st.caption("Every query found something for at least one shopper.")
    else:
        st.caption("Found nothing for any shopper:")
        st.dataframe(worst.zero_results, hide_index=True, column_config=config, key="audit_worst_zero")
    if not worst.lowest_ndcg.empty:
        st.caption("Least relevant (judged queries, lowest nDCG first):")
        st.dataframe(worst.lowest_ndcg, hide_index=True, column_config=config, key="audit_worst_ndcg")


def changed_queries_panel(changed: pd.DataFrame) -> None:
    """The queries whose relevance (nDCG; unjudged, their share of searches without results) changed most between
    two runs (`comparison.query_changes`), biggest change first; nothing when the runs did not search."""
    if changed.empty:
        return
    st.markdown("**Queries that changed most since the first run**")
    st.caption("nDCG for a query judged in both runs (0 to 1, higher is more relevant); for any other, the share of "
               "its searches that found nothing.")
    words = [query_change_words(row) for row in changed.itertuples(index=False)]
    shown = changed.assign(measure=changed["measure"].map({"nDCG": "Relevance (nDCG)",
                                                           "without results": "Searches without results"}),
                           before=[w[0] for w in words], after=[w[1] for w in words], change=[w[2] for w in words])
    st.dataframe(shown, hide_index=True, key="audit_changed_queries",
                 column_config={"query": "Query", "measure": "Measure", "before": "First run", "after": "Second run",
                                "change": "Change"})
