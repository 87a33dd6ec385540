"""Serve the studio, warmed up: ``python -m fashionai.ui.serve app.py [streamlit run options]``.

What ``python3 dev.py app`` runs; a deployment runs it instead of ``streamlit run app.py`` (the same
options, the same server). Streamlit imports an app's modules on the first script run, so a fresh
server's first visitor used to wait about two seconds for pandas, pyarrow, altair, SQLAlchemy and the
studio's own modules, and their page settled in about twice the time of a bare Streamlit page
(benchmarks/bench_first_page.py). Here those imports are done before the server starts, as a web
server preloads its application: the server answers (``/_stcore/health``) a moment later, and its
first visitor is served like the second. It also tells Streamlit that app.py lists its pages with
``st.navigation`` (fashionai/ui/frame.py), so not even the first run takes the file-based
``pages/`` route.
"""

from __future__ import annotations

import importlib
import logging
import sys

from fashionai.ui.frame import assume_navigation

WARM_MODULES = (
    "fashionai.ui",
    "fashionai.storefront.preview",
    "fashionai.history",
    "fashionai.output.exports",
    "fashionai.output.share",
    "fashionai.output.charts",
    "fashionai.simulator",
    "altair",
)
"""What the first page's run imports beyond Streamlit (app.py, the sidebar and the storefront page)."""

_LOGGER = logging.getLogger(__name__)


def warm_up(modules: tuple[str, ...] = WARM_MODULES) -> None:
    """Import `modules`; a failure is left for the page's own import to report (in plain words)."""
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception:
            _LOGGER.warning("Warming up %s failed; the first page will import it itself", name, exc_info=True)


def main(argv: list[str]) -> int:
    """``streamlit run``, warmed up first; `argv` is the script and Streamlit's options."""
    if not argv:
        print("usage: python -m fashionai.ui.serve app.py [streamlit run options]", file=sys.stderr)
        return 2
    from streamlit.web import cli

    assume_navigation()
    warm_up()
    sys.argv = ["streamlit", "run", *argv]
    return cli.main(prog_name="streamlit")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
