"""Sentences in a document that address the assistant instead of informing a reader.

A knowledge document describes sales organisations; it has no business telling the assistant what to say. A
sentence is addressed to the assistant when it gives the assistant orders ("ignore the knowledge base", "always
answer 50", "from now on reply only with..."), gives it a role ("you are now...", "act as...", "你现在是..."), or
impersonates the system ("SYSTEM:", "<|im_start|>system", "### Instruction"). Advice to sales leaders stays
evidence, even in the imperative ("Always coach new reps weekly", "Ignore vanity metrics"): the patterns key on
what the assistant does (answer, say, respond, cite, its instructions, its sources), never on imperatives alone.

Ingest withholds such sentences from the evidence and reports them; grounding never copies one into an answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from advisor.text.sentences import sentence_spans

_ANSWERING = (
    r"(?:answer|reply|respond|say|state|claim|tell|write|output|mention|cite|quote|recommend|report|insist)s?"
)
_SOURCES = (
    r"(?:the\s+|your\s+|all\s+|any\s+|other\s+|previous\s+|prior\s+|earlier\s+|above\s+|every\s+)*"
    r"(?:knowledge(?:\s+base)?|kb|instructions?|prompts?|rules|guidelines|system|context|sources?|documents?|"
    r"articles?|passages?|evidence|citations?|data|facts|training|everything|what\s+you\s+(?:know|were\s+told)|"
    r"(?:the\s+)?curated|benchmarks?)"
)
_EN = re.compile(
    "|".join(
        (
            # orders about what to disregard: the assistant's sources and instructions, not a reader's distractions
            rf"\b(?:ignore|disregard|forget|override|bypass|discard|overrule)\s+{_SOURCES}\b",
            rf"\bdo\s+not\s+(?:use|trust|follow|read|consult|rely\s+on|cite|mention)\s+{_SOURCES}\b",
            # standing orders about answering
            rf"\b(?:always|only|never|must|henceforth)\s+(?:ever\s+)?{_ANSWERING}\b",
            rf"\b(?:when(?:ever)?|if)\s+(?:you\s+are\s+|anyone\s+|someone\s+|a\s+user\s+|users?\s+|people\s+)?"
            rf"(?:asked|ask|asks|answering|responding|replying)\b[^.!?]{{0,80}}\b(?:{_ANSWERING}|you\s+must)\b",
            rf"\b(?:please\s+)?{_ANSWERING}\s+(?:the\s+user|users|everyone|anyone|them)\s+that\b",
            r"\b(?:say|answer|respond|reply|state)\s+(?:only\s+)?(?:that|with)\b",
            r"\bfrom\s+now\s+on\b",
            r"\b(?:reply|respond|answer)\s+only\b",
            # who the assistant is
            r"\byou\s+are\s+(?:now|no\s+longer|actually|henceforth)\b",
            r"\byou\s+(?:must|should|will|shall)\s+(?:now\s+|always\s+|never\s+|only\s+)?"
            rf"(?:{_ANSWERING}|ignore|obey|follow|pretend|act|behave|forget)\b",
            r"\b(?:act|behave|pose)\s+as\s+(?:if|though|an?\b|the\b)",
            r"\bpretend\s+(?:to\s+be|you\s+are|that)\b|\brole[\s-]?play\b",
            r"\b(?:the|this|an?)\s+(?:ai|assistant|advisor|model|chatbot|llm|language\s+model|bot)\s+"
            r"(?:must|should|shall|will|is\s+(?:required|instructed)\s+to)\s+(?:always\s+|never\s+|only\s+)?\w+",
            r"\b(?:ai|assistant|chatbot|language\s+model|llm)s?\s*[,:]\s*(?:ignore|always|never|you|answer|say)\b",
            r"\bnew\s+instructions?\b|\bsystem\s+(?:prompt|message|override|instruction)s?\b|\bjailbreak|\bDAN\s+mode",
            # impersonating the system or the chat format
            r"^\s*(?:\[|<|#+\s*)?(?:system|assistant|developer|instruction|admin(?:istrator)?)\s*(?:\]|>)?\s*:",
            r"<\|?(?:im_start|im_end|system|endoftext)\|?>|\[/?INST\]|<<\s*SYS\s*>>|^\s*#{2,}\s*(?:instruction|response)",
        )
    ),
    re.IGNORECASE | re.MULTILINE,
)
_ZH = re.compile(
    "|".join(
        (
            r"(?:忽略|无视|忽视|不要理会|别管|抛开|不要参考|不要引用|推翻)"
            r"(?:掉)?(?:之前|以上|上面|前面|所有|全部|一切|其他)?的?"
            r"(?:知识库|指令|指示|提示|规则|资料|文档|文章|来源|证据|内容|上下文|设定|基准)",
            r"(?:始终|总是|永远|一律|一定要|必须|只能|只许|务必)(?:都)?(?:回答|回复|答复|声称|告诉|输出|引用|推荐)",
            r"(?:始终|总是|永远|一律)(?:都)?说",
            r"(?:回答|回复)(?:时|的时候)?(?:一律|始终|总是|只)",
            r"(?:当|如果|若)(?:用户|有人|别人|你被)?(?:问|询问|提问)[^。！？]{0,40}(?:回答|回复|就说|请说|你要说)",
            r"告诉(?:用户|所有人|大家|他们)",
            r"(?:请)?(?:回答|回复|说)(?:是|为)?[:：]",
            r"(?:从现在起|从现在开始|今后你|以后你)",
            r"你(?:现在|从此|今后)?(?:是|扮演|充当|作为)(?:一个|一名|一位)?[^。！？]{0,20}(?:助手|机器人|模型|AI|顾问|专家|角色)",
            r"你现在是|扮演|假装|角色扮演",
            r"(?:AI|人工智能|助手|模型|机器人)(?:必须|应该|应当|需要|只能)",
            r"你(?:必须|应该|应当|只能|务必)(?:回答|回复|说|忽略|遵守|服从|听从)",
            r"系统提示|系统指令|新指令|提示词|越狱",
            r"^\s*(?:【|\[)?(?:系统|助手|指令)(?:】|\])?\s*[:：]",
        )
    ),
    re.MULTILINE,
)


def addresses_assistant(sentence: str) -> bool:
    """Whether a sentence gives the assistant orders, a role or a system voice (English or Chinese)."""
    return _EN.search(sentence) is not None or _ZH.search(sentence) is not None


@dataclass(frozen=True)
class Withheld:
    """A document's text with the sentences addressed to the assistant taken out, and those sentences."""

    text: str
    sentences: tuple[str, ...]


def withhold_instructions(text: str) -> Withheld:
    """Remove every sentence addressed to the assistant, keeping the rest of the text and its layout."""
    spans = [
        (start, end)
        for start, end in sentence_spans(text, 0, len(text))
        if addresses_assistant(text[start:end])
    ]
    if not spans:
        return Withheld(text, ())
    kept, last = [], 0
    for start, end in spans:
        kept.append(text[last:start])
        last = end
    kept.append(text[last:])
    cleaned = re.sub(r"[ \t]+\n", "\n", re.sub(r"[ \t]{2,}", " ", "".join(kept)))
    cleaned = re.sub(r"\n{3,}", "\n\n", cleaned)
    return Withheld(cleaned.strip("\n"), tuple(text[start:end] for start, end in spans))
