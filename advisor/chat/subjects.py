"""The roles and segments a claim can be about (SDR, AE, inside, field, SMB, enterprise ...), in English and Chinese.

A figure or a comparison belongs to the subject named closest to it; the claim checks compare subjects by these
names, never by the words around them.
"""

from __future__ import annotations

import re

_PATTERNS = {
    "sdr": r"\bsdrs?\b|sales development rep(?:resentative)?s?|销售开发",
    "ae": r"\baes?\b|account executives?",
    "account_manager": r"account managers?|客户经理",
    "inside": r"\binside\b|内部",
    "field": r"\bfield\b|\boutside reps?\b|现场|外部销售",
    "smb": r"\bsmb\b|small business|中小企业",
    "mid_market": r"mid-market|中型市场",
    "enterprise": r"\benterprise\b|大企业",
}
_SUBJECT = {name: re.compile(pattern, re.IGNORECASE) for name, pattern in _PATTERNS.items()}


def subjects(text: str) -> set[str]:
    """The subjects a text names."""
    return {name for name, pattern in _SUBJECT.items() if pattern.search(text)}


def subject_near(text: str, start: int, end: int) -> str | None:
    """The subject named closest to a span of text."""
    best: tuple[int, str] | None = None
    for name, pattern in _SUBJECT.items():
        for match in pattern.finditer(text):
            distance = match.start() - end if match.start() >= end else start - match.end()
            if best is None or max(distance, 0) < best[0]:
                best = (max(distance, 0), name)
    return None if best is None else best[1]


def leading_subject(text: str) -> tuple[str, int] | None:
    """The subject a text opens with (within its first few words), and where its name ends."""
    starts = [
        (m.start(), -m.end(), name)
        for name, p in _SUBJECT.items()
        if (m := p.search(text)) and m.start() <= 12
    ]
    if not starts:
        return None
    _start, end, name = min(starts)
    return name, -end


def subject_span(text: str, name: str) -> tuple[int, int] | None:
    """Where a text first names a subject."""
    match = _SUBJECT[name].search(text)
    return match.span() if match else None


def without_subjects(text: str) -> str:
    """The text with the subjects' names taken out."""
    for pattern in _SUBJECT.values():
        text = pattern.sub(" ", text)
    return text
