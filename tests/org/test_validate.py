"""Validation reports every problem at once with row, column, value and reason; no row is dropped silently."""

from __future__ import annotations

import pandas as pd
import pytest
from org_helpers import AS_OF, csv_bytes

from advisor.org.roster import RosterError, load_roster

BASE = {"rep_id": "", "name": "", "role": "ae", "manager_id": "", "hire_date": "2024-01-01", "exit_date": "",
        "exit_reason": "", "channel": "", "quota": ""}  # fmt: skip


def _row(**values: str) -> dict[str, str]:
    return BASE | values


def _values(series: pd.Series) -> list[object]:
    return [None if pd.isna(value) else value for value in series]


BAD = [
    _row(rep_id="M1", role="manager"),  # row 2: fine
    _row(rep_id="", manager_id="M1"),  # row 3: missing id
    _row(rep_id="A1", manager_id="M1"),  # row 4: fine
    _row(rep_id="A1", manager_id="M1"),  # row 5: duplicate of row 4
    _row(rep_id="A2", hire_date="2024-05-01", exit_date="2024-02-01"),  # row 6: exit before hire
    _row(rep_id="A3", hire_date="2026-03-01"),  # row 7: hired after the as-of date
    _row(rep_id="A4", quota="-100"),  # row 8: negative quota
    _row(rep_id="A5", role="Wizard"),  # row 9: unknown role
    _row(rep_id="A6", manager_id="GHOST"),  # row 10: manager not in roster (warning)
    _row(rep_id="A7", role=""),  # row 11: missing role
    _row(rep_id="A8", hire_date="yesterday"),  # row 12: unreadable date
    _row(rep_id="A9", exit_date="2026-01-15", exit_reason="voluntary"),  # row 13: exit after as-of (warning)
    _row(rep_id="A10", channel="teleport"),  # row 14: unknown channel (warning)
    _row(rep_id="A11", quota="lots"),  # row 15: not a number
    _row(rep_id="A12", hire_date=""),  # row 16: missing hire date
]
EXPECTED = {
    (3, "rep_id", "", "error"),
    (5, "rep_id", "A1", "error"),
    (6, "exit_date", "2024-02-01", "error"),
    (7, "hire_date", "2026-03-01", "error"),
    (8, "quota", "-100", "error"),
    (9, "role", "Wizard", "error"),
    (10, "manager_id", "GHOST", "warning"),
    (11, "role", "", "error"),
    (12, "hire_date", "yesterday", "error"),
    (13, "exit_date", "2026-01-15", "warning"),
    (14, "channel", "teleport", "warning"),
    (15, "quota", "lots", "error"),
    (16, "hire_date", "", "error"),
}


def test_every_problem_is_reported_with_row_column_value_and_severity() -> None:
    roster = load_roster(csv_bytes(BAD), filename="bad.csv", as_of=AS_OF)
    found = {(issue.row, issue.column, issue.value, issue.severity) for issue in roster.issues}
    assert found == EXPECTED
    assert all(issue.reason for issue in roster.issues)


def test_rows_with_errors_are_set_aside_and_counted_never_dropped_silently() -> None:
    roster = load_roster(csv_bytes(BAD), filename="bad.csv", as_of=AS_OF)
    error_rows = {row for row, _, _, severity in EXPECTED if severity == "error"}
    assert roster.set_aside == len(error_rows)
    assert len(roster.df) + roster.set_aside == len(BAD)
    assert set(roster.df["source_row"]) == set(range(2, 2 + len(BAD))) - error_rows


def test_warnings_keep_the_row_and_ignore_the_value() -> None:
    roster = load_roster(csv_bytes(BAD), filename="bad.csv", as_of=AS_OF)
    kept = roster.df.set_index("rep_id")
    assert pd.isna(kept.loc["A6", "manager_id"])
    assert pd.isna(kept.loc["A10", "channel"])
    assert str(kept.loc["A9", "exit_date"].date()) == "2026-01-15"


def test_reasons_say_what_to_do() -> None:
    roster = load_roster(csv_bytes(BAD), filename="bad.csv", as_of=AS_OF)
    reasons = {(issue.row, issue.column): issue.reason for issue in roster.issues}
    assert reasons[(5, "rep_id")] == "duplicate rep_id (first used on row 4)"
    assert "use one of sdr, ae" in reasons[(9, "role")]
    assert "YYYY-MM-DD" in reasons[(12, "hire_date")]
    assert "after the as-of date 2025-12-31" in reasons[(7, "hire_date")]


def test_strict_fails_with_every_issue_attached() -> None:
    with pytest.raises(RosterError, match="has 13 problem") as caught:
        load_roster(csv_bytes(BAD), filename="bad.csv", as_of=AS_OF, strict=True)
    assert len(caught.value.issues) == len(EXPECTED)


