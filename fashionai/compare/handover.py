"""The compare page's comparison handed over as a deck or a report (`output.handover.Handover`).

    comparison_handover(comparison, reference=..., others=..., other=..., backend=..., catalog=...)

The title slide's facts (what was compared, when, backend, catalog) and the sections: the lanes, the bump chart
and its key, who moved, the measures' heatmaps with their readings, the why chart, each lane's top K as cards.
No call, no Streamlit.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from fashionai.compare.compared import Comparison
from fashionai.compare.view import MEASURE_HELP, change_counts, change_reading, lane_order
from fashionai.domain import DEFAULT_CURRENCY
from fashionai.output import charts, readings
from fashionai.output.handover import KEY_HEADING, Handover, Section, cards_from_frame, now
from fashionai.text.formatting import plural

__all__ = ["comparison_handover"]


def _lane_cards(comparison: Comparison, label: str, currency: str) -> tuple:
    top = list(dict.fromkeys(comparison.lane(label).ranking))[:comparison.k]
    rows = comparison.products.reindex(top)
    frame = rows.assign(product_id=top, rank=range(1, len(top) + 1), in_catalog=[pid in comparison.products.index
                                                                                 for pid in top])
    return cards_from_frame(frame, currency=currency, limit=comparison.k)


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
