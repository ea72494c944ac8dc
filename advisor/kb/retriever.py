"""Hybrid retrieval: dense search in Chroma plus BM25 keyword search, fused by reciprocal rank, with filters.

Ranking: each mode ranks up to `retrieval_fetch_k` candidates; a chunk's fused score is the sum over modes of
`weight / (RRF_K + rank)`; the dense ranking gets no weight on Chinese questions when the model reads only English,
and further chunks of a document already listed are discounted so the top k covers several documents.
Cross-lingual reach: articles exist in English and Chinese (linked by `translation_of`), so the chunk at the same
place (same section, nearest position) in a hit's translation is raised to at least `SIBLING_SHARE` of the hit's
fused score and inherits its relevance; with a language filter, hits in the other language are mapped onto their
translation this way (at full score) instead of being lost. A Chinese question thus finds English passages and an
English question Chinese ones.

Relevance (`Passage.score`, 0..1, usable as a threshold): for a question the embedding model can read, the larger of
the dense cosine similarity between query and chunk and the keyword coverage (the IDF-weighted share of the query's
terms the chunk contains): coverage alone under-rates paraphrases, cosine alone misses exact terms, and the larger is
high only when one of them recognises the chunk as on topic. For a Chinese question and an English-only model the
cosine is meaningless (off-topic Chinese questions score 0.36-0.65 against everything), so the score is the coverage
times `ZH_COVERAGE_SCALE`. Measured on the eval suites with the default `min_relevance` of 0.3 (top passage): all 13
English out-of-scope questions stay under it (max 0.29) and 9 of 13 Chinese ones (the rest share everyday words
with the articles: recipes, prompt injections; the advisor's scope check has to catch those), while 30 of 32 English
and 29 of 32 Chinese in-scope questions score above it. `Passage.scores` keeps the parts: `dense`, `keyword`
(BM25), `coverage`, `question` and `fused`.

Article questions: a document may list the questions it answers (front matter `questions:`, stored on its first
chunk). A question is far closer to another question than to a passage for a small embedder, so each listed question
is a third ranking: the query is compared with every listed question (cosine when the model reads the query's
language, else the share of the query's key terms the question holds), documents whose best question reaches
`QUESTION_MIN` are ranked by it, and the ranking is fused into the document's best-ranked chunk (its first chunk
when no other mode found it); that chunk's relevance is at least the question similarity.

Private uploads: with `uploads_shared` off, a search made for a `reader` (a principal's owner key) leaves out chunks
other people uploaded; curated articles and what the installation ingested itself are there for everyone.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict, PrivateAttr

from advisor.config import Settings
from advisor.errors import InputError
from advisor.kb import store
from advisor.kb.keyword import KeywordIndex, fresh_index
from advisor.kb.passage import Passage
from advisor.kb.precomputed import question_vectors
from advisor.text.lang import detect_lang
from advisor.text.tokens import key_terms, overlap

if TYPE_CHECKING:
    from chromadb.api.models.Collection import Collection

Mode = Literal["hybrid", "dense", "keyword"]
MODES: tuple[Mode, ...] = ("hybrid", "dense", "keyword")
RRF_K = 60
DENSE_WEIGHT = 1.0
KEYWORD_WEIGHT = 1.0
# Models that read only English: on Chinese questions their ranking was no better than chance on the retrieval suite
# (dense-only MRR 0.35 vs keyword 0.89), and any weight on it lowered hybrid's MRR, so it gets none there.
ENGLISH_ONLY_MODELS = frozenset({"all-MiniLM-L6-v2", "sentence-transformers/all-MiniLM-L6-v2"})
# maps Chinese coverage 0.15, where off-topic and on-topic questions overlap least, to a relevance of 0.3
ZH_COVERAGE_SCALE = 2.0
SIBLING_SHARE = 0.5  # a translation of a hit ranks with at least this share of the hit's fused score
# A document's second chunk counts half, its third a quarter: five passages from one article crowd out the other
# articles a question may need (on the retrieval suite: hit@5 0.96 -> 1.00, MRR 0.81 -> 0.83).
DOC_REPEAT_DISCOUNT = 0.5
QUESTION_WEIGHT = 1.0
QUESTION_MIN = {"cosine": 0.62, "terms": 0.5}  # below this a listed question says nothing about the query
REFRESH_SECONDS = 1.0  # how often a long-lived retriever asks the store whether it changed


class _Candidate:
    """A chunk gathering scores from the modes that found it."""

    __slots__ = ("row", "dense", "bm25", "coverage", "question", "fused", "sources")

    def __init__(self, row: int) -> None:
        self.row = row
        self.dense: float | None = None
        self.bm25 = 0.0
        self.coverage: float | None = None
        self.question = 0.0  # similarity of the query to a question the chunk's document answers
        self.fused = 0.0
        self.sources: list[_Candidate] = []  # hits whose translation this chunk is


class KnowledgeRetriever(BaseRetriever):
    """Hybrid retriever over the knowledge base; `search` returns scored passages, LangChain gets Documents."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    settings: Settings
    k: int = 4
    mode: Mode = "hybrid"
    lang: str | None = None
    topics: list[str] | None = None
    doc_ids: list[str] | None = None

    _index: KeywordIndex | None = PrivateAttr(default=None)
    _coll: Any = PrivateAttr(default=None)
    _checked: float = PrivateAttr(default=0.0)
    _questions: tuple[str, list[tuple[str, str]], np.ndarray | None] | None = PrivateAttr(default=None)
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)

    def __repr__(self) -> str:
        return f"KnowledgeRetriever(collection={self.settings.collection!r}, k={self.k}, mode={self.mode!r})"

    def _state(self) -> tuple[Collection | None, KeywordIndex | None]:
        """The collection and a keyword index matching its current revision (re-checked every REFRESH_SECONDS)."""
        with self._lock:
            now = time.monotonic()
            if self._index is not None and now - self._checked < REFRESH_SECONDS:
                return self._coll, self._index
            self._checked = now
            coll = store.existing_collection(self.settings)
            if coll is None:
                self._coll, self._index = None, None
            elif self._index is None or self._index.revision != store.revision(coll):
                self._coll, self._index = coll, fresh_index(self.settings, coll)
            return self._coll, self._index

    def dense_weight(self, query: str) -> float:
        """Weight of the dense ranking in fusion: none for Chinese questions when the model reads only English."""
        english_only = self.settings.embedding_model in ENGLISH_ONLY_MODELS
        return 0.0 if english_only and detect_lang(query) == "zh" else DENSE_WEIGHT

    def embed_query(self, query: str) -> np.ndarray:
        """The query's normalised embedding."""
        from advisor.models import get_embedder

        return np.asarray(get_embedder(self.settings).encode([query])[0], dtype=np.float32)

    def listed_questions(self, index: KeywordIndex) -> tuple[list[tuple[str, str]], np.ndarray | None]:
        """(question, doc id) pairs the documents list, with their embeddings (`advisor.kb.precomputed`)."""
        cached = self._questions
        if cached is not None and cached[0] == index.revision:
            return cached[1], cached[2]
        from advisor.models import QUERY_BATCH

        pairs, vectors = question_vectors(self.settings, index, batch=QUERY_BATCH)
        self._questions = (index.revision, pairs, vectors)
        return pairs, vectors

    def question_matches(
        self, query: str, vector: np.ndarray | None, index: KeywordIndex
    ) -> list[tuple[str, float]]:
        """Documents whose listed questions resemble the query, best first, with the similarity (0..1)."""
        pairs, vectors = self.listed_questions(index)
        if not pairs:
            return []
        if vector is not None and vectors is not None and self.dense_weight(query) > 0:
            sims, floor = vectors @ vector, QUESTION_MIN["cosine"]
        else:
            terms = key_terms(query)
            sims, floor = np.array([overlap(terms, q) for q, _ in pairs]), QUESTION_MIN["terms"]
        best: dict[str, float] = {}
        for (_, doc_id), sim in zip(pairs, sims, strict=True):
            best[doc_id] = max(best.get(doc_id, 0.0), float(sim))
        return sorted(((d, s) for d, s in best.items() if s >= floor), key=lambda pair: -pair[1])

    def search(
        self,
        query: str,
        *,
        k: int | None = None,
        lang: str | None = None,
        topics: list[str] | None = None,
        doc_ids: list[str] | None = None,
        mode: Mode = "hybrid",
        reader: str | None = None,
    ) -> list[Passage]:
        """The `k` most relevant passages for a query, best first, under optional language/topic/document filters;
        `reader` is who asks (their private uploads are searched too)."""
        if mode not in MODES:
            raise InputError(f"Unknown retrieval mode `{mode}`; choose hybrid, dense or keyword.")
        if not query.strip():
            raise InputError("The search query is empty; type a question or some keywords.")
        vector = self.embed_query(query) if mode != "keyword" else None
        return self.search_by_vector(
            query, vector, k=k, lang=lang, topics=topics, doc_ids=doc_ids, mode=mode, reader=reader
        )

    def reading_as(self, reader: str) -> ReaderSearch:
        """This retriever searching as `reader` sees the knowledge base (for callers that only call `search`)."""
        return ReaderSearch(self, reader)

    def search_by_vector(
        self,
        query: str,
        vector: np.ndarray | None,
        *,
        k: int | None = None,
        lang: str | None = None,
        topics: list[str] | None = None,
        doc_ids: list[str] | None = None,
        mode: Mode = "hybrid",
        reader: str | None = None,
    ) -> list[Passage]:
        """`search` with the query already embedded (benchmarks time the embedding apart from the search)."""
        coll, index = self._state()
        if coll is None or index is None or not len(index):
            return []
        k = k or self.k
        fetch = max(self.settings.retrieval_fetch_k, k)
        # a language filter is applied after mapping hits onto their translations, so it does not cut reach
        mask = index.mask(topics=topics, doc_ids=doc_ids)
        if not self.settings.uploads_shared:
            mask = _and(mask, index.visible_to(reader))
        candidates: dict[int, _Candidate] = {}
        if mode != "keyword" and vector is not None:
            weight = self.dense_weight(query) if mode == "hybrid" else DENSE_WEIGHT
            dense_hits = self._dense(coll, index, vector, fetch, topics, doc_ids, lang, mode)
            if mask is not None:  # other people's private uploads (the Chroma filter cannot tell them apart)
                dense_hits = [(row, cosine) for row, cosine in dense_hits if mask[row]]
            for rank, (row, cosine) in enumerate(dense_hits):
                hit = candidates.setdefault(row, _Candidate(row))
                hit.dense = cosine
                hit.fused += weight / (RRF_K + rank + 1)
        if mode != "dense":
            keyword_mask = mask if mode == "hybrid" or lang is None else _and(mask, index.mask(lang=lang))
            for rank, found in enumerate(index.search(query, k=fetch, mask=keyword_mask)):
                hit = candidates.setdefault(found.row, _Candidate(found.row))
                hit.bm25, hit.coverage = found.bm25, found.coverage
                hit.fused += KEYWORD_WEIGHT / (RRF_K + rank + 1)
        if mode == "hybrid":
            self._fuse_questions(candidates, index, query, vector, mask)
            _with_translations(candidates, index, lang=lang, mask=mask)
        # ties (a Chinese question's dense hits carry no fused score) fall back to cosine similarity
        ranked = sorted(candidates.values(), key=lambda c: (_order(c, mode), c.dense or 0.0), reverse=True)
        if lang is not None:
            ranked = [c for c in ranked if index.metas[c.row].get("lang") == lang]
        top = (_diversified(ranked, index) if mode == "hybrid" else ranked)[:k]
        # relevance needs both cosine and coverage, but only for what is returned (and the hits it was mapped from)
        scored = {c.row: c for c in top} | {s.row: s for c in top for s in c.sources}
        if mode == "hybrid":
            self._fill_dense(coll, index, vector, list(scored.values()))
        if mode != "dense":
            _fill_coverage(index, query, list(scored.values()))
        meaningful = self.dense_weight(query) > 0
        relevance = {row: _relevance(c, mode, cosine_meaningful=meaningful) for row, c in scored.items()}
        return [
            _passage(index, c, max([relevance[c.row]] + [relevance[s.row] for s in c.sources])) for c in top
        ]

    def _fuse_questions(
        self,
        candidates: dict[int, _Candidate],
        index: KeywordIndex,
        query: str,
        vector: np.ndarray | None,
        mask: np.ndarray | None,
    ) -> None:
        """Fuse the listed-question ranking into each matched document's best-ranked chunk."""
        for rank, (doc_id, sim) in enumerate(self.question_matches(query, vector, index)):
            rows = [row for row in index.rows_of_doc(doc_id) if mask is None or mask[row]]
            if not rows:
                continue
            found = [candidates[row] for row in rows if row in candidates]
            target = (
                max(found, key=lambda c: c.fused)
                if found
                else candidates.setdefault(rows[0], _Candidate(rows[0]))
            )
            target.fused += QUESTION_WEIGHT / (RRF_K + rank + 1)
            target.question = max(target.question, sim)

    def _dense(
        self,
        coll: Collection,
        index: KeywordIndex,
        vector: np.ndarray,
        fetch: int,
        topics: list[str] | None,
        doc_ids: list[str] | None,
        lang: str | None,
        mode: Mode,
    ) -> list[tuple[int, float]]:
        where = _where(lang=lang if mode == "dense" else None, topics=topics, doc_ids=doc_ids)
        found = coll.query(
            query_embeddings=[vector], n_results=min(fetch, len(index)), where=where, include=["distances"]
        )
        rows = []
        for chunk_id, distance in zip(found["ids"][0], (found["distances"] or [[]])[0], strict=True):
            row = index.row_of(chunk_id)
            if row is not None:
                rows.append((row, 1.0 - float(distance)))
        return rows

    def _fill_dense(
        self, coll: Collection, index: KeywordIndex, vector: np.ndarray | None, candidates: list[_Candidate]
    ) -> None:
        """Cosine similarity for candidates the dense search did not rank (one read of their stored vectors)."""
        missing = [c for c in candidates if c.dense is None]
        if vector is None or not missing:
            return
        got = coll.get(ids=[index.ids[c.row] for c in missing], include=["embeddings"])
        vectors = dict(
            zip(got["ids"], got["embeddings"] if got["embeddings"] is not None else [], strict=True)
        )
        for candidate in missing:
            stored = vectors.get(index.ids[candidate.row])
            if stored is not None:
                candidate.dense = float(np.dot(np.asarray(stored, dtype=np.float32), vector))

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        passages = self.search(
            query, k=self.k, lang=self.lang, topics=self.topics, doc_ids=self.doc_ids, mode=self.mode
        )
        return [to_document(passage) for passage in passages]


