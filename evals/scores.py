"""Deterministic scores: pure functions of a case's expectations and what the advisor returned.

Numbers and citation markers are read with the same code the grounding step uses (`advisor.chat.numbers`,
`advisor.text.sentences`), so "traceable" means one thing across the product and its evals.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from advisor.chat.composer import CROSS_REFERENCE, DANGLING
from advisor.chat.numbers import extract_numbers, number_traces
from advisor.text.lang import is_language
from advisor.text.numbers import states_quantity
from advisor.text.sentences import citation_ids, split_sentences, strip_citations
from advisor.text.tokens import key_terms, overlap

# a citation's excerpt resolves to a passage when the passage holds this share of its key terms: excerpts are
# trimmed and cleaned copies of passages, so an exact substring test would be too strict
EXCERPT_OVERLAP = 0.8
_LANG_SUFFIX = re.compile(r"-(?:en|zh)$")


@dataclass(frozen=True)
class CitedItem:
    """A citation as the answer gave it: its id (`S2`, `M:turnover_rate`), document and text."""

    id: str
    doc_id: str
    text: str


@dataclass(frozen=True)
class EvidenceItem:
    """A passage the retriever returned while answering: its document and text."""

    doc_id: str
    text: str


def is_gold(*, chunk_id: str, doc_id: str, gold: Collection[str]) -> bool:
    """Whether a passage answers a case whose gold lists document or chunk ids."""
    return chunk_id in gold or doc_id in gold


def article(doc_id: str) -> str:
    """The article a document id belongs to: translations (`-en`, `-zh`) of one article are one answer."""
    return _LANG_SUFFIX.sub("", doc_id)


def gold_answers(*, gold: Collection[str]) -> int:
    """How many distinct answers a gold list names (an article in two languages is one): nDCG's ideal hits."""
    return len({article(item) for item in gold})


def relevance(*, ranked: Sequence[tuple[str, str]], gold: Collection[str]) -> list[bool]:
    """Per rank, whether the `(chunk_id, doc_id)` there is gold; each gold article counts at its first chunk only."""
    found: set[str] = set()
    flags = []
    for chunk_id, doc_id in ranked:
        hit = is_gold(chunk_id=chunk_id, doc_id=doc_id, gold=gold)
        key = chunk_id if chunk_id in gold else article(doc_id)
        flags.append(hit and key not in found)
        if hit:
            found.add(key)
    return flags


def hit_at_k(*, relevant: Sequence[bool], k: int) -> float:
    """1 when a gold item is among the first k results, else 0."""
    return 1.0 if any(relevant[:k]) else 0.0


def reciprocal_rank(*, relevant: Sequence[bool]) -> float:
    """1 / rank of the first gold item (0 when none was retrieved)."""
    return next((1.0 / rank for rank, hit in enumerate(relevant, start=1) if hit), 0.0)


def ndcg_at_k(*, relevant: Sequence[bool], k: int, ideal_hits: int) -> float:
    """Binary-gain nDCG over the first k results, against a ranking with `ideal_hits` gold items on top."""
    ideal = sum(1.0 / math.log2(rank + 1) for rank in range(1, min(k, ideal_hits) + 1))
    if ideal == 0:
        return 0.0
    dcg = sum(1.0 / math.log2(rank + 1) for rank, hit in enumerate(relevant[:k], start=1) if hit)
    return min(dcg / ideal, 1.0)


def excerpt_of(*, excerpt: str, passage: str) -> bool:
    """Whether a citation's excerpt was taken from a passage (it holds nearly all the excerpt's key terms)."""
    terms = key_terms(excerpt)
    return bool(terms) and overlap(terms, passage) >= EXCERPT_OVERLAP


def _resolves(
    cid: str, item: CitedItem | None, *, retrieved: Sequence[EvidenceItem], metric_ids: Collection[str]
) -> bool:
    if cid.startswith("M:"):
        return cid[2:] in metric_ids
    return item is not None and any(
        passage.doc_id == item.doc_id and excerpt_of(excerpt=item.text, passage=passage.text)
        for passage in retrieved
    )


def citation_validity(
    *,
    answer: str,
    citations: Sequence[CitedItem],
    retrieved: Sequence[EvidenceItem],
    metric_ids: Collection[str],
) -> float | None:
    """Share of citations (markers in the text and listed citations) that resolve to retrieved evidence or metrics.

    A metric citation resolves when the org has that metric; a passage citation resolves when it is listed and a
    retrieved passage of the same document contains its excerpt (a bare marker with no listed citation does not).
    None when the answer cites nothing.
    """
    listed = {item.id: item for item in citations}
    ids = list(dict.fromkeys([*citation_ids(answer), *listed]))
    if not ids:
        return None
    valid = sum(_resolves(cid, listed.get(cid), retrieved=retrieved, metric_ids=metric_ids) for cid in ids)
    return valid / len(ids)


