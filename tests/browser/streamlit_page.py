"""Driving a Streamlit 1.67 page with Playwright: wait for the app, find widgets by test id.

In the manner of Streamlit's own ``e2e_playwright/shared/app_utils.py``: small
functions that take the ``Page``, find elements by ``data-testid`` and wait for the
app after every interaction, never for a fixed time.

How an interaction is waited for (``rerun``):

1. The server's side. ``watch(page)`` reads every websocket frame the page
   receives (Streamlit's ``ForwardMsg`` protobuf) and counts ``script_finished``
   messages. An interaction wrapped in ``rerun(page)`` returns only once a script
   run that started after it has finished on the server. The DOM alone cannot
   tell: React batches ``running`` and ``notRunning`` into one commit when a run
   is fast, so ``data-test-script-state`` may never visibly change.
2. The browser's side (``wait_for_app``). Two animation frames let React commit
   what the frontend has received, then the app must be connected, in
   ``data-test-script-state="notRunning"``, with no stale element left and no
   ``stSkeleton``: the first image, chart or table of a session waits for its
   element's code to load after the run has finished, behind a skeleton.

Assertions on content still use ``expect(...)``, which retries until it holds.

The same watcher keeps every frame and request URL, so tests can search them
(the token leak check) and see requests that were refused for leaving loopback.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

try:
    from playwright.sync_api import expect
except ImportError:  # the suite's fixtures skip (or fail under CI) and say why; see conftest.py
    expect = None

if TYPE_CHECKING:
    from pathlib import Path

    from playwright.sync_api import Locator, Page, Request, WebSocket

RUN_TIMEOUT_MS = 60_000
"""How long one script run may take (a preview over the loopback simulator on a busy runner)."""

_EARLY_FOR_RERUN = ForwardMsg.ScriptFinishedStatus.Value("FINISHED_EARLY_FOR_RERUN")

READY_JS = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    return app !== null
        && app.getAttribute('data-test-connection-state') === 'CONNECTED'
        && app.getAttribute('data-test-script-state') === 'notRunning'
        && document.querySelector('[data-stale="true"]') === null
        && document.querySelector('[data-testid="stSkeleton"]') === null;
}"""

NEXT_FRAMES_JS = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => done(true))))"

LOOPBACK = re.compile(r"^(https?|wss?)://(127\.0\.0\.1|localhost)(:\d+)?(/|$)")


def finishes_a_run(payload: bytes | str) -> bool:
    """Is this websocket frame Streamlit's "script finished" (and not "stopped to rerun")?"""
    if isinstance(payload, str):
        return False
    message = ForwardMsg()
    try:
        message.ParseFromString(payload)
    except Exception:  # noqa: BLE001 - not a ForwardMsg: not the end of a run
        return False
    return message.WhichOneof("type") == "script_finished" and message.script_finished != _EARLY_FOR_RERUN


@dataclass
class Traffic:
    """What one page exchanged with the world, as the browser saw it."""

    websocket: WebSocket | None = None
    finished_runs: int = 0
    frames: list[tuple[str, bytes]] = field(default_factory=list, repr=False)
    """Every websocket frame in order, as ("sent" | "received", payload)."""
    requests: list[Request] = field(default_factory=list, repr=False)
    refused: list[str] = field(default_factory=list)
    """URLs the page asked for outside loopback (the context refuses them)."""
    console: list[str] = field(default_factory=list, repr=False)
    page_errors: list[str] = field(default_factory=list)
    """Uncaught JavaScript errors (a chart that fails to draw, say)."""

    @property
    def frames_received(self) -> list[bytes]:
        return [payload for direction, payload in self.frames if direction == "received"]

    @property
    def frames_sent(self) -> list[bytes]:
        return [payload for direction, payload in self.frames if direction == "sent"]

    def _on_websocket(self, websocket: WebSocket) -> None:
        self.websocket = websocket
        websocket.on("framereceived", self._on_received)
        websocket.on("framesent", lambda payload: self.frames.append(("sent", _as_bytes(payload))))

    def _on_received(self, payload: bytes | str) -> None:
        self.frames.append(("received", _as_bytes(payload)))
        if finishes_a_run(payload):
            self.finished_runs += 1

    def _on_request(self, request: Request) -> None:
        self.requests.append(request)
        if not LOOPBACK.match(request.url) and not request.url.startswith(("data:", "blob:", "about:")):
            self.refused.append(request.url)


