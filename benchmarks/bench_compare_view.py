"""Benchmark a view change on the compare page against a storefront toggle, in Chromium.

    .venv/bin/python benchmarks/bench_compare_view.py [--runs 5] [--strict]

Starts the app on the built-in simulator (as the browser suite does: tests/browser/servers.py)
and Debian's Chromium through Playwright, then, in one run:

- the storefront (one tab): previews once, then flips "Hide out-of-stock products" (the baseline);
- the compare page (another tab) with the four default lanes, compared once, then: "Top K" one
  step, the RBO p one step, and the reference lane changed, with the first tab (the bump chart)
  open; then "Top K" one step with the Measures tab open (its four heatmaps), and opening the
  Rank changes tab from the bump chart's. Only the open tab is drawn (lazy tabs). A toggle is
  timed before each of them, so both sides see the same load (the machine may be shared).

Each step is timed from the interaction until the page is idle again (the browser suite's
wait: the server finished the run, and the page is connected, not running, with nothing
stale: tests/browser/streamlit_page.py). Prints the median of `--runs` of each, and each
view change as a ratio against the toggle's median (goal <= 1.5), one `name_ratio value` line each
as the other benchmarks do. The reference lane's time includes opening the select box and picking.
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
    NEXT_FRAMES_JS,
    click_button,
    get_widget,
    go_to,
    main,
    open_app,
    open_tab,
    rerun,
    watch,
)

GOAL = 1.5


def timed(page, action) -> float:
    """Seconds from `action` until its run is on screen and the page idle (the page brought to the front
    first, outside the time: a tab in the background gets no animation frames)."""
    page.bring_to_front()
    page.evaluate(NEXT_FRAMES_JS)
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
                storefront, compare = context.new_page(), context.new_page()
                for page in (storefront, compare):
                    watch(page)
                    open_app(page, server.url + "/")
                times = measure(storefront, compare, args.runs)
                browser.close()
        finally:
            server.stop()

    toggle = statistics.median(times["toggle"])
    print(f"storefront toggle: median {toggle:.3f} s of {len(times['toggle'])} ({_all(times['toggle'])})")
    missed = False
    for name, short in (("K one step", "k_step"), ("p one step", "p_step"), ("reference lane", "reference"),
                        ("K one step, Measures open", "k_step_measures"), ("opening a tab", "open_tab")):
        median = statistics.median(times[name])
        ratio = median / toggle
        missed |= ratio > GOAL
        print(f"{name}: median {median:.3f} s ({_all(times[name])})")
        print(f"{short}_ratio {ratio:.2f} (goal <= {GOAL})")
    return 1 if args.strict and missed else 0


def _all(values: list[float]) -> str:
    return ", ".join(f"{value:.3f}" for value in values)


def measure(storefront, compare, runs: int) -> dict[str, list[float]]:
    """The toggle and the view changes, interleaved (a toggle before each change), so that both see the
    same load. K and p step to a value not seen before every time (no chart kept from an earlier view);
    the reference goes round the lanes."""
    times: dict[str, list[float]] = {"toggle": [], "K one step": [], "p one step": [], "reference lane": []}
    click_button(main(storefront), "Preview storefront")
    toggle = main(storefront).get_by_test_id("stCheckbox").filter(has_text="Hide out-of-stock").locator("label")
    timed(storefront, toggle.click)  # warm-up

    go_to(compare, "Compare lanes")
    click_button(main(compare), "Compare lanes")
    k_thumb = get_widget(main(compare), "stSlider", "Top K").get_by_role("slider")
    p_thumb = get_widget(main(compare), "stSlider", "RBO p").get_by_role("slider")
    timed(compare, lambda: k_thumb.press("End"))  # warm-up: K at its largest, then down a step each time
    references = ["Sporty shopper", "Office shopper", "Best sellers", "Native order"]
    for run in range(runs):
        for name, action in (("K one step", lambda: k_thumb.press("ArrowLeft")),
                             ("p one step", lambda: p_thumb.press("ArrowLeft")),
                             ("reference lane", lambda run=run: choose(compare, "Reference lane",
                                                                       references[run % len(references)]))):
            times["toggle"].append(timed(storefront, toggle.click))
            times[name].append(timed(compare, action))
    times["K one step, Measures open"], times["opening a tab"] = [], []
    tabs = main(compare).get_by_role("tab")
    for _run in range(runs):
        open_tab(main(compare), "Measures", lazy=True)
        times["toggle"].append(timed(storefront, toggle.click))
        times["K one step, Measures open"].append(timed(compare, lambda: k_thumb.press("ArrowLeft")))
        open_tab(main(compare), "Bump chart", lazy=True)
        times["toggle"].append(timed(storefront, toggle.click))
        times["opening a tab"].append(timed(compare, tabs.filter(has_text="Rank changes").click))
        open_tab(main(compare), "Bump chart", lazy=True)
    return times


if __name__ == "__main__":
    sys.exit(main_())
