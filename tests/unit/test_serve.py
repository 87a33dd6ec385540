"""fashionai.ui.serve: `streamlit run app.py` with the first page's modules imported before the server starts."""

from __future__ import annotations

import logging
import subprocess
import sys

import pytest

from fashionai.ui import serve
from tests import ROOT


@pytest.mark.slow  # a new Python process: seconds of imports
def test_the_first_pages_modules_are_imported_before_the_server_starts():
    """A fresh interpreter: once warmed up, the first page's heavy imports are done (the first visitor
    no longer waits for them), and the server is handed over after them, not before."""
    script = (
        "import sys\n"
        "from fashionai.ui import serve\n"
        "from streamlit.web import cli\n"
        "seen = {}\n"
        "def fake_main(prog_name):\n"
        "    seen.update(argv=sys.argv[:], modules={m for m in ('pandas', 'altair', 'sqlalchemy', 'pyarrow', "
        "'fashionai.storefront.preview', 'fashionai.history') if m in sys.modules})\n"
        "    return 0\n"
        "cli.main = fake_main\n"
        "assert serve.main(['app.py', '--server.port', '8600']) == 0\n"
        "from streamlit.runtime.pages_manager import PagesManager\n"
        "print(seen['argv'], sorted(seen['modules']), PagesManager.uses_pages_directory)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert out.strip() == ("['streamlit', 'run', 'app.py', '--server.port', '8600'] "
                           "['altair', 'fashionai.history', 'fashionai.storefront.preview', 'pandas', 'pyarrow', 'sqlalchemy'] "
                           "False")


def test_a_module_that_fails_to_import_is_left_to_the_page(caplog):
    caplog.set_level(logging.WARNING)
    serve.warm_up(("fashionai_no_such_module",))
    assert "fashionai_no_such_module" in caplog.text


def test_no_script_prints_the_usage(capsys):
    assert serve.main([]) == 2
    assert "python -m fashionai.ui.serve app.py" in capsys.readouterr().err
