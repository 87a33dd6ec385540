"""What the audit page shows, as plain data: the scorecard in words, a measure across categories,
runs of a plan over time, a category's shoppers and the compare page's lanes for them.

Each function takes what the store and the scorecard return and gives back a DataFrame with
named columns (or a frozen dataclass); the page draws them (fashionai.ui.audit_widgets).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from fashionai.audit import registry
from fashionai.audit.model import PLACEMENT_LABELS, Answer, AuditRun, Purpose
from fashionai.audit.scorecard import MEASURES, Scorecard, format_value, overall_words
from fashionai.compare.view import BEST_OPTION, NATIVE_OPTION
from fashionai.domain import MAX_LANES, EventType
from fashionai.output import share, share_params

MEASURE_BY_KEY = registry.MEASURE_INFO
BETTER_WORDS = {"higher": "↑ higher is better", "lower": "↓ lower is better", "": "read against the store"}
DRILL_BASELINES = (share_params.NO_SNAPSHOT,)
"""The compare page's lanes a drill-down adds before the shoppers: the store's own order (no saved answer)."""
MAX_DRILL_SHOPPERS = MAX_LANES - 2
"""Shoppers a drill-down opens on the compare page beside the store's order and the best sellers."""


def measure_table(card: Scorecard) -> pd.DataFrame:
    """The overall scorecard, one row a measure: its label, its value in words ("not measured, because ..." when
    the run could not measure it), which way is better, its meaning."""
    rows = [{"measure": info.label, "value": overall_words(card, info.key),
             "better": BETTER_WORDS.get(info.better, ""), "meaning": info.meaning, "key": info.key}
            for info in MEASURES]
    return pd.DataFrame(rows, columns=["measure", "value", "better", "meaning", "key"])


def last_comparable_run(runs: Iterable[AuditRun], run: AuditRun) -> AuditRun | None:
    """The latest run started before `run` of the same plan, on the same catalog and backend, finished with its
    scorecard: what `run`'s figures are set against ("29% (last run: 35%)"); None when there is none."""
    earlier = [other for other in runs if other.id != run.id and other.finished and other.scorecard_json
               and other.started_at < run.started_at and other.plan_json == run.plan_json
               and other.catalog_fingerprint == run.catalog_fingerprint and other.backend == run.backend]
    return max(earlier, key=lambda other: other.started_at, default=None)


def with_last_run(table: pd.DataFrame, last: Scorecard) -> pd.DataFrame:
    """`measure_table`'s values each followed by the last comparable run's ("29% (last run: 35%)"), so that a
    figure is read against this store's own; a measure the last run could not measure is left as it is."""
    before = last.overall()
    said = [value if key not in MEASURE_BY_KEY or format_value(MEASURE_BY_KEY[key], before.get(key)) == "—"
            else f"{value} (last run: {format_value(MEASURE_BY_KEY[key], before.get(key))})"
            for key, value in zip(table["key"], table["value"], strict=True)]
    return table.assign(value=said)


def category_frame(card: Scorecard, placement: str = EventType.CATEGORY_VIEW) -> pd.DataFrame:
    """One row a category of `placement`: its shoppers, calls and every measure (raw numbers; NaN unmeasured)."""
    rows = card.rows[card.rows["placement"] == placement]
    keys = [info.key for info in MEASURES if info.key in rows.columns]
    return rows[["category", "shoppers", "calls", *keys]].reset_index(drop=True)


def placements_of(card: Scorecard) -> list[str]:
    """The placements the scorecard has rows for, in the plan's order."""
    present = set(card.rows["placement"])
    return [p for p in (EventType.CATEGORY_VIEW, EventType.CUSTOM_SHELF, EventType.PRODUCT_VIEW) if p in present]


def placement_label(placement: str) -> str:
    return PLACEMENT_LABELS.get(placement, placement)


def measure_across(card: Scorecard, key: str, placement: str = EventType.CATEGORY_VIEW) -> pd.DataFrame:
    """One measure across the categories of a placement: category, value (NaN dropped), in the scorecard's order."""
    rows = category_frame(card, placement)
    if key not in rows.columns:
        return pd.DataFrame({"category": pd.Series(dtype="str"), "value": pd.Series(dtype="float64")})
    frame = rows[["category", key]].rename(columns={key: "value"})
    return frame.dropna(subset=["value"]).reset_index(drop=True)


HEADLINE_MEASURES = registry.HEADLINE_MEASURES
"""The measures two runs are compared on first (the others one choice away)."""
VERDICT_WORDS = {"better": "▲ better", "worse": "▼ worse", "same": "= same", "": ""}


def format_change(info_key: str, change: float | None) -> str:
    """A measure's change in its own unit: "+2.5 pts" for a share, "+12 ms", "+0.03" for a ratio; "—" unmeasured."""
    if change is None or change != change:
        return "—"
    unit = MEASURE_BY_KEY[info_key].unit
    if unit == "share":
        return f"{change * 100:+.1f} pts"
    return f"{change:+.0f} ms" if unit == "ms" else f"{change:+.2f}"


