"""Settings precedence (flags > env > advisor.toml > defaults), validation and provenance."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor.bundled import KNOWLEDGE_DIR
from advisor.config import Settings, load_settings, setting_sources
from advisor.errors import ConfigError


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No ADVISOR_* variables except a config file path that does not exist yet."""
    import os

    for key in list(os.environ):
        if key.startswith("ADVISOR_"):
            monkeypatch.delenv(key)
    toml = tmp_path / "advisor.toml"
    monkeypatch.setenv("ADVISOR_CONFIG", str(toml))
    return toml


def test_defaults(clean_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    settings = load_settings()
    home = tmp_path / "xdg" / "sales-structure-advisor"
    assert settings.home == home  # the per-user data folder, whatever the working directory
    assert settings.chat_backend == "local"
    assert settings.port == 8000
    assert settings.state_url == f"sqlite:///{home / 'state.db'}"
    assert settings.chroma_path == home / "chroma"
    assert settings.knowledge_dirs == [KNOWLEDGE_DIR]
    assert set(setting_sources().values()) == {"default"}


def test_toml_overrides_default(clean_env: Path) -> None:
    clean_env.write_text("port = 9001\nretrieval_k = 7\n", encoding="utf-8")
    settings = load_settings()
    assert (settings.port, settings.retrieval_k) == (9001, 7)
    sources = setting_sources()
    assert sources["port"] == str(clean_env)
    assert sources["host"] == "default"


def test_env_overrides_toml(clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    clean_env.write_text("port = 9001\n", encoding="utf-8")
    monkeypatch.setenv("ADVISOR_PORT", "9002")
    assert load_settings().port == 9002
    assert setting_sources()["port"] == "env ADVISOR_PORT"


def test_explicit_overrides_env(clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ADVISOR_PORT", "9002")
    assert load_settings(port=9003).port == 9003


def test_home_moves_all_state(clean_env: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ADVISOR_HOME", str(tmp_path / "elsewhere"))
    settings = load_settings()
    assert settings.chroma_path == tmp_path / "elsewhere" / "chroma"
    assert settings.state_url == f"sqlite:///{tmp_path / 'elsewhere' / 'state.db'}"


def test_unknown_env_setting_is_rejected(clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ADVISOR_PROT", "80")
    with pytest.raises(ConfigError, match="Unknown setting ADVISOR_PROT"):
        load_settings()


def test_unknown_toml_key_is_rejected(clean_env: Path) -> None:
    clean_env.write_text('colour = "blue"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="colour"):
        load_settings()


def test_invalid_value_names_the_setting(clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ADVISOR_CHAT_BACKEND", "gpt")
    with pytest.raises(ConfigError, match="`chat_backend`"):
        load_settings()


def test_broken_toml_names_the_file(clean_env: Path) -> None:
    clean_env.write_text("port = \n", encoding="utf-8")
    with pytest.raises(ConfigError, match="advisor.toml is not valid TOML"):
        load_settings()


def test_empty_optional_url_means_unset(clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ADVISOR_CHROMA_URL", "")
    assert load_settings().chroma_url is None


def test_every_setting_is_documented() -> None:
    assert all(field.description for field in Settings.model_fields.values())
