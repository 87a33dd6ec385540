"""What each page hands over as a deck or a report (`output.handover.Handover`), from what it already holds.

    comparison_handover(comparison, reference=..., others=..., other=..., backend=..., catalog=...)
    walk_handover(walk, backend=..., catalog=...)
    journey_handover(run, k=10, catalog_data=catalog, names=names, backend=..., catalog=...)
    scorecard_handover(run, card)     # an audit run and its scorecard

Each gives the title slide's facts (what was compared, when, backend, catalog) and the sections: the
page's charts with their plain readings, its storefronts as product cards. No call, no Streamlit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import pandas as pd

from fashionai.audit.model import AuditRun
from fashionai.audit.registry import HANDOVER_MEASURES
from fashionai.audit.scorecard import MEASURE_INFO, Scorecard, format_value
from fashionai.audit.view import measure_across, measure_table
from fashionai.catalog import Catalog
from fashionai.compare_view import MEASURE_HELP, change_counts, change_reading, lane_order
from fashionai.comparison import Comparison
from fashionai.collection_view import NoActiveSlice, view_collection
from fashionai.domain import DEFAULT_CURRENCY, EventType, backend_label, call_label
from fashionai.journey_run import JourneyRun
from fashionai.journey_view import drift, product_names, run_steps
from fashionai.output import audit_charts, charts, readings
from fashionai.output.handover import Handover, Section, cards_from_frame, now, when_words
from fashionai.output.present import plural
from fashionai.walk import (
    EMPTY_SHELF,
    HOME_SHELF_TITLE,
    NOTHING_SHOWN,
    SIMILAR_FOR_SHOPPER,
    SIMILAR_FOR_SHOPPER_TITLE,
    SIMILAR_ROW,
    Walk,
)
from fashionai.walk_trail import trail_frame

__all__ = ["MAIN_MEASURES", "comparison_handover", "journey_handover", "scorecard_handover", "walk_handover"]

MAIN_MEASURES = HANDOVER_MEASURES  # the registry's specs marked handover
"""The audit measures that get a chart of their own in a handover (every measure is in its words)."""



def _lane_cards(comparison: Comparison, label: str, currency: str) -> tuple:
    top = list(dict.fromkeys(comparison.lane(label).ranking))[:comparison.k]
    rows = comparison.products.reindex(top)
    frame = rows.assign(product_id=top, rank=range(1, len(top) + 1), in_catalog=[pid in comparison.products.index
                                                                                 for pid in top])
    return cards_from_frame(frame, currency=currency, limit=comparison.k)


KEY_HEADING = "Key to the chart above: each letter drawn in its points, and its product"


def comparison_handover(comparison: Comparison, *, reference: str, others: Sequence[str], other: str, backend: str,
                        catalog: str, currency: str = DEFAULT_CURRENCY, made_at: datetime | None = None) -> Handover:
    """The compare page's comparison at its K and p, against `reference`: the lanes, the bump chart, who moved
    from `reference` to `other` (its biggest moves), the measures' heatmaps with their readings, the why chart,
    and each lane's top K as cards."""
    k = comparison.k
    order = lane_order(reference, others)
    lanes = tuple(f"{lane.label}: {lane.note}" for lane in comparison.lanes)
    pairs = [(label, comparison.pair(reference, label)) for label in order[1:]]
    sentences = tuple(f"{reference} and {label}: {readings.row_reading(pair, k)}" for label, pair in pairs if pair)
    sections = [Section("The lanes", lanes),
                Section(f"How the top {k} reshuffles across lanes", sentences,
                        chart=charts.bump_chart(comparison.rank_long, k=k, lane_order=order, info=comparison.info,
                                                compared=other)),
                Section(KEY_HEADING, charts.key_lines(charts.bump_key(comparison.rank_long, k=k, lane_order=order,
                                                                      info=comparison.info)))]
    changes = comparison.changes(reference, other)
    counts = "; ".join(f"{label}: {count}" for label, count in change_counts(changes, k))
    moved = charts.rank_change_chart(changes[["product_id", "ref_rank", "rank", "change", "delta"]], comparison.info,
                                     top=charts.CHANGES_TOP)
    sections.append(Section(f"Who moved: {other} against {reference}", (change_reading(changes, k), counts),
                            chart=moved))
    pair = comparison.pair(reference, other)
    said_of = readings.measure_readings(pair, k) if pair else {}
    for measure in ("rbo", "overlap", "jaccard", "kendall"):
        said = (f"{reference} and {other}: {said_of[measure]}",) if pair else ()
        sections.append(Section(charts.MEASURE_TITLES[measure], (*said, MEASURE_HELP[measure]),
                                chart=charts.similarity_heatmap(comparison.matrices[measure], measure)))
    if not comparison.lift.empty:
        why = (f"How each lane's top {k} differs from the category as a whole, by colour, style, brand and price "
               "band: bars right of the dashed line are what the lane shows more of.")
        sections.append(Section(f"Why: what each lane's top {k} shows more of", (why,),
                                chart=charts.lift_chart(comparison.lift, top=charts.WHY_TOP)))
    for label in order:
        sections.append(Section(f"{label}: top {k}", cards=_lane_cards(comparison, label, currency)))
    subject = (f"{plural(len(comparison.lanes), 'lane')} of the category {comparison.category}: "
               + ", ".join(comparison.labels) + f" (top {k}, against {reference})")
    summary = (f"What the top {k} of {comparison.category} looks like for {plural(len(comparison.lanes), 'lane')}, "
               f"{other} set against {reference}. "
               + (f"{readings.row_reading(pair, k)} " if pair else "") + change_reading(changes, k))
    return Handover(f"Compare lanes: {comparison.category}", subject, made_at or now(), backend, catalog,
                    tuple(sections), summary=summary)


