"""The `Answer` contract: what `advisor ask --json`, the web API and the evals all return."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal


@dataclass(frozen=True)
class Citation:
    """Evidence a sentence rests on: a knowledge passage (`S1`..) or a computed metric (`M:metric_id`), with its
    trust tier: `curated` (a bundled article, or the user's own metrics) or `uploaded` (a user's document)."""

    id: str
    doc_id: str
    title: str
    section: str
    text: str
    trust: str = "curated"


@dataclass
class Answer:
    """A grounded answer with its citations, metrics used, refusal state, language, path and timings."""

    answer: str
    citations: list[Citation] = field(default_factory=list)
    metrics_used: list[str] = field(default_factory=list)
    refused: bool = False
    refusal_reason: str | None = None
    language: str = "en"
    path: Literal["generated", "extractive", "refused"] = "generated"
    timings: dict[str, float] = field(default_factory=dict)
    conversation_id: str | None = None
    fallback_reason: str | None = None  # why the answer was composed rather than written by the model
    intent: str | None = (
        None  # what the question asks for: causes, actions, decision, figure, definition, ...
    )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (the documented contract)."""
        return asdict(self)

    def __str__(self) -> str:
        return self.answer
