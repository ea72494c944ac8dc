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


def test_rerun_after_kill_completes_the_store_exactly(settings: Settings, docs: Path, tmp_path: Path) -> None:
    _corpus(docs)
    script = tmp_path / "child.py"
    script.write_text(CHILD, encoding="utf-8")
    child = subprocess.Popen(
        [sys.executable, str(script), str(settings.home), str(docs)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert child.stdout is not None
    first = child.stdout.readline().strip()
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=60)
    assert first == "stored" and child.returncode == -signal.SIGKILL

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
