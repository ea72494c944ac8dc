"""Embeddings of the questions documents list (front matter `questions:`), saved beside the keyword index.

Retrieval compares a query with every listed question, so it needs their embeddings. Computing the 200-odd of the
bundled articles on the light query encoder took most of a cold `advisor ask` (about 4 s of 9 here), so they are
computed once per store revision and embedding model (at the end of an ingest, while the batch model is loaded, or on
the first query after a change) and saved atomically; a new process reads a small file instead.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from advisor.config import Settings
from advisor.kb.keyword import KeywordIndex, index_path

if TYPE_CHECKING:
    from collections.abc import Callable

Pairs = list[tuple[str, str]]  # (question, doc id)


def listed(index: KeywordIndex) -> Pairs:
    """Every (question, doc id) pair the indexed documents list."""
    return [(str(q), str(meta["doc_id"])) for meta in index.metas for q in meta.get("questions") or ()]


def vectors_path(settings: Settings) -> Path:
    """Where the question embeddings of this collection are saved."""
    return index_path(settings).with_name(f"questions-{settings.collection}.npz")


def _key(settings: Settings, index: KeywordIndex, pairs: Pairs) -> str:
    return json.dumps([index.revision, settings.embedding_model, pairs], ensure_ascii=False)


def _load(path: Path, key: str) -> np.ndarray | None:
    try:
        with np.load(path) as saved:
            if saved["key"].tobytes().decode("utf-8") != key:
                return None
            return np.asarray(saved["vectors"], dtype=np.float32)
    except (OSError, ValueError, KeyError):
        return None


def _save(path: Path, key: str, vectors: np.ndarray) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
    with tmp.open("wb") as handle:
        np.savez(handle, key=np.frombuffer(key.encode("utf-8"), dtype=np.uint8), vectors=vectors)
    os.replace(tmp, path)


def question_vectors(
    settings: Settings, index: KeywordIndex, *, batch: int | None = None
) -> tuple[Pairs, np.ndarray | None]:
    """The listed questions with their normalised embeddings (None when no document lists any).

    Read from the saved file when it matches this revision, model and question list; otherwise embedded `batch` texts
    at a time (the query path passes the light encoder's batch size, so asking never loads the batch model) and saved.
    """
    pairs = listed(index)
    if not pairs:
        return pairs, None
    path, key = vectors_path(settings), _key(settings, index, pairs)
    vectors = _load(path, key)
    if vectors is None:
        from advisor.models import get_embedder

        encode: Callable[[list[str]], np.ndarray] = get_embedder(settings).encode
        texts = [q for q, _ in pairs]
        step = batch or len(texts)
        parts = [encode(texts[i : i + step]) for i in range(0, len(texts), step)]
        vectors = np.asarray(np.vstack(parts), dtype=np.float32)
        _save(path, key, vectors)
    return pairs, vectors
