"""`advisor plan` end to end, and a plan of the rules layer's own problem fixture with its org profile."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml
from plan_doubles import AS_OF, PROBLEM_ROSTER, REPO, ScriptedChat
from plan_helpers import SECTION_IDS, subsection_text, text_of
from typer.testing import CliRunner

from advisor.cli import app
from advisor.config import Settings
from advisor.org.profile import load_profile
from advisor.org.roster import load_roster
from advisor.plan.draft import draft_plan

FIXTURES = REPO / "tests" / "fixtures" / "rosters"


@pytest.fixture
def cli_env(kb_settings: Settings, monkeypatch: pytest.MonkeyPatch, scripted_chat: ScriptedChat) -> None:
    """The CLI reads its settings from the environment: point it at the ingested knowledge base."""
    monkeypatch.setenv("ADVISOR_HOME", str(kb_settings.home))


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def test_plan_command_writes_markdown(cli_env: None, tmp_path: Path) -> None:
    out = tmp_path / "plans" / "plan.md"
    code, output = _run("plan", str(PROBLEM_ROSTER), "-o", str(out), "--as-of", AS_OF.isoformat(), "--no-ingest",
                        "--goal", "grow enterprise bookings 40%")  # fmt: skip
    assert code == 0, output
    assert f"Wrote {out} (8 sections" in output
    markdown = out.read_text(encoding="utf-8")
    assert markdown.startswith("# Sales organisation restructuring plan")
    assert "**Goal:** grow enterprise bookings 40%" in markdown


def test_plan_command_forces_the_format(cli_env: None, tmp_path: Path) -> None:
    out = tmp_path / "plan.out"
    code, output = _run("plan", str(PROBLEM_ROSTER), "-o", str(out), "--format", "html", "--lang", "zh",
                        "--as-of", AS_OF.isoformat(), "--no-ingest")  # fmt: skip
    assert code == 0, output
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


@pytest.mark.parametrize(
    "args,message",
    [
        (["-o", "plan.docx", "--goal", "x"], "Error: Cannot tell the plan format from `plan.docx`"),
        (["-o", "plan.md"], "Error: A plan needs a roster, a goal, or both"),
        (["-o", "plan.md", "--goal", "x", "--lang", "fr"], "Error: Plans are written in en or zh"),
        (["missing.csv", "-o", "plan.md"], "Error: missing.csv does not exist"),
    ],
)
def test_plan_command_errors_are_one_line(
    cli_env: None, tmp_path: Path, args: list[str], message: str
) -> None:
    code, output = _run("plan", *args, "--no-ingest")
    assert code == 1
    assert output.strip().splitlines()[-1].startswith(message), output
    assert "Traceback" not in output


def test_plan_of_the_rules_layers_problem_team(kb_settings: Settings, scripted_chat: ScriptedChat) -> None:
    roster_file = FIXTURES / "problem_team.csv"
    if not roster_file.exists():
        pytest.skip("the rules layer's problem_team fixture is not in this checkout")
    expected = yaml.safe_load((FIXTURES / "problem_team.expected.yaml").read_text(encoding="utf-8"))
    as_of = date.fromisoformat(str(expected["as_of"]))
    roster = load_roster(roster_file, as_of=as_of)
    profile = load_profile(FIXTURES / "org_profile.yaml")
    plan = draft_plan(roster, settings=kb_settings, profile=profile, as_of=as_of)
    assert [s.id for s in plan.sections] == SECTION_IDS
    assert plan.title.endswith(profile.name)
    diagnosis = text_of(plan.section("diagnosis"))
    assert f"{expected['metrics']['sdr_turnover_rate']:.1f}%" in diagnosis
    spans = expected["by"]["span_of_control_mean"]["manager"]
    assert f"has {spans['M1']} reports" in diagnosis and f"has {spans['M3']} reports" in diagnosis
    capacity = next(
        s for s in plan.section("recommendations").subsections if "Hire for the target" in s.title
    )
    metrics = {m["id"]: m for m in plan.metrics}
    assert metrics["reps_needed"]["value"] == pytest.approx(expected["metrics"]["reps_needed"])
    # hires are sized per segment from capacity and ramp: more than reps_needed, since new hires ramp
    by_segment = metrics["hires_by_segment"]
    assert (
        by_segment["value"] == sum(by_segment["by"]["segment"].values()) >= expected["metrics"]["reps_needed"]
    )
    assert f"hire {int(by_segment['value'])}" in subsection_text(capacity)
