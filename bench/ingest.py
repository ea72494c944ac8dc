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

from advisor.bundled import KNOWLEDGE_DIR

REPO = Path(__file__).resolve().parents[1]


def copy_corpus(target: Path, copies: int) -> Path:
    """`copies` copies of the knowledge articles, each copy with its own doc ids (and so its own chunks)."""
    for n in range(copies):
        for source in sorted(KNOWLEDGE_DIR.glob("*/*.md")):
            text = source.read_text(encoding="utf-8")
            text = re.sub(r"^(id|translation_of): (\S+)", rf"\1: \2-copy{n}", text, flags=re.MULTILINE)
            out = target / f"copy{n}" / source.parent.name / source.name
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(text, encoding="utf-8")
    return target


def chunk_texts(corpus: Path, *, size: int, overlap: int) -> list[str]:
    """The texts ingest will embed, produced by the library's own load, clean and chunk steps."""
    from dataclasses import replace

    from advisor.kb.chunk import chunk_document, indexed_text
    from advisor.kb.clean import clean_text
    from advisor.kb.load import load_document

    texts = []
    for path in sorted(corpus.rglob("*.md")):
        doc = load_document(path, root=corpus)
        doc = replace(doc, title=clean_text(doc.title, lang=doc.lang))
        cleaned = clean_text(doc.text, lang=doc.lang)
        for chunk in chunk_document(doc, cleaned, size=size, overlap=overlap):
            texts.append(indexed_text(title=chunk.title, section=chunk.section, text=chunk.text))
    return texts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=3, help="Copies of knowledge/ to ingest (default 3).")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="advisor-bench-ingest-"))
    os.environ["ADVISOR_HOME"] = str(work / "home")
    from advisor.config import load_settings
    from advisor.kb.ingest import ingest
    from advisor.kb.store import existing_collection
    from advisor.models import get_embedder

    corpus = copy_corpus(work / "corpus", args.copies)
    settings = load_settings(knowledge_dir=corpus, bundled_knowledge=False)
    model = get_embedder(settings).model  # load and warm the model before anything is timed
    model.encode(["warm up"], normalize_embeddings=True)

    texts = chunk_texts(corpus, size=settings.chunk_size, overlap=settings.chunk_overlap)

    def raw_encode() -> tuple[float, float]:
        wall, cpu = time.perf_counter(), time.process_time()
        model.encode(texts, batch_size=64, normalize_embeddings=True, convert_to_numpy=True)
        return time.perf_counter() - wall, time.process_time() - cpu

    before = raw_encode()  # the baseline runs before and after the ingest: the machine's load drifts
    wall, cpu = time.perf_counter(), time.process_time()
    report = ingest(settings=settings)
    ingest_s, ingest_cpu = time.perf_counter() - wall, time.process_time() - cpu
    after = raw_encode()
    raw_s, raw_cpu = (before[0] + after[0]) / 2, (before[1] + after[1]) / 2
    coll = existing_collection(settings)
    assert coll is not None and coll.count() == len(texts)

    started = time.perf_counter()
    again = ingest(settings=settings)
    reingest_s = time.perf_counter() - started
    advisor = Path(sys.executable).with_name("advisor")
    env = {**os.environ, "ADVISOR_KNOWLEDGE_DIR": str(corpus), "ADVISOR_BUNDLED_KNOWLEDGE": "false"}
    started = time.perf_counter()
    subprocess.run([str(advisor), "ingest"], env=env, check=True, capture_output=True)
    process_s = time.perf_counter() - started

    n = len(texts)
    print(report.summary())
    print(again.summary())
    print(f"\nchunks: {n} from {len(report.of('added'))} files")
    print(
        f"ingest (whole pipeline): {ingest_s:.1f} s wall, {ingest_cpu:.1f} s CPU = {n / ingest_s:.1f} chunks/s"
    )
    print(
        "baseline raw SentenceTransformer.encode of the same chunks (mean of a run before and after): "
        f"{raw_s:.1f} s wall, {raw_cpu:.1f} s CPU = {n / raw_s:.1f} chunks/s"
    )
    print(
        f"ratio ingest/raw throughput: {raw_s / ingest_s:.2f} by wall time, {raw_cpu / ingest_cpu:.2f} by CPU time"
    )
    print("(target >= 0.9; CPU time is the steadier figure on a shared machine)")
    print(f"re-ingest unchanged, in process: {reingest_s * 1000:.0f} ms (target < 1 s)")
    print(
        f"re-ingest unchanged, fresh `advisor ingest` process: {process_s:.2f} s (Python start and imports included)"
    )
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    sys.exit(main())
