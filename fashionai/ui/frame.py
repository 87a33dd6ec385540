"""Make a page run inside app.py's frame: Streamlit's PagesManager workaround, written once.

Why it is needed (Streamlit 1.67): a ``pages/`` folder makes Streamlit assume file-based
pages (``PagesManager.uses_pages_directory``) until app.py has called ``st.navigation``
once. So a server's very first visitor who opens a page's address (``/compare``) gets the
page file run alone, without app.py's sidebar; AppTest, for its part, resets the flag
before every run and reruns the last page's file on its own. Telling Streamlit that this
app navigates with ``st.navigation`` (`assume_navigation`) fixes both: on a server,
`ensure_frame` does it and reruns, which runs app.py, whose navigation finds the same page
(its hash comes from the same address); the tests' `app` fixture (tests/conftest.py) calls
`assume_navigation` whenever AppTest builds its PagesManager.

The same assumption shows, on a fresh server, as a flash of the raw page files (``app, audit,
catalog, ...``) in the sidebar for the whole first run: Streamlit draws its file-based navigation
before it runs app.py. `.streamlit/config.toml` hides that navigation
(``client.showSidebarNavigation = false``) and app.py turns the sidebar navigation on
(`show_navigation`) just before its own ``st.navigation``, so only the studio's list ever shows.

The folder keeps its name: the project's layout names ``pages/``.
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager


def assume_navigation() -> None:
    """Tell Streamlit that app.py lists the pages with st.navigation (not the ``pages/`` folder)."""
    PagesManager.uses_pages_directory = False


def show_navigation() -> None:
    """Show st.navigation's pages in the sidebar (config.toml hides Streamlit's file-based list; see above)."""
    if st.get_option("client.showSidebarNavigation") is not True:
        st.set_option("client.showSidebarNavigation", True)


def ensure_frame() -> None:
    """Run again inside the frame if Streamlit ran this page's file on its own (see the module docstring)."""
    if PagesManager.uses_pages_directory:
        assume_navigation()
        st.rerun()
