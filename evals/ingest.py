"""The `ingest` eval kind: clean a paragraph with labelled spliced spam and score what was cut against the labels.

A case's `question` is a paragraph with every spliced fragment marked `⟦like this⟧` (the corpus is
`tests/fixtures/spam/`). The markers are taken out, the paragraph goes through `clean_text` exactly as ingest runs it,
and the cleaned text is aligned with the raw one on words and Chinese characters, so punctuation and spacing fixes
are not counted as cuts. Scores per case:

- `spam_recall`: labelled fragments caught (at least `CAUGHT_SHARE` of their content characters gone);
- `cut_precision`: content characters cut that lay inside a labelled fragment;
- `false_cut_rate`: clean sentences (sentences with text outside the fragments) that lost any of that text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from typing import TYPE_CHECKING

from advisor.kb.clean import clean_text
from advisor.kb.coherence import Encoder, SemanticJudge
from advisor.text.lang import HAN

if TYPE_CHECKING:
    from evals.cases import Case, Suite
    from evals.harness import Harness
    from evals.results import CaseResult

CAUGHT_SHARE = 0.8
_MARK = re.compile("⟦(.*?)⟧")
_CONTENT = re.compile(rf"[{HAN}]|[^\W_{HAN}]+")  # a Han character, or a word of any other script
_SENTENCE_END = re.compile(r"(?<=[。！？!?])|(?<=\.)(?=\s)")


@dataclass(frozen=True)
class CutScore:
    """What cleaning cut from one labelled paragraph, counted against its labels."""

    fragments: int
    caught: int
    clean_sentences: int
    damaged: int
    cut_chars: int
    cut_in_spam: int

    @property
    def recall(self) -> float | None:
        """Share of labelled fragments caught (None without fragments)."""
        return self.caught / self.fragments if self.fragments else None

    @property
    def precision(self) -> float | None:
        """Share of cut characters that were spam (None when nothing was cut)."""
        return self.cut_in_spam / self.cut_chars if self.cut_chars else None

    @property
    def false_cut_rate(self) -> float | None:
        """Share of clean sentences that lost text (None without clean sentences)."""
        return self.damaged / self.clean_sentences if self.clean_sentences else None


def parse_marked(text: str) -> tuple[str, list[tuple[int, int]]]:
    """The paragraph without its `⟦...⟧` markers, and the character span of each marked fragment in it."""
    raw, spans, last = [], [], 0
    length = 0
    for match in _MARK.finditer(text):
        raw.append(text[last : match.start()])
        length += match.start() - last
        spans.append((length, length + len(match.group(1))))
        raw.append(match.group(1))
        length += len(match.group(1))
        last = match.end()
    raw.append(text[last:])
    return "".join(raw), spans


def removed(raw: str, cleaned: str) -> list[bool]:
    """Per character of `raw`: part of a word (or Chinese character) with no counterpart in `cleaned`."""
    words = list(_CONTENT.finditer(raw))
    after = _CONTENT.findall(cleaned)
    kept = [False] * len(words)
    matcher = SequenceMatcher(None, [w.group() for w in words], after, autojunk=False)
    for block in matcher.get_matching_blocks():
        kept[block.a : block.a + block.size] = [True] * block.size
    mask = [False] * len(raw)
    for word, was_kept in zip(words, kept, strict=True):
        mask[word.start() : word.end()] = [not was_kept] * (word.end() - word.start())
    return mask


def _sentences(raw: str) -> list[tuple[int, int]]:
    bounds = [0, *(m.start() for m in _SENTENCE_END.finditer(raw)), len(raw)]
    return [(a, b) for a, b in zip(bounds, bounds[1:], strict=False) if raw[a:b].strip()]


def score_cut(marked: str, cleaned: str) -> CutScore:
    """Count caught fragments, damaged clean sentences and cut characters for one cleaned paragraph."""
    raw, spans = parse_marked(marked)
    mask = removed(raw, cleaned)
    spam = [False] * len(raw)
    for start, end in spans:
        spam[start:end] = [True] * (end - start)
    content = [bool(_CONTENT.match(char)) for char in raw]
    caught = 0
    for start, end in spans:
        chars = [i for i in range(start, end) if content[i]]
        if chars and sum(mask[i] for i in chars) >= CAUGHT_SHARE * len(chars):
            caught += 1
    clean_sentences = damaged = 0
    for start, end in _sentences(raw):
        text = [i for i in range(start, end) if content[i] and not spam[i]]
        if text:
            clean_sentences += 1
            damaged += any(mask[i] for i in text)
    cut = [i for i in range(len(raw)) if mask[i]]
    return CutScore(len(spans), caught, clean_sentences, damaged, len(cut), sum(spam[i] for i in cut))


@lru_cache(maxsize=2)
def _judge(embeddings: Encoder, model: str) -> SemanticJudge:
    return SemanticJudge(embeddings, model=model)


def run_ingest(case: Case, *, suite: Suite, harness: Harness, result: CaseResult) -> None:
    """Clean the case's paragraph as ingest does and score the cut against its labelled fragments."""
    raw, _ = parse_marked(case.prompt)
    cleaned = clean_text(
        raw, lang=case.lang, judge=_judge(harness.embedder, harness.settings.embedding_model)
    )
    score = score_cut(case.prompt, cleaned)
    result.answer = cleaned
    result.scores["spam_recall"] = score.recall
    result.scores["cut_precision"] = score.precision
    result.scores["false_cut_rate"] = score.false_cut_rate
    result.details["fragments"] = [
        case.prompt[m.start() + 1 : m.end() - 1] for m in _MARK.finditer(case.prompt)
    ]
