"""The rules layer: roster import and validation, metrics, findings, what-if scenarios; `store` keeps uploads.

The public entry points are importable from here; their modules load on first use, so importing
`advisor.org` (or `advisor.org.types`) stays cheap.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "load_roster": "advisor.org.roster",
    "Roster": "advisor.org.roster",
    "RosterError": "advisor.org.roster",
    "RosterIssue": "advisor.org.validate",
    "analyze": "advisor.org.analysis",
    "OrgAnalysis": "advisor.org.analysis",
    "compute_metrics": "advisor.org.analysis",
    "analysis_to_json": "advisor.org.analysis",
    "evaluate_findings": "advisor.org.findings",
    "run_scenario": "advisor.org.scenarios",
    "ScenarioSpec": "advisor.org.scenarios",
    "ScenarioResult": "advisor.org.scenarios",
    "load_profile": "advisor.org.profile",
    "Profile": "advisor.org.profile",
    "load_benchmarks": "advisor.org.benchmarks",
    "BenchmarkSet": "advisor.org.benchmarks",
    "format_value": "advisor.org.present",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'advisor.org' has no attribute {name!r}")
    return getattr(importlib.import_module(_EXPORTS[name]), name)
