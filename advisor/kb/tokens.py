"""Keyword tokenisation that understands both scripts: Latin word tokens and Chinese character n-grams.

Chinese has no spaces, and a dictionary segmenter would be one more model to ship; overlapping character unigrams
and bigrams match Chinese words of any length well enough for BM25 (most Chinese words are one or two characters,
and a longer word matches through its bigrams).
"""

from __future__ import annotations

import re

from advisor.kb.lang import HAN

_TOKEN_RE = re.compile(rf"[{HAN}]+|[a-z0-9]+(?:[.'][a-z0-9]+)*")

EN_STOPWORDS = frozenset(
    """a an and are as at be been but by can could did do does for from had has have how i if in into is it its
    itself me more most my no not of on or our over own same she should so some such than that the their them then
    there these they this those through to too under until up very was we were what when where which while who whom
    why will with would you your yours he him his her hers us am also just about after before both each few any all
    out off again further once here only other""".split()  # noqa: SIM905 (a word list reads better as prose)
)
# Single characters that carry grammar, not meaning; as unigrams they would match almost every Chinese chunk.
ZH_STOPCHARS = frozenset(
    "的了是在和与也就都而及或等这那之其为对以于中我你他她们个有不要会能可从把被让但并着过吗呢吧啊"
)


def _stem(word: str) -> str:
    """Fold the regular English plural so `reps` matches `rep` and `quotas` matches `quota`."""
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _han_grams(run: str) -> list[str]:
    unigrams = [char for char in run if char not in ZH_STOPCHARS]
    bigrams = [run[i : i + 2] for i in range(len(run) - 1)]
    return unigrams + bigrams


def tokenize(text: str) -> list[str]:
    """Index terms of a text: stemmed lowercase words (no stop words) plus Chinese unigrams and bigrams."""
    tokens: list[str] = []
    for match in _TOKEN_RE.finditer(text.lower()):
        token = match.group()
        if token[0] >= "\u3400":
            tokens.extend(_han_grams(token))
        elif token not in EN_STOPWORDS:
            tokens.append(_stem(token))
    return tokens


def content_terms(text: str) -> set[str]:
    """Distinct meaning-bearing terms: words and Chinese bigrams (single characters are too ambiguous to compare)."""
    terms: set[str] = set()
    for match in _TOKEN_RE.finditer(text.lower()):
        token = match.group()
        if token[0] >= "\u3400":
            terms.update(token[i : i + 2] for i in range(len(token) - 1))
            if len(token) == 1 and token not in ZH_STOPCHARS:
                terms.add(token)
        elif token not in EN_STOPWORDS and not token.isdigit():
            terms.add(_stem(token))
    return terms
