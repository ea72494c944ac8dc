"""The intent classifier, scored on the labelled suite's held-out split and on the signals it combines."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from advisor.chat.intent import classify, mentions_roster
from advisor.models import SentenceEmbeddings

SUITE = Path(__file__).resolve().parents[2] / "evals" / "suites" / "intents.yaml"


def _cases(split: str, lang: str) -> list[dict[str, str]]:
    cases = yaml.safe_load(SUITE.read_text(encoding="utf-8"))["cases"]
    return [c for c in cases if c["split"] == split and c["lang"] == lang]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_intent_accuracy_on_the_test_split(lang: str, embedder: SentenceEmbeddings) -> None:
    cases = _cases("test", lang)
    wrong = [
        (c["question"], c["intent"], classify(c["question"], lang=lang, embedder=embedder).intent)
        for c in cases
        if classify(c["question"], lang=lang, embedder=embedder).intent != c["intent"]
    ]
    assert len(cases) >= 25
    assert 1 - len(wrong) / len(cases) >= 0.9, wrong


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("How can we reduce SDR turnover?", "actions"),
        ("Why do SDRs leave?", "causes"),
        ("Should we use inside sales for enterprise deals?", "decision"),
        ("What is a good span of control for sales managers?", "figure"),
        ("How is quota attainment calculated?", "definition"),
        ("Inside sales vs field sales?", "comparison"),
        ("Why is our SDR turnover so high?", "my_org"),
        ("为什么销售代表流失率高？", "causes"),
        ("销售经理的管理幅度应该是多少？", "figure"),
        ("如何提高配额达成率？", "actions"),
    ],
)
def test_patterns_decide_in_both_languages(question: str, intent: str) -> None:
    decision = classify(question)
    assert (decision.intent, decision.by) == (intent, "pattern")


def test_a_roster_name_makes_the_question_about_the_org() -> None:
    decision = classify("What should we do with dana?", roster_names=["Dana Lee", "Dana", "West"])
    assert (decision.intent, decision.by) == ("my_org", "roster")
    assert mentions_roster("How is the Westfield account?", ["West"]) is None


def test_an_unrecognised_english_question_goes_to_the_nearest_examples(embedder: SentenceEmbeddings) -> None:
    decision = classify("Typical ramp period for enterprise AEs", embedder=embedder)
    assert (decision.intent, decision.by) == ("figure", "embedding")
    assert classify("销售团队").by == "default"
