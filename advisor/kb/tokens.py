"""Keyword tokenisation (defined in `advisor.text.tokens`; this name is kept for the kb tests)."""

from __future__ import annotations

from advisor.text.tokens import content_terms, tokenize

__all__ = ["content_terms", "tokenize"]
