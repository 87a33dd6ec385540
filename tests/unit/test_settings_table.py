"""Each setting is declared once (fashionai.config.SETTINGS), read by one resolver, and README.md says the same."""

import re

import pytest

from fashionai import config
from fashionai.config import SETTINGS, read_setting
from tests import ROOT
from tests.source_helpers import APP_SOURCES, nodes


def readme_settings() -> dict[str, tuple[str, str, str, str]]:
    """README.md's settings table (under "Using the live API"): label -> (variable, secrets key, default, row)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    lines = text[text.index("## Using the live API"):].splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("| setting | environment |"))
    rows = {}
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        label, env, key, default = (cell.strip() for cell in line.strip().strip("|").split("|"))
        first = re.match(r"`([^`]*)`", env)
        rows[label] = (first.group(1).partition("=")[0] if first else env,
                       (re.match(r"`([^`]*)`", key) or re.match("()", "")).group(1), default, line)
    return rows


def test_every_setting_is_a_row_of_the_readme_and_every_row_a_setting():
    rows = readme_settings()
    assert list(rows) == [setting.label for setting in SETTINGS]
    for setting in SETTINGS:
        env, key, default, line = rows[setting.label]
        assert env == setting.env, line
        assert key == (setting.key or ""), line
        assert default.startswith(setting.shown_default), (line, setting.shown_default)


def test_settings_are_named_once():
    assert len({s.env for s in SETTINGS}) == len(SETTINGS)
    assert len({s.key for s in SETTINGS if s.key}) == len([s for s in SETTINGS if s.key])
    assert all(s.env.startswith("FASHIONAI_") and s.meaning for s in SETTINGS)


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.env)
def test_the_one_resolver_reads_the_environment_then_secrets_then_the_default(setting):
    secrets = {"fashionai": {setting.key: "from-secrets"}} if setting.key else {}
    assert read_setting(setting, {setting.env: " from-env "}, secrets) == ("from-env",
                                                                          f"{setting.env} environment variable")
    if setting.key:
        assert read_setting(setting, {setting.env: "  "}, secrets) == (
            "from-secrets", f".streamlit/secrets.toml ([fashionai] {setting.key})")
    assert read_setting(setting, {}, {"fashionai": {}}) == (None, "default")


def test_each_resolver_falls_back_to_the_tables_defaults():
    assert config.resolve_settings({}, {}).timeout == config.TIMEOUT.default
    assert config.resolve_settings({}, {}).base_url == config.BASE_URL.default
    assert config.resolve_settings({}, {}).currency == config.CURRENCY.default
    library = config.resolve_library_config({}, {})
    assert (library.max_bytes, library.max_count) == (config.LIBRARY_MAX_BYTES.default,
                                                      config.LIBRARY_MAX_COUNT.default)
    assert config.resolve_audit_config({}, {}).max_calls == config.AUDIT_MAX_CALLS.default
    assert config.resolve_image_hosts({}, {}) == ()


def test_a_zero_limit_in_the_secrets_file_means_no_limit_as_in_the_environment():
    """One resolver, one reading: ``history_max_count = 0`` in secrets.toml is no limit, as the variable's 0 is."""
    from_secrets = config.resolve_history_config({"FASHIONAI_HISTORY_URL": "h.db"},
                                                 {"fashionai": {"history_max_count": 0}})
    from_env = config.resolve_history_config({"FASHIONAI_HISTORY_URL": "h.db", "FASHIONAI_HISTORY_MAX_COUNT": "0"})
    assert from_secrets.max_count is None and from_env.max_count is None


def test_only_the_table_of_settings_names_a_settings_variable_as_a_value():
    """No module reads FASHIONAI_* itself (``os.environ["FASHIONAI_TIMEOUT"]``): the app and the CLI read
    every setting through config's resolver, over the table. Messages that mention a variable in a sentence are
    fine."""
    import ast

    names = {setting.env for setting in SETTINGS}
    found = []
    for path in APP_SOURCES:
        for node in nodes(path):
            if isinstance(node, ast.Constant) and node.value in names:
                found.append(path.relative_to(ROOT).as_posix())
    assert set(found) == {"fashionai/_settings_table.py"}


def test_the_cli_and_the_app_read_the_same_secrets_file(tmp_path):
    from fashionai.audit import cli
    from fashionai.ui import deployment

    assert cli.read_secrets is config.read_secrets and deployment.SECRETS_PATH is config.SECRETS_PATH
    (tmp_path / "secrets.toml").write_text('[fashionai]\naudit_max_calls = 0\n', encoding="utf-8")
    assert config.resolve_audit_config({}, config.read_secrets(tmp_path / "secrets.toml")).max_calls is None
    (tmp_path / "bad.toml").write_text("[fashionai\n", encoding="utf-8")
    with pytest.raises(config.ConfigError, match="could not be read"):
        config.read_secrets(tmp_path / "bad.toml")
