"""Weigh the evidence of spam in a line, group it into runs and cut the runs that score high enough.

The signals (`advisor.kb.signals`) each carry a weight (`WEIGHTS`; a kind counts at most `CAPS` times); two signals
beside each other in context weigh differently from each alone, so they are scored together as a run:

- `caution` (-1.0): the guidance frame (`advisor.kb.advice`): the run's sentence judges or advises about what its
  words name, in its clauses or the one after them (`Buying a lead list rarely pays back`, `名单上的手机号很快过时`),
  and makes no offer; never for numbers, links, names, other scripts or repetition, which have no grammar to advise
  in. The judge adds nothing to such a sentence.
- `topic` (-1.0 / +0.3): coherence with the document: a run whose words mostly recur elsewhere in the document
  (outside other spam) is on topic (`Never buy a contact list ... purchased lists`); one sharing none is off topic.
- `semantic` (with a `judge`): the probe's scaled log-odds that a sentence is spam (`advisor.kb.coherence`), added to
  the best weak run in it; the sentence goes when both together
  reach the threshold and that run spans `JUDGED_SHARE` of it (evidence in a corner of a long sentence is a splice
  into the host, not the host's meaning).

Signals closer than `WORD_GAP` content words (English) or `CHAR_GAP` characters (Chinese) form one run; a run scoring
at least `THRESHOLD` is cut. A cut grows to its whole sentence (English) or clause piece (Chinese) when what would be
left of it is a scrap (at most `SCRAP_WORDS` content words or `SCRAP_CHARS` characters); a weak run (`NEIGHBOUR`)
right beside a cut is cut with it, since spam comes in clusters; a Chinese clause piece is cut from a splice point as
far as evidence runs (whole when it is shaped like a headline). Headings and table rows are never cut.

The fit pass (`advisor.kb.fit`) then judges whole stretches on traits that need no vocabulary; the corpus, its
splits and the measured precision and recall are documented there.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from advisor.kb.advice import advises
from advisor.kb.fragments import Fragment, merge_fragments
from advisor.kb.signals import (
    CONTENT_WORD,
    PROSE_START,
    SENTENCE_END,
    WORD,
    Signal,
    is_chinese,
    line_evidence,
    stripped_span,
)
from advisor.text.lang import HAN
from advisor.text.tokens import EN_STOPWORDS

THRESHOLD = 2.0
NEIGHBOUR = 1.0
WORD_GAP = 3
CHAR_GAP = 4
SCRAP_WORDS = 2
SCRAP_CHARS = 4
ON_TOPIC_SHARE = 0.5
JUDGED_SHARE = 0.3
_WORDY = ("contact", "advert", "anchor", "genre")
_EXACT = ("phone", "country_code", "link", "splice")
_NAMED = (
    "phone",
    "link",
    "anchor",
    "title",
    "handle",
    "code",
    "switch",
    "switch_latin",
    "script",
    "country_code",
    "stuffing",
    "chrome",
    "countries",
)  # never in a warning: numbers, links, names and repetition have no grammar to advise in
WEIGHTS = {
    "phone": 3.0,
    "country_code": 1.5,
    "link": 1.5,
    "switch": 2.0,
    "switch_latin": 1.5,
    "contact": 0.7,
    "advert": 0.7,
    "vendor": 0.7,
    "countries": 1.0,
    "lead_in": 2.0,
    "anchor": 1.5,
    "title": 1.0,
    "stuffing": 1.5,
    "exclaim": 0.7,
    "splice": 1.0,
    "on_topic": -1.0,
    "off_topic": 0.3,
    "caution": -1.0,
    "script": 2.0,
    "hashtag": 1.0,
    "handle": 1.5,
    "emoji": 2.0,
    "code": 2.0,
    "testimonial": 2.0,
    "chrome": 2.0,
    "genre": 1.0,
}
CAPS = {
    "contact": 3,
    "advert": 3,
    "vendor": 1,
    "anchor": 2,
    "title": 1,
    "stuffing": 1,
    "exclaim": 1,
    "link": 2,
    "hashtag": 3,
    "chrome": 1,
    "genre": 3,
}
_CLAUSE_MARK = re.compile(r"[，,、；;：:]")
_CLAUSE_END = re.compile(rf"{_CLAUSE_MARK.pattern}|{SENTENCE_END.pattern}")
_DASH_TITLE = re.compile(r"\S\s*(?:——|—|–)\s*\S")
_SCRAP_UNIT = re.compile(rf"[{HAN}]|[A-Za-z0-9]+")


class DocumentWords:
    """The document a line belongs to, lower-cased once, with word counts memoised (topic fit asks many times)."""

    def __init__(self, text: str) -> None:
        self.text = text.lower()
        self._counts: dict[str, int] = {}

    def count(self, word: str) -> int:
        """Occurrences of a (lower-case) word or phrase in the document."""
        if word not in self._counts:
            self._counts[word] = self.text.count(word)
        return self._counts[word]

    def __repr__(self) -> str:
        return f"DocumentWords({len(self.text)} chars)"


@dataclass(frozen=True)
class LineContext:
    """Where a line's evidence is judged: its document, and the line itself with every run of evidence blanked."""

    document: DocumentWords | None
    line: str
    rest: str

    def recurs(self, word: str) -> bool:
        """Whether a word occurs in the document outside this line's runs of evidence."""
        return self.occurrences(word) > 0

    def occurrences(self, word: str) -> int:
        """How often a word occurs in the document outside this line's runs of evidence."""
        if self.document is None:
            return self.rest.count(word)
        return self.document.count(word) - self.line.count(word) + self.rest.count(word)

    def without(self, start: int, end: int) -> LineContext:
        """This context with one more stretch of the line blanked (the fragment being judged)."""
        return LineContext(self.document, self.line, _blank(self.rest, start, end))


