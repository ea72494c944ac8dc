"""Find spam spliced into sentences by its evidence: numbers, links, language switches, shapes and advert words.

Scraped, spun or exported text carries fragments inserted into real prose: contact-list and data-vendor adverts,
slogans, link anchors, keyword stuffing, phone numbers, Chinese inserted into English and English into Chinese. Each
trait is a signal found at a position in the line, with a weight (`WEIGHTS`; a kind counts at most `CAPS` times):

- `phone` (3.0): a full phone number (international, national with area code, Chinese mobile, 400/800 lines);
  `country_code` (1.5): a bare `+NNN`; `link` (1.5): a URL, domain or e-mail address.
- `switch` (2.0 / 1.5): a language switch: Chinese inside English prose (not in brackets or quotes, where it is a
  gloss) or a run of lower-case English words inside Chinese prose (acronyms and names such as SDR or
  Insidesales.com do not count).
- `contact` (0.7 a term): contact-list and data-selling vocabulary (phone numbers, lists, databases, buy/sell,
  verified, messaging apps), in English and Chinese; `advert` (0.7 a term): advert and slogan words (free, lowest
  price, order now, 限时优惠); `vendor` (0.7): a count of contacts on offer (`250 Million`, `一万条`).
- `anchor` (1.5): link-anchor residue (`Read more:`, `click here`, `»`, `→`, 点击这里, 阅读全文).
- `title` (1.0): title shape: a run of capitalised words mid-sentence, `|` or `｜` separated titles, 十大/指南.
- `stuffing` (2.0): one term repeated three times or more, each time within two words (or four characters).
- `exclaim` (0.7): an exclamation mark; `splice` (1.0): a space between two Chinese characters, which no Chinese
  writer types and an inserted anchor leaves behind; a clause piece touching one is scored as one candidate.
- `topic` (-1.0 / +0.3): coherence with the document: a run whose words mostly recur elsewhere in the document
  (outside other spam) is on topic (`Never buy a contact list ... purchased lists`); one sharing none is off topic.
- `countries` (1.0): three country names in a row (lists sold per country); `lead_in` (2.0): a Chinese anchor label
  and colon with the link text after it (`阅读全文：...`).
- `semantic` (with a `judge`, English only): how much closer a sentence's embedding sits to advert prototypes than to
  guidance prototypes (`advisor.kb.coherence`), added to the best weak run in it; the sentence goes when both together
  reach the threshold.

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

from advisor.text.lang import CJK_PUNCT, EN_MAX_SHARE, HAN, ZH_SHARE, han_share
from advisor.text.tokens import EN_STOPWORDS, tokenize

THRESHOLD = 2.0
NEIGHBOUR = 1.0
WORD_GAP = 3
CHAR_GAP = 4
SCRAP_WORDS = 2
SCRAP_CHARS = 4
ON_TOPIC_SHARE = 0.5
_WORDY = ("contact", "advert", "anchor")
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
)  # never in a warning
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
}

# Between two Chinese characters (or Chinese punctuation): a space that no Chinese writer types.
SPLICE = re.compile(rf"(?<=[{HAN}{CJK_PUNCT}])[ \t\u00a0]+(?=[{HAN}{CJK_PUNCT}])")
_CLAUSE_MARK = re.compile(r"[，,、；;：:]")
_CLAUSE_END = re.compile(r"[，,、；;：:。！？!?]")
_SENTENCE_END = re.compile(r"[。！？]|[.!?](?=\s|$)")
_COUNTRIES = (
    "usa|us|uk|canada|australia|india|germany|france|spain|italy|brazil|mexico|japan|china|singapore|uae|dubai|"
    "美国|英国|加拿大|澳大利亚|澳洲|印度|德国|法国|西班牙|意大利|巴西|墨西哥|日本|新加坡|迪拜|阿联酋|黎巴嫩"
)
_ANCHOR_WORDS_ZH = "相关文章|阅读全文|阅读更多|更多详情|了解更多|推荐阅读|延伸阅读|点击阅读|立即下载"
_EMOJI = "\U0001f300-\U0001faff\u2600-\u27bf\u2b50\u2b55"
_PATTERNS: dict[str, re.Pattern[str]] = {
    "phone": re.compile(
        r"(?<![A-Za-z0-9+])\+\d{1,3}(?:[ .\-]?\(?\d{1,4}\)?){2,5}(?![\d%])"  # +44 20 7946 0000
        r"|\(?\b0\d{2,4}\)?[ .\-]\d{3,4}[ .\-]?\d{3,4}\b"  # (020) 7946 0000, 021-6234 5678
        r"|(?<!\d)1[3-9]\d{9}(?!\d)"  # a Chinese mobile number
        r"|\b[48]00[ \-]\d{3}[ \-]?\d{4}\b"  # 400-820-1234
        r"|\b1[ .\-]\d{3}[ .\-]\d{3}[ .\-]\d{4}\b"  # 1-800-555-0176
        r"|\(\d{3}\) ?\d{3}[ .\-]\d{4}\b"  # (212) 555-0143
    ),
    "country_code": re.compile(r"(?<![A-Za-z0-9+])\+\d{1,4}(?![\d.%A-Za-z])"),
    "link": re.compile(
        r"https?://\S+|\bwww\.[\w.-]+|\b[\w.+-]+@[\w-]+\.[\w.]+|\b[\w-]+\.(?:com|net|biz|cn|io|org)\b(?!\.\w)"
    ),
    "contact": re.compile(
        r"\b(?:phone|mobile|cell|telephone|telegram|whatsapp|viber|wechat|sms|country|e-?mail|contact|lead|"
        r"b2b|consumer|number|maker)\s+(?:numbers?|lists?|databases?|data|codes?|leads?|groups?)\b|"
        r"\b(?:buy(?:ing)?|purchas\w*|sell(?:ing)?|verif\w*|opt-in|databases?|whatsapp|telegram|viber|wechat|sms|"
        r"contacts|emails|leads|dial|tel|fax|hotline)\b|"
        r"电话号码|手机号码?|号码|国家代码|区号|数据库|名单|列表|购买|出售|批发|邮箱|电子邮件|加微信|微信|联系方式|"
        r"客户资料|联系人|电报|短信|群发|核验|二维码|同号|线索|数据|热线",
        re.IGNORECASE,
    ),
    "advert": re.compile(
        r"\b(?:free|cheap(?:est)?|discount|\d+% off|off our|best price|lowest price|guaranteed|order now|buy now|"
        r"call now|act fast|limited|offer|lifetime access|unlimited|unlock|instant(?:ly)?|today|now|"
        r"grow your business|number one|world's largest|trusted by|worldwide|we sell|we have|our (?:data|team|"
        r"store|contact)|sample|100%|accurate|fresh|every day|daily|bulk|for sale|provider|data deals|stock|smarter|"
        r"your success|need more leads|happy|(?:this week|today) only|(?:for|only) \$\d+)\b|"
        r"限时|优惠|最低价?|价格最低|全网|免费|领取|立即|马上|抢购|先到先得|机会有限|秒发货|发货|欢迎来电|致电|拨打|"
        r"超值|套餐|只要|财富自由|选择我们|我们的|我们全都有|终身会员|海量|随便用|精准|最新|每日更新|百分百|"
        r"准确|全国|全球最大|覆盖|商城|请联系|样本|快乐|[零一二三四五六七八九十百千万\d]+元",
        re.IGNORECASE,
    ),
    "vendor": re.compile(
        r"\b\d[\d,.]*\s*(?:million|thousand|k)?\s+(?:\w+\s+){0,2}(?:contacts|leads|emails|companies|users|"
        r"numbers|groups)\b|[\d一二两三四五六七八九十百千万亿]+(?:万|亿)?(?:条|家|个群)",
        re.IGNORECASE,
    ),
    "anchor": re.compile(
        r"\b(?:read more|learn more|click here|related (?:post|article)|visit our|download now|shop the|see more)\b|"
        r"[»→]|\(PDF\)|点击|点这里|了解更多|阅读全文|阅读更多|相关文章|更多详情|请访问|访问|下载|进入商城|》",
        re.IGNORECASE,
    ),
    "title": re.compile(
        r"(?:\b[A-Z0-9][A-Za-z0-9'’$-]*(?:\s+(?:[a-z]{1,3}\s+)?[A-Z0-9][A-Za-z0-9'’$-]*){3,})"  # Four Or More Capitalised Words
        r"|\S\s+[|｜]\s+\S|(?<![一二三四五六七八九十百])十大|最值得",
    ),
    "exclaim": re.compile(r"[!！]"),
    "hashtag": re.compile(
        rf"(?<![\w&#])#(?:[A-Za-z][A-Za-z0-9_-]*|[{HAN}A-Za-z0-9]{{1,15}}#|[{HAN}]{{2,8}}(?=\s|$))"
    ),
    "handle": re.compile(rf"(?<![\w.@])@(?:[A-Za-z][A-Za-z0-9_.]*[A-Za-z0-9_]|[{HAN}]{{2,8}}(?=\s|$))"),
    # a pictograph, or pictographs bracketing a short stretch of one sentence (`🔥🔥 Hot leads 🔥🔥`)
    "emoji": re.compile(rf"[{_EMOJI}]+(?:[^.!?。！？{_EMOJI}]{{1,60}}[{_EMOJI}]+)?"),
    "code": re.compile(r"\b(?:[A-Z]{3,}\d{1,3}|(?=[A-Z0-9]*\d)(?=[A-Z0-9]*[A-Z])[A-Z0-9]{8,})\b"),
    "testimonial": re.compile(
        rf"(?:^|(?<=[.!?。！？]\s)|(?<=[.!?。！？]))[\"“「][^\"”」]{{3,160}}[\"”」]\s*(?:[-–—]{{1,2}}|——)\s*"
        rf"(?:[A-Z][a-z]+|[{HAN}]{{1,4}})"
        r"(?:,\s*[A-Za-z][\w.]*(?:\s+[a-z][\w.]*)?)?"  # `, verified buyer`
        r"|[★☆⭐]{3,}|\b[1-5](?:\.\d)?\s*/\s*5\b|\b5[- ]stars?\b|五星好评"
    ),
    "countries": re.compile(
        rf"(?:(?:{_COUNTRIES})[\s,，、和及]*){{3,}}",
        re.IGNORECASE,
    ),
}
# an anchor label and its colon: what follows, up to the next splice or sentence end, is the link's text
_LEAD_IN = re.compile(rf"(?:{_ANCHOR_WORDS_ZH})[：:][^ 。！？]*(?=[ 。！？]|$)")
_HAN_RUN = re.compile(rf"[{HAN}][{HAN}{CJK_PUNCT}\d+ ]*[{HAN}]|[{HAN}]")
_LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z0-9'+-]*(?:\s+[A-Za-z0-9+][A-Za-z0-9'+-]*)+")
# scripts foreign to English and Chinese prose: Greek, Cyrillic, Hebrew, Arabic, Devanagari, Thai, Hangul, kana
_FOREIGN = "\u0370-\u03ff\u0400-\u052f\u0590-\u05ff\u0600-\u06ff\u0900-\u097f\u0e00-\u0e7f\u1100-\u11ff\u3040-\u30ff\u31f0-\u31ff\uac00-\ud7af"
# a run of a foreign script, with the kanji and digits a Japanese or Korean phrase mixes in
_FOREIGN_RUN = re.compile(
    rf"[{HAN}]{{0,4}}(?P<core>[{_FOREIGN}](?:[{_FOREIGN}{HAN}\d\s・ー\-]*[{_FOREIGN}])?)[{HAN}]{{0,4}}"
)
_GLOSS = re.compile(r"[(（\"“'‘「]$")
_LABEL = re.compile(
    rf"(?:(?i:\b(?:call(?: us)?|phone|tel|text|fax|hotline|whatsapp|viber|telegram|wechat))|电话|热线|致电|拨打|微信)"
    rf" ?[:：]? ?$|(?:\b[A-Z][A-Za-z]*(?: [a-z]+)?|[{HAN}]{{1,6}}) ?[:：] ?$"
)
_DASH_TITLE = re.compile(r"\S\s*(?:——|—|–)\s*\S")
_WORD = re.compile(r"\w+")
# guidance warns about buying lists and cold contact; no advert does (the line is lower-cased when this is asked)
CAUTION = re.compile(
    r"\b(?:never|avoid|illegal|legal(?:ly)?|laws?|consent|privacy|gdpr|complian\w*|comply|permission)\b"
    r"|不要|切勿|避免|注意|合法|违法|法律|法务|合规|授权|隐私|之前"
)
_SCRAP_UNIT = re.compile(rf"[{HAN}]|[A-Za-z0-9]+")
_HAN_PHRASE = re.compile(f"[{HAN}]{{4}}")
_LATIN_WORD = re.compile("[A-Za-z0-9]{2,}")
CONTENT_WORD = re.compile(rf"[A-Za-z0-9][A-Za-z0-9'’-]*|[{HAN}]")


@dataclass(frozen=True)
class Signal:
    """One piece of evidence of spam at a position in a line."""

    start: int
    end: int
    kind: str
    term: str


@dataclass(frozen=True)
class Fragment:
    """A stretch of a line judged out of place, with its score and the kinds of evidence behind it."""

    start: int
    end: int
    score: float
    kinds: tuple[str, ...]


def _found(kind: str, line: str) -> list[Signal]:
    return [Signal(m.start(), m.end(), kind, m.group().lower()) for m in _PATTERNS[kind].finditer(line)]


def _switches(line: str, *, zh: bool) -> list[Signal]:
    """A language switch: a Chinese run inside English, a run of English words inside Chinese, or any run of a script
    foreign to both (`script`); not in brackets or quotes, where it is a gloss."""
    scripts = []
    for match in _FOREIGN_RUN.finditer(line):
        start, end = match.span()
        if zh:  # in Chinese prose the Han characters at a run's edges are the host's own
            start, end = match.span("core")
        if end > start and not _GLOSS.search(line[:start]):
            scripts.append(Signal(start, end, "script", line[start:end]))
    return scripts + _host_switches(line, zh=zh)


def _host_switches(line: str, *, zh: bool) -> list[Signal]:
    if not zh:
        return [
            Signal(m.start(), m.end(), "switch", m.group())
            for m in _HAN_RUN.finditer(line)
            if not _GLOSS.search(line[: m.start()])
        ]
    runs = []
    for match in _LATIN_RUN.finditer(line):
        words = match.group().split()
        if any(w.islower() and len(w) >= 3 and w.isalpha() for w in words):
            runs.append(Signal(match.start(), match.end(), "switch_latin", match.group()))
    return runs


def _stuffing(line: str, *, zh: bool) -> list[Signal]:
    """Occurrences of a term repeated three times or more, each within a short distance of the last."""
    if zh:  # a repeated Chinese phrase (four characters) or Latin word
        spots = [(m.start(), m.end(), m.group().lower()) for m in _LATIN_WORD.finditer(line)]
        spots += [
            (i, i + 4, line[i : i + 4])
            for i in range(len(line) - 3)
            if _HAN_PHRASE.fullmatch(line[i : i + 4])
        ]
        spots.sort()
    else:
        spots = [
            (m.start(), m.end(), tokenize(m.group())[0])
            for m in _WORD.finditer(line)
            if len(m.group()) >= 3 and not m.group().isdigit() and tokenize(m.group())
        ]
    by_term: dict[str, list[tuple[int, int]]] = {}
    for start, end, term in spots:
        by_term.setdefault(term, []).append((start, end))
    signals = []
    for term, places in by_term.items():
        chain = [places[0]]
        for place in [*places[1:], None]:
            if place is not None:
                gap = line[chain[-1][1] : place[0]]
                if (len(gap) <= CHAR_GAP) if zh else (len(_WORD.findall(gap)) <= 2):
                    chain.append(place)
                    continue
            if len(chain) >= 3:
                signals += [Signal(start, end, "stuffing", term) for start, end in chain]
            if place is not None:
                chain = [place]
    return signals


def _titled(line: str, signal: Signal) -> bool:
    """A title-shape match counts when it is not title case at all (`|`, 十大) or has three capitalised words."""
    words = CONTENT_WORD.findall(line[signal.start : signal.end])
    if not words or not (words[0][0].isupper() or words[0][0].isdigit()):
        return True
    return sum(w[0].isupper() for w in words) >= 3


def _labelled(line: str, signal: Signal) -> Signal:
    """A number or link with the short label before it (`Tel:`, `Call us:`, `咨询电话：`), which means nothing alone."""
    label = _LABEL.search(line[: signal.start])
    return Signal(label.start(), signal.end, signal.kind, signal.term) if label else signal


def _signals(line: str, *, zh: bool) -> list[Signal]:
    found = [s for kind in _PATTERNS for s in _found(kind, line) if kind != "title" or _titled(line, s)]
    found = [_labelled(line, s) if s.kind in ("phone", "link") else s for s in found]
    phones = [s for s in found if s.kind == "phone"]
    found = [
        s for s in found if s.kind != "country_code" or not any(p.start <= s.start < p.end for p in phones)
    ]
    found += _switches(line, zh=zh) + _stuffing(line, zh=zh)
    if zh:
        found += [Signal(m.start(), m.end(), "splice", "") for m in SPLICE.finditer(line)]
        found += [Signal(m.start(), m.end(), "lead_in", m.group()) for m in _LEAD_IN.finditer(line)]
    return sorted(found, key=lambda s: (s.start, s.end))


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


def _topic_weight(signals: list[Signal], context: LineContext) -> tuple[float, str]:
    """Coherence with the document: negative when the run's sentence warns about what its words name (`Never buy a
    contact list...`, `购买名单之前...`) or when most of its words recur elsewhere in the document (outside other
    runs of evidence), small and positive when none do (numbers and structure are not words, so they are not judged)."""
    words = {s.term for s in signals if s.kind in _WORDY}
    if not words:
        return 0.0, ""
    start, end = min(s.start for s in signals), max(s.end for s in signals)
    before = [m.end() for m in _SENTENCE_END.finditer(context.line, 0, start)]
    after = _SENTENCE_END.search(context.line, end)
    scope = context.line[before[-1] if before else 0 : after.end() if after else None]
    if not any(s.kind in _NAMED for s in signals) and CAUTION.search(scope):
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
    words = [w for w in _WORD.findall(gap) if w.lower() not in EN_STOPWORDS]
    return len(words) <= WORD_GAP and not _SENTENCE_END.search(gap)


def _runs(line: str, signals: list[Signal], *, zh: bool) -> list[list[Signal]]:
    """Signals grouped into runs of neighbours (an insert in another script has its own edges: no clause mark joins
    it to the host's words)."""
    runs: list[list[Signal]] = []
    for signal in signals:
        if runs:
            last = max(s.end for s in runs[-1])
            gap = line[last : signal.start] if signal.start > last else ""
            foreign = signal.kind == "script" or any(s.kind == "script" for s in runs[-1])
            if _close(gap, zh=zh) and not (foreign and _CLAUSE_MARK.search(gap)):
                runs[-1].append(signal)
                continue
        runs.append([signal])
    return runs


def cut_units(line: str, *, zh: bool) -> list[tuple[int, int]]:
    """What a cut may grow to: sentences in English; clause pieces between punctuation or splice points in Chinese."""
    pattern = re.compile(rf"{_CLAUSE_END.pattern}|{SPLICE.pattern}") if zh else _SENTENCE_END
    bounds, start = [], 0
    for match in pattern.finditer(line):
        if match.end() > start:
            bounds.append((start, match.end()))
        start = match.end()
    if start < len(line):
        bounds.append((start, len(line)))
    return [(a, b) for a, b in bounds if line[a:b].strip()]


def _title_sentences(line: str, units: list[tuple[int, int]]) -> list[Signal]:
    """English sentences written in title case (most of four or more words capitalised): headlines, not prose."""
    signals = []
    for start, end in units:
        words = CONTENT_WORD.findall(line[start:end])
        capitalised = sum(w[0].isupper() for w in words)
        if capitalised >= 3 and capitalised + sum(w[0].isdigit() for w in words) >= 0.75 * len(words) >= 3:
            text = line[start:end]
            lead = len(text) - len(text.lstrip())
            signals.append(Signal(start + lead, end, "title", text.strip().lower()))
    return signals


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


def is_chinese(line: str, lang: str | None) -> bool:
    """Whether a line is Chinese prose: mostly Han, or in a Chinese document with more Han than an English quote has.

    A wholly English paragraph in a Chinese document is English prose, not a language switch.
    """
    share = han_share(line)
    return share >= ZH_SHARE or (lang == "zh" and share > EN_MAX_SHARE)


def line_evidence(line: str, *, zh: bool) -> tuple[list[tuple[int, int]], list[Signal]]:
    units = cut_units(line, zh=zh)
    signals = _signals(line, zh=zh)
    if not zh:
        signals = sorted(signals + _title_sentences(line, units), key=lambda s: (s.start, s.end))
    return units, signals


def stripped_span(line: str, start: int, end: int) -> tuple[int, int]:
    text = line[start:end]
    return start + len(text) - len(text.lstrip()), start + len(text.rstrip())


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
        if weight is not None and best is not None and best.score < THRESHOLD:
            # weak evidence in a sentence that reads like an advert: the sentence goes
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
    return not _WORD.search(gap) and not _SENTENCE_END.search(gap)


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
