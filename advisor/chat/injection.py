"""Instructions hidden in data: patterns that mark text as an attempt to steer or extract the model."""

from __future__ import annotations

import re

from advisor.text.lang import detect_lang
from advisor.text.sentences import join_sentences, split_sentences

INJECTION = re.compile(
    r"ignore\s+(?:all\s+|any\s+)?(?:the\s+)?(?:previous|prior|above|earlier|preceding)\s+(?:instructions|prompts?|rules)"
    r"|disregard\s+(?:all\s+|the\s+|your\s+)?(?:previous\s+|prior\s+|above\s+)?(?:instructions|rules|prompt)"
    r"|(?:print|reveal|show|repeat|output|display|tell\s+me|leak|give\s+me)\s+(?:me\s+)?(?:your|the)\s+"
    r"(?:full\s+|exact\s+|hidden\s+|original\s+|initial\s+)?(?:system\s+prompt|instructions|prompt|system\s+message)"
    r"|system\s+prompt|developer\s+message|you\s+are\s+now\s+(?:a|an|in)\b|jailbreak|\bDAN\s+mode"
    r"|reply\s+only\s+with|respond\s+only\s+with|new\s+instructions\s*:"
    r"|忽略(?:之前|以上|上面|前面|所有)|无视(?:之前|以上|所有)|系统提示|提示词|系统指令|你的指令|越狱",
    re.IGNORECASE,
)


def looks_like_injection(text: str) -> bool:
    """Whether a text tries to instruct the model or extract its prompt."""
    return INJECTION.search(text) is not None


def strip_injection(text: str) -> str:
    """The text without the sentences that try to instruct the model: data stays data."""
    if not looks_like_injection(text):
        return text
    kept = [s.text for s in split_sentences(text) if not looks_like_injection(s.text)]
    return join_sentences(kept, lang=detect_lang(text))
