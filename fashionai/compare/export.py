"""A comparison as an export (`output.exports.Export`): its ranks, changes and measures, each lane's origin.

    comparison_export(comparison, reference)      # CSV tables "ranks" and "measures", JSON with the lanes
"""

from __future__ import annotations


import pandas as pd

from fashionai.compare.compared import Comparison
from fashionai.output.exports import Export, slug

__all__ = ["comparison_export", "comparison_tables"]


def comparison_tables(comparison: Comparison, reference: str) -> dict[str, pd.DataFrame]:
    """The comparison's ranks per lane with the changes against `reference`, and its measures.

    ``ranks``: one row a product in any lane's top K (the bump chart's products), its
    name, its rank in every lane's full list (blank where absent) and, for every other
    lane, how it moved from the reference ("up 3", "new in the top 10", ...).
    ``measures``: every pair of lanes with RBO, overlap@K, Jaccard@K and Kendall's tau.
    """
    rankings = comparison.rankings
    if reference not in rankings:
        raise ValueError(f"the reference lane {reference!r} has no ranking to compare with")
    k = comparison.k
    ids = list(dict.fromkeys(comparison.rank_long["product_id"]))
    names = comparison.products["name"] if "name" in comparison.products.columns else pd.Series(dtype="str")
    table = pd.DataFrame({"product_id": pd.array(ids, dtype="str"),
                          "name": pd.array([_name(names.get(pid), pid) for pid in ids], dtype="str")})
    long = comparison.rank_long  # one row per product and lane, products in the order of `ids`
    for label in rankings:
        table[f"rank: {label}"] = long.loc[long["lane"] == label, "rank"].array
    for label in rankings:
        if label == reference:
            continue
        changes = comparison.changes(reference, label).set_index("product_id")["movement"]
        table[f"change: {label}"] = pd.array([changes.get(pid, "") for pid in ids], dtype="str")
    measures = comparison.pairwise.rename(columns={
        "lane_a": "lane", "lane_b": "compared with", "rbo": f"rbo (p={comparison.p:g})",
        "overlap_at_k": f"overlap@{k}", "jaccard_at_k": f"jaccard@{k}", "kendall_tau": "kendall tau",
    })
    return {"ranks": table, "measures": measures.reset_index(drop=True)}


def comparison_export(comparison: Comparison, reference: str) -> Export:
    """A comparison's ranks, changes and measures, with each lane's origin (kind, session, snapshot)."""
    lanes = [{
        "label": lane.label,
        "kind": lane.spec.kind,
        "session_id": lane.session_id or lane.spec.session_id,
        "user_id": lane.spec.user_id,
        "source": lane.source,
        "ok": lane.ok,
        "snapshot_id": lane.recommendation.exchange_id if lane.recommendation is not None else None,
    } for lane in comparison.lanes]
    subject = {"query": comparison.category} if comparison.search else {"category": comparison.category}
    meta = {"kind": "comparison"} | subject | {"k": comparison.k, "p": comparison.p, "reference": reference,
                                               "lanes": lanes}
    return Export(slug("comparison", comparison.category), comparison_tables(comparison, reference), meta)


def _name(name: object, product_id: str) -> str:
    if name is None or (not isinstance(name, str) and pd.isna(name)) or not str(name).strip():
        return f"Unknown product {product_id}"
    return str(name)