def changes_in_words(changes: pd.DataFrame, measures: Sequence[str]) -> pd.DataFrame:
    """Two runs' changes (`comparison.compare_scorecards`) for `measures`, in words: where, what, first, second,
    change in the measure's unit, verdict."""
    rows = changes[changes["measure"].isin(list(measures))]
    frame = pd.DataFrame({
        "placement": [PLACEMENT_LABELS.get(p, "Overall") for p in rows["placement"]],
        "category": [c or "—" for c in rows["category"]],
        "measure": [MEASURE_BY_KEY[m].label for m in rows["measure"]],
        "first": [format_value(MEASURE_BY_KEY[m], v) for m, v in zip(rows["measure"], rows["before"], strict=True)],
        "second": [format_value(MEASURE_BY_KEY[m], v) for m, v in zip(rows["measure"], rows["after"], strict=True)],
        "change": [format_change(m, v) for m, v in zip(rows["measure"], rows["change"], strict=True)],
        "verdict": [VERDICT_WORDS.get(v, v) for v in rows["verdict"]],
    }, columns=["placement", "category", "measure", "first", "second", "change", "verdict"])
    return frame.reset_index(drop=True)


NOISE_VERDICT_WORDS = {"changed": "● changed", "within noise": "○ within noise", "not measured": "not measured"}


def noise_in_words(table: pd.DataFrame, measures: Sequence[str]) -> pd.DataFrame:
    """Two runs' changes told from noise (`audit.noise.change_intervals`) for `measures`, in words: measure,
    first, second, change, its 95% interval ("−4.0 to −1.2 pts", "—" when not measured), verdict."""
    rows = table[table["measure"].isin(list(measures))]
    return pd.DataFrame({
        "measure": [MEASURE_BY_KEY[m].label for m in rows["measure"]],
        "first": [format_value(MEASURE_BY_KEY[m], v) for m, v in zip(rows["measure"], rows["before"], strict=True)],
        "second": [format_value(MEASURE_BY_KEY[m], v) for m, v in zip(rows["measure"], rows["after"], strict=True)],
        "change": [format_change(m, v) for m, v in zip(rows["measure"], rows["change"], strict=True)],
        "interval": ["—" if pd.isna(low) or pd.isna(high) else f"{format_change(m, low)} to {format_change(m, high)}"
                     for m, low, high in zip(rows["measure"], rows["low"], rows["high"], strict=True)],
        "verdict": [NOISE_VERDICT_WORDS.get(v, v) for v in rows["verdict"]],
    }, columns=["measure", "first", "second", "change", "interval", "verdict"]).reset_index(drop=True)


def overlap_in_words(overlap: pd.DataFrame) -> pd.DataFrame:
    """Two runs' shopper overlap (`comparison.shopper_overlap`) for the screen: the placement in words, and the
    product only on a product page's row ("" elsewhere: a category page's item is its category, said already)."""
    product_page = overlap["placement"] == EventType.PRODUCT_VIEW
    return overlap.assign(placement=[PLACEMENT_LABELS.get(p, p) for p in overlap["placement"]],
                          item_id=overlap["item_id"].where(product_page, ""))


def trend_frame(runs: Sequence[AuditRun]) -> pd.DataFrame:
    """Runs of one plan over time, long: started_at, run (short id), measure key, label, value (overall rows).

    Runs without a stored scorecard are left out; so are measures a run could not measure."""
    rows = []
    for run in runs:
        if not run.scorecard_json:
            continue
        try:
            overall = Scorecard.from_json(run.scorecard_json).overall()
        except ValueError:
            continue
        for info in MEASURES:
            value = overall.get(info.key)
            if value is not None and value == value:
                rows.append({"started_at": run.started_at, "run": run.short_id, "measure": info.key,
                             "label": info.label, "value": float(value)})
    frame = pd.DataFrame(rows, columns=["started_at", "run", "measure", "label", "value"])
    return frame.sort_values("started_at", kind="stable").reset_index(drop=True)


TREND_TIME_FORMAT = "%d %b %Y, %H:%M"
"""How the runs-over-time table writes a run's start ("07 Dec 2026, 09:00"), in UTC: its caption says so, once."""


def trend_table(frame: pd.DataFrame) -> pd.DataFrame:
    """`trend_frame` as the page's table: one row a run, "Run started" (UTC, `TREND_TIME_FORMAT`), "Run", then a
    column a measure named by its label, each value in its unit ("35%", "0.41", "140 ms"; "—" where not measured)."""
    runs = frame.drop_duplicates(["started_at", "run"])[["started_at", "run"]].reset_index(drop=True)
    started = pd.to_datetime(runs["started_at"], utc=True)
    table = pd.DataFrame({"Run started": started.dt.strftime(TREND_TIME_FORMAT).astype("str"),
                          "Run": runs["run"].astype("str")})
    values = frame.set_index(["started_at", "run", "measure"])["value"]
    for info in MEASURES:
        if info.key in set(frame["measure"]):
            table[info.label] = [format_value(info, values.get((when, run, info.key)))
                                 for when, run in zip(runs["started_at"], runs["run"], strict=True)]
    return table.astype("str")


