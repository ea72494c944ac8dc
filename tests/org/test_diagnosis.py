"""The diagnosis on hand-built rosters: each rule's direction and preconditions, group signals and scale."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from org_helpers import AS_OF, DIRECTOR, csv_bytes, roster_of, team

from advisor.org.analysis import OrgAnalysis, analyze
from advisor.org.benchmarks import BenchmarkSet
from advisor.org.roster import load_roster
from advisor.org.types import Benchmark


def _analysis(rows: list[dict[str, Any]], benchmarks: BenchmarkSet, **options: Any) -> OrgAnalysis:
    return analyze(roster_of(rows, **options), benchmarks=benchmarks)


def _ids(result: OrgAnalysis) -> set[str]:
    return {finding.id for finding in result.findings}


def test_under_spanned_teams_fire_the_below_side_only(benchmarks: BenchmarkSet) -> None:
    rows = [DIRECTOR, *team("M1", 4), *team("M2", 5, territory="South"), *team("M3", 4, territory="East")]
    result = _analysis(rows, benchmarks)
    span = {f.id: f for f in result.findings if f.id.startswith("span_")}
    assert set(span) == {"span_mean_below_range", "span_manager_below_range"}
    grouped = span["span_manager_below_range"]
    assert grouped.direction == "below" and grouped.severity == "low"
    assert grouped.title == "3 managers have fewer than 6 reports"
    assert [g["group"] for g in grouped.evidence["groups"]] == ["M1", "M3", "M2"]  # furthest out first
    assert "Consolidate these teams or widen their spans" in grouped.message
    assert "add a manager" not in grouped.message.lower()


def test_over_spanned_team_fires_the_above_side_and_escalates(benchmarks: BenchmarkSet) -> None:
    rows = [DIRECTOR, *team("M1", 14), *team("M2", 8, territory="South")]
    finding = next(f for f in _analysis(rows, benchmarks).findings if f.id.startswith("span_manager"))
    assert finding.id == "span_manager_above_range:M1"
    assert (finding.direction, finding.severity) == ("above", "high")  # 14 >= 13
    assert finding.title == "Manager Lead M1 has 14 reports"
    assert "(CEB, 2014)" in finding.message and "benchmarks.md" not in finding.message


def test_a_manager_with_one_report_is_a_small_low_problem_in_the_singular(benchmarks: BenchmarkSet) -> None:
    rows = [DIRECTOR, *team("M1", 1), *team("M2", 8, territory="South")]
    finding = next(f for f in _analysis(rows, benchmarks).findings if f.id.startswith("span_manager"))
    assert finding.id == "span_manager_below_range:M1"
    assert finding.severity == "low"
    assert finding.title == "Manager Lead M1 has only 1 report"
    assert "1 reports" not in finding.message and "player-coach" in finding.message


def test_no_exit_data_names_the_columns_instead_of_turnover_findings(benchmarks: BenchmarkSet) -> None:
    rows = [{k: v for k, v in row.items() if k != "exit_date"} for row in [DIRECTOR, *team("M1", 7)]]
    result = _analysis(rows, benchmarks)
    missing = next(f for f in result.findings if f.id == "turnover_not_measurable")
    assert missing.direction == "missing"
    assert "exit_date" in missing.message and "exit_reason" in missing.message
    assert "exit_date" in missing.message_zh
    assert not {"turnover_above_benchmark", "early_attrition_high", "turnover_cost_estimate"} & _ids(result)


def test_an_org_without_sdrs_gets_no_sdr_findings(benchmarks: BenchmarkSet) -> None:
    result = _analysis([DIRECTOR, *team("M1", 7), *team("M2", 7, territory="South")], benchmarks)
    assert not [f for f in result.findings if "sdr" in f.id]


def test_reps_with_no_bookings_are_listed_by_name(benchmarks: BenchmarkSet) -> None:
    rows = [DIRECTOR, *team("M1", 6)]
    rows[2]["bookings"] = 0
    rows[3]["bookings"] = 0
    rows.append({**rows[4], "rep_id": "NEW", "name": "New Rep", "hire_date": "2025-11-01", "bookings": 0})
    finding = next(f for f in _analysis(rows, benchmarks).findings if f.id == "signal:no_bookings")
    assert finding.title == "2 quota carriers have no bookings"
    assert [p["rep_id"] for p in finding.evidence["people"]] == [
        "M1-1",
        "M1-2",
    ]  # the 2-month hire is ramping
    assert "Rep M1-1 (M1-1)" in finding.message and "$0" in finding.message


def _with_pipeline(rows: list[dict[str, Any]], zero: set[str]) -> list[dict[str, Any]]:
    """Rows with an open pipeline of $900k per rep, $0 for the reps in `zero` (managers and directors blank)."""
    return [{**row, "pipeline": "" if row["role"] != "ae" else 0 if row["rep_id"] in zero else 900000}
            for row in rows]  # fmt: skip


def test_reps_with_no_pipeline_are_listed_by_name_and_the_metric_excludes_leaders(
    benchmarks: BenchmarkSet,
) -> None:
    rows = _with_pipeline([DIRECTOR, *team("M1", 6)], zero={"M1-2", "M1-5"})
    rows.append({**rows[3], "rep_id": "NEW", "name": "New Rep", "hire_date": "2025-11-01", "pipeline": 0})
    result = _analysis(rows, benchmarks)
    finding = next(f for f in result.findings if f.id == "signal:no_pipeline")
    assert finding.title == "2 quota carriers have no open pipeline"
    assert [p["rep_id"] for p in finding.evidence["people"]] == [
        "M1-2",
        "M1-5",
    ]  # the 2-month hire is ramping
    assert finding.message.startswith(
        "2 active quota carriers past their first 3 months have $0 open pipeline: "
    )
    assert "Rep M1-2 (M1-2)" in finding.message and finding.title_zh == "2 名有配额的销售没有在途商机"
    metric = next(m for m in result.metrics if m.id == "pipeline_per_rep")
    assert metric.value == pytest.approx(900000 * 4 / 7)  # 7 active quota carriers, the new hire included
    assert metric.inputs == {"pipeline_usd": 3600000.0, "active_quota_carriers": 7.0}
    assert "signal:no_bookings" not in _ids(result)


def test_no_pipeline_column_means_no_pipeline_finding(benchmarks: BenchmarkSet) -> None:
    result = _analysis([DIRECTOR, *team("M1", 6)], benchmarks)
    assert "signal:no_pipeline" not in _ids(result)
    metric = next(m for m in result.metrics if m.id == "pipeline_per_rep")
    assert metric.value is None and "Add a pipeline column" in metric.note


def test_a_team_with_little_pipeline_stands_out(benchmarks: BenchmarkSet) -> None:
    rows = _with_pipeline(
        [DIRECTOR, *team("M1", 4), *team("M2", 4), *team("M3", 4), *team("M4", 4)], zero=set()
    )
    rows = [{**row, "pipeline": 200000} if row.get("manager_id") == "M4" else row for row in rows]
    finding = next(
        f for f in _analysis(rows, benchmarks).findings if f.id.startswith("signal:pipeline_per_rep")
    )
    assert finding.id == "signal:pipeline_per_rep:manager:M4"
    assert finding.evidence["median"] == pytest.approx(900000) and finding.evidence["value"] == 200000


def test_one_outlier_manager_stands_out_against_the_median(benchmarks: BenchmarkSet) -> None:
    rows = [DIRECTOR, *team("M1", 6), *team("M2", 6), *team("M3", 6), *team("M4", 6, bookings=300000)]
    result = _analysis(rows, benchmarks)
    finding = next(f for f in result.findings if f.id.startswith("signal:revenue_per_rep:manager"))
    assert finding.id == "signal:revenue_per_rep:manager:M4"
    assert finding.evidence["median"] == pytest.approx(600000)
    assert finding.evidence["value"] == pytest.approx(300000)
    assert finding.title == "Revenue per rep: manager Lead M4 stands out"
    assert "median of $600,000 across 4 manager groups" in finding.message
    assert "Test:" in finding.message  # the test is stated
    attainment = next(f for f in result.findings if f.id.startswith("signal:quota_attainment_share:manager"))
    assert attainment.evidence["groups"][0]["group"] == "M4"


def test_one_outlier_territory_stands_out(benchmarks: BenchmarkSet) -> None:
    rows = [DIRECTOR, *team("M1", 6, territory="North"), *team("M2", 6, territory="South"),
            *team("M3", 6, territory="West", bookings=350000)]  # fmt: skip
    ids = _ids(_analysis(rows, benchmarks))
    assert "signal:revenue_per_rep:territory:West" in ids
    assert not any(i.startswith("signal:revenue_per_rep:territory:North") for i in ids)


def test_small_groups_and_small_gaps_do_not_stand_out(benchmarks: BenchmarkSet) -> None:
    rows = [
        DIRECTOR,
        *team("M1", 6),
        *team("M2", 6),
        *team("M3", 6, bookings=500000),
        *team("M4", 1, bookings=0),
    ]
    ids = _ids(_analysis(rows, benchmarks))
    assert not any(
        i.startswith("signal:revenue_per_rep:manager") for i in ids
    )  # M3 is 17% off; M4 has 1 person


def test_findings_scale_by_grouping_managers(benchmarks: BenchmarkSet) -> None:
    rows: list[dict[str, Any]] = [DIRECTOR]
    for number in range(30):
        rows += team(f"M{number:02d}", 2 + number % 3)
    result = _analysis(rows, benchmarks)
    grouped = [f for f in result.findings if f.id.startswith("span_manager")]
    assert [f.id for f in grouped] == ["span_manager_below_range"]
    assert grouped[0].evidence["count"] == 30 and len(grouped[0].evidence["groups"]) == 30
    assert grouped[0].title == "30 managers have fewer than 6 reports"
    assert "the 10 furthest out are Lead M00 (2 reports)" in grouped[0].message


def test_the_as_of_date_follows_the_data_and_is_stated(benchmarks: BenchmarkSet) -> None:
    rows = [DIRECTOR, *team("M1", 6)]
    rows[-1]["exit_date"] = "2024-10-31"
    roster = load_roster(csv_bytes(rows), filename="t.csv")
    assert (roster.as_of, roster.as_of_basis) == (date(2024, 10, 31), "latest event")
    definitions = analyze(roster, benchmarks=benchmarks).to_json()["definitions"]
    assert definitions["as_of"] == "2024-10-31"
    assert definitions["as_of_basis"] == "the latest hire or exit in the roster (no as-of date given)"
    given = analyze(roster, benchmarks=benchmarks, as_of=AS_OF)
    assert given.as_of_basis == "the as-of date given"


def test_distributions_are_rules_layer_metrics(benchmarks: BenchmarkSet) -> None:
    rows = [DIRECTOR, *team("M1", 4, hired="2025-09-01")]
    rows[2]["bookings"] = 200000  # 33%
    rows[3]["bookings"] = 900000  # 150%
    result = _analysis(rows, benchmarks)
    tenure = result.metric("tenure_distribution")
    attainment = result.metric("attainment_distribution")
    assert tenure is not None and attainment is not None
    assert tenure.by["tenure_band"] == {"0-6": 4.0, "6-12": 0.0, "12-24": 0.0, "24-36": 0.0, "36-": 2.0}
    assert attainment.by["attainment_band"] == {"0-50": 1.0, "50-75": 0.0, "75-100": 0.0, "100-125": 2.0,
                                                "125-": 1.0}  # fmt: skip


def test_territory_load_never_counts_managers(benchmarks: BenchmarkSet) -> None:
    rows = [
        DIRECTOR,
        *team("M1", 4, territory="North", quota=None),
        *team("M2", 4, territory="South", quota=None),
    ]
    rows += [{**row, "territory": "North"} for row in team("M3", 0, quota=None)]  # a manager with no team
    load = _analysis(rows, benchmarks).metric("territory_load_cv")
    assert load is not None and load.inputs["load"] == {"North": 4.0, "South": 4.0} and load.value == 0


def test_one_benchmark_per_metric_primary_then_newest() -> None:
    def bench(ident: str, year: int | None, secondary: bool) -> Benchmark:
        return Benchmark(
            "turnover_rate", None, 20, "%", f"Source {ident}", year, secondary, id=ident, publisher=ident
        )

    choices = BenchmarkSet(
        (bench("old", 2010, False), bench("new-secondary", 2020, True), bench("new", 2016, False))
    )
    chosen = choices.chosen("turnover_rate")
    assert chosen is not None and chosen.id == "new" and chosen.citation == "new, 2016"
    assert [b.id for b in choices.for_metric("turnover_rate")] == ["new", "old", "new-secondary"]
    assert choices.chosen("span_of_control_mean") is None


def test_a_crm_export_without_dates_gives_span_territory_and_revenue(benchmarks: BenchmarkSet) -> None:
    rows = [{"rep name": "Ann Agent", "manager": "Moe Manager", "region": "West", "title": "Account Executive",
             "target": 400000, "revenue": 0},
            {"rep name": "Bo Agent", "manager": "Moe Manager", "region": "East", "title": "Account Executive",
             "target": 400000, "revenue": 500000},
            {"rep name": "Moe Manager", "manager": "", "region": "West", "title": "Sales Manager", "target": "",
             "revenue": ""}]  # fmt: skip
    roster = load_roster(csv_bytes(rows), filename="crm.csv")
    assert roster.definition == "undated" and roster.as_of_basis == "today"
    result = analyze(roster, benchmarks=benchmarks)
    values = {m.id: m.value for m in result.metrics}
    assert values["span_of_control_mean"] == 2 and values["revenue_per_rep"] == 250000
    assert values["territory_load_cv"] == 0 and values["turnover_rate"] is None
    assert {"turnover_not_measurable", "signal:no_bookings"} <= _ids(result)


def test_hires_are_sized_per_segment_from_capacity_and_ramp(benchmarks: BenchmarkSet) -> None:
    from advisor.org.profile import Profile

    rows = [
        DIRECTOR,
        *team("M1", 6, segment="mid_market"),
        *team("M2", 6, segment="enterprise", territory="South"),
    ]
    profile = Profile(bookings_target_usd=12 * 600000 * 1.5, expected_turnover_pct=0)
    result = analyze(roster_of(rows), benchmarks=benchmarks, profile=profile)
    hires = result.metric("hires_by_segment")
    assert hires is not None
    # gap 10.8M - 7.2M = 3.6M, shared half and half; over 12 months a mid-market hire yields
    # 600k x (0 + .25 + .5 + .75 + 1 x 8) / 12 = 475k -> 1.8M / 475k = 3.8 -> 4 hires; an enterprise hire
    # 600k x (0 + .125 + ... + .875 + 1 x 4) / 12 = 375k -> 1.8M / 375k = 4.8 -> 5 hires
    assert hires.by["segment"] == {"enterprise": 5.0, "mid_market": 4.0}
    assert hires.value == 9
    assert hires.inputs["yield_per_hire_usd"] == pytest.approx({"enterprise": 375000, "mid_market": 475000})


def test_a_status_export_says_its_turnover_is_not_annualised(benchmarks: BenchmarkSet) -> None:
    rows = [{"rep_id": f"S{i}", "role": "sdr", "attrition": "Yes" if i < 4 else "No", "tenure_years": 2}
            for i in range(10)]  # fmt: skip
    finding = next(f for f in _analysis(rows, benchmarks).findings if f.id == "sdr_turnover_above_benchmark")
    assert finding.message.startswith("SDR turnover is 40.0% over the period as a simple attrition rate (4 ")
    assert finding.message_zh.startswith("SDR 期内简单流失率为 40.0%")
    leavers = [
        {**row, "rep_id": f"L{n}", "exit_date": "2025-06-30"} for n, row in enumerate(team("M1", 4)[1:])
    ]
    dated = _analysis([DIRECTOR, *team("M1", 7), *leavers], benchmarks)
    assert "a year" in next(f for f in dated.findings if f.id == "turnover_above_benchmark").message


def test_sdr_turnover_is_judged_by_its_own_rule_not_again_as_a_role_signal(benchmarks: BenchmarkSet) -> None:
    rows = [{"rep_id": f"{role}{i}", "role": role, "attrition": "Yes" if i < leavers else "No", "tenure_years": 2}
            for role, leavers in (("sdr", 5), ("ae", 2), ("am", 2), ("se", 2)) for i in range(10)]  # fmt: skip
    ids = _ids(_analysis(rows, benchmarks))
    assert "sdr_turnover_above_benchmark" in ids
    assert not [finding_id for finding_id in ids if finding_id.startswith("signal:turnover_rate:role")]