def citation_support(*, support: np.ndarray, cited: Sequence[Sequence[int]]) -> float | None:
    """Mean margin by which each sentence's cited evidence supports it better than the best uncited evidence.

    `support[i, j]` is how well evidence j supports sentence i (0..1); `cited[i]` lists the columns sentence i
    cites. Positive means citations point at the evidence that actually says it. None when nothing can be compared.
    """
    margins: list[float] = []
    for row, columns in enumerate(cited):
        others = [j for j in range(support.shape[1]) if j not in columns]
        if not others:
            continue
        best_other = float(support[row, others].max())
        margins.extend(float(support[row, j]) - best_other for j in columns)
    return float(np.mean(margins)) if margins else None


def numeric_faithfulness(*, text: str, evidence: Sequence[str]) -> float | None:
    """Share of the numbers in a text that trace to the evidence (None when the text states no number)."""
    numbers = extract_numbers(strip_citations(text))
    if not numbers:
        return None
    return sum(number_traces(number, evidence) for number in numbers) / len(numbers)


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).casefold().strip()


def fact_found(*, text: str, fact: str | float) -> bool:
    """Whether a text states a fact: the words (case- and width-insensitive), or the number at its precision."""
    fact_text = fact if isinstance(fact, str) else f"{fact:g}"
    if _normal(fact_text) in _normal(text):
        return True
    wanted = extract_numbers(fact_text)
    if len(wanted) != 1 or strip_citations(fact_text).strip() != wanted[0].raw:
        return False
    return any(number_traces(number, [fact_text]) for number in extract_numbers(strip_citations(text)))


def fact_recall(*, text: str, facts: Sequence[str | float]) -> float | None:
    """Share of the expected facts the text states (None when the case expects none)."""
    if not facts:
        return None
    return sum(fact_found(text=text, fact=fact) for fact in facts) / len(facts)


def forbidden_found(*, text: str, forbidden: Sequence[str]) -> list[str]:
    """The forbidden strings present in a text (case- and width-insensitive)."""
    normal = _normal(text)
    return [item for item in forbidden if _normal(item) in normal]


def language_match(*, text: str, declared: str, expected: str) -> float:
    """1 when the answer says it is in the expected language and its text is written in it, else 0."""
    return 1.0 if declared == expected and is_language(strip_citations(text), expected) else 0.0


def refusal_precision_recall(*, outcomes: Sequence[tuple[bool, bool]]) -> tuple[float | None, float | None]:
    """Precision and recall of refusals over `(must_refuse, refused)` pairs (None where undefined)."""
    true_pos = sum(must and did for must, did in outcomes)
    refused = sum(did for _, did in outcomes)
    should = sum(must for must, _ in outcomes)
    return (true_pos / refused if refused else None, true_pos / should if should else None)


def section_coverage(*, filled: Mapping[str, bool], expected: Sequence[str]) -> float | None:
    """Share of the expected sections present with content; `filled` maps section ids and titles to that."""
    if not expected:
        return None
    return sum(filled.get(section, False) for section in expected) / len(expected)


def percentile(*, values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0..100, linear interpolation) of some values, None when there are none."""
    return float(np.percentile(np.asarray(values, dtype=float), q)) if values else None


def key_point_coverage(*, text: str, key_points: Sequence[Sequence[str]]) -> float | None:
    """Share of the key points the text makes (a point counts when any of its phrasings is stated)."""
    if not key_points:
        return None
    made = sum(any(fact_found(text=text, fact=phrasing) for phrasing in point) for point in key_points)
    return made / len(key_points)


def lead_sentence(text: str) -> str:
    """The answer's first sentence (before any list), without citation markers."""
    sentences = split_sentences(text)
    return strip_citations(sentences[0].text).strip() if sentences else ""


def direct_answer(*, text: str, key_points: Sequence[Sequence[str]], intent: str | None) -> float | None:
    """1 when the lead sentence answers the question: it makes one of the key points (a figure question's lead
    states a quantity, in digits or in words: "how quickly" is answered by "within a year", 多久 by 一年内);
    None when the case names no key points."""
    if not key_points:
        return None
    lead = lead_sentence(text)
    if intent == "figure" and not states_quantity(lead):
        return 0.0
    return 1.0 if key_point_coverage(text=lead, key_points=key_points) else 0.0


def readability(*, text: str, lang: str) -> float | None:
    """1 when no sentence opens on a pronoun pointing back, and no table, heading or cross-reference residue shows."""
    sentences = [strip_citations(s.text).strip().lstrip("-*• ").strip() for s in split_sentences(text)]
    if not sentences:
        return None
    dangling = DANGLING["zh" if lang == "zh" else "en"]
    bad = [
        s
        for s in sentences
        if dangling.match(s) or "|" in s or s.startswith("#") or CROSS_REFERENCE.search(s) is not None
    ]
    return 0.0 if bad else 1.0
