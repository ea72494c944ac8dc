"""The CLI's edges: exact `Error:` lines, no tracebacks, `--debug` re-raises, `config` shows provenance."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from advisor.cli import app
from advisor.errors import ConfigError

ADVISOR = Path(sys.executable).with_name("advisor")


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The installed `advisor` command as a user runs it."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("ADVISOR_")}
    full_env.update(env or {})
    return subprocess.run([str(ADVISOR), *args], capture_output=True, text=True, env=full_env, timeout=120)


def test_invalid_setting_is_one_line_without_traceback() -> None:
    result = run_cli("config", env={"ADVISOR_CHAT_BACKEND": "bogus"})
    assert result.returncode == 1
    assert result.stderr == (
        "Error: Invalid setting `chat_backend`: Value error, no chat backend `bogus` is registered; choose one "
        "of local, openai (from env, advisor.toml or flags).\n"
    )
    assert "Traceback" not in result.stdout + result.stderr


def test_unknown_setting_error_line() -> None:
    result = run_cli("config", env={"ADVISOR_TEMPERATUR": "1"})
    assert result.returncode == 1
    assert (
        result.stderr
        == "Error: Unknown setting ADVISOR_TEMPERATUR; run `advisor config` to list the valid ones.\n"
    )


def test_debug_shows_the_traceback() -> None:
    result = run_cli("--debug", "config", env={"ADVISOR_CHAT_BACKEND": "bogus"})
    assert result.returncode == 1
    assert "Traceback" in result.stderr
    assert "ConfigError" in result.stderr


def test_config_json_reports_sources(tmp_path: Path) -> None:
    toml = tmp_path / "advisor.toml"
    toml.write_text("retrieval_k = 6\n", encoding="utf-8")
    result = run_cli("config", "--json", env={"ADVISOR_PORT": "8123", "ADVISOR_CONFIG": str(toml)})
    assert result.returncode == 0, result.stderr
    rows = {row["name"]: row for row in json.loads(result.stdout)}
    assert rows["port"] == {**rows["port"], "value": "8123", "source": "env ADVISOR_PORT"}
    assert rows["retrieval_k"]["value"] == "6"
    assert rows["retrieval_k"]["source"] == str(toml)
    assert rows["host"]["source"] == "default"


def test_config_hides_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ADVISOR_API_KEY", "s3cret-value")
    result = CliRunner().invoke(app, ["config", "--json"])
    assert result.exit_code == 0
    assert "s3cret-value" not in result.output
    assert {row["name"]: row["value"] for row in json.loads(result.output)}["api_key"] == "********"


def test_every_command_has_help() -> None:
    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("config", "serve"):
        assert command in result.output
        sub = CliRunner().invoke(app, [command, "--help"])
        assert sub.exit_code == 0 and "Usage" in sub.output


def test_domain_error_under_cli_runner(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken() -> None:
        raise ConfigError("something to fix")

    monkeypatch.setattr("advisor.cli.core.load_settings", broken)
    result = CliRunner().invoke(app, ["config"])
    assert result.exit_code == 1
    assert result.stderr == "Error: something to fix\n"
