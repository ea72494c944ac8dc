"""The corpus as answer units: every section has a role, answer sentences stand alone, each article lists its questions.

The composer quotes causes, actions and figures sentences one by one, so each must make sense on its own: no opening
pronoun pointing back ("They", "This", 这/它/此/其), no cross-reference ("see above", 如上), and every benchmark
figure with its source in the same sentence. Actions are one concrete action per bullet. Tables stay in figures and
definition sections, where the composer reads them as data, never as prose.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest
from corpus_helpers import LANGS, ROLES, Article, Section, load_articles, suite_data

ARTICLES = load_articles()
BY_ID = {article.meta["id"]: article for article in ARTICLES}
ANSWER_ROLES = {"causes", "actions", "figures"}
LIST_ROLES = {"actions", "checklist"}
TABLE_ROLES = {"figures", "definition"}

DANGLING = {
    "en": re.compile(
        r"^(?:They|Them|This|These|Those|That|It|Its|Such|Here|So|Thus|Therefore|Hence|Also|But|And)\b"
    ),
    # 其他/其余/其实 are ordinary words, not a pointer back.
    "zh": re.compile(r"^(?:这|那些|它|此|其(?!他|余|实)|该|所以|因此|但|而且|另外)"),
}
BACK_REFERENCE = {
    "en": re.compile(
        r"\b(?:see (?:above|below)|as (?:mentioned|noted|above|shown)|mentioned (?:above|earlier)"
        r"|(?:the|example|table|list|section) (?:above|below)|previous section|earlier section)\b|\bsee \"",
        re.I,
    ),
    "zh": re.compile(r"如上|如下|上文|下文|上述|前面提到|如前所述|前文|见《"),
}
# Who a benchmark figure comes from; a figures sentence with a number names one of them.
SOURCES = (
    "Harvard Business Review", "HBR", "CSO Insights", "Bridge Group", "TOPO", "Alexander Group", "CEB",
    "Sales Executive Council", "InsightSquared", "Kahle", "revenuetools.io", "mod-us", "Insidesales.com",
    "DePaul", "Xactly", "SHRM", "SBI", "Bureau of Labor Statistics", "BLS", "guidance", "secondary",
    "哈佛商业评论", "劳工统计局", "指南", "二手来源",
)  # fmt: skip
# Published figures that must never travel without their source, whatever section they sit in.
BENCHMARK_FIGURES = (
    "27%", "20-23%", "34%", "55%", "14 months", "14.3", "2.4 years", "1.5 years", "3.2 months", "1:2.5",
    "1:2.1", "1:4.4", "1.5 to 3.4", "1.5-3.4", "8.5", "1:8.1", "1:8.7", "51.8%", "57.1%", "97,960", "115k",
    "150-200%", "47%", "53%", "48%", "85%", "14.2%", "7.9%", "14 个月", "2.4 年", "1.5 年", "3.2 个月",
)  # fmt: skip
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"(*])|(?<=[。！？])")
LIST_ITEM = re.compile(r"^(?:[-*]|\d{1,2}\.) ")
MARKUP = re.compile(r"\*\*|__|`")


def _sentences(section: Section) -> list[str]:
    """Prose sentences of a section: list items and lines are split apart, table rows are left out."""
    sentences = []
    for line in section.lines:
        line = MARKUP.sub("", LIST_ITEM.sub("", line.strip()))
        if line and not line.startswith("|"):
            sentences += [part.strip() for part in SENTENCE_END.split(line) if part.strip()]
    return sentences


def _lang(article: Article) -> str:
    return str(article.meta["lang"])


def _answer_sentences(article: Article) -> list[tuple[str, str]]:
    return [
        (section.name, sentence)
        for section in article.sections
        if section.role in ANSWER_ROLES
        for sentence in _sentences(section)
    ]


by_article = pytest.mark.parametrize("article", ARTICLES, ids=lambda a: a.label)


@by_article
def test_every_heading_carries_a_known_role(article: Article) -> None:
    sections = article.sections
    assert sections, "needs '##' sections"
    assert [s.heading for s in sections if s.role not in ROLES] == []


@by_article
def test_headings_are_short(article: Article) -> None:
    limit = 48 if _lang(article) == "en" else 16
    assert [s.name for s in article.sections if len(s.name) > limit] == []


@by_article
def test_the_title_is_the_only_top_heading(article: Article) -> None:
    tops = re.findall(r"^# (.+)$", article.body, re.M)
    assert tops == [article.meta["title"]]


@by_article
def test_every_section_has_content(article: Article) -> None:
    assert [s.name for s in article.sections if not s.text.strip()] == []


@by_article
def test_tables_only_in_figures_and_definition_sections(article: Article) -> None:
    stray = [s.name for s in article.sections if s.role not in TABLE_ROLES and "\n|" in f"\n{s.text}"]
    assert stray == []


@by_article
def test_answer_sentences_open_without_a_pointer_back(article: Article) -> None:
    dangling = DANGLING[_lang(article)]
    assert [sentence for _, sentence in _answer_sentences(article) if dangling.match(sentence)] == []


@by_article
def test_answer_sentences_have_no_cross_reference(article: Article) -> None:
    back = BACK_REFERENCE[_lang(article)]
    assert [sentence for _, sentence in _answer_sentences(article) if back.search(sentence)] == []


@by_article
def test_no_cross_reference_anywhere_points_up_or_down(article: Article) -> None:
    pattern = {"en": r"\b(?:see above|see below|as mentioned)\b", "zh": r"如上|如下|上文|下文|如前所述"}
    assert re.findall(pattern[_lang(article)], article.body, re.I) == []


@by_article
def test_figures_sentences_name_their_source(article: Article) -> None:
    unsourced = [
        sentence
        for section in article.sections
        if section.role == "figures"
        for sentence in _sentences(section)
        if re.search(r"\d", sentence) and not any(source in sentence for source in SOURCES)
    ]
    assert unsourced == []


@by_article
def test_benchmark_figures_travel_with_their_source(article: Article) -> None:
    # Everywhere outside worked examples and definitions, a published figure is never shown without its source.
    loose = [
        sentence
        for section in article.sections
        if section.role not in ("example", "definition")
        for sentence in _sentences(section)
        if any(figure in sentence for figure in BENCHMARK_FIGURES)
        and not any(source in sentence for source in SOURCES)
    ]
    assert loose == []


@by_article
def test_figures_tables_name_their_sources(article: Article) -> None:
    for section in article.sections:
        rows = [
            line for line in section.lines if line.startswith("|") and not re.fullmatch(r"[|\s:-]+", line)
        ]
        if section.role != "figures" or not rows:
            continue
        header, body = rows[0], rows[1:]
        assert any(word in header for word in ("source", "来源", *SOURCES)), (
            f"{section.name}: no source column"
        )
        assert all(row.strip("| ").rsplit("|", 1)[-1].strip() for row in body), f"{section.name}: empty cell"


@by_article
def test_actions_and_checklists_are_lists_of_full_sentences(article: Article) -> None:
    for section in article.sections:
        if section.role not in LIST_ROLES:
            continue
        lines = [line.strip() for line in section.lines if line.strip()]
        assert lines and all(LIST_ITEM.match(line) for line in lines), f"{section.name}: one bullet per line"
        for line in lines:
            item = MARKUP.sub("", LIST_ITEM.sub("", line))
            assert re.search(r"[.。?？!！]$", item), f"{section.name}: {item!r} must end as a sentence"
            words = len(item.split()) if _lang(article) == "en" else len(item)
            assert words >= 5, f"{section.name}: {item!r} is too short to be an action"


@by_article
def test_every_article_has_an_actions_section_or_a_reason_not_to(article: Article) -> None:
    roles = {section.role for section in article.sections}
    assert "overview" in roles or "definition" in roles, "start with what the article is about"
    assert roles & {"actions", "checklist"}, "a sales leader needs something to do"


@by_article
def test_questions_are_listed_in_the_article_language(article: Article) -> None:
    questions = article.meta.get("questions")
    assert isinstance(questions, list) and 4 <= len(questions) <= 8
    han = [bool(re.search(r"[\u4e00-\u9fff]", str(q))) for q in questions]
    assert all(han) if _lang(article) == "zh" else not any(han)
    assert all(re.search(r"[?？]$", str(q).strip()) for q in questions), "each is a question"


def test_article_questions_are_unique_and_not_copied_from_the_eval_suites() -> None:
    questions = [str(q) for article in ARTICLES for q in article.meta["questions"]]
    assert [q for q, n in Counter(questions).items() if n > 1] == []
    evaluated = {
        case["question"]
        for name in ("answers", "answers_org", "retrieval", "refusal", "plans", "in_scope", "intents")
        for case in suite_data(name).get("cases") or []
        if "question" in case
    }
    assert sorted(set(questions) & evaluated) == []


@pytest.mark.parametrize("article", [a for a in ARTICLES if a.meta["lang"] == "en"], ids=lambda a: a.label)
def test_siblings_have_the_same_roles_in_the_same_order(article: Article) -> None:
    sibling = BY_ID[article.meta["translation_of"]]
    assert [s.role for s in sibling.sections] == [s.role for s in article.sections]
    assert len(sibling.meta["questions"]) == len(article.meta["questions"])


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
    assert figures and answer in _sentences(figures[0])[0]


# --- the labelled question sets ---


def test_intent_labels_are_balanced_and_documented() -> None:
    cases = suite_data("intents")["cases"]
    intents = {"causes", "actions", "decision", "figure", "definition", "comparison", "my_org"}
    assert len(cases) >= 140 and len({c["id"] for c in cases}) == len(cases)
    assert {c["intent"] for c in cases} == intents
    assert all(c["lang"] in LANGS and c["split"] in ("dev", "test") and c["question"].strip() for c in cases)
    by_lang = Counter(c["lang"] for c in cases)
    assert by_lang["en"] == by_lang["zh"]
    for lang in LANGS:
        assert {c["intent"] for c in cases if c["lang"] == lang} == intents
    dev = sum(c["split"] == "dev" for c in cases) / len(cases)
    assert 0.55 <= dev <= 0.65


def test_in_scope_questions_cover_every_theme_and_name_a_real_article() -> None:
    cases = suite_data("in_scope")["cases"]
    assert len(cases) >= 70 and len({c["id"] for c in cases}) == len(cases)
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
