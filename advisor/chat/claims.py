"""Claim-level verification: a sentence stands only when the evidence it cites entails each of its claims.

Deterministic, on top of grounding's support score. A sentence is cut into claims (its clauses: "..., and ...",
"; ", "，而 ..."), and each claim is checked against the sentences of its cited evidence:

- support: some evidence sentence supports the claim (`advisor.chat.support`, at `CLAIM_THRESHOLDS`);
- polarity and quantifiers, against the part of that evidence sentence that speaks of the claim: negation (not,
  never, nobody, rarely, 不, 很少; not 不得不) agrees; an exclusive or universal word (only, always, 只, 所有) is
  stated there too; an antonym there (short/long, more/fewer, ahead/until, 高/低) and not the word itself
  contradicts the claim;
- relations (`advisor.chat.relations`): a correlation, a comparison of two subjects, a cause or a move that the
  evidence sentence states the other way round contradicts the claim ("enterprise reps ramp faster than SMB reps"
  against 6-9 and 2-3 months; "because reps leave, nobody shows them a path" against the reverse);
- numbers in context: each number matches an evidence number of the same value, in an evidence clause about the same
  subject (the role next to it, or next to its range: SDR, AE, inside, field, ...), the same source when the claim
  names one, and the same quantity (a clause about another quantity that states a different figure fits the claim's
  words better: the figures were swapped), with the same time unit and period; quantities in words ("three years",
  "三年", "more than half", 三分之一; `advisor.chat.quantities`), ordinals ("fourth", "第四") and how often a thing is
  done ("once a quarter") must be stated too;
- sources: a source the sentence names (a capitalised name, a Latin name in Chinese prose, a 《title》) is named by
  the evidence.

The verdict is `supported`, `unsupported` (the evidence does not say it) or `contradicted` (the evidence says
otherwise), with the reason. Labelled drafts in both languages measure it: `evals/suites/claims.yaml`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from langchain_core.embeddings import Embeddings

from advisor.chat.numbers import number_traces
from advisor.chat.quantities import (
    PIECE,
    ZH_DIGITS,
    Clause,
    carried_unit,
    clauses,
    frequencies,
    unit_of,
    worded_problem,
)
from advisor.chat.relations import correlations, reversal, swapped_attribute
from advisor.chat.subjects import subject_near, subjects
from advisor.chat.support import support_matrix
from advisor.text.lang import HAN
from advisor.text.numbers import NumberMention, extract_numbers
from advisor.text.sentences import split_sentences, strip_citations
from advisor.text.tokens import key_terms, overlap

Verdict = Literal["supported", "unsupported", "contradicted"]
# a claim (a clause) is shorter than a sentence and scores lower against its evidence
CLAIM_THRESHOLDS = {"en": 0.45, "zh": 0.3}
# evidence sentences this close to the best support are read as the claim's evidence too
CANDIDATE_MARGIN = 0.1
# an evidence sentence sharing this much of a claim's wording may contradict it
RELATED_OVERLAP = {"en": 0.34, "zh": 0.25}
# a clause stating another figure of the sentence that fits the claim's words this much better: swapped figures
SWAP_MARGIN = 0.25
# support this high: the claim restates its best evidence sentence, which then says all of it
RESTATED = 0.9
# a merely related sentence's negation counts only in a clause sharing this much of the claim's wording
NEGATION_OVERLAP = 0.5
_CLAUSE = re.compile(r",\s+(?:and|while|but|whereas|since|because|so)\s+|;\s+|[，,；;]\s*(?:而|但)")
_WORD = re.compile(rf"[A-Za-z][A-Za-z'-]*|[{HAN}]")

# bounds and idioms are not negations: "no more than 10" says what "at most 10" says, "cannot do without" what
# "depends on" says; "not only" is handled as a quantifier
_BOUNDS = re.compile(
    r"\b(?:no|not)\s+(?:more|fewer|less|longer|later)\s+than\b|\bnot\s+(?:exceed|over)\b|\bnot\s+(?:only|just|merely)\b|\bat\s+(?:the\s+)?(?:least|most)\b"
    r"|\b(?:cannot|can't|could\s+not|couldn't)\s+do\s+without\b"
    r"|不超过|不到|不少于|不低于|不高于|不只|不仅|用不了|离不开|少不了|不可或缺",
    re.IGNORECASE,
)
# "not counted" is what "excludes" says
_NOT_COUNTED = re.compile(
    r"\b(?:not|n't)\s+(?:be\s+)?(?:count(?:ed)?|include[sd]?)\b|不计入|不算|不包括|不包含|不含", re.IGNORECASE
)
_EXCLUDES = re.compile(
    r"\bexclud(?:e|es|ed|ing)\b|\bleav(?:e|es|ing)\b.{0,60}\bout\b|排除|剔除", re.IGNORECASE
)
_NOT_ONLY = re.compile(r"\bnot\s+(?:only|just|merely)\b|不只|不仅|不光|不单", re.IGNORECASE)
_NEGATION = {
    "en": re.compile(
        r"\b(?:not|no|never|none|nobody|nothing|neither|nor|cannot|can't|don't|doesn't|isn't|aren't|won't|rarely"
        r"|seldom|hardly)\b",
        re.IGNORECASE,
    ),
    # 不得不 (must) is no negation
    "zh": re.compile(
        r"(?<!不得)不(?!足|够|一致|一样|同|宜|断|少|力|良|佳|错|得不)|没有|从不|从未|很少|几乎没|无法|并非|未"
    ),
}
# an exclusive or universal claim needs the evidence to say as much ("only a handful" is a small number, not "only")
_STRONG = {
    "en": re.compile(
        r"\b(?:(?<!not )only(?!\s+(?:a\s+few|a\s+handful|a\s+small|one\s+of|holds|works))|solely|exclusively"
        r"|always|never)\b",
        re.IGNORECASE,
    ),
    "zh": re.compile(r"只(?!要)|仅|唯一|总是|一律|从不|所有|大多数|大部分|绝大多数|多数"),
}
_STRONG_FOLD = {
    "solely": "only",
    "exclusively": "only",
    "仅": "只",
    "大部分": "多数",
    "大多数": "多数",
    "绝大多数": "多数",
}
_ANTONYMS_EN = [
    ({"more", "higher", "greater", "larger", "bigger", "most", "much", "many"}, {"fewer", "less", "lower", "smaller", "least", "little"}),
    ({"high"}, {"low"}),
    ({"above", "over", "exceeds", "outside"}, {"below", "under", "within"}),
    ({"short", "shorter"}, {"long", "longer"}),
    ({"cheap", "cheapest", "cheaper"}, {"expensive", "costly", "much"}),  # "costs too much"
    ({"rise", "risen", "rose", "rising", "grew", "grown", "increase", "increased", "up"}, {"fall", "fallen", "fell", "falling", "drop", "dropped", "decline", "declined", "decrease", "decreased", "down"}),
    ({"consistent"}, {"inconsistent"}),
    ({"first"}, {"last"}),
    ({"easy", "easier"}, {"hard", "harder", "difficult"}),
    ({"wide", "wider"}, {"narrow", "narrower"}),
    ({"fast", "faster", "quick", "quicker", "quickly", "sooner"}, {"slow", "slower", "slowly", "later"}),
    ({"raise", "raises", "raised", "boost", "boosts", "lift", "lifts", "increases"}, {"reduce", "reduces", "reduced", "cut", "cuts", "lowers", "decreases"}),
    ({"ahead", "before", "advance", "early"}, {"until", "after", "hold", "wait", "delay", "postpone"}),  # act ahead / wait
]  # fmt: skip
_ANTONYMS_ZH = [
    ({"高"}, {"低"}),
    ({"更多", "较多", "增多"}, {"更少", "较少", "减少"}),
    ({"长"}, {"短"}),
    ({"增加", "上升", "提高"}, {"减少", "下降", "降低"}),
    ({"容易"}, {"难"}),
    ({"快"}, {"慢"}),
    ({"增长", "加大", "拉长", "延长"}, {"缩短", "缩小", "压低"}),
    ({"提前", "事先", "预先"}, {"等到", "推迟", "事后"}),
]
_ORDINAL_EN = {
    w: i for i, w in enumerate(("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"), 1)
}  # fmt: skip
_ORDINAL = re.compile(
    r"\b(?P<en>" + "|".join(_ORDINAL_EN) + r")\b|第(?P<zh>[一二三四五六七八九十])|第\s*(?P<digits>\d+)"
    r"|\b(?P<th>\d+)(?:st|nd|rd|th)\b",
    re.IGNORECASE,
)
_NAME_SKIP = frozenset(
    ("sdr", "sdrs", "ae", "aes", "kpi", "kpis", "crm", "smb", "b2b", "b2c", "ceo", "cro", "vp", "vps", "saas", "roi",
     "okr", "okrs", "i", "you", "your", "our", "we", "the", "a", "an", "in", "on", "for", "with", "when", "to", "of",
     "and", "or", "but", "if", "as", "at", "by", "from", "this", "that", "these", "those", "it", "its", "most",
     "each", "every", "some", "many")
)  # fmt: skip
_NAME = re.compile(r"\b[A-Z][A-Za-z&.]*[A-Za-z](?:\s+(?:of\s+|/\s+)?[A-Z][A-Za-z&.]*[A-Za-z])*")
_LEADING_NAME_VERB = re.compile(
    r"^\s*\w+(?:'s\b|\s+(?:reports?|reported|found|finds|puts|says|said|estimates?|recommends?|shows?|showed)\b)"
)
_LATIN_NAME = re.compile(r"[A-Za-z][A-Za-z&.]*(?:\s+[A-Za-z][A-Za-z&.]*)*")
_TITLE = re.compile(r"《([^》]+)》")


@dataclass(frozen=True)
class ClaimCheck:
    """The verdict on one drafted sentence, and the reason when it is not supported."""

    verdict: Verdict
    reason: str = ""
    claim: str = ""

    @property
    def supported(self) -> bool:
        """Whether the sentence may stand."""
        return self.verdict == "supported"


def split_claims(sentence: str) -> list[str]:
    """The claims of a sentence: its clauses, each long enough to say something on its own."""
    parts = [p.strip(" ,，") for p in _CLAUSE.split(sentence) if p and p.strip(" ,，")]
    claims: list[str] = []
    for part in parts:
        if claims and len(key_terms(part)) < 2:
            claims[-1] = f"{claims[-1]} {part}"  # a fragment ("so it falls") belongs to the claim before it
        else:
            claims.append(part)
    return claims or [sentence]


def _words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text)}


def _antonym_clash(claim: str, part: str, sentence: str, *, lang: str) -> str | None:
    """The claim's word whose antonym the relevant part of the evidence states (the sentence never the word)."""
    if lang == "zh":
        for left, right in _ANTONYMS_ZH:
            for mine, theirs in ((left, right), (right, left)):
                said = [w for w in mine if w in claim]
                if said and any(w in part for w in theirs) and not any(w in sentence for w in mine):
                    return said[0]
        return None
    claim_words, part_words, sentence_words = _words(claim), _words(part), _words(sentence)
    for left, right in _ANTONYMS_EN:
        for mine, theirs in ((left, right), (right, left)):
            said = sorted(claim_words & mine)
            if said and part_words & theirs and not sentence_words & mine:
                return said[0]
    return None


