"""The playbook: which action answers which finding, read from `playbook.yaml` (data, not code)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from advisor.errors import ConfigError
from advisor.org.types import Finding, Metric
from advisor.plan.guidance import Query

PLAYBOOK_FILE = Path(__file__).with_name("playbook.yaml")
Direction = Literal["lower", "higher", "range"]
Phase = Literal["d30", "d60", "d90"]
PHASES: tuple[Phase, ...] = ("d30", "d60", "d90")
GENERIC = "generic"  # the action for a finding no entry answers: guidance from the finding's own topics


class _Guidance(BaseModel):
    model_config = ConfigDict(extra="forbid")

    topics: list[str]
    query: dict[Literal["en", "zh"], str]
    k: int = 1


class Needs(BaseModel):
    """Preconditions: metrics that must have a value and roles that must be active in the roster."""

    model_config = ConfigDict(extra="forbid")

    metrics: list[str] = Field(default_factory=list)
    roles: list[str] = Field(default_factory=list)

    def met(self, metrics: Mapping[str, Metric]) -> bool:
        """Whether the roster's metrics meet these preconditions."""
        if any(metrics.get(m) is None or metrics[m].value is None for m in self.metrics):
            return False
        headcount = metrics.get("headcount_end")
        by_role = headcount.by.get("role", {}) if headcount is not None else {}
        return all((by_role.get(role) or 0) > 0 for role in self.roles)


class ScenarioKind(BaseModel):
    """Which what-if edit estimates an action's effect, and the metric it reads its size from."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal[
        "attrition_to_benchmark",
        "early_attrition_halved",
        "add_manager",
        "consolidate",
        "hire_to_ratio",
        "hire_needed",
        "channel_move",
        "territory_rebalance",
    ]
    metric: str | None = None


class Action(BaseModel):
    """One playbook entry (the file's header documents each field)."""

    model_config = ConfigDict(extra="forbid")

    id: str
    answers: list[str]
    needs: Needs = Field(default_factory=Needs)
    guidance: list[_Guidance]
    scenario: ScenarioKind | None = None
    effects: list[str] = Field(default_factory=list)
    kpis: dict[str, Direction] = Field(default_factory=dict)
    owners: dict[Phase, str]

    def queries(self, lang: str) -> list[Query]:
        """The retrievals for this action in the plan's language."""
        return [Query(g.query[lang], tuple(g.topics), g.k) for g in self.guidance]  # type: ignore[index]


class Playbook(BaseModel):
    """Every action, and the KPIs each plan tracks."""

    model_config = ConfigDict(extra="forbid")

    actions: list[Action]
    core_kpis: dict[str, Direction]
    kpi_needs: dict[str, Needs] = Field(default_factory=dict)


@dataclass(frozen=True)
class Recommendation:
    """An action chosen for a plan, with the findings it answers (most severe first)."""

    action: Action
    findings: tuple[Finding, ...]

    @property
    def key(self) -> str:
        """Unique within a plan: the action id, or `generic:<finding id>` for a finding no entry answers."""
        return self.action.id if self.action.id != GENERIC else f"{GENERIC}:{self.lead.id}"

    @property
    def lead(self) -> Finding:
        """The most severe finding this action answers."""
        return self.findings[0]


@lru_cache(maxsize=1)
def load_playbook(path: Path = PLAYBOOK_FILE) -> Playbook:
    """Read and check the playbook; a malformed entry fails with its position."""
    try:
        return Playbook.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(
            f"Cannot read the plan playbook {path}: {exc}. Restore it from the repository."
        ) from exc
    except ValidationError as exc:
        raise ConfigError(f"The plan playbook {path} is invalid: {exc.errors()[0]}") from exc


def rule_id(finding: Finding) -> str:
    """The findings rule behind a finding: `rule` of `rule:group`, `signal:<metric>` of a group signal."""
    parts = finding.id.split(":")
    return ":".join(parts[:2]) if parts[0] == "signal" else parts[0]


def _generic(finding: Finding) -> Action:
    topics = [t for t in finding.topics if t != "metrics"][:2]
    query: dict[Literal["en", "zh"], str] = {"en": finding.title, "zh": finding.title_zh or finding.title}
    return Action(id=GENERIC, answers=[rule_id(finding)], guidance=[_Guidance(topics=topics, query=query)],
                  kpis={finding.metric_id: "range"}, owners={"d30": "sales_ops", "d60": "sales_managers",
                                                             "d90": "head_of_sales"})  # fmt: skip


def recommend(
    findings: list[Finding], *, playbook: Playbook, metrics: Mapping[str, Metric]
) -> list[Recommendation]:
    """One recommendation per action that answers a finding and whose preconditions hold, by its worst finding.

    Info findings (estimates such as the cost of turnover) get an action only when the playbook names them; a
    finding whose action's preconditions fail gets none (it stays in the diagnosis).
    """
    by_rule = {rule: action for action in playbook.actions for rule in action.answers}
    grouped: dict[str, tuple[Action, list[Finding]]] = {}
    for finding in findings:  # the analysis returns the most severe first
        action = by_rule.get(rule_id(finding))
        if action is not None and not action.needs.met(metrics):
            continue
        if action is None:
            if finding.severity == "info":
                continue
            action = _generic(finding)
        key = action.id if action.id != GENERIC else f"{GENERIC}:{finding.id}"
        grouped.setdefault(key, (action, []))[1].append(finding)
    return [Recommendation(action, tuple(found)) for action, found in grouped.values()]