def test_cycles_in_reporting_lines_are_reported_and_cut() -> None:
    rows = [
        _row(rep_id="A", role="manager", manager_id="B"),
        _row(rep_id="B", role="manager", manager_id="C"),
        _row(rep_id="C", role="manager", manager_id="A"),
        _row(rep_id="D", manager_id="A"),  # leads into the cycle but is not on it
        _row(rep_id="E", role="manager", manager_id="E"),  # own manager
        _row(rep_id="F", manager_id="E"),
    ]
    roster = load_roster(csv_bytes(rows), filename="cycle.csv", as_of=AS_OF)
    flagged = {issue.value for issue in roster.issues if "cycle" in issue.reason}
    assert {(issue.row, issue.value) for issue in roster.issues} == {(2, "B"), (3, "C"), (4, "A"), (6, "E")}
    assert flagged == {"A", "B", "C", "E"}
    managers = dict(zip(roster.df["rep_id"], _values(roster.df["manager_id"]), strict=True))
    assert managers == {"A": None, "B": None, "C": None, "D": "A", "E": None, "F": "E"}


def test_manager_names_are_resolved_to_ids() -> None:
    rows = [
        _row(rep_id="1", name="Ann Boss", role="manager"),
        _row(rep_id="2", name="Bo Rep", manager_id="Ann Boss"),
        _row(rep_id="3", name="Cy Rep", manager_id="Ann Boss"),
    ]
    roster = load_roster(csv_bytes(rows), filename="names.csv", as_of=AS_OF)
    assert _values(roster.df["manager_id"]) == [None, "1", "1"]
    assert roster.issues == []


def test_manager_pointing_at_a_set_aside_row_says_so() -> None:
    rows = [_row(rep_id="M", role="manager", hire_date="bad"), _row(rep_id="R", manager_id="M")]
    roster = load_roster(csv_bytes(rows), filename="m.csv", as_of=AS_OF)
    assert any("set aside" in issue.reason and issue.row == 3 for issue in roster.issues)


@pytest.mark.parametrize("quota", ["inf", "-inf", "1e309", "9" * 400, "Infinity", "2e12"])
def test_implausible_numbers_are_set_aside_not_accepted(quota: str) -> None:
    roster = load_roster(csv_bytes([_row(rep_id="A1", quota=quota)]), filename="q.csv", as_of=AS_OF)
    assert roster.df.empty and roster.set_aside == 1
    assert [(issue.row, issue.column) for issue in roster.errors] == [(2, "quota")]
    assert "implausibly large" in roster.errors[0].reason or "not a number" in roster.errors[0].reason


def test_json_infinity_as_quota_is_set_aside() -> None:
    data = b'[{"rep_id": "1", "role": "ae", "hire_date": "2024-01-01", "quota": Infinity}]'
    roster = load_roster(data, filename="q.json", as_of=AS_OF)
    assert [(issue.row, issue.column, issue.value) for issue in roster.errors] == [(1, "quota", "Infinity")]


@pytest.mark.parametrize("tenure", ["inf", "1e15", "1201"])
def test_implausible_tenure_is_an_issue_not_an_overflow(tenure: str) -> None:
    data = csv_bytes([{"rep_id": "1", "role": "ae", "tenure_months": tenure}])
    roster = load_roster(data, filename="t.csv", as_of=AS_OF)
    assert roster.set_aside == 1
    assert ("tenure_months", "tenure_months is implausibly large: at most 1,200 is accepted") in {
        (issue.column, issue.reason) for issue in roster.errors
    }


@pytest.mark.parametrize("hire", ["0001-01-01", "1677-09-21", "1949-12-31"])
def test_dates_before_1950_are_set_aside(hire: str) -> None:
    roster = load_roster(csv_bytes([_row(rep_id="A1", hire_date=hire)]), filename="d.csv", as_of=AS_OF)
    assert [(issue.column, issue.reason) for issue in roster.errors] == [
        ("hire_date", "hire_date is outside 1950-01-01 to 2027-01-01: check the year")
    ]


def test_exit_more_than_a_year_past_the_as_of_date_is_an_error() -> None:
    rows = [_row(rep_id="A1", exit_date="2026-06-30"), _row(rep_id="A2", exit_date="2030-01-01")]
    roster = load_roster(csv_bytes(rows), filename="d.csv", as_of=AS_OF)
    assert [(issue.row, issue.severity) for issue in roster.issues] == [(2, "warning"), (3, "error")]


def test_date_range_is_configurable() -> None:
    from advisor.org.validate import Plausible, validate

    text = pd.DataFrame({"rep_id": ["1"], "role": ["ae"], "hire_date": ["1940-01-01"]})
    rows = pd.Series([2])
    assert validate(text, rows, as_of=AS_OF).set_aside == 1
    assert (
        validate(
            text, rows, as_of=AS_OF, plausible=Plausible(earliest_date=AS_OF.replace(year=1900))
        ).set_aside
        == 0
    )
