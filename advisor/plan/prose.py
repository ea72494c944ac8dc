"""Prose slots: the model writes a few sentences from an evidence pack, grounding keeps what the evidence supports.

When the model is absent (Chinese plans: the default model writes English only), its draft is unusable, or too
little survives grounding, the slot falls back to extractive text built from the same evidence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from langchain_core.embeddings import Embeddings
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage

from advisor.chat.evidence import Evidence, EvidencePack
from advisor.chat.grounding import cite, draft_problem, ground
from advisor.chat.sentences import split_sentences
from advisor.plan.document import Paragraph
from advisor.prompts import render_prompt

SENTENCES = 2


@dataclass(frozen=True)
class Slot:
    """A place in the plan for prose: the prompt to use, its evidence, and the extractive text to fall back on."""

    prompt: str  # template under prompts/plan/, without the language suffix: "summary", "finding", ...
    evidence: tuple[Evidence, ...]
    fallback: str
    variables: dict[str, Any] = field(default_factory=dict)
    needs_passage: bool = True  # kept prose must cite at least one knowledge passage


@dataclass
class Writer:
    """Writes slots with one model and embedder, counting how each slot ended up."""

    model: BaseChatModel | None
    embedder: Embeddings | None
    lang: str
    counts: dict[str, int] = field(default_factory=lambda: {"generated": 0, "extractive": 0})

    def write(self, slot: Slot) -> Paragraph:
        """The slot's paragraph: grounded model prose if enough survives, else the extractive fallback."""
        text = self._generate(slot) if self.model is not None and self.embedder is not None else None
        if text:
            self.counts["generated"] += 1
            return Paragraph(text, origin="generated")
        self.counts["extractive"] += 1
        return Paragraph(slot.fallback, origin="extractive")

    def _generate(self, slot: Slot) -> str | None:
        assert self.model is not None and self.embedder is not None
        system = render_prompt(f"plan/system.{self.lang}.j2", sentences=SENTENCES)
        user = render_prompt(f"plan/{slot.prompt}.{self.lang}.j2", evidence=slot.evidence, **slot.variables)
        reply = self.model.invoke([SystemMessage(system), HumanMessage(user)])
        draft = str(reply.content)
        if draft_problem(draft, lang=self.lang) is not None:
            return None
        grounded = ground(draft, EvidencePack(slot.evidence), lang=self.lang, embedder=self.embedder,
                          forbidden=[system])  # fmt: skip
        cites_passage = any(cid.startswith("S") for cid in grounded.cited_ids)
        if not grounded.sentences or (slot.needs_passage and not cites_passage):
            return None
        return grounded.text


def extractive(evidence: Sequence[Evidence], *, lang: str, per_item: int = 1, lead: str = "") -> str:
    """Fallback prose: a lead sentence, then the first sentences of each passage, each cited to its source."""
    sentences = [lead] if lead else []
    for item in evidence:
        if item.kind != "passage":
            continue
        for sentence in split_sentences(item.text)[:per_item]:
            sentences.append(cite(sentence.text, [item.id]))
    joiner = "" if lang == "zh" else " "
    return joiner.join(sentences)
