"""Shared fixtures of the rules-layer tests: fixture rosters, a pinned benchmarks file, the fixture profile."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from org_helpers import AS_OF, HERE, ROSTERS

from advisor.org.benchmarks import BenchmarkSet, load_benchmarks
from advisor.org.profile import Profile, load_profile
from advisor.org.roster import Roster, load_roster


@pytest.fixture(scope="session")
def benchmarks() -> BenchmarkSet:
    """A pinned copy of knowledge/benchmarks.yaml, so edits to the knowledge folder do not move these tests."""
    return load_benchmarks(HERE / "benchmarks.yaml")


@pytest.fixture(scope="session")
def org_profile() -> Profile:
    return load_profile(ROSTERS / "org_profile.yaml")


@pytest.fixture(scope="session")
def problem_expected() -> dict[str, Any]:
    return yaml.safe_load((ROSTERS / "problem_team.expected.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def healthy_expected() -> dict[str, Any]:
    return yaml.safe_load((ROSTERS / "healthy_team.expected.yaml").read_text(encoding="utf-8"))


@pytest.fixture
def problem_team() -> Roster:
    return load_roster(ROSTERS / "problem_team.csv", as_of=AS_OF)


@pytest.fixture
def healthy_team() -> Roster:
    return load_roster(ROSTERS / "healthy_team.csv", as_of=AS_OF)
