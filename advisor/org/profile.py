"""The org profile (`org.yaml`): targets and cost inputs that a roster cannot tell us."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from advisor.org.messages import MessageError


class CostInputs(BaseModel):
    """Cost of one separation (SBI's turnover calculator): recruiting + onboarding + lost productivity - salary saved.

    The defaults are placeholders, not benchmarks: set your own figures in the profile.
    """

    model_config = ConfigDict(extra="forbid")

    recruiting_usd: float = Field(
        default=15000, ge=0, description="Recruiting cost per hire (agency or recruiter time)."
    )
    onboarding_usd: float = Field(default=10000, ge=0, description="Onboarding and training cost per hire.")
    vacancy_months: float = Field(
        default=3, ge=0, description="Months a seat stays empty before the replacement starts."
    )
    monthly_salary_usd: float = Field(
        default=6000, ge=0, description="Monthly base salary saved while the seat is empty."
    )


class Profile(BaseModel):
    """What the roster cannot say: targets, expected attainment and turnover, cost inputs, segment and deal size."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(default="", description="Organisation name, for reports.")
    segment: Literal["smb", "mid_market", "enterprise"] | None = Field(
        default=None, description="Main customer segment; also the ramp curve for reps without a segment."
    )
    average_deal_size_usd: float | None = Field(
        default=None, gt=0, description="Average deal size, for the channel mix rules."
    )
    bookings_target_usd: float | None = Field(
        default=None, ge=0, description="Bookings target for the next period of the same length as the quota."
    )
    quota_per_rep_usd: float | None = Field(
        default=None,
        gt=0,
        description="Quota of a fully ramped rep; default: median quota of active quota carriers.",
    )
    expected_attainment_pct: float | None = Field(
        default=None,
        gt=0,
        le=300,
        description="Expected attainment; default: measured bookings ÷ quota of active carriers.",
    )
    utilisation_pct: float = Field(
        default=100, gt=0, le=100, description="Share of quota-carrying time spent selling."
    )
    expected_turnover_pct: float | None = Field(
        default=None,
        ge=0,
        le=300,
        description="Annual turnover to plan with; default: the measured turnover_rate.",
    )
    turnover_change_pp: float = Field(
        default=0.0,
        ge=-100,
        le=100,
        description="Change to expected turnover in percentage points, for what-if plans (--attrition sets it).",
    )
    costs: CostInputs = Field(default_factory=lambda: CostInputs(), description="Inputs of turnover_cost.")
    ramp_curves: dict[str, list[float]] | None = Field(
        default=None,
        description="Ramp curves (fraction per month) by `sdr` or segment, replacing the benchmark defaults.",
    )


def load_profile(path: Path) -> Profile:
    """Read and check an org profile (YAML or JSON); errors name the field and the fix."""
    path = Path(path)
    try:
        payload = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except OSError as exc:
        raise MessageError("errors.profile_unreadable", path=str(path), detail=exc.strerror) from exc
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise MessageError("errors.profile_yaml", path=str(path), detail=str(exc)) from exc
    if not isinstance(payload, dict):
        raise MessageError("errors.profile_not_mapping", path=str(path))
    try:
        return Profile.model_validate(payload)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise MessageError("errors.profile_field", path=str(path), field=where, detail=first["msg"]) from exc
