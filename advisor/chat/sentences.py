"""Sentences and citation markers (defined in `advisor.text.sentences`; this name is kept for the plan writer)."""

from __future__ import annotations

from advisor.text.sentences import (
    CITATION,
    Sentence,
    citation_ids,
    join_sentences,
    split_sentences,
    strip_citations,
)

__all__ = ["CITATION", "Sentence", "citation_ids", "join_sentences", "split_sentences", "strip_citations"]
