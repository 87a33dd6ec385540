"""The Catalog page's collection over time: a collection the history holds answers for, the limit of inactive or
out-of-stock products, then the timeline's chart, its slices, its gaps and its days
(fashionai.storefront.collection_timeline). Nothing here calls Fashion.AI: it reads the history's saved answers."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from fashionai.catalog import Catalog
from fashionai.config import ConfigError
from fashionai.domain import EventType
from fashionai.history import Filters, HistoryError
from fashionai.output.collection_charts import collection_timeline_chart
from fashionai.storefront.collection_timeline import (
    DEFAULT_LIMIT,
    INACTIVE_NOTE,
    NOT_LIVE,
    CollectionTimeline,
    collection_timeline,
)
from fashionai.text.formatting import escape_markdown
from fashionai.ui.resources import history_store

__all__ = ["MAX_ANSWERS", "collection_timeline_section"]

MAX_ANSWERS = 5000
"""The newest saved answers of a collection read for its timeline (and of all collections, for the picker)."""
UNKNOWN = "not known"
"""A share of inactive products the history cannot tell (an answer saved before slices were kept)."""


def _when(moment: pd.Timestamp) -> str:
    return f"{moment:%d %b %Y, %H:%M} UTC"


def _percent(share: float, unknown: str = "") -> str:
    return unknown if share != share else f"{share:.0%}"


def slices_table(timeline: CollectionTimeline) -> pd.DataFrame:
    """The timeline's slices as the page shows them, in words (the shares of each slice's last answer)."""
    slices = timeline.slices
    return pd.DataFrame({
        "Slice": slices["slice"],
        "First seen": [_when(t) for t in slices["first_seen"]],
        "Last seen": [_when(t) for t in slices["last_seen"]],
        "Days seen live": slices["days_live"],
        "Inactive": [_percent(share, UNKNOWN) for share in slices["inactive_share"]],
        "Out of stock": [_percent(share) for share in slices["out_of_stock_share"]],
        "Inactive or out of stock": [_percent(share) for share in slices["flagged_share"]],
        "Days over the limit": slices["days_over"],
    })


def days_table(timeline: CollectionTimeline) -> pd.DataFrame:
    """The timeline's days, newest first, in words (a day's worst answer's shares)."""
    days = timeline.days.iloc[::-1]
    live = days["state"] != NOT_LIVE
    return pd.DataFrame({
        "Day": [f"{day:%d %b %Y}" for day in days["day"]],
        "Slice": days["slice"],
        "State": days["state"],
        "Answers saved": days["answers"],
        "Inactive": [_percent(share, UNKNOWN if shown else "") for share, shown in zip(days["inactive_share"], live,
                                                                                         strict=True)],
        "Out of stock": [_percent(share) for share in days["out_of_stock_share"]],
        "Inactive or out of stock": [_percent(share) for share in days["flagged_share"]],
    })


def gaps_words(timeline: CollectionTimeline) -> list[str]:
    """Each gap (answers in a row saying no slice was live) in words."""
    return [f"No slice live from {_when(gap.first)} to {_when(gap.last)} ({gap.answers} answers in a row)"
            if gap.answers > 1 else f"No slice live at {_when(gap.first)} (1 answer)" for gap in timeline.gaps]


def collection_timeline_section(catalog: Catalog, *, key: str, picked: str | None = None) -> None:
    """Pick a collection the history holds answers for (`picked`, the one fetched above, first when held), set
    the limit of inactive or out-of-stock products, and see the collection over time."""
    st.subheader("Over time", anchor=False)
    st.caption("Which slice Fashion.AI served when, from the answers saved in the history (no call): the days "
               "with no slice live (its 404), and the days a live slice had more of its products inactive or out of "
               "stock than your limit. " + INACTIVE_NOTE)
    try:
        store = history_store()
        held = store.summaries(Filters(event_type=EventType.COLLECTION), limit=MAX_ANSWERS)
    except (HistoryError, ConfigError) as err:
        st.error(f"**The history cannot be read**, so the collection cannot be shown over time. "
                 f"{escape_markdown(err)}", icon=":material/history:")
        return
    collections = list(dict.fromkeys(s.item_id for s in held if s.item_id))
    if picked and picked not in collections:
        collections.insert(0, picked)
    if not collections:
        st.info("The history holds no collection answer yet. Fetch a collection's active slice above (each answer "
                "is saved), and again on later days, to see it over time.", icon=":material/history:")
        return
    left, right = st.columns([2, 1])
    choice = left.selectbox("Collection to see over time", collections, key=f"{key}_id",
                            index=collections.index(picked) if picked in collections else 0,
                            help="The collections the history holds answers for, most recently fetched first.")
    limit = right.number_input("Inactive or out of stock over (%)", min_value=0, max_value=100,
                               value=round(DEFAULT_LIMIT * 100), step=5, key=f"{key}_limit",
                               help="A live day is flagged when more than this share of its slice's products "
                                    "is inactive (fails the slice's filters) or out of stock (by the catalog in "
                                    "use).")
    try:
        snapshots = store.query(Filters(event_type=EventType.COLLECTION, item_id=choice), limit=MAX_ANSWERS)
    except HistoryError as err:
        st.error(f"**The history cannot be read.** {escape_markdown(err)}", icon=":material/history:")
        return
    timeline = collection_timeline(choice, snapshots, catalog, limit=int(limit) / 100)
    st.markdown(escape_markdown(timeline.sentence))
    if timeline.old_answers_note:
        st.caption(f":material/info: {escape_markdown(timeline.old_answers_note)}")
    if timeline.empty:
        return
    st.altair_chart(collection_timeline_chart(timeline.days, limit=timeline.limit), width="stretch", theme=None)
    for words in gaps_words(timeline):
        st.caption(f":material/event_busy: {escape_markdown(words)}")
    st.dataframe(slices_table(timeline), hide_index=True, width="stretch")
    with st.expander("Day by day", icon=":material/calendar_month:"):
        st.dataframe(days_table(timeline), hide_index=True, width="stretch")
