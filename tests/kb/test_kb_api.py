"""The knowledge API's lifecycle: DELETE a document, uploads that fail leave nothing behind, private uploads."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from advisor.config import Settings
from advisor.kb.ingest import ingest, uploads_dir
from advisor.kb.manifest import Manifest, manifest_path
from advisor.kb.store import existing_collection, iter_chunks
from api.app import create_app

pytestmark = pytest.mark.integration

NOTE = b"# Ramp plan\n\nNew account executives reach full quota in their third quarter with weekly deal reviews.\n"


def _client(settings: Settings) -> TestClient:
    return TestClient(create_app(settings, warm_up=False), raise_server_exceptions=False)


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    """The real app over the fixture knowledge folder, ingested."""
    ingest(settings=settings)
    with _client(settings.model_copy(update={"rate_limit_per_minute": 0})) as test_client:
        yield test_client


def _state(settings: Settings) -> dict[str, Any]:
    """What the store and the manifest hold, and which files the uploads folder keeps."""
    coll = existing_collection(settings)
    assert coll is not None
    manifest = Manifest.load(manifest_path(settings), collection_id=str(coll.id))
    folder = uploads_dir(settings)
    return {
        "chunks": sorted(cid for cid, _, _ in iter_chunks(coll, include=[])),
        "files": sorted(manifest.files),
        "uploads": sorted(p.name for p in folder.rglob("*") if p.is_file()) if folder.exists() else [],
    }


def test_delete_removes_a_document_from_list_search_and_store(client: TestClient, settings: Settings) -> None:
    removed = client.delete("/api/kb/documents/territory-notes")
    assert removed.status_code == 200, removed.text
    assert removed.json() == {
        "doc_id": "territory-notes",
        "chunks": 1,
        "source": "territory-notes.txt",
        "status": "removed",
    }
    listed = {d["doc_id"] for d in client.get("/api/kb/documents").json()}
    assert "territory-notes" not in listed and "fixture-burnout-en" in listed
    found = client.get("/api/kb/search", params={"q": "balanced territories addressable revenue", "k": 10})
    assert "territory-notes" not in {p["doc_id"] for p in found.json()}
    assert client.get("/api/kb/documents/territory-notes").status_code == 404


def test_delete_of_an_unknown_document_is_404_naming_it(client: TestClient) -> None:
    missing = client.delete("/api/kb/documents/ghost")
    assert missing.status_code == 404
    assert missing.json()["detail"] == (
        "No document `ghost` in the knowledge base; `advisor kb list` shows what is there."
    )


def test_delete_declares_its_status_codes(client: TestClient) -> None:
    operation = client.get("/openapi.json").json()["paths"]["/api/kb/documents/{doc_id}"]["delete"]
    assert {"200", "401", "403", "404", "422"} <= set(operation["responses"])
    body = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/RemovedDocumentOut"}


def test_an_upload_is_kept_and_its_removal_deletes_the_file(client: TestClient, settings: Settings) -> None:
    added = client.post("/api/kb/documents", files={"file": ("ramp-plan.md", NOTE, "text/markdown")})
    assert added.status_code == 201, added.text
    assert added.json()["doc_id"] == "ramp-plan" and "ramp-plan.md" in _state(settings)["uploads"]
    assert client.delete("/api/kb/documents/ramp-plan").status_code == 200
    assert _state(settings)["uploads"] == []


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("blob.txt", b"\x00\x01\x02binary\x00" * 20, "binary file, not text"),
        ("blank.md", b"   \n\n", "empty file"),
        (
            "leads.txt",
            b"Fresh leads\n\nBuy WhatsApp number list now! Lebanon phone numbers +961 database, fresh leads every "
            b"day. WhatsApp +961 71 234 567. Buy email database, country code +961, cheap data, contact us.\n",
            "nothing but spam",
        ),
        (
            "territory-copy.txt",
            (Path(__file__).parents[1] / "fixtures" / "documents" / "territory-notes.txt").read_bytes(),
            "same content as `territory-notes` (territory-notes.txt); not stored twice",
        ),
        ("broken.docx", b"PK\x03\x04 not really a zip", "docx"),
        (
            "clash.md",
            b"---\nid: territory-notes\n---\n# Clash\n\n" + NOTE,
            "doc id `territory-notes` is already used by territory-notes.txt",
        ),
    ],
)
def test_a_failed_upload_leaves_nothing_behind(
    client: TestClient, settings: Settings, name: str, data: bytes, reason: str
) -> None:
    before = _state(settings)
    failed = client.post("/api/kb/documents", files={"file": (name, data, "application/octet-stream")})
    assert failed.status_code == 400, failed.text
    detail = failed.json()["detail"]
    assert detail.startswith(f"{name} was not added to the knowledge base: ") and reason in detail.lower()
    assert str(settings.home) not in detail
    assert _state(settings) == before


def test_an_upload_over_the_chunk_cap_leaves_nothing_behind(settings: Settings) -> None:
    ingest(settings=settings)
    capped = settings.model_copy(update={"max_chunks_per_file": 1, "rate_limit_per_minute": 0})
    before = _state(settings)
    long_note = NOTE + b"\n\n".join(
        b"Weekly coaching keeps ramping reps on pace, region %d." % i for i in range(60)
    )
    with _client(capped) as client:
        failed = client.post("/api/kb/documents", files={"file": ("long.md", long_note, "text/markdown")})
    assert failed.status_code == 400 and "over the cap of 1 per file" in failed.json()["detail"]
    assert _state(settings) == before


def test_a_failing_reupload_puts_the_earlier_file_back(client: TestClient, settings: Settings) -> None:
    assert (
        client.post("/api/kb/documents", files={"file": ("ramp-plan.md", NOTE, "text/markdown")}).status_code
        == 201
    )
    before = _state(settings)
    failed = client.post("/api/kb/documents", files={"file": ("ramp-plan.md", b"  \n", "text/markdown")})
    assert failed.status_code == 400
    assert _state(settings) == before
    assert (uploads_dir(settings) / "ramp-plan.md").read_bytes() == NOTE


def test_an_upload_whose_ingest_raises_leaves_nothing_behind(settings: Settings, tmp_path: Path) -> None:
    ingest(settings=settings)
    before = _state(settings)
    broken = settings.model_copy(
        update={"embedding_model": str(tmp_path / "no-such-model"), "rate_limit_per_minute": 0}
    )
    with _client(broken) as client:
        failed = client.post("/api/kb/documents", files={"file": ("ramp-plan.md", NOTE, "text/markdown")})
    assert failed.status_code in (400, 503), failed.text
    assert _state(settings) == before


def test_private_uploads_are_listed_searched_and_removed_only_by_their_uploader(settings: Settings) -> None:
    ingest(settings=settings)
    private = settings.model_copy(update={"uploads_shared": False, "rate_limit_per_minute": 0})
    with _client(private) as ada, _client(private) as bob:
        ada.get("/kb")  # each browser gets its own session cookie, so each is its own principal
        bob.get("/kb")
        added = ada.post("/api/kb/documents", files={"file": ("ramp-plan.md", NOTE, "text/markdown")})
        assert added.status_code == 201, added.text
        query = {"q": "account executives full quota third quarter weekly deal reviews", "k": 10}
        assert "ramp-plan" in {d["doc_id"] for d in ada.get("/api/kb/documents").json()}
        assert "ramp-plan" in {p["doc_id"] for p in ada.get("/api/kb/search", params=query).json()}
        assert "ramp-plan" not in {d["doc_id"] for d in bob.get("/api/kb/documents").json()}
        assert "ramp-plan" not in {p["doc_id"] for p in bob.get("/api/kb/search", params=query).json()}
        assert "ramp-plan" not in bob.get("/kb").text
        chunk_id = ada.get("/api/kb/documents/ramp-plan").json()["chunks"][0]["chunk_id"]
        for path in ("/api/kb/documents/ramp-plan", "/kb/docs/ramp-plan", f"/api/kb/passages/{chunk_id}"):
            assert ada.get(path).status_code == 200, path
            assert bob.get(path).status_code == 404, path
        assert bob.delete("/api/kb/documents/ramp-plan").status_code == 404
        assert ada.delete("/api/kb/documents/ramp-plan").status_code == 200


def test_the_chat_cites_a_private_upload_for_its_uploader_only(settings: Settings) -> None:
    ingest(settings=settings)
    private = settings.model_copy(update={"uploads_shared": False, "rate_limit_per_minute": 0})
    question = {"question": "How many quarters until new account executives reach full quota?"}
    with _client(private) as ada, _client(private) as bob:
        ada.get("/kb")
        bob.get("/kb")
        assert (
            ada.post("/api/kb/documents", files={"file": ("ramp-plan.md", NOTE, "text/markdown")}).status_code
            == 201
        )
        mine = ada.post("/api/chat", json=question)
        theirs = bob.post("/api/chat", json=question)
    assert mine.status_code == 200 and theirs.status_code == 200, mine.text + theirs.text
    cited = [c for c in mine.json()["citations"] if c["doc_id"] == "ramp-plan"]
    assert cited and all("uploaded document" in c["title"] for c in cited)
    assert "ramp-plan" not in {c["doc_id"] for c in theirs.json()["citations"]}


def test_private_uploads_of_the_same_name_or_content_never_touch_each_other(settings: Settings) -> None:
    ingest(settings=settings)
    private = settings.model_copy(update={"uploads_shared": False, "rate_limit_per_minute": 0})
    with _client(private) as ada, _client(private) as bob:
        ada.get("/kb")
        bob.get("/kb")
        upload = {"file": ("ramp-plan.md", NOTE, "text/markdown")}
        assert ada.post("/api/kb/documents", files=upload).status_code == 201
        other = NOTE.replace(b"third quarter", b"second quarter with a buddy")
        clash = bob.post("/api/kb/documents", files={"file": ("ramp-plan.md", other, "text/markdown")})
        assert clash.status_code == 400 and "doc id `ramp-plan` is already used by ramp-plan.md" in clash.text
        copy = bob.post("/api/kb/documents", files={"file": ("copied.md", NOTE, "text/markdown")})
        assert copy.status_code == 201, (
            copy.text
        )  # her upload is no twin of his: nothing about it is revealed
        assert (
            ada.get("/api/kb/documents/ramp-plan")
            .json()["chunks"][0]["text"]
            .endswith("weekly deal reviews.")
        )
    kept = [p for p in uploads_dir(settings).rglob("ramp-plan.md")]
    assert [p.read_bytes() for p in kept] == [NOTE]
