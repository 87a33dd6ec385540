"""What the Catalog page's reconciliation computes before it shows it: the answers to check
(the pages' latest results, or the history's saved answers of these shopper sessions), and a
category's products that none of them returned. Nothing here calls Fashion.AI.

    answers = saved_answers(store, answer_sessions(sidebar_session, page_answers(...)))
    report = reconcile_saved(catalog, store, answers)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from fashionai.catalog import Catalog
from fashionai.catalog.report import (
    Answer,
    Asked,
    Reconciliation,
    unique_answers,
    answer_from_recommendation,
    asked_about,
    never_returned,
    reconcile,
)
from fashionai.compare.compared import Comparison
from fashionai.history import Filters, HistoryStore, Snapshot, SnapshotSummary
from fashionai.journeys.run import JourneyRun
from fashionai.storefront.preview import LookPreview, StorefrontPreview

HISTORY_LIMIT = 50
"""Saved answers read per shopper session."""


def answers_from_snapshots(snapshots: Iterable[Snapshot]) -> list[Answer]:
    """Answers from the history's snapshots (failures left out), in the order given."""
    return unique_answers([
        Answer(
            seen_in=f"History, {snapshot.recorded_at:%Y-%m-%d %H:%M:%S} UTC",
            event_type=snapshot.event_type,
            item_id=snapshot.item_id,
            session_id=snapshot.session_id,
            products=tuple(snapshot.products),
            id=snapshot.id,
        )
        for snapshot in snapshots if snapshot.ok
    ])


def page_answers(*, storefront: StorefrontPreview | None = None, look: LookPreview | None = None,
                 comparison: Comparison | None = None, journey: JourneyRun | None = None) -> list[Answer]:
    """The answers held by this browser session's pages: the latest storefront preview, look,
    comparison (each lane, and each step of a persona's journey) and journey run (each
    step's event and the ranking fetched after it). None for a page with no result."""
    answers: list[Answer] = []
    if storefront is not None:
        answers.append(answer_from_recommendation(storefront.recommendation, "Storefront preview"))
    if look is not None:
        answers.append(answer_from_recommendation(look.recommendation, "Shop the look"))
    if comparison is not None:
        for lane in comparison.lanes:
            where = f"Compare lanes: {lane.label}"
            if lane.journey is not None:
                answers += _journey_answers(lane.journey, where)
            elif lane.recommendation is not None:
                answers.append(answer_from_recommendation(lane.recommendation, where))
    if journey is not None:
        answers += _journey_answers(journey, f"Journey {journey.journey.name}")
    return unique_answers(answers)


def _journey_answers(run: JourneyRun, where: str) -> list[Answer]:
    answers = []
    for step in run.steps:
        answers.append(answer_from_recommendation(step.event, f"{where}, step {step.number}"))
        answers.append(answer_from_recommendation(step.fetch, f"{where}, ranking after step {step.number}"))
    return answers


def page_answers_and_ids(storefront: StorefrontPreview | None, look: LookPreview | None,
                         comparison: Comparison | None, journey: JourneyRun | None) -> tuple[list[Answer], tuple]:
    """The answers the pages' latest results hold (see `page_answers`), and what tells them apart:
    their exchange ids (an answer without one, by its products)."""
    answers = page_answers(storefront=storefront, look=look, comparison=comparison, journey=journey)
    return answers, tuple(answer.id or hash(answer.products) for answer in answers)


def answer_sessions(sidebar_session: str, answers: Iterable[Answer]) -> list[str]:
    """The shopper sessions whose saved answers are checked: the sidebar's, then those the pages' results used."""
    return list(dict.fromkeys(s for s in [sidebar_session, *(a.session_id for a in answers)] if s))


def saved_answers(store: HistoryStore, sessions: Iterable[str], *, limit: int = HISTORY_LIMIT) -> list[SnapshotSummary]:
    """The summaries of the last `limit` answers (failures left out) the history saved for each of these
    sessions, newest first: what was asked, for whom, when; their ranked ids are read only to reconcile
    them (`reconcile_saved`). Raises HistoryError."""
    summaries = [summary for session in sessions
                 for summary in store.summaries(Filters(session_id=session, ok=True), limit=limit)]
    return sorted(summaries, key=lambda summary: summary.recorded_at, reverse=True)


def reconcile_saved(catalog: Catalog, store: HistoryStore, summaries: Sequence[SnapshotSummary]) -> Reconciliation:
    """Saved answers (their summaries) reconciled with the catalog: their ranked ids read from the
    history here. Raises HistoryError."""
    snapshots = store.get([summary.id for summary in summaries])
    return reconcile(catalog, answers_from_snapshots(snapshots))


def never_returned_frame(catalog: Catalog, report: Reconciliation, category: str) -> tuple[pd.DataFrame, int]:
    """The ids of `category` no answer returned (one column, product_id, in the catalog's order),
    and how many products the category has."""
    ids = never_returned(catalog, report, category)
    return pd.DataFrame({"product_id": pd.array(ids, dtype="str")}), len(catalog.category_ids(category))


def storefronts_note(answers: Sequence[Asked], category: str) -> str:
    """Whether any answer is a storefront of `category`, in words (under its never-returned products)."""
    asked = asked_about(answers, category)
    if not asked:
        return ("No answer is a storefront (a category page) of this category: its products could only "
                "have come in looks, shelves or other categories' answers.")
    storefronts = f"{asked:,} of the answers {'is a storefront' if asked == 1 else 'are storefronts'}"
    return storefronts + " (a category page) of this category."
