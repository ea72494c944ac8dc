"""What ships inside the package: the curated knowledge base, its benchmarks, every prompt and the spam probe."""

from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).resolve().parent

KNOWLEDGE_DIR = _HERE / "knowledge"
BENCHMARKS_FILE = KNOWLEDGE_DIR / "benchmarks.yaml"
PROMPTS_DIR = _HERE / "prompts"
# the spam judge's probe (`advisor.kb.coherence`), fitted by `evals.calibrate`
JUDGE_FILE = _HERE / "spam-judge.npz"
