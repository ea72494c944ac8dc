"""The roster commands end to end: JSON contract, Markdown and tables, scenarios, schema, errors as one line."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from org_helpers import HERE, ROSTERS
from typer.testing import CliRunner

from advisor.cli import app
from advisor.org.findings import load_rules
from advisor.org.reference import METRICS
from advisor.org.schema import COLUMNS

PROBLEM = str(ROSTERS / "problem_team.csv")
COMMON = ["--as-of", "2025-12-31", "--benchmarks", str(HERE / "benchmarks.yaml")]


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


@pytest.fixture(autouse=True)
def _home(advisor_home: Path) -> None:
    """Every CLI test runs with its own ADVISOR_HOME."""


def test_analyze_json_is_the_documented_contract() -> None:
    code, out = _run(
        "analyze", PROBLEM, *COMMON, "--profile", str(ROSTERS / "org_profile.yaml"), "--format", "json"
    )
    assert code == 0
    payload = json.loads(out)
    assert set(payload) == {"metrics", "findings", "errors", "definitions"}
    metrics = {m["id"]: m for m in payload["metrics"]}
    assert set(metrics) == set(METRICS)
    assert metrics["sdr_turnover_rate"]["value"] == 40.0
    assert {"id", "value", "unit", "formula", "by", "inputs", "note"} <= set(metrics["turnover_rate"])
    assert metrics["span_of_control_mean"]["by"]["manager"]["M1"] == 15
    finding = next(f for f in payload["findings"] if f["id"] == "span_manager_above_range:M1")
    assert finding["benchmark"]["source"] and finding["message_zh"] and finding["topics"]
    assert payload["definitions"]["period_start"] == "2024-12-31"
    assert payload["errors"] == []


def test_metric_units_match_the_reference() -> None:
    code, out = _run("analyze", PROBLEM, *COMMON, "--format", "json")
    assert code == 0
    assert {m["id"]: m["unit"] for m in json.loads(out)["metrics"]} == {
        k: unit for k, (unit, _) in METRICS.items()
    }


def test_analyze_markdown_and_table_print_the_same_numbers() -> None:
    code, markdown = _run("analyze", PROBLEM, *COMMON, "--format", "md")
    assert code == 0
    assert "| `sdr_turnover_rate` | 40.0% |" in markdown and "| `sdr_ae_ratio` | 1:1.3 |" in markdown
    code, table = _run("analyze", PROBLEM, *COMMON, "--by", "manager")
    assert code == 0
    assert "40.0%" in table and "1:1.3" in table and "span_manager_above_range:M1" in table


def test_status_export_with_mapping_options(tmp_path: Path) -> None:
    path = tmp_path / "hr.csv"
    path.write_text("Emp,JobRole,Dept,Attrition,YearsAtCompany\n1,Sales Executive,Sales,Yes,0\n"
                    "2,Sales Representative,Sales,No,3\n3,Manager,R&D,No,4\n")  # fmt: skip
    code, out = _run(
        "analyze", str(path), *COMMON, "--map", "Emp=rep_id", "--map", "Dept=department",
        "--where", "department=Sales", "--map-value", "role:Sales Representative=sdr", "--format", "json",
    )  # fmt: skip
    assert code == 0, out
    payload = json.loads(out)
    metrics = {m["id"]: m["value"] for m in payload["metrics"]}
    assert (metrics["headcount_start"], metrics["turnover_rate"], metrics["sdr_ae_ratio"]) == (2, 50.0, 0.0)
    assert "simple attrition rate" in payload["definitions"]["attrition_definition"]


def test_scenario_reports_every_metric(tmp_path: Path) -> None:
    args = ["scenario", PROBLEM, *COMMON, "--move", "inside:3", "--hire", "sdr:2", "--add-manager", "1",
            "--attrition", "-5pp"]  # fmt: skip
    code, out = _run(*args, "--format", "json")
    assert code == 0
    result = json.loads(out)
    assert [d["id"] for d in result["deltas"]] == list(METRICS)
    assert len(result["applied"]) == 4
    code, table = _run(*args)
    assert code == 0 and "span_of_control_max" in table and "-7 reports" in table
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps({"hire": {"sdr": 2}}))
    code, out = _run("scenario", PROBLEM, *COMMON, "--spec", str(spec), "--format", "md")
    assert code == 0 and "| `headcount_end` | 31 | 33 | +2 |" in out


def test_schema_documents_every_column_value_metric_and_finding() -> None:
    code, out = _run("schema")
    assert code == 0
    for column in COLUMNS:
        assert f"`{column.name}`" in out
    for metric_id in METRICS:
        assert f"`{metric_id}`" in out
    for rule in load_rules():
        assert f"`{rule.id}`" in out
    assert "销售发展代表" in out and "YYYY年M月D日" in out and "--add-manager" in out
    code, out = _run("schema", "--format", "json")
    assert code == 0 and {"columns", "values", "metrics", "findings", "scenarios", "profile"} <= set(
        json.loads(out)
    )


def test_validate_lists_issues_and_strict_fails_with_one_error_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("rep_id,role,hire_date\n1,ae,2024-01-01\n1,wizard,2024-13-01\n")
    code, out = _run("validate", str(path), "--as-of", "2025-12-31", "--format", "json")
    assert code == 0
    issues = json.loads(out)["issues"]
    assert {(i["row"], i["column"]) for i in issues} == {(3, "rep_id"), (3, "role"), (3, "hire_date")}
    code, out = _run("validate", str(path), "--as-of", "2025-12-31", "--strict")
    assert code == 1
    assert out.strip().splitlines()[-1] == f"Error: 3 issue(s) in {path}; fix them or run without --strict."
    code, out = _run("analyze", str(path), "--as-of", "2025-12-31", "--strict")
    assert code == 1 and "Traceback" not in out and "Error: " in out


@pytest.mark.parametrize(
    "content,message",
    [
        (b"", "is empty"),
        (b"rep_id,role,hire_date\n", "header but no rows"),
        (b"a:b:c\n1:2:3\n", "No roster columns recognised"),
        (b'rep_id,role,hire_date\n1,ae,"2024\n', "could not be read as CSV"),
    ],
)
def test_bad_files_give_one_error_line_and_no_traceback(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "in.csv"
    path.write_bytes(content)
    code, out = _run("analyze", str(path))
    assert code == 1
    assert "Traceback" not in out
    assert out.startswith("Error: ") and message in out


def test_bad_options_are_one_error_line() -> None:
    assert _run("analyze", PROBLEM, "--as-of", "31/12/2025")[1].startswith("Error: --as-of expects a date")
    assert _run("analyze", PROBLEM, "--format", "xml")[1].startswith("Error: --format must be one of")
    assert _run("scenario", PROBLEM, "--move", "sideways:2")[1].startswith("Error: --move expects")


def test_clean_and_issue_csv_exports_neutralise_formulas(tmp_path: Path) -> None:
    path = tmp_path / "evil.csv"
    path.write_text(
        'rep_id,name,role,hire_date\n1,"=HYPERLINK(""http://x"")",ae,2024-01-01\n2,+SUM(A1),=cmd,2024-01-01\n'
    )
    clean = tmp_path / "clean.csv"
    code, out = _run(
        "validate", str(path), "--as-of", "2025-12-31", "--format", "csv", "--clean-csv", str(clean)
    )
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows[0]["value"] == "'=cmd"
    cleaned = list(csv.DictReader(clean.open(encoding="utf-8")))
    assert cleaned[0]["name"] == '\'=HYPERLINK("http://x")' and cleaned[0]["hire_date"] == "2024-01-01"


def test_the_readme_sample_is_what_analyze_prints() -> None:
    readme = (HERE.parents[1] / "README.md").read_text(encoding="utf-8")
    intro = readme.index("What the rules layer says about a small team with known problems")
    start = readme.index("```\n", intro) + 4
    block = readme[start : readme.index("\n```", start)]
    code, out = _run("analyze", PROBLEM, "--as-of", "2025-12-31", "--format", "md")  # the bundled benchmarks
    printed = out.splitlines()
    assert code == 0
    sample = [line for line in block.splitlines() if line]
    assert len(sample) >= 8 and [line for line in sample if line not in printed] == []
