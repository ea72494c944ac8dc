"""Each corpus lint rule catches the fault it is named for, in English and Chinese, and passes clean text."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from corpus_helpers import Article
from lint import (
    back_references,
    dangling_openings,
    long_headings,
    loose_list_items,
    question_problems,
    role_mismatch,
    stray_tables,
    unknown_roles,
    unsourced_figures,
    unsourced_tables,
)

QUESTIONS = {
    "en": ["Why do reps leave?", "How do we keep them?", "What is turnover?", "How many leave a year?"],
    "zh": ["销售为什么走?", "怎么留住销售?", "什么是离职率?", "一年走多少人?"],
}


def article(body: str, *, lang: str = "en", questions: object = None) -> Article:
    meta = {"id": f"x-{lang}", "lang": lang, "title": "X", "questions": questions or QUESTIONS[lang]}
    return Article(Path(lang) / "x.md", meta, f"# X\n\n{body}\n")


Rule = Callable[[Article], list[str]]


@pytest.mark.parametrize(
    ("rule", "lang", "body"),
    [
        (unknown_roles, "en", "## Why reps leave\n\nText."),
        (unknown_roles, "en", "## Why reps leave {role=reasons}\n\nText."),
        (
            long_headings,
            "en",
            "## Why reps leave and what a sales leader should do about it {role=causes}\n\nA.",
        ),
        (long_headings, "zh", "## 销售为什么离开以及销售负责人应该怎么应对 {role=causes}\n\n文字。"),
        (stray_tables, "en", "## Why {role=causes}\n\n| a | b |\n| --- | --- |\n| 1 | 2 |"),
        (dangling_openings, "en", "## Why {role=causes}\n\n- Reps leave early. They lack a path."),
        (dangling_openings, "en", "## Fix {role=actions}\n\n- So give every rep a career path."),
        (dangling_openings, "zh", "## 原因 {role=causes}\n\n- 这会让销售离开。"),
        (dangling_openings, "zh", "## 原因 {role=causes}\n\n销售离开得早。其原因是没有路径。"),
        (back_references, "en", "## Why {role=causes}\n\n- Reps leave for the reasons mentioned above."),
        (back_references, "en", '## Fix {role=actions}\n\n- Build a path, see "Career paths".'),
        (back_references, "zh", "## 原因 {role=causes}\n\n- 如上所述,销售会离开。"),
        (unsourced_figures, "en", "## Benchmarks {role=figures}\n\nTurnover runs at 27% a year."),
        (unsourced_figures, "en", "## Why {role=causes}\n\n- SDRs stay about 14 months on average."),
        (unsourced_figures, "zh", "## 基准 {role=figures}\n\n销售离职率每年最高 27%。"),
        (
            unsourced_tables,
            "en",
            "## Benchmarks {role=figures}\n\n| what | value |\n| --- | --- |\n| x | 27% |",
        ),
        (loose_list_items, "en", "## Fix {role=actions}\n\nGive reps a path and coach them weekly."),
        (loose_list_items, "en", "## Fix {role=actions}\n\n- Career path"),
        (loose_list_items, "zh", "## 做法 {role=actions}\n\n- 职业路径"),
    ],
)
def test_rule_flags_its_fault(rule: Rule, lang: str, body: str) -> None:
    assert rule(article(body, lang=lang)) != []


CLEAN = {
    "en": (
        "## Why reps leave {role=causes}\n\n- Reps without a career path leave around the one-year mark.\n\n"
        "## Benchmarks {role=figures}\n\n| what | value | source |\n| --- | --- | --- |\n"
        "| turnover | 27% | HBR (2017) |\n\nHarvard Business Review (2017) reports turnover of up to 27% a year.\n\n"
        "## Fixes {role=actions}\n\n- Give every SDR a written career path with a review at one year."
    ),
    "zh": (
        "## 销售为什么走 {role=causes}\n\n- 没有职业路径的 SDR 往往在一年左右离开。\n\n"
        "## 基准 {role=figures}\n\n《哈佛商业评论》(2017)报告销售离职率每年最高可达 27%。\n\n"
        "## 做法 {role=actions}\n\n- 给每位 SDR 一条写明的职业路径,并在满一年时评估。"
    ),
}
RULES_UNDER_TEST = (
    unknown_roles, long_headings, stray_tables, dangling_openings, back_references, unsourced_figures,
    unsourced_tables, loose_list_items, question_problems,
)  # fmt: skip


@pytest.mark.parametrize("rule", RULES_UNDER_TEST, ids=lambda rule: rule.__name__)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_rule_passes_clean_text(rule: Rule, lang: str) -> None:
    assert rule(article(CLEAN[lang], lang=lang)) == []


@pytest.mark.parametrize(
    ("lang", "questions"),
    [
        ("en", ["Why do reps leave?"]),  # too few
        ("en", ["Why do reps leave?", "How do we keep them?", "What is turnover?", "Turnover benchmarks"]),
        ("en", ["Why do reps leave?", "How do we keep them?", "What is turnover?", "销售为什么走?"]),
        ("zh", ["销售为什么走?", "怎么留住销售?", "什么是离职率?", "Why do reps leave?"]),
    ],
)
def test_questions_must_be_four_to_eight_questions_in_the_article_language(
    lang: str, questions: list[str]
) -> None:
    assert question_problems(article(CLEAN[lang], lang=lang, questions=questions)) != []


def test_role_mismatch_between_translations_is_reported() -> None:
    en = article(CLEAN["en"])
    zh = article(CLEAN["zh"].replace("{role=causes}", "{role=overview}"), lang="zh")
    assert role_mismatch(en, zh) == ["section 1: causes vs overview"]
    assert role_mismatch(en, article(CLEAN["zh"], lang="zh")) == []
