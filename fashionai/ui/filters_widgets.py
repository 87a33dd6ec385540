"""The dashboard's filters in the pages: the team's filters read once a run (`dashboard_filters`), a list checked
against them (`filter_check`) with its note (`filter_note`), and the Settings page's section where an admin records
them (`dashboard_filters_section`; checked again on the server when saved, each change in the activity log).

The rules are `fashionai.filters`; a card's mark is drawn by `fashionai.ui.cards`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import pandas as pd
import streamlit as st

from fashionai.catalog import Catalog
from fashionai.config import ConfigError, HistoryError
from fashionai.domain import DEFAULT_CURRENCY, call_label
from fashionai.filters import FILTERED_EVENTS, DashboardFilters, Discount, FilterCheck, FilterSettings, FiltersError
from fashionai.filters import check_filters
from fashionai.filters.model import DISCOUNT_WORDS
from fashionai.filters.store import FilterStore, FiltersRefused, FiltersUnavailable, filters_words
from fashionai.team import Action
from fashionai.team.activity import ActivityAction
from fashionai.text.formatting import escape_markdown
from fashionai.ui.activity import log_activity
from fashionai.ui.identity import current_person, require, why_not
from fashionai.ui.resources import history_config

__all__ = ["dashboard_filters", "dashboard_filters_section", "filter_check", "filter_marks", "filter_note"]

STORE_ERRORS = (FiltersUnavailable, HistoryError, ConfigError)
EVENT_KEY = "filters_event"
FIELD_KEYS = {"min_price": "filters_min_price", "max_price": "filters_max_price", "discount": "filters_discount",
              "low_stock_limit": "filters_low_stock", "full_size_run": "filters_size_run"}
MESSAGE_KEY = "filters_message"


@st.cache_resource(show_spinner=False, max_entries=2)
def _filter_store(url_digest: str, _url: str) -> FilterStore:
    return FilterStore(_url)


def filter_store() -> FilterStore:
    """The team's dashboard filters, in the history's database, shared by every browser session."""
    url = history_config().url
    return _filter_store(hashlib.sha256(url.encode()).hexdigest(), url)  # the URL may hold a password: no key


def dashboard_filters(*, quiet: bool = False) -> FilterSettings:
    """The team's filters now; none, with a caption saying why (unless `quiet`), when they cannot be read."""
    try:
        return filter_store().settings()
    except STORE_ERRORS as err:
        if not quiet:
            st.caption(f":material/filter_alt_off: Products are not checked against the dashboard filters: "
                       f"{escape_markdown(str(err))}")
        return FilterSettings()


def filter_check(catalog: Catalog, event: object, product_ids: Sequence[str], *,
                 currency: str = DEFAULT_CURRENCY) -> FilterCheck:
    """`product_ids` (one call of `event`) checked against the team's filters for that type."""
    return check_filters(catalog, event, [str(pid) for pid in product_ids], dashboard_filters(), currency=currency)


def filter_note(check: FilterCheck) -> None:
    """The check in words, under a list: nothing when no filter is set for its type."""
    if check.filters is None:
        return
    first, *rest = check.sentences()
    icon = ":material/filter_alt:" if check.breaking else ":material/filter_alt_off:"
    st.caption(f"{icon} {escape_markdown(first)} " + " ".join(escape_markdown(s) for s in rest)
               + " (Set on Settings, under Dashboard filters.)")


def filter_marks(catalog: Catalog, event: object, frame: pd.DataFrame, *,
                 currency: str = DEFAULT_CURRENCY) -> dict[str, tuple[str, ...]]:
    """The products of `frame` (a list of one call of `event`) checked against the team's filters: the note under
    the list said (`filter_note`), and each breaking product's reasons by id, for its card's mark."""
    if frame is None or frame.empty or "product_id" not in frame.columns:
        return {}
    check = filter_check(catalog, event, frame["product_id"], currency=currency)
    filter_note(check)
    return dict(check.breaches)


def _load(event: str, settings: FilterSettings) -> None:
    """The form's controls from `event`'s filters as recorded."""
    filters = settings.for_event(event) or DashboardFilters()
    st.session_state.update({FIELD_KEYS["min_price"]: filters.min_price, FIELD_KEYS["max_price"]: filters.max_price,
                             FIELD_KEYS["discount"]: filters.discount.value,
                             FIELD_KEYS["low_stock_limit"]: filters.low_stock_limit,
                             FIELD_KEYS["full_size_run"]: filters.full_size_run})


