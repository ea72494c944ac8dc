"""The retrieval the advisor needs: any object with the knowledge retriever's `search` method."""

from __future__ import annotations

from typing import Literal, Protocol

from advisor.kb.passage import Passage


class PassageSearch(Protocol):
    """What the advisor calls on a retriever (`advisor.kb.retriever.KnowledgeRetriever` provides it)."""

    def search(
        self,
        query: str,
        *,
        k: int | None = None,
        lang: str | None = None,
        topics: list[str] | None = None,
        doc_ids: list[str] | None = None,
        mode: Literal["hybrid", "dense", "keyword"] = "hybrid",
    ) -> list[Passage]:
        """Passages for a query, best first, scored 0..1."""
        ...


def search_passages(retriever: PassageSearch, query: str, *, k: int, lang: str) -> list[Passage]:
    """Passages in the answer's language; any language when the knowledge base has none in it."""
    passages = retriever.search(query, k=k, lang=lang)
    return passages or retriever.search(query, k=k)
