"""Shoppers needed before a run: how many shoppers two runs need to tell a change of a given size from noise,
from the twins' spread of earlier runs.

    spread = twin_spread([answers_a, answers_b], catalog, k=10)    # TwinSpread: each measure's sd, the pairs used
    shoppers_needed(spread.sd["coverage"], 0.05)                   # shoppers for a 5-point change in coverage

The formula (said once here; the page and the README say the same): a change δ of a measure between two runs
of the same shoppers is seen with a two-sided test at α = `ALPHA` (0.05) and power 1 − β = `POWER` (0.8) when
the runs have at least

    n = ⌈((z_{1−α/2} + z_{1−β}) · sd / δ)²⌉ shoppers,   z_{0.975} + z_{0.8} = 1.95996 + 0.84162 = 2.80158,

where sd is the standard deviation of a shopper's paired difference between two visits when nothing changed:
what the twins show (a twin is a persona run again on a fresh session, `AuditPlan.stability_twins`).

The twins' paired difference of a measure: the run's overall value with the original's measured answers
replaced by its twin's, minus the run's value without twins, times the run's measured shoppers. For a measure
that is a mean over shoppers this is exactly the twin's value minus the original's; for one measured across
shoppers (personalization, coverage, Gini) it is that shopper's influence on the run's value, on the same
scale. sd is taken over every twin pair of the runs given (n − 1 in the denominator), so it needs two pairs at
least; a measure a run cannot measure gives no difference.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np

from fashionai.audit.model import Answer, Purpose
from fashionai.audit.registry import HEADLINE_MEASURES, MEASURE_INFO, MEASURE_KEYS
from fashionai.audit.scorecard import OVERALL
from fashionai.audit.scoring import CatalogFacts, score_answers
from fashionai.catalog import Catalog
from fashionai.measures.ranked_ids import top_k

__all__ = ["ALPHA", "CHANGE_UNITS", "MIN_PAIRS", "POWER", "Z_SUM", "TwinSpread", "formula_words", "needed_rows",
           "pair_differences", "shoppers_needed", "twin_spread"]

ALPHA = 0.05
"""The test's level: a change is told from noise at 95%, as the bootstrap's intervals (`audit.noise`)."""
POWER = 0.8
"""The chance of seeing a change of the size asked when it is there."""
Z_SUM = NormalDist().inv_cdf(1 - ALPHA / 2) + NormalDist().inv_cdf(POWER)
"""z_{1−α/2} + z_{1−β} = 2.80158."""
MIN_PAIRS = 2
"""Twin pairs needed for a spread (a standard deviation of one difference is unknown)."""


CHANGE_UNITS = {"share": (100.0, "points", 5.0), "ratio": (1.0, "", 0.05), "ms": (1.0, "ms", 50.0)}
"""A measure's unit -> (what a value is multiplied by to be read, the words after it, the change offered first):
a share's change is asked in percentage points (5 points: 0.05), a ratio's as it is, a time's in milliseconds."""


def formula_words() -> str:
    """The formula in one sentence, for the page."""
    return (f"Shoppers needed n = ((z₀.₉₇₅ + z₀.₈) × sd ÷ change)², z₀.₉₇₅ + z₀.₈ = {Z_SUM:.2f}: a change of that size "
            f"is told from noise at {1 - ALPHA:.0%} with a {POWER:.0%} chance, sd being the spread of a shopper's "
            "difference between two fresh visits, from the twins of earlier runs.")


def shoppers_needed(sd: float, change: float) -> int | None:
    """n = ⌈(Z_SUM · sd / change)²⌉, at least MIN_PAIRS (see the module); None when sd is unknown (NaN).
    `change` (δ) is the size to see, in the measure's unit, above zero (ValueError otherwise)."""
    if not change > 0 or math.isinf(change):
        raise ValueError("the change to see must be a number above zero")
    if math.isnan(sd):
        return None
    return max(MIN_PAIRS, math.ceil((Z_SUM * abs(sd) / change) ** 2 - 1e-9))


