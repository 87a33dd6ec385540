"""Changes told from noise: each measure's change between two runs of the same plan and catalog, with a 95%
interval by a paired bootstrap over shoppers, and a verdict.

    table = change_intervals(answers_before, answers_after, catalog, k=10)   # NOISE_COLUMNS, overall row
    verdict_of(low, high)                                                   # "changed" or "within noise"
    check_json(before_card, after_card, checks, table)                      # `audit check --json`

The method (said once here; the page and the README say the same): the shoppers of both runs are matched by
their key (a twin goes with its original). One resample draws as many shoppers as there are, with replacement,
with a generator seeded by `BOOTSTRAP_SEED`; the same draw is taken from both runs (paired); each run's
scorecard is recomputed from the drawn shoppers' answers (a shopper drawn twice counts twice), so measures that
are not per-shopper averages (personalization, coverage, Gini, latency percentiles) are recomputed, not
averaged. The change of a resample is after − before on the overall row; the interval is the 2.5th and 97.5th
percentiles of `BOOTSTRAP_RESAMPLES` changes, shifted by the resamples' bias (their mean change minus the
observed change: a shopper drawn twice makes pairwise measures such as personalization look less personal), so
the interval sits around the observed change. The sales-ranking answers (the best-selling head) are kept whole.

A change is "changed" when its interval leaves out zero, "within noise" when it holds zero, "not measured"
when either run could not measure it (or no resample could).
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from fashionai.audit.comparison import Breach, query_changes
from fashionai.measures.ranked_ids import top_k
from fashionai.audit.model import Answer, Purpose
from fashionai.audit.registry import MEASURE_KEYS
from fashionai.audit.scorecard import OVERALL, Scorecard, score_run
from fashionai.audit.scoring import CatalogFacts, score_answers
from fashionai.catalog import Catalog
from fashionai.relevance.judgments import Judgments

BOOTSTRAP_RESAMPLES = 200
"""B: resamples of the shoppers for each interval."""
BOOTSTRAP_SEED = 25
"""The resamples' seed: the same two runs always get the same intervals."""
LEVEL = 0.95
CHANGED, WITHIN_NOISE, NOT_MEASURED = "changed", "within noise", "not measured"
NOISE_COLUMNS = ("measure", "before", "after", "change", "low", "high", "verdict")
_ZERO = 1e-12
"""An interval end this close to zero holds zero (sums of floats)."""
def method_words() -> str:
    """The method in one sentence, for the page and the CLI."""
    return (f"{LEVEL:.0%} interval of each change by a paired bootstrap over shoppers: {BOOTSTRAP_RESAMPLES} "
            f"resamples of the same shoppers in both runs (seed {BOOTSTRAP_SEED}), each measure recomputed on "
            "every resample; “changed” when the interval leaves out zero, “within noise” when it holds zero.")


def verdict_of(low: float, high: float) -> str:
    """"changed" when the interval [low, high] of a change leaves out zero, "within noise" when it holds it,
    "not measured" when it is unknown (NaN)."""
    if math.isnan(low) or math.isnan(high):
        return NOT_MEASURED
    return CHANGED if low > _ZERO or high < -_ZERO else WITHIN_NOISE


def change_intervals(before: Iterable[Answer], after: Iterable[Answer], catalog: Catalog, *, k: int,
                     resamples: int | None = None, seed: int | None = None,
                     judgments: tuple[Judgments | None, Judgments | None] = (None, None)) -> pd.DataFrame:
    """One row per measure (`NOISE_COLUMNS`, the scorecard's order): the overall row's value before and after
    (NaN when a run could not measure it), the change after − before, its interval [low, high] and verdict.
    How: see the module. `resamples` and `seed`: `BOOTSTRAP_RESAMPLES` and `BOOTSTRAP_SEED` unless given.
    `judgments`: each run's plan's (before, after), which grade its searches (nDCG, precision, recall, MRR)."""
    resamples = BOOTSTRAP_RESAMPLES if resamples is None else int(resamples)
    seed = BOOTSTRAP_SEED if seed is None else seed
    runs = [list(before), list(after)]
    cards = [score_run(answers, catalog, k=k, judgments=graded) for answers, graded in zip(runs, judgments, strict=True)]
    points = [card.overall() for card in cards]
    groups = [_by_shopper(answers) for answers in runs]
    keys = sorted(set(groups[0][0]) | set(groups[1][0]))
    shown = {pid for answers in runs for a in answers if a.purpose == Purpose.MEASURE and a.ok
             for pid in top_k(a.products, k)}
    facts = CatalogFacts(catalog, shown)
    changes = np.full((resamples, len(MEASURE_KEYS)), np.nan)
    rng = np.random.default_rng(seed)
    for b in range(resamples):
        drawn = [keys[i] for i in rng.integers(0, len(keys), len(keys))] if keys else []
        values = [_overall(_resample(group, drawn), catalog, k, facts, graded)
                  for group, graded in zip(groups, judgments, strict=True)]
        changes[b] = [_minus(values[1].get(key), values[0].get(key)) for key in MEASURE_KEYS]
    rows = []
    for j, key in enumerate(MEASURE_KEYS):
        was, now = _float(points[0][key]), _float(points[1][key])
        column = changes[:, j][~np.isnan(changes[:, j])]
        if math.isnan(was) or math.isnan(now) or not len(column):
            low = high = math.nan
        else:
            bias = float(np.mean(column)) - (now - was)
            low, high = (float(v) - bias for v in np.percentile(column, [50 * (1 - LEVEL), 100 - 50 * (1 - LEVEL)]))
        rows.append((key, was, now, now - was, low, high, verdict_of(low, high)))
    return pd.DataFrame(rows, columns=list(NOISE_COLUMNS))


