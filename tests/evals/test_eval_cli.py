"""`advisor eval` as a user and CI run it: exit 0 when every threshold is met, 1 with a precise message when not."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from evals.cases import suite_names

ADVISOR = Path(sys.executable).with_name("advisor")
ARTICLE = """---
id: {id}
title: "{title}"
lang: en
topics: [{topic}]
source: "test"
---

# {title}

{body}
"""


def run_cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("ADVISOR_")}
    full_env.update(env)
    return subprocess.run([str(ADVISOR), *args], capture_output=True, text=True, env=full_env, timeout=600)


def test_an_unknown_suite_is_one_error_line(tmp_path: Path) -> None:
    result = run_cli("eval", "nosuch", "--no-ingest", env={"ADVISOR_HOME": str(tmp_path)})
    assert result.returncode == 1
    assert result.stderr.startswith("Error: No eval suite `nosuch` in ")
    known = ", ".join(suite_names())
    assert {"answers", "plans", "refusal", "retrieval", "smoke"} <= set(suite_names())
    assert f"known suites: {known}." in result.stderr
    assert "Traceback" not in result.stderr


@pytest.fixture
def tiny_kb(tmp_path: Path) -> dict[str, str]:
    """A knowledge folder of two articles and a home for its store."""
    knowledge = tmp_path / "knowledge" / "en"
    knowledge.mkdir(parents=True)
    (knowledge / "span.md").write_text(ARTICLE.format(
        id="span-en", title="Span of control", topic="span_of_control",
        body="A first-line sales manager coaches best with six to eight direct reports. Beyond ten reports "
             "coaching time per rep collapses and managers stop reviewing deals."), encoding="utf-8")  # fmt: skip
    (knowledge / "onboarding.md").write_text(ARTICLE.format(
        id="onboarding-en", title="Onboarding new sales reps", topic="onboarding",
        body="A structured onboarding programme with shadowing, product training and a ramp plan keeps new "
             "sales hires from leaving in their first year."), encoding="utf-8")  # fmt: skip
    return {
        "ADVISOR_HOME": str(tmp_path / "home"),
        "ADVISOR_KNOWLEDGE_DIR": str(tmp_path / "knowledge"),
        "ADVISOR_BUNDLED_KNOWLEDGE": "false",
    }


def suite_file(folder: Path, threshold: float) -> Path:
    path = folder / "mine.yaml"
    cases = [
        {"id": "span", "question": "How many direct reports should a sales manager coach?", "lang": "en",
         "split": "dev", "gold": ["span-en"]},
        {"id": "onboarding", "question": "How do we stop new sales hires leaving in the first year?", "lang": "en",
         "split": "test", "gold": ["span-en"]},  # deliberately wrong gold: the onboarding article answers it
    ]  # fmt: skip
    path.write_text(yaml.safe_dump({"suite": "mine", "kind": "retrieval", "thresholds": {"hit@1": threshold},
                                    "cases": cases}), encoding="utf-8")  # fmt: skip
    return path


@pytest.mark.integration
def test_exit_zero_when_thresholds_are_met_with_json_and_junit(
    tiny_kb: dict[str, str], tmp_path: Path
) -> None:
    out, junit = tmp_path / "run.json", tmp_path / "run.xml"
    result = run_cli("eval", str(suite_file(tmp_path, 0.5)), "--json", str(out), "--junit", str(junit),
                     "--modes", "all", env=tiny_kb)  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "All thresholds met." in result.stdout
    run = json.loads(out.read_text(encoding="utf-8"))
    scores = run["suites"][0]["aggregates"]["all"]
    assert (scores["hit@1"], scores["dense/hit@1"] is not None, scores["keyword/hit@1"] is not None) == (
        0.5,
        True,
        True,
    )
    assert run["kb_fingerprint"] and run["model"]["embedding_model"] == "all-MiniLM-L6-v2"
    assert ET.parse(junit).getroot().find("testsuite").get("failures") == "1"  # type: ignore[union-attr]


@pytest.mark.integration
def test_exit_one_names_the_score_the_gap_and_the_cases(tiny_kb: dict[str, str], tmp_path: Path) -> None:
    result = run_cli("eval", str(suite_file(tmp_path, 0.9)), env=tiny_kb)
    assert result.returncode == 1
    assert (
        "FAIL mine: hit@1 is 0.500, below the threshold 0.900 (by 0.400); cases: onboarding" in result.stdout
    )
