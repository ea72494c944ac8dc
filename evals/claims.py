"""The `claim` eval kind: a labelled drafted sentence, grounded against its evidence exactly as an answer is.

A case's `question` is a sentence a capable model might write (with its citation markers), `evidence` the items it
may cite (`S1`, `S2`... in order, or `[M:metric_id] text` for a metric) and `label` whether the evidence supports
it, does not say it, or contradicts it (`tests/fixtures/claims/`). The sentence goes through `Grounder.feed` with
the real embedder; it is kept when it survives as written (kept or attached, not rewritten from the evidence).
Scores: `faithful_kept` (supported sentences kept), `wrong_rejected` (the others rejected), `verdict_match` (the
claim check's verdict equals the label) and, over the suite, `rejection_precision`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from advisor.chat.claims import check_claims
from advisor.chat.evidence import Evidence, EvidencePack
from advisor.chat.grounding import Grounder
from advisor.text.sentences import split_sentences

if TYPE_CHECKING:
    from evals.cases import Case, Suite
    from evals.harness import Harness
    from evals.results import CaseResult

_METRIC = re.compile(r"^\[(M:[a-z0-9_]+)\]\s*")


def evidence_pack(texts: tuple[str, ...], *, lang: str) -> EvidencePack:
    """The case's evidence as the advisor would hold it: passages `S1`.. and metrics by their own id."""
    items = []
    for text in texts:
        metric = _METRIC.match(text)
        if metric:
            items.append(
                Evidence(metric.group(1), "metric", text[metric.end() :], "org:metrics", "", "", lang)
            )
        else:
            sid = f"S{sum(item.kind == 'passage' for item in items) + 1}"
            items.append(Evidence(sid, "passage", text, "claims-fixture", "", "", lang))
    return EvidencePack(tuple(items))


def run_claim(case: Case, *, suite: Suite, harness: Harness, result: CaseResult) -> None:
    """Ground the drafted sentence against its evidence and score the outcome against the label."""
    pack = evidence_pack(case.evidence, lang=case.lang)
    grounder = Grounder(pack, lang=case.lang, embedder=harness.embedder)
    sentences = split_sentences(case.prompt)  # a draft of two sentences ("…；…") stands when both do
    kept = [grounder.feed(sentence) for sentence in sentences]
    survived = all(k is not None and k.action != "rewritten" for k in kept)
    verdicts = []
    for sentence in sentences:
        cited = [item.text for item in pack if item.id in sentence.cited] or pack.texts()
        verdicts.append(check_claims(sentence.text, cited, lang=case.lang, embedder=harness.embedder))
    verdict = next((v for v in verdicts if not v.supported), verdicts[0])
    faithful = case.label == "supported"
    result.answer = " ".join(k.text for k in kept if k)
    result.scores["faithful_kept"] = (1.0 if survived else 0.0) if faithful else None
    result.scores["wrong_rejected"] = None if faithful else (0.0 if survived else 1.0)
    result.scores["verdict_match"] = 1.0 if verdict.verdict == case.label else 0.0
    dropped = grounder.result.dropped
    outcome = (
        f"{'kept' if survived else 'rejected'} ({dropped[0].reason})"
        if dropped
        else ("kept" if survived else "rewritten")
    )
    result.details["claim_check"] = [
        f"label {case.label}",
        f"verdict {verdict.verdict} {verdict.reason}".strip(),
        outcome,
    ]
