"""Benchmark of plan drafting: a 200-person synthetic org on the embedded defaults (MiniLM + SmolLM2 via llama.cpp).

In one run:
- model loading (embedder and chat model), reported apart;
- `draft_plan` in English, repeated, split into analysis, retrieval, generation (the model's own time), grounding
  (grounding and assembling the sections) and rendering (Markdown, HTML and PDF); target: under 30 s in total;
- baseline 1, the previous behaviour: the same plan with the model drafting every prose slot (`capable_model`),
  and the ratio of the plan to it;
- baseline 2: raw llama.cpp generation of the very same prompts (same messages, seed and max tokens, no LangChain,
  no grounding, no retrieval, no document), and the ratio of the whole plan to it;
- the Chinese plan (templates and Chinese passages, no model) for comparison.

    .venv/bin/python bench/plan.py [--people 200] [--runs 3] [--out bench/results/plan.md]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from metrics import as_roster, synthetic_roster

REPO = Path(__file__).resolve().parents[1]
STAGES = ("analysis", "retrieval", "generation", "grounding", "rendering")


class _Prompts:
    """Records the messages of every chat-model call (a LangChain callback)."""

    def __init__(self) -> None:
        from langchain_core.callbacks import BaseCallbackHandler

        recorded: list[Any] = []

        class Handler(BaseCallbackHandler):
            def on_chat_model_start(self, serialized: Any, messages: Any, **kwargs: Any) -> None:
                recorded.append(messages[0])

        self.handler = Handler()
        self.calls = recorded


def _plan_once(roster: Any, settings: Any, lang: str) -> tuple[dict[str, float], Any]:
    """One plan's stage timings, and the plan with its output sizes per format."""
    from advisor.plan.draft import draft_plan
    from advisor.plan.render import render_plan

    plan = draft_plan(roster, settings=settings, lang=lang, goal="grow enterprise bookings 40%")
    started = time.perf_counter()
    sizes = {fmt: len(render_plan(plan, fmt)) for fmt in ("md", "html", "pdf")}
    timings = {stage: plan.timings.get(stage, 0.0) for stage in STAGES[:-1]}
    timings["rendering"] = time.perf_counter() - started
    return timings, (plan, sizes)


def _raw_generation(model: Any, calls: list[Any]) -> float:
    """Seconds for llama.cpp alone to answer the same prompts."""
    from advisor.plan.prose import SLOT_TOKENS

    roles = {"human": "user", "ai": "assistant", "system": "system"}
    started = time.perf_counter()
    for messages in calls:
        payload = [{"role": roles.get(m.type, "user"), "content": str(m.content)} for m in messages]
        for _ in model.raw_completion(
            payload, max_tokens=SLOT_TOKENS, temperature=model.temperature, seed=model.seed
        ):
            pass
    return time.perf_counter() - started


def main() -> None:
    """Run the benchmark, print the figures and write them to the results file."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--home", type=Path, default=None, help="ADVISOR_HOME to use (default: a temporary one)."
    )
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "plan.md")
    args = parser.parse_args()

    from advisor.config import load_settings
    from advisor.kb.ingest import ingest
    from advisor.models import get_chat_model, get_embedder

    home = args.home or Path(tempfile.mkdtemp(prefix="bench-plan-"))
    settings = load_settings(home=home)
    ingest(None, settings=settings)
    roster = as_roster(synthetic_roster(args.people))

    started = time.perf_counter()
    get_embedder(settings).encode(["warm up"])
    model = get_chat_model(settings)
    model.invoke("Hi", max_tokens=1)
    load_seconds = time.perf_counter() - started

    prompts = _Prompts()
    model.callbacks = [prompts.handler]
    every_slot = settings.model_copy(update={"capable_model": True})
    runs, raws, olds = [], [], []
    for _ in range(args.runs):
        # plan and baselines alternate, so all see the same load on the shared cores
        prompts.calls.clear()
        timings, (plan, sizes) = _plan_once(roster, settings, "en")
        runs.append(timings)
        calls = list(prompts.calls)
        raws.append(_raw_generation(model, calls))
        old_timings, (old_plan, _) = _plan_once(roster, every_slot, "en")
        olds.append(sum(old_timings.values()))
    median = {stage: statistics.median(run[stage] for run in runs) for stage in STAGES}
    totals = [sum(run.values()) for run in runs]
    total = statistics.median(totals)
    raw = statistics.median(raws)
    old = statistics.median(olds)
    zh_timings, _ = _plan_once(roster, settings, "zh")
    zh_total = sum(zh_timings.values())

    lines = [
        "## Plan drafting (`bench/plan.py`)",
        "",
        f"`.venv/bin/python bench/plan.py --people {args.people} --runs {args.runs}` on the 2-core machine: "
        f"a synthetic {args.people}-person org (bench/metrics.py's generator, seed 42; {len(plan.findings)} findings, "
        f"{len(plan.scenarios)} scenarios, {len(calls)} model calls, {plan.slots['generated']} prose slots "
        f"kept from the model and {plan.slots['extractive']} extractive). Median of {args.runs} English plans; "
        f"models loaded beforehand ({load_seconds:.1f} s, reported apart). Load average during the run: "
        f"{os.getloadavg()[0]:.1f} (other work shares the 2 cores; llama.cpp slows sharply when they are busy).",
        "",
        "| stage | seconds | share |",
        "| --- | --- | --- |",
        *(f"| {stage} | {median[stage]:.2f} | {median[stage] / total:.0%} |" for stage in STAGES),
        f"| **total** | **{total:.2f}** | |",
        "",
        f"Each plan's total: {', '.join(f'{t:.2f} s' for t in totals)} (the first with grounding's sentence "
        "embeddings not yet cached).",
        "",
        f"Baseline 1, the previous behaviour, measured after each plan in the same run: the model drafting every "
        f"prose slot ({old_plan.slots['generated'] + old_plan.slots['extractive']} slots, "
        f"{old_plan.slots['generated']} kept after grounding), median {old:.2f} s "
        f"({', '.join(f'{o:.2f}' for o in olds)}). Ratio plan ÷ previous: **{total / old:.2f}x**.",
        "",
        f"Baseline 2, measured after each plan in the same run: raw llama.cpp generation of the same "
        f"{len(calls)} prompts (no LangChain, retrieval, grounding or document), median {raw:.2f} s "
        f"({', '.join(f'{r:.2f}' for r in raws)}). Ratio plan ÷ raw generation: **{total / raw:.2f}x**; "
        f"generation inside the plan ÷ raw: {median['generation'] / raw:.2f}x.",
        "",
        f"Chinese plan (templates and Chinese passages, no model call): {zh_total:.2f} s "
        f"(rendering {zh_timings['rendering']:.2f} s). Output sizes (English): Markdown {sizes['md']:,} B, "
        f"HTML {sizes['html']:,} B, PDF {sizes['pdf']:,} B. Target: under 30 s.",
        "",
    ]
    report = "\n".join(lines)
    print(report)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report, encoding="utf-8")


if __name__ == "__main__":
    main()
