"""How each kind of case is run and scored: retrieval against gold, answers, and drafted plans."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Sequence
from statistics import mean
from typing import TYPE_CHECKING, Any

from advisor.chat.answer import Answer
from advisor.chat.numbers import extract_numbers, number_traces
from advisor.chat.org_context import OrgContext, metric_text
from advisor.chat.support import support_matrix
from advisor.kb.passage import Passage
from advisor.text.sentences import citation_ids, split_sentences, strip_citations
from evals import scores
from evals.cases import Case, Suite
from evals.harness import Harness
from evals.judge import judge_answer
from evals.scores import CitedItem, EvidenceItem
from evals.specs import MODES

if TYPE_CHECKING:
    from advisor.plan.document import Plan
    from evals.results import CaseResult

_AT_K = re.compile(r"^(hit|ndcg)@(\d+)$")
HIT_KS = (1, 3, 5, 10)
NDCG_KS = (5, 10)


def _depths(suite: Suite) -> tuple[list[int], list[int]]:
    """The k of every hit@k and nDCG@k to report: the defaults plus any a threshold names."""
    hits, ndcgs = set(HIT_KS), set(NDCG_KS)
    for name in suite.thresholds:
        match = _AT_K.match(name.split("/")[-1])
        if match:
            (hits if match.group(1) == "hit" else ndcgs).add(int(match.group(2)))
    return sorted(hits), sorted(ndcgs)


def _passage_row(passage: Passage, *, gold: bool) -> dict[str, Any]:
    return {
        "chunk_id": passage.chunk_id, "doc_id": passage.doc_id, "title": passage.title,
        "section": passage.section, "score": round(passage.score, 4), "gold": gold,
    }  # fmt: skip


def run_retrieval(case: Case, *, suite: Suite, harness: Harness, result: CaseResult) -> None:
    """Search in each mode and score the ranking against the case's gold documents."""
    hits, ndcgs = _depths(suite)
    ideal = scores.gold_answers(gold=case.gold)
    for mode in harness.modes:
        started = time.perf_counter()
        # straight to the wrapped retriever: these searches are the measurement, not evidence of an answer; in the
        # question's language first, any language when it has none (as the advisor searches)
        search, depth = harness.retriever.inner.search, max(hits + ndcgs)
        passages = search(case.prompt, k=depth, lang=case.lang, mode=mode) or search(
            case.prompt, k=depth, mode=mode
        )
        if mode == MODES[0]:
            result.latency_s = time.perf_counter() - started
        ranked = [(p.chunk_id, p.doc_id) for p in passages]
        flags = scores.relevance(ranked=ranked, gold=case.gold)
        prefix = "" if mode == MODES[0] else f"{mode}/"
        for k in hits:
            result.scores[f"{prefix}hit@{k}"] = scores.hit_at_k(relevant=flags, k=k)
        result.scores[f"{prefix}mrr"] = scores.reciprocal_rank(relevant=flags)
        for k in ndcgs:
            result.scores[f"{prefix}ndcg@{k}"] = scores.ndcg_at_k(relevant=flags, k=k, ideal_hits=ideal)
        gold_flags = [scores.is_gold(chunk_id=c, doc_id=d, gold=case.gold) for c, d in ranked]
        result.retrieved[mode] = [_passage_row(p, gold=g) for p, g in zip(passages, gold_flags, strict=True)]


def org_evidence(org: OrgContext, *, lang: str) -> list[str]:
    """Every number the org's metrics and findings state: the texts the advisor shows and their raw values."""
    texts = [metric_text(metric, org.finding_for(metric.id), lang=lang) for metric in org.metrics]
    texts += [json.dumps(metric.to_dict(), default=str) for metric in org.metrics]
    texts += [json.dumps(finding.to_dict(), default=str) for finding in org.findings]
    return texts


def _untraced(text: str, evidence: Sequence[str]) -> list[str]:
    return [n.raw for n in extract_numbers(strip_citations(text)) if not number_traces(n, evidence)]


