"""The merchandising panels the catalog page and the shopper walk draw: a collection's active slice
(pick an id, fetch it, see its window and its products in position order, marked) and a shopper's
written profile (look it up, read it in plain language, see which shelf products match its looks).

A personal lookup value (e-mail, phone, document) lives only in its password input's own key: it is
never kept anywhere else in the session, written in the page, a link, the history, an export or a
log line; where the page names it, it shows `mask_personal(value)`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone

import pandas as pd
import streamlit as st

from fashionai.api.client import FashionAIClient
from fashionai.api.collections import CollectionAnswer
from fashionai.api.errors import NotFoundError
from fashionai.api.profiles import PERSONAL_KINDS, ShopperProfile, mask_personal
from fashionai.catalog import Catalog
from fashionai.config import Settings
from fashionai.simulator.collections import COLLECTIONS
from fashionai.storefront.collection import CollectionView, NoActiveSlice, product_notes, view_collection
from fashionai.storefront.profile import Section, look_items, profile_sections, shelf_matches
from fashionai.team import Action
from fashionai.team.activity import ActivityAction
from fashionai.text.formatting import code_span, escape_markdown, ms_words, plural
from fashionai.ui.activity import log_activity
from fashionai.ui.cards import CARD_WIDTH, paginate, product_card
from fashionai.ui.errors import call, show_error
from fashionai.ui.identity import allowed, require, why_not
from fashionai.ui.page_context import Context
from fashionai.ui.resources import get_client, get_simulator

__all__ = ["PERSONAL_NOTE", "ProfileLookup", "collection_panel", "collection_picker", "collection_section",
           "profile_panel", "shown_profile"]

# --------------------------------------------------------------------------- collections


def _sample_collections(catalog: Catalog) -> dict[str, str]:
    """The simulator's sample collection ids -> their names ("" when unknown)."""
    ids = get_simulator(catalog).collection_ids
    names = {str(collection.collection_id): collection.name for collection in COLLECTIONS}
    return {str(collection_id): names.get(str(collection_id), "") for collection_id in ids}


def collection_picker(ctx: Context, *, key: str) -> str | None:
    """A collection id to fetch: on the simulator, one of its sample collections (or any id typed);
    on the live API, typed. None while blank."""
    if ctx.settings.is_live:
        value = st.text_input("Collection id", key=key, placeholder="e.g. 12",
                              help="The id of a collection made in Fashion.AI's visual merchandising builder.")
    else:
        samples = _sample_collections(ctx.catalog)
        value = st.selectbox(
            "Collection", list(samples), key=key, accept_new_options=True,
            format_func=lambda cid: f"{cid} · {samples[cid]}" if samples.get(cid) else str(cid),
            help="The simulator's sample collections: one has no slice active now. Type another id to try it.")
    text = "" if value is None else str(value).strip()
    return text or None


