"""Scenarios: each edit does exactly what its docstring says, and every metric gets before, after and delta."""

from __future__ import annotations

from pathlib import Path

import pytest
from org_helpers import AS_OF, DIRECTOR, roster_of, team

from advisor.errors import InputError
from advisor.org.benchmarks import BenchmarkSet
from advisor.org.profile import Profile
from advisor.org.roster import Roster
from advisor.org.scenarios import ScenarioSpec, apply_edits, run_scenario, spec_from_cli


def _deltas(
    roster: Roster, spec: ScenarioSpec, **options: object
) -> dict[str, tuple[object, object, object]]:
    result = run_scenario(roster, spec, benchmarks=BenchmarkSet(), **options)  # type: ignore[arg-type]
    return {d.id: (d.before, d.after, d.delta) for d in result.deltas}


def test_every_metric_has_before_after_and_delta(problem_team: Roster) -> None:
    result = run_scenario(problem_team, ScenarioSpec(), benchmarks=BenchmarkSet())
    assert [d.id for d in result.deltas] == [m.id for m in result.before]
    assert all(d.delta in (0, None) for d in result.deltas)


def test_hiring_sdrs_adds_active_sdrs_on_the_as_of_date(problem_team: Roster) -> None:
    changed, applied, _ = apply_edits(problem_team, ScenarioSpec(hire={"sdr": 2}))
    new = changed.df[changed.df["rep_id"].str.startswith("NEW-SDR")]
    assert new["rep_id"].tolist() == ["NEW-SDR-1", "NEW-SDR-2"]
    assert set(new["hire_date"].dt.date) == {AS_OF}
    # M1 leads the SDRs but has 15 reports, no room: they join the smallest team with room (M3, 4 reports)
    assert set(new["manager_id"]) == {"M3"}
    assert set(new["channel"]) == {"inside"} and set(new["segment"]) == {
        "mid_market"
    }  # the SDRs' most common
    deltas = _deltas(problem_team, ScenarioSpec(hire={"sdr": 2}))
    assert deltas["headcount_end"] == (31, 33, 2)
    assert deltas["headcount_start"][2] == 0
    assert deltas["sdr_ae_ratio"] == pytest.approx((13 / 10, 13 / 12, 13 / 12 - 13 / 10))
    assert deltas["span_of_control_max"] == (15, 15, 0)
    assert deltas["span_of_control_min"] == (4, 6, 2)
    assert str(applied[0]) == (
        "Hired 2 SDR on 2025-12-31, each joining the smallest team with room: NEW-SDR-1 → M3, NEW-SDR-2 → M3."
    )
    assert applied[0].text("zh") == (
        "于 2025-12-31 招聘 2 名销售开发代表，每人加入仍有空位、人数最少的团队：NEW-SDR-1 → M3、NEW-SDR-2 → M3。"
    )


def test_moving_to_inside_takes_the_most_recent_field_reps(problem_team: Roster) -> None:
    changed, applied, warnings = apply_edits(problem_team, ScenarioSpec(move={"inside": 3}))
    before, after = (frame["channel"].astype(object).fillna("") for frame in (problem_team.df, changed.df))
    moved = set(changed.df["rep_id"][after.ne(before)])
    assert moved == {"A14", "A12", "A11"}  # hired 2025-11-15, 2024-02-01, 2023-09-01
    deltas = _deltas(problem_team, ScenarioSpec(move={"inside": 3}))
    assert deltas["inside_share"][1] == pytest.approx(20 / 27 * 100)
    assert warnings == []


def test_moving_more_than_available_warns() -> None:
    roster = roster_of([{"rep_id": "1", "role": "ae", "channel": "field", "hire_date": "2024-01-01"}])
    _, applied, warnings = apply_edits(roster, ScenarioSpec(move={"inside": 3}))
    assert [str(line) for line in warnings] == ["Only 1 active Field reps to move to Inside (asked for 3)."]
    assert [line.text("zh") for line in warnings] == ["只有 1 名在职外勤销售可调整为内勤销售（要求 3 名）。"]
    assert [line.text("zh") for line in applied] == ["将 1 名外勤销售调整为内勤销售：1。"]


