"""The house's import contract (pyproject.toml's [tool.importlinter], run by `python3 dev.py check` in .ci/run):
the project keeps it, every room of fashionai/ is placed in its layers, and the same contracts break on a tiny
package given an upward import, a cycle between rooms (a lazy one too) or a reach into another room's private module.
"""

from __future__ import annotations

import logging
import tomllib

import pytest

from tests import ROOT

importlinter_cli = pytest.importorskip("importlinter.cli", reason="import-linter is not installed (the test extra)")

CONTRACTS = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]["contracts"]


def _lint(config: str, cwd, monkeypatch) -> int:
    """lint-imports run on `config` from `cwd` (its packages importable from there), without a cache. Its logging
    set-up (logging.config.dictConfig) disables every logger that exists: they are enabled again after, or the
    tests run later in this process would see no log record."""
    monkeypatch.chdir(cwd)
    monkeypatch.syspath_prepend(str(cwd))
    loggers = [logger for logger in logging.Logger.manager.loggerDict.values() if isinstance(logger, logging.Logger)]
    enabled = [logger for logger in loggers if not logger.disabled]
    try:
        return importlinter_cli.lint_imports(config_filename=config, no_cache=True, no_logo=True)
    finally:
        for logger in enabled:
            logger.disabled = False


def test_the_project_keeps_its_import_contract(monkeypatch, capsys):
    assert _lint(str(ROOT / "pyproject.toml"), ROOT, monkeypatch) == 0, capsys.readouterr().out


def test_every_room_of_fashionai_is_placed_in_a_layer():
    """A new room (a folder or a module at the top of fashionai/) is given its layer in the contract, or the
    contract would say nothing about what it may import."""
    [layers] = [contract for contract in CONTRACTS if contract["type"] == "layers"]
    placed = {name.strip().removeprefix("fashionai.") for layer in layers["layers"]
              for name in layer.replace(":", "|").split("|")}
    rooms = {path.stem if path.is_file() else path.name for path in (ROOT / "fashionai").iterdir()
             if (path.suffix == ".py" or (path / "__init__.py").exists())} - {"__init__", "__main__"}
    assert rooms - placed == set(), "rooms missing from the layers contract in pyproject.toml"
    assert placed - rooms == set(), "the layers contract names rooms that do not exist"


TINY = {
    "tiny/__init__.py": "",
    "tiny/ui/__init__.py": "",
    "tiny/ui/page.py": "from tiny.feature_a import view\n",
    "tiny/feature_a/__init__.py": "",
    "tiny/feature_a/view.py": "from tiny.store import rows\n",
    "tiny/feature_b/__init__.py": "",
    "tiny/feature_b/view.py": "from tiny.store import rows\n",
    "tiny/store/__init__.py": "",
    "tiny/store/rows.py": "from tiny.store import _sql\n",
    "tiny/store/_sql.py": "",
}
TINY_LAYERS = ["tiny.ui", "tiny.feature_a | tiny.feature_b", "tiny.store"]

BREAKS = {
    "an upward import": ({"tiny/store/rows.py": "from tiny.ui import page\n"}, {"layers"}),
    "a cycle between two rooms": ({"tiny/feature_b/view.py": "from tiny.feature_a import view\n",
                                   "tiny/feature_a/view.py": "from tiny.feature_b import view as other\n"},
                                  {"layers", "rooms-acyclic"}),
    "a lazy import inside a function": ({"tiny/store/rows.py": "def later():\n    from tiny.feature_a import view\n"},
                                        {"layers"}),
    "a reach into another room's private module": ({"tiny/feature_a/view.py": "from tiny.store import _sql\n"},
                                                   {"private-modules"}),
}


def _tiny(tmp_path, extra: dict[str, str] | None = None) -> str:
    """The tiny package in tmp_path, checked by the project's own contracts (their types and options, with the
    tiny package's names and layers), with `extra` (lines added to files) added; the config file's path."""
    for name, text in TINY.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    for name, line in (extra or {}).items():
        with (tmp_path / name).open("a", encoding="utf-8") as file:
            file.write(line)
    lines = ["[importlinter]", "root_package = tiny", ""]
    for contract in CONTRACTS:
        lines += [f"[importlinter:contract:{contract['id']}]", f"name = {contract['name']}",
                  f"type = {contract['type']}"]
        for key, value in contract.items():
            if key in {"id", "name", "type", "ignore_imports"}:
                continue
            value = TINY_LAYERS if key == "layers" else value
            value = [v.replace("fashionai", "tiny") for v in value] if isinstance(value, list) else value
            lines.append(f"{key} =" + "".join(f"\n    {v}" for v in value) if isinstance(value, list)
                         else f"{key} = {value}")
        lines.append("")
    config = tmp_path / ".importlinter"
    config.write_text("\n".join(lines), encoding="utf-8")
    return str(config)


def test_the_project_has_the_three_contracts_the_tiny_package_is_checked_by():
    assert {contract["type"] for contract in CONTRACTS} == {"layers", "acyclic_siblings", "private_modules"}


def test_the_tiny_package_as_built_keeps_the_contracts(tmp_path, monkeypatch, capsys):
    assert _lint(_tiny(tmp_path), tmp_path, monkeypatch) == 0, capsys.readouterr().out


@pytest.mark.parametrize("what", sorted(BREAKS))
def test_the_contracts_break_on(what, tmp_path, monkeypatch, capsys):
    extra, broken = BREAKS[what]
    assert _lint(_tiny(tmp_path, extra), tmp_path, monkeypatch) == 1
    out = capsys.readouterr().out
    names = {contract["id"]: contract["name"] for contract in CONTRACTS}
    for contract_id in broken:
        assert f"{names[contract_id]} BROKEN" in " ".join(out.split()), out


def test_no_contract_names_an_exception():
    """Every cycle is removed, none is named away: a contract with `ignore_imports` lets the imports it names
    (and any cycle through them) pass unseen."""
    assert {contract["id"]: contract.get("ignore_imports", []) for contract in CONTRACTS} == {
        contract["id"]: [] for contract in CONTRACTS}
