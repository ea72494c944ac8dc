"""What has been ingested: per source file, the content hash and the chunk ids it produced.

An entry is written only after the file's chunks are stored, so after a crash the manifest never claims a file that
is not fully in the store; the next run sees the file as new or changed and finishes it. A removed document is
recorded (`removed`, doc id -> source) before its chunks are deleted, so a removal cut short by a crash is finished by
the next run, and its file is not ingested again from the knowledge folder. The manifest is tied to one collection
(by its Chroma id): a recreated collection invalidates it.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from advisor.config import Settings


@dataclass(frozen=True)
class FileEntry:
    """One ingested file."""

    sha256: str
    doc_id: str
    chunk_ids: tuple[str, ...]
    config: str
    sketch: tuple[int, ...] = ()  # the content's near-duplicate sketch (`advisor.kb.duplicates`)
    owner: str = ""  # who uploaded it (a principal's owner key); empty for files the installation ingests


class Manifest:
    """Source path -> `FileEntry`, saved as JSON beside the keyword index."""

    def __init__(
        self,
        path: Path,
        collection_id: str,
        files: dict[str, FileEntry] | None = None,
        removed: dict[str, str] | None = None,
    ) -> None:
        self.path = path
        self.collection_id = collection_id
        self.files = files or {}
        self.removed = removed or {}

    def __repr__(self) -> str:
        return f"Manifest({self.path}, {len(self.files)} files)"

    @classmethod
    def load(cls, path: Path, *, collection_id: str) -> Manifest:
        """The saved manifest for this collection, or an empty one."""
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls(path, collection_id)
        if raw.get("collection_id") != collection_id:
            return cls(path, collection_id)
        files = {
            source: FileEntry(
                e["sha256"],
                e["doc_id"],
                tuple(e["chunk_ids"]),
                e["config"],
                tuple(e.get("sketch", ())),
                str(e.get("owner", "")),
            )
            for source, e in raw.get("files", {}).items()
        }
        return cls(path, collection_id, files, dict(raw.get("removed", {})))

    def owner(self, doc_id: str) -> str | None:
        """The source file that produced a doc id, if any."""
        return next((source for source, entry in self.files.items() if entry.doc_id == doc_id), None)

    def record(self, entries: dict[str, FileEntry]) -> None:
        """Remember files whose chunks are now stored (and no longer removed), and save at once."""
        self.files.update(entries)
        for entry in entries.values():
            self.removed.pop(entry.doc_id, None)
        self.save()

    def remove(self, doc_id: str, source: str) -> None:
        """Record a document as removed (its file forgotten) before its chunks go, and save at once."""
        self.files.pop(source, None)
        self.removed[doc_id] = source
        self.save()

    def removed_source(self, source: str) -> bool:
        """Whether this source file's document was removed on request."""
        return source in self.removed.values()

    def forget(self, source: str) -> None:
        """Drop a file whose chunks were removed, and save at once."""
        if self.files.pop(source, None) is not None:
            self.save()

    def save(self) -> None:
        """Write atomically, so a crash leaves the previous manifest or the new one."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        body = {
            "collection_id": self.collection_id,
            "files": {s: asdict(e) for s, e in sorted(self.files.items())},
            "removed": dict(sorted(self.removed.items())),
        }
        tmp = self.path.with_name(self.path.name + f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(body, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, self.path)


def kb_dir(settings: Settings) -> Path:
    """Folder for the knowledge base's own files (manifest, keyword index) under ADVISOR_HOME."""
    return settings.home / "kb"


def manifest_path(settings: Settings) -> Path:
    """Where the manifest of this collection lives."""
    return kb_dir(settings) / f"manifest-{settings.collection}.json"


def removed_documents(settings: Settings, *, collection_id: str) -> frozenset[str]:
    """Doc ids removed on request: readers leave them out even while a crashed removal still has chunks stored."""
    return frozenset(Manifest.load(manifest_path(settings), collection_id=collection_id).removed)