def test_adding_a_manager_rebalances_from_the_most_loaded(problem_team: Roster) -> None:
    # M1 15, M2 8, M3 4: the new manager takes from M1 until M1 has fewer than new + 2 -> M1 8, new 7.
    changed, applied, _ = apply_edits(problem_team, ScenarioSpec(add_manager=1))
    managers = changed.df[changed.df["exit_date"].isna()]["manager_id"].value_counts()
    assert (managers["M1"], managers["NEW-MGR-1"], managers["M2"], managers["M3"]) == (8, 7, 8, 4)
    new = changed.df.set_index("rep_id").loc["NEW-MGR-1"]
    assert (new["role"], new["manager_id"], new["channel"]) == ("manager", "D1", "inside")
    deltas = _deltas(problem_team, ScenarioSpec(add_manager=1))
    assert deltas["span_of_control_max"] == (15, 8, -7)
    assert deltas["span_of_control_mean"][1] == pytest.approx(
        27 / 4
    )  # 26 reports + the new manager, 4 managers


def test_attrition_change_moves_only_planning_metrics(problem_team: Roster, org_profile: Profile) -> None:
    result = run_scenario(
        problem_team, ScenarioSpec(attrition_pp=-5), profile=org_profile, benchmarks=BenchmarkSet()
    )
    deltas = {d.id: d for d in result.deltas}
    assert deltas["turnover_rate"].delta == 0
    # reps_needed buffer: 17 carriers x (1/17 - 5%) instead of 17 x 1/17
    assert deltas["reps_needed"].delta == pytest.approx(-17 * 0.05)
    # turnover_cost scales with (16.129% - 5) / 16.129%
    before = deltas["turnover_cost"].before
    assert before is not None
    assert deltas["turnover_cost"].after == pytest.approx(before * (500 / 31 - 5) / (500 / 31))


def test_status_roster_hires_are_not_counted_at_the_period_start() -> None:
    rows = [{"rep_id": str(i), "role": "ae", "Attrition": flag, "YearsAtCompany": "2"}
            for i, flag in enumerate(["No", "No", "Yes", "No"])]  # fmt: skip
    roster = roster_of(rows)
    deltas = _deltas(roster, ScenarioSpec(hire={"ae": 1}))
    assert deltas["headcount_start"] == (4, 4, 0)
    assert deltas["headcount_end"] == (3, 4, 1)


def test_cli_edits_and_spec_files(tmp_path: Path) -> None:
    spec = spec_from_cli(
        move=["inside:3"], hire=["sdr:2", "sdr:1"], add_manager=1, attrition="-5pp", spec_file=None
    )
    assert spec == ScenarioSpec(move={"inside": 3}, hire={"sdr": 3}, add_manager=1, attrition_pp=-5)
    path = tmp_path / "spec.yaml"
    path.write_text("hire: {ae: 2}\nattrition_pp: '+3pp'\n")
    from_file = spec_from_cli(move=[], hire=[], add_manager=0, attrition=None, spec_file=path)
    assert from_file == ScenarioSpec(hire={"ae": 2}, attrition_pp=3)
    for bad in (["inside"], ["outside:2"], ["inside:x"]):
        with pytest.raises(InputError, match="--move expects"):
            spec_from_cli(move=bad, hire=[], add_manager=0, attrition=None, spec_file=None)
    with pytest.raises(InputError, match="percentage points"):
        spec_from_cli(move=[], hire=[], add_manager=0, attrition="less", spec_file=None)
    path.write_text("hire: {ae: 2}\nfire: 3\n")
    with pytest.raises(InputError, match="fire"):
        spec_from_cli(move=[], hire=[], add_manager=0, attrition=None, spec_file=path)


def _team_roster() -> Roster:
    rows = [DIRECTOR, *team("M1", 4, territory="North"), *team("M2", 5, territory="North"),
            *team("M3", 3, territory="South"), *team("M4", 7, territory="South")]  # fmt: skip
    return roster_of(rows)


def test_removing_a_manager_moves_the_team_to_the_same_office_first() -> None:
    changed, applied, warnings = apply_edits(_team_roster(), ScenarioSpec(remove_manager=1))
    df = changed.df.set_index("rep_id")
    # M3 has the fewest reports (3); its reps go to the other South manager, M4, not to the smaller North teams
    assert set(df.loc[["M3-1", "M3-2", "M3-3"], "manager_id"]) == {"M4"}
    assert df.loc["M3", "exit_date"].date() == AS_OF  # leaves the team on the as-of date
    assert warnings == [] and "M3 is redeployed (not a separation)" in str(applied[0])
    assert "M3 转岗（不计为离职）" in applied[0].text("zh")
    deltas = _deltas(_team_roster(), ScenarioSpec(remove_manager=1))
    assert deltas["separations"][2] == 0  # redeployed, not a leaver
    assert deltas["span_of_control_mean"][1] == pytest.approx(19 / 3)


