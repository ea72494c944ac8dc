"""The bundled corpus as answer units: every article passes every lint rule, in both languages (see lint.py)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

import pytest
from corpus_helpers import LANGS, Article, load_articles, suite_data
from lint import RULES, role_mismatch, sentences

ARTICLES = load_articles()
BY_ID = {article.meta["id"]: article for article in ARTICLES}


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.__name__)
@pytest.mark.parametrize("article", ARTICLES, ids=lambda a: a.label)
def test_article_passes_the_lint_rule(article: Article, rule: Callable[[Article], list[str]]) -> None:
    assert rule(article) == []


@pytest.mark.parametrize("article", ARTICLES, ids=lambda a: a.label)
def test_the_title_is_the_only_top_heading(article: Article) -> None:
    assert re.findall(r"^# (.+)$", article.body, re.M) == [article.meta["title"]]


@pytest.mark.parametrize("article", ARTICLES, ids=lambda a: a.label)
def test_every_article_says_what_it_is_about_and_what_to_do(article: Article) -> None:
    roles = {section.role for section in article.sections}
    assert roles & {"overview", "definition"}, "start with what the article is about"
    assert roles & {"actions", "checklist"}, "a sales leader needs something to do"


@pytest.mark.parametrize("article", [a for a in ARTICLES if a.meta["lang"] == "en"], ids=lambda a: a.label)
def test_siblings_have_the_same_roles_in_the_same_order(article: Article) -> None:
    sibling = BY_ID[article.meta["translation_of"]]
    assert role_mismatch(article, sibling) == []
    assert len(sibling.meta["questions"]) == len(article.meta["questions"])


def test_article_questions_are_unique_and_not_copied_from_the_eval_suites() -> None:
    # A question copied from an eval set would let retrieval on questions grade itself.
    questions = [str(q) for article in ARTICLES for q in article.meta["questions"]]
    assert [q for q, n in Counter(questions).items() if n > 1] == []
    evaluated = {
        case["question"]
        for name in ("answers", "answers_org", "retrieval", "refusal", "plans", "in_scope", "intents")
        for case in suite_data(name).get("cases") or []
        if "question" in case
    }
    assert sorted(set(questions) & evaluated) == []


@pytest.mark.parametrize(
    ("stem", "lang", "phrases"),
    [
        ("retention-why-tenure-matters", "en", ("career path", "onboarding", "KPI", "workload")),
        ("retention-why-tenure-matters", "zh", ("职业", "入职", "KPI", "工作量")),
        ("retention-sdr-burnout", "en", ("career path", "onboarding", "KPI", "workload")),
        ("retention-sdr-burnout", "zh", ("职业", "入职", "KPI", "工作量")),
    ],
)
def test_reducing_sdr_turnover_has_remedies(stem: str, lang: str, phrases: tuple[str, ...]) -> None:
    # "How can we reduce SDR turnover?" must find remedies, not a way to slice the turnover figure.
    actions = " ".join(s.text for s in BY_ID[f"{stem}-{lang}"].sections if s.role == "actions")
    assert [phrase for phrase in phrases if phrase not in actions] == []


@pytest.mark.parametrize(("lang", "answer"), [("en", "6-8 reps"), ("zh", "6-8 人")])
def test_span_of_control_states_the_six_to_eight_answer_plainly(lang: str, answer: str) -> None:
    figures = [s for s in BY_ID[f"metrics-span-of-control-{lang}"].sections if s.role == "figures"]
    assert figures and answer in sentences(figures[0])[0]


@pytest.mark.parametrize(
    "topic", ["channel_strategy", "marketing_alignment", "customer_engagement", "segmentation", "content"]
)
def test_scope_themes_have_articles_in_both_languages(topic: str) -> None:
    for lang in LANGS:
        assert [a for a in ARTICLES if a.meta["lang"] == lang and topic in a.meta["topics"]], (topic, lang)


# --- the labelled question sets ---


def test_intent_labels_are_balanced_and_split() -> None:
    cases = suite_data("intents")["cases"]
    intents = {"causes", "actions", "decision", "figure", "definition", "comparison", "my_org"}
    assert len(cases) >= 140 and len({c["id"] for c in cases}) == len(cases)
    assert all(set(c) == {"id", "question", "lang", "intent", "split"} for c in cases)
    assert all(c["lang"] in LANGS and c["split"] in ("dev", "test") and c["question"].strip() for c in cases)
    assert {c["intent"] for c in cases} == intents
    by_lang = Counter(c["lang"] for c in cases)
    assert by_lang["en"] == by_lang["zh"]
    for lang in LANGS:
        assert {c["intent"] for c in cases if c["lang"] == lang} == intents
    assert 0.55 <= sum(c["split"] == "dev" for c in cases) / len(cases) <= 0.65
    assert len({c["question"] for c in cases}) == len(cases)


def test_in_scope_questions_cover_every_theme_and_name_a_real_article() -> None:
    cases = suite_data("in_scope")["cases"]
    assert len(cases) >= 70 and len({c["id"] for c in cases}) == len(cases)
    assert all(set(c) == {"id", "question", "lang", "theme", "expected_doc", "split"} for c in cases)
    assert [c["id"] for c in cases if c["expected_doc"] not in BY_ID] == []
    assert all(BY_ID[c["expected_doc"]].meta["lang"] == c["lang"] for c in cases)
    assert {c["expected_doc"].rsplit("-", 1)[0] for c in cases} == {a.path.stem for a in ARTICLES}
    themes = {c["theme"] for c in cases}
    for lang in LANGS:
        assert {c["theme"] for c in cases if c["lang"] == lang} == themes
    assert {
        "channel_strategy",
        "marketing_alignment",
        "customer_engagement",
        "segmentation",
        "content",
    } <= themes
