"""Words and terms of a text in both scripts: one tokeniser, one stemmer, one set of stop words.

Latin text gives lowercase words folded by `stem`; Chinese has no spaces, and a dictionary segmenter would be one
more model to ship, so Chinese gives overlapping character unigrams and bigrams (most Chinese words are one or two
characters, and a longer word matches through its bigrams). Retrieval indexes `tokenize`; grounding and the scope
and intent checks compare `key_terms`.
"""

from __future__ import annotations

import re

from advisor.text.lang import HAN, HAN_RUN

_TOKEN_RE = re.compile(rf"[{HAN}]+|[a-z0-9]+(?:[.'][a-z0-9]+)*")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9'-]*|\d+(?:\.\d+)?")

EN_STOPWORDS = frozenset(
    """a an and are as at be been but by can could did do does for from had has have how i if in into is it its
    itself me more most my no not of on or our over own same she should so some such than that the their them then
    there these they this those through to too under until up very was we were what when where which while who whom
    why will with would you your yours he him his her hers us am also just about after before both each few any all
    out off again further once here only other""".split()  # noqa: SIM905 (a word list reads better as prose)
)
# Words that carry the asking, not the topic: left out when comparing a question or a sentence with evidence
# (the keyword index keeps them, so its ranking is what it was calibrated with).
EN_FILLER = EN_STOPWORDS | frozenset(
    [
        "much",
        "many",
        "get",
        "need",
        "want",
        "tell",
        "give",
        "make",
        "know",
        "please",
        "doing",
        "done",
        "i'm",
        "we're",
        "it's",
        "don't",
    ]
)
# Single characters that carry grammar, not meaning; as unigrams they would match almost every Chinese chunk.
ZH_STOPCHARS = frozenset(
    "的了是在和与也就都而及或等这那之其为对以于中我你他她们个有不要会能可从把被让但并着过吗呢吧啊"
)
# Characters of asking (question words, pronouns) dropped before Chinese bigrams are compared.
ZH_FILLER = frozenset("的了是在和与及或我们你他她它吗呢吧啊么什怎样如何哪个这那些有要会能可以为对就也都")


def stem(word: str) -> str:
    """Fold regular English plurals: `reps` -> `rep`, `quotas` -> `quota`, `territories` -> `territory`."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
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
            tokens.append(stem(token))
    return tokens


def content_terms(text: str) -> set[str]:
    """Distinct meaning-bearing index terms: words and Chinese bigrams (single characters are too ambiguous)."""
    terms: set[str] = set()
    for match in _TOKEN_RE.finditer(text.lower()):
        token = match.group()
        if token[0] >= "\u3400":
            terms.update(token[i : i + 2] for i in range(len(token) - 1))
            if len(token) == 1 and token not in ZH_STOPCHARS:
                terms.add(token)
        elif token not in EN_STOPWORDS and not token.isdigit():
            terms.add(stem(token))
    return terms


def content_words(text: str) -> list[str]:
    """The English words (and numbers) of a text that carry meaning, as written, without duplicates."""
    words = [w for w in _WORD.findall(text) if w.lower() not in EN_FILLER and len(w) > 1]
    return list(dict.fromkeys(words))


def key_terms(text: str) -> list[str]:
    """Content terms of a text in order, without duplicates: folded English words and Chinese bigrams."""
    terms = [stem(word.lower()) for word in content_words(text)]
    for run in HAN_RUN.findall(text):
        chars = [ch for ch in run if ch not in ZH_FILLER] if len(run) > 2 else list(run)
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


# Words a question and an answer use for one notion ("What is an ideal span?" is answered by "a good span is 6-8";
# "理想的幅度" by "最好带 6-8 人"): folded to one term where a question is matched against answer units.
_CONCEPTS: dict[str, tuple[str, ...]] = {
    "good": ("ideal", "healthy", "right", "best", "optimal", "sensible", "reasonable", "recommended"),
    "typical": ("normal", "average", "usual", "usually", "median", "common", "typically", "benchmark"),
    "合适": ("理想", "最好", "健康", "应该", "合理", "最佳", "建议", "推荐", "比较好"),
    "平均": ("通常", "一般", "典型", "正常", "常见", "普遍", "中位", "基准"),
    "tenure": ("stay", "stays"),
    "任期": ("在岗", "待多久", "干多久", "留多久"),
}
_FOLD = {variant: concept for concept, variants in _CONCEPTS.items() for variant in variants}
_HAN_VARIANTS = sorted((v for v in _FOLD if not v.isascii()), key=len, reverse=True)


def concept_terms(text: str) -> list[str]:
    """`key_terms` with words of one notion folded together (ideal/healthy/right -> good, 理想/最好/应该 -> 合适),
    for matching a question with the sentences that answer it; retrieval keeps the plain terms."""
    for variant in _HAN_VARIANTS:  # Chinese is replaced in the text, so no bigram straddles a folded word
        if variant in text:
            text = text.replace(variant, _FOLD[variant])
    return list(dict.fromkeys(_FOLD.get(term, term) for term in key_terms(text)))


def concept_overlap(query_terms: list[str], text: str) -> float:
    """Share of the query's concept terms (`concept_terms`) found among a text's (0..1)."""
    if not query_terms:
        return 0.0
    found = set(concept_terms(text))
    return sum(term in found for term in query_terms) / len(query_terms)