def _relevant_part(claim: str, sentence: str, *, share: float = 0.2) -> str:
    """The clauses of an evidence sentence that share wording with the claim (by default the whole sentence when
    none does)."""
    terms = key_terms(claim)
    parts = [p for p in _PART.split(sentence) if p and p.strip()]
    related = [p for p in parts if overlap(terms, p) >= share]
    return " ".join(related) if related or share > 0.2 else sentence


def _contradiction(
    claim: str, sentence: str, *, lang: str, whole: bool = False, strict: bool = False
) -> tuple[Verdict, str] | None:
    """What in an evidence sentence says otherwise: a negation or an antonym in the clauses about the claim (an
    antonym anywhere in the sentence when it is the claim's best support: `whole`; a negation only in clauses that
    share most of the claim's wording when the sentence is merely related: `strict`)."""
    claim, sentence = _BOUNDS.sub(" ", claim), _BOUNDS.sub(" ", sentence)
    relation = reversal(claim, sentence, lang=lang)
    if relation:
        return "contradicted", relation
    # a correlation both state in the same direction may flip both sides ("the shorter the ramp, the lower the
    # cost" restates "the longer, the higher"): its antonyms then agree
    agreed = bool(correlations(claim, lang=lang) and correlations(sentence, lang=lang))
    swapped = None if agreed else swapped_attribute(claim, sentence, lang=lang)
    if swapped:
        return "contradicted", f"antonym:{swapped}"
    part = _relevant_part(claim, sentence)
    negated = _relevant_part(claim, sentence, share=NEGATION_OVERLAP) if strict else part
    if _NEGATION[lang].search(negated) and not _NEGATION[lang].search(claim):
        return "contradicted", "polarity"
    word = None if agreed else _antonym_clash(claim, sentence if whole else part, sentence, lang=lang)
    if word:
        return "contradicted", f"antonym:{word}"
    if _rather_than(claim, part):
        return "contradicted", "reversed"
    return None