def _support(answer: Answer, retrieved: Sequence[Passage], *, lang: str, harness: Harness) -> float | None:
    """Citation support: the cited evidence against the retrieved passages no citation was taken from."""
    sentences = [s for s in split_sentences(answer.answer) if s.cited]
    columns = [c.text for c in answer.citations]
    columns += [
        p.text for p in retrieved
        if not any(c.doc_id == p.doc_id and scores.excerpt_of(excerpt=c.text, passage=p.text) for c in answer.citations)
    ]  # fmt: skip
    index: dict[str, int] = {}
    for column, citation in enumerate(answer.citations):
        index.setdefault(citation.id, column)
    cited = [[index[cid] for cid in s.cited if cid in index] for s in sentences]
    kept = [i for i, cols in enumerate(cited) if cols]
    if not kept or not columns:
        return None
    matrix = support_matrix([sentences[i].text for i in kept], columns, lang=lang, embedder=harness.embedder)
    return scores.citation_support(support=matrix, cited=[cited[i] for i in kept])


def _score_text(case: Case, text: str, result: CaseResult) -> None:
    """The scores any produced text gets: expected facts and forbidden content."""
    result.scores["expected_fact_recall"] = scores.fact_recall(text=text, facts=case.expected_facts)
    found = scores.forbidden_found(text=text, forbidden=case.forbidden)
    result.scores["forbidden_rate"] = (1.0 if found else 0.0) if case.forbidden else None
    result.details["missing_facts"] = [
        f for f in case.expected_facts if not scores.fact_found(text=text, fact=f)
    ]
    result.details["forbidden_found"] = found


def run_answer(case: Case, *, suite: Suite, harness: Harness, result: CaseResult) -> None:
    """Ask the advisor (earlier conversation turns first) and score the last answer."""
    org = harness.org(case.org) if case.org else None
    conversation_id = None
    for turn in case.turns[:-1]:
        conversation_id = harness.advisor.ask(turn, conversation_id=conversation_id, org=org).conversation_id
    harness.retriever.take()
    started = time.perf_counter()
    answer = harness.advisor.ask(case.prompt, conversation_id=conversation_id, org=org)
    result.latency_s = time.perf_counter() - started
    result.timings = dict(answer.timings)
    retrieved = harness.retriever.take()
    result.answer, result.refused, result.language, result.path = (
        answer.answer, answer.refused, answer.language, answer.path
    )  # fmt: skip
    result.citations = [
        {"id": c.id, "doc_id": c.doc_id, "title": c.title, "section": c.section, "text": c.text}
        for c in answer.citations
    ]
    result.retrieved["evidence"] = [_passage_row(p, gold=p.doc_id in case.gold) for p in retrieved]
    evidence = (
        [p.text for p in retrieved] + (org_evidence(org, lang=case.lang) if org else []) + list(case.turns)
    )
    metric_ids = {m.id for m in org.metrics if m.value is not None} if org else set()
    answered = not answer.refused
    has_citations = bool(answer.citations or citation_ids(answer.answer))
    result.scores.update(
        {
            "citation_validity": scores.citation_validity(
                answer=answer.answer,
                citations=[CitedItem(c.id, c.doc_id, c.text) for c in answer.citations],
                retrieved=[EvidenceItem(p.doc_id, p.text) for p in retrieved],
                metric_ids=metric_ids,
            ),
            "cited": (1.0 if has_citations else 0.0) if answered and case.in_scope else None,
            "citation_support": _support(answer, retrieved, lang=case.lang, harness=harness)
            if answered
            else None,
            "numeric_faithfulness": scores.numeric_faithfulness(text=answer.answer, evidence=evidence),
            "language_match": scores.language_match(
                text=answer.answer, declared=answer.language, expected=case.lang
            ),
            "refusal_correct": 1.0 if answer.refused == case.must_refuse else 0.0,
        }
    )
    _score_text(case, answer.answer, result)
    if answered:
        result.scores["key_point_coverage"] = scores.key_point_coverage(
            text=answer.answer, key_points=case.key_points
        )
        result.scores["direct_answer"] = scores.direct_answer(
            text=answer.answer, key_points=case.key_points, intent=case.intent
        )
        result.scores["readability"] = scores.readability(text=answer.answer, lang=case.lang)
        result.details["missing_key_points"] = [
            " / ".join(point) for point in case.key_points
            if not scores.key_point_coverage(text=answer.answer, key_points=[point])
        ]  # fmt: skip
    if case.intent:
        result.scores["intent_match"] = 1.0 if answer.intent == case.intent else 0.0
    result.details["untraced_numbers"] = _untraced(answer.answer, evidence)
    if harness.judge is not None:
        result.judge = judge_answer(
            harness.judge, question=case.prompt, answer=answer.answer, evidence=[p.text for p in retrieved],
            must_refuse=case.must_refuse, runs=harness.judge_runs, seed=harness.settings.seed,
        )  # fmt: skip
        result.scores.update(
            {name: mean(values) if values else None for name, values in result.judge.items()}
        )