@dataclass(frozen=True)
class TwinSpread:
    """Each measure's sd of the twins' paired difference (NaN where fewer than MIN_PAIRS pairs measured it), the
    twin pairs found and the runs that had any."""

    sd: Mapping[str, float]
    pairs: int
    runs: int

    @property
    def empty(self) -> bool:
        return self.pairs == 0


def pair_differences(answers: Iterable[Answer], catalog: Catalog, *, k: int) -> list[dict[str, float]]:
    """One run's twins' paired differences (see the module): a dict of measure -> difference per twin pair whose
    original was measured, NaN where either value is not measured."""
    answers = list(answers)
    measured = [a for a in answers if a.purpose == Purpose.MEASURE]
    twins: dict[str, list[Answer]] = {}
    for answer in measured:
        if answer.twin_of:
            twins.setdefault(answer.twin_of, []).append(answer)
    base = [a for a in answers if not (a.purpose == Purpose.MEASURE and a.twin_of)]
    originals = {a.shopper_key for a in base if a.purpose == Purpose.MEASURE}
    pairs = [key for key in twins if key in originals]
    if not pairs:
        return []
    shown = {pid for a in measured if a.ok for pid in top_k(a.products, k)}
    facts = CatalogFacts(catalog, shown)
    before = _overall(base, catalog, k, facts)
    scale = len(originals)
    differences = []
    for key in pairs:
        swapped = [a for a in base if not (a.purpose == Purpose.MEASURE and a.shopper_key == key)]
        swapped += [dataclasses.replace(a, shopper_key=key, shopper_label=a.shopper_label, twin_of=None)
                    for a in twins[key]]
        after = _overall(swapped, catalog, k, facts)
        differences.append({m: scale * (after[m] - before[m]) for m in MEASURE_KEYS})
    return differences


def twin_spread(runs: Iterable[Iterable[Answer]], catalog: Catalog, *, k: int | Sequence[int]) -> TwinSpread:
    """The twins' spread over `runs` (each a run's answers, scored against `catalog` at top `k`, or at each run's
    own k given as a sequence): each measure's sd over every pair of every run."""
    runs = list(runs)
    ks = [k] * len(runs) if isinstance(k, int) else list(k)
    differences: list[dict[str, float]] = []
    with_twins = 0
    for answers, run_k in zip(runs, ks, strict=True):
        found = pair_differences(answers, catalog, k=run_k)
        with_twins += bool(found)
        differences += found
    sd = {}
    for key in MEASURE_KEYS:
        values = np.array([d[key] for d in differences], dtype=float)
        values = values[~np.isnan(values)]
        sd[key] = float(np.std(values, ddof=1)) if len(values) >= MIN_PAIRS else math.nan
    return TwinSpread(sd, pairs=len(differences), runs=with_twins)


def _overall(answers: list[Answer], catalog: Catalog, k: int, facts: CatalogFacts) -> dict[str, float]:
    rows, _, _ = score_answers(answers, catalog, k=k, overall=OVERALL, facts=facts, bias_table=False)
    return {key: math.nan if rows[-1].get(key) is None else float(rows[-1][key]) for key in MEASURE_KEYS}


def needed_rows(spread: TwinSpread, changes: Mapping[str, float], measures: Sequence[str] = HEADLINE_MEASURES,
                ) -> list[dict[str, str]]:
    """Per measure, in words: its label, the twins' spread and the shoppers needed for the change asked
    (`changes`: measure -> the change as the page asks it, in `CHANGE_UNITS`; the unit's first offer when
    missing)."""
    rows = []
    for key in measures:
        info = MEASURE_INFO[key]
        factor, unit, offered = CHANGE_UNITS.get(info.unit, (1.0, "", 0.05))
        sd = spread.sd.get(key, math.nan)
        change = float(changes.get(key, offered))
        needed = shoppers_needed(sd, change / factor) if change > 0 else None
        rows.append({
            "measure": info.label,
            "spread": "—" if math.isnan(sd) else f"{abs(sd) * factor:.3g} {unit}".strip(),
            "change": f"{change:g} {unit}".strip(),
            "needed": (f"{needed:,} shoppers" if needed is not None else
                       "unknown: fewer than two twin pairs measured it" if math.isnan(sd) else
                       "unknown: the change must be above zero"),
        })
    return rows