class ReaderSearch:
    """A retriever's `search` bound to one reader (what the chat pipeline calls for a signed-in principal)."""

    def __init__(self, retriever: KnowledgeRetriever, reader: str) -> None:
        self.retriever = retriever
        self.reader = reader

    def __repr__(self) -> str:
        return f"ReaderSearch({self.retriever!r}, reader={self.reader!r})"

    def search(
        self,
        query: str,
        *,
        k: int | None = None,
        lang: str | None = None,
        topics: list[str] | None = None,
        doc_ids: list[str] | None = None,
        mode: Mode = "hybrid",
    ) -> list[Passage]:
        """`KnowledgeRetriever.search` as this reader."""
        return self.retriever.search(
            query, k=k, lang=lang, topics=topics, doc_ids=doc_ids, mode=mode, reader=self.reader
        )


def _fill_coverage(index: KeywordIndex, query: str, candidates: list[_Candidate]) -> None:
    """Keyword coverage (and BM25) for candidates the keyword search did not rank."""
    missing = [c for c in candidates if c.coverage is None]
    for candidate, found in zip(missing, index.score_rows(query, [c.row for c in missing]), strict=True):
        candidate.bm25, candidate.coverage = found.bm25, found.coverage


def _and(first: np.ndarray | None, second: np.ndarray | None) -> np.ndarray | None:
    if first is None:
        return second
    return first if second is None else first & second


