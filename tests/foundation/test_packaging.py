"""The installed product is self-contained: a wheel carries the knowledge base, prompts, templates and static files,
and the `advisor` it installs answers and analyses from any folder, with state in its own home."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
ROSTER = REPO / "tests" / "fixtures" / "rosters" / "problem_team.csv"


def _tracked_tree(target: Path) -> Path:
    """A copy of the files git tracks or would track: the wheel must not depend on ignored build leftovers."""
    files = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout
    for name in filter(None, files.decode().split("\0")):
        source = REPO / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project built as a wheel from its tracked files (no network: the venv's setuptools builds it)."""
    source = _tracked_tree(tmp_path_factory.mktemp("source"))
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q",
         "-w", str(out), str(source)],
        check=True, capture_output=True,
    )  # fmt: skip
    return next(out.glob("sales_structure_advisor-*.whl"))


def test_the_wheel_carries_knowledge_prompts_templates_and_static_files(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {
        "advisor/bundled/knowledge/benchmarks.yaml",
        "advisor/bundled/knowledge/en/metrics-span-of-control.md",
        "advisor/bundled/knowledge/zh/metrics-span-of-control.md",
        "advisor/bundled/prompts/answer/system.j2",
        "advisor/org/rules.yaml",
        "advisor/plan/playbook.yaml",
        "evals/suites/smoke.yaml",
    }
    assert expected <= names
    for folder in ("advisor/plan/templates/", "api/templates/", "api/static/"):
        assert any(name.startswith(folder) for name in names), folder
    tracked = subprocess.run(["git", "ls-files", "advisor/bundled"], cwd=REPO, capture_output=True, text=True)
    assert set(tracked.stdout.split()) <= names  # every bundled article and prompt
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    assert "advisor.models:LocalChat" in zipfile.ZipFile(wheel).read(entry_points).decode()


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A fresh venv with the wheel installed (not editable); its dependencies come from this venv's site-packages."""
    venv = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    site = next((venv / "lib").glob("python3*/site-packages"))
    (site / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install", "--no-deps",
         "--no-index", "-q", str(wheel)],
        check=True, capture_output=True,
    )  # fmt: skip
    yield venv


def _run(venv: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ADVISOR_")}
    env.update({"ADVISOR_HOME": str(cwd / "state"), "ADVISOR_MAX_TOKENS": "48"})
    return subprocess.run(
        [str(venv / "bin" / "advisor"), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=900
    )


@pytest.mark.integration
def test_the_installed_advisor_works_from_any_folder(installed: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    located = subprocess.run(
        [str(installed / "bin" / "python"), "-c", "import advisor, sys; sys.stdout.write(advisor.__file__)"],
        cwd=elsewhere, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert located.startswith(str(installed)), located  # the wheel's copy, not the checkout

    asked = _run(installed, elsewhere, "ask", "--json", "How many reps should one sales manager lead?")
    assert asked.returncode == 0, asked.stderr[-2000:]
    assert "First use: ingesting the bundled knowledge base" in asked.stderr
    answer = json.loads(asked.stdout)
    assert not answer["refused"] and answer["citations"]
    assert {c["doc_id"] for c in answer["citations"]} & {"metrics-span-of-control-en"}

    analysed = _run(installed, elsewhere, "analyze", str(ROSTER), "--as-of", "2025-12-31", "--format", "json")
    assert analysed.returncode == 0, analysed.stderr[-2000:]
    findings = json.loads(analysed.stdout)["findings"]
    assert any(f.get("benchmark") for f in findings), (
        findings
    )  # benchmark-based findings come from the package
    assert not (elsewhere / ".advisor").exists()
