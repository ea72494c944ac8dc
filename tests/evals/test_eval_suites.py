"""The shipped suites load, reference real documents and fixtures, and cover what the issue asks for."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from advisor.bundled import KNOWLEDGE_DIR
from evals.cases import SUITES_DIR, Suite, load_suite, suite_names

REPO = Path(__file__).resolve().parents[2]
SUITES = ("retrieval", "answers", "refusal", "plans", "smoke")


def knowledge_ids() -> set[str]:
    ids = set()
    for path in KNOWLEDGE_DIR.glob("*/*.md"):
        front = path.read_text(encoding="utf-8").split("---", 2)[1]
        ids.add(str(yaml.safe_load(front)["id"]))
    return ids


@pytest.fixture(scope="module")
def suites() -> dict[str, Suite]:
    return {name: load_suite(name) for name in SUITES}


def test_every_suite_of_the_issue_is_shipped_with_thresholds(suites: dict[str, Suite]) -> None:
    assert set(SUITES) <= set(suite_names(SUITES_DIR))
    for suite in suites.values():
        assert suite.thresholds, f"{suite.name} declares no thresholds"
        assert {c.split for c in suite.cases} == {"dev", "test"}, f"{suite.name} needs dev and test cases"


def test_answers_has_forty_in_scope_questions_in_both_languages_and_org_cases(
    suites: dict[str, Suite],
) -> None:
    in_scope = [c for c in suites["answers"].cases if c.in_scope]
    assert len(in_scope) >= 40
    by_lang = Counter(c.lang for c in in_scope)
    assert by_lang["en"] >= 15 and by_lang["zh"] >= 15
    with_org = [c for c in in_scope if c.org is not None]
    assert {c.lang for c in with_org} == {"en", "zh"}
    assert all(c.expected_facts for c in with_org), "an org question must name the metric values it expects"


def test_gold_ids_are_real_knowledge_documents(suites: dict[str, Suite]) -> None:
    known = knowledge_ids()
    unknown = {g for suite in suites.values() for c in suite.cases for g in c.gold if g not in known}
    assert not unknown, f"gold ids with no knowledge document: {sorted(unknown)}"


def test_fixtures_exist_inside_evals(suites: dict[str, Suite]) -> None:
    for suite in suites.values():
        for case in suite.cases:
            if case.org is not None:
                for path in (case.org.roster, case.org.profile):
                    assert path is None or (path.is_file() and (REPO / "evals") in path.parents), case.id


def test_refusal_mixes_out_of_scope_requests_with_in_scope_look_alikes(suites: dict[str, Suite]) -> None:
    cases = suites["refusal"].cases
    assert sum(c.must_refuse for c in cases) >= 8
    assert sum(not c.must_refuse for c in cases) >= 4


def test_plans_use_rosters_with_known_problems_and_expect_every_section(suites: dict[str, Suite]) -> None:
    cases = suites["plans"].cases
    assert all(c.kind == "plan" and c.expected_sections for c in cases)
    assert any(c.org is not None and c.expected_facts for c in cases)
    assert {c.lang for c in cases} == {"en", "zh"}


def test_smoke_takes_a_few_cases_of_each_suite(suites: dict[str, Suite]) -> None:
    origin = Counter(c.suite for c in suites["smoke"].cases)
    assert set(origin) == {"retrieval", "answers", "refusal", "plans", "ingest"}
    assert sum(origin.values()) <= 25


def test_org_expectations_match_the_fixture_documentation() -> None:
    # the README's hand-worked values are the source of the org cases' expected numbers
    readme = (REPO / "evals" / "fixtures" / "README.md").read_text(encoding="utf-8")
    documented = {float(n) for n in re.findall(r"(\d+(?:\.\d+)?)%", readme)} | {9.0, 1.3}
    org_facts = {float(f) for c in load_suite("answers").cases if c.org is not None for f in c.expected_facts}
    assert org_facts <= documented


def test_the_readme_documents_every_score() -> None:
    from evals.specs import SCORES

    readme = (REPO / "evals" / "README.md").read_text(encoding="utf-8")
    missing = [name for name in SCORES if f"`{name}`" not in readme]
    assert not missing, f"evals/README.md does not describe: {missing}"
