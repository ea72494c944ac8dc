"""What-if scenarios: apply edits to a copy of the roster and report every metric before, after and the delta.

Edits apply in this order, each on the result of the previous one. Placement rules are explicit:

- `hire` ({role: n}, CLI `--hire sdr:2`): adds n active people of that role hired on the as-of date, one at a time.
  Each joins the team with the fewest active reports among the managers already leading that role that still have
  room (fewer than 10), else any manager with room, else the smallest team (with a warning); ties by rep_id. The
  hire takes that team's most common channel, segment and territory (the role's most common when the team has none).
  Without reporting lines the hire has no manager and the text says so. A quota-carrying hire gets the median quota
  of the role's active quota carriers and no bookings yet (so attainment is unchanged). Ids are NEW-<ROLE>-1, ...
- `move` ({inside|field: n}, CLI `--move inside:3`; `move_segment` limits it to one segment): moves n active reps
  (sdr, ae, am) from the other channel to that channel, most recently hired first, ties by rep_id.
- `territory_moves` ([{from_territory, to_territory, reps}]): moves the n most recently hired active reps of one
  territory, with their quota and bookings (their accounts), to another; they keep their manager.
- `add_manager` (n, CLI `--add-manager 1`): adds n active managers (NEW-MGR-1, ...) hired on the as-of date. Each
  takes the office (territory), channel, segment and own manager of the manager with the most active direct
  reports, then takes reports one at a time (the donor's most recently hired first) from whichever manager has the
  most, while that manager has at least two more than the new one.
- `remove_manager` (n, CLI `--remove-manager 1`): consolidates the n active managers with the fewest active reports
  (ties by rep_id). Each one's reports move one at a time, most recently hired first, to the remaining active
  manager with the fewest reports in the same territory (else the same segment, else any). The removed manager is
  redeployed out of the team: an exit on the as-of date as a transfer (not a separation); a status roster drops
  the row.
- `ramp_months_saved` ({sdr|smb|mid_market|enterprise: months}): that ramp curve loses its first months, so
  ramping people reach each step sooner (ramped_capacity, reps_needed and turnover_cost move).
- `attrition_pp` (CLI `--attrition -5pp`) and `segment_attrition_pp` ({segment: pp}): change expected annual
  turnover by that many percentage points (never below 0) in the planning metrics; a segment's change counts with
  its share of average headcount. reps_needed's attrition buffer (base: the profile's expected_turnover_pct, else
  the measured turnover of quota carriers) and turnover_cost (base: expected_turnover_pct, else the measured
  turnover_rate; the measured cost is scaled by new rate ÷ measured rate) move; measured turnover metrics do not.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from advisor.errors import InputError
from advisor.org.analysis import clean_json, compute_metrics, population
from advisor.org.benchmarks import BenchmarkSet
from advisor.org.messages import Message, MessageError, message
from advisor.org.metrics import SPAN_RANGE
from advisor.org.profile import Profile
from advisor.org.roster import Roster
from advisor.org.schema import QUOTA_ROLES, REP_ROLES, ROLES
from advisor.org.types import Metric
from advisor.org.validate import CATEGORIES

_ROLE = {"role": "role"}  # values that are roster codes, worded as the catalogue names them
_CHANNELS = {"source": "channel", "target": "channel"}
_AMOUNT = re.compile(r"^\s*([-+]?\d+(?:\.\d+)?)\s*(pp)?\s*$")


class TerritoryMove(BaseModel):
    """Move reps, with their quota and bookings, from one territory to another."""

    model_config = ConfigDict(extra="forbid")

    from_territory: str
    to_territory: str
    reps: int = Field(gt=0)


class ScenarioSpec(BaseModel):
    """The edits of one scenario (see the module docstring for exactly what each does)."""

    model_config = ConfigDict(extra="forbid")

    hire: dict[Literal["sdr", "ae", "am", "se", "manager", "director", "other"], int] = Field(
        default_factory=dict
    )
    move: dict[Literal["inside", "field"], int] = Field(default_factory=dict)
    move_segment: Literal["smb", "mid_market", "enterprise"] | None = None
    territory_moves: list[TerritoryMove] = Field(default_factory=list)
    add_manager: int = Field(default=0, ge=0)
    remove_manager: int = Field(default=0, ge=0)
    ramp_months_saved: dict[Literal["sdr", "smb", "mid_market", "enterprise"], float] = Field(
        default_factory=dict
    )
    attrition_pp: float = 0.0
    segment_attrition_pp: dict[Literal["smb", "mid_market", "enterprise"], float] = Field(
        default_factory=dict
    )

    @field_validator("hire", "move")
    @classmethod
    def _positive(cls, value: dict[str, int]) -> dict[str, int]:
        if any(count < 0 for count in value.values()):
            raise ValueError("counts must be 0 or more")
        return value

    @field_validator("attrition_pp", mode="before")
    @classmethod
    def _points(cls, value: Any) -> Any:
        return parse_points(value) if isinstance(value, str) else value


@dataclass(frozen=True)
class MetricDelta:
    """One metric before and after a scenario."""

    id: str
    unit: str
    before: float | None
    after: float | None
    delta: float | None


@dataclass
class ScenarioResult:
    """Before and after metrics, their deltas, and what was done (or could not be done) to the roster."""

    spec: ScenarioSpec
    before: list[Metric]
    after: list[Metric]
    deltas: list[MetricDelta]
    applied_messages: list[Message] = field(default_factory=list)  # what was done, line by line
    warning_messages: list[Message] = field(default_factory=list)  # what could not be done

    @property
    def applied(self) -> list[str]:
        """What was done to the roster, in English."""
        return [str(line) for line in self.applied_messages]

    @property
    def warnings(self) -> list[str]:
        """What could not be done, in English."""
        return [str(line) for line in self.warning_messages]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: `applied` and `warnings` in English, and each line as a catalogue key with its values."""
        return clean_json(
            {
                "spec": self.spec.model_dump(),
                "applied": self.applied,
                "warnings": self.warnings,
                "applied_messages": [line.to_dict() for line in self.applied_messages],
                "warning_messages": [line.to_dict() for line in self.warning_messages],
                "deltas": [dataclasses.asdict(delta) for delta in self.deltas],
                "before": [metric.to_dict() for metric in self.before],
                "after": [metric.to_dict() for metric in self.after],
            }
        )


