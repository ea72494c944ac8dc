"""What-if scenarios: apply edits to a copy of the roster and report every metric before, after and the delta.

Edits apply in this order, each on the result of the previous one:

- `hire` ({role: n}, CLI `--hire sdr:2`): adds n active people of that role hired on the as-of date. Each takes
  the most common channel, segment and territory of the active people in that role, and joins the active manager
  who already leads the most of them. A quota-carrying hire gets the median quota of the role's active quota
  carriers and no bookings yet (so attainment is unchanged). Ids are NEW-<ROLE>-1, NEW-<ROLE>-2, ...
- `move` ({inside|field: n}, CLI `--move inside:3`): moves n active reps (sdr, ae, am) from the other channel
  (field for `inside`, inside for `field`) to that channel, most recently hired first, ties by rep_id.
- `add_manager` (n, CLI `--add-manager 1`): adds n active managers (NEW-MGR-1, ...) hired on the as-of date. Each
  copies channel, segment, territory and own manager from the manager with the most active direct reports, then
  takes reports one at a time (the donor's most recently hired first) from whichever manager has the most,
  while that manager has at least two more than the new one.
- `attrition_pp` (CLI `--attrition -5pp`): changes expected annual turnover by that many percentage points (never
  below 0) in the planning metrics: reps_needed's attrition buffer (base: the profile's expected_turnover_pct, else
  the measured turnover of quota carriers) and turnover_cost (base: expected_turnover_pct, else the measured
  turnover_rate; the measured cost is scaled by new rate ÷ measured rate). Measured turnover metrics do not change.
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
from advisor.org.analysis import clean_json, compute_metrics
from advisor.org.benchmarks import BenchmarkSet
from advisor.org.profile import Profile
from advisor.org.roster import Roster
from advisor.org.schema import QUOTA_ROLES, REP_ROLES, ROLES
from advisor.org.types import Metric
from advisor.org.validate import CATEGORIES

_AMOUNT = re.compile(r"^\s*([-+]?\d+(?:\.\d+)?)\s*(pp)?\s*$")


class ScenarioSpec(BaseModel):
    """The edits of one scenario (see the module docstring for exactly what each does)."""

    model_config = ConfigDict(extra="forbid")

    hire: dict[Literal["sdr", "ae", "am", "se", "manager", "director", "other"], int] = Field(
        default_factory=dict
    )
    move: dict[Literal["inside", "field"], int] = Field(default_factory=dict)
    add_manager: int = Field(default=0, ge=0)
    attrition_pp: float = 0.0

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
    applied: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return clean_json(
            {
                "spec": self.spec.model_dump(),
                "applied": self.applied,
                "warnings": self.warnings,
                "deltas": [dataclasses.asdict(delta) for delta in self.deltas],
                "before": [metric.to_dict() for metric in self.before],
                "after": [metric.to_dict() for metric in self.after],
            }
        )


def parse_points(text: str) -> float:
    """`-5pp`, `-5` or `+3pp` as percentage points."""
    match = _AMOUNT.match(str(text))
    if not match:
        raise InputError(f"--attrition expects percentage points such as -5pp or +3pp, got {text!r}.")
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
    *, move: list[str], hire: list[str], add_manager: int, attrition: str | None, spec_file: Path | None
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


def _hire(df: pd.DataFrame, spec: ScenarioSpec, as_of: date, applied: list[str]) -> pd.DataFrame:
    active = _active(df, as_of)
    rows = []
    for role, count in spec.hire.items():
        if count == 0:
            continue
        peers = df.loc[active & df["role"].eq(role)]
        base: dict[str, Any] = {
            "role": role,
            "hire_date": pd.Timestamp(as_of),
            "left": False,
            "tenure_months": 0.0,
        }
        for column in ("channel", "segment", "territory", "product_line"):
            if column in df:
                base[column] = _mode(peers[column])
        if "manager_id" in df:
            leads = peers["manager_id"].dropna()
            base["manager_id"] = _mode(leads[leads.isin(df.loc[active & df["role"].eq("manager"), "rep_id"])])
        if "quota" in df and role in QUOTA_ROLES:
            quotas = peers["quota"][peers["quota"] > 0]
            base["quota"] = float(quotas.median()) if len(quotas) else None
        ids = _new_ids(df, f"NEW-{role.upper()}", count)
        rows += [
            {**base, "rep_id": rep_id, "name": f"New {role.upper()} {n}"} for n, rep_id in enumerate(ids, 1)
        ]
        applied.append(
            f"Hired {count} {role} on {as_of} ({', '.join(ids)}), reporting to {base.get('manager_id')}."
        )
    return _append(df, rows) if rows else df


def _move(
    df: pd.DataFrame, spec: ScenarioSpec, as_of: date, applied: list[str], warnings: list[str]
) -> pd.DataFrame:
    if not spec.move:
        return df
    if "channel" not in df:
        warnings.append("The roster has no channel column: --move did nothing.")
        return df
    df = df.copy()
    for target, count in spec.move.items():
        source = "field" if target == "inside" else "inside"
        candidates = df.loc[_active(df, as_of) & df["role"].isin(REP_ROLES) & df["channel"].eq(source)]
        ordered = candidates.sort_values(["hire_date", "rep_id"], ascending=[False, True])
        chosen = ordered.index[:count]
        if len(chosen) < count:
            warnings.append(
                f"Only {len(chosen)} active {source} reps to move to {target} (asked for {count})."
            )
        df.loc[chosen, "channel"] = target
        moved = ", ".join(df.loc[chosen, "rep_id"].astype(str))
        applied.append(f"Moved {len(chosen)} {source} reps to {target}: {moved or 'none'}.")
    return df


def _add_managers(
    df: pd.DataFrame, spec: ScenarioSpec, as_of: date, applied: list[str], warnings: list[str]
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
            warnings.append(
                f"{new_id} has no reports: the roster has no managers with direct reports to share."
            )
            applied.append(f"Added manager {new_id} with no reports.")
            continue
        active = _active(df, as_of)
        moved: list[str] = []
        while True:
            counts = _report_counts(df, active)
            donor = str(counts.drop(new_id).idxmax()) if len(counts) > 1 else None
            if donor is None or counts[donor] < counts[new_id] + 2:
                break
            reports = df.loc[active & df["manager_id"].eq(donor)]
            pick = reports.sort_values(["hire_date", "rep_id"], ascending=[False, True]).index[0]
            df.loc[pick, "manager_id"] = new_id
            moved.append(f"{df.at[pick, 'rep_id']!s} from {donor}")
        applied.append(
            f"Added manager {new_id}; moved {len(moved)} reports to them: {', '.join(moved) or 'none'}."
        )
    return df


def apply_edits(
    roster: Roster, spec: ScenarioSpec, *, as_of: date | None = None
) -> tuple[Roster, list[str], list[str]]:
    """A copy of the roster with the edits applied, with what was done and what could not be done."""
    as_of = as_of or roster.as_of
    applied: list[str] = []
    warnings: list[str] = []
    df = roster.df.copy()
    if "hire_date" not in df:
        # Status exports may have no dates; added people need one so they are not counted at the period start.
        df["hire_date"] = pd.Series(pd.NaT, index=df.index, dtype="datetime64[s]")
    df = _hire(df, spec, as_of, applied)
    df = _move(df, spec, as_of, applied, warnings)
    df = _add_managers(df, spec, as_of, applied, warnings)
    return dataclasses.replace(roster, df=df.reset_index(drop=True)), applied, warnings


def run_scenario(
    roster: Roster,
    edits: ScenarioSpec,
    *,
    as_of: date | None = None,
    period_start: date | None = None,
    profile: Profile | None = None,
    benchmarks: BenchmarkSet | None = None,
) -> ScenarioResult:
    """Apply the edits to a copy of the roster and compare every metric before and after."""
    profile = profile or Profile()
    options: dict[str, Any] = {"as_of": as_of, "period_start": period_start, "benchmarks": benchmarks}
    before = compute_metrics(roster, profile=profile, **options)
    changed, applied, warnings = apply_edits(roster, edits, as_of=as_of)
    after_profile = profile
    if edits.attrition_pp:
        after_profile = profile.model_copy(
            update={"turnover_change_pp": profile.turnover_change_pp + edits.attrition_pp}
        )
        applied.append(
            f"Expected turnover changed by {edits.attrition_pp:+g}pp for reps_needed and turnover_cost."
        )
    after_metrics = compute_metrics(changed, profile=after_profile, **options)
    previous = {metric.id: metric for metric in before}
    deltas = []
    for metric in after_metrics:
        old = previous[metric.id].value
        new = metric.value
        delta = None if old is None or new is None else new - old
        deltas.append(MetricDelta(metric.id, metric.unit, old, new, delta))
    return ScenarioResult(edits, before, after_metrics, deltas, applied, warnings)
