from pathlib import Path

import pytest

from fashionai.api.client import DEFAULT_BASE_URL
from fashionai.config import (
    resolve_image_hosts,
    DEFAULT_MAX_AGE_DAYS,
    ConfigError,
    HistoryError,
    default_history_url,
    normalize_url,
    resolve_history_config,
    resolve_settings,
)
from tests import ROOT

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


@pytest.mark.parametrize("token", ["tok\u00a0en-SECRET", "tok\nen-SECRET", "tokén-SECRET"])
def test_a_live_token_that_cannot_be_sent_is_a_config_error_saying_copy_it_again(token):
    with pytest.raises(ConfigError, match="copy it again") as caught:
        resolve_settings({"FASHIONAI_APP_TOKEN": token}, {})
    assert "SECRET" not in str(caught.value) and "FASHIONAI_APP_TOKEN" in str(caught.value)
    assert not resolve_settings({"FASHIONAI_APP_TOKEN": token, "FASHIONAI_BACKEND": "simulator"}, {}).is_live


def test_a_session_timeout_is_checked_against_its_range():
    from fashionai.config import SESSION_TIMEOUT_RANGE

    settings = resolve_settings({"FASHIONAI_TIMEOUT": "0.3"}, {})
    assert settings.timeout_range() == (0.3, SESSION_TIMEOUT_RANGE[1])  # widened to hold the deployment's
    chosen = settings.with_session_timeout(30)
    assert (chosen.timeout, chosen.default_timeout) == (30.0, 0.3)
    for bad in (0.1, 121, float("nan"), True, "30"):
        with pytest.raises(ConfigError, match=r"from 0\.3 to 120"):
            settings.with_session_timeout(bad)


# --------------------------------------------------------------------------- the history's settings


def test_the_default_history_is_in_the_user_data_folder_not_the_repository(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    url = default_history_url()
    path = Path(normalize_url(url).database)
    assert path == tmp_path / "xdg" / "fashionai-studio" / "history.db"
    assert ROOT not in path.parents


def test_the_address_comes_from_the_environment_then_secrets_then_the_default(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    secrets = {"fashionai": {"history_url": "postgres://u:pw@db.internal/studio", "history_max_count": "500"}}
    env = {"FASHIONAI_HISTORY_URL": "/srv/studio/history.db", "FASHIONAI_HISTORY_MAX_AGE_DAYS": "7"}

    from_env = resolve_history_config(env, secrets)
    assert (from_env.url, from_env.max_age_days, from_env.max_count) == ("/srv/studio/history.db", 7.0, 500)
    assert "FASHIONAI_HISTORY_URL" in from_env.source
    from_secrets = resolve_history_config({}, secrets)
    assert "secrets.toml" in from_secrets.source and "pw" not in repr(from_secrets)
    default = resolve_history_config({}, {})
    assert default.url == default_history_url() and default.max_age_days == DEFAULT_MAX_AGE_DAYS
    assert resolve_history_config({"FASHIONAI_HISTORY_MAX_COUNT": "0"}).max_count is None


@pytest.mark.parametrize("env, words", [
    ({"FASHIONAI_HISTORY_MAX_AGE_DAYS": "a week"}, "FASHIONAI_HISTORY_MAX_AGE_DAYS"),
    ({"FASHIONAI_HISTORY_MAX_COUNT": "-5"}, "whole number"),
    ({"FASHIONAI_HISTORY_MAX_COUNT": "2.5"}, "whole number"),
    ({"FASHIONAI_HISTORY_URL": "mysql://u@h/db"}, "SQLite or PostgreSQL"),
    ({"FASHIONAI_HISTORY_URL": "sqlite+aiosqlite:///x.db"}, "SQLite or PostgreSQL"),
])
def test_a_bad_setting_is_refused_with_a_message(env, words):
    with pytest.raises(HistoryError, match=words):
        resolve_history_config(env)


def test_history_addresses_are_normalised():  # that a store never shows the password: test_history_store.py
    assert normalize_url("postgres://u:pw@h/db").drivername == "postgresql+psycopg"
    assert normalize_url("postgresql://u:pw@h/db").drivername == "postgresql+psycopg"
    assert normalize_url("~/h.db").database == str(Path("~/h.db").expanduser())


# --------------------------------------------------------------------------- image hosts for decks and reports


def test_no_image_host_is_allowed_by_default():
    assert resolve_image_hosts({}) == ()
    assert resolve_image_hosts({"FASHIONAI_IMAGE_HOSTS": "  "}, {"fashionai": {}}) == ()


def test_image_hosts_come_from_the_environment_then_secrets():
    env = {"FASHIONAI_IMAGE_HOSTS": "img.store.com, *.CDN.store.com  img.store.com"}
    assert resolve_image_hosts(env) == ("img.store.com", "*.cdn.store.com")
    secrets = {"fashionai": {"image_hosts": ["img.other.com", "*.cdn.other.com"]}}
    assert resolve_image_hosts({}, secrets) == ("img.other.com", "*.cdn.other.com")
    assert resolve_image_hosts(env, secrets) == ("img.store.com", "*.cdn.store.com")


@pytest.mark.parametrize("bad", ["https://img.store.com", "img.store.com/path", "img.store.com:8443", "*", "*.com",
                                 "img..store.com", "*.*.store.com", "img_store com!", "dead:80"])
def test_an_image_host_that_is_no_host_name_is_refused(bad):
    with pytest.raises(ConfigError, match="FASHIONAI_IMAGE_HOSTS"):
        resolve_image_hosts({"FASHIONAI_IMAGE_HOSTS": bad})
