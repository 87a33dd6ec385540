"""The request-and-response expander: the exact request, the answer (a long product list cut to its top) and the
same request with curl (to the simulator served on this machine when the in-process one answered)."""

from __future__ import annotations

import json
from dataclasses import replace
from urllib.parse import urlsplit

import streamlit as st

from fashionai.api.client import DetailedAnswer, Recommendation, RequestRecord, SearchAnswer
from fashionai.simulator.server import DEFAULT_PORT as DEFAULT_SIMULATOR_PORT
from fashionai.text.formatting import code_span, ms_words
from fashionai.ui.resources import SIMULATOR_BASE_URL, simulator_base_url

Answered = Recommendation | SearchAnswer | DetailedAnswer
"""The answers whose request, status, time and body the request expander shows."""


def exchange_expander(record: Answered | BaseException | None, *, label: str = "Request and response") -> None:
    """The exact request body, the answer, and an equivalent curl command (token redacted)."""
    if record is None:
        return
    request = getattr(record, "request", None)
    if request is None:
        return
    with st.expander(label, icon=":material/code:"):
        st.caption(f"{request.method} {code_span(request.url)}")  # the URL holds ids: text, not a link
        if request.json is not None:
            st.code(json.dumps(request.json, indent=2, ensure_ascii=False), language="json")
        if isinstance(record, Answered):
            st.caption(f"Answer: HTTP {record.status_code} in {ms_words(record.elapsed)}"
                       + (f" after {record.attempts} attempts" if record.attempts > 1 else ""))
            st.code(answer_excerpt(record.response_body), language="json")
        else:
            st.caption(f"Answer: {type(record).__name__}")
        if (local_request := on_loopback(request)) is not None:
            st.caption(f"This answer came from the built-in simulator, inside the studio's server: "
                       f"{code_span(SIMULATOR_BASE_URL)} is no address curl can reach. To send the same request "
                       "with curl, serve the simulator on your machine in another terminal (any token is accepted), "
                       "then run the command below. It is a simulator of its own, so its rankings start afresh:")
            st.code(f"python -m fashionai simulate --port {DEFAULT_SIMULATOR_PORT}", language="bash")
            st.code(local_request.to_curl(), language="bash")
        else:
            st.caption("The same request with curl (set FASHIONAI_APP_TOKEN in your shell first):")
            st.code(request.to_curl(), language="bash")


def on_loopback(request: RequestRecord) -> RequestRecord | None:
    """`request` as sent to ``python -m fashionai simulate`` on this machine, when the in-process simulator answered
    it (any address on its host: the detailed search's is outside /api); None for any other."""
    inside, local = urlsplit(SIMULATOR_BASE_URL), urlsplit(simulator_base_url())
    origin = f"{inside.scheme}://{inside.netloc}/"
    if not request.url.startswith(origin):
        return None
    return replace(request, url=f"{local.scheme}://{local.netloc}/{request.url[len(origin):]}")


ANSWER_EXCERPT_IDS = 200
"""How many product ids of an answer the request-and-response expander prints."""


def answer_excerpt(body: object) -> str:
    """The answer as indented JSON; a long product list cut to its top, saying how many more there are.

    Cut before encoding, so a rerun costs what it shows, not the size of the answer.
    """
    products = body.get("products") if isinstance(body, dict) else None
    more = 0
    if isinstance(body, dict) and isinstance(products, list) and len(products) > ANSWER_EXCERPT_IDS:
        more = len(products) - ANSWER_EXCERPT_IDS
        body = {**body, "products": products[:ANSWER_EXCERPT_IDS]}
    text = json.dumps(body, indent=2, ensure_ascii=False)
    if more > 0:
        text += f"\n… and {more:,} more product ids after these {ANSWER_EXCERPT_IDS} (all of them are in the table)"
    return text