def _product_name(frame: pd.DataFrame | None, product_id: str) -> str:
    """The product's name in a joined frame's first row, else "product <id>"."""
    if frame is not None and not frame.empty and "name" in frame.columns:
        name = frame["name"].iloc[0]
        if isinstance(name, str) and name.strip():
            return name.strip()
    return f"product {product_id}"


def _call_words(row: Mapping) -> str:
    """One call of the trail in words: "12:01:02 UTC · Product page: Linen Midi Dress: 12 products, ..."."""
    products = f"{plural(int(row['products']), 'product')}, " if pd.notna(row["products"]) else ""
    about = f": {row['about']}" if row["about"] else ""
    return f"{row['time']} UTC · {row['call']}{about}: {products}{row['changed']}"


def _collection_section(answer: Any, catalog_data: Catalog | None, currency: str,
                        made_at: datetime) -> Section | None:
    """The home page's collection row: its active slice's first products (or that none is active now)."""
    if answer is None or catalog_data is None:
        return None
    view = view_collection(answer.collection_id, answer.slice, catalog_data, made_at)
    if isinstance(view, NoActiveSlice):
        return Section(f"Home: {call_label(EventType.COLLECTION)} {view.collection_id}",
                       (("No slice of this collection is active now (a normal state: they are all scheduled or "
                         "expired)."),))
    said = ((f"The active slice {view.slice_name}, {plural(view.counts.listed, 'product')} placed by hand, "
             f"runs {when_words(view.starts_at)} to {when_words(view.ends_at)}."),)
    return Section(f"Home: {view.collection_name}", said, cards=cards_from_frame(view.products, currency=currency))


def _shown(heading: str, frame: pd.DataFrame, currency: str, readings: tuple[str, ...] = (), *,
           notes: Sequence[str] | None = None, empty: str = NOTHING_SHOWN) -> Section:
    """A place's products as cards, under its sentences; an empty answer says so (`empty`) instead."""
    cards = cards_from_frame(frame, currency=currency, notes=notes)
    return Section(heading, readings if cards else (*readings, empty), cards=cards)


def walk_handover(walk: Walk, *, backend: str, catalog: str, catalog_data: Catalog | None = None,
                  currency: str = DEFAULT_CURRENCY, made_at: datetime | None = None) -> Handover:
    """The shopper walk: every call in order, then what each place showed last (the home page's shelf,
    collection and best sellers, the category page with its moves, the product page, its two rows of similar
    products and its look). Each call is named by what the shopper sees, a product by its name."""
    made_at = made_at or now()
    names = product_names(catalog_data) if catalog_data is not None else None
    calls = tuple(_call_words(row) for row in trail_frame(walk.trail, names).to_dict("records"))
    sections = [Section("The walk, call by call", calls or ("The walk has not sent any call yet.",))]
    home = walk.home
    if home.shelf_products is not None:
        sections.append(_shown(f"Home: {HOME_SHELF_TITLE}", home.shelf_products, currency, empty=EMPTY_SHELF))
    if (collection := _collection_section(home.collection, catalog_data, currency, made_at)) is not None:
        sections.append(collection)
    if home.best_products is not None:
        sections.append(_shown(f"Home: {call_label(EventType.SALES_RANKING)}", home.best_products, currency))
    if walk.category is not None:
        page = walk.category
        frame = page.preview.products
        notes = [page.moves[pid].label if pid in page.moves else "" for pid in frame["product_id"]]
        sections.append(_shown(f"{call_label(EventType.CATEGORY_VIEW)}: {page.preview.category_id}", frame, currency,
                               (page.note.replace("\\", ""),) if page.note else (), notes=notes))
    if walk.product is not None:
        product = walk.product
        name = _product_name(product.main, product.product_id)
        sections.append(Section(f"{call_label(EventType.PRODUCT_VIEW)}: {name}",
                                cards=cards_from_frame(product.main, currency=currency)))
        sections.append(_shown(f"{SIMILAR_FOR_SHOPPER_TITLE}: {name}", product.view_products, currency,
                               (SIMILAR_FOR_SHOPPER,)))
        if product.similar_products is not None:
            sections.append(_shown(f"{call_label(EventType.SIMILAR)}: {name}", product.similar_products, currency,
                                   (SIMILAR_ROW,)))
        if product.look is not None:
            sections.append(_shown(f"{call_label(EventType.SHOP_THE_LOOK)}: {name}", product.look.look, currency))
    who = f"session {walk.session_id}" + (f", user {walk.user_id}" if walk.user_id else "")
    subject = f"A shopper walk of {who}: {plural(len(walk.trail), 'call')}"
    return Handover("Shopper walk", subject, made_at, backend, catalog, tuple(sections), summary=_walk_summary(walk))


