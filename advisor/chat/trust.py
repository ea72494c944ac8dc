"""Trust tiers in an answer: uploaded passages never override a curated figure, and citations say which is which.

A contradiction is found sentence by sentence and is deterministic: an uploaded sentence and a curated sentence
speak about the same thing when they share at least `MIN_SHARED_TERMS` content terms (years and the numbers
themselves do not count); they contradict when the uploaded figure lies outside the span of the curated sentence's
figures of the same kind, with `TOLERANCE` either side. The answer then says so in one notice that cites both
passages, and the curated figure stands.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from advisor.text.numbers import NumberMention, extract_numbers, is_year
from advisor.text.sentences import sentence_spans
from advisor.text.tokens import content_terms

CURATED = "curated"
UPLOADED = "uploaded"
MIN_SHARED_TERMS = 2
TOLERANCE = 0.1  # relative: 8.4 against a curated 8 is the same figure rounded, 50 against 6-10 is not
_UPLOADED_LABEL = {"en": "uploaded document", "zh": "用户上传的文档"}


class Tiered(Protocol):
    """An evidence item as trust needs it: its citation id, its text and its tier."""

    @property
    def id(self) -> str: ...

    @property
    def text(self) -> str: ...

    @property
    def trust(self) -> str: ...


@dataclass(frozen=True)
class Conflict:
    """An uploaded figure that a curated passage contradicts, with both sentences and both citation ids."""

    uploaded_id: str
    curated_id: str
    uploaded_figure: str
    curated_figures: tuple[str, ...]
    uploaded_sentence: str
    curated_sentence: str


@dataclass(frozen=True)
class _Claim:
    sentence: str
    terms: frozenset[str]
    numbers: tuple[NumberMention, ...]


# a worked example's figures illustrate a formula ("42 ÷ 5 = 8.4"); they are not what the knowledge base claims
_WORKED = re.compile(r"[=÷×]|^\s*(?:example|e\.g\.|for example)\b|举例|例如|示例", re.IGNORECASE)


def _claims(text: str) -> list[_Claim]:
    claims = []
    for start, end in sentence_spans(text, 0, len(text)):
        sentence = text[start:end]
        if _WORKED.search(sentence) or "|" in sentence:  # a table row is no sentence to compare
            continue
        numbers = tuple(m for m in extract_numbers(sentence) if not is_year(m))
        if numbers:
            claims.append(_Claim(sentence, frozenset(content_terms(sentence)), numbers))
    return claims


def _kind(mention: NumberMention) -> str:
    return "percent" if mention.kind == "percent" else "money" if mention.kind == "money" else "count"


def _outside(value: float, figures: list[float]) -> bool:
    low, high = min(figures), max(figures)
    return value < low * (1 - TOLERANCE) or value > high * (1 + TOLERANCE)


def find_conflicts(items: Sequence[Tiered]) -> list[Conflict]:
    """Every uploaded figure that the best-matching curated sentence on the same subject contradicts."""
    curated = [(item.id, claim) for item in items if item.trust == CURATED for claim in _claims(item.text)]
    conflicts: list[Conflict] = []
    for item in items:
        if item.trust != UPLOADED:
            continue
        for claim in _claims(item.text):
            for mention in claim.numbers:
                match = _best_match(claim, mention, curated)
                if match is None:
                    continue
                curated_id, other, figures = match
                if _outside(mention.value, [m.value for m in figures]):
                    conflicts.append(
                        Conflict(
                            uploaded_id=item.id,
                            curated_id=curated_id,
                            uploaded_figure=mention.raw,
                            curated_figures=tuple(dict.fromkeys(m.raw for m in figures)),
                            uploaded_sentence=claim.sentence,
                            curated_sentence=other.sentence,
                        )
                    )
    return list(dict.fromkeys(conflicts))


def _best_match(
    claim: _Claim, mention: NumberMention, curated: list[tuple[str, _Claim]]
) -> tuple[str, _Claim, list[NumberMention]] | None:
    """The curated sentence sharing most terms with the claim that states a figure of the same kind."""
    best: tuple[int, str, _Claim, list[NumberMention]] | None = None
    for curated_id, other in curated:
        figures = [m for m in other.numbers if _kind(m) == _kind(mention)]
        shared = len(claim.terms & other.terms)
        if figures and shared >= MIN_SHARED_TERMS and (best is None or shared > best[0]):
            best = (shared, curated_id, other, figures)
    return None if best is None else best[1:]


def conflict_notice(conflict: Conflict, *, lang: str) -> str:
    """One sentence saying an uploaded document disagrees with the curated figure, citing both."""
    curated = ", ".join(conflict.curated_figures)
    if lang == "zh":
        return (
            f"注意：{_UPLOADED_LABEL['zh']}给出 {conflict.uploaded_figure} [{conflict.uploaded_id}]，"
            f"与审核过的知识库不一致，知识库给出 {curated} [{conflict.curated_id}]，以知识库为准。"
        )
    return (
        f"Note: an {_UPLOADED_LABEL['en']} gives {conflict.uploaded_figure} [{conflict.uploaded_id}], "
        f"which contradicts the curated knowledge base's {curated} [{conflict.curated_id}]; "
        "the curated figure stands."
    )


def citation_title(title: str, *, trust: str, lang: str) -> str:
    """A citation's title, marked when the passage comes from an uploaded document."""
    if trust != UPLOADED:
        return title
    return f"{title}（{_UPLOADED_LABEL['zh']}）" if lang == "zh" else f"{title} ({_UPLOADED_LABEL['en']})"
