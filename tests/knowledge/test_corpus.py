"""The curated knowledge corpus, its benchmarks file and the eval question sets are consistent with each other."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import pytest
import yaml
from corpus_helpers import LANGS, REPO, Article, load_articles, suite_data

from advisor.bundled import KNOWLEDGE_DIR

KNOWLEDGE = KNOWLEDGE_DIR
SEED = REPO / ".." / "shared" / "seed" / "sales-structure-guidance.zh.txt"

REQUIRED_KEYS = {"id", "title", "lang", "topics", "source", "translation_of"}
TOPICS = {
    "turnover", "retention", "career_path", "onboarding", "training", "quotas_kpis", "burnout", "sdr",
    "inside_sales", "field_sales", "sales_mix", "territory", "account_size", "product_line", "industry",
    "channel_strategy", "marketing_alignment", "customer_engagement", "segmentation", "content",
    "span_of_control", "sdr_ae_ratio", "attainment", "pipeline", "capacity", "ramp", "cost_of_turnover",
    "revenue_per_rep", "metrics",
}  # fmt: skip
METRIC_IDS = {
    "headcount_start", "headcount_end", "separations", "voluntary_separations", "turnover_rate",
    "voluntary_turnover_rate", "early_attrition_share", "avg_tenure_months", "span_of_control_mean",
    "sdr_ae_ratio", "inside_share", "quota_attainment_share", "ramped_capacity", "reps_needed", "turnover_cost",
    "territory_load_cv", "revenue_per_rep", "ramp_months", "pipeline_coverage", "magic_number",
    "sdr_turnover_rate", "sdr_avg_tenure_months", "onboarding_turnover",
}  # fmt: skip
PERCENT_METRICS = {
    "turnover_rate", "voluntary_turnover_rate", "early_attrition_share", "inside_share", "quota_attainment_share",
    "territory_load_cv", "sdr_turnover_rate", "onboarding_turnover",
}  # fmt: skip
MONTH_METRICS = {"avg_tenure_months", "ramp_months", "sdr_avg_tenure_months"}
USD_METRICS = {"ramped_capacity", "turnover_cost", "revenue_per_rep"}
BENCHMARK_KEYS = {
    "id",
    "metric_id",
    "low",
    "high",
    "unit",
    "source",
    "publisher",
    "year",
    "secondary",
    "note",
}
# per: what one value counts when it is not the metric itself; publisher_zh: the publisher's name in Chinese
OPTIONAL_BENCHMARK_KEYS = {"per", "publisher_zh"}
CASE_KEYS = {
    "id",
    "question",
    "lang",
    "split",
    "in_scope",
    "gold",
    "expected_facts",
    "forbidden",
    "must_refuse",
    "tags",
}
ANSWER_KEYS = {"key_points", "intent"}
SUITE_THRESHOLDS = {
    "retrieval": {"hit@1": 0.7, "hit@5": 0.95, "mrr": 0.8, "ndcg@5": 0.8},
    "answers": {
        "expected_fact_recall": 0.6,
        "numeric_faithfulness": 1.0,
        "citation_validity": 1.0,
        "language_match": 1.0,
        "key_point_coverage": 0.8,
        "readability": 1.0,
        "direct_answer": 0.75,
    },
    "refusal": {"refusal_precision": 0.9, "refusal_recall": 0.9},
}
# Injected SEO fragments in the seed (a phone country-code phrase, a database advert, an unrelated slogan) and the
# words an English rewrite of them would use; none may reach an article.
SEED_SPAM = ("+961", "黎巴嫩电话号码", "国家代码", "ws 数据库", "打破神话", "营销只是为了吸引新客户")
SPAM_WORDS = SEED_SPAM + (
    "961",
    "黎巴嫩",
    "数据库",
    "Lebanon",
    "Lebanese",
    "country code",
    "database",
    "myth",
)
# The only figures the seed states; each must reach readers of both languages.
SEED_FIGURES = ("14.2%", "7.9%", "47%", "53%")
KEBAB = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


ARTICLES = load_articles()
BY_ID = {article.meta["id"]: article for article in ARTICLES}


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).casefold()


def _benchmarks() -> dict[str, Any]:
    data = yaml.safe_load((KNOWLEDGE / "benchmarks.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_corpus_has_12_to_20_themes_in_both_languages() -> None:
    # Issue 12 brought marketing alignment and customer engagement in scope with articles of their own.
    counts = Counter(article.meta["lang"] for article in ARTICLES)
    assert counts["en"] == counts["zh"]
    assert 12 <= counts["en"] <= 20


def test_knowledge_folder_holds_only_articles_and_benchmarks() -> None:
    # Anything else under knowledge/ would be ingested as if it were guidance.
    stray = [
        p.relative_to(KNOWLEDGE).as_posix()
        for p in KNOWLEDGE.rglob("*")
        if p.is_file() and p.name != "benchmarks.yaml" and not (p.suffix == ".md" and p.parent.name in LANGS)
    ]
    assert stray == []


@pytest.mark.parametrize("article", ARTICLES, ids=lambda a: a.label)
def test_front_matter_is_complete_and_consistent(article: Article) -> None:
    meta = article.meta
    assert set(meta) >= REQUIRED_KEYS, f"missing {REQUIRED_KEYS - set(meta)}"
    lang = article.path.parent.name
    assert meta["lang"] == lang
    assert KEBAB.fullmatch(meta["id"]) and meta["id"].endswith(f"-{lang}")
    assert meta["id"] == f"{article.path.stem}-{lang}"
    assert isinstance(meta["title"], str) and meta["title"].strip()
    assert isinstance(meta["source"], str) and meta["source"].strip()
    assert isinstance(meta["topics"], list) and meta["topics"]
    assert set(meta["topics"]) <= TOPICS, f"unknown topics {set(meta['topics']) - TOPICS}"


@pytest.mark.parametrize("article", ARTICLES, ids=lambda a: a.label)
def test_translation_resolves_both_ways(article: Article) -> None:
    other = BY_ID.get(article.meta["translation_of"])
    assert other is not None, f"{article.meta['translation_of']} does not exist"
    assert other.meta["lang"] != article.meta["lang"]
    assert other.meta["translation_of"] == article.meta["id"]
    assert set(other.meta["topics"]) == set(article.meta["topics"])


@pytest.mark.parametrize("article", ARTICLES, ids=lambda a: a.label)
def test_article_shape_suits_the_chunker(article: Article) -> None:
    body = article.body
    assert re.search(r"^## ", body, re.M), "needs '##' sections for the heading-aware chunker"
    # Chinese carries about twice the meaning per character, so its articles are shorter for the same content.
    low = 2000 if article.meta["lang"] == "en" else 1000
    assert low <= len(body) <= 5000


def test_article_ids_are_unique() -> None:
    ids = [article.meta["id"] for article in ARTICLES]
    assert len(ids) == len(set(ids))


def test_seed_spam_list_matches_the_seed() -> None:
    if not SEED.exists():
        pytest.skip(f"{SEED} is absent: ../shared only exists in the team's workspace")
    seed = SEED.read_text(encoding="utf-8")
    assert [fragment for fragment in SEED_SPAM if fragment not in seed] == []


@pytest.mark.parametrize("article", ARTICLES, ids=lambda a: a.label)
def test_no_spam_fragment_reaches_an_article(article: Article) -> None:
    text = article.path.read_text(encoding="utf-8").casefold()
    assert [word for word in SPAM_WORDS if word.casefold() in text] == []


@pytest.mark.parametrize("lang", LANGS)
def test_seed_figures_appear_in_each_language(lang: str) -> None:
    corpus = " ".join(article.body for article in ARTICLES if article.meta["lang"] == lang)
    assert [figure for figure in SEED_FIGURES if figure not in corpus] == []


def test_seed_figures_are_the_seeds_own() -> None:
    if not SEED.exists():
        pytest.skip(f"{SEED} is absent: ../shared only exists in the team's workspace")
    seed = SEED.read_text(encoding="utf-8")
    assert [figure for figure in SEED_FIGURES if figure not in seed] == []


# --- benchmarks.yaml ---


def test_benchmark_rows_follow_the_schema() -> None:
    rows = _benchmarks()["benchmarks"]
    assert len({row["id"] for row in rows}) == len(rows)
    for row in rows:
        assert BENCHMARK_KEYS <= set(row) <= BENCHMARK_KEYS | OPTIONAL_BENCHMARK_KEYS, row["id"]
        for key in ("publisher", *OPTIONAL_BENCHMARK_KEYS):
            assert key not in row or (isinstance(row[key], str) and row[key].strip()), (row["id"], key)
        assert KEBAB.fullmatch(row["id"]), row["id"]
        assert row["metric_id"] in METRIC_IDS, row["id"]
        assert row["low"] is not None or row["high"] is not None, row["id"]
        for bound in ("low", "high"):
            assert row[bound] is None or isinstance(row[bound], int | float), row["id"]
        if row["low"] is not None and row["high"] is not None:
            assert row["low"] <= row["high"], row["id"]
        assert row["year"] is None or (isinstance(row["year"], int) and 1990 <= row["year"] <= 2030), row[
            "id"
        ]
        assert isinstance(row["secondary"], bool), row["id"]
        assert row["source"].strip() and isinstance(row["note"], str), row["id"]


def test_benchmark_units_match_their_metric() -> None:
    for row in _benchmarks()["benchmarks"]:
        metric = row["metric_id"]
        if metric in PERCENT_METRICS:
            assert row["unit"] == "%", row["id"]
            assert all(v is None or 0 <= v <= 100 for v in (row["low"], row["high"])), row["id"]
        elif metric in MONTH_METRICS:
            assert row["unit"] == "months", row["id"]
        elif metric in USD_METRICS:
            assert row["unit"] == "USD", row["id"]


@pytest.mark.parametrize(
    ("metric_id", "value", "year", "secondary"),
    [
        ("turnover_rate", 27, 2017, False),  # HBR, the only primary figure in benchmarks.md
        ("turnover_rate", 23, None, True),  # CSO Insights 20-23%
        ("sdr_turnover_rate", 34, 2015, True),
        ("sdr_turnover_rate", 30, 2017, True),
        ("sdr_avg_tenure_months", 14, None, True),
        ("sdr_avg_tenure_months", 14.3, None, True),
        ("avg_tenure_months", 18, 2018, True),  # about 1.5 years
        ("ramp_months", 3.2, None, True),
        ("ramp_months", 9, None, True),  # enterprise 6-9
        ("sdr_ae_ratio", 2.5, 2015, True),
        ("sdr_ae_ratio", 3.4, 2016, True),
        ("span_of_control_mean", 8.5, None, True),
        ("span_of_control_mean", 8, 2014, True),
        ("span_of_control_mean", 12, None, True),
        ("quota_attainment_share", 51.8, 2009, True),
        ("quota_attainment_share", 57.1, 2015, True),
        ("pipeline_coverage", 5, None, True),
        ("turnover_cost", 97960, None, True),
        ("turnover_cost", 115000, None, True),
        ("inside_share", 47, None, True),
        ("inside_share", 48, None, True),
        ("onboarding_turnover", 14.2, None, True),
        ("revenue_per_rep", 1500000, None, True),
        ("magic_number", 0.75, None, True),
    ],
)
def test_reference_benchmark_is_present(
    metric_id: str, value: float, year: int | None, secondary: bool
) -> None:
    matches = [
        row
        for row in _benchmarks()["benchmarks"]
        if row["metric_id"] == metric_id and value in (row["low"], row["high"]) and row["year"] == year
    ]
    assert matches, f"no {metric_id} row with {value} ({year})"
    assert all(row["secondary"] is secondary for row in matches)


@pytest.mark.parametrize(
    ("segment", "length", "expected"),
    [
        ("sdr", 4, [0.0, 0.5, 0.75, 1.0]),
        ("mid_market", 5, [0.0, 0.25, 0.5, 0.75, 1.0]),
        ("enterprise", 9, None),
        ("smb", 3, None),
    ],
)
def test_ramp_curves(segment: str, length: int, expected: list[float] | None) -> None:
    curve = _benchmarks()["ramp_curves"][segment]
    fractions = curve["fractions"]
    assert len(fractions) == length  # full quota reached in exactly this month of tenure
    assert fractions[-1] == 1.0 and all(v < 1.0 for v in fractions[:-1])
    assert fractions == sorted(fractions) and all(0 <= v <= 1 for v in fractions)
    if expected is not None:
        assert fractions == expected
    assert curve["source"].strip()


# --- eval suites ---


@pytest.mark.parametrize("name", sorted(SUITE_THRESHOLDS))
def test_suite_follows_the_case_format(name: str) -> None:
    suite = suite_data(name)
    assert suite["suite"] == name
    assert suite["description"].strip()
    assert suite["thresholds"] == SUITE_THRESHOLDS[name]
    ids = [case["id"] for case in suite["cases"]]
    assert len(ids) == len(set(ids))
    for case in suite["cases"]:
        # answer cases also say what a good answer covers and what the question asks for
        assert set(case) == CASE_KEYS | (ANSWER_KEYS if name == "answers" else set()), case["id"]
        assert case["lang"] in LANGS and case["split"] in ("dev", "test"), case["id"]
        assert case["question"].strip(), case["id"]
        assert all(isinstance(case[key], list) for key in ("gold", "expected_facts", "forbidden", "tags"))
        if case["must_refuse"]:
            assert not case["in_scope"] and case["gold"] == [] and case["expected_facts"] == [], case["id"]
        else:
            assert case["in_scope"] and case["gold"], case["id"]


@pytest.mark.parametrize("name", sorted(SUITE_THRESHOLDS))
def test_every_gold_id_exists(name: str) -> None:
    missing = {gold for case in suite_data(name)["cases"] for gold in case["gold"] if gold not in BY_ID}
    assert missing == set()


@pytest.mark.parametrize("name", sorted(SUITE_THRESHOLDS))
def test_gold_lists_each_article_in_both_languages(name: str) -> None:
    for case in suite_data(name)["cases"]:
        gold = set(case["gold"])
        assert all(BY_ID[g].meta["translation_of"] in gold for g in gold), case["id"]
        if gold:
            assert BY_ID[case["gold"][0]].meta["lang"] == case["lang"], case["id"]


@pytest.mark.parametrize("name", sorted(SUITE_THRESHOLDS))
def test_languages_and_splits_are_balanced(name: str) -> None:
    cases = suite_data(name)["cases"]
    langs = Counter(case["lang"] for case in cases)
    splits = Counter(case["split"] for case in cases)
    assert langs["en"] == langs["zh"]
    assert abs(splits["dev"] - splits["test"]) <= len(cases) // 10


def test_suite_sizes() -> None:
    assert len(suite_data("retrieval")["cases"]) >= 48
    answers = suite_data("answers")["cases"]
    assert sum(case["in_scope"] for case in answers) >= 44
    refusal = suite_data("refusal")["cases"]
    assert sum(case["must_refuse"] for case in refusal) >= 24
    assert sum(not case["must_refuse"] for case in refusal) >= 10
    assert {case["lang"] for case in refusal if case["must_refuse"]} == set(LANGS)


def test_questions_are_not_copied_between_suites() -> None:
    questions = [case["question"] for name in SUITE_THRESHOLDS for case in suite_data(name)["cases"]]
    assert [q for q, n in Counter(questions).items() if n > 1] == []


def test_answer_cases_have_facts_found_in_their_gold_articles() -> None:
    for case in suite_data("answers")["cases"]:
        assert case["expected_facts"], case["id"]
        same_lang = [BY_ID[g] for g in case["gold"] if BY_ID[g].meta["lang"] == case["lang"]]
        text = _flat(" ".join(article.body for article in same_lang))
        missing = [fact for fact in case["expected_facts"] if _flat(str(fact)) not in text]
        assert missing == [], f"{case['id']}: {missing} not in {[a.meta['id'] for a in same_lang]}"


def test_forbidden_strings_are_absent_from_gold_articles() -> None:
    # A forbidden string that the evidence itself contains could never be avoided by a faithful answer.
    for name in SUITE_THRESHOLDS:
        for case in suite_data(name)["cases"]:
            text = _flat(" ".join(BY_ID[g].body for g in case["gold"]))
            assert [f for f in case["forbidden"] if _flat(f) in text] == [], case["id"]
