"""The deck and the report a page hands over, downloaded in the browser and read back: what a merchandiser
takes to the stakeholders. Kept in tests/artifacts/ beside the screenshots, to look at."""

from __future__ import annotations

import io
import re

from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from tests.browser.conftest import ARTIFACTS
from tests.browser.streamlit_page import download

__all__ = ["check_handover"]


def check_handover(where, stem: str, *, backend: str, names: list[str]) -> list[str]:
    """Download the deck and the report from `where`, keep them as `stem`.pptx/.html, and check them: a title
    slide naming `backend`, card slides with pictures (the sample catalog's SVGs drawn), chart pictures, every
    name of `names` on a slide and in the report, nothing fetched from anywhere. Returns the slides' texts."""
    deck, report = download(where, "Download a deck"), download(where, "Download a report").decode("utf-8")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"{stem}.pptx").write_bytes(deck)
    (ARTIFACTS / f"{stem}.html").write_text(report, encoding="utf-8")

    slides = list(Presentation(io.BytesIO(deck)).slides)
    texts = ["\n".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame) for slide in slides]
    assert backend in texts[0], texts[0]
    pictures = [sum(shape.shape_type == MSO_SHAPE_TYPE.PICTURE for shape in slide.shapes) for slide in slides]
    cards = [count for count, text in zip(pictures, texts, strict=True) if "#1" in text]
    assert cards and all(count >= 1 for count in cards), list(zip(pictures, texts, strict=True))  # pictures, not "no picture"
    assert "no picture" not in "\n".join(texts)
    whole = "\n".join(texts)
    assert [name for name in names if name not in whole] == []
    assert [name for name in names if name not in report] == []
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:|//|file:)""", report, re.IGNORECASE)
    assert report.count('src="data:image/png;base64,') >= len(cards)
    return texts