def _walk_summary(walk: Walk) -> str:
    """The walk in one paragraph: where the shopper went, in order, and what the last visit of each place changed."""
    if not walk.trail:
        return "The walk has not sent any call yet: nothing was shown."
    places = list(dict.fromkeys(call_label(entry.event) for entry in walk.trail))
    said = [f"One shopper ({plural(len(walk.trail), 'call')}) went through the store: {', '.join(places)}."]
    if walk.category is not None:
        visit = next(e for e in reversed(walk.trail) if e.event == EventType.CATEGORY_VIEW)
        said.append(f"The last visit of the category page {walk.category.preview.category_id}: {visit.change}, "
                    f"its order from {walk.category.preview.source}.")
    failed = sum(1 for entry in walk.trail if not entry.ok)
    if failed:
        said.append(f"{plural(failed, 'call')} failed; the pages show what came before.")
    return " ".join(said)


def journey_handover(run: JourneyRun, *, k: int, catalog_data: Catalog, backend: str, catalog: str,
                     names: Mapping[str, str] | None = None, currency: str = DEFAULT_CURRENCY,
                     made_at: datetime | None = None) -> Handover:
    """A journey run: the drift chart with its reading and figures, the steps in words, the storefront after."""
    headline = drift(run, k, catalog_data, names)
    figures = tuple(f"{label}: {value}" for label, value in headline.metrics)
    answer, top = "the step's answer", "top of the target category"
    steps = tuple(f"Step {row['step']}: {row['what the shopper did']} ({row[answer]}); "
                  f"top of {run.journey.target_category}: {row[top] or 'nothing'}" for row in run_steps(run, names))
    sections = [Section(f"How the top {k} drifts along the journey", (headline.reading, *figures),
                        chart=charts.drift_chart(headline.long, k=k, info=headline.info)),
                Section(KEY_HEADING, charts.key_lines(charts.drift_key(headline.long, k=k, info=headline.info)))]
    if steps:
        sections.append(Section("The steps", steps))
    sections.append(Section(f"The storefront after the last step: top {k}",
                            cards=cards_from_frame(headline.top, currency=currency, limit=k)))
    subject = (f"The journey {run.journey.name} on session {run.session_id}, watching "
               f"{run.journey.target_category}: {len(run.steps)} of {plural(len(run.journey.steps), 'step')} done")
    summary = (f"How the top {k} of {run.journey.target_category} changes as one shopper follows the journey "
               f"{run.journey.name}, step by step. {headline.reading}")
    return Handover(f"Journey: {run.journey.name}", subject, made_at or now(), backend, catalog, tuple(sections),
                    summary=summary)


def scorecard_handover(run: AuditRun, card: Scorecard, *, made_at: datetime | None = None) -> Handover:
    """An audit run's scorecard: every measure in words, then a chart across categories per main measure."""
    table = measure_table(card)
    lines = tuple(f"{row['measure']}: {row['value']}." if row["key"] in card.not_measured else
                  f"{row['measure']}: {row['value']} ({row['better']}). {row['meaning']}."
                  for row in table.to_dict("records"))
    sections = [Section("The scorecard, overall", lines)]
    for key in MAIN_MEASURES:
        frame = measure_across(card, key)
        if frame.empty or key in card.not_measured:  # said in the overall lines: no empty chart
            continue
        info = MEASURE_INFO[key]
        sections.append(Section(info.label, (f"{info.meaning}.",), chart=audit_charts.measure_across_chart(frame,
                                                                                                          info)))
    subject = (f"The audit plan {run.plan_name} (run {run.short_id}, {run.status}): "
               f"{plural(run.done_calls, 'call')} of {run.total_calls:,}, top {card.k}")
    backend = backend_label(run.backend)
    main = [f"{row['measure']} {row['value']}" for row in table.to_dict("records")
            if row["key"] in MAIN_MEASURES and row["value"] != format_value(MEASURE_INFO[row["key"]], None)]
    summary = (f"How personalized the storefronts of {plural(run.done_calls, 'call')} were, shopper by shopper, in "
               f"the top {card.k}" + (f": {'; '.join(main)}." if main else ".")
               + " Each measure's meaning, and each category's figure, follow.")
    return Handover(f"Audit: {run.plan_name}", subject, made_at or run.started_at, backend, run.catalog_name,
                    tuple(sections), summary=summary)
