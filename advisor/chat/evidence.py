"""The evidence pack: passages (`S1`..`Sn`) and metrics (`M:metric_id`) an answer may cite, as short excerpts."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from advisor.chat.answer import Citation
from advisor.chat.injection import strip_injection
from advisor.chat.trust import CURATED, citation_title
from advisor.kb.passage import Passage
from advisor.text.lang import detect_lang
from advisor.text.sentences import join_sentences, split_sentences
from advisor.text.tokens import key_terms, overlap

EvidenceKind = Literal["passage", "metric"]
METRIC_DOC = "org:metrics"


@dataclass(frozen=True)
class Evidence:
    """One citable item: the excerpt the model sees and grounding checks against, with where it came from."""

    id: str
    kind: EvidenceKind
    text: str
    doc_id: str
    title: str
    section: str
    lang: str
    score: float = 0.0
    missing: bool = False  # a metric the roster cannot give; its text says which field to add
    role: str = ""  # the passage section's answer-unit role (causes, actions, figures, ...), if annotated
    asked: float = 0.0  # how close the question is to one its document lists as answered (0..1)
    trust: str = CURATED  # the passage's tier: curated (bundled) or uploaded (a user's document)

    @classmethod
    def from_passage(cls, passage: Passage, *, id: str, text: str) -> Evidence:
        """A knowledge passage as `S<n>` evidence showing `text` (an excerpt of it)."""
        return cls(
            id=id,
            kind="passage",
            text=text,
            doc_id=passage.doc_id,
            title=passage.title,
            section=passage.section,
            lang=passage.lang,
            score=passage.score,
            role=passage.role,
            asked=passage.scores.get("question", 0.0),
            trust=passage.trust,
        )

    @property
    def metric_id(self) -> str | None:
        """The metric this item states, for `M:` items."""
        return self.id[2:] if self.kind == "metric" else None

    def citation(self) -> Citation:
        """The public form of this item (an uploaded document's title says that it is one)."""
        title = citation_title(self.title, trust=self.trust, lang=self.lang)
        return Citation(
            id=self.id,
            doc_id=self.doc_id,
            title=title,
            section=self.section,
            text=self.text,
            trust=self.trust,
        )

    def __str__(self) -> str:
        return f"[{self.id}] {self.text[:70]}"


@dataclass(frozen=True)
class EvidencePack:
    """The evidence of one answer, in citation order; ids are unique."""

    items: tuple[Evidence, ...] = ()

    def __iter__(self) -> Iterator[Evidence]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __contains__(self, evidence_id: object) -> bool:
        return self.get(str(evidence_id)) is not None

    def get(self, evidence_id: str) -> Evidence | None:
        """The item with this id, or None."""
        return next((item for item in self.items if item.id == evidence_id), None)

    @property
    def best_score(self) -> float:
        """Highest retrieval score among the passages (0 with none)."""
        return max((item.score for item in self.items if item.kind == "passage"), default=0.0)

    def texts(self) -> list[str]:
        """Every item's text (what numbers may trace to)."""
        return [item.text for item in self.items]

    def citations(self, ids: Iterable[str]) -> list[Citation]:
        """Citations for the given ids, in pack order, unknown ids skipped."""
        wanted = set(ids)
        return [item.citation() for item in self.items if item.id in wanted]

    def extend(self, items: Iterable[Evidence]) -> EvidencePack:
        """A pack with the new items appended (items whose id or text is already present are skipped)."""
        merged = list(self.items)
        for item in items:
            if all(item.id != old.id and item.text != old.text for old in merged):
                merged.append(item)
        return EvidencePack(tuple(merged))

    def __str__(self) -> str:
        return "\n".join(str(item) for item in self.items)


def excerpt(text: str, *, query: str, max_chars: int) -> str:
    """The passage's sentences most related to the query, in reading order, within a character budget."""
    clean = strip_injection(text)
    sentences = [s.text for s in split_sentences(clean)]
    if sum(len(s) + 1 for s in sentences) <= max_chars:
        return join_sentences(sentences, lang=detect_lang(clean))
    terms = key_terms(query)
    # rank by overlap with the question, earlier sentences first on ties: guidance leads with its point
    ranked = sorted(range(len(sentences)), key=lambda i: (-overlap(terms, sentences[i]), i))
    chosen: list[int] = []
    used = 0
    for index in ranked:
        if used + len(sentences[index]) + 1 > max_chars and chosen:
            continue
        chosen.append(index)
        used += len(sentences[index]) + 1
    return join_sentences([sentences[i] for i in sorted(chosen)], lang=detect_lang(clean))


def passage_evidence(
    passages: Sequence[Passage], *, query: str, max_chars: int, start: int = 1
) -> list[Evidence]:
    """Passages as `S<n>` evidence items, trimmed to excerpts; duplicate texts collapse into one."""
    items: list[Evidence] = []
    seen: set[str] = set()
    for passage in passages:
        text = excerpt(passage.text, query=query, max_chars=max_chars)
        if not text or text in seen:
            continue
        seen.add(text)
        items.append(Evidence.from_passage(passage, id=f"S{start + len(items)}", text=text))
    return items