def _save(event: str, page: str) -> None:
    if not require(Action.CHANGE_SETTINGS, page=page):  # the server's check, where it happens
        return
    state = st.session_state
    try:
        filters = DashboardFilters.from_json({name: state.get(key) for name, key in FIELD_KEYS.items()})
        change = filter_store().set_filters(event, filters, person=current_person())
    except (FiltersError, FiltersRefused, *STORE_ERRORS) as err:
        st.error(escape_markdown(str(err)), icon=":material/error:")
        return
    if not change.changed:
        st.info(f"The filters of {call_label(event)} were already these: nothing changed.", icon=":material/check:")
        return
    log_activity(ActivityAction.FILTERS_CHANGED, page=page, detail=change.detail)
    st.success(f"Saved for everyone: {escape_markdown(change.detail)}. Every page marks the products that break "
               "them.", icon=":material/filter_alt:")


def dashboard_filters_section(page: str) -> None:
    """The Settings page's "Dashboard filters": the team's filters per recommendation type (everyone reads
    them), and the form an admin records one type's filters with."""
    st.subheader("Dashboard filters (the team's)")
    st.caption("The recommendation filters your team set in Fashion.AI's dashboard, which the API does not say: "
               "recorded here, every preview, walk, journey and audit marks the products that break them. A "
               "filter the catalog cannot support (no sale price column, no stock per size) is said, not guessed.")
    try:
        settings = filter_store().settings()
    except STORE_ERRORS as err:
        st.error(escape_markdown(str(err)), icon=":material/database_off:")
        return
    table_slot = st.container()  # drawn last, so that filters saved below show in it at once
    refused = why_not(Action.CHANGE_SETTINGS)
    types = {call_label(e): str(e) for e in FILTERED_EVENTS}  # chosen by its plain name, never the API's
    event = types[st.selectbox("Recommendation type", list(types), key=EVENT_KEY)]
    if (st.session_state.get(f"{EVENT_KEY}_loaded") != event  # another type chosen, or back on the page
            or any(key not in st.session_state for key in FIELD_KEYS.values())):
        _load(event, settings)
        st.session_state[f"{EVENT_KEY}_loaded"] = event  # a plain key (no widget's): kept across pages
    with st.form("filters_form", border=True):
        low, high = st.columns(2)
        low.number_input("Least price", min_value=0.0, step=10.0, key=FIELD_KEYS["min_price"],
                         placeholder="any", help="Products below it are not recommended. Blank: no least price.")
        high.number_input("Highest price", min_value=0.0, step=10.0, key=FIELD_KEYS["max_price"],
                          placeholder="any", help="Products above it are not recommended. Blank: no highest price.")
        st.radio("Discount", [d.value for d in Discount], key=FIELD_KEYS["discount"], horizontal=True,
                 format_func=lambda value: DISCOUNT_WORDS[Discount(value)].capitalize(),
                 help="Checked against the catalog's sale price column (a product is discounted when its sale "
                      "price is below its price).")
        limit, sizes = st.columns(2)
        limit.number_input("Low-stock limit", min_value=0, step=1, key=FIELD_KEYS["low_stock_limit"],
                           placeholder="none",
                           help="Products with stock at or below it are not recommended. Blank: no limit.")
        sizes.checkbox("Full size run only", key=FIELD_KEYS["full_size_run"],
                       help="Only products with every size in stock: checked with a stock-per-size extra file "
                            "(Catalog page).")
        saved = st.form_submit_button("Save the filters", type="primary", icon=":material/save:",
                                      disabled=bool(refused), help=refused or None)
    if refused:
        st.caption(f":material/lock: {escape_markdown(refused)}")
    if saved:
        _save(event, page)
        settings = dashboard_filters(quiet=True)
    table_slot.dataframe(pd.DataFrame({"Recommendation type": [call_label(e) for e in FILTERED_EVENTS],
                                       "Filters": [filters_words(settings.for_event(e)) for e in FILTERED_EVENTS]}),
                         hide_index=True, width="stretch")
