"""Plan inputs as a form (goal, bookings target, cost inputs), saved per org and per owner, for drafting and download.

Saved inputs are owned items (`kind="plan"`) whose options hold the org id and the inputs; a plan is drafted from
the org as its owner reads it, with these inputs laid over the org's uploaded profile.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from advisor.config import Settings
from api import ownership
from api.deps import Principal


class PlanInputs(BaseModel):
    """What the plan form asks: the goal, the language, and the figures a roster cannot say."""

    model_config = ConfigDict(extra="forbid")

    goal: str = Field(default="", max_length=1000)
    lang: Literal["en", "zh"] = "en"
    bookings_target_usd: float | None = Field(default=None, ge=0)
    quota_per_rep_usd: float | None = Field(default=None, gt=0)
    recruiting_usd: float | None = Field(default=None, ge=0)
    onboarding_usd: float | None = Field(default=None, ge=0)
    vacancy_months: float | None = Field(default=None, ge=0, le=24)
    monthly_salary_usd: float | None = Field(default=None, ge=0)

    def profile(self, base: Any) -> Any:
        """The org's profile with the figures given here laid over it."""
        from advisor.org.profile import Profile

        profile = base or Profile()
        top = {
            k: v for k in ("bookings_target_usd", "quota_per_rep_usd") if (v := getattr(self, k)) is not None
        }
        costs = {
            k: v
            for k in ("recruiting_usd", "onboarding_usd", "vacancy_months", "monthly_salary_usd")
            if (v := getattr(self, k)) is not None
        }
        return profile.model_copy(update={**top, "costs": profile.costs.model_copy(update=costs)})


def from_form(form: Any) -> PlanInputs:
    """The plan form's fields (empty numbers mean: keep the profile's or the default)."""
    values = {key: str(value).strip() for key, value in form.items() if key in PlanInputs.model_fields}
    return PlanInputs.model_validate({key: value for key, value in values.items() if value != ""})


def saved(settings: Settings, principal: Principal, org_id: str) -> dict[str, dict[str, Any]]:
    """The principal's saved plans for one org: id -> {"name", "inputs"}."""
    out = {}
    for item_id, name in ownership.owned(settings, "plan", principal).items():
        stored = ownership.options(settings, "plan", item_id)
        if stored.get("org_id") == org_id:
            out[item_id] = {"name": name, "inputs": PlanInputs.model_validate(stored.get("inputs", {}))}
    return out


def save(settings: Settings, principal: Principal, org_id: str, inputs: PlanInputs) -> str:
    """Save plan inputs for the org under a name (the goal, else the date); the saved plan's id.

    Inputs already saved for this org are not saved twice: drafting them again opens the same saved plan.
    """
    same = next(
        (i for i, plan in saved(settings, principal, org_id).items() if plan["inputs"] == inputs), None
    )
    if same is not None:
        return same
    item_id = secrets.token_urlsafe(12)
    name = inputs.goal[:80] or f"{datetime.now(UTC):%Y-%m-%d %H:%M}"
    ownership.claim(settings, "plan", item_id, principal, name=f"{name} ({inputs.lang})")
    ownership.set_options(
        settings, "plan", item_id, principal, {"org_id": org_id, "inputs": inputs.model_dump()}
    )
    return item_id


def load(settings: Settings, principal: Principal, org_id: str, plan_id: str) -> PlanInputs:
    """One saved plan's inputs (NotFoundError when it is not the principal's, or not for this org)."""
    plans = saved(settings, principal, org_id)
    if plan_id not in plans:
        raise ownership.not_found("plan", plan_id)
    return plans[plan_id]["inputs"]  # type: ignore[no-any-return]