def _where(*, lang: str | None, topics: list[str] | None, doc_ids: list[str] | None) -> dict[str, Any] | None:
    """A Chroma metadata filter for the given language, topics (any of) and documents."""
    clauses: list[dict[str, Any]] = []
    if lang:
        clauses.append({"lang": lang})
    if doc_ids:
        clauses.append({"doc_id": {"$in": list(doc_ids)}})
    if topics:
        topic_clauses = [{"topics": {"$contains": topic}} for topic in topics]
        clauses.append(topic_clauses[0] if len(topic_clauses) == 1 else {"$or": topic_clauses})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def _with_translations(
    candidates: dict[int, _Candidate], index: KeywordIndex, *, lang: str | None, mask: np.ndarray | None
) -> None:
    """Raise each hit's translation to a share of its fused score (all of it when filtering to that language).

    A max, not a sum: a bilingual article must not outrank a better one just for existing twice.
    """
    raised: dict[int, tuple[float, list[_Candidate]]] = {}
    for candidate in candidates.values():
        meta = index.metas[candidate.row]
        for sibling in index.translations(meta["doc_id"]):
            row = index.counterpart(candidate.row, sibling)
            if row is None or (mask is not None and not mask[row]):
                continue
            share = candidate.fused * (
                1.0 if lang is not None and meta.get("lang") != lang else SIBLING_SHARE
            )
            best, sources = raised.get(row, (0.0, []))
            raised[row] = (max(best, share), [*sources, candidate])
    for row, (share, sources) in raised.items():
        target = candidates.setdefault(row, _Candidate(row))
        target.fused = max(target.fused, share)
        target.sources = sources


