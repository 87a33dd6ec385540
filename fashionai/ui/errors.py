"""Errors on screen: a message in plain words and the next step, never a traceback; the details,
with an error reference and the token scrubbed, go to the server log only."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from typing import TypeVar

import streamlit as st

from fashionai.api import redaction
from fashionai.api.errors import FashionAIError
from fashionai.catalog import CatalogError
from fashionai.config import ConfigError
from fashionai.history import HistoryError
from fashionai.text.formatting import escape_markdown
from fashionai.ui.resources import get_settings, session_faults

log = logging.getLogger(__package__)  # "fashionai.ui": the whole adapter logs under one name
T = TypeVar("T")


def error_message(err: BaseException) -> tuple[str, str]:
    """A plain-words message and a next step for any error a user can meet.

    The client's errors already say what happened and what to do; unexpected errors
    get a generic message (their details go to the server log only).
    """
    if isinstance(err, (FashionAIError, CatalogError)):
        return str(err), "Anything already on screen has been kept."
    if isinstance(err, (ValueError, TypeError)):
        return str(err), "Correct the value and try again."
    return "Something unexpected went wrong.", "Try again; if it keeps happening, tell the studio's maintainers."


def show_error(err: BaseException, *, what: str = "The request") -> None:
    """Show an error as a message (never a traceback), with the step to take next."""
    message, step = error_message(err)
    if not isinstance(err, (FashionAIError, CatalogError, ValueError, TypeError)):
        reference = uuid.uuid4().hex[:8]
        log.error("Unexpected error (reference %s) in %s", reference, what, exc_info=err)
        step += f" Error reference: {reference}."
    st.error(f"**{what} did not work.** {escape_markdown(redaction.redact(message))}\n\n{escape_markdown(step)}",
             icon=":material/error:")


def drill_note() -> None:
    """Under an error: say when this session's fault drill may have caused it."""
    faults = session_faults()
    try:
        live = get_settings().is_live
    except ConfigError:
        return
    if faults is not None and not live:
        st.caption(f":material/bolt: A fault drill is on for your browser session "
                   f"({escape_markdown(faults.describe())}), so this failure may be one of its faults. "
                   "Turn it off on the Settings page.")


PAGE_ERRORS_SHOWN = (FashionAIError, CatalogError, ConfigError, HistoryError)
"""Errors whose own message a user may read when they reach the frame: they say what to do."""


def show_page_error(err: Exception, *, page: str = "This page") -> str:
    """The frame's last guard, for an exception a page did not handle: a short message with an
    error reference for the user, the traceback with the same reference (token scrubbed) for the
    server log. Returns the reference.

    Streamlit's st.stop, st.rerun and st.switch_page raise BaseException subclasses
    (ScriptControlException), so a frame that catches Exception never swallows them.
    """
    reference = uuid.uuid4().hex[:8]
    log.error("Unexpected error (reference %s) on the page %r", reference, page, exc_info=err)
    known = isinstance(err, PAGE_ERRORS_SHOWN)
    message = redaction.redact(str(err)) if known else "Something unexpected went wrong."
    st.error(f"**{escape_markdown(page)} did not work.** {escape_markdown(message)}\n\n"
             f"Try again; if it keeps happening, tell the studio's maintainers the error reference "
             f"**{reference}**.", icon=":material/error:")
    return reference


def call(what: str, fn: Callable[[], T]) -> T | None:
    """Run ``fn`` (one API call and its join) under a spinner; show any error and return None."""
    try:
        with st.spinner(f"{what}…", show_time=True):
            return fn()
    except Exception as err:  # noqa: BLE001 - expected errors and the last guard alike: a message, never a traceback
        show_error(err, what=what)
        drill_note()
    return None