def _by_shopper(answers: list[Answer]) -> tuple[dict[str, list[Answer]], list[Answer]]:
    """Measured answers by shopper (a twin under its original's key), and the answers kept whole."""
    shoppers: dict[str, list[Answer]] = {}
    whole = []
    for answer in answers:
        if answer.purpose == Purpose.MEASURE:
            shoppers.setdefault(answer.twin_of or answer.shopper_key, []).append(answer)
        else:
            whole.append(answer)
    return shoppers, whole


def _resample(group: tuple[dict[str, list[Answer]], list[Answer]], drawn: list[str]) -> list[Answer]:
    """The drawn shoppers' answers, each draw under its own key (a shopper drawn twice is two shoppers)."""
    shoppers, whole = group
    answers = list(whole)
    for number, key in enumerate(drawn):
        for answer in shoppers.get(key, ()):
            answers.append(dataclasses.replace(
                answer, shopper_key=f"{answer.shopper_key}#{number}",
                twin_of=f"{answer.twin_of}#{number}" if answer.twin_of else answer.twin_of))
    return answers


def _overall(answers: list[Answer], catalog: Catalog, k: int, facts: CatalogFacts,
             judgments: Judgments | None) -> Mapping[str, float | None]:
    rows, _, _ = score_answers(answers, catalog, k=k, overall=OVERALL, facts=facts, judgments=judgments,
                               bias_table=False)
    return rows[-1]


def _minus(now: float | None, was: float | None) -> float:
    return _float(now) - _float(was)


def _float(value: float | None) -> float:
    return math.nan if value is None else float(value)


def intervals_of(table: pd.DataFrame) -> dict[str, tuple[float, float]]:
    """measure -> (low, high) of `change_intervals`' table, for `comparison.threshold_checks`."""
    return {row.measure: (float(row.low), float(row.high)) for row in table.itertuples(index=False)}


def check_json(before: Scorecard, after: Scorecard, checks: Sequence[Breach], table: pd.DataFrame | None) -> str:
    """`audit check --json`: per measure its overall value before and after, the interval of its change (low,
    high) and the verdict ("changed", "within noise", "not measured"; low, high and verdict null when checked
    without noise), the method, and each threshold with its state ("crossed", "within noise", "ok",
    "cannot be checked"); and the queries that changed most since the earlier run (`comparison.query_changes`:
    query, measure, before, after, change; [] when none moved or a run did not search)."""
    was, now = before.overall(), after.overall()
    rows = pd.DataFrame() if table is None else table.set_index("measure")
    measures = {}
    for key in MEASURE_KEYS:
        measured = was[key] is not None and now[key] is not None
        entry: dict[str, Any] = {"before": was[key], "after": now[key], "low": None, "high": None, "verdict": None}
        if table is not None:
            low, high = float(rows.loc[key, "low"]), float(rows.loc[key, "high"])
            verdict = verdict_of(low, high) if measured else NOT_MEASURED
            entry.update(low=None if math.isnan(low) else low, high=None if math.isnan(high) else high,
                         verdict=verdict)
        measures[key] = entry
    thresholds = [{"measure": c.measure, "kind": c.kind, "limit": c.limit,
                   "state": "crossed" if c.crossed else WITHIN_NOISE if c.within_noise else
                   "ok" if c.measured else "cannot be checked", "why": c.why or None} for c in checks]
    return json.dumps({"method": method_words() if table is not None else "checked without noise (--no-noise)",
                       "resamples": BOOTSTRAP_RESAMPLES if table is not None else None,
                       "seed": BOOTSTRAP_SEED if table is not None else None,
                       "measures": measures, "thresholds": thresholds,
                       "queries_changed_most": query_changes(before, after).to_dict(orient="records")}, indent=2)