def parse_points(text: str) -> float:
    """`-5pp`, `-5` or `+3pp` as percentage points."""
    match = _AMOUNT.match(str(text))
    if not match:
        raise MessageError("errors.points", value=str(text))
    return float(match.group(1))


def parse_counts(pairs: list[str], *, option: str, allowed: tuple[str, ...]) -> dict[str, int]:
    """`inside:3` style pairs into {key: count}, summing repeats."""
    counts: dict[str, int] = {}
    for pair in pairs:
        key, _, number = pair.partition(":")
        key = key.strip().lower()
        if key not in allowed or not number.strip().isdigit():
            raise InputError(f"{option} expects KEY:N with KEY one of {', '.join(allowed)}, got {pair!r}.")
        counts[key] = counts.get(key, 0) + int(number)
    return counts


def spec_from_cli(
    *,
    move: list[str],
    hire: list[str],
    add_manager: int,
    attrition: str | None,
    spec_file: Path | None,
    remove_manager: int = 0,
) -> ScenarioSpec:
    """Build a spec from command-line edits, on top of an optional JSON/YAML spec file."""
    base: dict[str, Any] = {}
    if spec_file is not None:
        try:
            base = yaml.safe_load(Path(spec_file).read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise InputError(f"Cannot read scenario spec {spec_file}: {exc}") from exc
        if not isinstance(base, dict):
            raise InputError(
                f"Scenario spec {spec_file} must be a mapping (hire, move, add_manager, attrition_pp)."
            )
    payload = dict(base)
    if move:
        payload["move"] = parse_counts(move, option="--move", allowed=("inside", "field"))
    if hire:
        payload["hire"] = parse_counts(hire, option="--hire", allowed=ROLES)
    if add_manager:
        payload["add_manager"] = add_manager
    if remove_manager:
        payload["remove_manager"] = remove_manager
    if attrition is not None:
        payload["attrition_pp"] = parse_points(attrition)
    try:
        return ScenarioSpec.model_validate(payload)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise InputError(f"Scenario `{where}`: {first['msg']} (see `advisor schema`).") from exc


def _mode(values: pd.Series) -> Any:
    counts = values.dropna().value_counts()
    counts = counts[counts > 0]  # a categorical column counts its unused categories as 0
    return counts.index[0] if len(counts) else None


def _active(df: pd.DataFrame, as_of: date) -> pd.Series:
    hire = df["hire_date"] if "hire_date" in df else pd.Series(pd.NaT, index=df.index)
    limit = pd.Timestamp(as_of)
    active = ~(hire > limit)
    if "exit_date" in df:
        active &= df["exit_date"].isna() | (df["exit_date"] > limit)
    if "left" in df:
        active &= ~df["left"].astype(bool)
    return active


def _report_counts(df: pd.DataFrame, active: pd.Series) -> pd.Series:
    managers = df.loc[active & df["role"].eq("manager"), "rep_id"]
    if "manager_id" not in df:
        return pd.Series(0, index=managers, dtype="int64")
    counts = df.loc[active, "manager_id"].value_counts()
    return counts.reindex(managers, fill_value=0).astype("int64")


def _new_ids(df: pd.DataFrame, prefix: str, count: int) -> list[str]:
    taken, number = set(df["rep_id"]), 1
    ids: list[str] = []
    while len(ids) < count:
        candidate = f"{prefix}-{number}"
        if candidate not in taken:
            ids.append(candidate)
        number += 1
    return ids


def _append(df: pd.DataFrame, rows: list[dict[str, Any]]) -> pd.DataFrame:
    added = pd.DataFrame(rows).reindex(columns=df.columns)
    combined = pd.concat([df.astype(object), added.astype(object)], ignore_index=True)
    for column in df.columns:
        if column in CATEGORIES:
            combined[column] = pd.Categorical(combined[column], categories=CATEGORIES[column])
        elif column in ("hire_date", "exit_date"):
            combined[column] = pd.to_datetime(combined[column]).astype("datetime64[s]")
        elif column in ("quota", "bookings", "tenure_months", "source_row"):
            combined[column] = pd.to_numeric(combined[column], errors="coerce")
        elif column == "left":
            combined[column] = combined[column].fillna(False).astype(bool)
    return combined


def _lead_of(df: pd.DataFrame, active: pd.Series, role: str) -> tuple[str | None, int]:
    """The placement rule for one hire: (manager id, their active reports) or (None, 0) without reporting lines.

    The hire joins the team with the fewest active reports among the managers leading that role that still have
    room (under the top of the span range); else any manager with room; else the smallest team. Ties by rep_id.
    """
    counts = _report_counts(df, active)
    if "manager_id" not in df or counts.empty:
        return None, 0
    leading = counts[counts.index.isin(df.loc[active & df["role"].eq(role), "manager_id"].dropna())]
    roomy = counts[counts < SPAN_RANGE[1]]
    for candidates in (leading[leading < SPAN_RANGE[1]], roomy, counts):
        if not candidates.empty:
            lead, reports = sorted(candidates.items(), key=lambda item: (item[1], str(item[0])))[0]
            return str(lead), int(reports)
    return None, 0


def _hire(
    df: pd.DataFrame, spec: ScenarioSpec, as_of: date, applied: list[Message], warnings: list[Message]
) -> pd.DataFrame:
    for role, count in spec.hire.items():
        if count == 0:
            continue
        placed: list[Message | str] = []
        crowded = False
        for rep_id in _new_ids(df, f"NEW-{role.upper()}", count):
            active = _active(df, as_of)
            peers = df.loc[active & df["role"].eq(role)]
            lead, reports = _lead_of(df, active, role)
            crowded |= lead is not None and reports >= SPAN_RANGE[1]
            team = peers[peers["manager_id"].eq(lead)] if lead is not None else peers
            row: dict[str, Any] = {"rep_id": rep_id, "name": f"New {role.upper()} {rep_id.rsplit('-', 1)[1]}",
                                   "role": role, "hire_date": pd.Timestamp(as_of), "left": False,
                                   "tenure_months": 0.0}  # fmt: skip
            for column in ("channel", "segment", "territory", "product_line"):
                if column in df:
                    mode = _mode(team[column])
                    row[column] = mode if mode is not None else _mode(peers[column])
            if lead is not None:
                row["manager_id"] = lead
            if "quota" in df and role in QUOTA_ROLES:
                quotas = peers["quota"][peers["quota"] > 0]
                row["quota"] = float(quotas.median()) if len(quotas) else None
            df = _append(df, [row])
            placed.append(message("scenario.placed", rep=rep_id, lead=lead) if lead is not None else rep_id)
        key = "scenario.hired" if "manager_id" in df else "scenario.hired_unmanaged"
        applied.append(message(key, _ROLE, n=count, role=role, date=str(as_of), people=placed))
        if crowded:
            warnings.append(message("scenario.crowded", _ROLE, n=SPAN_RANGE[1], role=role))
    return df


def _move(
    df: pd.DataFrame, spec: ScenarioSpec, as_of: date, applied: list[Message], warnings: list[Message]
) -> pd.DataFrame:
    if not spec.move:
        return df
    if "channel" not in df:
        warnings.append(message("scenario.no_channel"))
        return df
    df = df.copy()
    for target, count in spec.move.items():
        source = "field" if target == "inside" else "inside"
        scope = df["segment"].eq(spec.move_segment) if spec.move_segment and "segment" in df else True
        candidates = df.loc[
            _active(df, as_of) & df["role"].isin(REP_ROLES) & df["channel"].eq(source) & scope
        ]
        ordered = candidates.sort_values(["hire_date", "rep_id"], ascending=[False, True])
        chosen = ordered.index[:count]
        if len(chosen) < count:
            warnings.append(
                message(
                    "scenario.move_short", _CHANNELS, n=len(chosen), source=source, target=target, asked=count
                )
            )
        df.loc[chosen, "channel"] = target
        moved = list(df.loc[chosen, "rep_id"].astype(str))
        key, terms = (
            ("scenario.moved_segment", {**_CHANNELS, "segment": "segment"})
            if spec.move_segment
            else ("scenario.moved", _CHANNELS)
        )
        values = {"segment": spec.move_segment} if spec.move_segment else {}
        applied.append(
            message(key, terms, n=len(chosen), source=source, target=target, people=moved, **values)
        )
    return df


def _move_territories(
    df: pd.DataFrame, spec: ScenarioSpec, as_of: date, applied: list[Message], warnings: list[Message]
) -> pd.DataFrame:
    if not spec.territory_moves:
        return df
    if "territory" not in df:
        warnings.append(message("scenario.no_territory"))
        return df
    df = df.copy()
    for move in spec.territory_moves:
        candidates = df.loc[
            _active(df, as_of) & df["role"].isin(REP_ROLES) & df["territory"].eq(move.from_territory)
        ]
        chosen = candidates.sort_values(["hire_date", "rep_id"], ascending=[False, True]).index[: move.reps]
        if len(chosen) < move.reps:
            warnings.append(
                message(
                    "scenario.territory_short", n=len(chosen), source=move.from_territory, asked=move.reps
                )
            )
        df.loc[chosen, "territory"] = move.to_territory
        moved = list(df.loc[chosen, "rep_id"].astype(str))
        applied.append(
            message(
                "scenario.territory_moved",
                n=len(chosen),
                source=move.from_territory,
                target=move.to_territory,
                people=moved,
            )
        )
    return df


def _add_managers(
    df: pd.DataFrame, spec: ScenarioSpec, as_of: date, applied: list[Message], warnings: list[Message]
) -> pd.DataFrame:
    for _ in range(spec.add_manager):
        active = _active(df, as_of)
        counts = _report_counts(df, active)
        donor_id = str(counts.idxmax()) if len(counts) else None
        template = df.loc[df["rep_id"].eq(donor_id)].iloc[0] if donor_id is not None else None
        new_id = _new_ids(df, "NEW-MGR", 1)[0]
        row: dict[str, Any] = {
            "rep_id": new_id,
            "name": f"New manager {new_id[8:]}",
            "role": "manager",
            "hire_date": pd.Timestamp(as_of),
            "left": False,
            "tenure_months": 0.0,
        }
        if template is not None:
            for column in ("channel", "segment", "territory", "product_line", "manager_id"):
                if column in df:
                    row[column] = template[column]
        df = _append(df, [row])
        if "manager_id" not in df or donor_id is None:
            warnings.append(message("scenario.manager_no_reports", manager=new_id))
            applied.append(message("scenario.manager_added_alone", manager=new_id))
            continue
        active = _active(df, as_of)
        moved: list[Message] = []
        while True:
            counts = _report_counts(df, active)
            donor = str(counts.drop(new_id).idxmax()) if len(counts) > 1 else None
            if donor is None or counts[donor] < counts[new_id] + 2:
                break
            reports = df.loc[active & df["manager_id"].eq(donor)]
            pick = reports.sort_values(["hire_date", "rep_id"], ascending=[False, True]).index[0]
            df.loc[pick, "manager_id"] = new_id
            moved.append(message("scenario.report_from", rep=str(df.at[pick, "rep_id"]), donor=donor))
        if isinstance(row.get("territory"), str):
            line = message(
                "scenario.manager_added_in",
                manager=new_id,
                office=row["territory"],
                n=len(moved),
                people=moved,
            )
        else:
            line = message("scenario.manager_added", manager=new_id, n=len(moved), people=moved)
        applied.append(line)
    return df


def _receiver(counts: pd.Series, df: pd.DataFrame, leaving: str) -> str | None:
    """Where a consolidated team's rep goes: fewest reports in the same territory, else segment, else anywhere."""
    others = counts.drop(leaving, errors="ignore")
    if others.empty:
        return None
    home = df.loc[df["rep_id"].eq(leaving)].iloc[0]
    for column in ("territory", "segment"):
        if column in df and isinstance(home[column], str):
            same = df.loc[df["rep_id"].isin(others.index) & df[column].eq(home[column]), "rep_id"]
            if len(same):
                others = others[others.index.isin(same)]
                break
    return str(sorted(others.items(), key=lambda item: (item[1], str(item[0])))[0][0])


def _remove_managers(
    df: pd.DataFrame, spec: ScenarioSpec, as_of: date, applied: list[Message], warnings: list[Message]
) -> pd.DataFrame:
    if not spec.remove_manager:
        return df
    if "manager_id" not in df:
        warnings.append(message("scenario.no_reporting_lines"))
        return df
    df = df.copy()
    for _ in range(spec.remove_manager):
        active = _active(df, as_of)
        counts = _report_counts(df, active)
        if len(counts) < 2:
            warnings.append(message("scenario.one_manager"))
            break
        leaving = str(sorted(counts.items(), key=lambda item: (item[1], str(item[0])))[0][0])
        reports = df.loc[active & df["manager_id"].eq(leaving)]
        moved: list[Message] = []
        for pick in reports.sort_values(["hire_date", "rep_id"], ascending=[False, True]).index:
            target = _receiver(_report_counts(df, _active(df, as_of)), df, leaving)
            df.loc[pick, "manager_id"] = target
            moved.append(message("scenario.placed", rep=str(df.at[pick, "rep_id"]), lead=target))
        where = df.index[df["rep_id"].eq(leaving)]
        if "exit_date" not in df:  # a status roster: no date to leave on
            df = df.drop(index=where)
        else:
            if "exit_reason" not in df:  # without a reason column an exit would count as a separation
                df["exit_reason"] = pd.Categorical([None] * len(df), categories=CATEGORIES["exit_reason"])
            df.loc[where, "exit_date"] = pd.Timestamp(as_of)
            df.loc[where, "exit_reason"] = "transfer"
        applied.append(message("scenario.consolidated", manager=leaving, n=len(moved), people=moved))
    return df


def apply_edits(
    roster: Roster, spec: ScenarioSpec, *, as_of: date | None = None
) -> tuple[Roster, list[Message], list[Message]]:
    """A copy of the roster with the edits applied, with what was done and what could not be done."""
    as_of = as_of or roster.as_of
    applied: list[Message] = []
    warnings: list[Message] = []
    df = roster.df.copy()
    if "hire_date" not in df:
        # Status exports may have no dates; added people need one so they are not counted at the period start.
        df["hire_date"] = pd.Series(pd.NaT, index=df.index, dtype="datetime64[s]")
    df = _hire(df, spec, as_of, applied, warnings)
    df = _move(df, spec, as_of, applied, warnings)
    df = _move_territories(df, spec, as_of, applied, warnings)
    df = _add_managers(df, spec, as_of, applied, warnings)
    df = _remove_managers(df, spec, as_of, applied, warnings)
    return dataclasses.replace(roster, df=df.reset_index(drop=True)), applied, warnings


def _segment_points(
    roster: Roster, spec: ScenarioSpec, as_of: date | None, period_start: date | None
) -> float:
    """Segment turnover changes as the change in the whole team's expected turnover (weighted by headcount)."""
    if not spec.segment_attrition_pp:
        return 0.0
    pop = population(roster, as_of=as_of, period_start=period_start)
    heads = (pop.active_start.astype(float) + pop.active_end.astype(float)) / 2
    total = float(heads.sum())
    if not total:
        return 0.0
    return sum(
        points * float(heads[(pop.segment == segment).to_numpy()].sum()) / total
        for segment, points in spec.segment_attrition_pp.items()
    )


def _faster_ramp(
    profile: Profile, spec: ScenarioSpec, benchmarks: BenchmarkSet, applied: list[Message]
) -> Profile:
    if not spec.ramp_months_saved:
        return profile
    curves = {key: list(curve.fractions) for key, curve in benchmarks.ramp_curves.items()}
    curves.update(profile.ramp_curves or {})
    for key, months in spec.ramp_months_saved.items():
        fractions = curves.get(key)
        if fractions is None:
            continue
        cut = min(int(round(months)), len(fractions) - 1)
        curves[key] = fractions[cut:]
        terms = {"curve": "role" if key == "sdr" else "segment"}
        applied.append(
            message("scenario.ramp", terms, curve=key, n=cut, before=len(fractions), after=len(curves[key]))
        )
    return profile.model_copy(update={"ramp_curves": curves})


def run_scenario(
    roster: Roster,
    edits: ScenarioSpec,
    *,
    benchmarks: BenchmarkSet,
    as_of: date | None = None,
    period_start: date | None = None,
    profile: Profile | None = None,
) -> ScenarioResult:
    """Apply the edits to a copy of the roster and compare every metric before and after."""
    profile = profile or Profile()
    options: dict[str, Any] = {"as_of": as_of, "period_start": period_start, "benchmarks": benchmarks}
    before = compute_metrics(roster, profile=profile, **options)
    changed, applied, warnings = apply_edits(roster, edits, as_of=as_of)
    after_profile = _faster_ramp(profile, edits, benchmarks, applied)
    points = edits.attrition_pp + _segment_points(roster, edits, as_of, period_start)
    if points:
        after_profile = after_profile.model_copy(
            update={"turnover_change_pp": profile.turnover_change_pp + points}
        )
        applied.append(message("scenario.turnover", pp=points))
    after_metrics = compute_metrics(changed, profile=after_profile, **options)
    previous = {metric.id: metric for metric in before}
    deltas = []
    for metric in after_metrics:
        old = previous[metric.id].value
        new = metric.value
        delta = None if old is None or new is None else new - old
        deltas.append(MetricDelta(metric.id, metric.unit, old, new, delta))
    return ScenarioResult(edits, before, after_metrics, deltas, applied, warnings)
