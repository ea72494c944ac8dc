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


def aes_pdf(path: Path) -> Path:
    """A PDF whose trailer declares AES-256 encryption (revision 6), which pypdf opens only with `cryptography`."""
    import io
    import os

    from pypdf import PdfWriter
    from pypdf.generic import ByteStringObject, DictionaryObject, NameObject, NumberObject

    writer = PdfWriter()
    writer.add_blank_page(width=100, height=100)
    name = NameObject
    filter_ = DictionaryObject({name("/CFM"): name("/AESV3"), name("/Length"): NumberObject(32)})
    encrypt = DictionaryObject(
        {name("/Filter"): name("/Standard"), name("/V"): NumberObject(5), name("/R"): NumberObject(6),
         name("/O"): ByteStringObject(os.urandom(48)), name("/U"): ByteStringObject(os.urandom(48)),
         name("/OE"): ByteStringObject(os.urandom(32)), name("/UE"): ByteStringObject(os.urandom(32)),
         name("/Perms"): ByteStringObject(os.urandom(16)), name("/P"): NumberObject(-4),
         name("/CF"): DictionaryObject({name("/StdCF"): filter_}), name("/StmF"): name("/StdCF"),
         name("/StrF"): name("/StdCF")}
    )  # fmt: skip
    ref = writer._add_object(encrypt)
    buffer = io.BytesIO()
    writer.write(buffer)
    trailer = b"trailer\n<<\n/Encrypt %d 0 R /ID [<00112233445566778899aabbccddeeff> <00>]" % ref.idnum
    path.write_bytes(buffer.getvalue().replace(b"trailer\n<<", trailer, 1))
    return path


def docx_with(path: Path, part: str, content: bytes) -> Path:
    """The helper DOCX with one part replaced (malformed XML, a bomb)."""
    import zipfile

    from kb_helpers import write_docx

    source = write_docx(path.with_name("source.docx"))
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            new.writestr(item, content if item.filename == part else old.read(item.filename))
    return path


def test_aes_pdf_without_cryptography_is_a_per_file_reason(tmp_path: Path) -> None:
    assert _reason(aes_pdf(tmp_path / "aes.pdf")) == (
        "aes.pdf: password-protected PDF (encrypted); remove the password and ingest it again"
    )


def test_docx_with_malformed_xml_is_a_per_file_reason(tmp_path: Path) -> None:
    path = docx_with(tmp_path / "broken.docx", "word/document.xml", b"<w:document><w:body><w:p>")
    assert _reason(path).startswith("broken.docx: not a readable DOCX")


def test_docx_zip_bomb_is_refused_before_unpacking(tmp_path: Path) -> None:
    path = docx_with(tmp_path / "bomb.docx", "word/document.xml", b" " * (300 * 1024 * 1024))
    assert path.stat().st_size < 2 * 1024 * 1024
    assert "bomb.docx: unpacks to 301 MB, over the 256 MB limit" in _reason(path)


@pytest.mark.parametrize(
    "front,topics",
    [("topics: 12", ("12",)), ("topics: [a, 3]", ("a", "3")), ("topics: a, b", ("a", "b")), ("topics:", ())],
)
def test_front_matter_topics_of_any_scalar_shape(tmp_path: Path, front: str, topics: tuple[str, ...]) -> None:
    path = tmp_path / "t.md"
    path.write_text(f"---\n{front}\n---\n# T\n\nBody text.", encoding="utf-8")
    assert load_document(path).topics == topics


@pytest.mark.parametrize(
    "front,reason",
    [
        ("topics: {a: 1}", "front matter `topics` must be a short list of words"),
        ("title: [1, 2]", "front matter `title` must be one value"),
        ("- just\n- a list", "front matter must be a mapping"),
    ],
)
def test_front_matter_of_the_wrong_shape_is_a_reason(tmp_path: Path, front: str, reason: str) -> None:
    path = tmp_path / "t.md"
    path.write_text(f"---\n{front}\n---\n# T\n\nBody text.", encoding="utf-8")
    assert reason in _reason(path)


def test_front_matter_passes_unknown_keys_through(tmp_path: Path) -> None:
    path = tmp_path / "q.md"
    path.write_text("---\nid: q\nquestions:\n  - How wide?\n  - 多宽？\n---\n# Q\n\nBody.", encoding="utf-8")
    assert load_document(path).meta["questions"] == ["How wide?", "多宽？"]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "gb18030"])
def test_utf16_and_gb18030_text_is_decoded_not_called_binary(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "notes.md"
    path.write_bytes("# 管理幅度\n\n一位经理通常带六到十名销售代表。Managers coach.".encode(encoding))
    doc = load_document(path)
    assert doc.title == "管理幅度" and "Managers coach." in doc.text


def test_a_binary_file_named_md_is_rejected_as_binary(tmp_path: Path) -> None:
    import random

    path = tmp_path / "image.md"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + random.Random(1).randbytes(4096))
    assert "image.md: binary file, not text" in _reason(path)
    control = tmp_path / "controls.md"
    control.write_bytes(bytes(range(1, 9)) * 200)
    assert "binary file" in _reason(control)


def test_reasons_never_carry_a_server_path(tmp_path: Path) -> None:
    (tmp_path / "bad.pdf").write_bytes(
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 9 0 R>>endobj\ntrailer<</Root 1 0 R>>"
    )
    reason = _reason(tmp_path / "bad.pdf")
    assert reason.startswith("bad.pdf: ") and str(tmp_path) not in reason
