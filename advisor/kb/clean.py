"""Normalise document text: Unicode, punctuation, whitespace; then cut injected spam (`advisor.kb.spam`, `advisor.kb.fit`).

NFKC folds full-width Latin letters and digits, ligatures and odd spaces to their plain forms, but it would also turn
Chinese full-width punctuation (，：？) into ASCII; those are kept, and ASCII punctuation written inside Chinese
prose is turned into its full-width form, so Chinese reads as Chinese and sentence splitting sees `，` and `？`.
Headings (`#` lines) and paragraph breaks survive; every line is otherwise trimmed and its spaces collapsed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

from advisor.kb.coherence import SemanticJudge
from advisor.kb.fit import find_unfit, semantic_units, spread, unjudged_rests
from advisor.kb.fragments import cut_out, merge_fragments
from advisor.kb.signals import SPLICE
from advisor.kb.spam import DocumentWords, find_spam
from advisor.text.lang import CJK_PUNCT, HAN, detect_lang

# 7: cuts spread to the sentences beside them; 6: the fitted probe judges both languages
CLEANER_VERSION = "7"

# Full-width punctuation NFKC would fold to ASCII (letters and digits in that block are folded as usual).
_FULLWIDTH_PUNCT = re.compile(r"[\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]")
_INVISIBLE = re.compile(r"[\u200b-\u200f\u2060\ufeff\u00ad]|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u3000]+")
_CJK = f"{HAN}{CJK_PUNCT}"
_TO_FULLWIDTH = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！", "(": "（", ")": "）"}
# ASCII punctuation touching Chinese on either side (a comma between digits, as in 1,000, is left alone).
_ASCII_IN_CJK = re.compile(rf"(?<=[{_CJK}])[,:;?!()]|[,:;?!()](?=[{_CJK}])")
_SPACE_BY_CJK_PUNCT = re.compile(r" *([，、；：。！？（）“”]) *")
_DOUBLE_PUNCT = re.compile(r"([，、；：])[，、；：]+")


def _nfkc_keeping_cjk_punct(text: str) -> str:
    parts = []
    last = 0
    for match in _FULLWIDTH_PUNCT.finditer(text):
        parts.append(unicodedata.normalize("NFKC", text[last : match.start()]))
        parts.append(match.group())
        last = match.end()
    parts.append(unicodedata.normalize("NFKC", text[last:]))
    return "".join(parts)


def _tidy(line: str) -> str:
    line = SPLICE.sub("", _SPACE_BY_CJK_PUNCT.sub(r"\1", line))
    return _DOUBLE_PUNCT.sub(r"\1", line).strip()


def remove_spam(
    line: str,
    *,
    document: DocumentWords | None = None,
    lang: str | None = None,
    semantic: Mapping[str, float] | None = None,
) -> str:
    """One line (paragraph) with what `find_spam` and `find_unfit` find cut out (headings and table rows are kept)."""
    if not line.strip() or line.lstrip().startswith(("#", "|")):
        return line
    found = find_spam(line, document=document, lang=lang, semantic=semantic)
    unfit = find_unfit(line, document=document, lang=lang, semantic=semantic, cut=found)
    cut = spread(line, document=document, lang=lang, semantic=semantic, cut=merge_fragments(found + unfit))
    return cut_out(line, cut)


def judged(lines: list[str], *, document: DocumentWords, lang: str, judge: SemanticJudge) -> dict[str, float]:
    """The judge's weights for a document's lines: their sentences and stretches in one batch, then in a second
    what the lexical cut leaves of stretches that the first did not hold."""
    semantic = judge.weights(u for line in lines for u in semantic_units(line, lang=lang))
    rests = (
        r for line in lines for r in unjudged_rests(line, document=document, lang=lang, semantic=semantic)
    )
    return semantic | judge.weights(rests)


def clean_text(text: str, *, lang: str | None = None, judge: SemanticJudge | None = None) -> str:
    """Normalised text with headings and paragraphs kept and injected spam fragments removed.

    With a `judge`, sentences carrying some evidence of spam or the shape of an advert are also judged by meaning (one
    embedding batch per document); without one, cleaning needs no model and the fit score simply has no semantic
    trait.
    """
    text = _INVISIBLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _nfkc_keeping_cjk_punct(text)
    if lang != "en":
        for _ in range(2):  # twice: a bracket after converted punctuation, as in `?)`, only touches it then
            text = _ASCII_IN_CJK.sub(lambda m: _TO_FULLWIDTH[m.group()], text)
    document = DocumentWords(text)
    spam_lang = lang or detect_lang(text)
    lines = [_SPACES.sub(" ", raw).strip() for raw in text.split("\n")]
    semantic = judged(lines, document=document, lang=spam_lang, judge=judge) if judge is not None else None
    cleaned = []
    for line in lines:
        if line:
            line = remove_spam(line, document=document, lang=spam_lang, semantic=semantic)
            if lang != "en":
                line = _tidy(line)
        cleaned.append(line)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(cleaned)).strip()
