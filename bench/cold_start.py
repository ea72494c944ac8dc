"""Cold start and warm ask on the embedded defaults.

Prints the wall time of a first `advisor ask` (a fresh process, from start to printed answer) against the previous
design (torch and sentence-transformers loaded to embed the question) in alternating runs, of a warm ask in one
process, and the ratio of the warm ask to raw llama.cpp generation of the same prompt (same seed, same tokens),
measured in the same run. Targets: cold start under 8 s, warm ask within 1.2x of raw generation.

    .venv/bin/python bench/cold_start.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
QUESTIONS = [
    "How many reps should one first-line sales manager lead?",
    "Why do SDRs burn out and how do we keep them?",
    "How should we split inside and field sales?",
    "What does it cost when a sales rep leaves?",
    "How many AEs should each SDR support?",
]


# The previous design loaded torch and sentence-transformers to embed every question; the baseline run imports them
# first and then runs the same command, so both sides answer with the same code and the same store.
OLD_DESIGN = "import torch, sentence_transformers\n"
RUN_CLI = "import sys\nfrom advisor.cli import app\napp(args=sys.argv[1:], prog_name='advisor')\n"


def cold_ask(home: Path, question: str, *, old_design: bool = False) -> float:
    """Seconds from process start to answer for `advisor ask` in a fresh interpreter, from a folder elsewhere."""
    env = {**os.environ, "ADVISOR_HOME": str(home)}
    script = (OLD_DESIGN if old_design else "") + RUN_CLI
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", script, "ask", question], check=True, env=env, capture_output=True, cwd=home
    )
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5, help="warm asks (and cold starts) to time")
    args = parser.parse_args()

    home = Path(tempfile.mkdtemp(prefix="bench-cold-"))
    os.environ["ADVISOR_HOME"] = str(home)
    from advisor.config import load_settings
    from advisor.kb.ingest import ingest

    settings = load_settings()
    ingest(None, settings=settings)

    cold, old = [], []
    for i in range(args.runs):  # alternate, so both designs see the same machine load
        cold.append(cold_ask(home, QUESTIONS[i % len(QUESTIONS)]))
        old.append(cold_ask(home, QUESTIONS[i % len(QUESTIONS)], old_design=True))

    from advisor.chat.advisor import Advisor
    from advisor.models import LlamaCppChat, get_chat_model

    model = get_chat_model(settings)
    assert isinstance(model, LlamaCppChat), "the benchmark measures the embedded llama.cpp default"
    sent: list[Any] = []

    class RecordingChat(LlamaCppChat):
        """The same model, remembering the messages the advisor sent."""

        def _stream(self, messages: Any, *a: Any, **kw: Any) -> Iterator[Any]:
            sent.append(messages)
            yield from super()._stream(messages, *a, **kw)

    recording = RecordingChat(**model.model_dump())
    advisor = Advisor(settings, chat_model=recording)
    advisor.ask(QUESTIONS[0])  # warm: models loaded, caches filled

    warm, raw, ratios, composed = [], [], [], []
    roles = {"human": "user", "ai": "assistant", "system": "system"}
    prime = [{"role": "system", "content": advisor.system_prompt()}, {"role": "user", "content": "Hello."}]

    def leave_only_system_prompt_cached() -> None:
        # both sides start from the same llama.cpp KV cache: the fixed system prompt, nothing more
        list(recording.raw_completion(prime, max_tokens=1, seed=settings.seed))

    for i in range(args.runs):
        question = QUESTIONS[i % len(QUESTIONS)]
        sent.clear()
        leave_only_system_prompt_cached()
        started = time.perf_counter()
        answer = advisor.ask(question)
        warm_s = time.perf_counter() - started
        composed.append(warm_s)
        if not sent:  # composed from the passages without the model: no generation to compare with
            print(f"  {question[:48]:<48} warm {warm_s:6.2f} s  (no model call)  path={answer.path}")
            continue
        messages = [{"role": roles.get(m.type, "user"), "content": str(m.content)} for m in sent[-1]]
        leave_only_system_prompt_cached()
        started = time.perf_counter()
        tokens = list(
            recording.raw_completion(
                messages, max_tokens=settings.max_tokens, temperature=settings.temperature, seed=settings.seed
            )
        )
        raw_s = time.perf_counter() - started
        warm.append(warm_s)
        raw.append(raw_s)
        ratios.append(warm_s / raw_s)
        print(
            f"  {question[:48]:<48} warm {warm_s:6.2f} s  raw {raw_s:6.2f} s ({len(tokens)} tokens)"
            f"  ratio {warm_s / raw_s:4.2f}  path={answer.path}"
        )

    print(
        f"cold start (process start -> answer): median {statistics.median(cold):.2f} s, "
        f"min {min(cold):.2f} s over {len(cold)} runs (target < 8 s); previous design (torch loaded to embed the "
        f"question): median {statistics.median(old):.2f} s; ratio {statistics.median(cold) / statistics.median(old):.2f}"
    )
    print(
        f"warm ask (models loaded, one process): median {statistics.median(composed):.2f} s over {len(composed)} "
        f"questions, {len(composed) - len(warm)} of them answered without a model call"
    )
    if ratios:
        print(
            f"warm ask: median {statistics.median(warm):.2f} s; raw llama.cpp generation of the same prompt: "
            f"median {statistics.median(raw):.2f} s"
        )
        print(f"ratio warm ask / raw generation: median {statistics.median(ratios):.2f}x (target <= 1.2x)")


if __name__ == "__main__":
    main()
