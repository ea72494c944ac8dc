"""Metric definitions, checked against values worked out by hand on small rosters and by an independent model."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from org_helpers import AS_OF, roster_of

from advisor.org.analysis import compute_metrics
from advisor.org.benchmarks import BenchmarkSet, RampCurve
from advisor.org.population import Period
from advisor.org.profile import Profile

NO_BENCHMARKS = BenchmarkSet()


def _metrics(rows: list[dict[str, Any]], **options: Any) -> dict[str, Any]:
    as_of = options.pop("as_of", AS_OF)
    roster = roster_of(rows, as_of=as_of, value_map=options.pop("value_map", None))
    options.setdefault("benchmarks", NO_BENCHMARKS)
    return {metric.id: metric for metric in compute_metrics(roster, **options)}


def test_period_defaults_to_twelve_months_and_counts_calendar_months() -> None:
    assert Period.ending(AS_OF) == Period(date(2024, 12, 31), AS_OF, 12.0)
    assert Period.ending(AS_OF, date(2025, 7, 31)).months == 5.0
    assert Period.ending(AS_OF, date(2025, 6, 30)).months == pytest.approx(6 + 1 / 30.4375)


def test_boundaries_of_active_and_separation() -> None:
    start = date(2024, 12, 31)
    rows = [
        {"rep_id": "1", "role": "ae", "hire_date": str(start)},  # active at start (hired that day) and end
        {
            "rep_id": "2",
            "role": "ae",
            "hire_date": "2020-01-01",
            "exit_date": str(start),
        },  # gone before period
        {"rep_id": "3", "role": "ae", "hire_date": "2020-01-01", "exit_date": str(AS_OF)},  # leaves on as-of
        {"rep_id": "4", "role": "ae", "hire_date": str(AS_OF)},  # hired on as-of: active at end only
        {
            "rep_id": "5",
            "role": "ae",
            "hire_date": "2020-01-01",
            "exit_date": "2025-03-01",
            "exit_reason": "promotion",
        },
        {
            "rep_id": "6",
            "role": "ae",
            "hire_date": "2020-01-01",
            "exit_date": "2025-04-01",
            "exit_reason": "transfer",
        },
        {
            "rep_id": "7",
            "role": "ae",
            "hire_date": "2020-01-01",
            "exit_date": "2025-05-01",
            "exit_reason": "fired",
        },
    ]
    m = _metrics(rows)
    assert m["headcount_start"].value == 5  # 1, 3, 5, 6, 7
    assert m["headcount_end"].value == 2  # 1, 4
    assert m["separations"].value == 2  # 3 (blank reason), 7 (involuntary)
    assert m["voluntary_separations"].value == 0
    assert m["internal_moves"].value == 2
    assert m["internal_moves"].inputs == {"people_in_roster": 7, "promotions": 1, "transfers": 1}
    assert m["turnover_rate"].value == pytest.approx(2 / 3.5 * 100)


def test_short_period_is_annualised() -> None:
    rows = [
        {"rep_id": "1", "role": "ae", "hire_date": "2020-01-01"},
        {
            "rep_id": "2",
            "role": "ae",
            "hire_date": "2020-01-01",
            "exit_date": "2025-09-01",
            "exit_reason": "quit",
        },
    ]
    m = _metrics(rows, period_start=date(2025, 7, 31))
    # 1 separation / ((2 + 1) / 2) over 5 months -> x 12 / 5
    assert m["turnover_rate"].value == pytest.approx(1 / 1.5 * 100 * 12 / 5)
    assert m["turnover_rate"].inputs["period_months"] == 5.0


def test_groups_split_every_count() -> None:
    rows = [
        {"rep_id": "M", "role": "manager", "hire_date": "2019-01-01", "territory": "N"},
        {"rep_id": "a", "role": "sdr", "manager_id": "M", "territory": "N", "hire_date": "2024-06-01",
         "exit_date": "2025-02-01", "exit_reason": "voluntary"},
        {"rep_id": "b", "role": "sdr", "manager_id": "M", "territory": "S", "hire_date": "2023-01-01"},
        {"rep_id": "c", "role": "ae", "manager_id": "M", "territory": "S", "hire_date": "2023-01-01"},
    ]  # fmt: skip
    m = _metrics(rows)
    assert m["separations"].by["role"] == {"sdr": 1.0, "ae": 0.0, "manager": 0.0}
    assert m["sdr_turnover_rate"].value == pytest.approx(1 / 1.5 * 100)
    assert m["sdr_turnover_rate"].by["territory"] == {"N": pytest.approx(100 / 0.5), "S": 0.0}
    assert m["early_attrition_share"].value == 100.0  # a: 245 days
    assert m["turnover_rate"].by["manager"] == {"M": pytest.approx(1 / 2.5 * 100)}


def test_status_export_uses_the_simple_attrition_rate() -> None:
    rows = [
        {"EmployeeNumber": "1", "JobRole": "Sales Executive", "Attrition": "No", "YearsAtCompany": "5"},
        {"EmployeeNumber": "2", "JobRole": "Sales Executive", "Attrition": "Yes", "YearsAtCompany": "0"},
        {"EmployeeNumber": "3", "JobRole": "Manager", "Attrition": "No", "YearsAtCompany": "10"},
        {"EmployeeNumber": "4", "JobRole": "Sales Executive", "Attrition": "Yes", "YearsAtCompany": "3"},
    ]
    m = _metrics(rows)
    assert m["headcount_start"].value == 4 and m["headcount_end"].value == 2
    assert m["turnover_rate"].value == 50.0  # 2 leavers / 4 at the start, not annualised
    assert "simple attrition rate" in m["turnover_rate"].formula
    assert m["early_attrition_share"].value == 50.0  # YearsAtCompany 0 < 12 months
    assert m["avg_tenure_months"].value == pytest.approx((60 + 120) / 2)
    assert m["voluntary_turnover_rate"].value is None
    assert "exit_reason" in m["voluntary_turnover_rate"].note


@pytest.mark.parametrize(
    "metric_id,column",
    [
        ("turnover_rate", "exit_date"),
        ("quota_attainment_share", "quota"),
        ("span_of_control_mean", "manager_id"),
        ("inside_share", "channel"),
        ("territory_load_cv", "territory"),
        ("revenue_per_rep", "bookings"),
        ("ramped_capacity", "quota"),
        ("reps_needed", "bookings_target_usd"),
    ],
)
def test_metric_without_its_column_says_which_to_add(metric_id: str, column: str) -> None:
    m = _metrics([{"rep_id": "1", "role": "ae", "hire_date": "2024-01-01"}])
    assert m[metric_id].value is None
    assert column in m[metric_id].note


def test_sdr_ae_ratio_reads_as_aes_per_sdr_and_needs_sdrs() -> None:
    rows = [
        {"rep_id": str(i), "role": role, "hire_date": "2024-01-01"}
        for i, role in enumerate(["sdr", "ae", "ae", "ae"])
    ]
    assert _metrics(rows)["sdr_ae_ratio"].value == 3.0
    assert _metrics(rows[1:])["sdr_ae_ratio"].value is None


def test_territory_load_falls_back_to_headcount() -> None:
    rows = [
        {"rep_id": str(i), "role": "ae", "hire_date": "2024-01-01", "territory": territory}
        for i, territory in enumerate(["N", "N", "N", "S"])
    ]
    m = _metrics(rows)["territory_load_cv"]
    assert m.inputs["basis"] == "headcount"
    assert m.value == pytest.approx(1 / 2 * 100)  # loads 3 and 1: mean 2, std 1
    assert m.by["territory"] == {"N": 50.0, "S": -50.0}


def test_ramp_uses_the_month_of_tenure_on_the_segment_curve() -> None:
    curves = BenchmarkSet(
        ramp_curves={"enterprise": RampCurve((0.0, 0.25, 0.5)), "sdr": RampCurve((0.0, 1.0))}
    )
    hires = {"a": 10, "b": 40, "c": 70, "d": 400}  # days before as-of: months 0, 1, 2, 13
    rows = [
        {"rep_id": rep, "role": "ae", "segment": "enterprise", "quota": "100",
         "hire_date": str(AS_OF - timedelta(days=days))}
        for rep, days in hires.items()
    ]  # fmt: skip
    profile = Profile(expected_attainment_pct=50, utilisation_pct=80)
    m = _metrics(rows, benchmarks=curves, profile=profile)["ramped_capacity"]
    assert m.inputs["ramped_rep_equivalent"] == pytest.approx(0 + 0.25 + 0.5 + 1)
    assert m.value == pytest.approx(100 * 1.75 * 0.5 * 0.8)
    assert (m.inputs["fully_ramped"], m.inputs["ramping"]) == (1, 3)


def test_reps_needed_adds_the_attrition_buffer() -> None:
    rows = [{"rep_id": str(i), "role": "ae", "hire_date": "2020-01-01", "quota": "500"} for i in range(4)]
    profile = Profile(bookings_target_usd=3000, expected_attainment_pct=100, expected_turnover_pct=25)
    m = _metrics(rows, profile=profile)["reps_needed"]
    # capacity 4 x 500 = 2000; gap 1000 / 500 per rep = 2 hires; + 4 carriers x 25% = 1 leaver
    assert m.value == pytest.approx(3.0)


def test_turnover_cost_per_separation() -> None:
    rows = [
        {"rep_id": "1", "role": "ae", "segment": "smb", "quota": "1200", "hire_date": "2020-01-01",
         "exit_date": "2025-06-01", "exit_reason": "voluntary"},
        {"rep_id": "2", "role": "sdr", "hire_date": "2020-01-01", "exit_date": "2025-06-01"},
    ]  # fmt: skip
    curves = BenchmarkSet(ramp_curves={"smb": RampCurve((0.0, 0.5)), "sdr": RampCurve((0.5,))})
    profile = Profile.model_validate(
        {"expected_attainment_pct": 50,
         "costs": {"recruiting_usd": 10, "onboarding_usd": 5, "vacancy_months": 2, "monthly_salary_usd": 1}}
    )  # fmt: skip
    m = _metrics(rows, benchmarks=curves, profile=profile)["turnover_cost"]
    # AE: 10 + 5 + (1200 x 0.5 / 12) x (2 + 1.5 ramp months lost) - 1 x 2 = 188; SDR: 10 + 5 - 2 = 13
    assert m.value == pytest.approx(188 + 13)


# --- an independent model of the definitions, row by row in plain Python ---------------------------------


def _active(person: dict[str, Any], day: date) -> bool:
    return person["hire"] <= day and (person["exit"] is None or person["exit"] > day)


def _reference(people: list[dict[str, Any]], as_of: date) -> dict[str, float | None]:
    start = date(as_of.year - 1, as_of.month, as_of.day)
    at_start = [p for p in people if _active(p, start)]
    at_end = [p for p in people if _active(p, as_of)]
    leavers = [
        p for p in people if p["exit"] and start < p["exit"] <= as_of and p["reason"] in ("", "voluntary")
    ]
    average = (len(at_start) + len(at_end)) / 2
    managers = [p for p in at_end if p["role"] == "manager"]
    spans = [sum(1 for q in at_end if q["manager"] == m["id"]) for m in managers]
    reps = [p for p in at_end if p["role"] in ("sdr", "ae", "am") and p["channel"] in ("inside", "field")]
    sdrs = [p for p in at_end if p["role"] == "sdr"]
    has_lines = any(p["manager"] for p in people)
    return {
        "headcount_start": len(at_start),
        "headcount_end": len(at_end),
        "separations": len(leavers),
        "turnover_rate": len(leavers) / average * 100 if average else None,
        "early_attrition_share": (
            sum((p["exit"] - p["hire"]).days < 365 for p in leavers) / len(leavers) * 100 if leavers else None
        ),
        "avg_tenure_months": (
            sum((as_of - p["hire"]).days for p in at_end) / len(at_end) / 30.4375 if at_end else None
        ),
        # Without any reporting line in the roster the span cannot be known (not zero).
        "span_of_control_mean": sum(spans) / len(spans) if spans and has_lines else None,
        "span_of_control_max": max(spans) if spans and has_lines else None,
        "sdr_ae_ratio": sum(p["role"] == "ae" for p in at_end) / len(sdrs) if sdrs else None,
        "inside_share": sum(p["channel"] == "inside" for p in reps) / len(reps) * 100 if reps else None,
    }


@st.composite
def _people(draw: st.DrawFn) -> list[dict[str, Any]]:
    size = draw(st.integers(min_value=1, max_value=25))
    people: list[dict[str, Any]] = []
    for number in range(size):
        hire = AS_OF - timedelta(days=draw(st.integers(min_value=0, max_value=2000)))
        leaves = draw(st.booleans())
        exit_ = hire + timedelta(days=draw(st.integers(min_value=0, max_value=900))) if leaves else None
        managers = [p["id"] for p in people if p["role"] == "manager"]
        people.append({
            "id": f"P{number}",
            "role": draw(st.sampled_from(["sdr", "ae", "am", "manager", "se"])),
            "hire": hire,
            "exit": exit_ if exit_ is None or exit_ <= AS_OF else None,
            "reason": draw(st.sampled_from(["", "voluntary", "promotion"])) if leaves else "",
            "channel": draw(st.sampled_from(["inside", "field", "hybrid", ""])),
            "manager": draw(st.sampled_from(managers)) if managers and draw(st.booleans()) else "",
        })  # fmt: skip
    return people


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_people())
def test_metrics_agree_with_an_independent_row_by_row_model(people: list[dict[str, Any]]) -> None:
    rows = [
        {"rep_id": p["id"], "role": p["role"], "hire_date": str(p["hire"]),
         "exit_date": str(p["exit"]) if p["exit"] else "", "exit_reason": p["reason"] if p["exit"] else "",
         "channel": p["channel"], "manager_id": p["manager"]}
        for p in people
    ]  # fmt: skip
    computed = _metrics(rows)
    for metric_id, expected in _reference(people, AS_OF).items():
        value = computed[metric_id].value
        if expected is None:
            assert value is None, metric_id
        else:
            assert value == pytest.approx(expected, rel=1e-9, abs=1e-12), metric_id


@settings(max_examples=30, deadline=None)
@given(_people())
def test_group_counts_add_up_to_the_total(people: list[dict[str, Any]]) -> None:
    rows = [{"rep_id": p["id"], "role": p["role"], "hire_date": str(p["hire"]), "channel": p["channel"]}
            for p in people]  # fmt: skip
    computed = _metrics(rows)
    for metric_id in ("headcount_start", "headcount_end"):
        assert sum(computed[metric_id].by["role"].values()) == computed[metric_id].value
