"""`advisor ingest` and `advisor search`: thin commands that print the library's results and one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from advisor.cli import app
from advisor.cli.app import console
from advisor.config import Settings

pytestmark = pytest.mark.integration


@pytest.fixture
def cli(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """A runner whose commands see the test's ADVISOR_HOME and fixture knowledge folder."""
    monkeypatch.setenv("ADVISOR_HOME", str(settings.home))
    monkeypatch.setenv("ADVISOR_KNOWLEDGE_DIR", str(settings.knowledge_dir))
    monkeypatch.setenv("ADVISOR_BUNDLED_KNOWLEDGE", "false")
    monkeypatch.setattr(console, "width", 250)  # wide enough that table cells do not wrap mid-phrase
    return CliRunner()


def test_ingest_prints_a_summary_with_skip_reasons(cli: CliRunner) -> None:
    result = cli.invoke(app, ["ingest"])
    assert result.exit_code == 0, result.output
    assert "6 added, 0 updated, 0 unchanged, 3 skipped, 0 removed" in result.output
    assert "binary file, not text" in result.output and "empty file" in result.output
    again = cli.invoke(app, ["ingest"])
    assert "0 added, 0 updated, 6 unchanged, 3 skipped" in again.output


def test_ingest_of_one_file_and_prune(cli: CliRunner, docs: Path) -> None:
    result = cli.invoke(app, ["ingest", str(docs / "territory-notes.txt")])
    assert "1 files: 1 added" in result.output
    (docs / "territory-notes.txt").unlink()
    pruned = cli.invoke(app, ["ingest", str(docs / "onboarding.html"), "--prune"])
    assert "1 removed" in pruned.output and "source file is gone" in pruned.output


def test_search_prints_passages_and_json(cli: CliRunner) -> None:
    cli.invoke(app, ["ingest"])
    table = cli.invoke(app, ["search", "span of control reps per manager", "--k", "2"])
    assert table.exit_code == 0 and "span-guide" in table.output
    raw = cli.invoke(app, ["search", "倦怠", "--lang", "zh", "--mode", "keyword", "--json"])
    passages = json.loads(raw.output)
    assert passages and {p["lang"] for p in passages} == {"zh"}
    assert {"chunk_id", "doc_id", "section", "score", "scores", "text"} <= set(passages[0])
    topical = json.loads(cli.invoke(app, ["search", "reps", "--topic", "sdr", "--json"]).output)
    assert topical and all("sdr" in p["topics"] for p in topical)


def test_user_errors_are_one_line(cli: CliRunner, tmp_path: Path) -> None:
    bad_mode = cli.invoke(app, ["search", "quota", "--mode", "fuzzy"])
    assert bad_mode.exit_code == 1
    assert "Error: Unknown mode `fuzzy`; use --mode hybrid, dense or keyword." in bad_mode.output
    bad_lang = cli.invoke(app, ["search", "quota", "--lang", "fr"])
    assert "Error: Unknown language `fr`; use --lang en or --lang zh." in bad_lang.output
    missing = cli.invoke(app, ["ingest", str(tmp_path / "nope")])
    assert missing.exit_code == 1 and "Error: No such file or folder" in missing.output
    assert "Traceback" not in bad_mode.output + bad_lang.output + missing.output
