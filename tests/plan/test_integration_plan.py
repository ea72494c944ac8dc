"""The plan with the real bundled model (SmolLM2 via llama.cpp): complete, cited and traceable whatever it writes."""

from __future__ import annotations

import pytest
from plan_doubles import AS_OF
from plan_helpers import SECTION_IDS, section_texts, traceable_texts

from advisor.chat.numbers import extract_numbers, number_traces
from advisor.config import Settings
from advisor.org.roster import Roster
from advisor.plan.document import Paragraph
from advisor.plan.draft import draft_plan
from advisor.plan.render import render_plan
from advisor.text.sentences import CITATION, citation_ids


@pytest.mark.integration
def test_plan_with_the_real_local_model(kb_settings: Settings, problem_roster: Roster) -> None:
    plan = draft_plan(problem_roster, settings=kb_settings, as_of=AS_OF, goal="grow enterprise bookings 40%")
    assert [s.id for s in plan.sections] == SECTION_IDS
    assert plan.slots["generated"] + plan.slots["extractive"] >= 5
    facts = traceable_texts(plan)
    known = {s.id for s in plan.sources} | {"M:" + m["id"] for m in plan.metrics}
    for section in plan.sections:
        for text in section_texts(section):
            assert set(citation_ids(text)) <= known, text
            for mention in extract_numbers(CITATION.sub("", text)):
                assert number_traces(mention, facts), f"{mention} in {section.id}: {text}"
    prose = [
        b for s in plan.sections for sub in s.subsections for b in sub.blocks if isinstance(b, Paragraph)
    ]
    assert all(citation_ids(p.text) for p in prose if p.origin != "template")
    assert render_plan(plan, "pdf").startswith(b"%PDF")
