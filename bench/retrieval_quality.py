"""Retrieval quality on the retrieval suite: hit@1, hit@5, MRR and nDCG@5 for dense, keyword and hybrid.

Ingests `knowledge/` into a throwaway ADVISOR_HOME with the real embedding model, then scores every case of
`evals/suites/retrieval.yaml` in all three modes in the same run (dense-only and keyword-only are the baselines
hybrid must beat), overall, per language and per split (tuning looked at all cases, so the test split is only
roughly held out). Scoring uses the eval suite's own definitions (`evals.scores`).

    .venv/bin/python bench/retrieval_quality.py [--split dev|test] [--chunk-size N] [--overlap N]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from statistics import mean

import yaml

REPO = Path(__file__).resolve().parents[1]
METRICS = ("hit@1", "hit@5", "mrr", "ndcg@5")


def case_scores(passages: list, gold: list[str]) -> dict[str, float]:
    """The four scores of one ranked list against a case's gold documents."""
    from evals import scores

    flags = scores.relevance(ranked=[(p.chunk_id, p.doc_id) for p in passages], gold=gold)
    ideal = scores.gold_answers(gold=gold)
    return {
        "hit@1": scores.hit_at_k(relevant=flags, k=1),
        "hit@5": scores.hit_at_k(relevant=flags, k=5),
        "mrr": scores.reciprocal_rank(relevant=flags),
        "ndcg@5": scores.ndcg_at_k(relevant=flags, k=5, ideal_hits=ideal),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=["dev", "test"], default=None, help="Only cases of this split.")
    parser.add_argument("--chunk-size", type=int, default=None)
    parser.add_argument("--overlap", type=int, default=None)
    parser.add_argument("--show-misses", action="store_true", help="Print hybrid's misses at rank 1.")
    args = parser.parse_args()

    home = Path(tempfile.mkdtemp(prefix="advisor-bench-quality-"))
    os.environ["ADVISOR_HOME"] = str(home)
    from advisor.config import load_settings
    from advisor.kb.ingest import ingest
    from advisor.kb.retriever import MODES, get_retriever

    overrides: dict[str, object] = {}
    if args.chunk_size:
        overrides["chunk_size"] = args.chunk_size
    if args.overlap is not None:
        overrides["chunk_overlap"] = args.overlap
    settings = load_settings(**overrides)
    report = ingest(settings=settings)
    print(report)
    cases = yaml.safe_load((REPO / "evals" / "suites" / "retrieval.yaml").read_text(encoding="utf-8"))[
        "cases"
    ]
    cases = [c for c in cases if c.get("in_scope", True) and (args.split is None or c["split"] == args.split)]
    retriever = get_retriever(settings)
    rows: dict[tuple[str, str], list[dict[str, float]]] = {}
    started = time.perf_counter()
    for case in cases:
        for mode in MODES:
            passages = retriever.search(case["question"], k=5, mode=mode)
            result = case_scores(passages, case["gold"])
            for group in ("all", case["lang"], case["split"]):
                rows.setdefault((mode, group), []).append(result)
            if args.show_misses and mode == "hybrid" and result["hit@1"] < 1:
                print(
                    f"  miss {case['id']} {case['question']!r} gold={case['gold'][0]} got={passages[0].doc_id}"
                )
    elapsed = time.perf_counter() - started
    print(
        f"\n{len(cases)} cases, chunk_size={settings.chunk_size}, overlap={settings.chunk_overlap}, "
        f"{report.total_chunks} chunks, {elapsed / (len(cases) * len(MODES)) * 1000:.0f} ms per search\n"
    )
    print(f"| mode | cases | n | {' | '.join(METRICS)} |")
    print("|---|---|---|" + "---|" * len(METRICS))
    for group in ("all", "en", "zh", "dev", "test"):
        for mode in MODES:
            results = rows.get((mode, group), [])
            if results:
                values = " | ".join(f"{mean(r[m] for r in results):.3f}" for m in METRICS)
                print(f"| {mode} | {group} | {len(results)} | {values} |")
    hybrid = rows[("hybrid", "all")]
    met = mean(r["hit@5"] for r in hybrid) >= 0.95 and mean(r["mrr"] for r in hybrid) >= 0.8
    print(f"\nhybrid targets (hit@5 >= 0.95, MRR >= 0.8): {'met' if met else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    sys.exit(main())
