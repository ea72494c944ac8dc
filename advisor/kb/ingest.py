"""Ingest files into the knowledge base: load -> clean -> chunk -> embed -> Chroma, then the keyword index.

Unchanged files are recognised by their content hash in the manifest and skipped before any parsing. A changed
document replaces only its own chunks, and only chunks whose content changed are embedded again. Chunks are written in
batches (embedding is the slow part, and batching keeps the model busy); a file's manifest entry is written after all
its chunks are stored, so a crash at any point leaves a store that the next run completes.

A file whose cleaned content is a near-duplicate of a stored document (`advisor.kb.duplicates`) is reported as
`duplicate` and not stored twice; a file that cleaning leaves almost empty (`MIN_CONTENT`, `MIN_KEPT_SHARE`: nothing
but spam) is skipped with the reason. Embedding reports its progress (`EmbedProgress`: chunks per second, time left).
An uploaded file records its uploader (`owner`) on every chunk, so retrieval can keep private uploads to them.

`remove_document` takes a document out: the store's revision changes and the manifest records the removal first, then
its chunks and keyword entries go. Readers leave removed documents out at once (`advisor.kb.manifest.removed_documents`)
and every ingest or removal first deletes what a crash left of earlier removals.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from advisor.bundled import BENCHMARKS_FILE
from advisor.config import Settings
from advisor.errors import InputError, NotFoundError
from advisor.kb import store
from advisor.kb.chunk import Chunk, chunk_document, indexed_text, text_weight
from advisor.kb.clean import CLEANER_VERSION, clean_text
from advisor.kb.coherence import SemanticJudge
from advisor.kb.duplicates import is_duplicate, sketch
from advisor.kb.instructions import withhold_instructions
from advisor.kb.keyword import Entry, fresh_index, load_index, save_index
from advisor.kb.load import MAX_FILE_BYTES, load_document
from advisor.kb.manifest import FileEntry, Manifest, manifest_path
from advisor.kb.precomputed import question_vectors, refresh_sentences

if TYPE_CHECKING:
    from chromadb.api.models.Collection import Collection

# Chunks embedded and stored together. The model sorts a call's texts by length before batching them 64 at a time, so
# bigger calls waste less on padding (CPU time against one call for everything: 0.86 at 256, 0.95 at 512).
BATCH_CHUNKS = 512
BUNDLED_BENCHMARKS = BENCHMARKS_FILE.resolve()
CHUNKER_VERSION = "2"  # 2: chunks carry their trust tier; sentences addressed to the assistant are withheld

# A document is "nothing but spam" when cleaning cut more than half of it and left under MIN_CONTENT (in Latin-character
# equivalents, about two sentences): a real note that short loses nothing to cleaning, so it is kept.
MIN_CONTENT = 200
MIN_KEPT_SHARE = 0.5

Status = Literal["added", "updated", "unchanged", "skipped", "removed", "duplicate"]
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class EmbedProgress:
    """How far the embedding of one batch has come: chunks done of total, after `seconds`."""

    done: int
    total: int
    seconds: float

    @property
    def rate(self) -> float:
        """Chunks embedded per second so far (0 before the first step finishes)."""
        return self.done / self.seconds if self.seconds > 0 else 0.0

    @property
    def remaining(self) -> float | None:
        """Estimated seconds left at the rate so far (None until there is a rate)."""
        return (self.total - self.done) / self.rate if self.rate else None

    def __str__(self) -> str:
        left = "" if self.remaining is None else f", about {self.remaining:.0f} s left"
        return f"{self.done:,}/{self.total:,} chunks embedded, {self.rate:.1f} chunks/s{left}"


EmbedCallback = Callable[[EmbedProgress], None]


@dataclass(frozen=True)
class FileOutcome:
    """What ingest did with one file (or, for `removed`, one document whose file is gone)."""

    path: str
    status: Status
    doc_id: str = ""
    chunks: int = 0
    reason: str = ""

    def __str__(self) -> str:
        detail = self.reason or f"{self.chunks} chunks"
        return f"{self.status:<9} {self.path} ({self.doc_id + ', ' if self.doc_id else ''}{detail})"


@dataclass
class IngestReport:
    """Per-file outcomes of one ingest run and its totals."""

    outcomes: list[FileOutcome] = field(default_factory=list)
    embedded: int = 0
    total_chunks: int = 0
    seconds: float = 0.0
    # per file: the sentences addressed to the assistant that were kept out of the evidence
    withheld: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def of(self, status: Status) -> list[FileOutcome]:
        """The outcomes with one status."""
        return [outcome for outcome in self.outcomes if outcome.status == status]

    @property
    def changed(self) -> bool:
        """Whether the store changed."""
        return any(o.status in ("added", "updated", "removed") for o in self.outcomes)

    def summary(self) -> str:
        """One line: files per outcome, chunks embedded, chunks stored, time taken."""
        counts = ", ".join(
            f"{len(self.of(s))} {s}"
            for s in ("added", "updated", "unchanged", "skipped", "removed", "duplicate")
        )
        withheld = sum(len(sentences) for sentences in self.withheld.values())
        instructions = (
            f"; {withheld} sentences addressed to the assistant withheld from {len(self.withheld)} files"
            if withheld
            else ""
        )
        return (
            f"{len(self.outcomes)} files: {counts}; {self.embedded} chunks embedded, "
            f"{self.total_chunks} in store ({self.seconds:.1f} s){instructions}"
        )

    def __str__(self) -> str:
        lines = [self.summary()]
        shown = ("skipped", "removed", "duplicate")
        lines += [f"  {outcome}" for outcome in self.outcomes if outcome.status in shown]
        lines += [
            f"  withheld  {path}: {sentence}" for path, found in self.withheld.items() for sentence in found
        ]
        return "\n".join(lines)


@dataclass
class _Pending:
    """A document chunked and waiting to be written with the next batch."""

    path: str
    source: str
    sha256: str
    doc_id: str
    chunks: list[Chunk]
    previous: FileEntry | None
    sketch: tuple[int, ...] = ()
    owner: str = ""


def _files(paths: list[Path], *, default_roots: list[Path]) -> Iterator[tuple[Path, Path | None]]:
    """Every candidate file under the given paths (folders recursively, hidden files left out), with its id root."""
    for path in paths:
        if not path.exists():
            raise InputError(
                f"No such file or folder: {path}. Give existing paths, or none to ingest the default knowledge."
            )
        inside = [root for root in default_roots if _inside(path, root)]
        root = inside[0] if inside else (path if path.is_dir() else None)
        candidates = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for candidate in candidates:
            relative = candidate.relative_to(path) if path.is_dir() else Path(candidate.name)
            hidden = any(part.startswith(".") for part in relative.parts)
            # the bundled benchmarks are the rules layer's data, not a document
            if not hidden and candidate.resolve() != BUNDLED_BENCHMARKS:
                yield candidate, root


def _inside(path: Path, root: Path) -> bool:
    return path.resolve() == root.resolve() or root.resolve() in path.resolve().parents


def _config_key(settings: Settings) -> str:
    """Everything besides file content that shapes the chunks: a change re-ingests every file."""
    parts = [
        settings.chunk_size,
        settings.chunk_overlap,
        settings.embedding_model,
        CLEANER_VERSION,
        CHUNKER_VERSION,
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:12]


class _Run:
    """State of one ingest run: the collection, the manifest, the pending batch and the changes made."""

    def __init__(
        self, settings: Settings, *, owner: str = "", embedding: EmbedCallback | None = None
    ) -> None:
        self.settings = settings
        self.owner = owner
        self.embedding = embedding
        self.coll: Collection = store.collection(settings)
        self.manifest = Manifest.load(manifest_path(settings), collection_id=str(self.coll.id))
        self.index = load_index(settings, self.coll)
        self.config = _config_key(settings)
        self.report = IngestReport()
        self.pending: list[_Pending] = []
        self.removed_ids: set[str] = set()
        self.added: dict[str, Entry] = {}
        self.revision = ""
        self._judge: SemanticJudge | None = None
        self._finish_removals()

    def _finish_removals(self) -> None:
        """Delete what is left of documents recorded as removed (a removal a crash cut short)."""
        for doc_id in sorted(self.manifest.removed):
            self._delete(self.stored_ids(doc_id))

    def judge(self) -> SemanticJudge:
        """The semantic spam judge, on the embedding model (loaded the first time a file needs cleaning)."""
        if self._judge is None:
            from advisor.models import get_embedder

            self._judge = SemanticJudge(get_embedder(self.settings), model=self.settings.embedding_model)
        return self._judge

    def _mark_dirty(self) -> None:
        if not self.revision:
            self.revision = store.bump_revision(self.coll)

    def visit(self, path: Path, root: Path | None, *, named: bool = False) -> None:
        """Decide what a file needs; queue it for writing if it is new or changed.

        A file whose document was removed is left out unless it is `named` (given by its own path).
        """
        source = str(path.resolve())
        previous = self.manifest.files.get(source)
        if self.manifest.removed_source(source) and not named:
            reason = "removed with `advisor kb remove`; give its path to `advisor ingest` to add it back"
            self._outcome(path, "skipped", reason=reason)
            return
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                load_document(path)  # raises the size error with its message
            sha = hashlib.sha256(path.read_bytes()).hexdigest()
            if previous is not None and previous.sha256 == sha and previous.config == self.config:
                self._outcome(path, "unchanged", previous.doc_id, len(previous.chunk_ids))
                return
            doc = load_document(path, root=root)
        except InputError as exc:
            self._outcome(path, "skipped", reason=str(exc).split(": ", 1)[-1])
            return
        except OSError as exc:
            self._outcome(path, "skipped", reason=f"unreadable ({exc.strerror or exc})")
            return
        holder = self.manifest.owner(doc.doc_id)
        claimed = holder not in (None, source) and Path(str(holder)).exists()
        if claimed or any(p.doc_id == doc.doc_id for p in self.pending):
            other = holder if claimed else next(p.source for p in self.pending if p.doc_id == doc.doc_id)
            reason = (
                f"doc id `{doc.doc_id}` is already used by {Path(str(other)).name}; "
                "give one of them an `id` in front matter"
            )
            self._outcome(path, "skipped", doc.doc_id, reason=reason)
            return
        doc = replace(
            doc, title=clean_text(doc.title, lang=doc.lang)
        )  # so it matches the cleaned top heading
        # the bundled articles are the team's own reviewed text: the semantic judge (an embedding per sentence and
        # stretch, most of the cleaning time) reads only what users bring
        judge = None if doc.trust == "curated" else self.judge()
        cleaned = clean_text(doc.text, lang=doc.lang, judge=judge)
        withheld = withhold_instructions(cleaned)
        if withheld.sentences:
            self.report.withheld[str(path)] = withheld.sentences
        kept, raw = text_weight("".join(cleaned.split())), text_weight("".join(doc.text.split()))
        if kept < MIN_CONTENT and kept < raw * MIN_KEPT_SHARE:
            reason = (
                f"nothing but spam: cleaning left {kept} of {raw} characters, too little to index"
                if kept
                else "no text left after cleaning"
            )
            self._outcome(path, "skipped", doc.doc_id, reason=reason)
            return
        chunks = chunk_document(
            doc, withheld.text, size=self.settings.chunk_size, overlap=self.settings.chunk_overlap
        )
        if not chunks:
            self._outcome(path, "skipped", doc.doc_id, reason="no text left after cleaning")
            return
        if self.owner:
            chunks = [replace(chunk, owner=self.owner) for chunk in chunks]
        cap = self.settings.max_chunks_per_file
        if len(chunks) > cap:
            reason = (
                f"{len(chunks):,} chunks, over the cap of {cap:,} per file (ADVISOR_MAX_CHUNKS_PER_FILE): "
                "split the file or raise the cap"
            )
            self._outcome(path, "skipped", doc.doc_id, reason=reason)
            return
        content = sketch(withheld.text)
        twin = self._twin(source, content)
        if twin is not None:
            reason = f"same content as `{twin[1]}` ({Path(twin[0]).name}); not stored twice"
            self._outcome(path, "duplicate", doc.doc_id, reason=reason)
            return
        self.pending.append(
            _Pending(str(path), source, sha, doc.doc_id, chunks, previous, content, self.owner)
        )
        if sum(len(p.chunks) for p in self.pending) >= BATCH_CHUNKS:
            _flush(self)

    def _twin(self, source: str, content: tuple[int, ...]) -> tuple[str, str] | None:
        """The stored (or pending) document another file holds with the same content, as (source, doc id)."""
        private = not self.settings.uploads_shared  # then another person's upload is no twin of yours
        known = [
            (s, e.doc_id, e.sketch)
            for s, e in self.manifest.files.items()
            if Path(s).exists() and not (private and e.owner not in ("", self.owner))
        ]
        known += [(p.source, p.doc_id, p.sketch) for p in self.pending]
        return next(((s, d) for s, d, other in known if s != source and is_duplicate(content, other)), None)

    def _outcome(
        self, path: Path, status: Status, doc_id: str = "", chunks: int = 0, reason: str = ""
    ) -> None:
        self.report.outcomes.append(FileOutcome(str(path), status, doc_id, chunks, reason))

    def stored_ids(self, doc_id: str) -> set[str]:
        """Ids of a document's chunks as the store has them now."""
        return {cid for cid, _, _ in store.iter_chunks(self.coll, include=[], where={"doc_id": doc_id})}

    def prune(self, seen: set[str]) -> None:
        """Remove documents whose source file is gone (or that no known file produced)."""
        for source, entry in sorted(self.manifest.files.items()):
            if source not in seen and not Path(source).exists():
                self._delete(self.stored_ids(entry.doc_id))
                self.manifest.forget(source)
                self._outcome(
                    Path(source), "removed", entry.doc_id, len(entry.chunk_ids), "source file is gone"
                )
        known = {entry.doc_id for entry in self.manifest.files.values()}
        orphans: dict[str, list[str]] = {}
        for cid, _, meta in store.iter_chunks(self.coll, include=["metadatas"]):
            if meta.get("doc_id") not in known:
                orphans.setdefault(str(meta.get("doc_id")), []).append(cid)
        for doc_id, ids in sorted(orphans.items()):
            self._delete(set(ids))
            self._outcome(Path(str(doc_id)), "removed", doc_id, len(ids), "no source file ingested it")

    def _delete(self, ids: set[str]) -> None:
        if ids:
            self._mark_dirty()
            self.coll.delete(ids=sorted(ids))
            self.removed_ids |= ids
            for chunk_id in ids:
                self.added.pop(chunk_id, None)


