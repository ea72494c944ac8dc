"""The document lifecycle: list, remove, near-duplicates, spam-only files, embedding progress and private uploads."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from advisor.cli import app
from advisor.cli.app import console
from advisor.config import Settings
from advisor.errors import NotFoundError
from advisor.kb import ingest as ingest_module
from advisor.kb.ingest import EmbedProgress, ingest, remove_document
from advisor.kb.keyword import KeywordIndex, index_path
from advisor.kb.manifest import Manifest, manifest_path
from advisor.kb.retriever import KnowledgeRetriever
from advisor.kb.store import existing_collection, iter_chunks, list_documents

pytestmark = pytest.mark.integration

SPAM_ONLY = (
    "Buy WhatsApp number list now! Lebanon phone numbers +961 database, fresh leads every day. "
    "WhatsApp +961 71 234 567. Buy email database, country code +961, cheap data, contact us."
)


@pytest.fixture
def cli(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """A runner whose commands see the test's ADVISOR_HOME and fixture knowledge folder."""
    monkeypatch.setenv("ADVISOR_HOME", str(settings.home))
    monkeypatch.setenv("ADVISOR_KNOWLEDGE_DIR", str(settings.knowledge_dir))
    monkeypatch.setenv("ADVISOR_BUNDLED_KNOWLEDGE", "false")
    monkeypatch.setattr(console, "width", 250)
    return CliRunner()


def consistent(settings: Settings) -> set[str]:
    """Assert store, saved keyword index and manifest hold the same documents; return their doc ids."""
    coll = existing_collection(settings)
    assert coll is not None
    stored = {cid: str(meta["doc_id"]) for cid, _, meta in iter_chunks(coll, include=["metadatas"])}
    index = KeywordIndex.load(index_path(settings))
    assert index is not None and sorted(index.ids) == sorted(stored)
    manifest = Manifest.load(manifest_path(settings), collection_id=str(coll.id))
    recorded = {cid: entry.doc_id for entry in manifest.files.values() for cid in entry.chunk_ids}
    assert recorded == stored
    assert not set(stored.values()) & set(manifest.removed)
    return set(stored.values())


def test_kb_list_shows_every_document_as_a_table_and_as_json(cli: CliRunner) -> None:
    cli.invoke(app, ["ingest"])
    table = cli.invoke(app, ["kb", "list"])
    assert table.exit_code == 0, table.output
    assert "6 documents in `knowledge`" in table.output
    assert "territory-notes" in table.output and "fixture-burnout-zh" in table.output
    listed = json.loads(cli.invoke(app, ["kb", "list", "--json"]).output)
    assert [d["doc_id"] for d in listed] == sorted(d["doc_id"] for d in listed)
    notes = next(d for d in listed if d["doc_id"] == "territory-notes")
    assert notes["chunks"] == 1 and notes["lang"] == "en" and notes["trust"] == "uploaded"


def test_kb_list_on_an_empty_store_says_how_to_fill_it(cli: CliRunner) -> None:
    result = cli.invoke(app, ["kb", "list"])
    assert result.exit_code == 0
    assert result.output.strip() == "The knowledge base is empty; run `advisor ingest` first."


