"""Find and cut SEO spam spliced into sentences, by evidence rather than by a list of known fragments.

Scraped or spun web text carries fragments that were inserted mid-sentence: link anchors for other pages, phone-list
and database adverts, slogans from unrelated posts. They share traits that normal prose lacks, and each trait is
weighed as evidence:

- splice residue (structural, weight 1): in Chinese prose a space between two Chinese characters never belongs there;
  it is what is left when an inserted anchor kept the space that followed its link. The fragment running from the
  previous clause boundary up to such a space is the candidate (and the one after it, when that has more evidence).
- phone numbers and country codes (pattern): a full international number (weight 3) or a bare `+NNN` code
  (weight 1.5).
- contact-list and data-selling vocabulary (weight 1 per distinct term, at most 2): phone numbers, country codes,
  databases, lists, buy/sell, verified, messaging apps, in English and Chinese. Words alone never cut text, since
  sales prose talks about calls, emails and data all the time.
- headline shape (weight 1): a fragment built like a post title (`打破神话——...`, `Title - subtitle`), which only counts
  next to splice residue because dashes are normal in prose.

A fragment is cut when its evidence reaches 2 and part of it is structural or a pattern (splice residue, a phone
number, a country code). In Chinese the unit is the clause piece between punctuation or splice points; in English,
where inserted text leaves no residue, the unit is the run of words from the first to the last signal (signals at most
three words apart), so the sentence around it survives.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from advisor.kb.lang import CJK_PUNCT, HAN, han_share

SPAM_THRESHOLD = 2.0
VOCAB_WEIGHT_CAP = 2.0
WORD_GAP = 3

# Between two Chinese characters (or Chinese punctuation): a space that no Chinese writer types.
SPLICE = re.compile(rf"(?<=[{HAN}{CJK_PUNCT}])[ \t\u00a0]+(?=[{HAN}{CJK_PUNCT}])")
_CLAUSE_END = re.compile(r"[，,、；;：:。！？!?]")
_PHONE = re.compile(
    r"(?<![\w+])\+\d{1,3}(?:[ .\-]?\(?\d{1,4}\)?){2,5}(?![\d%])"  # +44 20 7946 0000
    r"|\(?\b0\d{2,4}\)?[ .\-]\d{3,4}[ .\-]\d{3,4}\b"  # (020) 7946 0000
    r"|(?<!\d)1[3-9]\d{9}(?!\d)"  # a Chinese mobile number
)
_COUNTRY_CODE = re.compile(r"(?<![\w+])\+\d{1,4}(?![\d.%\w])")
_VOCAB = re.compile(
    r"\b(?:phone|mobile|cell|telephone|whatsapp|telegram|wechat|viber|country|e-?mail|mailing|contact|lead|leads|"
    r"b2b|consumer|telemarketing)\s+(?:numbers?|lists?|database|databases|data|codes?|leads)\b|"
    r"\b(?:buy|buying|purchase|order|sell|selling|cheap|discount|verified|opt-in|database|databases|whatsapp|"
    r"telegram|lists?|call|text|dial)\b|"
    r"电话号码|手机号码?|号码|国家代码|区号|数据库|名单|列表|购买|出售|批发|邮箱|电子邮件|微信|联系方式|客户资料",
    re.IGNORECASE,
)
_HEADLINE = re.compile(r"\S\s*(?:——|—|–| - | \| )\s*\S")


@dataclass(frozen=True)
class _Piece:
    start: int
    end: int
    splice_before: bool
    splice_after: bool


def _evidence(text: str, *, splice: bool) -> tuple[float, bool]:
    """Spam evidence of a fragment and whether any of it is structural or a pattern (not just words)."""
    phones = _PHONE.findall(text)
    codes = [] if phones else _COUNTRY_CODE.findall(text)
    vocab = {match.lower() for match in _VOCAB.findall(text)}
    score = 3.0 * bool(phones) + 1.5 * bool(codes) + min(float(len(vocab)), VOCAB_WEIGHT_CAP)
    if splice:
        score += 1.0 + float(bool(_HEADLINE.search(text)))
    return score, bool(phones or codes or splice)


def _spam_score(text: str, *, splice: bool) -> float:
    """Evidence of a fragment, or 0 when it falls short of the threshold or is only words."""
    score, hard = _evidence(text, splice=splice)
    return score if hard and score >= SPAM_THRESHOLD else 0.0


def _pieces(line: str) -> list[_Piece]:
    """Clause pieces of a line (each with the delimiter that ends it), flagged where they touch splice residue."""
    cuts: list[tuple[int, int, bool]] = [(m.start(), m.end(), False) for m in _CLAUSE_END.finditer(line)]
    cuts += [(m.start(), m.end(), True) for m in SPLICE.finditer(line)]
    pieces: list[_Piece] = []
    start, after_splice = 0, False
    for cut_start, cut_end, is_splice in sorted(cuts):
        if cut_start > start:
            pieces.append(_Piece(start, cut_end, after_splice, is_splice))
        start, after_splice = cut_end, is_splice
    if start < len(line):
        pieces.append(_Piece(start, len(line), after_splice, False))
    return pieces


def _cut_chinese(line: str) -> str:
    pieces = _pieces(line)
    texts = [line[p.start : p.end] for p in pieces]
    scores = [
        _spam_score(t, splice=p.splice_before or p.splice_after) for t, p in zip(texts, pieces, strict=True)
    ]
    # One splice point marks one insertion: of the two pieces it joins, cut only the one with more evidence (the one
    # before it on a tie, since an anchor keeps the space that followed its link).
    for i in range(len(pieces) - 1):
        if pieces[i].splice_after and scores[i] and scores[i + 1]:
            if scores[i] >= scores[i + 1]:
                scores[i + 1] = _spam_score(texts[i + 1], splice=pieces[i + 1].splice_after)
            else:
                scores[i] = _spam_score(texts[i], splice=pieces[i].splice_before)
    kept: list[str] = []
    for text, score in zip(texts, scores, strict=True):
        if not score:
            kept.append(text)
        elif text[-1] in "。！？!?" and kept and kept[-1][-1:] in "，,、；;：: ":
            kept[-1] = (
                kept[-1].rstrip("，,、；;：: ") + text[-1]
            )  # keep the sentence end the fragment carried
    return "".join(kept)


def _signal_spans(text: str) -> list[tuple[int, int]]:
    spans = [m.span() for m in _PHONE.finditer(text)]
    spans += [m.span() for m in _COUNTRY_CODE.finditer(text) if not any(s <= m.start() < e for s, e in spans)]
    spans += [m.span() for m in _VOCAB.finditer(text)]
    return sorted(spans)


def _cut_latin(line: str) -> str:
    spans = _signal_spans(line)
    if not spans:
        return line
    runs: list[list[int]] = [list(spans[0])]
    for start, end in spans[1:]:
        gap = line[runs[-1][1] : start]
        if len(re.findall(r"\w+", gap)) <= WORD_GAP and not _CLAUSE_END.search(gap):
            runs[-1][1] = max(runs[-1][1], end)
        else:
            runs.append([start, end])
    for start, end in reversed(runs):
        if _spam_score(line[start:end], splice=False):
            line = (line[:start].rstrip() + " " + line[end:].lstrip()).strip()
    return re.sub(r"\s+([,.;:!?])", r"\1", line)


def remove_spam(line: str) -> str:
    """One line (paragraph) with injected spam fragments cut out."""
    if not line.strip() or line.lstrip().startswith("#"):
        return line
    if han_share(line) >= 0.3:
        return _cut_chinese(line)
    return _cut_latin(line)
