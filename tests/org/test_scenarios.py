"""Scenarios: each edit does exactly what its docstring says, and every metric gets before, after and delta."""

from __future__ import annotations

from pathlib import Path

import pytest
from org_helpers import AS_OF, roster_of

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
    assert applied[0] == (
        "Hired 2 sdr on 2025-12-31, each joining the smallest team with room: NEW-SDR-1 → M3, NEW-SDR-2 → M3."
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
    assert warnings == ["Only 1 active field reps to move to inside (asked for 3)."]


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
