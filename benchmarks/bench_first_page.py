"""Benchmark the first page of a fresh server against a bare Streamlit page's, in Chromium.

    .venv/bin/python benchmarks/bench_first_page.py [--runs 3] [--strict]

In one run, `--runs` times each, alternating so both sides see the same load (the machine may be shared):

- a fresh studio server, started as `python3 dev.py app` starts it (tests/browser/servers.py), and its
  first visitor at `/` (the storefront, on the built-in simulator); then a second visitor on the same server;
- a fresh bare server: a page with a title, a select box and a button (written to a temporary folder),
  and its first visitor.

Each server is started and healthy (`/_stcore/health`) before its visitor comes. A visit is timed from
`page.goto` until the page is idle (the browser suite's wait: the server finished the run, and the page is
connected, not running, with nothing stale: tests/browser/streamlit_page.py), and for the studio until its
storefront's category picker is on screen. Prints the medians and, as the other benchmarks do, one
`name_ratio value` line each against the bare page's median: first visitor (goal <= 1.5) and second visitor.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser import servers  # noqa: E402
from tests.browser.conftest import CHROMIUM_ARGS, VIEWPORT, chromium_path  # noqa: E402
from tests.browser.streamlit_page import expect, get_widget, main, open_app, watch  # noqa: E402

GOAL = 1.5
BARE_PAGE = '''import streamlit as st

st.title("A bare page")
st.selectbox("Category", ["Dresses", "Shirts", "Shoes"])
st.button("Preview")
'''


def visit(browser, url: str, *, studio: bool) -> float:
    """Seconds from opening `url` in a new browser context until its first run is on screen."""
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        watch(page)
        started = time.perf_counter()
        open_app(page, url)
        if studio:
            expect(get_widget(main(page), "stSelectbox", "Category")).to_be_visible()
        return time.perf_counter() - started
    finally:
        context.close()


def studio_visits(browser, workdir: Path) -> tuple[float, float]:
    server = servers.start_app(workdir)
    try:
        first = visit(browser, server.url + "/", studio=True)
        second = visit(browser, server.url + "/", studio=True)
        return first, second
    finally:
        server.stop()


def bare_visit(browser, workdir: Path) -> float:
    script = workdir / "bare.py"
    script.parent.mkdir(parents=True, exist_ok=True)
    script.write_text(BARE_PAGE)
    server = servers.start_app(workdir, app_script=str(script))
    try:
        return visit(browser, server.url + "/", studio=False)
    finally:
        server.stop()


def main_(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="fresh servers of each kind (default 3)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when the first visitor misses the goal")
    args = parser.parse_args(argv)
    if chromium_path() is None:
        print("Chromium is not installed (apt-get install chromium)", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    times: dict[str, list[float]] = {"bare": [], "first": [], "second": []}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            visit_bare = bare_visit(browser, Path(tmp) / "warm-up")  # Chromium's own first start, outside the times
            del visit_bare
            for run in range(args.runs):
                times["bare"].append(bare_visit(browser, Path(tmp) / f"bare-{run}"))
                first, second = studio_visits(browser, Path(tmp) / f"studio-{run}")
                times["first"].append(first)
                times["second"].append(second)
        finally:
            browser.close()
    bare = statistics.median(times["bare"])
    print(f"bare page, first visitor: median {bare:.3f} s ({_all(times['bare'])})")
    missed = False
    for name, short in (("first", "first_visitor"), ("second", "second_visitor")):
        median = statistics.median(times[name])
        ratio = median / bare
        print(f"studio, {name} visitor: median {median:.3f} s ({_all(times[name])})")
        if name == "first":
            missed = ratio > GOAL
            print(f"{short}_ratio {ratio:.2f} (goal <= {GOAL})")
        else:
            print(f"{short}_ratio {ratio:.2f}")
    return 1 if args.strict and missed else 0


def _all(values: list[float]) -> str:
    return ", ".join(f"{value:.3f}" for value in values)


if __name__ == "__main__":
    sys.exit(main_())
