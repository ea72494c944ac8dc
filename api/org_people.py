"""The people behind the numbers: the manager tree with each manager's span, and who a finding is about."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

_SPAN_METRICS = (
    "span_of_control_mean",
    "span_of_control_min",
    "span_of_control_max",
    "managers_outside_span",
)
_SDR_METRICS = ("sdr_turnover_rate", "sdr_avg_tenure_months", "sdr_ae_ratio")
_LEAVER_METRICS = (
    "turnover_rate",
    "separations",
    "voluntary_turnover_rate",
    "early_attrition_share",
    "turnover_cost",
)


@dataclass
class TreeNode:
    """One active person in the reporting tree, with their active direct reports."""

    rep_id: str
    name: str
    role: str
    reports: list[TreeNode] = field(default_factory=list)

    @property
    def span(self) -> int:
        """Active direct reports."""
        return len(self.reports)


def _active(df: pd.DataFrame, as_of: date) -> pd.Series:
    if "exit_date" in df:
        return df["exit_date"].isna() | (df["exit_date"] > pd.Timestamp(as_of))
    if "left" in df:
        return ~df["left"].fillna(False).astype(bool)
    return pd.Series(True, index=df.index)


def names(roster: Any) -> dict[str, str]:
    """rep_id -> name (the id itself when the roster has no names)."""
    df = roster.df
    if "name" not in df:
        return {str(r): str(r) for r in df.get("rep_id", [])}
    return {
        str(r): str(n) if isinstance(n, str) and n else str(r)
        for r, n in zip(df["rep_id"], df["name"], strict=True)
    }


def manager_tree(roster: Any) -> list[TreeNode]:
    """Active people arranged under their managers: the roots are people whose manager is absent or unknown."""
    df = roster.df
    if "manager_id" not in df or "rep_id" not in df:
        return []
    active = df[_active(df, roster.as_of)]
    nodes = {
        str(row.rep_id): TreeNode(
            str(row.rep_id),
            str(row.name) if isinstance(getattr(row, "name", None), str) else str(row.rep_id),
            str(row.role),
        )
        for row in active.itertuples()
    }
    roots = []
    for row in active.itertuples():
        boss = str(row.manager_id) if isinstance(row.manager_id, str) else ""
        if boss in nodes and boss != str(row.rep_id):
            nodes[boss].reports.append(nodes[str(row.rep_id)])
        else:
            roots.append(nodes[str(row.rep_id)])
    for node in nodes.values():
        node.reports.sort(key=lambda child: (-child.span, child.name))
    return sorted(roots, key=lambda node: (-node.span, node.name))


def filter_for(finding: Any) -> dict[str, str]:
    """The people filter that shows who a finding is about (a manager's team, the SDRs, the leavers)."""
    evidence = finding.evidence
    if finding.metric_id in _SPAN_METRICS and evidence.get("dimension") == "manager":
        return {"manager": str(evidence["group"])}
    if finding.metric_id in _SDR_METRICS:
        return {"role": "sdr", **({"status": "left"} if "turnover" in finding.metric_id else {})}
    if finding.metric_id in _LEAVER_METRICS:
        return {"status": "left"}
    if evidence.get("dimension") and evidence.get("group"):
        return {str(evidence["dimension"]): str(evidence["group"])}
    return {}


PEOPLE_COLUMNS = ("rep_id", "name", "role", "manager", "channel", "territory", "hire_date", "exit_date")


def people(roster: Any, filters: dict[str, str]) -> list[dict[str, str]]:
    """People matching `manager` (their manager's rep_id), `status` (active or left) and column = value filters."""
    df = roster.df
    keep = pd.Series(True, index=df.index)
    active = _active(df, roster.as_of)
    who = names(roster)
    for key, wanted in filters.items():
        if key == "status":
            keep &= active if wanted == "active" else ~active
        elif key == "manager" and "manager_id" in df:
            keep &= df["manager_id"].astype(str).eq(wanted) & active
        elif key in df:
            keep &= df[key].astype(str).str.casefold().eq(wanted.casefold())
    rows = []
    for _index, row in df[keep].iterrows():
        rows.append(
            {
                "rep_id": str(row.get("rep_id", "")),
                "name": who.get(str(row.get("rep_id", "")), ""),
                "role": _text(row.get("role")),
                "manager": who.get(_text(row.get("manager_id")), _text(row.get("manager_id"))),
                "channel": _text(row.get("channel")),
                "territory": _text(row.get("territory")),
                "hire_date": _day(row.get("hire_date")),
                "exit_date": _day(row.get("exit_date")),
            }
        )
    return rows


def _text(value: Any) -> str:
    return (
        "" if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA else str(value)
    )


def _day(value: Any) -> str:
    return value.date().isoformat() if isinstance(value, pd.Timestamp) and not pd.isna(value) else ""
