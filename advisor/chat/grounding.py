"""Grounding: keep only the sentences of a draft that the evidence supports, each with its citations.

Deterministic and independent of the model: split into sentences; drop citations that do not resolve; attach the
clearly best-supporting evidence to uncited sentences; check every number against the cited evidence and the
metrics, rewriting a sentence from its evidence or dropping it when a number does not trace; drop what nothing
supports; then check each claim of the sentence against its cited evidence (`advisor.chat.claims`: numbers in
context, polarity and quantifiers, subject, named source) and drop it unless every claim is entailed; with a
capable model configured, finally ask it whether the cited evidence entails the sentence (`advisor.chat.entailment`)
and drop it when the model says it does not. The plan writer calls `ground` on each section's prose.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from langchain_core.embeddings import Embeddings

from advisor.chat.claims import check_claims
from advisor.chat.evidence import EvidencePack
from advisor.chat.injection import looks_like_injection
from advisor.chat.numbers import untraceable_numbers
from advisor.chat.support import MARGIN, THRESHOLDS, support_matrix
from advisor.kb.instructions import addresses_assistant
from advisor.text.lang import is_language
from advisor.text.sentences import Sentence, sentence_units, split_sentences
from advisor.text.tokens import key_terms, overlap

Action = Literal["kept", "attached", "rewritten"]
DraftProblem = Literal["empty", "repetitive", "wrong_language"]
DropReason = Literal[
    "unsupported", "untraceable_number", "contradicted", "not_entailed", "injection", "duplicate"
]
# (sentence, cited evidence texts) -> whether a capable model judges the evidence to entail the sentence
Entails = Callable[[str, Sequence[str]], bool]
# a sentence sharing this much of its wording with the system prompt is a leak, whatever it cites
_LEAK_OVERLAP = 0.6


@dataclass(frozen=True)
class GroundedSentence:
    """A sentence that survived grounding, with the evidence ids it rests on."""

    text: str
    citations: tuple[str, ...]
    action: Action = "kept"
    item: bool = False  # shown as a list item (the composer's reasons and steps) rather than in the prose


@dataclass(frozen=True)
class DroppedSentence:
    """A sentence grounding removed, and why."""

    text: str
    reason: DropReason
    detail: str = (
        ""  # for a claim that failed: which check (`number_context:10`, `antonym:short`, `source:Gartner`)
    )


@dataclass
class GroundedText:
    """The outcome of grounding one draft."""

    sentences: list[GroundedSentence] = field(default_factory=list)
    dropped: list[DroppedSentence] = field(default_factory=list)
    invalid_citations: list[str] = field(default_factory=list)
    lang: str = "en"

    @property
    def cited_ids(self) -> list[str]:
        """Evidence ids cited by the surviving sentences, in order of first use."""
        return list(dict.fromkeys(cid for s in self.sentences for cid in s.citations))

    @property
    def text(self) -> str:
        """The grounded prose with citation markers, e.g. "Turnover is high [S1]."; list items as `- ` lines."""
        return "".join(self.pieces())

    def pieces(self) -> list[str]:
        """The text as it streams: one piece per sentence or list item, which concatenate to `text`."""
        pieces: list[str] = []
        previous: GroundedSentence | None = None
        for sentence in self.sentences:
            body = cite(sentence.text, sentence.citations)
            if sentence.item:
                pieces.append(
                    ("\n" if previous and previous.item else "\n\n" if previous else "") + f"- {body}"
                )
            elif previous is None:
                pieces.append(body)
            else:
                gap = "\n\n" if previous.item else ("" if self.lang == "zh" else " ")
                pieces.append(gap + body)
            previous = sentence
        return pieces

    def __str__(self) -> str:
        return self.text


def cite(text: str, ids: Sequence[str]) -> str:
    """A sentence with its citation markers placed before its closing punctuation (markers it already carries
    inline, as a trust notice does, are not repeated)."""
    ids = [cid for cid in ids if f"[{cid}]" not in text]
    if not ids:
        return text
    marker = "".join(f"[{cid}]" for cid in ids)
    match = re.search(r"[.!?。！？]+$", text)
    if match:
        return f"{text[: match.start()].rstrip()} {marker}{match.group(0)}"
    return f"{text} {marker}"


def draft_problem(draft: str, *, lang: str) -> DraftProblem | None:
    """Why a model's draft is unusable as a whole (empty, repetitive, wrong language), or None."""
    sentences = [s.text.lower() for s in split_sentences(draft)]
    if not sentences or sum(len(s) for s in sentences) < 8:
        return "empty"
    words = draft.lower().split() if lang == "en" else list(draft)
    trigrams = [tuple(words[i : i + 3]) for i in range(max(len(words) - 2, 0))]
    if (len(sentences) >= 3 and len(set(sentences)) / len(sentences) < 0.6) or (
        len(trigrams) >= 12 and len(set(trigrams)) / len(trigrams) < 0.5
    ):
        return "repetitive"
    if not is_language(draft, lang):
        return "wrong_language"
    return None