def _blank(text: str, start: int, end: int) -> str:
    return text[:start] + " " * (end - start) + text[end:]


def _bounds(line: str, start: int, end: int, bound: re.Pattern[str]) -> tuple[int, int]:
    """From the bound before `start` to the bound after `end` (sentence ends or clause marks)."""
    before = [m.end() for m in bound.finditer(line, 0, start)]
    after = bound.search(line, end)
    return (before[-1] if before else 0), (after.end() if after else len(line))


def _named(line: str, start: int, end: int) -> str:
    """The clauses holding the evidence and the one after them in their sentence: where a judgement of what the
    evidence names stands (`名单上的手机号很快过时`, `扫二维码加微信得到的联系人，要在三天内跟进`)."""
    first, last = _bounds(line, start, end, _CLAUSE_END)
    if last < len(line) and not SENTENCE_END.match(line, last - 1):
        last = _bounds(line, last, last, _CLAUSE_END)[1]
    return line[first:last]


def _topic_weight(signals: list[Signal], context: LineContext) -> tuple[float, str]:
    """Coherence with the document: negative when the run's sentence advises about what its words name (`Never buy a
    contact list...`, `购买名单之前...`; `advisor.kb.advice`) or when most of its words recur elsewhere in the document (outside other
    runs of evidence), small and positive when none do (numbers and structure are not words, so they are not judged)."""
    words = {s.term for s in signals if s.kind in _WORDY}
    if not words:
        return 0.0, ""
    start, end = min(s.start for s in signals), max(s.end for s in signals)
    first, last = _bounds(context.line, start, end, SENTENCE_END)
    named = _named(context.line, start, end)
    if not any(s.kind in _NAMED for s in signals) and advises(context.line[first:last], about=named):
        return WEIGHTS["caution"], "caution"
    if context.document is None:
        return 0.0, ""
    recurring = sum(context.recurs(word) for word in words) / len(words)
    if recurring >= ON_TOPIC_SHARE:
        return WEIGHTS["on_topic"], "on_topic"
    return (WEIGHTS["off_topic"], "off_topic") if recurring == 0 else (0.0, "")


def score_signals(signals: list[Signal], context: LineContext) -> tuple[float, tuple[str, ...]]:
    terms: dict[str, set[str]] = {}
    for signal in signals:
        terms.setdefault(signal.kind, set()).add(signal.term)
    score = sum(WEIGHTS[kind] * min(len(found), CAPS.get(kind, 9)) for kind, found in terms.items())
    weight, label = _topic_weight(signals, context)
    kinds = tuple(sorted(terms)) + ((label,) if label else ())
    return score + weight, kinds


