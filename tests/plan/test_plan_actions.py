"""The plan_actions eval cases, checked on every test run: expected actions in, contradicting ones out, numbers traced.

The cases live in evals/suites/plan_actions.yaml (rosters in evals/fixtures/plans/); `advisor eval plan_actions`
scores the same cases with the real model. Here English prose comes from the scripted model, Chinese from templates.
"""

from __future__ import annotations

from datetime import date

import pytest
from plan_doubles import ScriptedChat
from plan_helpers import section_texts, traceable_texts

from advisor.chat.numbers import extract_numbers, number_traces
from advisor.config import Settings
from advisor.org.profile import load_profile
from advisor.org.roster import load_roster
from advisor.plan.analysis import analyse
from advisor.plan.document import Plan
from advisor.plan.draft import draft_plan
from advisor.plan.labels import labels
from advisor.plan.render import render_plan
from advisor.text.sentences import CITATION
from evals.cases import Case, load_suites

CASES = load_suites(["plan_actions"])[0].cases
ACTION_NAMES = {lang: {a["name"]: key for key, a in labels(lang)["actions"].items()} for lang in ("en", "zh")}


def _plan(case: Case, settings: Settings) -> Plan:
    assert case.org is not None
    roster = load_roster(case.org.roster, as_of=case.org.as_of)
    profile = load_profile(case.org.profile) if case.org.profile else None
    return draft_plan(roster, settings=settings, profile=profile, lang=case.lang, as_of=case.org.as_of)


def test_the_suite_covers_eight_rosters_in_both_languages() -> None:
    rosters = {case.org.roster.name for case in CASES if case.org is not None}
    assert len(rosters) >= 8 and "crm_no_dates.csv" in rosters
    assert {case.lang for case in CASES} == {"en", "zh"}
    for case in CASES:  # every expected or contradicting phrase is an action's name (or a roadmap step)
        assert all(fact in ACTION_NAMES[case.lang] for fact in case.expected_facts), case.id


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_expected_actions_in_contradicting_ones_out_every_number_traced(
    case: Case, kb_settings: Settings, scripted_chat: ScriptedChat
) -> None:
    plan = _plan(case, kb_settings)
    texts = [text for section in plan.sections for text in section_texts(section)]
    whole = "\n".join(texts)
    missing = [fact for fact in case.expected_facts if str(fact) not in whole]
    assert missing == [], f"{case.id}: expected actions missing"
    found = [item for item in case.forbidden if item in whole]
    assert found == [], f"{case.id}: contradicting actions or raw values present"
    markdown = render_plan(plan, "md").decode()
    assert "[M:" not in markdown and "benchmarks.md" not in markdown  # no internal ids or file names in prose
    if case.lang == "zh":  # Chinese throughout: publishers in Chinese, no English source titles
        assert not any(
            leak in markdown for leak in ("Industry practice", "How to Predict", "secondary sources")
        )
    facts = traceable_texts(plan)
    for text in texts:
        for mention in extract_numbers(CITATION.sub("", text)):
            assert number_traces(mention, facts), f"{case.id}: {mention} in {text}"


def test_under_span_scenario_consolidates_and_sets_the_kpi_target() -> None:
    case = next(c for c in CASES if c.id == "actions-under-span-en")
    assert case.org is not None
    from advisor.bundled import BENCHMARKS_FILE
    from advisor.org.benchmarks import load_benchmarks

    analysis = analyse(
        load_roster(case.org.roster), profile=None, benchmarks=load_benchmarks(BENCHMARKS_FILE)
    )
    assert analysis.as_of == date(2025, 6, 30)  # the latest exit in the roster
    rec = next(r for r in analysis.recommendations if r.action.id == "span_consolidate")
    run = analysis.scenarios[rec.key]
    assert run.edits == {"remove_manager": 2}  # 26 reports at 8 each need 4 of the 6 managers
    changes = {metric: (before, after) for metric, before, after, _ in run.changes}
    assert changes["span_of_control_mean"] == pytest.approx((26 / 6, 26 / 4))
    assert changes["managers_outside_span"] == (6, 1)
    assert "span_split" not in {r.action.id for r in analysis.recommendations}


def test_a_growth_goal_sets_the_bookings_target() -> None:
    from advisor.org.profile import Profile
    from advisor.plan.analysis import goal_profile

    case = next(c for c in CASES if c.id == "actions-over-span-en")
    assert case.org is not None
    roster = load_roster(case.org.roster)
    bookings = float(roster.df["bookings"].fillna(0).sum())
    grown = goal_profile("grow enterprise bookings 40% next year", Profile(), roster)
    assert grown.bookings_target_usd == pytest.approx(bookings * 1.4)
    assert goal_profile("keep the team happy", Profile(), roster).bookings_target_usd is None
    assert goal_profile("grow 40%", Profile(bookings_target_usd=1.0), roster).bookings_target_usd == 1.0
