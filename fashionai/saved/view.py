"""What the history page shows, worked out: a snapshot opened (storefront, look or products, with its
export), two snapshots compared, the filters a share view makes, and the sentences around them (the
caption, the failure, the import's outcome, where the history is kept).

The page reads its widgets and the store, calls these and renders what they return (frozen dataclasses
and Markdown strings); no Streamlit here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from fashionai.api.client import Recommendation, SearchAnswer
from fashionai.api.endpoints import snapshot_view
from fashionai.catalog import Catalog, join_ranking
from fashionai.catalog.stock import UNKNOWN_IN_STOCK_DEFAULT
from fashionai.compare.compared import Comparison
from fashionai.compare.replay import compare_snapshots
from fashionai.domain import DEFAULT_K, DEFAULT_P, backend_label
from fashionai.history import Filters, HistoryConfig, ImportResult, Snapshot, SnapshotSummary
from fashionai.output import exports, readings, share
from fashionai.storefront.export import look_export, storefront_export
from fashionai.storefront.preview import (
    LookPreview,
    StorefrontPreview,
    look_from_snapshot,
    recommendation_from_snapshot,
    search_from_snapshot,
    storefront_from_snapshot,
)
from fashionai.team.retention import Retention
from fashionai.text.formatting import code_span, escape_markdown, ms_words, plural, unknown_stock_note

# --------------------------------------------------------------------------- one snapshot opened


@dataclass(frozen=True)
class OpenedSnapshot:
    """A successful snapshot rebuilt from the history (no call), joined with today's catalog.

    `built` is a `StorefrontPreview` (categoryView), a `LookPreview` (shopTheLook), or the
    ranked products as a frame (any other event: a search's page too); `export` is what the export buttons offer;
    `recommendation` the answer as the client returned it (a site search's page as a `SearchAnswer`).
    """

    event_type: str
    built: Any  # Any: which of the three the table of calls says (snapshot_view), read by that view
    export: exports.Export
    recommendation: Recommendation | SearchAnswer


def open_snapshot(snapshot: Snapshot, catalog: Catalog, *, unknown_in_stock: bool = UNKNOWN_IN_STOCK_DEFAULT) -> OpenedSnapshot:
    """The view of one successful snapshot, its export and the answer it recorded (a look's button decided with
    unknown stock as the setting says, `unknown_in_stock`)."""
    view = snapshot_view(snapshot.event_type)  # how the table of calls says it opens
    built: StorefrontPreview | LookPreview | pd.DataFrame
    if view == "storefront":
        built = storefront_from_snapshot(snapshot, catalog)
    elif view == "look":
        built = look_from_snapshot(snapshot, catalog)
    else:
        built = products_frame(snapshot, catalog)
    export = snapshot_export(snapshot, built, unknown_in_stock=unknown_in_stock)
    answer = search_from_snapshot(snapshot) if view == "search" else recommendation_from_snapshot(snapshot)
    return OpenedSnapshot(snapshot.event_type, built, export, answer)


def products_frame(snapshot: Snapshot, catalog: Catalog) -> pd.DataFrame:
    """A snapshot that is neither a storefront nor a look: its ranked products joined with the catalog."""
    return join_ranking(catalog, list(snapshot.products))


def snapshot_export(snapshot: Snapshot, built: Any,  # Any: as OpenedSnapshot.built
                    *, unknown_in_stock: bool = UNKNOWN_IN_STOCK_DEFAULT) -> exports.Export:
    """The export of what `open_snapshot` built: a storefront's, a look's, or the products with the snapshot's ids."""
    view = snapshot_view(snapshot.event_type)
    if view == "storefront":
        return storefront_export(built)
    if view == "look":
        return look_export(built, unknown_in_stock=unknown_in_stock)
    return exports.Export(exports.slug(snapshot.event_type, snapshot.item_id, snapshot.session_id),
                          {"products": exports.product_table(built)},
                          {"kind": snapshot.event_type, "snapshot_id": snapshot.id, "item_id": snapshot.item_id,
                           "session_id": snapshot.session_id, "user_id": snapshot.user_id,
                           **({"page": snapshot.search_page, "total_items": snapshot.total_items,
                               "total_pages": snapshot.total_pages} if view == "search" else {})})


def snapshot_title(snapshot: Snapshot, name: str | None = None) -> str:
    """Its name if it has one, then the event and what it asked about (a search in words) (Markdown)."""
    title = (escape_markdown(snapshot.search_words) if snapshot.search_words
             else f"{escape_markdown(snapshot.event_type)} {escape_markdown(snapshot.item_id or '')}")
    return f"“{escape_markdown(name)}” · {title}" if name else title


def snapshot_caption(snapshot: Snapshot) -> str:
    """When, for whom, which backend, how it ended and how long it took (Markdown)."""
    who = f"session {code_span(snapshot.session_id)}" if snapshot.session_id else "no session"
    if snapshot.user_id:
        who += f", user {code_span(snapshot.user_id)}"
    return (f"{snapshot.recorded_at:%Y-%m-%d %H:%M:%S} UTC · {who} · {backend_label(snapshot.backend)} · "
            f"{escape_markdown(snapshot.outcome)} in {ms_words(snapshot.elapsed)} · joined with today's catalog")


def search_caption(snapshot: Snapshot) -> str:
    """What a saved site search's page was: which page of how many, how many results in all (Markdown)."""
    answer = search_from_snapshot(snapshot)
    query = escape_markdown(f"“{answer.query}”")
    if not answer.total_items:
        return f"Fashion.AI found no product for {query}: the answer was an empty page."
    shown = plural(len(answer.items), "product")
    if not answer.items:
        return (f"Page {answer.page:,} was past the last ({answer.total_pages:,}) of the "
                f"{plural(answer.total_items, 'result')} Fashion.AI found for {query}: no product on it.")
    return (f"Page {answer.page:,} of {answer.total_pages:,} ({shown}) of the {plural(answer.total_items, 'result')} "
            f"Fashion.AI found for {query}.")


def failure_message(snapshot: Snapshot) -> str:
    """A failed snapshot: what failed, after how many attempts (Markdown)."""
    return (f"**This call failed:** {escape_markdown(snapshot.outcome)}"
            + (f" after {snapshot.attempts} attempts" if snapshot.attempts > 1 else "") + ". No products were shown.")


def look_caption(look: LookPreview, *, unknown_in_stock: bool = UNKNOWN_IN_STOCK_DEFAULT) -> str:
    """How many of a saved look's pieces have stock today, and whether the button would show (unknown stock
    counting as in stock only with `unknown_in_stock`, the setting; said when a piece has unknown stock)."""
    valid, returned = len(look.shown_pieces(unknown_in_stock=unknown_in_stock)), len(look.look)
    has = "has" if 1 in (valid, returned) else "have"  # "1 of 3 ... has", "0 of 1 ... has", "2 of 3 ... have"
    caption = (f"{valid:,} of {plural(returned, 'suggested piece')} {has} stock in today's catalog: the \"shop the "
               "look\" button would " + ("show." if valid else "be hidden."))
    if look.unknown_stock:
        caption += " " + unknown_stock_note(look.unknown_stock, unknown_in_stock=unknown_in_stock,
                                            noun="suggested piece", kept="counted with the look",
                                            left_out="left out of the look")
    return caption


# --------------------------------------------------------------------------- two snapshots compared


@dataclass(frozen=True)
class TwoSnapshots:
    """Two snapshots as lanes, the older first: their comparison, or the problem that stops it (Markdown)."""

    comparison: Comparison | None
    problem: str | None = None

    @property
    def measurable(self) -> bool:
        """Both lanes have a ranking to measure."""
        return self.comparison is not None and len(self.comparison.usable_labels) == 2


def compare_two(snapshots: Sequence[Snapshot], catalog: Catalog, labels: Sequence[str] | None = None) -> TwoSnapshots:
    """The two snapshots compared at the default K and p (their lanes named `labels`), or why they cannot be."""
    try:
        return TwoSnapshots(compare_snapshots(snapshots, catalog, k=DEFAULT_K, p=DEFAULT_P, labels=labels))
    except ValueError as err:
        return TwoSnapshots(None, f"{escape_markdown(str(err)[:1].upper() + str(err)[1:])}.")


def _question(snapshot: Snapshot | SnapshotSummary) -> str:
    return f"{snapshot.event_type} {snapshot.item_id}" if snapshot.item_id else snapshot.event_type


def different_things_note(first: Snapshot, second: Snapshot) -> str | None:
    """Said before the measures when the two snapshots answer different questions (another event or another
    category or product), Markdown; None when they answer the same one."""
    if first.item_id == second.item_id and first.event_type == second.event_type:
        return None
    return (f"**These are answers to different questions:** {escape_markdown(_question(first))} and "
            f"{escape_markdown(_question(second))}; the measures below compare their product lists only.")


def snapshot_label(snapshot: Snapshot | SnapshotSummary, name: str | None = None) -> str:
    """A picker's words for a snapshot: its name first when it has one, then when (to the second), the event,
    what it asked about and the whole session id (plain text)."""
    return f"“{name}” · {snapshot.label}" if name else snapshot.label


def picker_labels(snapshots: Mapping[str, Snapshot | SnapshotSummary], names: Mapping[str, str] | None = None
                  ) -> dict[str, str]:
    """`snapshot_label` for each snapshot (by id), told apart where they would read alike: answers of one
    session to the same question within one second (a journey's target ranked again after each step, on a
    fast API) get " · answer k of n" in the order they arrived."""
    names = names or {}
    labels = {snapshot_id: snapshot_label(snapshot, names.get(snapshot_id))
              for snapshot_id, snapshot in snapshots.items()}
    alike: dict[str, list[str]] = {}
    for snapshot_id, label in labels.items():
        alike.setdefault(label, []).append(snapshot_id)
    for label, ids in alike.items():
        if len(ids) > 1:
            ordered = sorted(ids, key=lambda i: (snapshots[i].recorded_at, i))
            for number, snapshot_id in enumerate(ordered, start=1):
                labels[snapshot_id] = f"{label} · answer {number} of {len(ordered)}"
    return labels


LANE_LETTERS = "AB"


def lane_labels(snapshots: Sequence[Snapshot], names: Mapping[str, str] | None = None) -> list[str]:
    """Two snapshots' lane names that tell them apart from their first characters: "A · before the campaign",
    else "A · 10:24:51 categoryView Dresses" (with the day when the two days differ)."""
    names = names or {}
    days = {f"{s.recorded_at:%Y-%m-%d}" for s in snapshots}
    when = "%Y-%m-%d %H:%M:%S" if len(days) > 1 else "%H:%M:%S"
    labels = []
    for letter, snapshot in zip(LANE_LETTERS, snapshots, strict=False):
        name = names.get(snapshot.id)
        labels.append(f"{letter} · {name}" if name else f"{letter} · {snapshot.recorded_at.strftime(when)} "
                      f"{_question(snapshot)}")
    return labels


def pick_limit_message(dropped: Sequence[str]) -> str:
    """Why the picks past the second were not taken (plain text)."""
    return ("Only two snapshots can be chosen: one to open, or two to compare. "
            f"{'This pick was' if len(dropped) == 1 else 'These picks were'} not taken: " + "; ".join(dropped)
            + ". Remove one of the two first.")


@dataclass(frozen=True)
class Metric:
    label: str
    value: str
    help: str | None = None
    reading: str = ""  # the figure in plain words (`output.readings`)


def pair_metrics(comparison: Comparison) -> tuple[Metric, ...]:
    """The four measures of a two-lane comparison, at its k and p, as metrics: plain labels, each with its plain
    reading, the technical names in the help."""
    [pair] = comparison.pairwise.to_dict("records")
    tau, k = pair["kendall_tau"], comparison.k
    said = readings.measure_readings(pair, k)
    return (Metric("Alike overall", f"{pair['rbo']:.3f}",
                   f"Rank-biased overlap (RBO, p={comparison.p:.2f}): agreement of the whole lists, the top counting "
                   "most; 1 is the same order.", said["rbo"]),
            Metric(f"Shared in the top {k}", f"{pair['overlap_at_k']:.2f}",
                   f"Overlap@{k}: the share of the {k} places both fill with the same products.", said["overlap"]),
            Metric(f"Shared of either top {k}", f"{pair['jaccard_at_k']:.2f}",
                   f"Jaccard@{k}: products in both top {k} over products in either.", said["jaccard"]),
            Metric("Same order", "—" if tau != tau else f"{tau:.2f}",
                   "Kendall's tau over the products both hold: 1 = same order, -1 = reversed.", said["kendall"]))


def pair_sentence(comparison: Comparison) -> str:
    """The two snapshots' answers in one plain sentence (`readings.pair_reading`)."""
    [pair] = comparison.pairwise.to_dict("records")
    return readings.row_reading(pair, comparison.k)


# --------------------------------------------------------------------------- the list, the import, the store


def view_filters(view: share.HistoryView) -> Filters:
    """The history's filters a view's filter fields make (its days whole UTC days, both included)."""
    return Filters.for_days(view.since, view.until, session_id=view.session, user_id=view.user, item_id=view.item,
                            event_type=view.event, backend=view.backend,
                            ok=None if view.outcome is None else view.outcome == "ok")


def matches_caption(total: int, shown: int) -> str:
    """How many snapshots match the filters, and how many of them are listed."""
    return (plural(total, "snapshot matches", "snapshots match")
            + (f"; the newest {shown} are listed" if total > shown else "") + ". Times are UTC.")


def import_message(name: str, result: ImportResult, max_count: int | None) -> str:
    """What an import added and what it left out, and why (plain text)."""
    parts = [f"{plural(result.added, 'snapshot')} added"]
    if result.already_there:
        parts.append(f"{plural(result.already_there, 'was', 'were')} already in the history")
    if result.too_old:
        parts.append(f"{plural(result.too_old, 'is', 'are')} older than the history keeps and "
                     f"{plural(result.too_old, 'was', 'were', with_count=False)} left out")
    if result.in_future:
        parts.append(f"{plural(result.in_future, 'is', 'are')} dated more than a day ahead of this server's "
                     "clock (the clock of the studio that recorded them was wrong?) and "
                     f"{plural(result.in_future, 'was', 'were', with_count=False)} left out")
    if result.over_limit:
        parts.append(f"{plural(result.over_limit, 'was', 'were')} left out because the history is full: it keeps "
                     f"at most {max_count:,} snapshots, and the ones already here stay (raise "
                     "FASHIONAI_HISTORY_MAX_COUNT to take more)")
    return f"{name}: " + "; ".join(parts) + "."


def import_failure(name: str, err: Exception) -> str:
    """An import refused: the file or the database said why, and nothing was added (plain text)."""
    return f"{name} was not imported: {err}. Nothing was added."


def storage_note(display_url: str, config: HistoryConfig, retention: Retention | None = None) -> str:
    """Where the history is kept, who said so, and how long and how much it keeps (Markdown): `retention` when an
    admin chose it on the Team page (it wins), else the deployment's `config`."""
    team = retention is not None and retention.team_set
    days, count = retention.limits() if retention is not None and team else (config.max_age_days, config.max_count)
    return (f"Stored in {escape_markdown(display_url)} (set by {escape_markdown(config.source)}); kept "
            + (f"{days:g} days" if days else "forever")
            + (f", at most {count:,} snapshots" if count else "")
            + (" (chosen by an admin on the Team page)" if team else "") + ".")
