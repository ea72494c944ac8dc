"""The semantic judge of the spam cutter: how much closer a sentence sits to advert prototypes than to guidance.

Semantic judge. The embedding model places a sentence near others of the same kind, whatever its words: `Join our
WhatsApp group for daily verified leads` lands beside `cheap B2B leads database for sale` although the two share one
word. The judge embeds each sentence that has some evidence of spam or the shape of an advert
(`advisor.kb.fit.semantic_units`, so most prose is never embedded), in one batch per document, and compares it with
two small sets of prototypes written for this purpose: adverts, anchors and data-vendor copy, and plain
sales-management guidance. Its weight for a sentence is

    SCALE * (max similarity to a spam prototype - max similarity to a guidance prototype - OFFSET)

rounded to 3 decimals (so a vector differing in the last float bits cannot flip a cut), which `find_spam` adds to the
sentence's lexical score and the fit score (`advisor.kb.fit`) takes as its `semantic` trait. SCALE and OFFSET were
calibrated on the `dev` split of the labelled corpus (see `advisor.kb.fit` for the measured figures). The bundled model is
English-only: on Chinese its margin separated spam from guidance far worse (AUC 0.77 against 0.94 in English) and
added nothing on `dev`, so `ZH_SCALE` is 0 and Chinese text is not embedded at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from langchain_core.embeddings import Embeddings

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
