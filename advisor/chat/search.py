"""The retrieval the advisor needs: any object with the knowledge retriever's `search` method."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, Protocol

from advisor.kb.passage import Passage

DEEPEN_DOCS = 3


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


def search_passages(
    retriever: PassageSearch,
    query: str,
    *,
    k: int,
    lang: str,
    deepen: int = 0,
    roles: Sequence[str] = (),
) -> list[Passage]:
    """Passages in the answer's language (any language when the knowledge base has none in it); with `deepen`,
    up to that many more sections of the top documents, those whose role is in `roles` first, so an article's
    causes, actions or figures reach the composer even when another of its sections ranked higher."""
    passages = retriever.search(query, k=k, lang=lang) or retriever.search(query, k=k)
    if not deepen or not passages:
        return passages
    top = list(dict.fromkeys(p.doc_id for p in passages))[:DEEPEN_DOCS]
    seen = {p.chunk_id for p in passages}
    found = retriever.search(query, k=4 * deepen + k, lang=passages[0].lang, doc_ids=top)
    extra = [p for p in found if p.chunk_id not in seen]
    # each top document's best section in the wanted roles first (in document order), so the article the question
    # is most about brings its figures or its actions even when another document's sections rank higher
    firsts: list[Passage] = []
    for doc_id in top:
        best = next((p for p in extra if p.doc_id == doc_id and p.role in roles), None)
        if best is not None:
            firsts.append(best)
    rest = [p for p in extra if p not in firsts]
    rest.sort(key=lambda p: p.role not in roles)  # stable: retrieval order within each group
    return passages + (firsts + rest)[:deepen]
