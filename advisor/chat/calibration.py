"""Calibrating grounding's support threshold and margin on labelled (sentence, passage, supports?) pairs.

Run `python -m advisor.chat.calibration [pairs.yaml]` to print, per language, precision and recall at the
configured threshold, the threshold that maximises F0.5 (precision counts double: attaching a citation that does
not support a sentence is worse than dropping a true sentence), and the gaps that justify the margin.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import yaml
from langchain_core.embeddings import Embeddings

from advisor.chat.support import MARGIN, THRESHOLDS, support_matrix

DEFAULT_PAIRS = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "grounding" / "pairs.yaml"


@dataclass(frozen=True)
class Pair:
    """One labelled judgement: does the passage support the sentence?"""

    sentence: str
    passage: str
    supports: bool
    lang: str


@dataclass(frozen=True)
class Calibration:
    """What the pairs say about one language's threshold and margin."""

    lang: str
    pairs: int
    threshold: float
    precision: float
    recall: float
    best_threshold: float
    best_f05: float
    min_gap: float
    margin: float

    def __str__(self) -> str:
        return (
            f"{self.lang}: {self.pairs} pairs; at threshold {self.threshold:.2f}: precision {self.precision:.2f}, "
            f"recall {self.recall:.2f}; best F0.5 {self.best_f05:.2f} at {self.best_threshold:.2f}; "
            f"smallest gap between a supporting passage and the best other one {self.min_gap:.2f} "
            f"(margin {self.margin:.2f})"
        )


def load_pairs(path: Path = DEFAULT_PAIRS) -> list[Pair]:
    """Read labelled pairs from YAML (`passages` by key, `pairs` referring to them)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    passages = data["passages"]
    return [
        Pair(row["sentence"], passages[row["passage"]], bool(row["supports"]), row.get("lang", "en"))
        for row in data["pairs"]
    ]


def _precision_recall(scores: list[float], labels: list[bool], threshold: float) -> tuple[float, float]:
    predicted = [s >= threshold for s in scores]
    true_pos = sum(p and y for p, y in zip(predicted, labels, strict=True))
    precision = true_pos / sum(predicted) if any(predicted) else 1.0
    recall = true_pos / sum(labels) if any(labels) else 1.0
    return precision, recall


def _f05(precision: float, recall: float) -> float:
    return 1.25 * precision * recall / (0.25 * precision + recall) if precision + recall else 0.0


def calibrate(pairs: list[Pair], *, embedder: Embeddings) -> list[Calibration]:
    """Score every pair with grounding's own support function and summarise per language."""
    results = []
    for lang in sorted({p.lang for p in pairs}):
        subset = [p for p in pairs if p.lang == lang]
        scores = [
            float(support_matrix([p.sentence], [p.passage], lang=lang, embedder=embedder)[0, 0])
            for p in subset
        ]
        labels = [p.supports for p in subset]
        precision, recall = _precision_recall(scores, labels, THRESHOLDS[lang])
        grid = [round(0.2 + 0.01 * i, 2) for i in range(71)]
        f_scores = {t: _f05(*_precision_recall(scores, labels, t)) for t in grid}
        top = [t for t in grid if f_scores[t] == max(f_scores.values())]
        best = round((top[0] + top[-1]) / 2, 2)  # the middle of the best plateau leaves room on both sides
        by_sentence: dict[str, list[tuple[float, bool]]] = defaultdict(list)
        for pair, score in zip(subset, scores, strict=True):
            by_sentence[pair.sentence].append((score, pair.supports))
        gaps = [
            max(s for s, y in group if y) - max(s for s, y in group if not y)
            for group in by_sentence.values()
            if any(y for _, y in group) and any(not y for _, y in group)
        ]
        results.append(
            Calibration(
                lang=lang,
                pairs=len(subset),
                threshold=THRESHOLDS[lang],
                precision=precision,
                recall=recall,
                best_threshold=best,
                best_f05=max(f_scores.values()),
                min_gap=min(gaps, default=0.0),
                margin=MARGIN,
            )
        )
    return results


def main(argv: list[str]) -> None:
    """Print the calibration for the pairs file given (or the bundled one)."""
    from advisor.config import get_settings
    from advisor.models import get_embedder

    path = Path(argv[0]) if argv else DEFAULT_PAIRS
    for result in calibrate(load_pairs(path), embedder=get_embedder(get_settings())):
        print(result)


if __name__ == "__main__":
    main(sys.argv[1:])
