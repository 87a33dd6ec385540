"""The README's nightly cron line for a judged query set (issue 24's "Done when": a relevance team runs a judged
query set every night from cron) works as written: run by sh in a folder standing for /srv/studio, on the
simulator, two nights pass quietly; a night whose search lost the judged products crosses the README's nDCG
limit and `audit check` exits 1."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys

import pytest

from fashionai.__main__ import main
from fashionai.api.client import FashionAIClient
from fashionai.audit import cli, noise
from fashionai.catalog import load_catalog
from fashionai.catalog.sample import SAMPLE_CATALOG_PATH
from fashionai.simulator import IN_PROCESS_BASE_URL, IN_PROCESS_TOKEN, Simulator, SimulatorTransport
from tests import ROOT

pytestmark = pytest.mark.slow  # two nights of subprocesses

RESAMPLES = 20  # the bootstrap's resamples in these tests: quick on a shared machine; the method is the same
JUDGED = ("Dresses", "Sneakers")


def _readme_cron() -> tuple[dict[str, str], str]:
    """The variables and the command of the README's crontab that runs a judged query set."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = [block for block in re.findall(r"```cron\n(.*?)```", text, re.S) if "--judgments" in block]
    assert len(blocks) == 1, "the README has one crontab for a judged query set"
    variables, commands = {}, []
    for line in blocks[0].splitlines():
        if match := re.fullmatch(r"([A-Z_]+)=(\S+)", line):
            variables[match.group(1)] = match.group(2)
        elif line and not line.startswith("#"):
            commands.append(line.split(None, 5)[5])  # after minute, hour, day, month and weekday
    assert len(commands) == 1
    return variables, commands[0]


@pytest.fixture
def studio(tmp_path):
    """A folder standing for /srv/studio: a small catalog, a query set and its judgments, and a `.venv/bin/python`
    that is this interpreter running this checkout (with fewer bootstrap resamples)."""
    lines = SAMPLE_CATALOG_PATH.read_text(encoding="utf-8").splitlines()
    kept = [line for line in lines[1:] if line.split(",")[2].strip('"') in JUDGED]
    (tmp_path / "catalog.csv").write_text("\n".join([lines[0], *kept[::3]]) + "\n", encoding="utf-8")
    catalog = load_catalog(tmp_path / "catalog.csv")
    blue = [pid for pid, row in catalog.products.iterrows() if row["category"] == "Dresses" and "Blue" in row["color"]]
    assert len(blue) >= 2
    (tmp_path / "queries.csv").write_text("query\nvestido azul\ntênis\nzzqx nada parecido\n", encoding="utf-8")
    (tmp_path / "judgments.csv").write_text(
        "query,product_id,grade\n" + "".join(f"vestido azul,{pid},3\n" for pid in blue), encoding="utf-8")
    python = tmp_path / ".venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text(f"#!{sys.executable}\nimport sys\nsys.path.insert(0, {str(ROOT)!r})\n"
                      "assert sys.argv[1:3] == ['-m', 'fashionai'], sys.argv\n"
                      f"from fashionai.audit import noise\nnoise.BOOTSTRAP_RESAMPLES = {RESAMPLES}\n"
                      "from fashionai.__main__ import main\nraise SystemExit(main(sys.argv[3:]))\n", encoding="utf-8")
    python.chmod(0o755)
    return tmp_path, catalog, blue


def _night(folder, variables, command) -> subprocess.CompletedProcess:
    environment = {name: value for name, value in os.environ.items() if not name.startswith("FASHIONAI_")}
    environment |= {name: value.replace("/srv/studio", str(folder)) for name, value in variables.items()}
    return subprocess.run(["sh", "-c", command.replace("/srv/studio", str(folder))], env=environment,
                          capture_output=True, text=True, timeout=600, check=False)


def test_the_readmes_nightly_line_runs_and_its_check_gates_on_search_relevance(studio, monkeypatch, capsys):
    folder, catalog, blue = studio
    variables, command = _readme_cron()
    assert set(variables) == {"FASHIONAI_HISTORY_URL", "FASHIONAI_CATALOG"}
    first = _night(folder, variables, command)
    assert (first.returncode, first.stdout, first.stderr) == (0, "", "")  # a quiet night mails nothing
    night_one = (folder / "last-search-run").read_text().strip()
    second = _night(folder, variables, command)
    assert (second.returncode, second.stdout, second.stderr) == (0, "", "")
    night_two = (folder / "last-search-run").read_text().strip()
    assert re.fullmatch(r"[0-9a-f]{32}", night_two) and night_two != night_one
    log = (folder / "search-night.log").read_text()
    assert "Search relevance (nDCG) (ndcg) may drop by at most 0.05" in log and "No threshold crossed" in log, log

    # a night whose search lost the judged dresses: the same plan and catalog, an engine without them
    for name, value in variables.items():
        monkeypatch.setenv(name, value.replace("/srv/studio", str(folder)))
    monkeypatch.chdir(folder)
    monkeypatch.setattr(noise, "BOOTSTRAP_RESAMPLES", RESAMPLES)
    without = catalog.products.drop(index=blue)
    monkeypatch.setattr(cli, "_client", lambda settings, catalog: FashionAIClient(
        IN_PROCESS_TOKEN, base_url=IN_PROCESS_BASE_URL, transport=SimulatorTransport(Simulator(without))))
    assert main(["audit", "run", "--yes", "search-plan.json"]) == 0
    night_three = capsys.readouterr().out.strip().splitlines()[-1]
    limits = re.search(r'audit check "\$run" --against "\$prev" ([^;}]*)', command)
    assert limits, "the README's line checks the night against the night before"
    code = main(["audit", "check", night_three, "--against", night_two, *shlex.split(limits.group(1))])
    out = capsys.readouterr().out
    assert code == 1, out
    assert re.search(r"Search relevance \(nDCG\) \(ndcg\) may drop by at most 0\.05: before 0\.\d\d, after 0\.00 "
                     r"\(change -0\.\d\d, 95% interval .*\): CROSSED", out), out
    assert "Queries that changed most since the earlier run:" in out and "“vestido azul”" in out, out
