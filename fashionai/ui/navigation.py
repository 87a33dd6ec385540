"""The studio's pages, listed once: app.py's navigation is made from this list, and the tests open every page in it.

Each page is a file of ``pages/`` (its path as app.py, the main script, names it), its title in the navigation and
its icon; the first is the default page. A page that `needs` an action (the admins' Team and Activity pages) is
listed only for a person who may do it; the page itself refuses anyone else on the server (`ui.require`).
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from fashionai.team import Action

__all__ = ["PAGE_SPECS", "PageSpec", "app_pages"]


@dataclass(frozen=True)
class PageSpec:
    path: str  # relative to app.py
    title: str
    icon: str
    needs: Action | None = None  # listed only for a person who may do this (the page checks it again)


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
    PageSpec("pages/team.py", "Team", ":material/group:", needs=Action.CHANGE_ROLES),
    PageSpec("pages/activity.py", "Activity", ":material/manage_search:", needs=Action.READ_ACTIVITY),
)
"""Every page, in the navigation's order; the first is the default."""


def app_pages() -> list[st.Page]:
    """The pages for st.navigation, the first the default: those this browser session's person may open."""
    from fashionai.ui.identity import allowed  # identity reads the settings, which make sure of the frame

    return [st.Page(spec.path, title=spec.title, icon=spec.icon, default=number == 0)
            for number, spec in enumerate(PAGE_SPECS) if spec.needs is None or allowed(spec.needs)]
