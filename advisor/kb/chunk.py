"""Split a cleaned document into chunks: by heading, then paragraph and sentence, to a target size with overlap.

Sizes are counted in Latin-character equivalents where a Chinese character counts `HAN_WEIGHT`: a Chinese character
carries about as much meaning as three Latin letters and costs the embedding model one token, so a 700-unit chunk is
about 150 English words or about 230 Chinese characters, and either fits the embedder's 256-token window.
Every chunk is an exact slice `text[start:end]` of the cleaned text, and its id is a hash of its content and
metadata, so re-chunking an unchanged document yields the same ids.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass

from advisor.kb.load import LoadedDocument
from advisor.text.lang import HAN_RE
from advisor.text.sentences import sentence_spans

HAN_WEIGHT = 3
SECTION_SEPARATOR = " > "

_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t]*#*[ \t]*$", re.MULTILINE)
# `## Why SDRs leave {role=causes}`: the role of an answer unit, which the composer keys on (see ROLES)
_ROLE_MARKER = re.compile(r"\s*\{role=([a-z_]+)\}\s*$")
ROLES = ("overview", "causes", "actions", "figures", "definition", "caveats", "checklist", "example")
_SOFT_BREAK = re.compile(r"[\s，、,]")


@dataclass(frozen=True)
class Chunk:
    """One piece of a document, with where it sits (section, offsets) and what it inherits (title, lang, topics)."""

    chunk_id: str
    doc_id: str
    title: str
    section: str
    lang: str
    text: str
    start: int
    end: int
    ordinal: int
    section_index: int
    topics: tuple[str, ...] = ()
    source: str = ""
    translation_of: str = ""
    role: str = ""  # the section's answer-unit role (its heading marker, or the nearest marked parent's)
    questions: tuple[str, ...] = ()  # the questions the document answers, carried by its first chunk only
    trust: str = "uploaded"  # the document's tier: curated (bundled) or uploaded
    owner: str = (
        ""  # who uploaded the document (a principal's owner key); empty when the installation ingested it
    )

    def __str__(self) -> str:
        return f"{self.chunk_id} {self.doc_id} / {self.section or self.title} [{self.start}:{self.end}]"


@dataclass(frozen=True)
class _Section:
    path: str
    role: str
    index: int
    start: int
    end: int


def text_weight(text: str) -> int:
    """Length in Latin-character equivalents (a Chinese character counts `HAN_WEIGHT`)."""
    return len(text) + (HAN_WEIGHT - 1) * len(HAN_RE.findall(text))


def indexed_text(*, title: str, section: str, text: str) -> str:
    """What gets embedded and keyword-indexed: the chunk under its title and section, which give it context."""
    heading = SECTION_SEPARATOR.join(part for part in (title, section) if part)
    return f"{heading}\n{text}" if heading else text


def split_role(heading: str) -> tuple[str, str]:
    """A heading without its role marker, and the role (empty when unmarked or not one of ROLES)."""
    marker = _ROLE_MARKER.search(heading)
    if marker is None:
        return heading, ""
    role = marker.group(1)
    return heading[: marker.start()].strip(), role if role in ROLES else ""


def _sections(text: str, *, title: str) -> Iterator[_Section]:
    """Body ranges between headings, each with its heading path and role (a top heading equal to the title is
    left out; an unmarked heading inherits the role of the nearest marked one above it)."""
    stack: list[tuple[int, str, str]] = []

    def section(index: int, start: int, end: int) -> _Section:
        role = next((r for _, _, r in reversed(stack) if r), "")
        return _Section(SECTION_SEPARATOR.join(name for _, name, _ in stack), role, index, start, end)

    start, index = 0, 0
    for match in _HEADING.finditer(text):
        yield section(index, start, match.start())
        level = len(match.group(1))
        name, role = split_role(match.group(2).strip())
        stack = [entry for entry in stack if entry[0] < level]
        if not (level == 1 and name == title):
            stack.append((level, name, role))
        start, index = match.end(), index + 1
    yield section(index, start, len(text))


def _split_long(text: str, span: tuple[int, int], size: int) -> list[tuple[int, int]]:
    """A sentence longer than a chunk, cut at the last space or comma before the size limit (hard cut if none)."""
    pieces = []
    start, end = span
    while text_weight(text[start:end]) > size:
        limit = start
        while limit < end and text_weight(text[start : limit + 1]) <= size:
            limit += 1
        soft = [
            m.end()
            for m in _SOFT_BREAK.finditer(text, start, limit)
            if m.end() > start + (limit - start) // 2
        ]
        cut = soft[-1] if soft else limit
        pieces.append((start, cut))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if start < end:
        pieces.append((start, end))
    return pieces


def chunk_spans(text: str, start: int, end: int, *, size: int, overlap: int) -> list[tuple[int, int]]:
    """Pack the sentences of text[start:end] into spans of at most `size`, neighbours sharing up to `overlap`."""
    units = [piece for unit in sentence_spans(text, start, end) for piece in _split_long(text, unit, size)]
    weights = [text_weight(text[a:b]) for a, b in units]
    spans = []
    i = 0
    while i < len(units):
        j, total = i + 1, weights[i]
        while j < len(units) and total + weights[j] + 1 <= size:
            total += weights[j] + 1
            j += 1
        spans.append((units[i][0], units[j - 1][1]))
        if j == len(units):
            break
        k, shared = j, 0
        while k - 1 > i and shared + weights[k - 1] <= overlap:
            shared += weights[k - 1]
            k -= 1
        i = k
    return spans


def chunk_id(*parts: str) -> str:
    """Stable id: a hash of the chunk's text and the metadata stored with it."""
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:24]


def chunk_document(doc: LoadedDocument, text: str, *, size: int, overlap: int) -> list[Chunk]:
    """Chunks of a document's cleaned text, in reading order."""
    chunks: list[Chunk] = []
    seen: set[str] = set()
    topics = ",".join(doc.topics)
    questions = document_questions(doc)
    for section in _sections(text, title=doc.title):
        for start, end in chunk_spans(text, section.start, section.end, size=size, overlap=overlap):
            body = text[start:end]
            # role and questions enter the id only when present, so unannotated documents keep their ids
            annotations = [section.role] if section.role else []
            if questions and not chunks:
                annotations.append("\x1e".join(questions))
            cid = chunk_id(
                doc.doc_id, doc.title, section.path, doc.lang, topics, doc.source, doc.translation_of, body,
                *annotations,
            )  # fmt: skip
            while cid in seen:  # the same passage twice in one document: keep both, under distinct ids
                cid = chunk_id(cid, "again")
            seen.add(cid)
            chunks.append(
                Chunk(
                    chunk_id=cid,
                    doc_id=doc.doc_id,
                    title=doc.title,
                    section=section.path,
                    lang=doc.lang,
                    text=body,
                    start=start,
                    end=end,
                    ordinal=len(chunks),
                    section_index=section.index,
                    topics=doc.topics,
                    source=doc.source,
                    translation_of=doc.translation_of,
                    role=section.role,
                    questions=questions if not chunks else (),
                    trust=doc.trust,
                )
            )
    return chunks


def document_questions(doc: LoadedDocument) -> tuple[str, ...]:
    """The questions a document says it answers (front matter `questions:`), blank ones left out."""
    value = doc.meta.get("questions") or ()
    if isinstance(value, str):
        value = [value]
    return tuple(str(q).strip() for q in value if str(q).strip())
