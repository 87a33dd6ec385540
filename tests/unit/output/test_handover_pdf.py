"""The deck and the report open in LibreOffice: converted to PDF, with their pages and product names.

Needs Debian's LibreOffice (`soffice`) with the part that opens each file: Impress for the deck
(`libreoffice-impress`), Writer for the report (`libreoffice-writer`); skipped, naming the missing part, where
it is not installed. The PDF's text is read with pdftotext or pypdf, when either is at hand."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from datetime import UTC, datetime

import altair as alt
import pandas as pd
import pytest

from fashionai.output.deck import deck_bytes
from fashionai.output.handover import Handover, Section, cards_from_frame
from fashionai.output.report import report_html

pytestmark = pytest.mark.slow
NAMES = ["Vestido Aurora", "Saia Lua", "Blusa Mar"]


def handover() -> Handover:
    frame = pd.DataFrame({"product_id": ["1", "2", "3"], "name": NAMES, "price": [99.9, 59.9, 79.9],
                          "stock": [5, 0, 2]})
    chart = alt.Chart(frame).mark_bar().encode(y="name:N", x="price:Q").properties(width="container")
    return Handover("A deck for LibreOffice", "three products", datetime(2026, 1, 1, tzinfo=UTC),
                    "Built-in simulator", "Sample", (Section("Prices", ("Vestido Aurora costs most.",), chart=chart),
                                                     Section("The products", cards=cards_from_frame(frame))))


LIBREOFFICE_PARTS = {
    ".pptx": ("Impress", "libreoffice-impress", "libsdlo"),
    ".html": ("Writer", "libreoffice-writer", "libswlo"),
}
"""The part of LibreOffice that opens each file: its name, Debian's package and its library's stem."""


def missing_libreoffice_part(soffice: str | None, suffix: str) -> str | None:
    """Why this file cannot be converted here, or None when LibreOffice and the part it needs are installed.

    Debian splits LibreOffice into packages: `soffice` can be there with Impress and not Writer. A part is
    looked for as its library beside the real `soffice` program; where no part's library is found by
    that name (another layout), the conversion is tried and must work."""
    if soffice is None:
        return "LibreOffice (soffice) is not installed here"
    name, package, stem = LIBREOFFICE_PARTS[suffix]
    program = os.path.dirname(os.path.realpath(soffice))
    found = {entry.split(".")[0] for entry in os.listdir(program) if entry.startswith("lib")} if os.path.isdir(
        program) else set()
    known = {part[2] for part in LIBREOFFICE_PARTS.values()}
    if found & known and stem not in found:
        return f"LibreOffice {name} is not installed here (Debian's {package}); it opens the {suffix} file"
    return None


def test_a_missing_libreoffice_part_is_named(tmp_path):
    program = tmp_path / "program"
    program.mkdir()
    (program / "soffice").write_text("")
    (program / "libsdlo.so").write_text("")  # Impress, and no Writer
    soffice = str(program / "soffice")
    assert missing_libreoffice_part(None, ".pptx") == "LibreOffice (soffice) is not installed here"
    assert missing_libreoffice_part(soffice, ".pptx") is None
    assert "Writer" in missing_libreoffice_part(soffice, ".html")
    assert "libreoffice-writer" in missing_libreoffice_part(soffice, ".html")
    (program / "libswlo.so").write_text("")
    assert missing_libreoffice_part(soffice, ".html") is None


def pdf_text(path) -> str | None:
    if shutil.which("pdftotext"):
        return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    try:
        from pypdf import PdfReader
    except ImportError:
        return None
    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


def page_count(path) -> int:
    return len(re.findall(rb"/Type\s*/Page(?!s)", path.read_bytes()))


@pytest.mark.parametrize(("suffix", "make", "pages"), [(".pptx", deck_bytes, 3), (".html", report_html, None)])
def test_libreoffice_converts_it_to_pdf(tmp_path, suffix, make, pages):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if (missing := missing_libreoffice_part(soffice, suffix)) is not None:
        pytest.skip(missing)
    made = make(handover())
    source = tmp_path / f"handover{suffix}"
    (source.write_bytes if isinstance(made, bytes) else source.write_text)(made)
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(source)], capture_output=True, timeout=180, check=True)
    pdf = tmp_path / "handover.pdf"
    assert pdf.exists()
    count = page_count(pdf)
    assert count == pages if pages is not None else count >= 1  # a slide a page; the report's pages vary
    text = pdf_text(pdf)
    if text is None:
        pytest.skip("no pdftotext or pypdf to read the PDF's text")
    for name in NAMES:
        assert name in text
