"""Which llama-cpp-python builds run the bundled SmolLM2 on this CPU, and how fast: the evidence for the lock's pin.

Bisects the releases between a known-good and a known-bad version (each built from source with the given CMake
flags, in a scratch venv), runs a fixed generation in a child process (a crash is a result, not the end of the run)
and prints tokens/s per build with the ratio against the pinned version measured in the same run.

    python bench/llama_versions.py --good 0.3.16 --bad 0.3.35 [--cmake-args "-DGGML_NATIVE=OFF ..."]
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PINNED = "0.3.16"
GENERATE = r"""
import json, sys, time
from llama_cpp import Llama
llm = Llama(model_path=sys.argv[1], n_ctx=1024, n_threads=1, n_threads_batch=1, seed=42, verbose=False)
messages = [{"role": "user", "content": "Write the numbers from 1 to 100, separated by commas."}]
llm.create_chat_completion(messages=messages, max_tokens=8)  # warm: load and first decode
no_end = {llm.token_eos(): -100.0}  # always 128 tokens: the same work for every build
runs = []
for _ in range(REPEATS):  # the best of several: a busy machine slows a run, it never speeds one up
    started = time.perf_counter()
    out = llm.create_chat_completion(messages=messages, max_tokens=128, temperature=0.0, logit_bias=no_end)
    runs.append((time.perf_counter() - started, out["usage"]["completion_tokens"]))
seconds, tokens = min(runs)
print(json.dumps({"tokens": tokens, "seconds": seconds}))
""".replace("REPEATS", "5")


def _gguf() -> str:
    sys.path.insert(0, str(REPO))
    from advisor.models import chat_model_path

    return str(chat_model_path("smollm2"))


def measure(version: str, *, work: Path, cmake_args: str) -> dict[str, object]:
    """Build (once) and run one version; the outcome: passed with tokens/s, crashed with the signal, or failed."""
    venv = work / f"venv-{version}"
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        env = {
            **os.environ,
            "CMAKE_ARGS": cmake_args,
            "CMAKE_BUILD_PARALLEL_LEVEL": "1",
            "PIP_NO_CACHE_DIR": "1",
        }
        built = subprocess.run(
            [str(python), "-m", "pip", "install", "-q", f"llama-cpp-python=={version}"],
            env=env, capture_output=True, text=True,
        )  # fmt: skip
        if built.returncode:
            return {"version": version, "outcome": "build failed", "detail": built.stderr[-300:]}
    ran = subprocess.run([str(python), "-c", GENERATE, _gguf()], capture_output=True, text=True, timeout=600)
    if ran.returncode < 0:
        return {"version": version, "outcome": f"crashed ({signal.Signals(-ran.returncode).name})"}
    if ran.returncode:
        return {"version": version, "outcome": "failed", "detail": ran.stderr[-300:]}
    result = json.loads(ran.stdout.strip().splitlines()[-1])
    return {
        "version": version,
        "outcome": "passed",
        "tokens_per_second": result["tokens"] / result["seconds"],
    }


def _releases(good: str, bad: str) -> list[str]:
    listing = subprocess.run(
        [sys.executable, "-m", "pip", "index", "versions", "llama-cpp-python"], capture_output=True, text=True
    ).stdout
    line = next(row for row in listing.splitlines() if row.startswith("Available versions:"))
    versions = sorted(
        (v.strip() for v in line.split(":", 1)[1].split(",")), key=lambda v: tuple(map(int, v.split(".")))
    )
    return versions[versions.index(good) : versions.index(bad) + 1]


def main() -> None:
    """Bisect to the newest passing release, then report every build measured."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--good", default=PINNED)
    parser.add_argument("--bad", default="0.3.35")
    parser.add_argument(
        "--cmake-args", default="", help="CMAKE_ARGS for every build (default: a native build)"
    )
    parser.add_argument("--work", type=Path, default=Path("/tmp/llama-versions"))
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "llama_versions.md")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    releases = _releases(args.good, args.bad)
    results = {v: measure(v, work=args.work, cmake_args=args.cmake_args) for v in (args.good, args.bad)}
    low, high = 0, len(releases) - 1  # releases[low] passes, releases[high] does not
    while high - low > 1 and results[args.bad]["outcome"] != "passed":
        middle = (low + high) // 2
        results[releases[middle]] = measure(releases[middle], work=args.work, cmake_args=args.cmake_args)
        print(json.dumps(results[releases[middle]]), flush=True)
        low, high = (middle, high) if results[releases[middle]]["outcome"] == "passed" else (low, middle)
    baseline = results[args.good].get("tokens_per_second")
    flags = args.cmake_args or "native (-march=native)"
    lines = [
        "# llama-cpp-python builds on this CPU",
        "",
        f"`python bench/llama_versions.py --good {args.good} --bad {args.bad}`; build flags: {flags}. "
        f"Generation of up to 128 tokens with SmolLM2-135M Q4_1 on one thread, best of 5; "
        f"ratio against {args.good} in the same run.",
        "",
        "| version | outcome | tokens/s | ratio |",
        "| --- | --- | --- | --- |",
    ]
    for version in sorted(results, key=lambda v: tuple(map(int, v.split(".")))):
        row = results[version]
        speed = row.get("tokens_per_second")
        ratio = f"{float(speed) / float(baseline):.2f}" if speed and baseline else ""  # type: ignore[arg-type]
        lines.append(f"| {version} | {row['outcome']} | {float(speed):.0f} | {ratio} |" if speed else
                     f"| {version} | {row['outcome']} | | |")  # fmt: skip
    if results[args.bad]["outcome"] == "passed":
        verdict = (
            f"Every release measured passed, {args.bad} included: its reported crash did not reproduce here."
        )
    else:
        verdict = f"Newest passing release: {releases[low]}; first failing: {releases[high]}."
    lines += ["", verdict]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