def _strong(text: str, *, lang: str) -> set[str]:
    """The exclusive or universal words of a text, variants folded (solely: only, 仅: 只, 大多数: 多数)."""
    return {_STRONG_FOLD.get(w, w) for w in (m.group(0).lower() for m in _STRONG[lang].finditer(text))}


def _unstated(claim: str, sentence: str, *, lang: str) -> tuple[Verdict, str] | None:
    """What the claim asserts that the sentence does not state: a negation, "only", an ordinal, a role, a source."""
    claim, sentence = _BOUNDS.sub(" ", claim), _BOUNDS.sub(" ", sentence)
    # the negation must be where the sentence speaks of the claim ("training, or none at all, exhausts new reps"
    # does not say "training rarely exhausts new reps")
    spoken = _relevant_part(claim, sentence)
    excluded = _NOT_COUNTED.search(claim) and _EXCLUDES.search(sentence)
    if _NEGATION[lang].search(claim) and not _NEGATION[lang].search(spoken) and not excluded:
        return "contradicted", "polarity"
    claimed = _strong(claim, lang=lang)
    if claimed & {"only", "只"} and _NOT_ONLY.search(sentence):
        return "contradicted", "not_only"
    if claimed and not claimed & _strong(sentence, lang=lang):
        return "unsupported", f"quantifier:{sorted(claimed)[0]}"
    mine, theirs = frequencies(claim), frequencies(sentence)
    if mine and theirs and not mine & theirs:
        return "contradicted", f"frequency:{sorted(mine)[0]}"
    stated = _ordinals(sentence)
    for ordinal in sorted(_ordinals(claim) - stated):
        return ("contradicted" if stated else "unsupported"), f"ordinal:{ordinal}"
    missing = sorted(subjects(claim) - subjects(sentence))
    if missing:
        return "contradicted", f"subject:{missing[0]}"
    names = [n for n in _names(claim, lang=lang) if n.lower() not in sentence.lower()]
    if names:
        return "unsupported", f"source:{names[0]}"
    return None


