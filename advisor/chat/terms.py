"""Key terms for lexical overlap (defined in `advisor.text.tokens`; this name is kept for the chat test doubles)."""

from __future__ import annotations

from advisor.text.tokens import content_words, key_terms, overlap

__all__ = ["content_words", "key_terms", "overlap"]
