"""app.py run as a plain script (not `streamlit run`): what a spawned process does when its parent's main module is
app.py (multiprocessing's "spawn" re-runs the parent's main script in the child). It must end quietly: the history
store's several-processes test spawns writers from a pytest worker that AppTest left with app.py as its main."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def test_app_py_run_bare_ends_without_an_error(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("FASHIONAI_")}
    env["FASHIONAI_HISTORY_URL"] = f"sqlite:///{(tmp_path / 'history.db').as_posix()}"
    done = subprocess.run([sys.executable, str(ROOT / "app.py")], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
