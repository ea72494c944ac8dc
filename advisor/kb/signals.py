"""Evidence of spam in a line: each trait found at a position, with no judgement of how much it weighs.

Scraped, spun or exported text carries fragments inserted into real prose: contact-list and data-vendor adverts,
slogans, link anchors, keyword stuffing, phone numbers, Chinese inserted into English and English into Chinese. Each
trait is a `Signal` of one kind; `advisor.kb.spam` weighs them (`WEIGHTS`, shown in brackets; a kind counts at most
`CAPS` times) and groups them into runs:

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
- `countries` (1.0): three country names in a row (lists sold per country); `lead_in` (2.0): a Chinese anchor label
  and colon with the link text after it (`阅读全文：...`).
- `script` (2.0): a run of a script foreign to both English and Chinese (Cyrillic, Hangul, kana, Arabic...);
  `hashtag` (1.0 a tag), `handle` (1.5): `#tags` and `@handles`; `emoji` (2.0): pictographs, or pictographs
  bracketing a short stretch; `code` (2.0): a promo code (`SPRING30`); `testimonial` (2.0): a quote signed with a
  name, or star ratings.
- `chrome` (2.0): the furniture of a web page's template (`© 2024 Acme Ltd`, `All rights reserved`, cookie notices,
  `Share on Facebook`, `Next post:`, newsletter sign-ups, 版权所有, ICP备, 分享到).
- `genre` (1.0 a term): the genres of web spam that have nothing to do with selling (casinos, loans, crypto trading,
  diets, bought followers, degrees, dating, `earn $300 a day`, 彩金, 贷款, 日赚, 涨粉, 代写, 学区房).
- A title-case run ends where the host's next sentence starts (`PROSE_START`: `...Any Country Fast Split the team`,
  `...Lying To You Those deals`), and the English sentence is split there, since a spliced headline has no full stop.
- `script` also marks a Latin-script language other than English (Spanish, German, French, Vietnamese...): a run of
  three or more words holding none of English's function words, at least two of them (and a third of the run) another
  language's function words (`FOREIGN_FUNCTION_WORDS`) or words with accented letters (`compre ahora la mejor base
  de datos`); a name or a quoted word (`São Paulo`, `"jetzt"`) is too short a run to count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from advisor.text.lang import CJK_PUNCT, EN_MAX_SHARE, HAN, ZH_SHARE, han_share
from advisor.text.tokens import EN_STOPWORDS, tokenize

# Between two Chinese characters (or Chinese punctuation): a space that no Chinese writer types.
SPLICE = re.compile(rf"(?<=[{HAN}{CJK_PUNCT}])[ \t\u00a0]+(?=[{HAN}{CJK_PUNCT}])")
_CLAUSE_END = re.compile(r"[，,、；;：:。！？!?]")
SENTENCE_END = re.compile(r"[。！？]|[.!?](?=\s|$)")
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
        r"|\S+\s+[|｜]\s+\S+|(?<![一二三四五六七八九十百])十大|最值得",
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
    # the furniture of a web page's template: copyright lines, cookie notices, share buttons, post navigation,
    # newsletter sign-ups; a page's own text never needs them
    "chrome": re.compile(
        rf"©(?:\s*\d{{4}}(?:[-–]\d{{4}})?)?(?:\s*[{HAN}]+|(?:\s+[A-Z][\w&.-]*){{0,4}})|"
        r"\b(?:copyright|all rights reserved|privacy policy|terms of (?:use|service)|uses cookies|cookie (?:policy|"
        r"settings|preferences)|accept all|manage preferences|share (?:this (?:article|post|page)|(?:on|to) "
        r"(?:facebook|twitter|linkedin|whatsapp))|sign up for our|subscribe to our|newsletter)\b"
        r"|\b(?:previous|next|related) (?:posts?|articles?)\s*:"
        r"|版权所有|保留所有权利|ICP备|使用cookie|分享到|上一篇|下一篇|相关阅读|订阅我们|公众号",
        re.IGNORECASE,
    ),
    # the genres of web spam that have nothing to do with selling: gambling, loans, crypto trading, diets, bought
    # followers, degrees, dating, pay-for-nothing jobs, streaming
    "genre": re.compile(
        r"\b(?:casino|free spins|no deposit|jackpot|betting|loans?|no credit check|payday|bitcoin|ethereum|crypto|"
        r"presale|belly fat|lose \d+ ?(?:kg|lbs|pounds)|keto|weight loss|followers|likes|accredited|diploma|"
        r"(?:mba|degree) online|singles|dating|hookup|work from home|from your (?:phone|sofa|couch)|"
        r"(?:earn|make) \$?\d[\d,]*\s*(?:a|per) (?:day|week|hour)|make money online|passive income|stream(?:ing)? "
        r"(?:anything|every|live)|vpn)\b"
        r"|彩金|返水|娱乐城|博彩|下注|借款|贷款|放款|征信|无抵押|秒批|比特币|币圈|合约|跟单|带单|翻倍|稳赚|日赚|日结|"
        r"月入|躺赚|兼职|刷单|瘦\S{0,3}斤|减肥|不反弹|涨粉|活粉|点赞|文凭|学历|包过|代写|查重|交友|单身|约会|直播|"
        r"首付|楼盘|现房|学区房|一刀999|即玩|传奇",
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
WORD = re.compile(r"\w+")
# Latin letters beyond English's (Spanish, German, French, Vietnamese...), and the commonest function words of the
# languages written in Latin script, leaving out those English writes too (a, as, do, per, die, van...)
_ACCENTED = "\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff"
_LATIN_WORDS = re.compile(
    rf"[A-Za-z{_ACCENTED}]+(?:['’-][A-Za-z{_ACCENTED}]+)*(?:\s+[A-Za-z{_ACCENTED}]+(?:['’-][A-Za-z{_ACCENTED}]+)*)*"
)
_ACCENT = re.compile(f"[{_ACCENTED}]")
FOREIGN_FUNCTION_WORDS = frozenset(
    """el los las del al y que por para una unos unas es su sus muy pero como ahora mejor este esta
    os das dos em uma não com mais seu sua le les des du et est pour avec sur pas vous nous dans aux cette qui
    il gli della delle di che sono non der das und ist nicht mit für auf ein eine einen zu von dem sich auch oder
    wir jetzt sofort het een niet voor zijn yang dan untuk dengan ini itu dari tidak ada ngay mua cho""".split()  # noqa: SIM905
)
# English words a foreign run stops at, besides the stop words: the adverbs guidance closes a clause with
_EN_EDGE = EN_STOPWORDS | frozenset(
    "never always often rarely then still even merely already instead rather".split()  # noqa: SIM905
)
# the start of a sentence in prose after a title-case run: a capitalised determiner or pronoun followed by lower case,
# or a capitalised verb followed by its object's determiner or by three lower-case words (no conjunction or
# preposition first: a headline inside a sentence runs on into its host's `or the...`)
_DETERMINERS = "the|a|an|this|that|these|those|your|our|their|each|every|it|they|we"
PROSE_START = re.compile(
    rf"(?<=\S)\s+(?=(?:(?:{_DETERMINERS.title()}|A|An)\s+[a-z]|[A-Z][a-z]+\s+(?:{_DETERMINERS})\s"
    r"|[A-Z][a-z]+\s+(?!(?:or|and|but|while|so|to|for|of|in|on|at|with|from|by)\s)(?:[a-z][a-z'’-]*\s+){2}[a-z]))"
)
_REPEAT_CHARS = 4  # a Chinese phrase repeats within this many characters
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
    return scripts + _latin_languages(line) + _host_switches(line, zh=zh)


def _latin_languages(line: str) -> list[Signal]:
    """Runs of a Latin-script language other than English (`compre ahora la mejor base de datos`): words with none
    of English's function words, two or more of them another language's function words or accented letters."""
    signals = []
    for run in _LATIN_WORDS.finditer(line):
        words = list(re.finditer(r"\S+", run.group()))
        pieces: list[list[re.Match[str]]] = [[]]
        for (
            word
        ) in words:  # an English function word splits the run: the host's words are never in the insert
            if word.group().lower() in _EN_EDGE:
                pieces.append([])
            else:
                pieces[-1].append(word)
        for piece in pieces:
            marked = [
                w for w in piece if w.group().lower() in FOREIGN_FUNCTION_WORDS or _ACCENT.search(w.group())
            ]
            if len(piece) >= 3 and len(marked) >= 2 and len(marked) >= 0.3 * len(piece):
                start, end = run.start() + piece[0].start(), run.start() + piece[-1].end()
                signals.append(Signal(start, end, "script", line[start:end].lower()))
    return signals


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
            for m in WORD.finditer(line)
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
                if (len(gap) <= _REPEAT_CHARS) if zh else (len(WORD.findall(gap)) <= 2):
                    chain.append(place)
                    continue
            if len(chain) >= 3:
                signals += [Signal(start, end, "stuffing", term) for start, end in chain]
            if place is not None:
                chain = [place]
    return signals


def _headline(line: str, signal: Signal) -> Signal:
    """A title-case run cut back to where the host's next sentence starts, when a headline was spliced in without a
    full stop (`...Any Country Fast⟧ Split the team`, `...Lying To You⟧ Those deals show`)."""
    prose = PROSE_START.search(line, signal.start)
    if prose is None or prose.start() >= signal.end:
        return signal
    return Signal(signal.start, prose.start(), "title", line[signal.start : prose.start()].lower())


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
    found = [s for kind in _PATTERNS for s in _found(kind, line)]
    found = [_headline(line, s) if s.kind == "title" else s for s in found]
    found = [s for s in found if s.kind != "title" or (s.end > s.start and _titled(line, s))]
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


def cut_units(line: str, *, zh: bool) -> list[tuple[int, int]]:
    """What a cut may grow to: sentences in English; clause pieces between punctuation or splice points in Chinese."""
    pattern = re.compile(rf"{_CLAUSE_END.pattern}|{SPLICE.pattern}") if zh else SENTENCE_END
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
        # a headline spliced in without a full stop ends a sentence of its own where the host's next one starts
        breaks = {s.end for s in signals if s.kind == "title" and PROSE_START.match(line, s.end)}
        units = [piece for unit in units for piece in _split(unit, breaks)]
        signals = sorted(signals + _title_sentences(line, units), key=lambda s: (s.start, s.end))
    return units, signals


def _split(unit: tuple[int, int], breaks: set[int]) -> list[tuple[int, int]]:
    inside = sorted(b for b in breaks if unit[0] < b < unit[1])
    bounds = [unit[0], *inside, unit[1]]
    return list(zip(bounds, bounds[1:], strict=False))


def stripped_span(line: str, start: int, end: int) -> tuple[int, int]:
    text = line[start:end]
    return start + len(text) - len(text.lstrip()), start + len(text.rstrip())
