"""The extractive answer: the evidence's own sentences that best answer the question, each cited.

Used when the model's draft is unusable or too little of it survives grounding, and for Chinese answers when the
model cannot write Chinese. Every sentence is copied from one evidence item, so it is supported and its numbers trace
by construction.
"""

from __future__ import annotations

from langchain_core.embeddings import Embeddings

from advisor.chat.evidence import EvidencePack
from advisor.chat.grounding import GroundedSentence, GroundedText
from advisor.chat.support import evidence_units, support_matrix
from advisor.text.tokens import key_terms, overlap

_MIN_CHARS = {"en": 30, "zh": 12}
_PER_ITEM = 2
_SAME_FACT = 0.6


def _readable(sentence: str, lang: str) -> bool:
    # headings, table rows, lead-ins ending in a colon and cross-references read badly out of context
    return (
        len(sentence) >= _MIN_CHARS[lang]
        and not sentence.rstrip().endswith((":", "：", "?", "？", "|"))
        and not sentence.startswith(("See ", "参见", "详见"))
        and "见《" not in sentence
    )


def _repeats(sentence: str, chosen: list[str]) -> bool:
    # two documents often restate one fact (the English article and the benchmarks table): say it once
    terms = key_terms(sentence)
    return any(overlap(terms, other) >= _SAME_FACT for other in chosen)


def compose(
    question: str, pack: EvidencePack, *, lang: str, embedder: Embeddings, max_sentences: int = 4
) -> GroundedText:
    """Up to `max_sentences` cited evidence sentences that answer the question; metric evidence comes first."""
    candidates = [
        (index, position, item.id, unit)
        for index, item in enumerate(pack)
        for position, unit in enumerate(evidence_units(item.text))
        if _readable(unit, lang) or item.kind == "metric"
    ]
    if not candidates:
        return GroundedText(lang=lang)
    scores = support_matrix([question], [unit for *_, unit in candidates], lang=lang, embedder=embedder)[0]
    metric_ids = {item.id for item in pack if item.kind == "metric"}
    order = sorted(range(len(candidates)), key=lambda i: (candidates[i][2] not in metric_ids, -scores[i]))
    chosen: list[int] = []
    per_item: dict[str, int] = {}
    for i in order:
        _, _, evidence_id, unit = candidates[i]
        if per_item.get(evidence_id, 0) >= _PER_ITEM or _repeats(unit, [candidates[j][3] for j in chosen]):
            continue
        chosen.append(i)
        per_item[evidence_id] = per_item.get(evidence_id, 0) + 1
        if len(chosen) == max_sentences:
            break
    # read in the evidence's own order: metrics, then passages by rank, each in its own sentence order
    chosen.sort(key=lambda i: (candidates[i][0], candidates[i][1]))
    sentences = [GroundedSentence(candidates[i][3], (candidates[i][2],), "kept") for i in chosen]
    return GroundedText(sentences=sentences, lang=lang)
