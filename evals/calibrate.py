"""Fit the spam judge's probe (`advisor.kb.coherence`) on the `dev` split of the labelled corpus.

`python -m evals.calibrate --write` fits, per language, a logistic regression on unit sentence embeddings of the
configured model and saves it to `JUDGE_FILE`. Spam is every labelled fragment of `dev` (`tests/fixtures/spam/en.yaml`,
`zh.yaml`); guidance is every clean sentence of `dev` and every sentence and listed question of the bundled knowledge
base, with, for Chinese, every run of clauses that ends a sentence (the fit judges those stretches too; without them
the probe took any short Chinese clause for spam). The fit is deterministic (Newton's method from zero), so a rerun on
the same corpus and model gives the same probe; `tests/evals/test_calibrate.py` checks that the shipped one is it.

What the probe's log-odds weigh in the cutter (`advisor.kb.coherence.SCALES`) was chosen on `dev` alone; see
`advisor.kb.fit` for the figures.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import yaml

from advisor.bundled import JUDGE_FILE, KNOWLEDGE_DIR
from advisor.kb.coherence import Probe, SemanticJudge
from advisor.kb.load import load_document
from advisor.text.lang import HAN, detect_lang, han_count
from advisor.text.sentences import sentence_units
from evals.ingest import parse_marked

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "spam"
PROBE_L2 = 0.3
_MARKED = re.compile("⟦.*?⟧")
_CONTENT = re.compile(rf"[{HAN}]|\w")
_ZH_CLAUSE = re.compile(r"[，,、；;：:]")


def logistic(features: np.ndarray, labels: np.ndarray, *, l2: float) -> tuple[np.ndarray, float]:
    """L2-regularised logistic regression with balanced classes, by Newton's method: (weights, bias)."""
    x = np.hstack([np.asarray(features, dtype=np.float64), np.ones((len(features), 1))])
    y = np.asarray(labels, dtype=np.float64)
    positives = y.sum()
    share = np.where(y == 1, len(y) / (2 * positives), len(y) / (2 * (len(y) - positives)))
    penalty = np.full(x.shape[1], l2)
    penalty[-1] = 0.0  # the intercept is not shrunk
    theta = np.zeros(x.shape[1])
    for _ in range(100):
        p = 1 / (1 + np.exp(-(x @ theta)))
        gradient = x.T @ (share * (p - y)) + penalty * theta
        hessian = (x * (share * p * (1 - p))[:, None]).T @ x + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hessian, gradient)
        theta -= step
        if np.abs(step).max() < 1e-10:
            break
    return theta[:-1], float(theta[-1])


def dev_cases(corpus: Path = CORPUS) -> list[dict[str, str]]:
    """The `dev` paragraphs of the labelled corpus (English and Chinese)."""
    rows = []
    for name in ("en.yaml", "zh.yaml"):
        rows += [
            r for r in yaml.safe_load((corpus / name).read_text(encoding="utf-8")) if r["split"] == "dev"
        ]
    return [{"text": str(r["question"]), "lang": str(r["lang"])} for r in rows]


def _sentences(text: str) -> list[str]:
    """Prose sentences of a text, and for Chinese every run of clauses that ends one: the fit judges those too."""
    texts = []
    for unit in (u.strip() for u in sentence_units(text)):
        if _CONTENT.search(unit):
            texts.append(unit)
            if detect_lang(unit) == "zh":
                texts += [
                    unit[m.end() :].strip()
                    for m in _ZH_CLAUSE.finditer(unit)
                    if han_count(unit[m.end() :]) >= 4
                ]
    return texts


def guidance_sentences() -> list[str]:
    """Every prose sentence and listed question of the bundled knowledge base: what guidance reads like."""
    texts = []
    for path in sorted(KNOWLEDGE_DIR.rglob("*.md")):
        document = load_document(path)
        texts += [str(q) for q in document.meta.get("questions") or ()]
        for line in document.text.splitlines():
            if line.strip() and not line.lstrip().startswith(("#", "|")):
                texts += _sentences(line.lstrip("-*0123456789. "))
    return texts


def probe_corpus(cases: Iterable[dict[str, str]]) -> tuple[list[str], list[int]]:
    """Texts and labels (1 spam) the probe is fitted on: dev's fragments and clean sentences, then the guidance."""
    texts, labels = [], []
    for case in cases:
        raw, spans = parse_marked(case["text"])
        fragments = [raw[a:b].strip() for a, b in spans]
        clean = _sentences(_MARKED.sub(" ", case["text"]))
        texts += fragments + clean
        labels += [1] * len(fragments) + [0] * len(clean)
    guidance = guidance_sentences()
    return texts + guidance, labels + [0] * len(guidance)


def fit_probe(judge: SemanticJudge, cases: Sequence[dict[str, str]]) -> Probe:
    """The judge's probe, one logistic regression per language, fitted on `probe_corpus` in `judge`'s model."""
    texts, labels = probe_corpus(cases)
    unique = list(dict.fromkeys(texts))
    vectors = dict(zip(unique, judge.embed(unique), strict=True))
    weights, bias = {}, {}
    for lang in ("en", "zh"):
        mine = [(t, y) for t, y in zip(texts, labels, strict=True) if detect_lang(t) == lang]
        features = np.stack([vectors[t] for t, _ in mine])
        weights[lang], bias[lang] = logistic(features, np.array([y for _, y in mine]), l2=PROBE_L2)
    return Probe(judge.model, weights, bias)


def main(argv: Sequence[str] | None = None) -> None:
    """Fit the probe on the configured embedding model and print it (saved with `--write`)."""
    from advisor.config import load_settings
    from advisor.models import get_embedder

    parser = argparse.ArgumentParser(prog="python -m evals.calibrate", description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help=f"save the probe to {JUDGE_FILE}")
    args = parser.parse_args(argv)
    settings = load_settings()
    cases = dev_cases()
    judge = SemanticJudge(get_embedder(settings), model=settings.embedding_model)
    probe = fit_probe(judge, cases)
    if args.write:
        probe.save(JUDGE_FILE)
    sizes = {lang: int(w.size) for lang, w in probe.weights.items()}
    print(
        f"probe for {probe.model}: weights {sizes}, bias {probe.bias}{'' if args.write else ' (not written)'}"
    )


if __name__ == "__main__":
    main()
