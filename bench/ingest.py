"""Ingest throughput against its baseline, and the cost of re-ingesting an unchanged corpus.

Ingests `knowledge/` (copied `--copies` times under distinct doc ids, for a corpus big enough to time) into a
throwaway ADVISOR_HOME and reports chunks per second for the whole pipeline (load, clean, chunk, embed, store,
keyword index) against a raw `SentenceTransformer.encode` of exactly the same chunk texts with the same model and
batch size, measured in the same run. Embedding should be the limit: target ratio >= 0.9. Then it times a re-ingest
of the unchanged corpus, in process and as a fresh `advisor ingest` process (target: under a second in process).

    .venv/bin/python bench/ingest.py [--copies 3]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def copy_corpus(target: Path, copies: int) -> Path:
    """`copies` copies of the knowledge articles, each copy with its own doc ids (and so its own chunks)."""
    for n in range(copies):
        for source in sorted((REPO / "knowledge").glob("*/*.md")):
            text = source.read_text(encoding="utf-8")
            text = re.sub(r"^(id|translation_of): (\S+)", rf"\1: \2-copy{n}", text, flags=re.MULTILINE)
            out = target / f"copy{n}" / source.parent.name / source.name
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(text, encoding="utf-8")
    return target


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=3, help="Copies of knowledge/ to ingest (default 3).")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="advisor-bench-ingest-"))
    os.environ["ADVISOR_HOME"] = str(work / "home")
    from advisor.config import load_settings
    from advisor.kb.chunk import indexed_text
    from advisor.kb.ingest import EMBED_BATCH, ingest
    from advisor.kb.store import existing_collection, iter_chunks
    from advisor.models import get_embedder

    corpus = copy_corpus(work / "corpus", args.copies)
    settings = load_settings(knowledge_dir=corpus)
    model = get_embedder(settings).model  # load and warm the model before anything is timed
    model.encode(["warm up"], normalize_embeddings=True)

    started = time.perf_counter()
    report = ingest(settings=settings)
    ingest_s = time.perf_counter() - started
    coll = existing_collection(settings)
    assert coll is not None
    texts = [
        indexed_text(title=meta["title"], section=meta["section"], text=text)
        for _, text, meta in iter_chunks(coll, include=["documents", "metadatas"])
    ]
    started = time.perf_counter()
    model.encode(texts, batch_size=EMBED_BATCH, normalize_embeddings=True, convert_to_numpy=True)
    raw_s = time.perf_counter() - started

    started = time.perf_counter()
    again = ingest(settings=settings)
    reingest_s = time.perf_counter() - started
    advisor = Path(sys.executable).with_name("advisor")
    env = {**os.environ, "ADVISOR_KNOWLEDGE_DIR": str(corpus)}
    started = time.perf_counter()
    subprocess.run([str(advisor), "ingest"], env=env, check=True, capture_output=True)
    process_s = time.perf_counter() - started

    n = len(texts)
    print(report.summary())
    print(again.summary())
    print(f"\nchunks: {n} from {len(report.of('added'))} files")
    print(f"ingest (whole pipeline): {ingest_s:.1f} s = {n / ingest_s:.1f} chunks/s")
    print(
        f"baseline raw SentenceTransformer.encode of the same chunks: {raw_s:.1f} s = {n / raw_s:.1f} chunks/s"
    )
    print(f"ratio ingest/raw: {(n / ingest_s) / (n / raw_s):.2f} (target >= 0.9)")
    print(f"re-ingest unchanged, in process: {reingest_s * 1000:.0f} ms (target < 1 s)")
    print(
        f"re-ingest unchanged, fresh `advisor ingest` process: {process_s:.2f} s (Python start and imports included)"
    )
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    sys.exit(main())
