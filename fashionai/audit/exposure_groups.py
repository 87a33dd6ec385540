"""Why fair exposure reads what it does: each group's share of the category pages' exposure against its share of
their products, and the groups never shown (one of them makes `exposure_parity` 0 for its category).

    found = exposure_groups(answers, catalog, k=10)   # ExposureGroups
    found.table       # attribute, group, exposure_share, catalog_share (EXPOSURE_GROUP_COLUMNS)
    found.never       # category -> [(attribute, group, products)] of the groups with no place there
    found.words()     # "Fair exposure across groups is 0 in 2 of 3 categories because some group is never shown: ..."

Read as the measure reads them (`beyond_overlap.exposure_parity`): the measured category pages (twins left out,
a shopper's last answer), each list's top K, a place at rank r weighing 1/log2(1 + r), the groups of every taste
attribute and group column of the catalog (`scoring.CatalogFacts.groups`) among each category's products.
Pooled over the categories: a group's exposure share is its places' weight / all places' weight, its catalog
share its products / the categories' products with a value of that attribute.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from fashionai.audit.beyond_overlap import position_weight
from fashionai.audit.model import Answer, Purpose
from fashionai.audit.registry import ATTRIBUTE_WORDS
from fashionai.audit.scoring import CatalogFacts, Slot
from fashionai.catalog import Catalog
from fashionai.domain import EventType
from fashionai.text.formatting import plural

__all__ = ["EXPOSURE_GROUP_COLUMNS", "SHOWN_NEVER", "ExposureGroups", "exposure_groups"]

EXPOSURE_GROUP_COLUMNS = ("attribute", "group", "exposure_share", "catalog_share")
SHOWN_NEVER = 3
"""Never-shown groups named per category in words; the rest are counted."""


@dataclass(frozen=True)
class ExposureGroups:
    """The groups' exposure pooled over the category pages (`table`, largest catalog share first within an
    attribute), the groups never shown per category (`never`), and how many categories were measured."""

    table: pd.DataFrame
    never: dict[str, list[tuple[str, str, int]]]
    categories: int

    def words(self) -> str:
        """Why fair exposure reads what it does, in plain words ("" when no category was measured)."""
        if not self.categories:
            return ""
        if not self.never:
            return "Every group of every category got some place, so fair exposure is above 0 in each category."
        parts = []
        for category, groups in self.never.items():
            named = ", ".join(f"{_word(attribute)} {group} ({plural(products, 'product')})"
                              for attribute, group, products in groups[:SHOWN_NEVER])
            more = f" and {len(groups) - SHOWN_NEVER:,} more" if len(groups) > SHOWN_NEVER else ""
            parts.append(f"{category or 'the home shelf'}: {named}{more} never shown")
        return (f"Fair exposure across groups is 0 in {len(self.never):,} of {plural(self.categories, 'category', 'categories')} "
                "because a group with products there got no place in any shopper's top K (the measure is the "
                "least shown group against the most shown): " + "; ".join(parts) + ". More shoppers, or a "
                "larger K, give small groups a chance to be shown.")


def _word(attribute: str) -> str:
    return ATTRIBUTE_WORDS.get(attribute, attribute.replace("_", " "))


def exposure_groups(answers: Iterable[Answer], catalog: Catalog, *, k: int) -> ExposureGroups:
    """The category pages' exposure by group (see the module)."""
    slots: dict[str, Slot] = {}
    for answer in answers:
        if answer.purpose == Purpose.MEASURE and answer.event_type == EventType.CATEGORY_VIEW:
            category = str(answer.category or answer.item_id)
            slots.setdefault(category, Slot(str(answer.event_type), str(answer.item_id), category)).add(answer, k)
    slots = {category: slot for category, slot in slots.items() if slot.tops}
    facts = CatalogFacts(catalog, {pid for slot in slots.values() for top in slot.tops.values() for pid in top})
    weights: dict[tuple[str, str], float] = {}
    sizes: Counter[tuple[str, str]] = Counter()
    never: dict[str, list[tuple[str, str, int]]] = {}
    for category, slot in slots.items():
        products = facts.products_of(category)
        for attribute, values in facts.groups.items():
            counts = Counter(values[pid] for pid in products if pid in values)
            if len(counts) < 2:
                continue  # one group (or none) has no ratio: exposure parity leaves the attribute out
            shown = dict.fromkeys(counts, 0.0)
            for top in slot.tops.values():
                for rank, pid in enumerate(top, start=1):
                    if pid in products and pid in values:
                        shown[values[pid]] += position_weight(rank)
            for group, count in counts.items():
                sizes[(attribute, group)] += count
                weights[(attribute, group)] = weights.get((attribute, group), 0.0) + shown[group]
            if any(shown.values()):
                unseen = sorted(((attribute, g, counts[g]) for g, w in shown.items() if w == 0),
                                key=lambda item: (-item[2], item[1]))
                never.setdefault(category, []).extend(unseen)
    never = {category: sorted(groups, key=lambda item: -item[2]) for category, groups in never.items() if groups}
    rows = []
    for attribute in dict.fromkeys(attribute for attribute, _ in sizes):
        keys = [key for key in sizes if key[0] == attribute]
        total_weight = sum(weights[key] for key in keys)
        total_size = sum(sizes[key] for key in keys)
        for key in sorted(keys, key=lambda key: (-sizes[key], key[1])):
            rows.append({"attribute": _word(attribute), "group": key[1],
                         "exposure_share": weights[key] / total_weight if total_weight else 0.0,
                         "catalog_share": sizes[key] / total_size})
    table = pd.DataFrame(rows, columns=list(EXPOSURE_GROUP_COLUMNS)).astype(
        {"attribute": "str", "group": "str", "exposure_share": "float64", "catalog_share": "float64"})
    return ExposureGroups(table, never, categories=len(slots))
