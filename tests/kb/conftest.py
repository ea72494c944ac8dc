"""Fixtures for the knowledge base: fixture documents in a temp folder, generated PDF/DOCX files, settings."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

# the helpers import by module name under either pytest import mode (importlib mode adds nothing to sys.path)
sys.path.insert(0, str(Path(__file__).parent))

from kb_helpers import FIXTURES, write_docx, write_pdf  # noqa: E402

from advisor.config import Settings, load_settings  # noqa: E402


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    """A writable copy of the fixture documents plus a generated PDF and DOCX."""
    folder = tmp_path / "docs"
    shutil.copytree(FIXTURES, folder)
    write_pdf(
        folder / "quota-memo.pdf",
        ["Quota memo", "Set quotas from capacity, not from hope.", "Review monthly."],
    )
    write_docx(folder / "span-guide.docx")
    return folder


@pytest.fixture
def settings(advisor_home: Path, docs: Path) -> Settings:
    """Settings with state in a fresh ADVISOR_HOME and the fixture documents as the knowledge folder."""
    return load_settings(home=advisor_home, knowledge_dir=docs, bundled_knowledge=False)
