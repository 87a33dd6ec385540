"""The studio's tests, in rooms like the code's:

    unit/      plain pytest, mirroring fashionai/ (a folder a room: api/, catalog/, compare/, ...; house rules beside)
    pages/     Streamlit AppTest runs of the real app, page by page
    browser/   the app served by Streamlit and driven in Debian's Chromium (marked ``browser``)

Shared helpers sit here: conftest.py (fixtures for every room), apptest_helpers.py,
history_helpers.py, api_helpers.py, comparison_helpers.py, handover_helpers.py, fake_time.py,
token_forms.py, fakeapi.py (a misbehaving live API on loopback), hostile.py, source_helpers.py (the studio's
modules parsed once a process, for the house's scans), corpus/.
No test module imports another (tests/unit/test_test_suite.py).
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
"""The repository's folder (app.py, pages/, fashionai/)."""
CORPUS = Path(__file__).resolve().parent / "corpus"
"""Catalog files of every odd kind, for the loader's tests."""