def _diversified(ranked: list[_Candidate], index: KeywordIndex) -> list[_Candidate]:
    """Re-rank with each further chunk of an already listed document discounted by `DOC_REPEAT_DISCOUNT`."""
    seen: dict[str, int] = defaultdict(int)
    keyed = []
    for candidate in ranked:
        doc_id = index.metas[candidate.row]["doc_id"]
        keyed.append((candidate.fused * DOC_REPEAT_DISCOUNT ** seen[doc_id], candidate))
        seen[doc_id] += 1
    return [candidate for _, candidate in sorted(keyed, key=lambda pair: pair[0], reverse=True)]


def _order(candidate: _Candidate, mode: Mode) -> float:
    if mode == "dense":
        return candidate.dense or 0.0
    if mode == "keyword":
        return candidate.bm25
    return candidate.fused


def _relevance(candidate: _Candidate, mode: Mode, *, cosine_meaningful: bool) -> float:
    """The 0..1 relevance of a candidate (see the module docstring)."""
    dense = min(max(candidate.dense or 0.0, 0.0), 1.0)
    coverage = candidate.coverage or 0.0
    if mode == "dense":
        return dense
    if not cosine_meaningful:
        return max(min(coverage * ZH_COVERAGE_SCALE, 1.0), candidate.question)
    if mode == "keyword":
        return coverage
    return max(dense, coverage, candidate.question)