def _close(gap: str, *, zh: bool) -> bool:
    """Whether two signals this far apart belong to one insertion (no sentence end between, few words)."""
    if zh:
        return len(_SCRAP_UNIT.findall(gap)) <= CHAR_GAP and not re.search("[。！？；;]", gap)
    words = [w for w in WORD.findall(gap) if w.lower() not in EN_STOPWORDS]
    return len(words) <= WORD_GAP and not SENTENCE_END.search(gap)


def _runs(line: str, signals: list[Signal], *, zh: bool) -> list[list[Signal]]:
    """Signals grouped into runs of neighbours (an insert in another script has its own edges: no clause mark joins
    it to the host's words; nor does a headline's end join the sentence starting after it)."""
    runs: list[list[Signal]] = []
    for signal in signals:
        if runs:
            last = max(s.end for s in runs[-1])
            gap = line[last : signal.start] if signal.start > last else ""
            foreign = signal.kind == "script" or any(s.kind == "script" for s in runs[-1])
            # a headline spliced in without a full stop ends where the host's next sentence starts
            headline = any(s.kind == "title" and s.end == last for s in runs[-1]) and PROSE_START.match(
                line, last
            )
            if _close(gap, zh=zh) and not (foreign and _CLAUSE_MARK.search(gap)) and not headline:
                runs[-1].append(signal)
                continue
        runs.append([signal])
    return runs


def _scrap(text: str, *, zh: bool) -> bool:
    """Whether what a cut would leave of a unit is too little to be prose of its own."""
    if zh:
        return len(_SCRAP_UNIT.findall(text)) <= SCRAP_CHARS
    return len([w for w in CONTENT_WORD.findall(text) if w.lower() not in EN_STOPWORDS]) <= SCRAP_WORDS


def _grow(line: str, start: int, end: int, units: list[tuple[int, int]], *, zh: bool) -> tuple[int, int]:
    """Grow a cut to the edges of the units it touches where the rest on that side is a scrap."""
    first = next((u for u in units if u[0] <= start < u[1]), (start, end))
    last = next((u for u in units if u[0] < end <= u[1]), (start, end))
    if _scrap(line[first[0] : start] + " " + line[end : last[1]], zh=zh):
        return first[0], last[1]
    if _scrap(line[first[0] : start], zh=zh) and (zh or not line[first[0] : start].strip()):
        start = first[0]
    if zh and _scrap(line[end : last[1]], zh=zh):
        end = last[1]
    return start, end


def _reached(line: str, signals: list[Signal], edge: int, *, forward: bool) -> list[Signal]:
    """The evidence that runs from a splice edge into its piece, each signal close to the last."""
    reached: list[Signal] = []
    for signal in sorted(signals, key=lambda s: s.start, reverse=not forward):
        gap = line[edge : signal.start] if forward else line[signal.end : edge]
        if not _close(gap, zh=True):
            break
        reached.append(signal)
        edge = signal.end if forward else signal.start
    return reached


def _spliced_pieces(
    line: str, signals: list[Signal], units: list[tuple[int, int]], context: LineContext
) -> list[Fragment]:
    """Chinese clause pieces that splice residue marks as inserted, from the splice as far as evidence runs.

    One splice point marks one edge of one insertion, so it counts for only one of the two pieces it joins: the one
    with more evidence running from the splice in words and shape (numbers and links have exact extents and are cut
    on their own; on a tie, the piece before it, since an anchor keeps the space that followed its link). A piece
    shaped like a headline (`打破神话——...`) is taken whole; a piece with no evidence by the splice is a weak
    candidate, taken whole only beside a cut.
    """
    fuzzy = [s for s in signals if s.kind not in _EXACT]
    pieces = []
    for splice in (s for s in signals if s.kind == "splice"):
        sides = []
        for start, end in units:
            before = end in (splice.start, splice.end)
            if not before and start != splice.end:
                continue
            inside = [s for s in fuzzy if start <= s.start and s.end <= end]
            headline = bool(_DASH_TITLE.search(line[start:end]))
            reached = (
                []
                if headline
                else _reached(line, inside, splice.start if before else start, forward=not before)
            )
            score, kinds = score_signals(inside if headline else reached, context.without(start, end))
            if headline and "title" not in kinds:
                score, kinds = score + WEIGHTS["title"], (*kinds, "title")
            if reached:
                start, end = (
                    (min(s.start for s in reached), end) if before else (start, max(s.end for s in reached))
                )
            sides.append(Fragment(start, end, max(score, 0.0) + WEIGHTS["splice"], (*kinds, "splice")))
        if sides:
            pieces.append(max(sides, key=lambda f: (f.score, -f.start)))
    return pieces


