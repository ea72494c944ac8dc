"""The guidance frame: whether a sentence gives advice or judgement about what it names, or offers it.

Guidance about lists, phone numbers, e-mails, data vendors and prices uses the very words a data-vendor advert uses;
what differs is the frame. Guidance judges the thing or advises about it, in a clause addressed to a sales leader
(`Buying a lead list rarely pays back`, `Contact data decays quickly`, `Check consent before you import a list`,
`购买名单获客往往得不偿失`, `名单上的手机号很快过时`); an advert offers it, with a call to action, a price, a channel to
reach the seller, a giveaway or the seller's own voice (`Get 10,000 verified leads for $99!`, `我们提供全国企业名单`).

`advises` holds when a sentence carries an advisory or evaluative marker (`ADVISORY`: a warning or the law, a
judgement of worth, cost, risk or decay, an advice modal) and none of an offer's traits (`OFFER`, a leading
`CALL_TO_ACTION`, an exclamation). The spam cutter weighs it against the evidence (`advisor.kb.spam`, `caution`) and
the fit pass takes it as a trait (`advisor.kb.fit`).
"""

from __future__ import annotations

import re

ADVISORY = re.compile(
    # warnings and the law
    r"\b(?:never|avoid|illegal|legal(?:ly)?|laws?|consent|privacy|gdpr|complian\w*|comply|permission|unsolicited)\b"
    # judgements of worth, cost, risk and decay
    r"|\b(?:rarely|seldom|pays? (?:back|off)|worth(?:while)?|waste[sd]?|wasting|costly|costs? (?:more|you)|"
    r"risk(?:s|y)?|expensive|hurts?|harms?|damages?|decays?|stale|outdated|out of date|bounce[sd]?|fails?|wrong|poor|"
    r"unreliable|inaccurate|misleading|complaints?|blocked|blacklist\w*|reputation|trust|faith|annoy\w*|backfires?|"
    r"mistakes?|unlikely|instead|rather than|sooner or later)\b"
    # advice addressed to the reader
    r"|\b(?:should|must|need(?:s)? to|make sure|before (?:you|buying|importing|sending|calling)|check(?! out)|"
    r"ask (?:the|for|whether|how)|confirm)\b"
    r"|不要|切勿|避免|注意|合法|违法|法律|法务|合规|授权|隐私|之前|骚扰|投诉|"
    r"往往|通常|很少|看似|得不偿失|不值得|值得|划算|浪费|成本|风险|代价|损害|伤害|过时|失效|空号|不准|错误|"
    r"不再|信任|反感|拉黑|应当|应该|需要|必须|要(?:在|先|把|及时|尽快)|先确认|确认|核实|评估|而不是|与其|宁可|谨慎|慎重",
    re.IGNORECASE,
)
# an offer: the seller's voice, a price, a channel to reach the seller, a giveaway
OFFER = re.compile(
    r"\b(?:we (?:sell|offer|provide|supply|deliver|guarantee|have)|our (?:data|lists?|database|leads|contacts|"
    r"services?|prices?|offer|store|products?|app)|contact us|call us|dm us|message us|for (?:just|only)|"
    r"free|(?:best|lowest) prices?|order|sign up|click|visit|discount|\d+% off|"
    r"per (?:lead|contact|record))\b"
    r"|[$€£¥]\s?\d"
    r"|我们(?:提供|出售|有|的(?:数据|名单|服务|产品))|本公司|我司|本店|请联系|联系我们|"
    r"欢迎|咨询|进群|领取|免费|包过|秒批|日结|优惠|[\d一二三四五六七八九十百千万]+元"
    # a channel is an offer when it addresses the reader (at a clause's start) or labels a contact (before a colon);
    # guidance describes one (`让客户扫码登记`)
    r"|(?:^|[，。！？；、\s]|请)(?:加微信|加[vV薇]|扫码|私信)|(?:微信|加[vV薇]|QQ|电话)[：:]",
    re.IGNORECASE,
)
# the call to action an advert opens with (guidance gives orders too, `Measure tenure...`, so alone it proves nothing)
CALL_TO_ACTION = re.compile(
    r"^\s*(?i:join|get|grab|sign up|dm|book your|don't miss|do not miss|claim|subscribe|download|follow|register|"
    r"shop|unlock|earn|order|enter|use code|text|message|visit|try|discover|win|save|apply|hurry|upgrade|scan|install|tap|"
    r"boost|start earning|click|swipe|limited)\b"
    r"|^\s*(?:立即|马上|赶紧|快来|点击|扫码|扫一扫|关注|加入|领取|下载|注册|私信|戳|添加|加我|速来|抢|限时)"
)


def advises(sentence: str, *, about: str | None = None) -> bool:
    """Whether a sentence gives advice or judgement about what it names, in the grammar of guidance, not of an offer.

    `about` is the part of the sentence that names the thing (its clauses holding the evidence; default the whole
    sentence): the judgement must be there, since an insert spliced into an advisory sentence is judged by nobody.
    """
    if not ADVISORY.search(sentence if about is None else about):
        return False
    if OFFER.search(sentence) or CALL_TO_ACTION.match(sentence):
        return False
    return "!" not in sentence and "！" not in sentence