def _flush(run: _Run) -> None:
    """Embed and store the pending documents' new chunks, fix moved ones, drop stale ones, then record the files."""
    if not run.pending:
        return
    from advisor.models import get_embedder  # heavy: loaded only when something needs embedding

    run._mark_dirty()
    new: list[Chunk] = []
    moved: list[Chunk] = []
    stale: set[str] = set()
    for item in run.pending:
        existing = run.stored_ids(item.doc_id)
        if item.previous is not None and item.previous.doc_id != item.doc_id:
            existing |= run.stored_ids(item.previous.doc_id)  # the file's doc id changed: its old chunks go
        ids = {chunk.chunk_id for chunk in item.chunks}
        new += [chunk for chunk in item.chunks if chunk.chunk_id not in existing]
        moved += [chunk for chunk in item.chunks if chunk.chunk_id in existing]
        stale |= existing - ids
    started = time.perf_counter()
    for start in range(0, len(new), BATCH_CHUNKS):  # a big file goes in steps, each reported with an estimate
        step = new[start : start + BATCH_CHUNKS]
        texts = [indexed_text(title=c.title, section=c.section, text=c.text) for c in step]
        run.coll.upsert(
            ids=[c.chunk_id for c in step],
            embeddings=get_embedder(run.settings).encode(texts),
            documents=[c.text for c in step],
            metadatas=[store.chunk_metadata(c) for c in step],
        )
        if run.embedding is not None:
            run.embedding(EmbedProgress(start + len(step), len(new), time.perf_counter() - started))
    if moved:  # same content, new offsets or order: metadata only, no embedding
        run.coll.update(ids=[c.chunk_id for c in moved], metadatas=[store.chunk_metadata(c) for c in moved])
    run._delete(stale)
    run.removed_ids |= {c.chunk_id for c in moved}
    run.added |= {c.chunk_id: (c.chunk_id, c.text, store.chunk_metadata(c)) for c in new + moved}
    run.report.embedded += len(new)
    run.manifest.record(
        {
            item.source: FileEntry(
                item.sha256,
                item.doc_id,
                tuple(c.chunk_id for c in item.chunks),
                run.config,
                item.sketch,
                item.owner,
            )
            for item in run.pending
        }
    )
    for item in run.pending:
        status: Status = "added" if item.previous is None else "updated"
        run.report.outcomes.append(FileOutcome(item.path, status, item.doc_id, len(item.chunks)))
    run.pending = []


