"""Ingest with the real embedding model and a real Chroma store: outcomes, idempotence, updates, prune, bad files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from kb_helpers import SEED_NEIGHBOURS, SEED_SPAM, seed_path, write_pdf

from advisor import models
from advisor.config import Settings
from advisor.kb import load
from advisor.kb.ingest import ingest
from advisor.kb.keyword import load_index
from advisor.kb.store import (
    corpus_fingerprint,
    existing_collection,
    get_chunks,
    get_passage,
    iter_chunks,
    list_documents,
    store_ready,
)

pytestmark = pytest.mark.integration

DOC_IDS = {
    "fixture-burnout-en",
    "fixture-burnout-zh",
    "territory-notes",
    "onboarding",
    "quota-memo",
    "span-guide",
}


def _stored_ids(settings: Settings) -> list[str]:
    coll = existing_collection(settings)
    assert coll is not None
    return [chunk_id for chunk_id, _, _ in iter_chunks(coll, include=[])]


def _no_embedding(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(settings: Settings) -> None:
        raise AssertionError("nothing should be embedded")

    monkeypatch.setattr(models, "get_embedder", refuse)


def test_folder_ingest_reports_every_file(settings: Settings) -> None:
    assert not store_ready(settings)
    report = ingest(settings=settings)
    outcomes = {Path(o.path).name: o for o in report.outcomes}
    added = {name for name, o in outcomes.items() if o.status == "added"}
    assert added == {"sdr-burnout.en.md", "sdr-burnout.zh.md", "territory-notes.txt", "onboarding.html"} | {
        "quota-memo.pdf",
        "span-guide.docx",
    }
    assert outcomes["empty.md"].reason == "empty file"
    assert outcomes["corrupt.txt"].reason == "binary file, not text"
    assert outcomes["benchmarks.yaml"].reason == "data file, not a document"
    assert {doc.doc_id for doc in list_documents(settings)} == DOC_IDS
    assert (
        report.total_chunks
        == sum(o.chunks for o in report.outcomes if o.status == "added")
        == report.embedded
    )
    assert store_ready(settings)
    assert "6 added" in str(report) and "empty.md" in str(report)


def test_stored_chunks_carry_text_metadata_and_offsets(settings: Settings) -> None:
    ingest(settings=settings)
    chunks = get_chunks(settings, "fixture-burnout-en")
    assert [c.section for c in chunks] == ["Why reps leave", "Why reps leave > Burnout", "What helps"]
    assert chunks[0].text.startswith("Sales development reps leave when the work feels endless.")
    assert all(c.lang == "en" and c.topics == ("burnout", "sdr") for c in chunks)
    assert all(c.translation_of == "fixture-burnout-zh" for c in chunks)
    assert get_passage(settings, chunks[1].chunk_id) == chunks[1]
    doc = {d.doc_id: d for d in list_documents(settings)}["fixture-burnout-zh"]
    assert (doc.title, doc.lang, doc.chunks) == (
        "SDR 倦怠以及如何预防",
        "zh",
        len(get_chunks(settings, doc.doc_id)),
    )


def test_reingesting_an_unchanged_corpus_changes_nothing(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    ingest(settings=settings)
    before = corpus_fingerprint(settings)
    _no_embedding(monkeypatch)
    again = ingest(settings=settings)
    assert {o.status for o in again.outcomes} == {"unchanged", "skipped"}
    assert again.embedded == 0 and not again.changed
    assert corpus_fingerprint(settings) == before


def test_a_changed_document_replaces_only_its_own_chunks(settings: Settings, docs: Path) -> None:
    ingest(settings=settings)
    before = {doc: [c.chunk_id for c in get_chunks(settings, doc)] for doc in DOC_IDS}
    path = docs / "sdr-burnout.en.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "Celebrate learning from lost deals.", "Pair each rep with a mentor."
        ),
        encoding="utf-8",
    )
    report = ingest(settings=settings)
    assert [(Path(o.path).name, o.status) for o in report.outcomes if o.status == "updated"] == [
        ("sdr-burnout.en.md", "updated")
    ]
    assert report.embedded == 1  # only the edited section's chunk
    after = [c for c in get_chunks(settings, "fixture-burnout-en")]
    assert [c.chunk_id for c in after][:2] == before["fixture-burnout-en"][:2]
    assert "Pair each rep with a mentor." in after[2].text and "Celebrate" not in after[2].text
    assert all(get_chunks(settings, doc) for doc in DOC_IDS)
    for doc in DOC_IDS - {"fixture-burnout-en"}:
        assert [c.chunk_id for c in get_chunks(settings, doc)] == before[doc]
    assert before["fixture-burnout-en"][2] not in _stored_ids(settings)


def test_prune_removes_documents_whose_file_is_gone(settings: Settings, docs: Path) -> None:
    ingest(settings=settings)
    (docs / "territory-notes.txt").unlink()
    kept = ingest(settings=settings)
    assert "territory-notes" in {d.doc_id for d in list_documents(settings)}
    assert not kept.of("removed")
    pruned = ingest(settings=settings, prune=True)
    assert [(o.doc_id, o.reason) for o in pruned.of("removed")] == [
        ("territory-notes", "source file is gone")
    ]
    assert {d.doc_id for d in list_documents(settings)} == DOC_IDS - {"territory-notes"}
    coll = existing_collection(settings)
    assert coll is not None
    index = load_index(settings, coll)
    assert index is not None and sorted(index.ids) == sorted(_stored_ids(settings))


def test_bad_input_is_reported_and_nothing_stored_is_lost(
    settings: Settings, docs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ingest(settings=settings)
    before = corpus_fingerprint(settings)
    (docs / "sdr-burnout.en.md").write_bytes(b"\x00\x01binary now\x00")  # a stored document turns unreadable
    (docs / "onboarding.html").write_text("", encoding="utf-8")  # and another one empty
    write_pdf(docs / "locked.pdf", ["secret plan"], password="pw")
    (docs / "huge.txt").write_text("big " * 2000, encoding="utf-8")
    (docs / "good.md").write_text("# Ramp time\n\nNew reps take five months to ramp.", encoding="utf-8")
    monkeypatch.setattr(load, "MAX_FILE_BYTES", 5000)
    report = ingest(settings=settings)
    reasons = {Path(o.path).name: o.reason for o in report.of("skipped")}
    assert reasons["sdr-burnout.en.md"] == "binary file, not text"
    assert reasons["onboarding.html"] == "empty file"
    assert reasons["locked.pdf"].startswith("password-protected PDF")
    assert reasons["huge.txt"] == "too large (8000 bytes, limit 5000 bytes)"
    assert [Path(o.path).name for o in report.of("added")] == ["good.md"]
    assert set(_stored_ids(settings)) > set()  # store still there
    assert get_chunks(settings, "fixture-burnout-en") and get_chunks(settings, "onboarding")
    assert corpus_fingerprint(settings) != before  # only because good.md was added
    assert {d.doc_id for d in list_documents(settings)} == DOC_IDS | {"good"}


def test_a_duplicate_doc_id_is_skipped_with_its_reason(settings: Settings, docs: Path) -> None:
    shutil.copy(docs / "sdr-burnout.en.md", docs / "copy-of-burnout.md")
    report = ingest(settings=settings)
    (skipped,) = [
        o for o in report.of("skipped") if Path(o.path).name in ("copy-of-burnout.md", "sdr-burnout.en.md")
    ]
    assert "doc id `fixture-burnout-en` is already used by" in skipped.reason


def test_the_raw_seed_leaves_no_spam_in_any_chunk(settings: Settings, docs: Path) -> None:
    copy = docs / "seed" / "sales-structure-guidance.zh.txt"
    copy.parent.mkdir()
    shutil.copy(seed_path(), copy)
    report = ingest([copy], settings=settings)
    (outcome,) = report.outcomes
    chunks = get_chunks(settings, outcome.doc_id)
    assert outcome.doc_id == "seed-sales-structure-guidance-zh" and len(chunks) == outcome.chunks > 5
    for chunk in chunks:
        assert not any(spam in chunk.text for spam in SEED_SPAM), chunk.text
    joined = "".join(c.text for c in chunks)
    assert all(sentence in joined for sentence in SEED_NEIGHBOURS)
    assert all(c.lang == "zh" for c in chunks)
    assert any(c.section == "如何提高 B2B 销售团队的留任率？ > 4. 倦怠" for c in chunks)


def test_missing_path_is_an_input_error(settings: Settings, tmp_path: Path) -> None:
    from advisor.errors import InputError

    with pytest.raises(InputError, match="No such file or folder"):
        ingest([tmp_path / "nope"], settings=settings)


def test_the_bundled_benchmarks_are_not_offered_as_a_document_but_a_users_data_file_is_reported(
    docs: Path,
) -> None:
    from advisor.bundled import BENCHMARKS_FILE, KNOWLEDGE_DIR
    from advisor.kb.ingest import _files

    bundled = [path.resolve() for path, _ in _files([KNOWLEDGE_DIR], default_roots=[KNOWLEDGE_DIR])]
    assert bundled and BENCHMARKS_FILE.resolve() not in bundled
    assert docs / "benchmarks.yaml" in [path for path, _ in _files([docs], default_roots=[])]
