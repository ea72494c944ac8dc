"""Where a citation's excerpt sits in its document: the chunk it was cut from and the sentences to mark there.

A citation carries the excerpt the answer was checked against (some sentences of one chunk), not the chunk's id.
The chunk is the one holding most of the excerpt's sentences. The sentences to mark are those of the excerpt that
share most content terms with the claim (the answer's line that cites it), or the whole excerpt without a claim.
Marks are plain text (Markdown syntax removed), as the rendered page shows them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from advisor.text.sentences import split_sentences
from advisor.text.tokens import key_terms, overlap

_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_INLINE = re.compile(r"`|(?<!\w)[*_]{1,2}|[*_]{1,2}(?!\w)")
# a claim's sentence counts when it shares at least this share of the best sentence's terms
_NEAR_BEST = 0.75


@dataclass(frozen=True)
class Located:
    """The chunk a citation came from and the sentences of it to mark."""

    chunk_id: str
    marks: tuple[str, ...]


def _plain(text: str) -> str:
    return " ".join(_INLINE.sub("", _LINK.sub(r"\1", text)).split())


def locate(chunks: Sequence[dict[str, Any]], *, quote: str, claim: str = "") -> Located | None:
    """The chunk holding the quoted excerpt and the sentences backing the claim; None when no chunk holds it."""
    quoted = [_plain(sentence.text) for sentence in split_sentences(quote)]
    best, best_count = None, 0
    for chunk in chunks:
        own = {_plain(sentence.text) for sentence in split_sentences(str(chunk.get("text") or ""))}
        count = sum(sentence in own for sentence in quoted)
        if count > best_count:
            best, best_count = chunk, count
    if best is None:
        return None
    own = {_plain(sentence.text) for sentence in split_sentences(str(best.get("text") or ""))}
    found = [sentence for sentence in quoted if sentence in own]
    terms = key_terms(claim)
    scores = [overlap(terms, sentence) for sentence in found]
    top = max(scores, default=0.0)
    marks = [s for s, score in zip(found, scores, strict=True) if score >= top * _NEAR_BEST] if top else found
    return Located(chunk_id=str(best["chunk_id"]), marks=tuple(marks))
