"""Two audit runs compared: each measure's change, each shopper's lists, and thresholds checked.

    compare_scorecards(before, after)                  # measure by measure, per row, with a verdict
    shopper_overlap(answers_before, answers_after, k=10)  # RBO of each shopper's list between the runs
    thresholds = parse_thresholds(["personalization=0.05"])
    breaches = check_thresholds(before, after, max_drop=thresholds, max_rise={})
    print(check_report(before, after, max_drop=thresholds, max_rise={}))
    check_report(before, after, max_drop=thresholds, max_rise={}, intervals={"personalization": (-0.1, 0.02)})
                                                       # crossed only when the whole interval is past the limit
    run_differences(run_before, run_after)             # [] when the runs share their plan and catalog

Two runs are compared only when they ran the same plan (what it asks: categories, shoppers,
placements, K, twins, seed; not its pace) on the same catalog (its fingerprint) and backend;
`run_differences` says in words what else differs.

A verdict is "better" or "worse" by the measure's direction (`MeasureInfo.better`),
"same" when the change is within `SAME_WITHIN` of the measure's unit (what the
scorecard shows as the same figure), "" when a run could not measure it or the measure
has no direction.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from fashionai.measures.ranked_ids import top_k
from fashionai.audit.model import PLACEMENT_LABELS, Answer, AuditRun, Purpose
from fashionai.audit.plan import AuditPlan, PlanError, plan_from_json
from fashionai.audit.scorecard import MEASURE_INFO, MEASURE_KEYS, MEASURES, OVERALL, Scorecard, format_value
from fashionai.audit.view import format_change
from fashionai.domain import DEFAULT_P, backend_label
from fashionai.measures.ranking import Rankings
from fashionai.relevance.worst import worst_queries
from fashionai.text.formatting import visible

COMPARISON_COLUMNS = ("placement", "category", "measure", "before", "after", "change", "verdict")
OVERLAP_COLUMNS = ("shopper_key", "shopper_label", "placement", "category", "item_id", "rbo")
SAME_WITHIN = {"share": 0.005, "ratio": 0.005, "ms": 0.5}
"""A change this small is "same": half a percentage point, half of 0.01, half a millisecond."""


def compare_scorecards(before: Scorecard, after: Scorecard) -> pd.DataFrame:
    """One row per placement, category and measure of either scorecard (`COMPARISON_COLUMNS`):
    before and after (NaN where a run lacks the row or could not measure it), change = after − before."""
    key = ["placement", "category"]
    columns = [*key, *MEASURE_KEYS]
    merged = before.rows[columns].merge(after.rows[columns], on=key, how="outer", sort=False,
                                        suffixes=("_before", "_after"))
    order = _row_order(before.rows, after.rows)
    merged["_order"] = [order[(p, c)] for p, c in zip(merged["placement"], merged["category"], strict=True)]
    merged = merged.sort_values("_order", kind="stable")
    records = []
    for row in merged.itertuples(index=False):
        data = row._asdict()
        for info in MEASURES:
            was, now = _float(data[f"{info.key}_before"]), _float(data[f"{info.key}_after"])
            change = now - was
            records.append((row.placement, row.category, info.key, was, now, change, verdict(info.key, was, now)))
    frame = pd.DataFrame(records, columns=list(COMPARISON_COLUMNS))
    frame[["before", "after", "change"]] = frame[["before", "after", "change"]].astype("float64")
    return frame


def verdict(measure: str, before: float | None, after: float | None) -> str:
    """"better", "worse", "same" or "" (not measurable in a run, or a measure without direction)."""
    info = MEASURE_INFO[measure]
    was, now = _float(before), _float(after)
    if math.isnan(was) or math.isnan(now) or info.better not in ("higher", "lower"):
        return ""
    change = now - was
    if abs(change) <= SAME_WITHIN.get(info.unit, 0.0):
        return "same"
    return "better" if (change > 0) == (info.better == "higher") else "worse"


def _row_order(*frames: pd.DataFrame) -> dict[tuple[str, str], int]:
    """Rows in the first run's order, then the second's new ones, the overall row last."""
    order: dict[tuple[str, str], int] = {}
    for frame in frames:
        for placement, category in zip(frame["placement"], frame["category"], strict=True):
            order.setdefault((placement, category), len(order))
    for key in order:
        if key[0] == OVERALL:
            order[key] = len(order) + 1
    return order


def shopper_overlap(before: Iterable[Answer], after: Iterable[Answer], *, k: int, p: float = DEFAULT_P) -> pd.DataFrame:
    """Rank-biased overlap (persistence p) of each shopper's top K between two runs (`OVERLAP_COLUMNS`).

    Shoppers are matched by `shopper_key`, slots by placement and item (a category, a product,
    "" for the home shelf). Only measured answers that succeeded, in both runs; twins left out;
    a shopper's last answer for a slot counts. `item_id` tells a category's product pages apart.
    """
    was = _measured_tops(before, k)
    rows = []
    for key, (label, category, top) in _measured_tops(after, k).items():
        if key in was:
            rankings = Rankings.pair(was[key][2], top)
            rows.append((key[0], label, key[1], category, key[2], rankings.rbo("a", "b", p)))
    frame = pd.DataFrame(rows, columns=list(OVERLAP_COLUMNS))
    frame["rbo"] = frame["rbo"].astype("float64")
    return frame


def _measured_tops(answers: Iterable[Answer], k: int) -> dict[tuple[str, str, str], tuple[str, str, list[str]]]:
    tops: dict[tuple[str, str, str], tuple[str, str, list[str]]] = {}
    for answer in answers:
        if answer.purpose != Purpose.MEASURE or answer.twin_of or not answer.ok:
            continue
        tops[(answer.shopper_key, str(answer.event_type), str(answer.item_id))] = (
            answer.shopper_label, str(answer.category or ""), top_k(answer.products, k))
    return tops


# --------------------------------------------------------------------------- comparable runs

_PLAN_FIELDS = (("name", "name"), ("categories", "categories"), ("synthetic_personas", "synthetic personas"),
                ("builtin_personas", "built-in personas"), ("journeys", "journeys"), ("sessions", "pasted sessions"),
                ("placements", "placements"), ("product_sample", "products sampled per category"), ("k", "K"),
                ("stability_twins", "personas run twice"), ("seed", "seed"), ("queries", "queries"),
                ("judgments", "judgments"))
"""What a plan asks, compared between two runs (its pace, rate and calls at once, does not change the measures)."""


def run_differences(before: AuditRun, after: AuditRun) -> list[str]:
    """Why two runs cannot be compared measure by measure, one plain phrase a difference ("the runs used different
    catalogs: a.csv and b.csv", "different plans: K 10 and 20"); [] when they ran the same plan on the same
    catalog and backend."""
    differences = []
    if before.catalog_fingerprint != after.catalog_fingerprint:
        was, now = visible(before.catalog_name), visible(after.catalog_name)
        if was == now:
            was, now = f"{was} ({before.catalog_fingerprint[:8]})", f"{now} ({after.catalog_fingerprint[:8]})"
        differences.append(f"the runs used different catalogs: {was} and {now}")
    if before.backend != after.backend:
        differences.append(f"the runs used different backends: {backend_label(before.backend)} and "
                           f"{backend_label(after.backend)}")
    plans = [_plan_of(run) for run in (before, after)]
    if plans[0] is None or plans[1] is None:
        if before.plan_json != after.plan_json:
            differences.append("different plans: a stored plan cannot be read")
    else:
        changed = []
        for name, label in _PLAN_FIELDS:
            if _asked(plans[0], name) == _asked(plans[1], name):
                continue
            was, now = _plan_words(plans[0], name), _plan_words(plans[1], name)
            changed.append(f"{label} {was} and {now}" if was != now else f"other {label}")
        if changed:
            differences.append("different plans: " + "; ".join(changed))
    return differences


def _plan_of(run: AuditRun) -> AuditPlan | None:
    try:
        return plan_from_json(run.plan_json)
    except PlanError:
        return None


def _asked(plan: AuditPlan, name: str) -> Any:
    """What a plan asks under `name`, as compared: the judgments by their grades (not the file they came from)."""
    value = getattr(plan, name)
    if name == "judgments":
        return None if value is None else {query: dict(grades) for query, grades in value.grades.items()}
    return value


def _plan_words(plan: AuditPlan, name: str) -> str:
    value = getattr(plan, name)
    if name == "queries":
        return f"{len(value):,}" if value else "none"
    if name == "judgments":
        count = len(value.grades) if value is not None else 0
        return "none" if value is None else f"{count:,} {'query' if count == 1 else 'queries'}"
    if name == "categories":
        return _short(visible(", ".join(value))) if value else "every category"
    if name == "journeys":
        return _short(visible(", ".join(j.name for j in value))) if value else "none"
    if name == "sessions":
        return f"{len(value):,}" if value else "none"
    if name == "placements":
        return ", ".join(PLACEMENT_LABELS.get(p, p) for p in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return f"“{visible(value)}”" if name == "name" else str(value)


def _short(text: str, most: int = 80) -> str:
    return text if len(text) <= most else text[:most - 1] + "…"


QUERY_CHANGE_COLUMNS = ("query", "measure", "before", "after", "change")
"""A query that changed between two runs: its text, what moved ("nDCG", or for a query not judged in both runs
"without results": its share of searches that found nothing), its value in each run, and the change."""


def query_changes(before: Scorecard, after: Scorecard, *, n: int = 10) -> pd.DataFrame:
    """The `n` queries whose nDCG (a query not judged in both runs: its share of searches without results) moved
    most since the earlier run (`relevance.worst`), biggest change first (QUERY_CHANGE_COLUMNS); empty when none
    moved or a run did not search."""
    rows = []
    if not (before.queries.empty or after.queries.empty):
        earlier = before.queries.set_index("query")
        for row in worst_queries(after.queries, before.queries, n=n).biggest_change.itertuples(index=False):
            was = earlier.loc[row.query]
            if not (math.isnan(row.mean_ndcg) or math.isnan(was.mean_ndcg)):
                rows.append((row.query, "nDCG", float(was.mean_ndcg), float(row.mean_ndcg)))
            else:
                rows.append((row.query, "without results", was.without_results / was.searches,
                             row.without_results / row.searches))
    frame = pd.DataFrame([(*r, r[3] - r[2]) for r in rows], columns=list(QUERY_CHANGE_COLUMNS))
    return frame.astype({"query": object, "measure": object, "before": "float64", "after": "float64",
                         "change": "float64"})


def query_change_lines(before: Scorecard, after: Scorecard, *, n: int = 10) -> list[str]:
    """`query_changes` in plain lines under a heading; [] when none moved or a run did not search."""
    changed = query_changes(before, after, n=n)
    if changed.empty:
        return []
    lines = ["Queries that changed most since the earlier run:"]
    for row in changed.itertuples(index=False):
        was, now, moved = query_change_words(row)
        lines.append(f"  {row.measure} {was} → {now} ({moved})  “{visible(row.query)}”")
    return lines


def query_change_words(row: Any) -> tuple[str, str, str]:
    """A `query_changes` row's before, after and change as written: nDCG to two places, a share in % and points."""
    if row.measure == "nDCG":
        return f"{row.before:.2f}", f"{row.after:.2f}", f"{row.change:+.2f}"
    return f"{row.before:.0%}", f"{row.after:.0%}", f"{row.change * 100:+.0f} pts"


# --------------------------------------------------------------------------- thresholds


def parse_thresholds(items: Sequence[str]) -> dict[str, float]:
    """"measure=number" items as a dict ("personalization=0.05"; a share may be written "5%",
    milliseconds as a number). ValueError naming the valid keys for an unknown measure or a bad number."""
    thresholds: dict[str, float] = {}
    for item in items:
        name, sep, text = str(item).partition("=")
        name, text = name.strip(), text.strip()
        if not sep or name not in MEASURE_INFO:
            raise ValueError(f"{str(item)[:60]!r} is not measure=number with a known measure; "
                             f"the measures are {', '.join(MEASURE_KEYS)}")
        try:
            value = float(text[:-1]) / 100 if text.endswith("%") else float(text)
        except ValueError as err:
            raise ValueError(f"{text[:40]!r} in {name}= is not a number (write for instance {name}=0.05); "
                             f"the measures are {', '.join(MEASURE_KEYS)}") from err
        if not math.isfinite(value) or value < 0:
            raise ValueError(f"the threshold of {name} must be a number of zero or more, not {text[:40]!r}")
        thresholds[name] = value
    return thresholds


@dataclass(frozen=True)
class Breach:
    """One threshold checked on the overall row: `kind` "drop" (before − after) or "rise" (after − before).
    `crossed` when the change is larger than the limit; never when a run could not measure it."""

    measure: str
    kind: str
    limit: float
    before: float | None
    after: float | None
    why: str = ""  # why a run could not measure it, in plain words ("" when both did, or unknown)
    low: float | None = None  # the 95% interval of after − before (`audit.noise`); None: checked without noise
    high: float | None = None

    @property
    def measured(self) -> bool:
        return self.before is not None and self.after is not None

    @property
    def beyond(self) -> float | None:
        """The least drop (or rise) the interval allows: what is held against the limit instead of the change."""
        if self.low is None or self.high is None or math.isnan(self.low) or math.isnan(self.high):
            return None
        return -self.high if self.kind == "drop" else self.low

    @property
    def within_noise(self) -> bool:
        """The change is past the limit, but its interval is not wholly past it."""
        change, beyond = self.change, self.beyond
        return (change is not None and change > self.limit + 1e-12 and beyond is not None
                and beyond <= self.limit + 1e-12)

    @property
    def change(self) -> float | None:
        if self.before is None or self.after is None:  # not measured
            return None
        return self.before - self.after if self.kind == "drop" else self.after - self.before

    @property
    def crossed(self) -> bool:
        """Past the limit: with an interval the whole interval, else (none asked, or none could be drawn) the
        change alone."""
        beyond = self.beyond
        change = beyond if beyond is not None else self.change
        return self.measured and change is not None and change > self.limit + 1e-12


def threshold_checks(before: Scorecard, after: Scorecard, *, max_drop: Mapping[str, float],
                     max_rise: Mapping[str, float],
                     intervals: Mapping[str, tuple[float, float]] | None = None) -> list[Breach]:
    """Every threshold checked, crossed or not, drops first. `intervals`: measure -> (low, high) of its change
    (`audit.noise.change_intervals`); with them a limit is crossed only when the whole interval is past it."""
    for name in [*max_drop, *max_rise]:
        if name not in MEASURE_INFO:
            raise ValueError(f"{name!r} is not a measure; the measures are {', '.join(MEASURE_KEYS)}")
    was, now = before.overall(), after.overall()
    spans = intervals or {}
    return [Breach(name, kind, float(limit), was[name], now[name], _why_not_measured(name, before, after),
                   *spans.get(name, (None, None)))
            for kind, limits in (("drop", max_drop), ("rise", max_rise)) for name, limit in limits.items()]


def _why_not_measured(name: str, before: Scorecard, after: Scorecard) -> str:
    was, now = before.not_measured.get(name), after.not_measured.get(name)
    if was and now:
        return was if was == now else f"in the earlier run {was}; in the later run {now}"
    return f"in the earlier run {was}" if was else f"in the later run {now}" if now else ""


def check_thresholds(before: Scorecard, after: Scorecard, *, max_drop: Mapping[str, float],
                     max_rise: Mapping[str, float],
                     intervals: Mapping[str, tuple[float, float]] | None = None) -> list[Breach]:
    """The thresholds crossed on the overall row (a measure not measurable in either run is not a breach)."""
    return [check for check in threshold_checks(before, after, max_drop=max_drop, max_rise=max_rise,
                                                intervals=intervals) if check.crossed]


def check_report(before: Scorecard, after: Scorecard, *, max_drop: Mapping[str, float],
                 max_rise: Mapping[str, float], intervals: Mapping[str, tuple[float, float]] | None = None) -> str:
    """Plain lines: each threshold, its value before and after (and the interval of the change, when given), and
    OK, CROSSED, WITHIN NOISE (past the limit, its interval not wholly: not a breach) or CANNOT BE CHECKED (a run
    could not measure it: neither passed nor failed, and why when the scorecard says)."""
    checks = threshold_checks(before, after, max_drop=max_drop, max_rise=max_rise, intervals=intervals)
    if not checks:
        return "No threshold to check."
    lines = []
    for check in checks:
        info = MEASURE_INFO[check.measure]
        limit = {"share": f"{check.limit * 100:g} percentage points", "ms": f"{check.limit:g} ms"}.get(
            info.unit, f"{check.limit:g}")
        head = f"{info.label} ({check.measure}) may {check.kind} by at most {limit}: "
        if not check.measured:
            why = f"not measured, because {check.why}" if check.why else "a run could not measure it"
            lines.append(f"{head}CANNOT BE CHECKED ({why}; neither passed nor failed)")
            continue
        state = "CROSSED" if check.crossed else "WITHIN NOISE" if check.within_noise else "OK"
        span = ""
        if check.low is not None and check.high is not None and not math.isnan(check.low):
            change = _float(check.after) - _float(check.before)
            span = (f" (change {format_change(check.measure, change)}, 95% interval "
                    f"{format_change(check.measure, check.low)} to {format_change(check.measure, check.high)})")
        lines.append(f"{head}before {format_value(info, check.before)}, after {format_value(info, check.after)}"
                     f"{span}: {state}")
    crossed = sum(check.crossed for check in checks)
    unchecked = sum(not check.measured for check in checks)
    checked = len(checks) - unchecked
    noisy = sum(check.within_noise for check in checks)
    tail = (f"; {noisy} past the limit within noise" if noisy else "") + (
        f"; {unchecked} could not be checked" if unchecked else "")
    lines.append(f"{crossed} of {checked} thresholds crossed{tail}." if crossed else
                 f"No threshold crossed ({checked} checked{tail}).")
    return "\n".join(lines)


def _float(value: float | None) -> float:
    return math.nan if value is None else float(value)
