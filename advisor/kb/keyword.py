"""BM25 keyword index over the stored chunks, vectorised with scipy sparse matrices, persisted under ADVISOR_HOME.

The index keeps raw term counts (documents x terms) and derives BM25 weights when loaded, so adding or removing a
document only tokenises that document. It records the store revision it mirrors (see `advisor.kb.store`); an index
whose revision differs from the store's is stale and is rebuilt from the texts Chroma holds.
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from scipy import sparse

from advisor.config import Settings
from advisor.kb import store
from advisor.kb.chunk import indexed_text
from advisor.kb.manifest import kb_dir, removed_documents
from advisor.text.tokens import tokenize

if TYPE_CHECKING:
    from chromadb.api.models.Collection import Collection

K1 = 1.2
B = 0.75
FORMAT_VERSION = 1

Entry = tuple[str, str, dict[str, Any]]  # chunk id, chunk text, stored metadata


@dataclass(frozen=True)
class KeywordHit:
    """One keyword match: the row in the index, its BM25 score and the share of the query it covers (0..1)."""

    row: int
    bm25: float
    coverage: float


@dataclass
class KeywordIndex:
    """Chunk texts and metadata with their term counts; searchable by BM25 under metadata filters."""

    ids: list[str]
    texts: list[str]
    metas: list[dict[str, Any]]
    counts: sparse.csr_matrix
    vocab: dict[str, int]
    revision: str = ""
    _weights: sparse.csc_matrix = field(init=False, repr=False)
    _norm: np.ndarray = field(init=False, repr=False)
    _idf: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.counts = sparse.csr_matrix(self.counts, dtype=np.float32)
        counts = self.counts
        n_docs = counts.shape[0]
        df = np.bincount(counts.indices, minlength=counts.shape[1]).astype(np.float32)
        self._idf = np.log1p((n_docs - df + 0.5) / (df + 0.5)).astype(np.float32)
        lengths = np.asarray(counts.sum(axis=1)).ravel()
        mean_length = max(float(lengths.mean()) if n_docs else 1.0, 1.0)
        self._norm = (K1 * (1 - B + B * lengths / mean_length)).astype(np.float32)
        tf = counts.data
        weights = counts.copy()
        weights.data = (
            self._idf[counts.indices] * tf * (K1 + 1) / (tf + np.repeat(self._norm, np.diff(counts.indptr)))
        )
        self._weights = weights.tocsc()  # column slices (one per query term) are what a search reads
        self._lookups()

    def _lookups(self) -> None:
        """Per-row codes and per-document/topic row lists, built once so filtered queries stay vectorised."""
        lang_codes: dict[str, int] = {}
        doc_codes: dict[str, int] = {}
        self._rows = {chunk_id: row for row, chunk_id in enumerate(self.ids)}
        self._doc_rows: dict[str, list[int]] = defaultdict(list)
        topic_rows: dict[str, list[int]] = defaultdict(list)
        links: dict[str, set[str]] = defaultdict(set)
        for row, meta in enumerate(self.metas):
            lang_codes.setdefault(str(meta.get("lang", "")), len(lang_codes))
            doc_id = str(meta.get("doc_id", ""))
            doc_codes.setdefault(doc_id, len(doc_codes))
            self._doc_rows[doc_id].append(row)
            for topic in meta.get("topics") or ():
                topic_rows[topic].append(row)
            if meta.get("translation_of"):
                links[doc_id].add(meta["translation_of"])
                links[meta["translation_of"]].add(doc_id)
        self._lang_codes, self._doc_codes = lang_codes, doc_codes
        self._lang_arr = np.array([lang_codes[str(m.get("lang", ""))] for m in self.metas], dtype=np.int32)
        self._doc_arr = np.array([doc_codes[str(m.get("doc_id", ""))] for m in self.metas], dtype=np.int32)
        self._topic_rows = {topic: np.array(rows) for topic, rows in topic_rows.items()}
        self._position = np.zeros(len(self.ids), dtype=np.float32)  # where a chunk sits in its document, 0..1
        self._section_rows: dict[tuple[str, Any], list[int]] = defaultdict(list)
        for doc_id, rows in self._doc_rows.items():
            rows.sort(key=lambda r: int(self.metas[r].get("ordinal", 0)))
            for i, row in enumerate(rows):
                self._position[row] = i / max(len(rows) - 1, 1)
                self._section_rows[(doc_id, self.metas[row].get("section_index"))].append(row)
        self._translations = {doc: sorted(others) for doc, others in links.items()}

    def __len__(self) -> int:
        return len(self.ids)

    def __repr__(self) -> str:
        return f"KeywordIndex({len(self.ids)} chunks, {len(self.vocab)} terms, revision={self.revision!r})"

    @classmethod
    def build(cls, entries: Iterable[Entry], *, revision: str) -> KeywordIndex:
        """Tokenise every entry (its text under its title and section) into a new index."""
        return cls._from_entries([], [], [], {}, list(entries), revision=revision)

    @classmethod
    def _from_entries(
        cls,
        ids: list[str],
        texts: list[str],
        metas: list[dict[str, Any]],
        vocab: dict[str, int],
        entries: list[Entry],
        *,
        revision: str,
        counts: sparse.csr_matrix | None = None,
    ) -> KeywordIndex:
        rows: list[int] = []
        cols: list[int] = []
        for offset, (chunk_id, text, meta) in enumerate(entries):
            tokens = tokenize(
                indexed_text(title=meta.get("title", ""), section=meta.get("section", ""), text=text)
            )
            rows.extend([offset] * len(tokens))
            cols.extend(vocab.setdefault(token, len(vocab)) for token in tokens)
            ids.append(chunk_id)
            texts.append(text)
            metas.append(dict(meta))
        data = np.ones(len(rows), dtype=np.float32)
        added = sparse.csr_matrix((data, (rows, cols)), shape=(len(entries), len(vocab)), dtype=np.float32)
        added.sum_duplicates()
        if counts is not None:
            counts = counts.copy()
            counts.resize((counts.shape[0], len(vocab)))
            added = sparse.vstack([counts, added], format="csr")
        return cls(ids, texts, metas, added, vocab, revision)

    def with_changes(self, *, remove: set[str], add: list[Entry], revision: str) -> KeywordIndex:
        """A new index without the `remove` ids and with `add` appended (only those are tokenised)."""
        keep = np.array([chunk_id not in remove for chunk_id in self.ids], dtype=bool)
        rows = np.flatnonzero(keep)
        return self._from_entries(
            [self.ids[i] for i in rows],
            [self.texts[i] for i in rows],
            [self.metas[i] for i in rows],
            dict(self.vocab),
            add,
            revision=revision,
            counts=self.counts[rows],
        )

    def row_of(self, chunk_id: str) -> int | None:
        """Row of a chunk id, if indexed."""
        return self._rows.get(chunk_id)

    def rows_of_doc(self, doc_id: str) -> list[int]:
        """Rows of one document's chunks in reading order."""
        return self._doc_rows.get(doc_id, [])

    def counterpart(self, row: int, doc_id: str) -> int | None:
        """The chunk of another document (a translation) at the same place: same section number, nearest position."""
        rows = self._section_rows.get((doc_id, self.metas[row].get("section_index"))) or self._doc_rows.get(
            doc_id
        )
        if not rows:
            return None
        position = self._position[row]
        return min(rows, key=lambda other: abs(self._position[other] - position))

    def translations(self, doc_id: str) -> list[str]:
        """Doc ids of a document's translations (linked by `translation_of` in either direction)."""
        return self._translations.get(doc_id, [])

    def mask(
        self, *, lang: str | None = None, topics: list[str] | None = None, doc_ids: list[str] | None = None
    ) -> np.ndarray | None:
        """Rows passing the metadata filters (None when there is no filter)."""
        if lang is None and not topics and not doc_ids:
            return None
        keep = np.ones(len(self.ids), dtype=bool)
        if lang is not None:
            keep &= self._lang_arr == self._lang_codes.get(lang, -1)
        if doc_ids:
            keep &= np.isin(self._doc_arr, [self._doc_codes.get(doc, -1) for doc in doc_ids])
        if topics:
            with_topic = np.zeros(len(self.ids), dtype=bool)
            for topic in topics:
                with_topic[self._topic_rows.get(topic, np.array([], dtype=int))] = True
            keep &= with_topic
        return keep

    def visible_to(self, reader: str | None) -> np.ndarray:
        """Rows a reader may retrieve when uploads are private: all but other people's uploads."""
        return np.array([meta.get("owner", "") in ("", reader) for meta in self.metas], dtype=bool)

    def _query(self, query: str) -> tuple[np.ndarray, np.ndarray, float]:
        """Columns and counts of the query's known terms, and the IDF mass of the whole query (unknown terms too)."""
        terms, counts = np.unique(tokenize(query), return_counts=True)
        known = [
            (self.vocab[t], c)
            for t, c in zip(terms.tolist(), counts.tolist(), strict=True)
            if t in self.vocab
        ]
        cols = np.array([col for col, _ in known], dtype=np.int64)
        weights = np.array([count for _, count in known], dtype=np.float32)
        # terms the corpus never uses count with the highest IDF, so an off-topic question covers little of itself
        unseen_idf = float(np.log1p((len(self.ids) + 0.5) / 0.5))
        total = float(self._idf[cols] @ weights) + unseen_idf * (len(terms) - len(known))
        return cols, weights, total

    def score_rows(self, query: str, rows: list[int]) -> list[KeywordHit]:
        """BM25 and coverage of given rows: coverage is the IDF-weighted share of the query's terms a row contains."""
        cols, weights, total = self._query(query)
        if not rows or not cols.size:
            return [KeywordHit(row, 0.0, 0.0) for row in rows]
        tf = self.counts[rows][:, cols].toarray()
        idf = self._idf[cols]
        bm25 = (idf * tf * (K1 + 1) / (tf + self._norm[rows, None])) @ weights
        covered = (tf > 0) @ (idf * weights)
        return [
            KeywordHit(row, float(score), float(cov / total))
            for row, score, cov in zip(rows, bm25, covered, strict=True)
        ]

    def search(self, query: str, *, k: int, mask: np.ndarray | None = None) -> list[KeywordHit]:
        """The `k` best BM25 matches for a query, among the rows `mask` allows."""
        cols, weights, _ = self._query(query)
        if not cols.size or not self.ids:
            return []
        scores = np.asarray(self._weights[:, cols] @ weights).ravel()
        if mask is not None:
            scores = np.where(mask, scores, 0.0)
        candidates = np.flatnonzero(scores > 0)
        if candidates.size > k:
            candidates = candidates[np.argpartition(-scores[candidates], k - 1)[:k]]
        candidates = candidates[np.argsort(-scores[candidates], kind="stable")]
        return self.score_rows(query, candidates.tolist())

    def save(self, path: Path) -> None:
        """Write the index atomically (a reader never sees half a file)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        header = {"format": FORMAT_VERSION, "revision": self.revision, "ids": self.ids, "texts": self.texts}
        header |= {"metas": self.metas, "vocab": sorted(self.vocab, key=self.vocab.__getitem__)}
        blob = np.frombuffer(json.dumps(header, ensure_ascii=False).encode("utf-8"), dtype=np.uint8)
        tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
        with tmp.open("wb") as handle:
            np.savez(
                handle,
                header=blob,
                data=self.counts.data,
                indices=self.counts.indices,
                indptr=self.counts.indptr,
            )
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: Path) -> KeywordIndex | None:
        """The saved index, or None when it is missing, unreadable or of another format."""
        try:
            with np.load(path) as saved:
                header = json.loads(saved["header"].tobytes().decode("utf-8"))
                if header.get("format") != FORMAT_VERSION:
                    return None
                shape = (len(header["ids"]), len(header["vocab"]))
                counts = sparse.csr_matrix((saved["data"], saved["indices"], saved["indptr"]), shape=shape)
        except (OSError, ValueError, KeyError):
            return None
        vocab = {term: i for i, term in enumerate(header["vocab"])}
        return cls(header["ids"], header["texts"], header["metas"], counts, vocab, header["revision"])


def index_path(settings: Settings) -> Path:
    """Where the keyword index of this collection is saved."""
    return kb_dir(settings) / f"keyword-{settings.collection}.npz"


def save_index(settings: Settings, index: KeywordIndex) -> None:
    """Persist the index under ADVISOR_HOME."""
    index.save(index_path(settings))


def load_index(settings: Settings, coll: Collection) -> KeywordIndex | None:
    """The saved index if it mirrors the collection's current revision, else None."""
    index = KeywordIndex.load(index_path(settings))
    return index if index is not None and index.revision == store.revision(coll) else None


def fresh_index(settings: Settings, coll: Collection) -> KeywordIndex:
    """The saved index when current, else one rebuilt from the texts Chroma stores (and saved).

    Chunks of documents removed on request are left out, so a removal a crash cut short is invisible to retrieval
    (dense hits are mapped through this index) until the next ingest or removal deletes them.
    """
    index = load_index(settings, coll)
    if index is None:
        revision = store.revision(coll)
        removed = removed_documents(settings, collection_id=str(coll.id))
        rows = store.iter_chunks(coll, include=["documents", "metadatas"])
        index = KeywordIndex.build(
            (row for row in rows if row[2].get("doc_id") not in removed), revision=revision
        )
        save_index(settings, index)
    return index
