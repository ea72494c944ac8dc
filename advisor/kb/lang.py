"""Script and language detection (defined in `advisor.text.lang`; this name is kept for kb's cleaning modules)."""

from __future__ import annotations

from advisor.text.lang import CJK_PUNCT, HAN, detect_lang, han_share, is_han

__all__ = ["CJK_PUNCT", "HAN", "detect_lang", "han_share", "is_han"]