# a cause or a condition is a part of its own: "nobody shows them a path" does not negate "reps leave early"
_PART = re.compile(
    rf"{PIECE.pattern}|\s+(?:because|since|when|whenever|if|unless)\s+|(?:因为|由于|如果)", re.IGNORECASE
)
_RANGE_GAP = re.compile(r"^\s*(?:-|–|~|to|到|至)\s*$")
_RATHER = re.compile(r"(\w+(?:\s\w+)?)\s+rather than\s+(\w+(?:\s\w+)?)", re.IGNORECASE)


def _rather_than(claim: str, evidence: str) -> bool:
    """Whether the claim prefers what the evidence sets aside ("size rather than volume" against the reverse)."""
    mine, theirs = _RATHER.search(claim), _RATHER.search(evidence)
    if not mine or not theirs:
        return False
    return mine.group(1).split()[-1].lower() == theirs.group(2).split()[-1].lower()


def _range_span(text: str, mention: NumberMention, numbers: Sequence[NumberMention]) -> tuple[int, int]:
    """Where the range a number belongs to stands ("1.5 到 3.4", "6-8"): both ends are about one subject."""
    start, end = mention.start, mention.end
    for other in numbers:
        if other.start >= end and _RANGE_GAP.match(text[end : other.start]):
            end = other.end
        elif other.end <= start and _RANGE_GAP.match(text[other.end : start]):
            start = other.start
    return start, end