def _passage(index: KeywordIndex, candidate: _Candidate, score: float) -> Passage:
    scores = {"fused": candidate.fused, "keyword": candidate.bm25, "coverage": candidate.coverage or 0.0}
    if candidate.question:
        scores["question"] = candidate.question
    if candidate.dense is not None:
        scores["dense"] = candidate.dense
    row = candidate.row
    return store.to_passage(index.ids[row], index.texts[row], index.metas[row], score=score, scores=scores)


def to_document(passage: Passage) -> Document:
    """A LangChain Document carrying a passage's text, metadata and scores."""
    meta = {
        "chunk_id": passage.chunk_id,
        "doc_id": passage.doc_id,
        "title": passage.title,
        "section": passage.section,
        "lang": passage.lang,
        "topics": list(passage.topics),
        "source": passage.source,
        "translation_of": passage.translation_of,
        "role": passage.role,
        "score": passage.score,
        "scores": dict(passage.scores),
    }
    return Document(page_content=passage.text, metadata=meta, id=passage.chunk_id)


_retrievers: dict[tuple[Any, ...], KnowledgeRetriever] = {}
_retrievers_lock = threading.Lock()


def get_retriever(settings: Settings) -> KnowledgeRetriever:
    """The process-wide retriever for these settings' store (its keyword index loaded once, refreshed on change)."""
    key = (
        str(settings.home),
        settings.chroma_url,
        settings.collection,
        settings.embedding_model,
        settings.retrieval_k,
        settings.retrieval_fetch_k,
    )
    with _retrievers_lock:
        if key not in _retrievers:
            _retrievers[key] = KnowledgeRetriever(settings=settings, k=settings.retrieval_k)
        return _retrievers[key]
