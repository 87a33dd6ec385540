"""The studio's pages, listed once: app.py's navigation is made from this list, and the tests open every page in it.

Each page is a file of ``pages/`` (its path as app.py, the main script, names it), its title in the navigation and
its icon; the first is the default page.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

__all__ = ["PAGE_SPECS", "PageSpec", "app_pages"]


@dataclass(frozen=True)
class PageSpec:
    path: str  # relative to app.py
    title: str
    icon: str


PAGE_SPECS = (
    PageSpec("pages/storefront.py", "Storefront preview", ":material/storefront:"),
    PageSpec("pages/search.py", "Search", ":material/search:"),
    PageSpec("pages/walk.py", "Shopper walk", ":material/store:"),
    PageSpec("pages/shop_the_look.py", "Shop the look", ":material/checkroom:"),
    PageSpec("pages/compare.py", "Compare lanes", ":material/compare_arrows:"),
    PageSpec("pages/journey.py", "Personas and journeys", ":material/directions_walk:"),
    PageSpec("pages/audit.py", "Audits", ":material/fact_check:"),
    PageSpec("pages/catalog.py", "Catalog", ":material/inventory_2:"),
    PageSpec("pages/history.py", "History", ":material/history:"),
    PageSpec("pages/settings.py", "Settings", ":material/settings:"),
)
"""Every page, in the navigation's order; the first is the default."""


def app_pages() -> list[st.Page]:
    """The pages for st.navigation, the first the default."""
    return [st.Page(spec.path, title=spec.title, icon=spec.icon, default=number == 0)
            for number, spec in enumerate(PAGE_SPECS)]
