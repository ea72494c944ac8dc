"""Loading: each format to Markdown-flavoured text with metadata; unusable files raise a reason."""

from __future__ import annotations

from pathlib import Path

import pytest
from kb_helpers import FIXTURES, write_pdf

from advisor.errors import InputError
from advisor.kb import load
from advisor.kb.load import load_document, path_doc_id


def test_markdown_front_matter_sets_the_metadata() -> None:
    doc = load_document(FIXTURES / "sdr-burnout.zh.md")
    assert (doc.doc_id, doc.title, doc.lang, doc.topics) == (
        "fixture-burnout-zh",
        "SDR 倦怠以及如何预防",
        "zh",
        ("burnout", "sdr"),
    )
    assert doc.translation_of == "fixture-burnout-en"
    assert doc.source == "测试样例"
    assert not doc.text.startswith("---")
    assert "## 销售代表为什么离开" in doc.text


def test_document_without_front_matter_gets_id_title_and_language(tmp_path: Path) -> None:
    folder = tmp_path / "kb" / "zh"
    folder.mkdir(parents=True)
    path = folder / "Team Notes.md"
    path.write_text("## 管理幅度\n\n一位经理通常带六到十名销售代表，这样才有时间辅导。", encoding="utf-8")
    doc = load_document(path, root=tmp_path / "kb")
    assert doc.doc_id == "zh-team-notes"  # from the path under the root: stable across runs
    assert doc.title == "管理幅度"
    assert doc.lang == "zh"
    assert load_document(path).doc_id == "team-notes"  # no root: the file name


def test_title_falls_back_to_the_file_name(tmp_path: Path) -> None:
    path = tmp_path / "pipeline_review.md"
    path.write_text("Review the pipeline weekly.\n\n## Later heading\n\nMore.", encoding="utf-8")
    assert load_document(path).title == "pipeline review"


def test_plain_text_headings_become_sections() -> None:
    doc = load_document(FIXTURES / "territory-notes.txt")
    assert doc.title == "Territory planning notes"
    assert doc.text.startswith("# Territory planning notes")
    assert doc.lang == "en"
    assert doc.doc_id == "territory-notes"


def test_html_keeps_content_and_drops_scripts_styles_and_navigation() -> None:
    doc = load_document(FIXTURES / "onboarding.html")
    assert doc.title == "Onboarding that keeps new reps"
    assert doc.lang == "en"
    assert "# Onboarding that keeps new reps" in doc.text
    assert "## Teach one method" in doc.text
    assert "turnover of 14.2%, against an average of 7.9%" in doc.text
    assert "- Shadow calls in week one." in doc.text
    for junk in (
        "analytics-tracker-code",
        "font-family",
        "navigation link",
        "newsletter",
        "sidebar",
        "footer",
        "late-script",
    ):
        assert junk not in doc.text


def test_pdf_text_is_extracted(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "memo.pdf", ["Quota memo", "Set quotas from capacity."])
    doc = load_document(path)
    assert "Quota memo" in doc.text and "Set quotas from capacity." in doc.text
    assert doc.format == "pdf"


def test_docx_headings_paragraphs_and_tables(tmp_path: Path) -> None:
    from kb_helpers import write_docx

    doc = load_document(write_docx(tmp_path / "guide.docx"))
    assert doc.title == "Span of control guide"
    assert "## Definition" in doc.text
    assert "six to ten reps per manager" in doc.text
    assert "Team type | Reps per manager" in doc.text


def _reason(path: Path) -> str:
    with pytest.raises(InputError) as info:
        load_document(path)
    return str(info.value)


def test_unusable_files_raise_a_reason(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert "empty file" in _reason(FIXTURES / "empty.md")
    assert "binary file" in _reason(FIXTURES / "corrupt.txt")
    assert "data file, not a document" in _reason(FIXTURES / "benchmarks.yaml")
    assert "password-protected" in _reason(write_pdf(tmp_path / "locked.pdf", ["secret"], password="pw"))
    (tmp_path / "bad.pdf").write_bytes(b"%PDF-1.4 not really a pdf")
    assert "unreadable PDF" in _reason(tmp_path / "bad.pdf")
    (tmp_path / "bad.docx").write_bytes(b"not a zip")
    assert "not a readable DOCX" in _reason(tmp_path / "bad.docx")
    (tmp_path / "x.pptx").write_bytes(b"slides")
    assert "unsupported file type .pptx" in _reason(tmp_path / "x.pptx")
    (tmp_path / "front.md").write_text("---\nid: [unclosed\n---\nBody", encoding="utf-8")
    assert "front matter is not valid YAML" in _reason(tmp_path / "front.md")
    monkeypatch.setattr(load, "MAX_FILE_BYTES", 100)
    (tmp_path / "big.txt").write_text("word " * 100, encoding="utf-8")
    assert "too large" in _reason(tmp_path / "big.txt")


def test_gb18030_text_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "gbk.txt"
    path.write_bytes("销售团队的结构决定了留任率。".encode("gb18030"))
    assert "销售团队的结构" in load_document(path).text


def test_path_doc_id_is_a_slug() -> None:
    assert path_doc_id(Path("/a/b/Why Reps Leave!.md")) == "why-reps-leave"
