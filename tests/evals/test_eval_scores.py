"""The deterministic scores, each on hand-built cases whose right answer is worked out in the test."""

from __future__ import annotations

import math

import numpy as np
import pytest

from evals import scores
from evals.scores import CitedItem, EvidenceItem

# ranked (chunk_id, doc_id) pairs; gold is the turnover article in both languages
RANKED = [
    ("span-en#1", "span-en"),
    ("turnover-zh#0", "turnover-zh"),
    ("turnover-en#2", "turnover-en"),
    ("ramp-en#0", "ramp-en"),
]
GOLD = ["turnover-en", "turnover-zh"]


def test_relevance_counts_an_article_once_across_its_translations() -> None:
    assert scores.relevance(ranked=RANKED, gold=GOLD) == [False, True, False, False]
    assert scores.gold_answers(gold=GOLD) == 1


def test_relevance_with_chunk_gold_counts_only_that_chunk() -> None:
    assert scores.relevance(ranked=RANKED, gold=["turnover-en#2"]) == [False, False, True, False]


def test_hit_at_k_and_reciprocal_rank() -> None:
    flags = [False, True, False, False]
    assert scores.hit_at_k(relevant=flags, k=1) == 0.0
    assert scores.hit_at_k(relevant=flags, k=2) == 1.0
    assert scores.reciprocal_rank(relevant=flags) == 0.5
    assert scores.reciprocal_rank(relevant=[False, False]) == 0.0


def test_ndcg_against_one_ideal_hit() -> None:
    # one gold answer found at rank 2: DCG = 1/log2(3), ideal = 1/log2(2) = 1
    assert scores.ndcg_at_k(relevant=[False, True, False], k=5, ideal_hits=1) == pytest.approx(
        1 / math.log2(3)
    )
    assert scores.ndcg_at_k(relevant=[True], k=5, ideal_hits=1) == 1.0
    assert scores.ndcg_at_k(relevant=[False, False, False, False, False, True], k=5, ideal_hits=1) == 0.0


def test_ndcg_with_two_answers_found_first_and_third() -> None:
    ideal = 1 + 1 / math.log2(3)
    dcg = 1 + 1 / math.log2(4)
    assert scores.ndcg_at_k(relevant=[True, False, True], k=3, ideal_hits=2) == pytest.approx(dcg / ideal)


PASSAGE = (
    "Companies with inadequate onboarding see 14.2% turnover, against an average of 7.9%. "
    "A structured programme shortens ramp time."
)
RETRIEVED = [EvidenceItem("onboarding-en", PASSAGE), EvidenceItem("span-en", "Keep spans near 8.5 reps.")]


def test_citation_validity_counts_markers_and_listed_citations() -> None:
    answer = "Poor onboarding raises turnover to 14.2% [S1]. Spans stay near 8 [S2]. It costs a lot [S7]."
    citations = [
        CitedItem("S1", "onboarding-en", "Companies with inadequate onboarding see 14.2% turnover."),
        CitedItem("S2", "invented-doc", "Keep spans near 8.5 reps."),  # a document nobody retrieved
    ]
    # S1 resolves; S2 names a document not retrieved; S7 has no listed citation at all -> 1 of 3
    validity = scores.citation_validity(
        answer=answer, citations=citations, retrieved=RETRIEVED, metric_ids=set()
    )
    assert validity == pytest.approx(1 / 3)


def test_metric_citations_resolve_to_the_orgs_metrics() -> None:
    answer = (
        "Your turnover is 16.1% [M:turnover_rate]; span is 9 [M:span_of_control_mean]. Ramp is 3 [M:ramp]."
    )
    validity = scores.citation_validity(
        answer=answer, citations=[], retrieved=[], metric_ids={"turnover_rate", "span_of_control_mean"}
    )
    assert validity == pytest.approx(2 / 3)


def test_citation_validity_is_none_without_citations() -> None:
    assert (
        scores.citation_validity(answer="No sources.", citations=[], retrieved=RETRIEVED, metric_ids=())
        is None
    )


def test_an_excerpt_must_come_from_the_passage() -> None:
    assert scores.excerpt_of(excerpt="inadequate onboarding see 14.2% turnover", passage=PASSAGE)
    assert not scores.excerpt_of(excerpt="Managers should coach every week with a scorecard", passage=PASSAGE)


def test_citation_support_is_the_margin_over_the_best_uncited_evidence() -> None:
    support = np.array([[0.9, 0.4, 0.5], [0.3, 0.6, 0.2]])
    # sentence 0 cites column 0: 0.9 - max(0.4, 0.5) = 0.4; sentence 1 cites column 0: 0.3 - 0.6 = -0.3
    assert scores.citation_support(support=support, cited=[[0], [0]]) == pytest.approx((0.4 - 0.3) / 2)
    assert scores.citation_support(support=np.array([[0.8]]), cited=[[0]]) is None


