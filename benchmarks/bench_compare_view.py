"""Benchmark a view change on the compare page against a storefront toggle, in Chromium.

    .venv/bin/python benchmarks/bench_compare_view.py [--runs 5] [--strict]

Starts the app on the built-in simulator (as the browser suite does: tests/browser/servers.py)
and Debian's Chromium through Playwright, then, in one run:

- the storefront: previews once, then flips "Hide out-of-stock products" (the baseline);
- the compare page with the four default lanes, compared once, then: "Top K" one step,
  the RBO p one step, and the reference lane changed.

Each step is timed from the interaction until the page is idle again (the browser suite's
wait: the server finished the run, and the page is connected, not running, with nothing
stale: tests/browser/streamlit_page.py). Prints the median of `--runs` of each, and each
view change as a ratio against the toggle's median (goal <= 1.5).
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
from tests.browser.streamlit_page import (  # noqa: E402
    click_button,
    get_widget,
    go_to,
    main,
    open_app,
    rerun,
    watch,
)

GOAL = 1.5


def timed(page, action) -> float:
    """Seconds from `action` until its run is on screen and the page idle."""
    started = time.perf_counter()
    with rerun(page):
        action()
    return time.perf_counter() - started


def choose(page, label: str, option: str) -> None:
    """Pick `option` in the selectbox `label` (without the helper's own wait: `timed` waits)."""
    get_widget(main(page), "stSelectbox", label).click()
    page.get_by_role("option", name=option, exact=True).click()


def main_(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--strict", action="store_true", help="exit 1 when a ratio misses its goal")
    args = parser.parse_args(argv)
    if chromium_path() is None:
        print("Chromium is not installed (apt-get install chromium)", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="bench-compare-") as workdir:
        server = servers.start_app(Path(workdir))
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
                context = browser.new_context(viewport=VIEWPORT, base_url=server.url)
                page = context.new_page()
                watch(page)
                open_app(page, server.url + "/")
                times = measure(page, args.runs)
                browser.close()
        finally:
            server.stop()

    toggle = statistics.median(times["toggle"])
    print(f"storefront toggle: median {toggle:.3f} s of {args.runs} ({_all(times['toggle'])})")
    missed = False
    for name in ("K one step", "p one step", "reference lane"):
        median = statistics.median(times[name])
        ratio = median / toggle
        missed |= ratio > GOAL
        print(f"{name}: median {median:.3f} s ({_all(times[name])}), ratio {ratio:.2f} (goal <= {GOAL})")
    return 1 if args.strict and missed else 0


def _all(values: list[float]) -> str:
    return ", ".join(f"{value:.3f}" for value in values)


def measure(page, runs: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {"toggle": [], "K one step": [], "p one step": [], "reference lane": []}
    click_button(main(page), "Preview storefront")
    toggle = main(page).get_by_test_id("stCheckbox").filter(has_text="Hide out-of-stock").locator("label")
    timed(page, toggle.click)  # warm-up
    for _ in range(runs):
        times["toggle"].append(timed(page, toggle.click))

    go_to(page, "Compare lanes")
    click_button(main(page), "Compare lanes")
    k_thumb = get_widget(main(page), "stSlider", "Top K").get_by_role("slider")
    p_thumb = get_widget(main(page), "stSlider", "RBO p").get_by_role("slider")
    timed(page, lambda: k_thumb.press("ArrowLeft"))  # warm-up
    references = ["Sporty shopper", "Native order"]
    for run in range(runs):
        times["K one step"].append(timed(page, lambda: k_thumb.press("ArrowRight" if run % 2 else "ArrowLeft")))
        times["p one step"].append(timed(page, lambda: p_thumb.press("ArrowRight" if run % 2 else "ArrowLeft")))
        times["reference lane"].append(timed(page, lambda: choose(page, "Reference lane", references[run % 2])))
    return times


if __name__ == "__main__":
    sys.exit(main_())
