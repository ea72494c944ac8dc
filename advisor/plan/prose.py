"""Prose slots: the model writes a few sentences from an evidence pack, grounding keeps what the evidence supports.

When the model is absent (Chinese plans: the default model writes English only), its draft is unusable, or too
little survives grounding, the slot falls back to extractive text built from the same evidence.

The embedded model is asked only for the "why" of the top `MODEL_ACTIONS` recommendations: measured on the
200-person bench roster, none of its nine drafts survived grounding and they cost 19 of the plan's 24 s. A capable
model (`capable_model`) writes every slot. A draft that turns repetitive is cut off as it streams; it would be
withdrawn anyway. Only grounded sentences reach the plan.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from langchain_core.embeddings import Embeddings
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage

from advisor.chat.evidence import Evidence, EvidencePack
from advisor.chat.grounding import cite, draft_problem, ground
from advisor.plan.document import Paragraph
from advisor.prompts import render_prompt
from advisor.text.sentences import citation_ids, join_sentences, split_sentences
from advisor.text.tokens import key_terms, overlap

SENTENCES = 2
SLOT_TOKENS = 96  # two short sentences with citations; more only gives a small model room to ramble
MIN_WORDS = 6  # shorter "sentences" from a small model are fragments or headings
MIN_CJK_CHARS = 10
MODEL_ACTIONS = (
    3  # recommendations (by priority) whose "why" the embedded model drafts; the rest are extractive
)
_CHECK_EVERY = 8  # streamed chunks between checks for a draft that has started looping


@dataclass(frozen=True)
class Slot:
    """A place in the plan for prose: the prompt to use, its evidence, and the extractive text to fall back on."""

    prompt: str  # template under prompts/plan/, without the language suffix: "summary" or "recommendation"
    evidence: tuple[Evidence, ...]
    fallback: str
    variables: dict[str, Any] = field(default_factory=dict)
    needs_passage: bool = True  # kept prose must cite at least one knowledge passage
    must_cite: tuple[
        str, ...
    ] = ()  # passages the slot always cites: quoted after the prose if it left them out
    rank: int | None = None  # the recommendation's place by priority (0 first); None for other slots


@dataclass
class Writer:
    """Writes slots with one model and embedder, counting how each slot ended up."""

    model: BaseChatModel | None
    embedder: Embeddings | None
    lang: str
    counts: dict[str, int] = field(default_factory=lambda: {"generated": 0, "extractive": 0})
    model_seconds: float = 0.0  # time spent waiting for the model, apart from grounding and assembly
    model_ranks: int | None = MODEL_ACTIONS  # top recommendations the model drafts; None: every slot

    def drafts(self, slot: Slot) -> bool:
        """Whether the model is asked to write this slot."""
        if self.model is None or self.embedder is None:
            return False
        return self.model_ranks is None or (slot.rank is not None and slot.rank < self.model_ranks)

    def write(self, slot: Slot) -> Paragraph:
        """The slot's paragraph: grounded model prose if enough survives, else the extractive fallback."""
        text = self._generate(slot) if self.drafts(slot) else None
        if text:
            self.counts["generated"] += 1
            cited = set(citation_ids(text))
            missing = [item for item in slot.evidence if item.id in slot.must_cite and item.id not in cited]
            return Paragraph(
                join_sentences([text, extractive(missing, lang=self.lang)], lang=self.lang), "generated"
            )
        self.counts["extractive"] += 1
        return Paragraph(slot.fallback, origin="extractive")

    def _generate(self, slot: Slot) -> str | None:
        assert self.model is not None and self.embedder is not None
        system = render_prompt(f"plan/system.{self.lang}.j2", sentences=SENTENCES)
        user = render_prompt(f"plan/{slot.prompt}.{self.lang}.j2", evidence=slot.evidence, **slot.variables)
        started = time.perf_counter()
        draft = self.draft(self.model, [SystemMessage(system), HumanMessage(user)])
        self.model_seconds += time.perf_counter() - started
        if draft_problem(draft, lang=self.lang) is not None:
            return None
        grounded = ground(draft, EvidencePack(slot.evidence), lang=self.lang, embedder=self.embedder,
                          forbidden=[system])  # fmt: skip
        kept = [s for s in grounded.sentences if readable(s.text, lang=self.lang)]
        cites_passage = any(cid.startswith("S") for s in kept for cid in s.citations)
        if not kept or (slot.needs_passage and not cites_passage):
            return None
        return join_sentences([cite(s.text, s.citations) for s in kept], lang=self.lang)

    def draft(self, model: BaseChatModel, messages: list[BaseMessage]) -> str:
        """The model's draft, cut off as soon as it repeats itself (grounding would withdraw it)."""
        chunks: list[str] = []
        for count, chunk in enumerate(model.stream(messages, max_tokens=SLOT_TOKENS), start=1):
            chunks.append(str(chunk.content))
            if count % _CHECK_EVERY == 0 and draft_problem("".join(chunks), lang=self.lang) == "repetitive":
                break
        return "".join(chunks)


def readable(sentence: str, *, lang: str) -> bool:
    """Whether a sentence reads as a statement: long enough, not a question, not looping on itself."""
    text = sentence.rstrip()
    if text.endswith(("?", "？")):
        return False
    if lang == "zh":
        return len(text) >= MIN_CJK_CHARS
    words = text.lower().split()
    trigrams = [tuple(words[i : i + 3]) for i in range(len(words) - 2)]
    return len(words) >= MIN_WORDS and len(set(trigrams)) == len(trigrams)


def extractive(
    evidence: Sequence[Evidence], *, lang: str, per_item: int = 1, lead: str = "", focus: str = ""
) -> str:
    """Fallback prose: a lead sentence, then statements of each passage, each cited to its source.

    With a `focus` (the problem and the action), each passage gives the statements sharing most of its terms, in
    passage order among equals; without one, its first statements.
    """
    sentences = [lead] if lead else []
    terms = key_terms(focus) if focus else []
    for item in evidence:
        if item.kind != "passage":
            continue
        candidates = [s.text for s in split_sentences(item.text)]
        statements = [text for text in candidates if readable(text, lang=lang)] or candidates
        if terms:
            statements = sorted(statements, key=lambda text: -overlap(terms, text))
        sentences += [cite(text, [item.id]) for text in statements[:per_item]]
    joiner = "" if lang == "zh" else " "
    return joiner.join(sentences)