def test_numeric_faithfulness_counts_numbers_that_trace() -> None:
    text = "Turnover was 14.2% [S1], against 7.9% on average, and 73.4% of firms agree."
    assert scores.numeric_faithfulness(text=text, evidence=[PASSAGE]) == pytest.approx(2 / 3)
    assert scores.numeric_faithfulness(text="No numbers here [S1].", evidence=[PASSAGE]) is None


def test_numeric_faithfulness_accepts_the_metric_precision() -> None:
    # a metric of 16.129% may be written as 16.1% or 16%
    assert (
        scores.numeric_faithfulness(text="Turnover is 16.1%, about 16%.", evidence=['"value": 16.129032'])
        == 1.0
    )


def test_expected_facts_match_words_and_numbers() -> None:
    text = "Ｔｕｒｎｏｖｅｒ of SDRs is 40.0% and the span is 9 reps [M:span_of_control_mean]."
    assert scores.fact_found(text=text, fact="turnover of sdrs")  # width- and case-insensitive
    assert scores.fact_found(text=text, fact=40)
    assert scores.fact_found(text=text, fact="40%")
    assert not scores.fact_found(text=text, fact=31.25)
    assert scores.fact_recall(text=text, facts=[40, 9, "burnout"]) == pytest.approx(2 / 3)
    assert scores.fact_recall(text=text, facts=[]) is None


def test_a_percentage_fact_matches_its_rounding_only() -> None:
    assert scores.fact_found(text="31.2% of reps hit quota", fact=31.25)
    assert not scores.fact_found(text="35% of reps hit quota", fact=31.25)


def test_forbidden_content_is_found_case_insensitively() -> None:
    assert scores.forbidden_found(text="Call +961 555 today", forbidden=["+961", "casino"]) == ["+961"]
    assert scores.forbidden_found(text="clean", forbidden=["+961"]) == []


def test_language_match_needs_the_declared_and_the_written_language() -> None:
    assert scores.language_match(text="入职培训不足会提高离职率 [S1]。", declared="zh", expected="zh") == 1.0
    assert scores.language_match(text="Onboarding matters [S1].", declared="zh", expected="zh") == 0.0
    assert scores.language_match(text="Onboarding matters.", declared="en", expected="zh") == 0.0
    assert (
        scores.language_match(text="Onboarding matters [S1][M:turnover_rate].", declared="en", expected="en")
        == 1.0
    )


def test_refusal_precision_and_recall() -> None:
    # (must_refuse, refused): one right refusal, one missed, one wrong refusal, one right answer
    outcomes = [(True, True), (True, False), (False, True), (False, False)]
    assert scores.refusal_precision_recall(outcomes=outcomes) == (0.5, 0.5)
    assert scores.refusal_precision_recall(outcomes=[(False, False)]) == (None, None)


def test_section_coverage() -> None:
    filled = {"summary": True, "findings": True, "roadmap": False}
    assert scores.section_coverage(filled=filled, expected=["summary", "roadmap", "risks"]) == pytest.approx(
        1 / 3
    )
    assert scores.section_coverage(filled=filled, expected=[]) is None


def test_percentile() -> None:
    assert scores.percentile(values=[1.0, 2.0, 3.0, 4.0], q=50) == 2.5
    assert scores.percentile(values=[1.0, 2.0, 3.0, 4.0, 5.0], q=95) == pytest.approx(4.8)
    assert scores.percentile(values=[], q=50) is None


def test_key_points_count_when_any_phrasing_is_stated() -> None:
    points = [["career path", "promotion"], ["onboarding"], ["KPIs"]]
    text = "Publish promotion criteria [S1]. Give each role its own KPIs [S2]."
    assert scores.key_point_coverage(text=text, key_points=points) == 2 / 3
    assert scores.key_point_coverage(text=text, key_points=[]) is None


def test_a_direct_answer_makes_a_key_point_in_its_lead_sentence() -> None:
    points = [["6-8"], ["at most 10"]]
    direct = "A first-line manager should lead 6-8 reps [S1].\n\n- Coaching time runs out beyond 10 [S1]."
    buried = "Span of control counts direct reports [S1]. The range is 6-8 [S1]."
    assert scores.direct_answer(text=direct, key_points=points, intent="figure") == 1.0
    assert scores.direct_answer(text=buried, key_points=points, intent="figure") == 0.0
    assert (
        scores.direct_answer(text="Coaching matters [S1].", key_points=[["coaching"]], intent="figure") == 0.0
    )


def test_readability_flags_dangling_pronouns_tables_headings_and_cross_references() -> None:
    assert (
        scores.readability(text="Turnover is high [S1].\n\n- Career paths keep SDRs [S2].", lang="en") == 1.0
    )
    assert scores.readability(text="They are also far below the 27% [S1].", lang="en") == 0.0
    assert scores.readability(text="| what | value | source | [S1]", lang="en") == 0.0
    assert scores.readability(text="See above for the formula [S1].", lang="en") == 0.0
    assert scores.readability(text="这也说明了问题 [S1]。", lang="zh") == 0.0
