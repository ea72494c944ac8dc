"""Embeddings the ingest computes ahead of any question, saved beside the keyword index: listed questions, sentences.

Two comparisons at question time used to embed texts that change only when the store does, on the light query
encoder, and took most of a cold `advisor ask` (about 4 s and 3 s of 9 here, on a busy machine):

- retrieval compares the query with every question a document lists (front matter `questions:`);
- checking an answer compares its sentences with each passage's sentences (`advisor.chat.support`).

So the ingest embeds both with the batch model it has loaded, keeping vectors it already has, and saves them
atomically with the model name (and, for questions, the store revision) they belong to; a reader gets nothing from
a file that does not match and embeds for itself. Chinese passages are compared by key terms, not embeddings, so
their sentences are left out.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

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


def _read(path: Path) -> tuple[dict[str, Any], np.ndarray] | None:
    try:
        with np.load(path) as saved:
            header = json.loads(saved["header"].tobytes().decode("utf-8"))
            return header, np.asarray(saved["vectors"], dtype=np.float32)
    except (OSError, ValueError, KeyError):
        return None


def _write(path: Path, header: dict[str, Any], vectors: np.ndarray) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    blob = np.frombuffer(json.dumps(header, ensure_ascii=False).encode("utf-8"), dtype=np.uint8)
    tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
    with tmp.open("wb") as handle:
        np.savez(handle, header=blob, vectors=vectors)
    os.replace(tmp, path)


def _embed(settings: Settings, texts: list[str], batch: int | None) -> np.ndarray:
    from advisor.models import get_embedder

    encode = get_embedder(settings).encode
    step = batch or len(texts)
    return np.asarray(
        np.vstack([encode(texts[i : i + step]) for i in range(0, len(texts), step)]), np.float32
    )


def listed(index: KeywordIndex) -> Pairs:
    """Every (question, doc id) pair the indexed documents list."""
    return [(str(q), str(meta["doc_id"])) for meta in index.metas for q in meta.get("questions") or ()]


def question_vectors(
    settings: Settings, index: KeywordIndex, *, batch: int | None = None
) -> tuple[Pairs, np.ndarray | None]:
    """The listed questions with their unit embeddings (None when no document lists any).

    Read from the saved file when it matches this revision, model and question list; otherwise embedded `batch` texts
    at a time (the query path passes the light encoder's batch size, so asking never loads the batch model) and saved.
    """
    pairs = listed(index)
    if not pairs:
        return pairs, None
    header = {"revision": index.revision, "model": settings.embedding_model, "pairs": pairs}
    saved = _read(questions_path(settings))
    if saved is not None and saved[0] == json.loads(json.dumps(header)) and len(saved[1]) == len(pairs):
        return pairs, saved[1]
    vectors = _embed(settings, [q for q, _ in pairs], batch)
    _write(questions_path(settings), header, vectors)
    return pairs, vectors


def sentence_vectors(settings: Settings) -> dict[str, np.ndarray]:
    """Sentence -> unit vector for the stored English passages, as the last ingest saved them for this model."""
    saved = _read(sentences_path(settings))
    if saved is None or saved[0].get("model") != settings.embedding_model:
        return {}
    texts = saved[0].get("texts", [])
    return dict(zip(texts, saved[1], strict=True)) if len(texts) == len(saved[1]) else {}


def refresh_sentences(settings: Settings, index: KeywordIndex) -> None:
    """Embed the stored English passages' sentences the saved file lacks, and drop those no longer stored."""
    wanted = list(
        dict.fromkeys(
            unit
            for text, meta in zip(index.texts, index.metas, strict=True)
            if meta.get("lang") == "en"
            for unit in sentence_units(text)
        )
    )
    known = sentence_vectors(settings)
    missing = [text for text in wanted if text not in known]
    if not missing and len(known) == len(wanted):
        return
    if missing:
        known.update(zip(missing, _embed(settings, missing, None), strict=True))
    vectors = np.stack([known[t] for t in wanted]) if wanted else np.zeros((0, 1), dtype=np.float32)
    _write(sentences_path(settings), {"model": settings.embedding_model, "texts": wanted}, vectors)
