"""Test doubles for the runner: an evidence-echoing responder with switchable faults, a naive advisor, a term retriever."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from doubles import Responder, ScriptedChatModel
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage

from advisor.chat.answer import Answer
from advisor.chat.evidence import EvidencePack, passage_evidence
from advisor.chat.org_context import OrgContext
from advisor.kb.passage import Passage
from advisor.prompts import render_prompt
from advisor.text.lang import detect_lang
from advisor.text.sentences import citation_ids
from advisor.text.tokens import key_terms, overlap

MINI_SUITES = Path(__file__).resolve().parent / "fixtures" / "suites"

PASSAGES = [
    Passage("onboarding-en#0", "onboarding-en", "Onboarding and turnover", "Why onboarding matters", "en",
            "Companies with inadequate onboarding see 14.2% turnover, against an average of 7.9%. A structured "
            "onboarding programme shortens the ramp time of new sales reps.", ("onboarding",)),
    Passage("span-en#0", "span-en", "Span of control", "How many reps per manager", "en",
            "The average span of control in sales is 8.5 reps per manager. Spans above 10 leave too little "
            "coaching time for each rep.", ("span_of_control",)),
    Passage("sdr-en#0", "sdr-en", "SDR attrition", "Benchmarks", "en",
            "SDR attrition was 34% in 2015 and 30% in 2017 according to The Bridge Group. Burnout and unclear "
            "career paths drive SDRs to leave.", ("turnover", "sdr")),
    Passage("onboarding-zh#0", "onboarding-zh", "入职培训与离职", "为什么入职培训重要", "zh",
            "入职培训不足的企业离职率为14.2%，而平均水平为7.9%。系统的入职培训能缩短新销售的爬坡时间。",
            ("onboarding",)),
    Passage("span-zh#0", "span-zh", "管理幅度", "每位经理管理多少人", "zh",
            "销售经理的平均管理幅度为8.5人。超过10人时，经理难以辅导每一位销售。", ("span_of_control",)),
]  # fmt: skip

FAULTS = ("invent_number", "cite_missing", "wrong_language")
_ITEM = re.compile(r"^\[(S\d+|M:[a-z_]+)\] [^:：\n]*[:：]\s*(.+)$", re.MULTILINE)


class TermRetriever:
    """Passages sharing terms with the query, scored by the share of query terms they hold (the `search` API)."""

    def __init__(self, passages: Sequence[Passage] = PASSAGES) -> None:
        self.passages = list(passages)

    def search(self, query: str, *, k: int | None = None, lang: str | None = None, mode: str = "hybrid",
               **_: Any) -> list[Passage]:  # fmt: skip
        """Best-first passages in `lang` (any when None); keyword mode scores the text only."""
        terms = key_terms(query)
        scored = []
        for passage in self.passages:
            text = passage.text if mode == "keyword" else f"{passage.title} {passage.section} {passage.text}"
            score = overlap(terms, text)
            if score >= 0.2 and (lang is None or passage.lang == lang):
                scored.append(Passage(**{**passage.__dict__, "score": round(score, 3)}))  # type: ignore[arg-type]
        return sorted(scored, key=lambda p: -p.score)[: k or 4]


def _first_sentence(text: str) -> str:
    return re.split(r"(?<=[.。])\s*", text.strip())[0].rstrip(".。")


def evidence_echo(faults: frozenset[str] = frozenset()) -> Responder:
    """A responder that answers from the evidence in its prompt: the first sentence of the first two items, cited.

    `faults` switch on one kind of misbehaviour each: `invent_number` adds a sentence with a number nobody gave it,
    `cite_missing` cites [S9], which the prompt never had, `wrong_language` answers in the other language.
    """

    def reply(messages: list[BaseMessage]) -> str:
        prompt = str(messages[-1].content)
        zh = "证据" in prompt
        items = _ITEM.findall(prompt)
        if not items:  # nothing to go on: answers from "memory", as a small model would
            return "The capital of Australia is Canberra, a planned city."
        end = "。" if zh else "."
        sentences = [f"{_first_sentence(text)} [{cid}]{end}" for cid, text in items[:2]]
        if "invent_number" in faults:
            sentences.append(
                "约有73.4%的销售团队遇到同样的问题[S1]。"
                if zh
                else "About 73.4% of sales teams see this [S1]."
            )
        if "cite_missing" in faults:
            sentences.append(
                "领导者应每季度复盘一次[S9]。" if zh else "Leaders should review this every quarter [S9]."
            )
        if "wrong_language" in faults:
            sentences = (["Review the team's numbers every month [S1]."] if zh
                         else ["请每个月检查团队的指标[S1]。", "这很重要[S1]。"])  # fmt: skip
        return ("" if zh else " ").join(sentences)

    return reply


def echo_model(faults: frozenset[str] = frozenset()) -> ScriptedChatModel:
    """The scripted chat model answering with `evidence_echo`."""
    return ScriptedChatModel(responder=evidence_echo(faults))


class NaiveAdvisor:
    """A deliberately weak pipeline: retrieve, prompt, and return the model's text as it is, with no grounding.

    With `scope_check=False` it also answers questions nothing in the knowledge base is about.
    """

    def __init__(self, *, retriever: Any, chat_model: BaseChatModel, scope_check: bool = True) -> None:
        self.retriever = retriever
        self.chat_model = chat_model
        self.scope_check = scope_check

    def ask(
        self, question: str, *, conversation_id: str | None = None, org: OrgContext | None = None
    ) -> Answer:
        """Answer without checking anything the model wrote."""
        lang = detect_lang(question)
        passages = self.retriever.search(question, k=4, lang=lang)
        metrics = org.evidence_for(question, lang=lang) if org else []
        pack = EvidencePack(tuple(metrics + passage_evidence(passages, query=question, max_chars=400)))
        if self.scope_check and not len(pack):
            text = render_prompt(f"answer/refusal.{lang}.j2", reason="low_relevance")
            return Answer(
                answer=text, refused=True, refusal_reason="low_relevance", language=lang, path="refused"
            )
        user = render_prompt(f"answer/user.{lang}.j2", evidence=list(pack), question=question)
        reply = self.chat_model.invoke([SystemMessage(render_prompt("answer/system.j2")), HumanMessage(user)])
        text = str(reply.content)
        return Answer(
            answer=text, citations=pack.citations(citation_ids(text)), language=lang, path="generated"
        )