def _update_index(run: _Run) -> None:
    """Bring the keyword index to the store's revision: incrementally when it was current, else rebuilt.

    A changed store gets a final revision token after its last write: a reader that rebuilt its index from a
    half-written store meanwhile recorded the earlier token, so it will see its index as stale.
    """
    if run.revision:
        run.revision = store.bump_revision(run.coll)
    if run.revision and run.index is not None:
        add = list(run.added.values())
        index = run.index.with_changes(remove=run.removed_ids, add=add, revision=run.revision)
        save_index(run.settings, index)
    else:
        index = fresh_index(run.settings, run.coll)
    # embedded now, while the batch model is loaded, instead of by every new process's first question
    question_vectors(run.settings, index)
    refresh_sentences(run.settings, index)


def ingest(
    paths: list[Path] | None = None,
    *,
    settings: Settings,
    prune: bool = False,
    progress: Progress | None = None,
    embedding: EmbedCallback | None = None,
    owner: str = "",
) -> IngestReport:
    """Ingest files and folders (default: the bundled knowledge and the user's own) and report each file's outcome.

    `progress` hears of each file visited, `embedding` of each embedding step; `owner` marks uploaded files' chunks.
    """
    started = time.perf_counter()
    roots = [Path(p) for p in paths] if paths else settings.knowledge_dirs
    files = list(_files(roots, default_roots=settings.knowledge_dirs))
    named = {Path(p).resolve() for p in paths or [] if Path(p).is_file()}
    run = _Run(settings, owner=owner, embedding=embedding)
    for done, (path, root) in enumerate(files, start=1):
        run.visit(path, root, named=path.resolve() in named)
        if progress is not None:
            progress(str(path), done, len(files))
    _flush(run)
    if prune:
        run.prune({str(path.resolve()) for path, _ in files})
    _update_index(run)
    run.report.total_chunks = run.coll.count()
    run.report.seconds = time.perf_counter() - started
    return run.report


