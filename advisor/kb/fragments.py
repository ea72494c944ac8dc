"""Fragments: stretches of a line judged out of place, merged where they overlap and cut out cleanly."""

from __future__ import annotations

import re
from dataclasses import dataclass

from advisor.text.lang import CJK_PUNCT, HAN


@dataclass(frozen=True)
class Fragment:
    """A stretch of a line judged out of place, with its score and the kinds of evidence behind it."""

    start: int
    end: int
    score: float
    kinds: tuple[str, ...]


def merge_fragments(fragments: list[Fragment]) -> list[Fragment]:
    merged: list[Fragment] = []
    for fragment in sorted(fragments, key=lambda f: (f.start, -f.end)):
        if merged and fragment.start < merged[-1].end:
            last = merged[-1]
            kinds = tuple(sorted(set(last.kinds) | set(fragment.kinds)))
            merged[-1] = Fragment(
                last.start, max(last.end, fragment.end), max(last.score, fragment.score), kinds
            )
        else:
            merged.append(fragment)
    return merged


def _join(before: str, after: str) -> str:
    """Glue the text around a cut, keeping the sentence end the fragment carried."""
    before_stripped, after_stripped = before.rstrip(), after.lstrip()
    if not before_stripped:
        return after_stripped
    if not after_stripped:
        return before_stripped
    if after_stripped[0] in "，,、；;：:" and before_stripped[-1] in "，,、；;：:。！？.!?":
        after_stripped = after_stripped[1:].lstrip()
    if re.match(r"[.!?。！？]", after_stripped) and before_stripped[-1] in "，,、；;：:":
        before_stripped = before_stripped[:-1]
    cjk = re.match(f"[{HAN}{CJK_PUNCT}]", before_stripped[-1:]) and re.match(
        f"[{HAN}{CJK_PUNCT}]", after_stripped[:1]
    )
    space = "" if cjk or re.match(r"[,.;:!?，。；：！？、]", after_stripped[:1]) else " "
    return before_stripped + space + after_stripped


def cut_out(line: str, fragments: list[Fragment]) -> str:
    for fragment in reversed(fragments):
        line = _join(line[: fragment.start], line[fragment.end :])
    return line
