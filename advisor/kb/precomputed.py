"""Embeddings the ingest computes ahead of any question, saved beside the keyword index: listed questions, sentences.

Two comparisons at question time used to embed texts that change only when the store does, on the light query
encoder, and took most of a cold `advisor ask` (about 4 s and 3 s of 9 here, on a busy machine):

- retrieval compares the query with every question a document lists (front matter `questions:`);
- checking an answer compares its sentences with each passage's sentences (`advisor.chat.support`).

So the ingest embeds both with the batch model it has loaded and saves them atomically, one file each, as text ->
vector for the embedding model they came from: a text embedded once is never embedded again (an upload embeds only
its own questions and sentences), and a file made by another model is ignored. Chinese passages are compared by key
terms, not embeddings, so their sentences are left out.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np

from advisor.config import Settings
from advisor.kb.keyword import KeywordIndex, index_path
from advisor.text.sentences import sentence_units

Pairs = list[tuple[str, str]]  # (question, doc id)


def questions_path(settings: Settings) -> Path:
    """Where the listed-question embeddings of this collection are saved."""
    return index_path(settings).with_name(f"questions-{settings.collection}.npz")


def sentences_path(settings: Settings) -> Path:
    """Where the passage-sentence embeddings of this collection are saved."""
    return index_path(settings).with_name(f"sentences-{settings.collection}.npz")


def _saved(path: Path, model: str) -> dict[str, np.ndarray]:
    """Text -> unit vector as last saved at `path` for this model (empty when missing, unreadable or another model's)."""
    try:
        with np.load(path) as saved:
            header = json.loads(saved["header"].tobytes().decode("utf-8"))
            vectors = np.asarray(saved["vectors"], dtype=np.float32)
    except (OSError, ValueError, KeyError):
        return {}
    texts = header.get("texts", [])
    return (
        dict(zip(texts, vectors, strict=True))
        if header.get("model") == model and len(texts) == len(vectors)
        else {}
    )


def _vectors(settings: Settings, path: Path, texts: list[str], *, batch: int | None = None) -> np.ndarray:
    """Unit vectors for `texts`, in order: saved ones reused, the rest embedded `batch` at a time; the file is
    rewritten to hold exactly these texts when anything changed."""
    wanted = list(dict.fromkeys(texts))
    known = _saved(path, settings.embedding_model)
    missing = [text for text in wanted if text not in known]
    if missing:
        from advisor.models import get_embedder

        encode, step = get_embedder(settings).encode, batch or len(missing)
        fresh = np.vstack([encode(missing[i : i + step]) for i in range(0, len(missing), step)])
        known.update(zip(missing, np.asarray(fresh, dtype=np.float32), strict=True))
    if missing or len(known) != len(wanted):
        header = json.dumps({"model": settings.embedding_model, "texts": wanted}, ensure_ascii=False).encode(
            "utf-8"
        )
        vectors = np.stack([known[t] for t in wanted]) if wanted else np.zeros((0, 1), dtype=np.float32)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
        with tmp.open("wb") as handle:
            np.savez(handle, header=np.frombuffer(header, dtype=np.uint8), vectors=vectors)
        os.replace(tmp, path)
    return np.stack([known[t] for t in texts]) if texts else np.zeros((0, 1), dtype=np.float32)


def listed(index: KeywordIndex) -> Pairs:
    """Every (question, doc id) pair the indexed documents list."""
    return [(str(q), str(meta["doc_id"])) for meta in index.metas for q in meta.get("questions") or ()]


def question_vectors(
    settings: Settings, index: KeywordIndex, *, batch: int | None = None
) -> tuple[Pairs, np.ndarray | None]:
    """The listed questions with their unit embeddings (None when no document lists any); `batch` is how many texts
    one embedding call takes (the query path passes the light encoder's, so asking never loads the batch model)."""
    pairs = listed(index)
    if not pairs:
        return pairs, None
    return pairs, _vectors(settings, questions_path(settings), [q for q, _ in pairs], batch=batch)


def sentence_vectors(settings: Settings) -> dict[str, np.ndarray]:
    """Sentence -> unit vector for the stored English passages, as the last ingest saved them for this model."""
    return _saved(sentences_path(settings), settings.embedding_model)


def refresh_sentences(settings: Settings, index: KeywordIndex) -> None:
    """Embed the stored English passages' sentences the saved file lacks, and drop those no longer stored."""
    english = (text for text, meta in zip(index.texts, index.metas, strict=True) if meta.get("lang") == "en")
    _vectors(settings, sentences_path(settings), [unit for text in english for unit in sentence_units(text)])
