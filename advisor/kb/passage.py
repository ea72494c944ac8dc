"""A retrieved passage: the unit of evidence the advisor cites."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Passage:
    """One chunk of a knowledge document with its retrieval score (0..1, higher is more relevant)."""

    chunk_id: str
    doc_id: str
    title: str
    section: str
    lang: str
    text: str
    topics: tuple[str, ...] = ()
    source: str = ""
    score: float = 0.0
    scores: dict[str, float] = field(default_factory=dict, compare=False)
    translation_of: str = ""  # doc id of the same article in the other language, if any
    role: str = ""  # the section's answer-unit role: overview, causes, actions, figures, definition, ...
    trust: str = "curated"  # "curated" (bundled article) or "uploaded" (a user's document): cited differently
    owner: str = ""  # who uploaded the document (empty for what the installation ingested)
    start: int = 0  # character offsets of the text in the cleaned document
    end: int = 0

    def __str__(self) -> str:
        return f"{self.doc_id} / {self.section or self.title} ({self.score:.2f}): {self.text[:60]}..."