# --------------------------------------------------------------------------- drill-down


@dataclass(frozen=True)
class CategoryShoppers:
    """A category's measured answers in a run: one row a shopper, and the best sellers' answer."""

    category: str
    table: pd.DataFrame  # shopper, label, session_id, user_id, products, first, snapshot_id
    reference_snapshot: str | None  # the run's best-sellers answer for the category


def category_shoppers(answers: Iterable[Answer], category: str, *, k: int,
                      names: Mapping[str, str] | None = None) -> CategoryShoppers:
    """The category page each shopper of the run was shown (twins left out), its top K in words."""
    rows, reference = [], None
    for answer in answers:
        if answer.category != category:
            continue
        if answer.purpose == Purpose.REFERENCE and answer.event_type == EventType.SALES_RANKING:
            reference = answer.snapshot_id
            continue
        if answer.event_type != EventType.CATEGORY_VIEW or answer.purpose != Purpose.MEASURE or answer.twin_of:
            continue
        top = answer.products[:k]
        rows.append({
            "shopper": answer.shopper_key, "label": answer.shopper_label, "session_id": answer.session_id or "",
            "user_id": answer.user_id or "", "products": len(answer.products),
            "first": ", ".join(_named(pid, names) for pid in top[:5]) if answer.ok else
            f"failed: {answer.error}", "snapshot_id": answer.snapshot_id or "",
        })
    columns = ["shopper", "label", "session_id", "user_id", "products", "first", "snapshot_id"]
    return CategoryShoppers(category, pd.DataFrame(rows, columns=columns), reference)


def _named(pid: str, names: Mapping[str, str] | None) -> str:
    value = names.get(pid) if names is not None else None
    return value if isinstance(value, str) and value.strip() else pid


def drill_compare_view(shoppers: CategoryShoppers, chosen: Sequence[str], *, k: int) -> share.CompareView:
    """The compare page's view of the chosen shoppers' saved answers (by shopper key): the store's order, the best
    sellers when the run asked for them, then each shopper (at most MAX_DRILL_SHOPPERS), its lane named after the
    shopper ("session, user, name" lines). No call is made to open it."""
    table = shoppers.table
    picked = table[table["shopper"].isin(list(chosen)) & (table["snapshot_id"] != "")].head(MAX_DRILL_SHOPPERS)
    lanes: tuple[str, ...] = (NATIVE_OPTION,)
    snapshots: tuple[str, ...] = DRILL_BASELINES
    if shoppers.reference_snapshot:
        lanes += (BEST_OPTION,)
        snapshots += (shoppers.reference_snapshot,)
    sessions = tuple(f"{row.session_id}, {row.user_id}, {row.label}" for row in picked.itertuples())  # named lanes
    return share.CompareView(category=shoppers.category, lanes=lanes, sessions=sessions,
                             snapshots=snapshots + tuple(picked["snapshot_id"]), k=k)


def answers_frame(answers: Iterable[Answer], *, k: int) -> pd.DataFrame:
    """Every answer of a run, one row each, for an export: whose, to what, its top K, how fast, how it went."""
    rows = [{"shopper": a.shopper_key, "session_id": a.session_id or "", "user_id": a.user_id or "",
             "twin_of": a.twin_of or "", "step": a.step, "purpose": a.purpose, "event_type": a.event_type,
             "item_id": a.item_id, "category": a.category, "products": len(a.products),
             "top_k": " ".join(a.products[:k]), "elapsed_ms": round(a.elapsed * 1000, 1),
             "outcome": "ok" if a.ok else (a.error or "failed"), "snapshot_id": a.snapshot_id or ""}
            for a in answers]
    columns = ["shopper", "session_id", "user_id", "twin_of", "step", "purpose", "event_type", "item_id", "category",
               "products", "top_k", "elapsed_ms", "outcome", "snapshot_id"]
    return pd.DataFrame(rows, columns=columns)


def scorecard_meta(run: AuditRun) -> dict[str, object]:
    """What an export says about its run (never a token: the run holds none)."""
    plan = json.loads(run.plan_json) if run.plan_json else {}
    return {"run": run.id, "plan": run.plan_name, "backend": run.backend, "catalog": run.catalog_name,
            "catalog_fingerprint": run.catalog_fingerprint, "started_at": run.started_at.isoformat(),
            "status": run.status, "calls": run.total_calls, "done": run.done_calls, "k": plan.get("k")}
