"""The advisor's answer pipeline on the embedded defaults, against raw llama.cpp and a plain LangChain chain.

For 20 English questions (evals/suites/answers.yaml), in one run:
- the advisor's time to first verified text (the first `TextEvent`: a composed unit or a grounded sentence) and its
  total time, p50/p95 (target: first verified text under 1 s warm), against a plain LCEL chain's time to first
  token and total time on the same question (its text is unverified: the baseline a user would otherwise wait for);
- when the model writes (a capable model), the advisor's time to first token, streaming rate (tokens/s between first and last token), and its own overhead
  (total time minus generation) at p50/p95;
- raw llama.cpp generation of the very same prompt (same messages, seed and max tokens, its KV cache reset, so it
  reads the whole prompt while the advisor reuses its cached system prefix): the ratio of the advisor's streaming
  rate to it (target >= 0.95) and the overhead (target p50 < 150 ms);
- a plain LCEL retrieval chain (same retriever, same model, prompt | model | StrOutputParser, no grounding): the
  latency ratio, and the share of answers with a number that traces to none of its context or a citation that
  resolves to nothing, against ours (target: ours 0%).

    .venv/bin/python bench/answer.py [--questions 20] [--out bench/results/answer.md]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]
STAGES_SKIPPED = ("total_ms", "overhead_ms", "first_token_ms", "first_text_ms", "generate_ms")


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _rate(stamps: list[float]) -> float | None:
    """Tokens per second between the first and the last token."""
    return (
        (len(stamps) - 1) / (stamps[-1] - stamps[0]) if len(stamps) > 2 and stamps[-1] > stamps[0] else None
    )


def questions(count: int) -> list[str]:
    """English in-scope questions from the answers suite."""
    cases = yaml.safe_load((REPO / "evals" / "suites" / "answers.yaml").read_text(encoding="utf-8"))["cases"]
    return [c["question"] for c in cases if c["lang"] == "en" and not c.get("must_refuse")][:count]


class _Capture:
    """Remembers the messages of the last chat-model call (a LangChain callback)."""

    def __init__(self) -> None:
        from langchain_core.callbacks import BaseCallbackHandler

        capture = self

        class Handler(BaseCallbackHandler):
            def on_chat_model_start(self, serialized: Any, messages: Any, **kwargs: Any) -> None:
                capture.messages = messages[0]

        self.handler = Handler()
        self.messages: list[Any] = []


def main() -> None:
    """Run the benchmark and print (and write) the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--questions", type=int, default=20)
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "answer.md")
    args = parser.parse_args()

    from langchain_core.output_parsers import StrOutputParser
    from langchain_core.prompts import ChatPromptTemplate

    from advisor.bundled import PROMPTS_DIR
    from advisor.chat.advisor import Advisor
    from advisor.chat.events import FinalEvent, TextEvent
    from advisor.chat.numbers import untraceable_numbers
    from advisor.config import load_settings
    from advisor.kb.ingest import ingest
    from advisor.kb.retriever import get_retriever
    from advisor.models import LlamaCppChat, get_chat_model
    from advisor.text.sentences import citation_ids

    settings = load_settings(home=Path(tempfile.mkdtemp(prefix="bench-answer-")))
    ingest(None, settings=settings)
    model = get_chat_model(settings)
    assert isinstance(model, LlamaCppChat), "the benchmark measures the embedded default (local backend)"
    capture = _Capture()
    model.callbacks = [capture.handler]
    advisor = Advisor(settings, chat_model=model)
    retriever = get_retriever(settings)
    template = (PROMPTS_DIR / "bench" / "lcel_baseline.j2").read_text(encoding="utf-8")
    chain = ChatPromptTemplate.from_messages([("human", template)]) | model | StrOutputParser()
    roles = {"human": "user", "ai": "assistant", "system": "system"}

    advisor.ask("What span of control should a first-line sales manager have?")  # warm: models, caches
    rows: list[dict[str, Any]] = []
    for question in questions(args.questions):
        capture.messages = []
        stamps: list[float] = []
        started = time.perf_counter()
        answer = None
        for event in advisor.stream(question):
            if isinstance(event, TextEvent):
                stamps.append(time.perf_counter())
            elif isinstance(event, FinalEvent):
                answer = event.answer
        ours_total = time.perf_counter() - started
        assert answer is not None
        row: dict[str, Any] = {"question": question, "ours_total": ours_total, "path": answer.path}
        row["ours_first"] = stamps[0] - started if stamps else ours_total
        row["overhead_ms"] = answer.timings["total_ms"] - answer.timings.get("generate_ms", 0.0)
        row["stages"] = {
            k: v for k, v in answer.timings.items() if k.endswith("_ms") and k not in STAGES_SKIPPED
        }
        texts = [c.text for c in answer.citations]
        row["ours_bad"] = bool(untraceable_numbers(answer.answer, texts)) or any(
            cid not in {c.id for c in answer.citations} for cid in citation_ids(answer.answer)
        )
        if capture.messages:  # the model was called: compare with raw llama.cpp on the same prompt
            row["ttft_ms"] = answer.timings.get("first_token_ms")
            row["ours_rate"] = _rate(stamps)
            raw_messages = [
                {"role": roles.get(m.type, "user"), "content": str(m.content)} for m in capture.messages
            ]
            raw_stamps = []
            model._load().reset()  # no cache hit on the prompt just evaluated: raw reads the whole prompt afresh
            raw_started = time.perf_counter()
            for _ in model.raw_completion(
                raw_messages,
                max_tokens=settings.max_tokens,
                temperature=settings.temperature,
                seed=settings.seed,
            ):
                raw_stamps.append(time.perf_counter())
            row["raw_rate"] = _rate(raw_stamps)
            row["raw_ttft_ms"] = (raw_stamps[0] - raw_started) * 1000 if raw_stamps else None
        passages = retriever.search(question, k=settings.retrieval_k, lang="en")
        context = "\n\n".join(p.text for p in passages)
        started = time.perf_counter()
        parts = []
        for part in chain.stream({"context": context, "question": question}):
            if not parts:
                row["plain_first"] = time.perf_counter() - started
            parts.append(part)
        plain = "".join(parts)
        row["plain_total"] = time.perf_counter() - started
        row.setdefault("plain_first", row["plain_total"])
        row["plain_bad"] = bool(untraceable_numbers(plain, [context])) or bool(citation_ids(plain))
        rows.append(row)

    generated = [r for r in rows if r.get("ours_rate") and r.get("raw_rate")]
    overheads = [r["overhead_ms"] for r in rows]
    ttfts = [r["ttft_ms"] for r in generated if r.get("ttft_ms")]
    raw_ttfts = [r["raw_ttft_ms"] for r in generated if r.get("raw_ttft_ms")]
    stage_names = sorted({name for r in rows for name in r["stages"]})
    stages = ", ".join(
        f"{name.removesuffix('_ms')} {_pct([r['stages'].get(name, 0.0) for r in rows], 0.5):.0f}"
        for name in stage_names
    )
    ours_rates = [r["ours_rate"] for r in generated]
    raw_rates = [r["raw_rate"] for r in generated]
    rate_ratio = (
        statistics.median(o / r for o, r in zip(ours_rates, raw_rates, strict=True)) if generated else 0.0
    )
    latency_ratio = statistics.median(r["ours_total"] / r["plain_total"] for r in rows)
    ours_bad = sum(r["ours_bad"] for r in rows) / len(rows)
    plain_bad = sum(r["plain_bad"] for r in rows) / len(rows)
    paths = {p: sum(r["path"] == p for r in rows) for p in ("generated", "extractive", "refused")}
    firsts = [r["ours_first"] * 1000 for r in rows]
    plain_firsts = [r["plain_first"] * 1000 for r in rows]
    totals = [r["ours_total"] * 1000 for r in rows]
    plain_totals = [r["plain_total"] * 1000 for r in rows]
    first_ratio = statistics.median(r["ours_first"] / r["plain_first"] for r in rows)
    lines = [
        "## Answer pipeline (bench/answer.py)",
        "",
        f"Embedded default (SmolLM2-135M Q4_1, llama.cpp; MiniLM), {len(rows)} English questions from "
        f"evals/suites/answers.yaml, max_tokens {settings.max_tokens}, seed {settings.seed}. "
        f"Paths: {paths['generated']} generated, {paths['extractive']} extractive, {paths['refused']} refused.",
        "",
        "| figure | p50 | p95 | baseline / target |",
        "| --- | --- | --- | --- |",
        f"| time to first verified text (ms) | {_pct(firsts, 0.5):.0f} | {_pct(firsts, 0.95):.0f} | plain LCEL chain's "
        f"first (unverified) token {_pct(plain_firsts, 0.5):.0f} / {_pct(plain_firsts, 0.95):.0f}; ratio "
        f"{first_ratio:.2f}; target < 1000 warm |",
        f"| total time per answer (ms) | {_pct(totals, 0.5):.0f} | {_pct(totals, 0.95):.0f} | plain LCEL chain "
        f"{_pct(plain_totals, 0.5):.0f} / {_pct(plain_totals, 0.95):.0f} |",
        f"| time to first token (ms) | {_pct(ttfts, 0.5):.0f} | {_pct(ttfts, 0.95):.0f} | raw llama.cpp same prompt "
        f"{_pct(raw_ttfts, 0.5):.0f} / {_pct(raw_ttfts, 0.95):.0f} |"
        if ttfts and raw_ttfts
        else None,
        f"| streaming rate (tokens/s) | {_pct(ours_rates, 0.5):.0f} | | raw llama.cpp same prompt "
        f"{_pct(raw_rates, 0.5):.0f} tokens/s; ratio {rate_ratio:.2f} (target >= 0.95) |"
        if generated
        else None,
        f"| pipeline overhead (ms, total - generation) | {_pct(overheads, 0.5):.0f} | {_pct(overheads, 0.95):.0f} "
        f"| target p50 < 150; stage p50s (ms): {stages} |",
        f"| latency vs plain LCEL chain (ours / plain) | {latency_ratio:.2f} | | same retriever and model, no grounding |",
        f"| answers with an untraceable number or citation | ours {ours_bad:.0%} | | plain chain {plain_bad:.0%} "
        "(target: ours 0%) |",
        "",
        f"Machine load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores.",
        "",
        "Command: `.venv/bin/python bench/answer.py`",
    ]
    report = "\n".join(line for line in lines if line is not None)
    print(report)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
