"""Sentences of English and Chinese prose: spans for chunking, and sentences that keep their citation markers."""

from __future__ import annotations

import re
from dataclasses import dataclass

# [S1], [S1, S2], [M:turnover_rate], [S1][M:x]; full-width brackets too, which Chinese output often uses
CITATION = re.compile(r"[\[【]\s*((?:S\d+|M:[a-z0-9_]+)(?:\s*[,，;；]\s*(?:S\d+|M:[a-z0-9_]+))*)\s*[\]】]")
_ANY_BRACKETED = re.compile(r"[\[【][^\]】]{0,40}[\]】]")
# an end mark, optional closing quote or bracket, then space or the end; Chinese end marks need no space
_BOUNDARY = re.compile(r"(?<=[.!?])[\"')\]]*\s+|(?<=[。！？；])|\n+")
_ABBREVIATIONS = ("e.g.", "i.e.", "vs.", "etc.", "approx.", "Dr.", "Mr.", "Ms.", "No.", "cf.")
_NUMBERED = re.compile(r"\d{1,2}[.)]")
# Where a sentence may end in source text: Chinese end marks need no space after them; Latin ones do (a list
# number like "1." does not end one).
_SENTENCE_END = re.compile(r"[。！？；…]+[”’」』）)]*|(?<!\b\d)(?<!\b\d\d)[.!?;]+[\"')\]]*(?=\s)")
# A line break is a boundary before a list item or a blank line, or after a line that ends a sentence or clause.
_LINE_BREAK = re.compile(r"\n(?=\s*\n|\s*(?:[-*+•]|\d{1,2}[.)、])\s)|(?<=[:：])\n")
_LIST_MARKER = re.compile(r"^\s*(?:[-*•]|\d{1,2}[.)]|#{1,6})\s+")


@dataclass(frozen=True)
class Sentence:
    """One sentence: its text without markers, and the evidence ids it cited (possibly unresolvable)."""

    text: str
    cited: tuple[str, ...]

    def __str__(self) -> str:
        return self.text


def sentence_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence-sized spans of text[start:end] as offsets into `text`, whitespace trimmed."""
    body = text[start:end]
    cuts = {m.end() for m in _SENTENCE_END.finditer(body)} | {m.start() for m in _LINE_BREAK.finditer(body)}
    spans = []
    last = 0
    for cut in sorted(cuts | {len(body)}):
        piece = body[last:cut]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            spans.append((start + last + lead, start + last + len(piece.rstrip())))
        last = cut
    return spans


def citation_ids(text: str) -> list[str]:
    """Evidence ids cited in a text, in order, without duplicates."""
    ids: list[str] = []
    for group in CITATION.findall(text):
        for part in re.split(r"[,，;；]", group):
            if part.strip() and part.strip() not in ids:
                ids.append(part.strip())
    return ids


def strip_citations(text: str) -> str:
    """The text without citation markers (and without other short bracketed tags a model may invent)."""
    text = CITATION.sub("", text)
    text = _ANY_BRACKETED.sub("", text)
    return re.sub(r"\s+([.,;:!?。，；：！？])", r"\1", re.sub(r"[ \t]{2,}", " ", text)).strip()


def _pieces(text: str) -> list[str]:
    pieces: list[str] = []
    for piece in _BOUNDARY.split(text):
        if not piece or not piece.strip():
            continue
        # an abbreviation, a list number or a bare citation is not the end of a sentence: glue it back
        previous = pieces[-1].rstrip() if pieces else ""
        if pieces and (
            previous.endswith(_ABBREVIATIONS)
            or _NUMBERED.fullmatch(previous)
            or CITATION.fullmatch(piece.strip())
        ):
            pieces[-1] = pieces[-1].rstrip() + " " + piece.strip()
        elif pieces and CITATION.match(piece.strip()):
            lead = CITATION.match(piece.strip())
            assert lead is not None
            pieces[-1] = pieces[-1].rstrip() + " " + lead.group(0)
            rest = piece.strip()[lead.end() :].strip()
            if rest:
                pieces.append(rest)
        else:
            pieces.append(piece.strip())
    return pieces


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of a draft (English or Chinese), each with the ids it cited; markdown list markers removed."""
    sentences = []
    for piece in _pieces(text):
        body = _LIST_MARKER.sub("", piece).replace("**", "").strip()
        plain = strip_citations(body)
        if any(ch.isalnum() for ch in plain):
            sentences.append(Sentence(text=plain, cited=tuple(citation_ids(body))))
    return sentences


def sentence_units(text: str) -> list[str]:
    """The pieces an evidence text is compared by: its sentences' texts (the whole text when it has none)."""
    return [s.text for s in split_sentences(text)] or [text]


def join_sentences(texts: list[str], *, lang: str) -> str:
    """Sentences back into prose: spaced in English, run together in Chinese."""
    return ("" if lang == "zh" else " ").join(text.strip() for text in texts if text.strip())