def test_hires_without_reporting_lines_never_report_to_none() -> None:
    roster = roster_of([{"rep_id": "A1", "role": "ae", "hire_date": "2024-01-01", "quota": 500000}])
    _, applied, _ = apply_edits(roster, ScenarioSpec(hire={"ae": 1}))
    assert [str(line) for line in applied] == [
        "Hired 1 Account executive on 2025-12-31, with no manager (the roster has no reporting lines): NEW-AE-1."
    ]
    assert "None" not in applied[0].text("zh")


def test_territory_moves_carry_quota_and_lower_the_load_imbalance() -> None:
    roster = roster_of([DIRECTOR, *team("M1", 8, territory="North"), *team("M2", 2, territory="South")])
    spec = ScenarioSpec(territory_moves=[{"from_territory": "North", "to_territory": "South", "reps": 3}])
    changed, applied, _ = apply_edits(roster, spec)
    before, after = (frame["territory"].fillna("") for frame in (roster.df, changed.df))
    moved = changed.df.loc[after.ne(before), "rep_id"].tolist()
    assert moved == ["M1-1", "M1-2", "M1-3"]  # most recently hired first; all hired the same day: by rep_id
    texts = [str(line) for line in applied]
    assert "Moved 3 reps with their quota and bookings from North to South: M1-1, M1-2, M1-3." in texts
    deltas = _deltas(roster, spec)
    assert deltas["territory_load_cv"][:2] == pytest.approx((60.0, 0.0))  # 8 vs 2 reps' quota -> 5 vs 5


def test_a_faster_ramp_and_lower_segment_attrition_move_the_planning_metrics(
    org_profile: Profile, benchmarks: BenchmarkSet
) -> None:
    roster = roster_of([DIRECTOR, *team("M1", 6, hired="2025-11-03")])  # month 2 of the mid-market ramp
    faster = run_scenario(roster, ScenarioSpec(ramp_months_saved={"mid_market": 2}), profile=org_profile,
                          benchmarks=benchmarks)  # fmt: skip
    capacity = next(d for d in faster.deltas if d.id == "ramped_capacity")
    assert capacity.before == pytest.approx(6 * 600000 * 0.25 * 0.8)  # 0, .25, .5, .75, 1 -> month 2 = .25
    assert capacity.after == pytest.approx(6 * 600000 * 0.75 * 0.8)  # two months saved: .5, .75, 1 -> .75
    calmer = run_scenario(roster, ScenarioSpec(segment_attrition_pp={"mid_market": -5}), profile=org_profile,
                          benchmarks=benchmarks)  # fmt: skip
    # weighted by average headcount: mid-market (1 + 7) / 2 = 4 of (2 + 8) / 2 = 5 -> -5pp x 4/5
    texts = [str(line) for line in calmer.applied]
    assert "Expected turnover changed by -4.00pp for reps_needed and turnover_cost." in texts


def test_every_line_a_scenario_writes_is_worded_from_the_catalogue_in_both_languages() -> None:
    from advisor.plan.labels import labels

    roster = roster_of([DIRECTOR, *team("M1", 8, territory="North"), *team("M2", 2, territory="South")])
    lonely = roster_of([{"rep_id": "1", "role": "ae", "hire_date": "2024-01-01"}])
    spec = ScenarioSpec(hire={"sdr": 2}, move={"inside": 20}, add_manager=1, remove_manager=1,
                        territory_moves=[{"from_territory": "North", "to_territory": "South", "reps": 30}])  # fmt: skip
    lines = [*apply_edits(roster, spec)[1], *apply_edits(roster, spec)[2], *apply_edits(lonely, spec)[2]]
    keys = {line.key for line in lines}
    assert {
        "scenario.hired",
        "scenario.move_short",
        "scenario.territory_short",
        "scenario.no_reporting_lines",
    } <= keys
    assert set(labels("en")["scenario"]) == set(labels("zh")["scenario"])
    for line in lines:
        english, chinese = str(line), line.text("zh")
        assert english == line.to_dict()["text"] and english != chinese
        assert not any(
            word in chinese for word in ("Hired", "Moved", "Added", "reps", "none", " ae ", "sdr")
        ), chinese
