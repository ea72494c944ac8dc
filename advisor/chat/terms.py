"""Key terms of a text (English words without stop words, Chinese character bigrams) for lexical overlap."""

from __future__ import annotations

import re

_WORD = re.compile(r"[A-Za-z][A-Za-z0-9'-]*|\d+(?:\.\d+)?")
_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")
_STOP_WORDS = """a an and are as at be been but by can could do does did for from had has have how i if in into is it
its me my of on or our should so than that the their them then there these they this those to us was we what when
where which who why will with would you your about any all also more most much many some such very just get need want
tell give make know please doing done i'm we're it's don't"""
_STOP = frozenset(_STOP_WORDS.split())  # noqa: SIM905 - a word list reads better as prose
_CJK_STOP = frozenset("的了是在和与及或我们你他她它吗呢吧啊么什怎样如何哪个这那些有要会能可以为对就也都")


def _stem(word: str) -> str:
    # a light plural/verb-form fold so "reps" meets "rep" and "ratios" meets "ratio"
    for suffix in ("ies", "es", "s"):
        if len(word) > 4 and word.endswith(suffix) and not word.endswith("ss"):
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


def content_words(text: str) -> list[str]:
    """The English words of a text that carry meaning, as written, without duplicates."""
    words = [w for w in _WORD.findall(text) if w.lower() not in _STOP and len(w) > 1]
    return list(dict.fromkeys(words))


def key_terms(text: str) -> list[str]:
    """Content terms of a text in order, without duplicates: folded English words and Chinese bigrams."""
    terms = [_stem(word.lower()) for word in content_words(text)]
    for run in _CJK_RUN.findall(text):
        chars = [ch for ch in run if ch not in _CJK_STOP] if len(run) > 2 else list(run)
        terms.extend(a + b for a, b in zip(chars, chars[1:], strict=False))
        if len(chars) == 1:
            terms.append(chars[0])
    return list(dict.fromkeys(terms))


def overlap(query_terms: list[str], text: str) -> float:
    """Share of the query's terms found in a text (0..1)."""
    if not query_terms:
        return 0.0
    found = set(key_terms(text))
    return sum(term in found for term in query_terms) / len(query_terms)