def _subject_of(text: str, mention: NumberMention, numbers: Sequence[NumberMention]) -> str | None:
    return subject_near(text, *_range_span(text, mention, numbers))


def _role_of(chunk: Clause, mention: NumberMention) -> str | None:
    near = _subject_of(chunk.text, mention, chunk.numbers)
    if near is None and chunk.before:
        near = subject_near(chunk.before, len(chunk.before), len(chunk.before))
    return near


def _number_problem(claim: str, chunks: Sequence[Clause], *, lang: str) -> tuple[Verdict, str] | None:
    """Why a number of the claim is not the evidence's figure for the same subject, quantity and source, if it is
    not (a figure the evidence gives another source than the one the claim names is that source's)."""
    stated = extract_numbers(claim)
    named = {chunk: _sources(chunk.text, lang=lang) for chunk in chunks}
    sources = _sources(claim, lang=lang) & set().union(*named.values())
    for part in (p for p in PIECE.split(claim) if p and p.strip()):
        terms = key_terms(re.sub(r"\d+(?:\.\d+)?", " ", part))
        for mention in extract_numbers(part):
            matches = [
                (chunk, found)
                for chunk in chunks
                for found in chunk.numbers
                if number_traces(mention, [found.raw])
            ]
            if not matches:
                return "contradicted", f"number:{mention.raw}"
            entity = _subject_of(part, mention, extract_numbers(part))
            unit, period = unit_of(part, mention)
            fits = []
            for chunk, found in matches:
                their_unit, their_period = unit_of(chunk.text, found)
                if (
                    their_unit is None
                ):  # "2-3 months for SMB, 4-6 for mid-market": the unit said once carries on
                    their_unit = carried_unit(chunk)
                if entity and _role_of(chunk, found) != entity:
                    continue
                # a time unit must be the evidence's; a count of people may restate a bare figure
                if unit and unit != their_unit and not (unit == "people" and their_unit is None):
                    continue
                if period and their_period and period != their_period:
                    continue
                if sources and named[chunk] and not sources & named[chunk]:
                    continue
                fits.append(chunk)
            if not fits:
                return "contradicted", f"number_context:{mention.raw}"
            fit = max(overlap(terms, chunk.text) for chunk in fits)
            # swapped figures: another figure the sentence states belongs to a clause that fits these words better
            swapped = [
                chunk
                for chunk in chunks
                if all(c is not chunk for c in fits)
                and any(
                    n.kind == mention.kind and any(number_traces(o, [n.raw]) for o in stated if o != mention)
                    for n in chunk.numbers
                )
                and overlap(terms, chunk.text) - fit >= SWAP_MARGIN
            ]
            if swapped and len(extract_numbers(part)) == 1:
                return "contradicted", f"swapped:{mention.raw}"
    return None


