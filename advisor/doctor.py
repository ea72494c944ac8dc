"""Checks that the installation works, each with a one-line fix: `advisor doctor`, the set-up's self-test, `/readyz`.

The model check loads both models and generates in a child process (`advisor.probe`), so a native crash of
llama.cpp is reported with the rebuild that fixes it instead of killing the caller. Optional checks (the CJK font
for Chinese PDFs, Chromium for the browser tests) warn instead of failing.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass

from pydantic import SecretStr

from advisor.bundled import BENCHMARKS_FILE, KNOWLEDGE_DIR
from advisor.config import Settings
from advisor.errors import AdvisorError

PORTABLE_REBUILD = (
    'CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON" '
    "pip install --force-reinstall --no-cache-dir --no-deps llama-cpp-python==0.3.16"
)


@dataclass(frozen=True)
class Check:
    """One check's outcome: what was found and, when it failed, the one thing to do about it."""

    name: str
    ok: bool
    detail: str
    fix: str = ""
    required: bool = True

    @property
    def status(self) -> str:
        """`ok`, `FAIL` (a required check failed) or `warn` (an optional one did)."""
        return "ok" if self.ok else ("FAIL" if self.required else "warn")


def check_knowledge(settings: Settings) -> Check:
    """The bundled articles are installed, and the user's own knowledge folder exists when one is set."""
    articles = sorted(KNOWLEDGE_DIR.glob("*/*.md"))
    if settings.bundled_knowledge and not articles:
        return Check("knowledge", False, f"no articles in {KNOWLEDGE_DIR}", "Reinstall the advisor.")
    if settings.knowledge_dir is not None and not settings.knowledge_dir.is_dir():
        return Check(
            "knowledge",
            False,
            f"ADVISOR_KNOWLEDGE_DIR {settings.knowledge_dir} is not a folder",
            "Point ADVISOR_KNOWLEDGE_DIR at an existing folder or unset it.",
        )
    own = f" + {settings.knowledge_dir}" if settings.knowledge_dir is not None else ""
    return Check("knowledge", True, f"{len(articles)} bundled articles{own}")


def check_benchmarks(settings: Settings) -> Check:
    """The bundled benchmarks file reads and holds benchmarks."""
    from advisor.org.benchmarks import load_benchmarks

    try:
        count = len(load_benchmarks(BENCHMARKS_FILE).benchmarks)
    except AdvisorError as exc:
        return Check("benchmarks", False, str(exc), "Reinstall the advisor.")
    if not count:
        return Check(
            "benchmarks", False, f"{BENCHMARKS_FILE.name} holds no benchmarks", "Reinstall the advisor."
        )
    return Check("benchmarks", True, f"{count} published benchmarks")


def check_store(settings: Settings) -> Check:
    """The knowledge store is reachable and holds chunks."""
    from advisor.kb.store import existing_collection

    where = settings.chroma_url or str(settings.chroma_path)
    try:
        coll = existing_collection(settings)
        count = coll.count() if coll is not None else 0
    except Exception as exc:  # an unreachable server or a damaged store: exactly what this check reports
        fix = (
            f"Start the Chroma server at {settings.chroma_url} or unset ADVISOR_CHROMA_URL."
            if settings.chroma_url
            else f"Move {settings.chroma_path} aside and run `advisor ingest`."
        )
        return Check("store", False, f"{where}: {type(exc).__name__}: {exc}", fix)
    if not count:
        return Check(
            "store",
            False,
            f"{where} is empty",
            "Run `advisor ingest` (the first question also ingests the bundled knowledge base).",
        )
    return Check("store", True, f"{count} chunks in {where}")


def check_models(settings: Settings, *, probe: list[str] | None = None) -> Check:
    """Both models load and the chat model generates, in a child process (`probe`: the command to run)."""
    env = {**os.environ, **settings_env(settings)}
    try:
        done = subprocess.run(
            probe or [sys.executable, "-m", "advisor.probe"],
            capture_output=True,
            text=True,
            env=env,
            timeout=300,
        )
    except subprocess.TimeoutExpired:
        return Check(
            "models", False, "the model probe did not finish in 300 s", "Run `advisor --debug ask hi`."
        )
    if done.returncode < 0:
        name = signal.Signals(-done.returncode).name
        return Check(
            "models",
            False,
            f"the chat model crashed the process with {name} (llama.cpp built for another CPU?)",
            f"Rebuild llama.cpp with portable flags: {PORTABLE_REBUILD}",
        )
    lines = done.stdout.strip().splitlines()
    report = json.loads(lines[-1]) if lines and lines[-1].startswith("{") else {}
    if done.returncode != 0 or "error" in report:
        detail = report.get("error") or (done.stderr.strip().splitlines() or ["no output"])[-1]
        return Check(
            "models", False, detail, "Fix the model settings (`advisor config`) or run `make setup`."
        )
    return Check(
        "models",
        True,
        f"embedding ({report['embedding_dimension']} dimensions) and chat model generate "
        f"({report['tokens_per_second']} tokens/s)",
    )


def check_cjk_font(settings: Settings) -> Check:
    """A font with Chinese glyphs, for Chinese PDF plans."""
    fc_list = shutil.which("fc-list")
    families = (
        subprocess.run([fc_list, ":lang=zh", "family"], capture_output=True, text=True).stdout
        if fc_list
        else ""
    )
    if families.strip():
        return Check("cjk font", True, families.strip().splitlines()[0], required=False)
    return Check(
        "cjk font",
        False,
        "no font with Chinese glyphs: Chinese PDFs would show empty boxes",
        "sudo apt-get install fonts-wqy-microhei",
        required=False,
    )


def check_chromium(settings: Settings) -> Check:
    """A Chromium for the browser tests."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return Check("chromium", True, found, required=False)
    return Check(
        "chromium", False, "no chromium on PATH (only the browser tests need it)", "sudo apt-get install chromium",
        required=False,
    )  # fmt: skip


CHECKS: dict[str, Callable[[Settings], Check]] = {
    "knowledge": check_knowledge,
    "benchmarks": check_benchmarks,
    "store": check_store,
    "models": check_models,
    "cjk font": check_cjk_font,
    "chromium": check_chromium,
}
# What /readyz asks on every probe: cheap, and the models are already loaded in the server process.
READINESS = ("knowledge", "benchmarks", "store")


def run_checks(settings: Settings, names: list[str] | None = None) -> list[Check]:
    """Run the named checks (default: all) in a fixed order."""
    return [CHECKS[name](settings) for name in CHECKS if names is None or name in names]


def settings_env(settings: Settings) -> dict[str, str]:
    """These settings as ADVISOR_* variables, so a child process sees exactly them."""
    env = {}
    for name, value in settings.model_dump().items():
        if value is None:
            continue
        plain = value.get_secret_value() if isinstance(value, SecretStr) else value
        env[f"ADVISOR_{name.upper()}"] = str(plain).lower() if isinstance(plain, bool) else str(plain)
    return env
