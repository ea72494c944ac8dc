"""Hybrid query latency at 1k, 10k and 100k chunks against a raw Chroma query, measured in the same run.

Builds a synthetic store per size (random normalised 384-d vectors; English and Chinese texts drawn from a fixed
vocabulary; 50 chunks per document; topics and languages as metadata) in a throwaway ADVISOR_HOME, builds its keyword
index, then times `KnowledgeRetriever.search_by_vector` (dense + keyword + fusion + cross-lingual mapping + relevance,
query embedding excluded) and the baseline: `collection.query` for the same vector and k (documents and metadata
included, as a retriever needs them). The query embedding with the real model is timed separately.
Target: hybrid p50 under 20 ms at 100k chunks. Adding 100k vectors to Chroma takes about 85 s here.

    .venv/bin/python bench/retrieval.py [--sizes 1000,10000,100000] [--queries 200]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path
from statistics import quantiles

import numpy as np

REPO = Path(__file__).resolve().parents[1]
DIM = 384
PER_DOC = 50
TOPICS = ["turnover", "quota", "span", "ramp", "territory", "burnout", "capacity", "pipeline"]
# word lists read better as prose
EN_WORDS = (  # noqa: SIM905
    "rep reps quota pipeline coverage territory manager coaching ramp tenure turnover attrition burnout hiring "
    "account executive development inside field channel segment forecast capacity attainment bookings revenue "
    "onboarding training career path commission plan span control ratio benchmark leads meetings calls "
    "enterprise midmarket renewal expansion churn discount cycle deal stage win loss review weekly monthly"
).split()
ZH_WORDS = (  # noqa: SIM905
    "销售 代表 配额 管道 区域 经理 辅导 爬坡 任期 流失 倦怠 招聘 "
    "客户 内部 外勤 渠道 预测 产能 达成 收入 入职 培训 晋升 佣金"
).split()


def percentile(values: list[float], q: int) -> float:
    """The q-th percentile (1..99) of a list of values."""
    return quantiles(values, n=100)[q - 1]


def synthetic(n: int, rng: random.Random) -> tuple[list[str], list[str], list[dict[str, object]]]:
    """Ids, texts and metadata of n chunks, half English and half Chinese, paired as translations."""
    ids, texts, metas = [], [], []
    for i in range(n):
        doc = i // PER_DOC
        lang = "en" if doc % 2 == 0 else "zh"
        words = EN_WORDS if lang == "en" else ZH_WORDS
        text = (" " if lang == "en" else "").join(rng.choices(words, k=60 if lang == "en" else 90))
        ids.append(f"c{i:06d}")
        texts.append(text)
        metas.append(
            {
                "doc_id": f"doc{doc:05d}-{lang}",
                "title": f"Document {doc}",
                "section": f"Section {(i % PER_DOC) // 10}",
                "lang": lang,
                "translation_of": f"doc{doc + 1 if lang == 'en' else doc - 1:05d}-{'zh' if lang == 'en' else 'en'}",
                "topics": rng.sample(TOPICS, 2),
                "ordinal": i % PER_DOC,
                "section_index": (i % PER_DOC) // 10,
                "start": 0,
                "end": len(text),
            }
        )
    return ids, texts, metas


def run_size(n: int, queries: int, root: Path) -> dict[str, float]:
    """Build a store of n chunks and time hybrid and raw Chroma queries on it."""
    from advisor.config import load_settings
    from advisor.kb import store
    from advisor.kb.keyword import fresh_index
    from advisor.kb.retriever import KnowledgeRetriever

    rng = random.Random(42)
    np_rng = np.random.default_rng(42)
    settings = load_settings(home=root / f"home-{n}")
    ids, texts, metas = synthetic(n, rng)
    vectors = np_rng.standard_normal((n, DIM)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    coll = store.collection(settings)
    started = time.perf_counter()
    step = 5000
    for at in range(0, n, step):
        coll.add(
            ids=ids[at : at + step],
            embeddings=vectors[at : at + step],
            documents=texts[at : at + step],
            metadatas=metas[at : at + step],  # type: ignore[arg-type]
        )
    add_s = time.perf_counter() - started
    started = time.perf_counter()
    fresh_index(settings, coll)
    build_s = time.perf_counter() - started
    retriever = KnowledgeRetriever(settings=settings, k=5)
    started = time.perf_counter()
    retriever.search_by_vector("warm up", vectors[0], k=5)  # loads the saved index once
    load_s = time.perf_counter() - started

    hybrid, raw = [], []
    for _ in range(queries):
        words = EN_WORDS if rng.random() < 0.5 else ZH_WORDS
        query = " ".join(rng.choices(words, k=rng.randint(3, 6)))
        vector = np_rng.standard_normal(DIM).astype(np.float32)
        vector /= np.linalg.norm(vector)
        started = time.perf_counter()
        retriever.search_by_vector(query, vector, k=5)
        hybrid.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        coll.query(query_embeddings=[vector], n_results=5)
        raw.append((time.perf_counter() - started) * 1000)
    return {
        "add_s": add_s,
        "build_s": build_s,
        "load_s": load_s,
        "hybrid_p50": percentile(hybrid, 50),
        "hybrid_p95": percentile(hybrid, 95),
        "raw_p50": percentile(raw, 50),
        "raw_p95": percentile(raw, 95),
    }


def query_embedding_ms(samples: int) -> tuple[float, float]:
    """p50 and p95 of embedding one question with the real model (excluded from the figures above)."""
    from advisor.config import load_settings
    from advisor.models import get_embedder

    embedder = get_embedder(load_settings())
    embedder.encode(["warm up"])
    times = []
    for i in range(samples):
        started = time.perf_counter()
        embedder.encode([f"How many reps should manager {i} coach each week?"])
        times.append((time.perf_counter() - started) * 1000)
    return percentile(times, 50), percentile(times, 95)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="Comma-separated corpus sizes.")
    parser.add_argument("--queries", type=int, default=200, help="Queries timed per size.")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="advisor-bench-retrieval-"))
    os.environ["ADVISOR_HOME"] = str(root / "home")
    print(
        "| chunks | add to Chroma (s) | keyword index build (s) | index load (s) | hybrid p50 / p95 (ms) "
        "| raw Chroma p50 / p95 (ms) | hybrid / raw (p50) |"
    )
    print("|---|---|---|---|---|---|---|")
    for size in (int(s) for s in args.sizes.split(",")):
        r = run_size(size, args.queries, root)
        print(
            f"| {size:,} | {r['add_s']:.1f} | {r['build_s']:.1f} | {r['load_s']:.2f} "
            f"| {r['hybrid_p50']:.1f} / {r['hybrid_p95']:.1f} | {r['raw_p50']:.1f} / {r['raw_p95']:.1f} "
            f"| {r['hybrid_p50'] / r['raw_p50']:.1f}x |",
            flush=True,
        )
    p50, p95 = query_embedding_ms(50)
    print(f"\nquery embedding (all-MiniLM-L6-v2, one question): p50 {p50:.1f} ms, p95 {p95:.1f} ms")
    shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    sys.exit(main())