def test_kb_remove_takes_the_document_out_of_store_index_manifest_and_search(
    cli: CliRunner, settings: Settings, docs: Path
) -> None:
    cli.invoke(app, ["ingest"])
    query = "balanced territories account count addressable revenue"
    assert KnowledgeRetriever(settings=settings, k=3).search(query)[0].doc_id == "territory-notes"
    result = cli.invoke(app, ["kb", "remove", "territory-notes"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == (
        f"Removed `territory-notes` (1 chunks, from {(docs / 'territory-notes.txt').resolve()}) "
        "from the knowledge base."
    )
    assert "territory-notes" not in consistent(settings)
    for mode in ("hybrid", "dense", "keyword"):
        found = KnowledgeRetriever(settings=settings, k=10).search(query, mode=mode)  # type: ignore[arg-type]
        assert "territory-notes" not in {p.doc_id for p in found}
    assert "territory-notes" not in {d.doc_id for d in list_documents(settings)}


def test_kb_remove_of_an_unknown_id_names_it(cli: CliRunner) -> None:
    cli.invoke(app, ["ingest"])
    result = cli.invoke(app, ["kb", "remove", "no-such-doc"])
    assert result.exit_code == 1
    assert result.output.strip() == (
        "Error: No document `no-such-doc` in the knowledge base; `advisor kb list` shows what is there."
    )
    again = cli.invoke(app, ["kb", "remove", "territory-notes"])
    twice = cli.invoke(app, ["kb", "remove", "territory-notes"])
    assert again.exit_code == 0 and twice.exit_code == 1
    assert "No document `territory-notes`" in twice.output


def test_a_removed_file_stays_out_of_its_folder_until_named(settings: Settings, docs: Path) -> None:
    ingest(settings=settings)
    remove_document("territory-notes", settings=settings)
    folder = ingest(settings=settings)
    skipped = next(o for o in folder.outcomes if o.path.endswith("territory-notes.txt"))
    assert skipped.status == "skipped"
    assert (
        skipped.reason == "removed with `advisor kb remove`; give its path to `advisor ingest` to add it back"
    )
    assert "territory-notes" not in consistent(settings)
    named = ingest([docs / "territory-notes.txt"], settings=settings)
    assert [o.status for o in named.outcomes] == ["added"]
    assert "territory-notes" in consistent(settings)
    assert (
        KnowledgeRetriever(settings=settings, k=1).search("balanced territories")[0].doc_id
        == "territory-notes"
    )


def test_a_near_duplicate_under_another_name_is_reported_and_not_stored_twice(
    settings: Settings, docs: Path
) -> None:
    ingest(settings=settings)
    before = existing_collection(settings).count()  # type: ignore[union-attr]
    copy = docs / "copies" / "territory-notes-copy.txt"
    copy.parent.mkdir()
    text = (docs / "territory-notes.txt").read_text(encoding="utf-8")
    copy.write_text(text.replace("twice a year", "twice a year.") + "\n", encoding="utf-8")
    report = ingest(settings=settings)
    duplicate = next(o for o in report.outcomes if o.path == str(copy))
    assert duplicate.status == "duplicate"
    assert duplicate.reason == "same content as `territory-notes` (territory-notes.txt); not stored twice"
    assert "1 duplicate" in report.summary() and str(copy) in str(report)
    assert existing_collection(settings).count() == before  # type: ignore[union-attr]
    found = KnowledgeRetriever(settings=settings, k=5).search("balanced territories addressable revenue")
    assert [p.doc_id for p in found].count("territory-notes") == 1
    assert len(consistent(settings)) == 6


def test_a_translation_is_not_a_duplicate(settings: Settings) -> None:
    report = ingest(settings=settings)
    assert not report.of("duplicate")
    assert {"fixture-burnout-en", "fixture-burnout-zh"} <= consistent(settings)


def test_a_document_that_is_nothing_but_spam_is_skipped_with_the_reason(
    settings: Settings, docs: Path
) -> None:
    spam = docs / "leads.txt"
    spam.write_text(f"Fresh leads\n\n{SPAM_ONLY}\n", encoding="utf-8")
    report = ingest([spam], settings=settings)
    (outcome,) = report.outcomes
    assert outcome.status == "skipped"
    assert outcome.reason.startswith("nothing but spam: cleaning left ")
    assert outcome.reason.endswith(" characters, too little to index")
    coll = existing_collection(settings)
    assert coll is not None and coll.count() == 0
    short = docs / "short-note.txt"
    short.write_text("Coach new reps weekly for their first quarter.\n", encoding="utf-8")
    assert [o.status for o in ingest([short], settings=settings).outcomes] == ["added"]


def test_embedding_reports_progress_with_rate_and_time_left(
    settings: Settings, docs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ingest_module, "BATCH_CHUNKS", 4)
    big = docs / "big.md"
    paragraphs = [
        f"Region {i} needs {i + 3} reps, weekly pipeline reviews and a ramp plan." for i in range(40)
    ]
    big.write_text("# Regions\n\n" + "\n\n".join(paragraphs), encoding="utf-8")
    steps: list[EmbedProgress] = []
    report = ingest([big], settings=settings.model_copy(update={"chunk_size": 120}), embedding=steps.append)
    assert report.embedded == steps[-1].done == steps[-1].total > 4
    assert [s.done for s in steps] == sorted({s.done for s in steps})
    assert all(s.rate > 0 and s.remaining is not None for s in steps)
    assert steps[-1].remaining == 0
    first = steps[0]
    assert str(first) == (
        f"{first.done:,}/{first.total:,} chunks embedded, {first.rate:.1f} chunks/s, "
        f"about {first.remaining:.0f} s left"
    )
    assert str(EmbedProgress(0, 10, 0.0)) == "0/10 chunks embedded, 0.0 chunks/s"


def test_ingest_prints_embedding_progress_for_a_big_batch(
    cli: CliRunner, docs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ingest_module, "BATCH_CHUNKS", 2)
    monkeypatch.setenv("ADVISOR_CHUNK_SIZE", "120")
    result = cli.invoke(app, ["ingest", str(docs / "sdr-burnout.en.md"), str(docs / "onboarding.html")])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if line.startswith("Embedding: ")]
    assert lines and lines[-1].startswith("Embedding: ") and " chunks/s" in lines[-1]


def test_uploads_record_their_owner_and_stay_private_when_not_shared(settings: Settings, docs: Path) -> None:
    private = docs.parent / "private"
    private.mkdir()
    shutil.move(docs / "territory-notes.txt", private / "territory-notes.txt")
    ingest(settings=settings)
    ingest([private / "territory-notes.txt"], settings=settings, owner="user:ada")
    coll = existing_collection(settings)
    assert coll is not None
    owners = {str(m["doc_id"]): m.get("owner", "") for _, _, m in iter_chunks(coll, include=["metadatas"])}
    assert owners["territory-notes"] == "user:ada" and owners["fixture-burnout-en"] == ""
    query = "balanced territories account count addressable revenue"
    closed = settings.model_copy(update={"uploads_shared": False})
    for reader, sees in (("user:ada", True), ("user:bob", False), (None, False)):
        found = KnowledgeRetriever(settings=closed, k=10).search(query, reader=reader)
        assert ("territory-notes" in {p.doc_id for p in found}) is sees, reader
        assert found, "the other documents stay searchable for everyone"
    bob = KnowledgeRetriever(settings=closed, k=10).reading_as("user:bob")
    assert "territory-notes" not in {p.doc_id for p in bob.search(query, mode="dense")}
    shared = KnowledgeRetriever(settings=settings, k=10).search(query, reader="user:bob")
    assert "territory-notes" in {p.doc_id for p in shared}
    assert next(p for p in shared if p.doc_id == "territory-notes").trust == "uploaded"


def test_remove_document_raises_not_found_for_an_unknown_id(settings: Settings) -> None:
    ingest(settings=settings)
    with pytest.raises(NotFoundError, match="No document `ghost` in the knowledge base"):
        remove_document("ghost", settings=settings)
    assert len(consistent(settings)) == 6