def _as_bytes(payload: bytes | str) -> bytes:
    return payload.encode() if isinstance(payload, str) else payload


def describe_frames(seen: Traffic) -> str:
    """The websocket's story, one line a message (deltas left out), for a failed test's artefacts."""
    lines = []
    for direction, payload in seen.frames:
        message = BackMsg() if direction == "sent" else ForwardMsg()
        try:
            message.ParseFromString(payload)
        except Exception:  # noqa: BLE001 - say so and go on
            lines.append(f"{direction} {len(payload)} bytes, not a {type(message).__name__}")
            continue
        kind = message.WhichOneof("type")
        if kind == "delta":
            continue
        if kind == "rerun_script":
            run = message.rerun_script
            states = [f"{state.id.rsplit('-', 1)[-1]}={getattr(state, state.WhichOneof('value'))!r:.60}"
                      for state in run.widget_states.widgets if state.WhichOneof("value")]
            lines.append(f"{direction} rerun_script page={run.page_name!r} widgets={states}")
        elif kind == "script_finished":
            lines.append(f"{direction} script_finished {ForwardMsg.ScriptFinishedStatus.Name(message.script_finished)}")
        else:
            lines.append(f"{direction} {kind}")
    return "\n".join(lines)


_TRAFFIC: WeakKeyDictionary[Page, Traffic] = WeakKeyDictionary()


def watch(page: Page) -> Traffic:
    """Start recording a page's websocket frames, requests and console; call before its first goto."""
    traffic = Traffic()
    page.on("websocket", traffic._on_websocket)
    page.on("request", traffic._on_request)
    page.on("console", lambda message: traffic.console.append(message.text))
    page.on("pageerror", lambda error: traffic.page_errors.append(str(error)))
    _TRAFFIC[page] = traffic
    return traffic


def traffic(page: Page) -> Traffic:
    return _TRAFFIC[page]


# --------------------------------------------------------------------------- waiting


def wait_for_app(page: Page, timeout: float = RUN_TIMEOUT_MS) -> None:
    """Wait until the frontend shows a finished run: connected, not running, nothing stale."""
    page.evaluate(NEXT_FRAMES_JS)
    page.wait_for_function(READY_JS, timeout=timeout)


def wait_for_runs(page: Page, at_least: int, timeout: float = RUN_TIMEOUT_MS) -> None:
    """Wait until the server has finished ``at_least`` script runs for this page since it opened."""
    seen = traffic(page)
    if seen.finished_runs >= at_least:
        return
    if seen.websocket is None:
        page.wait_for_event("websocket", timeout=timeout)
    if seen.finished_runs < at_least:
        # No event is dispatched between the check above and this waiter's registration
        # (the sync API dispatches only inside Playwright calls), so no frame is missed.
        seen.websocket.wait_for_event("framereceived", predicate=lambda _: seen.finished_runs >= at_least,
                                      timeout=timeout)


@contextmanager
def rerun(page: Page, timeout: float = RUN_TIMEOUT_MS) -> Iterator[None]:
    """Wrap an interaction that makes the app rerun; returns once that run is on screen.

        with rerun(page):
            page.get_by_role("switch").click()
    """
    before = traffic(page).finished_runs
    yield
    wait_for_runs(page, before + 1, timeout)
    wait_for_app(page, timeout)


def open_app(page: Page, url: str) -> None:
    """Load the app (or one of its pages) and wait for its first run to be on screen."""
    before = traffic(page).finished_runs
    with page.expect_websocket(timeout=RUN_TIMEOUT_MS):  # a new document opens a new connection
        page.goto(url)
    wait_for_runs(page, before + 1)
    wait_for_app(page)


# --------------------------------------------------------------------------- finding


def _page(where: Page | Locator) -> Page:
    return where.page if hasattr(where, "page") else where  # a Locator knows its Page


def main(page: Page) -> Locator:
    return page.get_by_test_id("stMain")


def sidebar(page: Page) -> Locator:
    return page.get_by_test_id("stSidebar")