def _blocks(section: Any) -> list[Any]:
    return [*section.blocks, *(block for sub in section.subsections for block in sub.blocks)]


def _has_content(section: Any) -> bool:
    """Whether a plan section says something: a block that is not a "data needed" call-out."""
    return any(not (block.kind == "note" and block.tone == "warning") for block in _blocks(section))


def _prose(plan: Plan) -> list[str]:
    """Paragraphs the model wrote or the evidence supplied: the plan text whose numbers could be invented."""
    from advisor.plan.document import Paragraph

    return [
        block.text
        for section in plan.sections
        for block in _blocks(section)
        if isinstance(block, Paragraph) and block.origin != "template"
    ]


def run_plan(case: Case, *, suite: Suite, harness: Harness, result: CaseResult) -> None:
    """Draft a plan for the case's roster and score its sections, numbers and citations."""
    from advisor.plan.draft import draft_plan
    from advisor.plan.render import render_plan

    roster, profile = harness.roster(case.org) if case.org else (None, None)
    started = time.perf_counter()
    plan = draft_plan(
        roster, settings=harness.settings, profile=profile, goal=case.goal, lang=case.lang,
        as_of=case.org.as_of if case.org else None,
    )  # fmt: skip
    result.latency_s = time.perf_counter() - started
    result.timings = {f"{name}_ms": round(seconds * 1000, 1) for name, seconds in plan.timings.items()}
    markdown = render_plan(plan, "md").decode("utf-8")
    result.answer, result.language, result.refused = markdown, plan.lang, None
    result.citations = [{"id": s.id, "doc_id": s.doc_id, "title": s.title, "section": s.section, "text": s.text}
                        for s in plan.sources]  # fmt: skip
    filled: dict[str, bool] = {}
    for section in plan.sections:
        filled[section.id] = filled[section.title] = _has_content(section)
    result.details["missing_sections"] = [s for s in case.expected_sections if not filled.get(s)]
    prose = "\n".join(_prose(plan))
    evidence = [s.text for s in plan.sources] + [
        json.dumps(item, default=str) for item in (*plan.metrics, *plan.findings)
    ] + [json.dumps(run.changes, default=str) for run in plan.scenarios]  # fmt: skip
    result.scores.update(
        {
            "section_coverage": scores.section_coverage(filled=filled, expected=case.expected_sections),
            "numeric_faithfulness": scores.numeric_faithfulness(text=prose, evidence=evidence),
            "citation_validity": scores.citation_validity(
                answer=markdown,
                citations=[CitedItem(s.id, s.doc_id, s.text) for s in plan.sources],
                retrieved=[EvidenceItem(s.doc_id, s.text) for s in plan.sources],
                metric_ids={str(m.get("id")) for m in plan.metrics},
            ),
            "language_match": (
                scores.language_match(text=prose, declared=plan.lang, expected=case.lang) if prose else None
            ),
        }
    )
    _score_text(case, markdown, result)
    result.details["untraced_numbers"] = _untraced(prose, evidence)
