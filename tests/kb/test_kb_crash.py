"""A kill -9 in the middle of an ingest leaves a store that the next run completes exactly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from advisor.config import Settings, load_settings
from advisor.kb.ingest import ingest
from advisor.kb.keyword import load_index
from advisor.kb.store import existing_collection, iter_chunks

pytestmark = pytest.mark.integration

CHILD = """
import sys
from pathlib import Path

from advisor.config import load_settings
from advisor.kb import ingest as ingest_module

ingest_module.BATCH_CHUNKS = 4  # many small batches, so the kill lands between (or inside) writes
stored = ingest_module._flush


def announce(run):
    stored(run)
    print("stored", flush=True)


ingest_module._flush = announce
ingest_module.ingest(settings=load_settings(home=Path(sys.argv[1]), knowledge_dir=Path(sys.argv[2]), bundled_knowledge=False))
print("done", flush=True)
"""


def _corpus(folder: Path) -> Path:
    for i in range(30):
        paragraphs = [
            f"Territory {i} paragraph {j}: reps need {j + i} accounts and weekly coaching." for j in range(6)
        ]
        (folder / f"region-{i:02}.md").write_text(
            f"# Region {i}\n\n" + "\n\n".join(paragraphs), encoding="utf-8"
        )
    return folder


def _stored(settings: Settings) -> list[tuple[str, str, int]]:
    coll = existing_collection(settings)
    assert coll is not None
    return [
        (cid, str(meta["doc_id"]), int(meta["ordinal"]))
        for cid, _, meta in iter_chunks(coll, include=["metadatas"])
    ]


def _killed_after_first_line(code: str, folder: Path, *args: object) -> str:
    """Run `code` in a child Python, kill -9 it as soon as it prints its first line, and return that line."""
    script = folder / "child.py"
    script.write_text(code, encoding="utf-8")
    child = subprocess.Popen(
        [sys.executable, str(script), *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert child.stdout is not None
    first = child.stdout.readline().strip()
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=60)
    assert child.returncode == -signal.SIGKILL
    return first


def test_rerun_after_kill_completes_the_store_exactly(settings: Settings, docs: Path, tmp_path: Path) -> None:
    _corpus(docs)
    assert _killed_after_first_line(CHILD, tmp_path, settings.home, docs) == "stored"

    partial = _stored(settings)
    report = ingest(settings=settings)
    assert report.of("unchanged"), "files recorded before the kill are not redone"
    assert report.of("added")

    recovered = _stored(settings)
    clean = load_settings(home=tmp_path / "clean-home", knowledge_dir=docs, bundled_knowledge=False)
    ingest(settings=clean)
    expected = _stored(clean)
    assert sorted(recovered) == sorted(expected)  # every chunk, and only those
    assert not [key for key, n in Counter((doc, ordinal) for _, doc, ordinal in recovered).items() if n > 1]
    assert len(partial) < len(expected)
    coll = existing_collection(settings)
    assert coll is not None
    index = load_index(settings, coll)
    assert index is not None and sorted(index.ids) == sorted(cid for cid, _, _ in recovered)


REMOVE_CHILD = """
import sys
import time
from pathlib import Path

from advisor.config import load_settings
from advisor.kb import ingest as ingest_module

delete = ingest_module._Run._delete


def stall(run, ids):
    if ids:  # the removal is recorded in the manifest and the store's revision changed; the chunks are still there
        print("recorded", flush=True)
        time.sleep(600)
    delete(run, ids)


ingest_module._Run._delete = stall
settings = load_settings(home=Path(sys.argv[1]), knowledge_dir=Path(sys.argv[2]), bundled_knowledge=False)
ingest_module.remove_document(sys.argv[3], settings=settings)
print("done", flush=True)
"""


def test_a_removal_killed_before_its_chunks_go_is_invisible_and_finished_by_the_next_run(
    settings: Settings, docs: Path, tmp_path: Path
) -> None:
    from advisor.kb.manifest import Manifest, manifest_path
    from advisor.kb.retriever import KnowledgeRetriever
    from advisor.kb.store import list_documents

    _corpus(docs)
    ingest(settings=settings)
    query = "Territory 7 paragraph 3 reps need accounts and weekly coaching"
    assert KnowledgeRetriever(settings=settings, k=1).search(query, mode="keyword")[0].doc_id == "region-07"
    assert _killed_after_first_line(REMOVE_CHILD, tmp_path, settings.home, docs, "region-07") == "recorded"

    coll = existing_collection(settings)
    assert coll is not None
    left = [cid for cid, doc, _ in _stored(settings) if doc == "region-07"]
    assert left, "the kill landed before the chunks were deleted"
    assert "region-07" in Manifest.load(manifest_path(settings), collection_id=str(coll.id)).removed
    for mode in ("hybrid", "dense", "keyword"):  # a fresh reader (another process) never returns it
        found = KnowledgeRetriever(settings=settings, k=10).search(query, mode=mode)  # type: ignore[arg-type]
        assert found and "region-07" not in {p.doc_id for p in found}
    assert "region-07" not in {d.doc_id for d in list_documents(settings)}

    report = ingest(settings=settings)  # the next run finishes the removal
    assert not report.of("added") and not report.of("updated")
    stored = _stored(settings)
    assert "region-07" not in {doc for _, doc, _ in stored}
    coll = existing_collection(settings)  # afresh: a Collection object keeps the metadata it was read with
    assert coll is not None
    index = load_index(settings, coll)
    assert index is not None and sorted(index.ids) == sorted(cid for cid, _, _ in stored)
    manifest = Manifest.load(manifest_path(settings), collection_id=str(coll.id))
    assert sorted(cid for entry in manifest.files.values() for cid in entry.chunk_ids) == sorted(
        cid for cid, _, _ in stored
    )
    assert "region-07" in manifest.removed and not any(
        entry.doc_id == "region-07" for entry in manifest.files.values()
    )
    assert "region-07" not in {p.doc_id for p in KnowledgeRetriever(settings=settings, k=10).search(query)}
