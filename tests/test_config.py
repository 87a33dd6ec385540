from pathlib import Path

import pytest

from fashionai.client import DEFAULT_BASE_URL
from fashionai.config import ConfigError, resolve_settings

TOKEN = "tok-SECRET-1234567890-abcd"


def test_no_token_means_simulator_with_default_endpoint():
    settings = resolve_settings({}, {})
    assert settings.backend == "simulator"
    assert not settings.is_live
    assert settings.base_url == DEFAULT_BASE_URL
    assert settings.token is None
    assert settings.token_source == "not set"
    assert settings.token_hint == "not set"


def test_environment_token_means_live():
    settings = resolve_settings({"FASHIONAI_APP_TOKEN": TOKEN}, {})
    assert settings.backend == "live"
    assert settings.token == TOKEN
    assert "FASHIONAI_APP_TOKEN" in settings.token_source


def test_secrets_token_and_base_url_are_used_when_environment_is_silent():
    secrets = {"fashionai": {"app_token": TOKEN, "base_url": "http://127.0.0.1:9/api/v1"}}
    settings = resolve_settings({}, secrets)
    assert settings.is_live
    assert settings.base_url == "http://127.0.0.1:9/api/v1"
    assert "secrets.toml" in settings.token_source
    assert "secrets.toml" in settings.base_url_source


def test_environment_wins_over_secrets():
    secrets = {"fashionai": {"app_token": "from-secrets-xxxx", "base_url": "http://a.example/api"}}
    env = {"FASHIONAI_APP_TOKEN": TOKEN, "FASHIONAI_BASE_URL": "https://b.example/api/v1"}
    settings = resolve_settings(env, secrets)
    assert settings.token == TOKEN
    assert settings.base_url == "https://b.example/api/v1"


def test_backend_simulator_forces_the_simulator_even_with_a_token():
    settings = resolve_settings({"FASHIONAI_APP_TOKEN": TOKEN, "FASHIONAI_BACKEND": "Simulator"}, {})
    assert settings.backend == "simulator"
    assert settings.forced_simulator


def test_blank_token_counts_as_no_token():
    assert resolve_settings({"FASHIONAI_APP_TOKEN": "   "}, {}).backend == "simulator"


def test_catalog_path_and_timeout():
    settings = resolve_settings({"FASHIONAI_CATALOG": "/data/store.csv", "FASHIONAI_TIMEOUT": "2.5"}, {})
    assert settings.catalog_path == Path("/data/store.csv")
    assert settings.timeout == 2.5


@pytest.mark.parametrize("value", ["soon", "0", "-1", "nan", "1000"])
def test_bad_timeout_is_a_clear_error(value):
    with pytest.raises(ConfigError, match="FASHIONAI_TIMEOUT"):
        resolve_settings({"FASHIONAI_TIMEOUT": value}, {})


def test_base_url_must_be_http():
    with pytest.raises(ConfigError, match="http"):
        resolve_settings({"FASHIONAI_BASE_URL": "catalog.api.fashionai.dev"}, {})


def test_token_never_in_repr_or_str():
    settings = resolve_settings({"FASHIONAI_APP_TOKEN": TOKEN}, {})
    assert TOKEN not in repr(settings)
    assert TOKEN not in str(settings)
    assert settings.token_hint == "…abcd"


def test_short_token_hint_reveals_nothing():
    assert resolve_settings({"FASHIONAI_APP_TOKEN": "abc123"}, {}).token_hint == "…(short token)"


def test_malformed_secrets_section_is_ignored():
    assert resolve_settings({}, {"fashionai": "oops"}).backend == "simulator"