def _when(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%d %b %Y, %H:%M UTC")


def collection_panel(ctx: Context, answer: CollectionAnswer | None, *, key: str, row: int | None = None) -> None:
    """A collection answer (`FashionAIClient.collection`): its slice's window and products as cards in
    position order, each marked when inactive, out of stock, unknown to the catalog or repeated; or,
    for the API's 404, that no slice is active now. Nothing for None. With `row`, only the first `row`
    products, as a home page's row shows them (the counts still cover the whole slice)."""
    if answer is None:
        return
    view = view_collection(answer.collection_id, answer.slice, ctx.catalog, datetime.now(timezone.utc))
    if isinstance(view, NoActiveSlice):
        st.info(f"No slice of collection {code_span(view.collection_id)} is active now. Fashion.AI answered that "
                "none of its slices runs at this moment: they are all scheduled or expired, or the collection has "
                "none (or no such collection exists). This is a normal state, not a failure.",
                icon=":material/event_busy:")
        return
    _slice_header(view, answer)
    _slice_products(ctx, view, key=key, row=row)


def _slice_header(view: CollectionView, answer: CollectionAnswer) -> None:
    st.markdown(f"**{escape_markdown(view.collection_name)}** (collection id {code_span(view.collection_id)}) · "
                f"active slice **{escape_markdown(view.slice_name)}** (slice id {code_span(view.slice_id)})")
    if view.description:
        st.caption(escape_markdown(view.description))
    st.markdown(f":material/event: **Runs** {_when(view.starts_at)} → {_when(view.ends_at)} · "
                f"**{plural(view.window.days_left, 'day')} left**",
                help="Whole days until the slice ends, a started day counting as one.")
    if view.clock_disagrees:
        st.warning(f"By this computer's clock the slice is {view.window.status}, yet Fashion.AI answers only an "
                   "active slice: its clock and this computer's disagree.", icon=":material/schedule:")
    elapsed = getattr(answer, "elapsed", None)
    if isinstance(elapsed, (int, float)):
        st.caption(f"Fetched in {ms_words(elapsed)}. Each fetch is saved in the history, so it shows when "
                   "the active slice changed.")


COUNT_LABELS = (
    ("listed", "Products listed", "Listings in the slice, in the order of their position."),
    ("inactive", "Inactive", "Listed with active: false: they fail the slice's filters."),
    ("out_of_stock", "Out of stock", "In your catalog with a stock of 0 or less."),
    ("unknown", "Not in your catalog", "Ids your catalog does not hold."),
    ("repeated", "Listed more than once", "Product ids the slice lists twice or more."),
)


def _slice_products(ctx: Context, view: CollectionView, *, key: str, row: int | None = None) -> None:
    for cell, (field, label, help_) in zip(st.columns(len(COUNT_LABELS)), COUNT_LABELS, strict=True):
        cell.metric(label, f"{getattr(view.counts, field):,}", help=help_)
    if view.products.empty:
        st.info("This slice lists no products.", icon=":material/inventory_2:")
        return
    st.caption("Cards in the slice's order; #n is each product's position. A product marked below its card would "
               "not show as listed.")
    if row is None:
        shown = paginate(view.products, key=f"{key}_page")
    else:
        shown = view.products.head(row)
        if len(view.products) > row:
            st.caption(f"The first {row} of {len(view.products):,}: the Catalog page's Collections tab shows them "
                       "all.")
    with st.container(horizontal=True, gap="small"):  # as many cards a row as fit
        for _, product in shown.iterrows():
            with st.container(width=CARD_WIDTH):
                product_card(product, currency=ctx.settings.currency, show_rank=True,
                             stock_kind=ctx.catalog.stock_kind)
                if notes := product_notes(product):
                    st.caption(":material/warning: " + " · ".join(notes))  # our own words, no data


def collection_section(settings: Settings, catalog: Catalog, *, key: str) -> None:
    """Pick a collection, fetch its active slice (a button) and show it; the answer is kept in this browser
    session under ``f"{key}_answer"``, and an answer that fails keeps the one before on screen."""
    try:
        ctx = Context(settings, catalog, get_client(settings, catalog))
    except (ValueError, TypeError) as err:  # the client's own words on the token or address
        show_error(err, what="Connecting to Fashion.AI")
        return
    answer_key = f"{key}_answer"
    with st.container(horizontal=True, vertical_alignment="bottom"):
        collection_id = collection_picker(ctx, key=f"{key}_id")
        fetch = st.button("Fetch the active slice", key=f"{key}_fetch", icon=":material/download:",
                          disabled=collection_id is None or not allowed(Action.LIVE_CALL),
                          help=why_not(Action.LIVE_CALL) or None)
    if fetch and collection_id is not None and require(Action.LIVE_CALL, page="Catalog (collections)"):
        result = call(f"Fetching collection {code_span(collection_id)}", lambda: ctx.client.collection(collection_id))
        if result is not None:
            st.session_state[answer_key] = result
    answer = st.session_state.get(answer_key)
    if answer is None:
        st.info("Pick a collection and press **Fetch the active slice**: it is one call to Fashion.AI, which "
                "records no shopper visit.", icon=":material/touch_app:")
        return
    collection_panel(ctx, answer, key=key)


# --------------------------------------------------------------------------- shopper profiles

KIND_LABELS = {"user-profile-id": "User id (the sidebar's)", "email": "E-mail", "phone": "Phone",
               "document": "Document (CPF or other)"}
LOOKUP_WORDS = {"user-profile-id": "profile by user id", "email": "profile by e-mail", "phone": "profile by phone",
                "document": "profile by document"}
"""A profile look-up as the activity log says it: how, never the value looked up."""
PERSONAL_NOTE = ("An e-mail, phone or document typed here is used for this lookup only: it is never put in the "
                 "address bar, a share link, the history, an export or a log line, and this page shows it masked.")


@dataclass(frozen=True)
class ProfileLookup:
    """A profile fetched, kept in session state: how it was looked up and who it is for (`who`: the user id,
    or a personal value masked), never the personal value itself. `profile` None: Fashion.AI has none."""

    kind: str
    who: str
    user_id: str | None
    profile: ShopperProfile | None


def _forget(result_key: str) -> None:
    st.session_state.pop(result_key, None)


def _fetch(client: FashionAIClient, kind: str, value: str) -> ProfileLookup:
    who = value if kind not in PERSONAL_KINDS else mask_personal(value)
    user_id = value if kind not in PERSONAL_KINDS else None
    try:
        answer = client.profile(value, kind=kind)
    except NotFoundError:
        return ProfileLookup(kind, who, user_id, None)
    profile = answer if isinstance(answer, ShopperProfile) else getattr(answer, "profile", None)
    if not isinstance(profile, ShopperProfile):
        raise TypeError("Fashion.AI's profile answer could not be read")
    return ProfileLookup(kind, who, user_id, profile)


def shown_profile(key: str, user_id: str | None) -> ShopperProfile | None:
    """The profile `profile_panel(..., key=key)` shows for `user_id` now (None: none yet, or none exists):
    a page can mark its own cards with `fashionai.storefront.profile.look_matches`."""
    lookup = _current(key, user_id)
    return None if lookup is None else lookup.profile


def _current(key: str, user_id: str | None) -> ProfileLookup | None:
    lookup = st.session_state.get(f"{key}_result")
    if not isinstance(lookup, ProfileLookup):
        return None
    if lookup.kind not in PERSONAL_KINDS and lookup.user_id != user_id:
        return None  # looked up for another sidebar user
    return lookup


def profile_panel(ctx: Context, user_id: str | None, shelves: Mapping[str, pd.DataFrame], *, key: str) -> None:
    """A shopper's written profile: looked up (a button: one GET, which records no visit) by the sidebar's
    user id, or by e-mail, phone or document typed in a password input; kept in this browser session so a
    rerun calls nothing; shown in plain language, with the products of `shelves` (name -> frame with
    product_id and name) whose names match a suggested look's items."""
    result_key = f"{key}_result"
    kind = st.selectbox("Look the shopper up by", list(KIND_LABELS), format_func=KIND_LABELS.__getitem__,
                        key=f"{key}_kind", on_change=_forget, args=(result_key,)) or "user-profile-id"
    if kind in PERSONAL_KINDS:
        typed = st.text_input(KIND_LABELS[kind], type="password", key=f"{key}_value", autocomplete="off",
                              on_change=_forget, args=(result_key,))
        value = str(typed or "").strip() or None
        st.caption(f":material/lock: {PERSONAL_NOTE}")
    else:
        value = user_id
        if user_id is None:
            st.caption("Set a user id in the sidebar to read that shopper's profile, or look the shopper up by "
                       "e-mail, phone or document.")
    if st.button("Fetch the profile", key=f"{key}_fetch", icon=":material/person_search:",
                 disabled=value is None or not allowed(Action.LIVE_CALL), help=why_not(Action.LIVE_CALL) or None,
                 ) and require(Action.LIVE_CALL, page="Shopper profile") and value is not None:
        lookup = call("Fetching the shopper profile", lambda: _fetch(ctx.client, kind, value))
        log_activity(ActivityAction.PROFILE_LOOKUP, page="Shopper profile", detail=LOOKUP_WORDS[kind])  # never the value
        if lookup is not None:
            st.session_state[result_key] = lookup
    lookup = _current(key, user_id)
    if lookup is None or lookup.kind != kind:
        if value is not None:
            st.caption("Press **Fetch the profile** to read what Fashion.AI writes about this shopper.")
        return
    whom = f"user {code_span(lookup.who)}" if lookup.kind not in PERSONAL_KINDS else \
        f"{KIND_LABELS[lookup.kind].lower()} {code_span(lookup.who)}"
    if lookup.profile is None:
        st.info(f"Fashion.AI has no profile for this shopper ({whom}).", icon=":material/person_off:")
        return
    st.markdown(f"**Profile of {whom}** (Fashion.AI's profile id {code_span(lookup.profile.user_profile_id)}). "
                "Fashion.AI writes it in Portuguese: its words are kept as sent.")
    _profile_sections(lookup.profile, shelves)


VENDOR_WORDS = ":material/translate: In the vendor's words (Portuguese):"
"""Said over every section of a profile that has text: the headings are ours, the text is Fashion.AI's."""


def _section_markdown(section: Section) -> str:
    lines = []
    for line in section.lines:
        head = f"- **{escape_markdown(line.label)}**"
        lines.append(head + (f": {escape_markdown(line.text)}" if line.text.strip() else ""))
        lines.extend(f"    - {escape_markdown(item)}" for item in line.items)
    return "\n".join(lines)


def _profile_sections(profile: ShopperProfile, shelves: Mapping[str, pd.DataFrame]) -> None:
    sections = profile_sections(profile)
    left, right = st.columns(2, gap="large")
    for number, section in enumerate(sections):
        with left if number < 3 else right:
            st.markdown(f"**{escape_markdown(section.title)}**")
            st.caption(escape_markdown(section.about))
            if section.lines:
                st.caption(VENDOR_WORDS)  # English headings over Portuguese text: say whose words these are
                st.markdown(_section_markdown(section))
            else:
                st.caption("Fashion.AI says nothing here for this shopper.")
    _look_matches(profile, shelves)


def _look_matches(profile: ShopperProfile, shelves: Mapping[str, pd.DataFrame]) -> None:
    st.markdown("**On the shelves: products named like a suggested look's items**")
    if not look_items(profile):
        st.caption("This profile suggests no look.")
        return
    matches = shelf_matches(profile, {name: frame for name, frame in shelves.items() if frame is not None})
    if not shelves:
        st.caption("No shelves are shown yet to look for them.")
    elif matches.empty:
        st.caption(f"No product on {plural(len(shelves), 'shelf', 'shelves')} is named like an item of a "
                   "suggested look.")
    else:
        st.caption("Matched by the words of the product's name (ignoring case, accents, plurals and words such "
                   "as \"de\" or \"com\").")
        st.dataframe(matches, hide_index=True, width="stretch", column_config={
            "shelf": st.column_config.TextColumn("Shelf"), "name": st.column_config.TextColumn("Product"),
            "product_id": st.column_config.TextColumn("Product id"),
            "look_items": st.column_config.TextColumn("Look items it matches")})
