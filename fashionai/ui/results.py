"""Press, call, keep: a call's result kept in the session under its page's key (the one before kept when a call
fails or brings nothing new), a progress bar while a long call runs, and the page stopped with a hint until
there is a result to show."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import streamlit as st

from fashionai.ui.errors import call, drill_note, show_error

T = TypeVar("T")
P = TypeVar("P")  # a part of the call done (a lane, a step, a shopper), as the progress bar is told it


def call_and_keep(key: str, what: str, fn: Callable[[], T]) -> T | None:
    """Run ``fn`` as `call` does and keep its result under `key` (and return it); when it fails,
    the error is shown and the result kept before stays."""
    result = call(what, fn)
    if result is not None:
        st.session_state[key] = result
    return result


def call_with_progress(what: str, start: str, fn: Callable[[Callable[[P, int, int], None]], T],
                       words: Callable[[P, int, int], str]) -> T | None:
    """`call` with a progress bar: ``fn(progress)`` reports each part done as ``progress(part, done, total)``,
    which the bar says with ``words(part, done, total)`` (Markdown; `start` before the first). The bar goes
    when the call ends."""
    bar = st.progress(0.0, text=start)

    def progress(part: P, done: int, total: int) -> None:
        bar.progress(done / total, text=words(part, done, total))

    result = call(what, lambda: fn(progress))
    bar.empty()
    return result


def keep_result(key: str, result: object, *, empty: bool, failures: Iterable[tuple[str, BaseException]],
                note: str) -> bool:
    """Keep a call's new `result` under `key` (True). But when nothing came of it (`empty`) while a result
    is kept, show its `failures` ((what, error) pairs), the drill note and `note` (why the result on screen
    is the one before), and keep that one (False)."""
    if empty and st.session_state.get(key) is not None:
        for what, error in failures:
            show_error(error, what=what)
        drill_note()
        st.caption(note)
        return False
    st.session_state[key] = result
    return True


def kept_or_stop(key: str, hint: str) -> Any:  # Any: whatever the page kept there, which it knows
    """The result kept under `key`; without one, say which button to press (`hint`) and stop the page."""
    kept = st.session_state.get(key)
    if kept is None:
        st.info(hint, icon=":material/touch_app:")
        st.stop()
    return kept