def _rewrite(
    sentence: str, candidates: list[str], pack: EvidencePack, *, lang: str, embedder: Embeddings
) -> tuple[str, str] | None:
    """The evidence sentence closest to a sentence whose number failed, with its id, if it is close enough."""
    units = [(cid, unit) for cid in candidates for unit in sentence_units(pack.get(cid).text)]  # type: ignore[union-attr]
    if not units:
        return None
    scores = support_matrix([sentence], [unit for _, unit in units], lang=lang, embedder=embedder)[0]
    best = int(scores.argmax())
    return (units[best][1], units[best][0]) if scores[best] >= THRESHOLDS[lang] else None


class Grounder:
    """Grounds a draft one sentence at a time, so a stream can show each sentence as soon as it is verified."""

    def __init__(
        self,
        pack: EvidencePack,
        *,
        lang: str,
        embedder: Embeddings,
        forbidden: Sequence[str] = (),
        threshold: float | None = None,
        margin: float = MARGIN,
        entails: Entails | None = None,
    ) -> None:
        self.pack, self.lang, self.embedder, self.margin = pack, lang, embedder, margin
        self.entails = entails
        self.threshold = THRESHOLDS.get(lang, THRESHOLDS["en"]) if threshold is None else threshold
        self.result = GroundedText(lang=lang)
        self._forbidden = [terms for terms in (key_terms(text) for text in forbidden) if terms]
        self._ids = [item.id for item in pack]
        self._metric_texts = [item.text for item in pack if item.kind == "metric"]
        self._seen: set[str] = set()

    def feed(self, sentence: Sentence) -> GroundedSentence | None:
        """The sentence as grounding keeps it (cited, perhaps rewritten from its evidence), or None if dropped."""
        result, ids = self.result, self._ids
        leaked = any(overlap(terms, sentence.text) >= _LEAK_OVERLAP for terms in self._forbidden)
        # a sentence addressed to the assistant (a planted instruction) is never copied into an answer
        if looks_like_injection(sentence.text) or addresses_assistant(sentence.text) or leaked:
            result.dropped.append(DroppedSentence(sentence.text, "injection"))
            return None
        scores = support_matrix([sentence.text], self.pack.texts(), lang=self.lang, embedder=self.embedder)[0]
        result.invalid_citations.extend(cid for cid in sentence.cited if cid not in self.pack)
        by_score = sorted(range(len(ids)), key=lambda j: -scores[j])
        # a citation the model made stands when the evidence supports it at least loosely
        chosen = [
            cid
            for cid in sentence.cited
            if cid in self.pack and scores[ids.index(cid)] >= self.threshold - self.margin
        ]
        action: Action = "kept"
        if not chosen and by_score:
            best = scores[by_score[0]]
            second = scores[by_score[1]] if len(by_score) > 1 else 0.0
            if best >= self.threshold and (best - second >= self.margin or second >= self.threshold):
                chosen, action = [ids[by_score[0]]], "attached"
        if not chosen:
            result.dropped.append(DroppedSentence(sentence.text, "unsupported"))
            return None
        text = sentence.text
        checked = [self.pack.get(cid).text for cid in chosen] + self._metric_texts  # type: ignore[union-attr]
        if untraceable_numbers(text, checked):
            rewritten = _rewrite(text, chosen, self.pack, lang=self.lang, embedder=self.embedder)
            if rewritten is None:
                result.dropped.append(DroppedSentence(text, "untraceable_number"))
                return None
            text, chosen, action = rewritten[0], [rewritten[1]], "rewritten"
        else:  # a sentence rewritten from its evidence is an evidence sentence: nothing left to entail
            claim = check_claims(text, checked, lang=self.lang, embedder=self.embedder)
            if not claim.supported:
                reason: DropReason = "contradicted" if claim.verdict == "contradicted" else "unsupported"
                result.dropped.append(DroppedSentence(text, reason, claim.reason))
                return None
        if text.lower() in self._seen:
            result.dropped.append(DroppedSentence(text, "duplicate"))
            return None
        cited = [self.pack.get(cid).text for cid in chosen]  # type: ignore[union-attr]
        if self.entails is not None and action != "rewritten" and not self.entails(text, cited):
            result.dropped.append(DroppedSentence(text, "not_entailed", "model"))
            return None
        self._seen.add(text.lower())
        kept = GroundedSentence(text, tuple(chosen), action)
        result.sentences.append(kept)
        return kept


def ground(
    draft: str,
    pack: EvidencePack,
    *,
    lang: str,
    embedder: Embeddings,
    forbidden: Sequence[str] = (),
    threshold: float | None = None,
    margin: float = MARGIN,
) -> GroundedText:
    """Ground a draft in an evidence pack: every surviving sentence is cited and its numbers trace."""
    grounder = Grounder(
        pack, lang=lang, embedder=embedder, forbidden=forbidden, threshold=threshold, margin=margin
    )
    for sentence in split_sentences(draft):
        grounder.feed(sentence)
    return grounder.result
