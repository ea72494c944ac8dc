"""The fit pass of the spam cutter: stretches that fit their paragraph so badly that they go, whatever their words.

The vocabulary lists of `advisor.kb.spam` know the adverts they were written from; a new advert (`Sell more, stress
less`, `多卖货，少操心`) shares none of their words. `find_unfit` judges candidate stretches (English sentences;
Chinese pieces between sentence ends and splice points, and the clauses that end them) by traits that need no list,
each a number (`fit_features`), weighted in `FIT_WEIGHTS`:

- `unterminated` (2.4): the line goes on after the stretch but the stretch ends with no punctuation at all: it breaks
  off its host, as a splice does (`...记录 在其他事情之前...`);
- `label` (3.0): a short label and colon lead a stretch that never ends as a sentence (`See also: ...`, `下一篇：...`);
- `splice` (0.8 an edge): a splice point (a space between Chinese characters) at its edge;
- `exclaim` (0.8), `slogan` (0.7: two or more short parallel clauses, `Sell more, stress less`, `多卖货，少操心`);
- `foreign` (1.3): the share of its words (Chinese: character bigrams) found neither in the bundled knowledge base
  (`domain_terms`, the vocabulary of sales guidance) nor three times elsewhere in the document;
- `evidence` (0.3): the lexical score of the structural signals inside it (numbers, links, language switches,
  title shape, repetition, exclamation; not the vocabulary lists);
- `semantic` (5.2): the judge's weight (`advisor.kb.coherence`, both languages), when there is a judge, times the
  `foreign` share doubled (at most 1): meaning alone never takes a sentence made of the domain's own words
  (`The lead list from the trade show had 400 names.` reads like a list vendor's copy to the probe);
- `length` (-3.9 per 10 English words or 20 Chinese characters): inserted fragments are short; host prose is not;
- `imperative` (9.0): a call to action leads it (`Join`, `Grab`, `DM`, `Don't miss`, 立即, 扫码...), counted as the
  `foreign` share (Chinese: `2 * foreign - 1`), since guidance gives orders too (`Measure tenure by cohort`) in the
  words of its domain;
- `caution` (-2.0): it judges or advises about what it names in the grammar of guidance, not of an offer
  (`advisor.kb.advice`: `rarely pays back`, `decays`, `before you buy`, 得不偿失, 很快过时); such a stretch has no
  `semantic` trait either, since the judge reads what a sentence is about, which guidance and adverts share.

A stretch goes whole when its score reaches `FIT_THRESHOLD`. One that a lexical cut touches goes whole only when what
the cut leaves of it fits no better (`Join our ⟦...⟧, 300+ members.`); a break right beside a cut is that cut's
residue; a paragraph of one stretch is never cut by its fit (it has nothing to fit).

Calibration: the fit weights are a logistic regression fitted on every candidate stretch of the `dev` split
(`tests/fixtures/spam/`), a stretch counting as spam when 90% of its content is labelled spam; `FIT_BIAS` is its
intercept and `FIT_THRESHOLD` the score above every clean stretch of `dev`. They were fitted before the probe judge;
refitting them over the probe's weights was tried (`dev` false cuts rose to 0.023, since a stretch-level threshold
does not see a host clause cut with its splice) and dropped, so only the judge's scale was chosen anew
(`advisor.kb.coherence.SCALES`).

A cut then spreads (`spread`): a sentence beside it that the judge has read, with a word foreign to the domain, goes
when its score reaches `SPREAD_THRESHOLD` (-2.0), a far lower bar, since a fragment is one piece and part of it is
already known (`We use cookies to improve your experience.` beside `⟦Accept all | Manage preferences⟧`). -2.0 is the
lowest bar at which no clean sentence of `dev` goes with its neighbour (-3 took 0.017 of them, -4 0.025). Chinese
spreads by whole sentences only; its clauses beside a splice took their host with them (0.034 of `dev` at -2). An
English sentence that runs on past a cut with no full stop (`200 ⟦free spins⟧ at LuckyReel tonight Publish the
plan...`) is also a candidate up to where the host's next sentence starts (`PROSE_START`).

Measured with `ADVISOR_HOME=... advisor eval ingest ingest_heldout ingest_heldout3 ... ingest_heldout7 --no-ingest`
(means over paragraphs; recall en / zh). "probe" is the cleaner at 06b1426 (the fitted probe judge, no spread);
"spread" is a617169. heldout7 was written by a helper who read no cleaner code and measured once, at a617169; every
other split had been studied before (heldout6 was the probe's unseen set), so only heldout7's figure is unseen:

                   dev (238)    test (52)    heldout2 (32) heldout3 (28) heldout4 (40) heldout5 (40) heldout6 (40) heldout7 (40)
    recall spread  0.879        0.775        0.750         0.600         0.732         0.673         0.357         0.393 unseen
      en / zh      0.94 / 0.82  0.75 / 0.80  0.75 / 0.75   0.50 / 0.70   0.86 / 0.61   0.77 / 0.58   0.39 / 0.32   0.54 / 0.25
      probe        0.872        0.725        0.667         0.600         0.643         0.519         0.286         0.286
    false cuts     0.009        0.000        0.000         0.000         0.000         0.037         0.046         0.017
      (both)
    cut_precision  0.975        1.000        1.000         1.000         1.000         0.951         0.887         0.962

The targets (recall 0.95, false cuts 0.01 on unseen text) are not met. The probe finds most fragments when it is
shown them whole (on heldout5, 0.94 of English fragments at a score above 99.5% of guidance), so what is lost is
where fragments end, and long adverts in sales words (`we can supply verified records for mid-market IT buyers...`,
a testimonial for a sales tool) which neither the probe nor the vocabulary reads as spam. The spread's gain is
where a cut already stands; an advert with no lexical evidence at all is still kept whole.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from advisor.bundled import KNOWLEDGE_DIR
from advisor.kb.advice import CALL_TO_ACTION, advises
from advisor.kb.fragments import Fragment, cut_out, merge_fragments
from advisor.kb.signals import (
    CONTENT_WORD,
    PROSE_START,
    SPLICE,
    Signal,
    cut_units,
    is_chinese,
    line_evidence,
    stripped_span,
)
from advisor.kb.spam import DocumentWords, LineContext, find_spam, score_signals
from advisor.text.lang import HAN
from advisor.text.tokens import content_terms

FIT_WEIGHTS = {
    "evidence": 0.3,
    "foreign": 1.3,
    "exclaim": 0.8,
    "slogan": 0.7,
    "label": 3.0,
    "unterminated": 2.4,
    "splice": 0.8,
    "semantic": 5.2,
    "length": -3.9,
    "imperative": 9.0,
    "caution": -2.0,
}
FIT_BIAS = -0.3
SEMANTIC_CAP = 4.0  # the most a judge's weight counts (the 99th percentile of dev's English fragments)
FIT_THRESHOLD = 1.0
# the bar for a stretch beside a cut (`spread`): the lowest at which no clean sentence of `dev` goes with its neighbour
SPREAD_THRESHOLD = -2.0

_CLAUSES = re.compile(r"[,，、;；]")
_EN_WORDS = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’-]*")
_HAN_CHAR = re.compile(f"[{HAN}]")
_LABEL_LEAD = re.compile(
    rf"^\s*(?:[A-Za-z][\w'’-]*(?:\s+[A-Za-z][\w'’-]*){{0,2}}|[{HAN}]{{1,5}})\s*[:：]\s*\S"
)
_TERMINAL = re.compile(r"[.。!！?？]['\"’”）)]*\s*$")
_PUNCTUATED = re.compile(r"[.。!！?？,，、;；:：]['\"’”）)]*\s*$")


@lru_cache(maxsize=1)
def domain_terms() -> frozenset[str]:
    """Words and Chinese bigrams of the bundled knowledge base: what sales guidance is made of (read once)."""
    terms: set[str] = set()
    for path in sorted(KNOWLEDGE_DIR.rglob("*.md")):
        terms |= content_terms(path.read_text(encoding="utf-8"))
    return frozenset(terms)


def _short(clause: str, *, zh: bool) -> bool:
    size = len(_HAN_CHAR.findall(clause)) if zh else len(_EN_WORDS.findall(clause))
    return 0 < size <= (4 if zh else 3)


def fit_features(
    text: str,
    *,
    zh: bool,
    recurs: Callable[[str], bool],
    evidence: float,
    splices: int = 0,
    continues: bool = False,
    semantic: float | None = None,
) -> dict[str, float]:
    """The named traits of one candidate stretch that say it does not belong where it stands.

    `recurs` tells whether a term occurs in the document outside the stretch; `evidence` is the lexical score of
    the structural signals inside it; `splices` counts its edges that are splice points; `continues` says the line
    goes on after it (a stretch without a sentence end there breaks off its host); `semantic` is the judge's weight.
    """
    terms = content_terms(text)
    lexicon = domain_terms()
    advisory = advises(text)
    foreign = sum(1 for t in terms if t not in lexicon and not recurs(t)) / len(terms) if terms else 0.0
    clauses = [c for c in _CLAUSES.split(text) if c.strip()]
    short = sum(_short(c, zh=zh) for c in clauses)
    return {
        "evidence": evidence,
        "foreign": foreign,
        "exclaim": float(text.rstrip().endswith(("!", "！"))),
        "slogan": float(len(clauses) >= 2 and short >= 2),
        "label": float(bool(_LABEL_LEAD.match(text)) and not _TERMINAL.search(text)),
        "unterminated": float(continues and not _PUNCTUATED.search(text)),
        "splice": float(splices),
        # the judge reads what a sentence is about, which guidance and adverts share; the frame tells them apart
        "semantic": 0.0 if advisory else min(semantic or 0.0, SEMANTIC_CAP) * min(1.0, 2 * foreign),
        "length": (len(_HAN_CHAR.findall(text)) / 20) if zh else (len(_EN_WORDS.findall(text)) / 10),
        # Chinese bigrams are foreign far more often than English words, so only the top of their range counts
        "imperative": (max(0.0, 2 * foreign - 1) if zh else foreign) if CALL_TO_ACTION.match(text) else 0.0,
        "caution": float(advisory),
    }


def fit_score(features: Mapping[str, float]) -> float:
    """How confidently a stretch is out of place: the weighted sum of its traits (cut at `FIT_THRESHOLD`)."""
    return round(FIT_BIAS + sum(FIT_WEIGHTS[name] * value for name, value in features.items()), 3)


# signal kinds the fit's `evidence` trait leaves out: the vocabulary lists, and splices (a trait of their own)
_VOCABULARY = ("contact", "advert", "vendor", "anchor", "countries", "lead_in", "splice")
_ZH_SEGMENT = re.compile(rf"[。！？]|{SPLICE.pattern}")
_ZH_CLAUSE = re.compile(r"[，,、；;：:]")


def _stretches(line: str, *, zh: bool) -> list[tuple[int, int, int]]:
    """Candidate stretches for the fit judgement, each with how many of its edges are splice points.

    English: sentences. Chinese: each piece between sentence ends and splice points, and every run of its clauses
    that ends it (an insertion after a host clause: `..., 下一篇：...` before a splice; a host clause before one
    ends in a comma, which no insertion needs).
    """
    if not zh:
        return [(*stripped_span(line, a, b), 0) for a, b in cut_units(line, zh=False)]
    edges = {m.start() for m in SPLICE.finditer(line)} | {m.end() for m in SPLICE.finditer(line)}
    bounds = [0, *(m.end() for m in _ZH_SEGMENT.finditer(line)), len(line)]
    stretches = []
    for start, end in zip(bounds, bounds[1:], strict=False):
        cuts = [m.end() for m in _ZH_CLAUSE.finditer(line, start, end) if m.end() < end]
        spans = {(start, end), *((cut, end) for cut in cuts)}
        for a, b in sorted(spans):
            a, b = stripped_span(line, a, b)
            if b > a:
                stretches.append((a, b, (a in edges) + (b in edges)))
    return stretches


_WORDS = re.compile(r"\w+")
_OPEN, _CLOSE = "(（[【「《“", ")）]】」》”"
_MIN_HAN, _MIN_WORDS = 4, 3
_RECURS = 3


def _whole(text: str, *, zh: bool) -> bool:
    """Whether a stretch can be judged alone: long enough to be prose, and not cutting through a bracket."""
    if sum(text.count(c) for c in _OPEN) != sum(text.count(c) for c in _CLOSE):
        return False
    if zh:
        return len(re.findall(f"[{HAN}]", text)) >= _MIN_HAN
    return len(_WORDS.findall(text)) >= _MIN_WORDS


def _run_ons(line: str, cut: Sequence[Fragment]) -> list[tuple[int, int, int]]:
    """English stretches that end where the host's next sentence starts with no full stop (`PROSE_START`), after a
    cut inside the same sentence: what a spliced advert leaves before the host goes on (`200 ⟦free spins⟧ at
    LuckyReel tonight Publish the plan...`)."""
    stretches = []
    for start, end in cut_units(line, zh=False):
        for match in PROSE_START.finditer(line, start, end):
            if any(start <= c.start and c.end <= match.start() for c in cut):
                stretches.append((*stripped_span(line, start, match.start()), 0))
    return stretches


@dataclass(frozen=True)
class Stretch:
    """A candidate stretch of a line, its fit traits, and the traits of what a lexical cut inside it leaves."""

    start: int
    end: int
    traits: dict[str, float]
    rest: str | None = None
    rest_traits: dict[str, float] | None = None


def _left(line: str, start: int, end: int, cut: Sequence[Fragment]) -> str | None:
    """What is left of a stretch once the cut fragments touching it are out (None when none touches it)."""
    inside = [c for c in cut if c.start < end and start < c.end]
    if not inside:
        return None
    pieces = [Fragment(max(c.start, start) - start, min(c.end, end) - start, 0.0, ()) for c in inside]
    return cut_out(line[start:end], merge_fragments(pieces)).strip()


def stretch_fits(
    line: str,
    *,
    document: DocumentWords | None = None,
    lang: str | None = None,
    semantic: Mapping[str, float] | None = None,
    cut: Sequence[Fragment] = (),
) -> list[Stretch]:
    """Every candidate stretch of a line with its fit traits (`fit_features`), and for one that
    a fragment already `cut` touches, the traits of what that cut leaves of it."""
    zh = is_chinese(line, lang)
    if not line.strip() or line.lstrip().startswith(("#", "|")):
        return []
    # only the evidence of structure: the vocabulary lists know yesterday's adverts, the fit must judge new ones
    signals = [s for s in line_evidence(line, zh=zh)[1] if s.kind not in _VOCABULARY]
    context = LineContext(document, line.lower(), line.lower())
    splice_edges = {m.start() for m in SPLICE.finditer(line)} | {m.end() for m in SPLICE.finditer(line)}

    def traits(
        text: str, start: int, end: int, splices: int, kept: list[Signal], *, cut_after: bool = False
    ) -> dict[str, float]:
        here = context.without(start, end)
        evidence = score_signals(kept, here)[0] if kept else 0.0

        def recurs(term: str) -> bool:
            # three times at least: a document's own topic words recur; a splice shares a word or two with its host
            return here.occurrences(term) >= _RECURS

        return fit_features(
            text,
            zh=zh,
            recurs=recurs,
            evidence=evidence,
            splices=splices,
            continues=bool(line[end:].strip()) and not cut_after,
            semantic=semantic.get(text) if semantic else None,
        )

    stretches = []
    for start, end, splices in _stretches(line, zh=zh) + ([] if zh else _run_ons(line, cut)):
        if not _whole(line[start:end], zh=zh):
            continue
        # a break beside a cut is the cut's residue, not this stretch's: host prose stops where spam was spliced in
        after = any(c.start >= end and not line[end : c.start].strip() for c in cut)
        before = any(c.end <= start and not line[c.end : start].strip() for c in cut)
        splices -= (after and end in splice_edges) + (before and start in splice_edges)
        inside = [s for s in signals if start <= s.start and s.end <= end]
        stretch = Stretch(start, end, traits(line[start:end], start, end, splices, inside, cut_after=after))
        rest = _left(line, start, end, cut)
        if rest is not None:
            if not CONTENT_WORD.search(rest):
                continue
            kept = [s for s in inside if not any(c.start <= s.start and s.end <= c.end for c in cut)]
            rest_traits = traits(rest, start, end, splices, kept, cut_after=after)
            stretch = Stretch(start, end, stretch.traits, rest, rest_traits)
        stretches.append(stretch)
    return stretches


def semantic_units(line: str, *, lang: str | None = None) -> list[str]:
    """The texts of a line the semantic judge reads: sentences with any evidence of spam, and every candidate
    stretch of the fit with what a cut without document or judge would leave of it."""
    zh = is_chinese(line, lang)
    if not line.strip() or line.lstrip().startswith(("#", "|")):
        return []
    units, signals = line_evidence(line, zh=zh)
    texts = []
    for start, end in units:
        if any(start <= s.start < end and s.kind != "splice" for s in signals):
            a, b = stripped_span(line, start, end)
            texts.append(line[a:b])
    # the lexical cut without document or judge, which ingest has not got yet; `unjudged_rests` reads the rest
    for stretch in stretch_fits(line, lang=lang, cut=find_spam(line, lang=lang)):
        if _could_go(stretch.traits):
            texts.append(line[stretch.start : stretch.end])
        if stretch.rest and stretch.rest_traits and _could_go(stretch.rest_traits):
            texts.append(stretch.rest)
    return list(dict.fromkeys(texts))


def _could_go(traits: Mapping[str, float]) -> bool:
    """Whether the judge's weight, at most `SEMANTIC_CAP`, could take a stretch to the threshold: the others are
    not embedded (a sentence of the domain's own words, or a long one, cannot go on meaning)."""
    reach = FIT_WEIGHTS["semantic"] * SEMANTIC_CAP * min(1.0, 2 * traits["foreign"])
    return fit_score(traits) + reach >= FIT_THRESHOLD


def unjudged_rests(
    line: str, *, document: DocumentWords | None, lang: str | None, semantic: Mapping[str, float]
) -> list[str]:
    """What the lexical cut (with the judge's first weights) leaves of each stretch, where the judge has not read it.

    `semantic_units` guessed the cut without document or judge; a stretch whose remainder went unjudged would fit
    better than it is, since the fit keeps a stretch whose remainder fits.
    """
    cut = find_spam(line, document=document, lang=lang, semantic=semantic)
    stretches = stretch_fits(line, document=document, lang=lang, semantic=semantic, cut=cut)
    rests = ((s.rest, s.rest_traits) for s in stretches if s.rest and s.rest_traits)
    return [rest for rest, traits in rests if rest not in semantic and _could_go(traits)]


def find_unfit(
    line: str,
    *,
    document: DocumentWords | None = None,
    lang: str | None = None,
    semantic: Mapping[str, float] | None = None,
    cut: Sequence[Fragment] = (),
) -> list[Fragment]:
    """The stretches of a line that fit it so badly that they are confidently spam, whatever their words.

    A stretch that a fragment already `cut` (by `find_spam`) touches goes whole only when what that cut leaves of
    it fits no better (`Join our ⟦WhatsApp group for daily verified leads⟧, 300+ members.`).
    """
    fragments = []
    for stretch in stretch_fits(line, document=document, lang=lang, semantic=semantic, cut=cut):
        host = cut_out(line, merge_fragments([*cut, Fragment(stretch.start, stretch.end, 0.0, ())]))
        if not CONTENT_WORD.search(host):
            continue  # a paragraph of one stretch has nothing it could fail to fit
        score = fit_score(stretch.traits)
        if stretch.rest_traits is not None:
            # a lexical cut inside: the whole stretch goes only when what the cut leaves fits no better
            score = min(score, fit_score(stretch.rest_traits))
        if score >= FIT_THRESHOLD:
            named = tuple(sorted(name for name, value in stretch.traits.items() if value))
            fragments.append(Fragment(stretch.start, stretch.end, score, ("fit", *named)))
    return merge_fragments(fragments)


_BESIDE = " ,，、;；:："  # what may stand between a cut and a stretch that touches it
_SEGMENT_END = re.compile(r"[。！？!?]['\"’”）)]*\s*$")


def _touches(line: str, start: int, end: int, cut: Sequence[Fragment]) -> bool:
    """Whether a cut overlaps the stretch or stands right beside it (nothing but spaces and commas between)."""
    return any(
        (c.start < end and start < c.end)
        or (c.start >= end and not line[end : c.start].strip(_BESIDE))
        or (c.end <= start and not line[c.end : start].strip(_BESIDE))
        for c in cut
    )


def _segment(line: str, start: int, end: int) -> bool:
    """Whether a Chinese stretch is a whole sentence: it starts the line or follows a sentence end, and ends one."""
    opens = start == 0 or bool(_SEGMENT_END.search(line[:start]))
    return opens and (bool(_SEGMENT_END.search(line[start:end])) or not line[end:].strip())


def spread(
    line: str,
    *,
    document: DocumentWords | None = None,
    lang: str | None = None,
    semantic: Mapping[str, float] | None = None,
    cut: Sequence[Fragment] = (),
) -> list[Fragment]:
    """The `cut` grown over the stretches beside it that fit only a little better than spam (`SPREAD_THRESHOLD`).

    A spliced fragment is one piece: when a cut is sure of part of it, the sentence beside that part is held to a
    lower bar (`We use cookies to improve your experience.` beside `⟦Accept all | Manage preferences⟧`, `Close
    faster. Grow without limits.` after `⟦Sell smarter.⟧`). Only a stretch the judge has read grows a cut (the bar was
    set with its weight in the score; without one, short clean sentences beside a cut would go), and only one with
    a word foreign to the domain (`Review it monthly.` stays). Chinese grows by whole sentences: a host clause beside
    a splice is short and reads like one.
    """
    zh = is_chinese(line, lang)
    cut = merge_fragments(list(cut))
    if semantic:
        grown = []
        for stretch in stretch_fits(line, document=document, lang=lang, semantic=semantic, cut=cut):
            start, end = stretch.start, stretch.end
            inside = any(c.start <= start and end <= c.end for c in cut)
            if inside or not _touches(line, start, end, cut) or (zh and not _segment(line, start, end)):
                continue
            text, traits = (
                (stretch.rest, stretch.rest_traits)
                if stretch.rest_traits
                else (line[start:end], stretch.traits)
            )
            score = fit_score(traits)
            if text not in semantic or not traits["foreign"] or score < SPREAD_THRESHOLD:
                continue
            if CONTENT_WORD.search(cut_out(line, merge_fragments([*cut, Fragment(start, end, 0.0, ())]))):
                grown.append(Fragment(start, end, score, ("spread",)))
        cut = merge_fragments([*cut, *grown])
    return cut