def find_spam(
    line: str,
    *,
    document: DocumentWords | None = None,
    lang: str | None = None,
    semantic: Mapping[str, float] | None = None,
) -> list[Fragment]:
    """The fragments of one line (paragraph) that are confidently out of place, in order, not overlapping.

    `document` holds the whole text the line belongs to (for topic fit); `lang` is the document's language;
    `semantic` maps sentence texts (`semantic_units`) to the weight a semantic judge gave them.
    """
    zh = is_chinese(line, lang)
    units, signals = line_evidence(line, zh=zh)
    runs = _runs(line, signals, zh=zh)
    # topic fit looks past the runs that are spam on their evidence alone, whose words say nothing of the topic
    rest = line.lower()
    for run in runs:
        start, end = min(s.start for s in run), max(s.end for s in run)
        if score_signals(run, LineContext(None, "", ""))[0] >= THRESHOLD:
            rest = _blank(rest, start, end)
    context = LineContext(document, line.lower(), rest)
    candidates = []
    for run in runs:
        start, end = min(s.start for s in run), max(s.end for s in run)
        score, kinds = score_signals(run, context.without(start, end))
        candidates.append(Fragment(start, end, score, kinds))
    if zh:
        candidates += _spliced_pieces(line, signals, units, context)
    judged = []
    for unit in units if semantic else ():
        start, end = stripped_span(line, *unit)
        weight = semantic.get(line[start:end]) if semantic else None
        inside = [c for c in candidates if start <= c.start and c.end <= end]
        best = max(inside, key=lambda c: c.score, default=None)
        if (
            weight is not None
            and best is not None
            and best.score < THRESHOLD
            and "caution" not in best.kinds
            and best.end - best.start >= JUDGED_SHARE * (end - start)
        ):
            # weak evidence over much of a sentence that reads like an advert (and does not advise about it): the
            # sentence goes; evidence in a corner of a long sentence is a splice into the host, not the host's meaning
            judged.append(Fragment(start, end, best.score + weight, (*best.kinds, "semantic")))
    cut = [
        Fragment(*_grow(line, c.start, c.end, units, zh=zh), c.score, c.kinds)
        for c in candidates
        if c.score >= THRESHOLD
    ]
    cut += [fragment for fragment in judged if fragment.score >= THRESHOLD]
    # spam comes in clusters: weaker evidence right beside a cut is part of the same insertion
    weak = [c for c in candidates if NEIGHBOUR <= c.score < THRESHOLD]
    while True:
        merged = merge_fragments(cut)
        beside = [w for w in weak if any(_near(line, w, f, zh=zh) for f in merged)]
        if not beside:
            return merged
        weak = [w for w in weak if w not in beside]
        cut = merged + [
            Fragment(*_grow(line, w.start, w.end, units, zh=zh), w.score, w.kinds) for w in beside
        ]


def _near(line: str, a: Fragment, b: Fragment, *, zh: bool) -> bool:
    if a.start < b.end and b.start < a.end:
        return False  # a cut inside a weak candidate says nothing about the rest of it
    gap = line[a.end : b.start] if a.end <= b.start else line[b.end : a.start]
    if zh:
        return len(_SCRAP_UNIT.findall(gap)) <= 1 and not re.search("[。！？]", gap)
    return not WORD.search(gap) and not SENTENCE_END.search(gap)
