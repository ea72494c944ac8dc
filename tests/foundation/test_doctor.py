"""`advisor doctor`: every check passes on a working install, and each failure names its fix."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from advisor import doctor
from advisor.cli import app
from advisor.config import load_settings
from advisor.kb.ingest import ingest


def test_an_empty_store_fails_with_the_ingest_fix(tmp_path: Path) -> None:
    result = doctor.check_store(load_settings(home=tmp_path))
    assert (result.ok, result.status) == (False, "FAIL")
    assert result.detail == f"{tmp_path / 'chroma'} is empty"
    assert result.fix.startswith("Run `advisor ingest`")


def test_an_unreachable_chroma_server_names_the_url(tmp_path: Path) -> None:
    result = doctor.check_store(load_settings(home=tmp_path, chroma_url="http://127.0.0.1:9"))
    assert not result.ok
    assert result.fix == "Start the Chroma server at http://127.0.0.1:9 or unset ADVISOR_CHROMA_URL."


def test_a_missing_knowledge_folder_is_named(tmp_path: Path) -> None:
    result = doctor.check_knowledge(load_settings(knowledge_dir=tmp_path / "nowhere"))
    assert not result.ok
    assert result.detail == f"ADVISOR_KNOWLEDGE_DIR {tmp_path / 'nowhere'} is not a folder"


def test_a_missing_benchmarks_file_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(doctor, "BENCHMARKS_FILE", tmp_path / "benchmarks.yaml")
    result = doctor.check_benchmarks(load_settings())
    assert not result.ok and "not found" in result.detail
    assert result.fix == "Reinstall the advisor."


def test_a_missing_gguf_fails_the_model_check_with_the_setting_to_fix(tmp_path: Path) -> None:
    result = doctor.check_models(load_settings(home=tmp_path, chat_model=str(tmp_path / "none.gguf")))
    assert not result.ok
    assert f"No GGUF model at {tmp_path / 'none.gguf'}" in result.detail


def test_a_native_crash_is_reported_with_the_portable_rebuild(tmp_path: Path) -> None:
    crash = [sys.executable, "-c", "import os, signal; os.kill(os.getpid(), signal.SIGSEGV)"]
    result = doctor.check_models(load_settings(home=tmp_path), probe=crash)
    assert not result.ok
    assert "crashed the process with SIGSEGV" in result.detail
    assert result.fix == f"Rebuild llama.cpp with portable flags: {doctor.PORTABLE_REBUILD}"


def test_optional_checks_warn_instead_of_failing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(doctor.shutil, "which", lambda name: None)
    results = [doctor.check_chromium(load_settings()), doctor.check_cjk_font(load_settings())]
    assert [r.status for r in results] == ["warn", "warn"]
    assert [r.fix for r in results] == [
        "sudo apt-get install chromium",
        "sudo apt-get install fonts-wqy-microhei",
    ]


def test_settings_reach_the_probe_as_environment(tmp_path: Path) -> None:
    env = doctor.settings_env(load_settings(home=tmp_path, multilingual_model=True, openai_api_key="k"))
    assert env["ADVISOR_HOME"] == str(tmp_path)
    assert (env["ADVISOR_MULTILINGUAL_MODEL"], env["ADVISOR_OPENAI_API_KEY"]) == ("true", "k")
    assert "ADVISOR_KNOWLEDGE_DIR" not in env  # unset stays unset


def test_cli_exits_1_and_prints_the_fix(advisor_home: Path) -> None:
    result = CliRunner().invoke(app, ["doctor", "--check", "store"])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"FAIL  store       {advisor_home / 'chroma'} is empty",
        "                  fix: Run `advisor ingest` (the first question also ingests the bundled knowledge base).",
    ]


def test_cli_rejects_an_unknown_check() -> None:
    result = CliRunner().invoke(app, ["doctor", "--check", "nope"])
    assert result.exit_code == 1
    assert "Error: No check `nope`; choose from knowledge, benchmarks, store, models" in result.output


@pytest.mark.integration
def test_every_required_check_passes_on_this_install(tmp_path: Path) -> None:
    settings = load_settings(home=tmp_path, knowledge_dir=None)
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "span.md").write_text(
        "# Span\n\nA sales manager coaches six to eight reps well.\n", encoding="utf-8"
    )
    ingest([docs], settings=settings)
    results = doctor.run_checks(settings, ["knowledge", "benchmarks", "store", "models"])
    assert [(r.name, r.status) for r in results] == [
        ("knowledge", "ok"),
        ("benchmarks", "ok"),
        ("store", "ok"),
        ("models", "ok"),
    ], results
    assert "tokens/s" in results[-1].detail
