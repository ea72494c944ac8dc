"""Fuzzing every document loader: whatever the bytes, `load_document` returns a document or raises `InputError`.

A reason always starts with the file's own name and never carries the folder it sits in (a server path).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from kb_helpers import write_docx, write_pdf

from advisor.errors import InputError
from advisor.kb.load import LoadedDocument, load_document

FUZZ = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
SUFFIXES = [".md", ".txt", ".html", ".pdf", ".docx"]


def _load(folder: Path, name: str, data: bytes) -> LoadedDocument | None:
    path = folder / name
    path.write_bytes(data)
    try:
        doc = load_document(path)
    except InputError as error:
        reason = str(error)
        assert reason.startswith(f"{name}: ") and str(folder) not in reason
        return None
    assert doc.text.strip() and doc.doc_id and doc.title is not None
    return doc


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@pytest.fixture(scope="module")
def pdf_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return write_pdf(
        tmp_path_factory.mktemp("pdf") / "seed.pdf", ["Span of control", "Six to ten reps."]
    ).read_bytes()


@pytest.fixture(scope="module")
def docx_parts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    path = write_docx(tmp_path_factory.mktemp("docx") / "seed.docx")
    with zipfile.ZipFile(path) as archive:
        return {item.filename: archive.read(item.filename) for item in archive.infolist()}


def _mutate(data: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    """Apply (position, delete count, insert) edits, positions taken modulo the length."""
    for position, delete, insert in edits:
        at = position % max(len(data), 1)
        data = data[:at] + insert + data[at + delete :]
    return data


edits = st.lists(
    st.tuples(st.integers(min_value=0), st.integers(min_value=0, max_value=40), st.binary(max_size=12)),
    min_size=1,
    max_size=6,
)


@FUZZ
@given(st.sampled_from(SUFFIXES), st.binary(max_size=3000))
def test_arbitrary_bytes_under_any_name(folder: Path, suffix: str, data: bytes) -> None:
    _load(folder, f"random{suffix}", data)


yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=10,
)
front_keys = st.sampled_from(["id", "title", "lang", "topics", "source", "translation_of", "questions", "x"])


@FUZZ
@given(st.dictionaries(front_keys, yaml_values, max_size=6), st.text(max_size=300), st.booleans())
def test_front_matter_of_any_shape(folder: Path, front: dict[str, object], body: str, raw: bool) -> None:
    head = (
        yaml.safe_dump(front, allow_unicode=True)
        if not raw
        else "\n".join(f"{k}: {v}" for k, v in front.items())
    )
    text = f"---\n{head}\n---\n# Title\n\n{body}\nBody sentence."
    doc = _load(folder, "front.md", text.encode("utf-8"))
    if doc is not None:
        assert all(isinstance(topic, str) for topic in doc.topics)
        assert isinstance(doc.doc_id, str) and isinstance(doc.lang, str)


@FUZZ
@given(st.text(max_size=500), st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "gb18030"]))
def test_text_in_any_supported_encoding(folder: Path, text: str, encoding: str) -> None:
    try:
        data = ("# 标题 Title\n\n" + text + "\n销售团队。Sales team.").encode(encoding)
    except UnicodeEncodeError:
        return  # lone surrogates: not encodable, so not a file anyone could save
    doc = _load(folder, "enc.txt", data)
    if doc is not None:
        assert "Sales team." in doc.text or "binary" in doc.text


@FUZZ
@given(edits)
def test_damaged_pdf(folder: Path, pdf_bytes: bytes, changes: list[tuple[int, int, bytes]]) -> None:
    _load(folder, "damaged.pdf", _mutate(pdf_bytes, changes))


@FUZZ
@given(
    st.sampled_from(["word/document.xml", "word/styles.xml", "[Content_Types].xml", "docProps/core.xml"]),
    edits,
)
def test_docx_with_damaged_xml(
    folder: Path, docx_parts: dict[str, bytes], part: str, changes: list[tuple[int, int, bytes]]
) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in docx_parts.items():
            archive.writestr(name, _mutate(content, changes) if name == part else content)
    _load(folder, "damaged.docx", buffer.getvalue())


tags = st.sampled_from(
    ["div", "p", "h1", "h2", "li", "ul", "table", "td", "script", "main", "article", "title"]
)


@FUZZ
@given(st.lists(st.tuples(tags, st.text(max_size=30), st.booleans()), max_size=30), st.integers(0, 3000))
def test_html_of_any_nesting(folder: Path, pieces: list[tuple[str, str, bool]], depth: int) -> None:
    body = "".join(f"<{tag}>{text}" + (f"</{tag}>" if close else "") for tag, text, close in pieces)
    html = "<html lang='en'><body>" + "<div>" * depth + body + "<p>Managers coach reps.</p></body></html>"
    _load(folder, "page.html", html.encode("utf-8"))