def _ordinals(text: str) -> set[int]:
    """The ordinals a text states, in words or digits ("fourth", "第四", "第 4", "4th")."""
    found = set()
    for match in _ORDINAL.finditer(text):
        if match.group("en"):
            found.add(_ORDINAL_EN[match.group("en").lower()])
        elif match.group("zh"):
            found.add(ZH_DIGITS[match.group("zh")])
        else:
            found.add(int(match.group("digits") or match.group("th")))
    return found


def _sources(text: str, *, lang: str) -> set[str]:
    """The words of the sources a text names (not its roles and segments), folded."""
    return {w.lower() for name in _names(text, lang=lang) for w in name.split() if not subjects(w)}


def _names(claim: str, *, lang: str) -> list[str]:
    """Sources and names a claim states: capitalised words (the first word of the claim only when it is the subject
    of "reports", "found"...), or in Chinese prose its Latin names and 《titles》."""
    if lang == "zh":
        latin = [m.group(0) for m in _LATIN_NAME.finditer(claim)]
        return [n for n in latin if n.lower() not in _NAME_SKIP] + _TITLE.findall(claim)
    names: list[str] = []
    for match in _NAME.finditer(claim):
        words = re.split(r"\s+(?:of\s+|/\s+)?", match.group(0))
        if match.start() == 0 and not _LEADING_NAME_VERB.match(claim):
            words = words[1:]  # the first word of a sentence is capitalised whatever it is
        names.extend(w for w in words if w.lower() not in _NAME_SKIP)
    return names


def _claim_problem(
    claim: str, close: Sequence[str], related: Sequence[str], *, lang: str, quoted: bool, restated: bool
) -> tuple[Verdict, str] | None:
    """The claim against its evidence: one of the `close` sentences (the best support) states all it asserts and
    contradicts none of it, and, unless the claim restates it, no `related` sentence (sharing its wording, about
    the same roles) contradicts it; a claim quoted from a close sentence stands."""
    if quoted:
        return None  # a quotation is entailed by its source
    problems = [
        _contradiction(claim, s, lang=lang, whole=True) or _unstated(claim, s, lang=lang) for s in close
    ]
    if all(problems):
        return next(p for p in problems if p)
    if restated:
        return None
    roles = subjects(claim)
    for sentence in related:
        if roles and not roles & subjects(sentence) and subjects(sentence):
            continue  # it speaks of other roles
        problem = _contradiction(claim, sentence, lang=lang, strict=True)
        if problem:
            return problem
    return None


def _plain(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def check_claims(sentence: str, evidence: Sequence[str], *, lang: str, embedder: Embeddings) -> ClaimCheck:
    """Whether the evidence entails every claim of a sentence (see the module docstring)."""
    text = strip_citations(sentence).strip()
    units = [s.text for item in evidence for s in split_sentences(item)] or list(evidence)
    worded = worded_problem(text, " ".join(evidence))
    if worded:
        return ClaimCheck(worded[0], worded[1], text)
    problem = _number_problem(text, clauses(units), lang=lang)
    if problem:
        return ClaimCheck(problem[0], problem[1], text)
    threshold = CLAIM_THRESHOLDS.get(lang, CLAIM_THRESHOLDS["en"])
    claims = split_claims(text)
    scores = support_matrix(claims, units, lang=lang, embedder=embedder)
    for row, claim in enumerate(claims):
        best = float(scores[row].max()) if units else 0.0
        if best < threshold:
            return ClaimCheck("unsupported", "no_support", claim)
        ranked = [j for j in scores[row].argsort()[::-1] if scores[row, j] >= threshold]
        close = [units[j] for j in ranked if scores[row, j] >= best - CANDIDATE_MARGIN]
        terms = key_terms(claim)
        related = [unit for unit in units if overlap(terms, unit) >= RELATED_OVERLAP.get(lang, 0.34)]
        quoted = any(_plain(claim) in _plain(unit) for unit in close)
        problem = _claim_problem(claim, close, related, lang=lang, quoted=quoted, restated=best >= RESTATED)
        if problem:
            return ClaimCheck(problem[0], problem[1], claim)
    return ClaimCheck("supported")