def get_button(where: Page | Locator, label: str | re.Pattern[str]) -> Locator:
    """The button labelled `label`. A button with help has a hidden twin (Streamlit measures its width with it):
    only the visible one is meant."""
    button = where.get_by_test_id("stButton").filter(has_text=label).locator("button:visible")
    expect(button).to_be_visible()
    return button


def get_widget(where: Page | Locator, test_id: str, label: str | re.Pattern[str]) -> Locator:
    """A widget (stTextInput, stSelectbox, ...) by its label."""
    label_element = _page(where).get_by_test_id("stWidgetLabel").filter(has_text=label)  # relative to the widget
    widget = where.get_by_test_id(test_id).filter(has=label_element)
    expect(widget).to_have_count(1)
    return widget


def alert(where: Page | Locator, kind: str, text: str | re.Pattern[str] = "") -> Locator:
    """An st.error / st.warning / st.info / st.success box: kind is Error, Warning, Info or Success."""
    return where.get_by_test_id(f"stAlertContent{kind}").filter(has_text=text)


def badge(where: Page | Locator, text: str | re.Pattern[str]) -> Locator:
    """An st.badge (its text also holds the icon's name, so match a part of it)."""
    return where.locator(".stMarkdownBadge").filter(has_text=text, visible=True)  # a badge with help= is drawn twice


def nav_links(page: Page) -> list[tuple[str, str]]:
    """(title, address) of every page in the sidebar navigation, in order."""
    links = sidebar(page).get_by_test_id("stSidebarNav").get_by_test_id("stSidebarNavLink")
    expect(links.first).to_be_visible()
    return [(link.get_by_test_id("stMarkdownContainer").inner_text().strip(), link.get_attribute("href"))
            for link in links.all()]


def nav_link(page: Page, title: str) -> Locator:
    """The navigation link whose title is exactly ``title`` (its text also holds the icon's name)."""
    return sidebar(page).get_by_test_id("stSidebarNavLink").filter(
        has=page.get_by_test_id("stMarkdownContainer").get_by_text(title, exact=True))


def expect_no_exception(page: Page) -> None:
    """No Streamlit exception box and no traceback text anywhere on the page."""
    expect(page.get_by_test_id("stException")).to_have_count(0)
    expect(page.locator("body")).not_to_contain_text("Traceback")


def selectbox_value(where: Page | Locator, label: str | re.Pattern[str]) -> str:
    """The option a selectbox shows as chosen (the text in its box)."""
    return get_widget(where, "stSelectbox", label).locator("input").input_value()


def selectbox_options(where: Page | Locator, label: str | re.Pattern[str]) -> list[str]:
    """The options a selectbox's open list shows (opening and closing it makes no rerun).

    The list is virtualised: a long one holds only the options it draws, from the first.
    """
    page = _page(where)
    get_widget(where, "stSelectbox", label).click()
    listbox = page.get_by_test_id("stSelectboxVirtualDropdown")
    expect(listbox).to_be_visible()
    options = [text.strip() for text in listbox.get_by_role("option").all_inner_texts()]
    page.keyboard.press("Escape")
    expect(listbox).to_have_count(0)
    return options


# --------------------------------------------------------------------------- interacting


def click_button(where: Page | Locator, label: str | re.Pattern[str]) -> None:
    """Click a button (in the page or a part of it, e.g. ``sidebar(page)``) and wait for its run."""
    page = _page(where)
    button = get_button(where, label)
    with rerun(page):
        button.click()


def fill_text(where: Page | Locator, label: str | re.Pattern[str], text: str) -> None:
    """Type into a text input and press Enter (which commits it), then wait for the run."""
    field = get_widget(where, "stTextInput", label).locator("input")
    with rerun(_page(where)):
        field.fill(text)
        field.press("Enter")


def upload_catalog(page: Page, path: Path) -> None:
    """Give the sidebar's catalog uploader a file and wait for the run that reads it."""
    chooser = sidebar(page).get_by_test_id("stFileUploaderDropzoneInput")
    with rerun(page):
        chooser.set_input_files(path)


def go_to(page: Page, title: str) -> None:
    """Open a page by clicking its link in the sidebar navigation."""
    link = nav_link(page, title)
    expect(link).to_have_count(1)
    with rerun(page):
        link.click()
    expect(link).to_have_attribute("aria-current", "page")