def remove_document(doc_id: str, *, settings: Settings) -> FileOutcome:
    """Take one document out of the knowledge base: its chunks, keyword entries and manifest entry.

    The removal is recorded first, so a crash part-way leaves it for the next run to finish; an uploaded copy under
    ADVISOR_HOME/documents is deleted too. `NotFoundError` for a doc id the store does not hold.
    """
    run = _Run(settings)  # finishes removals a crash cut short
    source = run.manifest.owner(doc_id)
    ids = run.stored_ids(doc_id)
    if (source is None and not ids) or doc_id in run.manifest.removed:
        _update_index(run)
        raise NotFoundError(
            f"No document `{doc_id}` in the knowledge base; `advisor kb list` shows what is there."
        )
    run._mark_dirty()  # first, so every reader's keyword index is stale and rebuilt without the document
    run.manifest.remove(doc_id, source or doc_id)
    run._delete(ids)
    _update_index(run)
    if source is not None and uploads_dir(settings).resolve() in Path(source).parents:
        Path(source).unlink(missing_ok=True)
    return FileOutcome(source or doc_id, "removed", doc_id, len(ids), "removed on request")


def discard_unrecorded(path: Path, *, settings: Settings) -> int:
    """Delete the chunks of a file's document that the manifest does not record (what a failed ingest stored).

    Returns how many were deleted; 0 when the file cannot be read (then nothing of it was stored).
    """
    try:
        doc_id = load_document(path).doc_id
    except (InputError, OSError):
        return 0
    run = _Run(settings)
    recorded = {
        cid for entry in run.manifest.files.values() if entry.doc_id == doc_id for cid in entry.chunk_ids
    }
    stray = run.stored_ids(doc_id) - recorded
    run._delete(stray)
    _update_index(run)
    return len(stray)


def uploads_dir(settings: Settings) -> Path:
    """Where documents uploaded through the web app are kept (removing one deletes its file)."""
    return settings.home / "documents"
