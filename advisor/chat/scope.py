"""Is a question one the advisor should answer? Explicit patterns first, then a domain signal and retrieval relevance.

Three signals, cheapest first: patterns for requests the advisor always declines (its prompt, instructions smuggled
into the question, buying contact lists); an in-domain signal (embedding similarity to descriptions of sales
organisation design versus generic topics, or a domain term in the question; Chinese needs the term, since the
embedded model reads Chinese poorly); and the best retrieval score, which must reach `min_relevance` (a little less
when the question names the domain outright).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

import numpy as np
from langchain_core.embeddings import Embeddings

from advisor.chat.injection import looks_like_injection
from advisor.chat.support import embed
from advisor.text.lang import detect_lang

# measured on evals/suites/refusal.yaml: in-scope questions naming the trade score down to 0.29 (Chinese) while every
# out-of-scope one is stopped earlier by a pattern or the domain check
NAMED_DOMAIN_BONUS = 0.06
Reason = Literal["prompt_extraction", "contact_list", "off_topic", "low_relevance"]

_CONTACT_LIST = re.compile(
    r"(?:buy|purchase|sell\s+me|get\s+me|download|scrape|where\s+can\s+i\s+(?:buy|get))\b.{0,40}"
    r"(?:contact|email|e-mail|phone|mobile|lead|prospect|mailing)s?\s*(?:list|database|data|addresses|numbers)"
    r"|(?:contact|email|lead|prospect)\s+lists?\s+(?:to\s+buy|for\s+sale|vendor)"
    r"|(?:购买|买|出售|获取|爬取).{0,12}(?:名单|联系人|邮箱|电话号码|客户资料|线索库)"
    r"|(?:手机号|电话号码|邮箱|联系方式)(?:码)?(?:数据库|名单|清单)",
    re.IGNORECASE,
)
DOMAIN = (
    "how to structure and organise a sales team",
    "sales rep turnover, attrition and retention",
    "sales development reps (SDR) and account executives (AE), their ratio and career paths",
    "span of control: how many reps each sales manager should manage",
    "inside sales versus field sales and the sales mix",
    "sales quotas, KPIs, quota attainment and pipeline coverage",
    "onboarding, training and ramp time of new sales reps",
    "sales territories, segmentation, capacity planning and how many reps to hire",
    "SDR burnout, coaching and sales compensation",
    "sales headcount, tenure and cost of replacing a salesperson",
    "sales channel strategy: direct sales, channel partners, resellers and online",
    "marketing and sales alignment: leads, handoffs, qualified leads and shared goals",
    "customer engagement: where and how buyers and customers engage with sellers",
    "market and customer segmentation for sales coverage",
    "sales content, enablement material and messaging for buyers",
    "revenue per rep, sales efficiency and the magic number: new recurring revenue per sales and marketing spend",
)
GENERIC = (
    "the weather forecast and temperature",
    "cooking recipes and food",
    "sports scores and football matches",
    "movies, music, celebrities and television",
    "travel, holidays and flights",
    "history, geography and general trivia questions",
    "computer programming and software bugs",
    "medical symptoms and health advice",
    "stock prices, cryptocurrency and personal investing",
    "mathematics homework and puzzles",
    "writing poems, jokes and stories",
    "pets, gardening and home repair",
)
# a term of the trade in the question counts as in-domain on its own (MiniLM reads Chinese poorly)
_DOMAIN_TERMS = re.compile(
    r"\b(?:sales|sdrs?|bdrs?|account executives?|aes?|quota|attainment|turnover|attrition|churn of reps|"
    r"territor(?:y|ies)|span of control|headcount|onboarding|ramp|reps?|salespe(?:rson|ople)|pipeline|kpis?|"
    r"inside sales|field sales|retention|channel (?:strategy|partners?|sales|conflict)|partners? channel|resellers?|"
    r"go-to-market|gtm|marketing|leads|mqls?|sqls?|customer engagement|buyer journey|buying committee|"
    r"segment(?:s|ation|ing)?|enablement|sales content|prospect(?:s|ing)?|outbound|inbound|customer success|"
    r"magic number|revenue per rep|sales efficiency|cac payback)\b"
    r"|销售|离职|流失|配额|团队|管理幅度|内勤|外勤|入职|培训|区域|招聘|任期|爬坡|倦怠|留存|业绩|客户经理|编制"
    r"|提成|薪酬|激励|佣金|主管|经理|线索|漏斗|成交|拜访|人效|产能|晋升|辅导|新人|下属"
    r"|渠道|市场部|营销|市场和销售|客户|买家|细分|赋能|合作伙伴|代理商|经销商|直销|外呼|呼入|商机|赢单|管道"
    r"|魔力数字|人均收入",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ScopeDecision:
    """The verdict on one question, with the signals behind it."""

    in_scope: bool
    reason: Reason | None = None
    domain: float = 0.0
    generic: float = 0.0
    relevance: float = 0.0

    def __str__(self) -> str:
        verdict = "in scope" if self.in_scope else f"refused ({self.reason})"
        return (
            f"{verdict}: domain {self.domain:.2f}, generic {self.generic:.2f}, relevance {self.relevance:.2f}"
        )


def declined_request(question: str) -> Reason | None:
    """The reason a question is declined whatever the knowledge base holds, or None."""
    if looks_like_injection(question):
        return "prompt_extraction"
    if _CONTACT_LIST.search(question):
        return "contact_list"
    return None


def domain_signal(question: str, *, embedder: Embeddings) -> tuple[float, float]:
    """Best similarity of the question to the domain descriptions and to the generic topics."""
    vectors = embed(embedder, [question, *DOMAIN, *GENERIC])
    sims = vectors[1:] @ vectors[0]
    return float(np.max(sims[: len(DOMAIN)])), float(np.max(sims[len(DOMAIN) :]))


def decide(
    question: str, *, relevance: float, embedder: Embeddings, min_relevance: float, about_org: bool = False
) -> ScopeDecision:
    """Whether to answer, given the question and the best retrieval score of its evidence; a question the loaded
    org's metrics answer (`about_org`: it names a metric, a person, team or territory of the roster) is in scope."""
    declined = declined_request(question)
    if declined:
        return ScopeDecision(False, declined, relevance=relevance)
    if about_org:
        return ScopeDecision(True, None, relevance=relevance)
    domain, generic = domain_signal(question, embedder=embedder)
    named = _DOMAIN_TERMS.search(question) is not None
    # MiniLM's similarities on Chinese are noise, so a Chinese question must name the domain itself
    in_domain = named or (detect_lang(question) == "en" and domain > generic)
    if not in_domain:
        return ScopeDecision(False, "off_topic", domain, generic, relevance)
    # a question that names the trade needs less proof from retrieval than one that only resembles it
    floor = min_relevance - NAMED_DOMAIN_BONUS if named else min_relevance
    if relevance < floor:
        return ScopeDecision(False, "low_relevance", domain, generic, relevance)
    return ScopeDecision(True, None, domain, generic, relevance)
