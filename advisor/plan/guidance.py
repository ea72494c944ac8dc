"""Guidance for the plan: knowledge passages retrieved per question, numbered once for the whole document.

A passage retrieved for two recommendations keeps one id. Ids are assigned as passages are retrieved and renumbered
by order of first citation when the plan is finished, so the sources list reads S1, S2, ... without gaps.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from advisor.chat.evidence import Evidence, excerpt
from advisor.kb.passage import Passage
from advisor.kb.retriever import KnowledgeRetriever
from advisor.models import SentenceEmbeddings
from advisor.plan.document import Source
from advisor.plan.prose import readable
from advisor.text.sentences import CITATION, split_sentences

EXCERPT_CHARS = 320  # a few sentences per passage: the tiny model reads a short pack best
SPARE = 2  # extra candidates per query, for passages that turn out to be all table and no prose
# table rows and headings are not sentences anyone can quote; the metrics carry the numbers a plan needs
_NOT_PROSE = re.compile(r"^\s*(\||#)")


@dataclass(frozen=True)
class Query:
    """One retrieval: the query text in the plan's language and the knowledge topics it is restricted to."""

    text: str
    topics: tuple[str, ...] = ()
    k: int = 1


@dataclass
class SourceBook:
    """Every passage the plan may cite, keyed by chunk, each with a plan-wide `S<n>` id."""

    items: dict[str, Evidence] = field(default_factory=dict)
    origins: dict[str, Passage] = field(default_factory=dict)

    def add(self, passages: Sequence[Passage], *, query: str) -> list[Evidence]:
        """Register passages (those already known keep their id) and return them as evidence."""
        found = []
        for passage in passages:
            if passage.chunk_id not in self.items:
                text = excerpt(prose_only(passage.text), query=query, max_chars=EXCERPT_CHARS)
                if not states_something(text, lang=passage.lang):
                    continue
                self.items[passage.chunk_id] = Evidence.from_passage(
                    passage, id=f"S{len(self.items) + 1}", text=text
                )
                self.origins[passage.chunk_id] = passage
            found.append(self.items[passage.chunk_id])
        return found

    def sources(self, order: Sequence[str]) -> tuple[list[Source], dict[str, str]]:
        """The cited passages renumbered S1.. in the given order of first citation, and the old-to-new id map."""
        by_id = {item.id: (chunk, item) for chunk, item in self.items.items()}
        mapping: dict[str, str] = {}
        sources = []
        for old in order:
            if old not in by_id or old in mapping:
                continue
            mapping[old] = f"S{len(mapping) + 1}"
            chunk, item = by_id[old]
            sources.append(
                Source(
                    id=mapping[old],
                    doc_id=item.doc_id,
                    title=item.title,
                    section=item.section,
                    text=item.text,
                    source=self.origins[chunk].source,
                )
            )
        return sources, mapping


def states_something(text: str, *, lang: str) -> bool:
    """Whether an excerpt holds at least one statement to quote (a checklist of questions holds none)."""
    return any(readable(s.text, lang=lang) for s in split_sentences(text))


def prose_only(text: str) -> str:
    """A passage without its table rows and headings."""
    return "\n".join(line for line in text.splitlines() if not _NOT_PROSE.match(line))


def retrieve(
    retriever: KnowledgeRetriever,
    embedder: SentenceEmbeddings,
    groups: Mapping[str, Sequence[Query]],
    *,
    book: SourceBook,
    lang: str,
) -> dict[str, list[Evidence]]:
    """Run each group's queries (topic-filtered, in the plan's language); keep the best `k` passages with prose.

    Every query is embedded in one batch: a plan asks a dozen questions, and one forward pass beats twelve.
    """
    texts = list(dict.fromkeys(q.text for queries in groups.values() for q in queries))
    vectors = dict(zip(texts, embedder.encode(texts), strict=True)) if texts else {}
    found: dict[str, list[Evidence]] = {}
    for key, queries in groups.items():
        found[key] = []
        for query in queries:
            passages = retriever.search_by_vector(
                query.text,
                vectors[query.text],
                k=query.k + SPARE,
                lang=lang,
                topics=list(query.topics) or None,
            )
            for item in book.add(passages, query=query.text)[: query.k]:
                if item not in found[key]:
                    found[key].append(item)
    return found


def renumber(text: str, mapping: dict[str, str]) -> str:
    """Rewrite `S<n>` citation markers with the final ids (metric markers stay as they are)."""

    def swap(match: re.Match[str]) -> str:
        return re.sub(r"S\d+", lambda m: mapping.get(m.group(0), m.group(0)), match.group(0))

    return CITATION.sub(swap, text)
