"""How well a stretch of text fits its paragraph: the semantic judge and the vocabulary-free fit score of the spam cutter.

Semantic judge. The embedding model places a sentence near others of the same kind, whatever its words: `Join our
WhatsApp group for daily verified leads` lands beside `cheap B2B leads database for sale` although the two share one
word. The judge embeds each sentence that has some evidence of spam or the shape of an advert
(`advisor.kb.spam.semantic_units`, so most prose is never embedded), in one batch per document, and compares it with
two small sets of prototypes written for this purpose: adverts, anchors and data-vendor copy, and plain
sales-management guidance. Its weight for a sentence is

    SCALE * (max similarity to a spam prototype - max similarity to a guidance prototype - OFFSET)

rounded to 3 decimals (so a vector differing in the last float bits cannot flip a cut), which `find_spam` adds to the
sentence's lexical score and the fit score below takes as its `semantic` trait. SCALE and OFFSET were calibrated on
the `dev` split of the labelled corpus (see `advisor.kb.spam` for the measured figures). The bundled model is
English-only: on Chinese its margin separated spam from guidance far worse (AUC 0.77 against 0.94 in English) and
added nothing on `dev`, so `ZH_SCALE` is 0 and Chinese text is not embedded at all.

Fit score. The vocabulary lists of `advisor.kb.spam` know the adverts they were written from; a new advert (`Sell
more, stress less`, `多卖货，少操心`) shares none of their words. The fit score judges a candidate stretch (an English
sentence; a Chinese piece between sentence ends and splice points, or the clauses that end one) by traits that need
no list, each a number (`fit_features`):

- `unterminated` (2.4): the line goes on after the stretch but the stretch ends with no punctuation at all: it breaks
  off its host, as a splice does (`...记录 在其他事情之前...`);
- `label` (3.0): a short label and colon lead a stretch that never ends as a sentence (`See also: ...`, `下一篇：...`);
- `splice` (0.8 an edge): a splice point (a space between Chinese characters) at its edge;
- `exclaim` (0.8), `slogan` (0.7: two or more short parallel clauses, `Sell more, stress less`, `多卖货，少操心`);
- `foreign` (1.3): the share of its words (Chinese: character bigrams) found neither in the bundled knowledge base
  (`domain_terms`, the vocabulary of sales guidance) nor three times elsewhere in the document;
- `evidence` (0.3): the lexical score of the structural signals inside it (numbers, links, language switches,
  title shape, repetition, exclamation; not the vocabulary lists);
- `semantic` (5.2): the judge's weight, when there is a judge (English);
- `length` (-3.9 per 10 English words or 20 Chinese characters): inserted fragments are short; host prose is not.

The weights are a logistic regression fitted on every candidate stretch of the `dev` split, a stretch counting as
spam when 90% of its content is labelled spam; `FIT_BIAS` is its intercept and `FIT_THRESHOLD` the score above every
clean stretch of `dev`, so the fit cuts only what is confidently out of place.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any

from langchain_core.embeddings import Embeddings

from advisor.bundled import KNOWLEDGE_DIR
from advisor.text.lang import HAN
from advisor.text.tokens import content_terms

SCALE = 4.0
ZH_SCALE = 0.0
OFFSET = 0.05

SPAM_PROTOTYPES = (
    "buy verified phone number lists",
    "cheap B2B leads database for sale",
    "join our WhatsApp group for leads",
    "click here to read more",
    "limited offer, order now at the lowest price",
    "our data covers millions of contacts",
    "download the free guide now",
    "grow your business today!",
    "email list provider, instant delivery",
    "购买手机号码名单",
    "出售客户数据库",
    "点击这里了解更多",
    "限时优惠，立即抢购",
    "加微信领取免费资料",
    "我们的数据覆盖全国企业",
)
GUIDANCE_PROTOTYPES = (
    "managers should coach each rep every week",
    "set quotas from the capacity of ramped reps",
    "career paths help retain sales people",
    "the account executive owns the deal after the first meeting",
    "track pipeline coverage and win rates",
    "经理应当每周辅导销售代表",
    "根据团队产能设定配额",
    "清晰的职业道路能留住销售人才",
)


class SemanticJudge:
    """Weights sentences by how much closer they sit to spam prototypes than to guidance prototypes."""

    def __init__(self, embeddings: Embeddings) -> None:
        self.embeddings = embeddings
        self._prototypes: tuple[Any, Any] | None = None

    def __repr__(self) -> str:
        return f"SemanticJudge({self.embeddings!r})"

    def _vectors(self) -> tuple[Any, Any]:
        if self._prototypes is None:
            self._prototypes = (self._embed(SPAM_PROTOTYPES), self._embed(GUIDANCE_PROTOTYPES))
        return self._prototypes

    def _embed(self, texts: Sequence[str]) -> Any:
        import numpy as np

        vectors = np.asarray(self.embeddings.embed_documents(list(texts)), dtype=np.float32)
        return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)

    def weights(self, texts: Iterable[str], *, lang: str) -> dict[str, float]:
        """The semantic weight of each distinct text, embedded in one batch."""
        scale = ZH_SCALE if lang == "zh" else SCALE
        unique = list(dict.fromkeys(texts))
        if not unique or not scale:
            return {}
        spam, guidance = self._vectors()
        vectors = self._embed(unique)
        margin = (vectors @ spam.T).max(axis=1) - (vectors @ guidance.T).max(axis=1)
        return {text: round(float(scale * (m - OFFSET)), 3) for text, m in zip(unique, margin, strict=True)}


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
}
FIT_BIAS = -0.3
FIT_THRESHOLD = 1.0

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
        "semantic": semantic or 0.0,
        "length": (len(_HAN_CHAR.findall(text)) / 20) if zh else (len(_EN_WORDS.findall(text)) / 10),
    }


def fit_score(features: Mapping[str, float]) -> float:
    """How confidently a stretch is out of place: the weighted sum of its traits (cut at `FIT_THRESHOLD`)."""
    return round(FIT_BIAS + sum(FIT_WEIGHTS[name] * value for name, value in features.items()), 3)
