"""The language of a question or an answer, as the chat modules name it (defined in `advisor.text.lang`)."""

from __future__ import annotations

from advisor.text.lang import Lang, is_language
from advisor.text.lang import detect_lang as detect_language

__all__ = ["Lang", "detect_language", "is_language"]