def select_option(where: Page | Locator, label: str | re.Pattern[str], option: str) -> None:
    """Choose ``option`` (its exact text) in a selectbox and wait for the run it starts."""
    page = _page(where)
    get_widget(where, "stSelectbox", label).click()
    listbox = page.get_by_test_id("stSelectboxVirtualDropdown")
    expect(listbox).to_be_visible()
    with rerun(page):
        listbox.get_by_role("option", name=option, exact=True).click()
    expect(listbox).to_have_count(0)


def choose_in_multiselect(where: Page | Locator, label: str | re.Pattern[str], option: str | re.Pattern[str]) -> str:
    """Add the first option whose text holds ``option`` to a multiselect; wait for its run, close the list.

    The list is opened from the keyboard, not by a click: a table drawn above the widget
    may still move it down when the run is on screen. Returns the option's whole text.
    """
    page = _page(where)
    field = get_widget(where, "stMultiSelect", label).get_by_role("combobox")
    field.focus()
    field.press("ArrowDown")
    listbox = page.get_by_role("listbox")
    expect(listbox).to_be_visible()
    choice = listbox.get_by_role("option").filter(has_text=option).first
    text = choice.inner_text().strip()
    with rerun(page):
        choice.click()
    page.keyboard.press("Escape")  # closing the list makes no run
    expect(listbox).to_have_count(0)
    return text


def press_slider(where: Page | Locator, label: str | re.Pattern[str], key: str) -> None:
    """Press a key (ArrowLeft, ArrowRight, Home, End) on a slider's thumb and wait for the run."""
    thumb = get_widget(where, "stSlider", label).get_by_role("slider")
    with rerun(_page(where)):
        thumb.press(key)


def slider_value(where: Page | Locator, label: str | re.Pattern[str]) -> str:
    """The value a slider's thumb shows."""
    return get_widget(where, "stSlider", label).get_by_role("slider").get_attribute("aria-valuetext") or ""


def open_tab(where: Page | Locator, label: str | re.Pattern[str], *, lazy: bool = False) -> Locator:
    """Select a tab of an st.tabs and return its panel. Tabs switch in the browser with no rerun, unless they
    are `lazy` (`st.tabs(..., on_change="rerun")`, drawing only the open tab): then opening another tab reruns
    the app (or its fragment), and this returns once that run is on screen."""
    tab = where.get_by_role("tab").filter(has_text=label)
    if lazy and tab.get_attribute("aria-selected") != "true":
        with rerun(_page(where)):
            tab.click()
    else:
        tab.click()
    expect(tab).to_have_attribute("aria-selected", "true")
    panel = _page(where).locator(f'[role="tabpanel"][aria-labelledby="{tab.get_attribute("id")}"]')
    expect(panel).to_be_visible()
    return panel


def open_popover(where: Page | Locator, label: str | re.Pattern[str]) -> Locator:
    """Open an st.popover by its button (no rerun) and return its body; Escape closes it."""
    page = _page(where)
    where.get_by_test_id("stPopover").filter(has_text=label).get_by_role("button").first.click()
    body = page.get_by_test_id("stPopoverBody")
    expect(body).to_be_visible()
    return body


def upload_file(where: Page | Locator, label: str | re.Pattern[str], path: Path) -> None:
    """Give a file uploader (found by its label) a file and wait for the run that reads it."""
    chooser = get_widget(where, "stFileUploader", label).get_by_test_id("stFileUploaderDropzoneInput")
    with rerun(_page(where)):
        chooser.set_input_files(path)


def open_expander(where: Page | Locator, label: str | re.Pattern[str]) -> Locator:
    """Open an st.expander by its summary (no rerun) and return its details."""
    expander = where.get_by_test_id("stExpander").filter(has_text=label)
    details = expander.get_by_test_id("stExpanderDetails")
    if not details.is_visible():
        expander.locator("summary").click()
    expect(details).to_be_visible()
    return details


def download(where: Page | Locator, label: str | re.Pattern[str], timeout: float = RUN_TIMEOUT_MS) -> bytes:
    """Click the download button `label` (made on the click: no rerun) and return the file's bytes."""
    button = where.get_by_test_id("stDownloadButton").filter(has_text=label).locator("button:visible")
    expect(button).to_be_visible()
    with _page(where).expect_download(timeout=timeout) as saved:
        button.click()
    with open(saved.value.path(), "rb") as file:
        return file.read()
