"""What the Catalog page's reconciliation computes before it shows it: the answers to check
(the pages' latest results, or the history's saved answers of these shopper sessions), and a
category's products that none of them returned. Nothing here calls Fashion.AI.

    answers = saved_answers(store, answer_sessions(sidebar_session, page_answers(...)))
    report = reconcile_saved(catalog, store, answers)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd

from fashionai.catalog import Catalog
from fashionai.catalog.report import (
    Answer,
    Asked,
    Reconciliation,
    answers_from_snapshots,
    asked_about,
    never_returned,
    page_answers,
    reconcile,
)
from fashionai.history import Filters

HISTORY_LIMIT = 50
"""Saved answers read per shopper session."""


def page_answers_and_ids(storefront: Any, look: Any, comparison: Any, journey: Any) -> tuple[list[Answer], tuple]:
    """The answers the pages' latest results hold (see `page_answers`), and what tells them apart:
    their exchange ids (an answer without one, by its products)."""
    answers = page_answers(storefront=storefront, look=look, comparison=comparison, journey=journey)
    return answers, tuple(answer.id or hash(answer.products) for answer in answers)


def answer_sessions(sidebar_session: str, answers: Iterable[Answer]) -> list[str]:
    """The shopper sessions whose saved answers are checked: the sidebar's, then those the pages' results used."""
    return list(dict.fromkeys(s for s in [sidebar_session, *(a.session_id for a in answers)] if s))


def saved_answers(store: Any, sessions: Iterable[str], *, limit: int = HISTORY_LIMIT) -> list[Any]:
    """The summaries of the last `limit` answers (failures left out) the history saved for each of these
    sessions, newest first: what was asked, for whom, when; their ranked ids are read only to reconcile
    them (`reconcile_saved`). Raises HistoryError."""
    summaries = [summary for session in sessions
                 for summary in store.summaries(Filters(session_id=session, ok=True), limit=limit)]
    return sorted(summaries, key=lambda summary: summary.recorded_at, reverse=True)


def reconcile_saved(catalog: Catalog, store: Any, summaries: Sequence[Any]) -> Reconciliation:
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
