"""The IBM HR sample: a real-shaped status export nobody on the team wrote (Sales department, 446 people)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from org_helpers import AS_OF

from advisor.org.analysis import compute_metrics
from advisor.org.benchmarks import BenchmarkSet
from advisor.org.roster import Roster, load_roster

IBM = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "ibm-hr-attrition.csv"
MAPPING = {
    "JobRole": "role",
    "Department": "department",
    "Attrition": "attrition",
    "YearsAtCompany": "tenure_years",
}
# IBM's "Sales Representative" is the junior, prospecting role: treat it as SDR for this sample.
VALUES = {"role": {"Sales Representative": "sdr"}}


@pytest.fixture(scope="module")
def ibm() -> Roster:
    if not IBM.exists():
        pytest.skip(f"{IBM} is absent: ../shared only exists in the team's workspace")
    return load_roster(IBM, mapping=MAPPING, value_map=VALUES, where={"department": "Sales"}, as_of=AS_OF)


@pytest.fixture(scope="module")
def sales_rows() -> list[dict[str, str]]:
    """The same rows read with the csv module, for independent expectations."""
    if not IBM.exists():
        pytest.skip(f"{IBM} is absent")
    with IBM.open(encoding="utf-8-sig", newline="") as handle:
        return [row for row in csv.DictReader(handle) if row["Department"] == "Sales"]


def test_sales_department_imports_as_a_status_export(ibm: Roster, sales_rows: list[dict[str, str]]) -> None:
    assert len(ibm.df) == len(sales_rows) == 446
    assert ibm.filtered_out == 1470 - 446
    assert ibm.issues == [] and ibm.set_aside == 0
    assert ibm.definition == "status"
    assert any("generated from row numbers" in str(note) for note in ibm.notes)
    assert ibm.df["rep_id"].iloc[0] == "row-2"  # the first data line of the file is a Sales employee


def test_metrics_match_counts_taken_directly_from_the_file(
    ibm: Roster, sales_rows: list[dict[str, str]]
) -> None:
    metrics = {m.id: m for m in compute_metrics(ibm, benchmarks=BenchmarkSet())}
    leavers = [row for row in sales_rows if row["Attrition"] == "Yes"]
    stayers = [row for row in sales_rows if row["Attrition"] == "No"]
    assert metrics["headcount_start"].value == 446
    assert metrics["separations"].value == len(leavers) == 92
    assert metrics["turnover_rate"].value == pytest.approx(92 / 446 * 100)
    sdr = [row for row in sales_rows if row["JobRole"] == "Sales Representative"]
    sdr_leavers = sum(row["Attrition"] == "Yes" for row in sdr)
    assert metrics["sdr_turnover_rate"].value == pytest.approx(sdr_leavers / len(sdr) * 100)
    early = sum(row["YearsAtCompany"] == "0" for row in leavers)
    assert metrics["early_attrition_share"].value == pytest.approx(early / len(leavers) * 100)
    tenure = sum(float(row["YearsAtCompany"]) * 12 for row in stayers) / len(stayers)
    assert metrics["avg_tenure_months"].value == pytest.approx(tenure)
    assert (
        metrics["span_of_control_mean"].value is None and "manager_id" in metrics["span_of_control_mean"].note
    )
