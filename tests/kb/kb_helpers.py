"""Helpers for the knowledge-base tests: fixture paths, generated PDF/DOCX files and the real spam judge."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor.bundled import KNOWLEDGE_DIR
from advisor.kb.coherence import SemanticJudge

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "documents"
KNOWLEDGE = KNOWLEDGE_DIR
SEED = REPO / ".." / "shared" / "seed" / "sales-structure-guidance.zh.txt"

# The seed's spam, as the issue describes it, and the real text on each side of every fragment.
SEED_SPAM = [
    "国家代码",
    "+961",
    "黎巴嫩电话号码",
    "ws 数据库",
    "数据库",
    "打破神话",
    "营销只是为了吸引新客户",
]
SEED_NEIGHBOURS = [
    "但在这之前",
    "让我们先看看哪里出了问题",
    "根据 Insidesales.com 的一项研究",
    "内部销售代表占所有销售专业人员的 47%",
    "SDR 的倦怠源于多种问题",
    "繁琐的工作流程",
    "低呼叫联系率",
]


def seed_path() -> Path:
    """The raw seed guidance from ../shared, or skip when this checkout has none."""
    if not SEED.is_file():
        pytest.skip(f"{SEED} is absent: ../shared only exists in the team's workspace")
    return SEED


def write_pdf(path: Path, lines: list[str], *, password: str | None = None) -> Path:
    """A one-page PDF with the given lines in Helvetica (optionally password-protected)."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    page = writer.add_blank_page(width=612, height=792)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
    )
    body = " ".join(f"({line}) Tj T*" for line in lines)
    stream = DecodedStreamObject()
    stream.set_data(f"BT /F1 12 Tf 16 TL 72 720 Td {body} ET".encode("latin-1"))
    page[NameObject("/Contents")] = writer._add_object(stream)
    if password:
        writer.encrypt(user_password=password, algorithm="RC4-128")
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def write_docx(path: Path) -> Path:
    """A DOCX with a title, two headed sections and a table."""
    import docx

    document = docx.Document()
    document.add_heading("Span of control guide", 0)
    document.add_heading("Definition", 1)
    document.add_paragraph("Span of control is the number of reps reporting to one first-line manager.")
    document.add_heading("Healthy range", 1)
    document.add_paragraph("Most teams work best with six to ten reps per manager.")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Team type"
    table.rows[0].cells[1].text = "Reps per manager"
    document.save(str(path))
    return path


def real_judge(home: Path) -> SemanticJudge:
    """The semantic spam judge as ingest builds it: the bundled embedding model and the probe fitted on it."""
    from advisor.config import load_settings
    from advisor.models import get_embedder

    settings = load_settings(home=home)
    return SemanticJudge(get_embedder(settings), model=settings.embedding_model)
