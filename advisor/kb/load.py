"""Read one file into text plus metadata: Markdown (with front matter), plain text, HTML, PDF and DOCX.

Every format comes out as Markdown-flavoured text: headings as `#` lines, paragraphs separated by blank lines, so the
chunker handles one shape. A file that cannot be used raises `InputError` whose message is the reason shown per file;
no other exception leaves `load_document`, whatever the bytes (a damaged PDF, malformed DOCX XML, a zip bomb, front
matter of the wrong shape), so one bad file never stops an ingest.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from advisor.archives import check_zip
from advisor.bundled import KNOWLEDGE_DIR
from advisor.errors import InputError
from advisor.text.encoding import BinaryData, decode
from advisor.text.lang import detect_lang

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_FRONT_MATTER = 64 * 1024  # characters; front matter is a handful of keys
MAX_TOPICS = 50
DATA_SUFFIXES = {".yaml", ".yml", ".json", ".csv", ".tsv", ".xlsx"}
_FORMATS = {
    ".md": "md",
    ".markdown": "md",
    ".txt": "txt",
    ".text": "txt",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
    ".docx": "docx",
}

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)", re.DOTALL)
_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$", re.MULTILINE)
# A plain-text heading: a short line with no sentence-ending or clause punctuation (a question is allowed).
_TXT_HEADING = re.compile(r"^(?!\s*[-*•])(?P<num>\d{1,2}[.、]\s*)?[^\n。.!！;；:：,，]{2,40}[?？]?$")
_NUMBERED = re.compile(r"^\d{1,2}[.、]")
_HTML_JUNK = [
    "script",
    "style",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "noscript",
    "iframe",
    "svg",
    "button",
]


@dataclass(frozen=True)
class LoadedDocument:
    """A document's text (Markdown-flavoured) and the metadata its chunks inherit."""

    path: Path
    doc_id: str
    title: str
    lang: str
    text: str
    topics: tuple[str, ...] = ()
    source: str = ""
    translation_of: str = ""
    format: str = "md"
    sha256: str = ""
    meta: dict[str, Any] = field(default_factory=dict, compare=False)
    trust: str = "uploaded"  # "curated": a bundled article; "uploaded": anything a user added

    def __str__(self) -> str:
        return f"{self.doc_id} ({self.lang}, {self.format}): {self.title}"


def slugify(text: str) -> str:
    """A stable identifier from a path or title: lowercase word characters joined by hyphens."""
    slug = re.sub(r"[^\w]+", "-", text.lower()).strip("-")
    return slug or "document"


def path_doc_id(path: Path, *, root: Path | None = None) -> str:
    """Doc id for a file without one in front matter: its path under `root` (or its name), slugified."""
    if root is not None:
        try:
            return slugify(str(path.resolve().relative_to(root.resolve()).with_suffix("")))
        except ValueError:
            pass
    return slugify(path.stem)


def _size(n_bytes: int) -> str:
    return f"{n_bytes / 1e6:.1f} MB" if n_bytes >= 100_000 else f"{n_bytes} bytes"


def _decode(data: bytes, path: Path) -> str:
    try:
        return decode(data, fallback=None)[0]
    except BinaryData as exc:  # not UTF-8, UTF-16 or GB18030: whatever the name says, it is not a document
        raise InputError(f"{path.name}: binary file, not text") from exc


def _front_matter(text: str, path: Path) -> tuple[dict[str, Any], str]:
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    if len(match.group(1)) > MAX_FRONT_MATTER:
        raise InputError(
            f"{path.name}: front matter is over {MAX_FRONT_MATTER // 1024} KB; keep it to a few keys"
        )
    try:
        meta = yaml.safe_load(match.group(1)) or {}
    except (yaml.YAMLError, RecursionError, ValueError) as exc:
        raise InputError(f"{path.name}: front matter is not valid YAML ({exc.__class__.__name__})") from exc
    if not isinstance(meta, dict):
        raise InputError(f"{path.name}: front matter must be a mapping of keys to values")
    for key in ("id", "title", "lang", "source", "translation_of"):
        if isinstance(meta.get(key), dict | list):
            raise InputError(f"{path.name}: front matter `{key}` must be one value, not a list or mapping")
    # Unknown keys (such as `questions:`) pass through in `meta` for the stages that read them.
    return {str(key): value for key, value in meta.items()}, text[match.end() :]


def _mark_txt_headings(text: str) -> str:
    """Turn plain-text heading lines into Markdown headings so the chunker can build section paths."""
    lines = text.splitlines()
    out = []
    for i, line in enumerate(lines):
        stripped = line.strip()
        following = next((ln.strip() for ln in lines[i + 1 :] if ln.strip()), "")
        if (
            _TXT_HEADING.match(stripped)
            and len(following) > len(stripped)
            and not _TXT_HEADING.match(following)
        ):
            level = "#" if i == 0 else "###" if _NUMBERED.match(stripped) else "##"
            out.extend(["", f"{level} {stripped}", ""])
        else:
            out.append(line)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip("\n")


def _read_html(data: bytes, path: Path) -> tuple[str, dict[str, Any]]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(_decode(data, path), "html.parser")
    meta: dict[str, Any] = {}
    if soup.title and soup.title.string:
        meta["title"] = soup.title.string.strip()
    if soup.html and soup.html.get("lang"):
        meta["lang"] = str(soup.html.get("lang")).split("-")[0].lower()
    for tag in soup(_HTML_JUNK):
        tag.decompose()
    body = soup.find("main") or soup.find("article") or soup.body or soup
    blocks = []
    for tag in body.find_all(["h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "td", "pre", "blockquote"]):
        if tag.find(["p", "li", "h1", "h2", "h3", "h4", "h5", "h6"]):
            continue  # the inner block is emitted on its own
        text = " ".join(tag.get_text(" ").split())
        if not text:
            continue
        if tag.name and tag.name[0] == "h" and tag.name[1:].isdigit():
            text = "#" * int(tag.name[1:]) + " " + text
        elif tag.name == "li":
            text = "- " + text
        blocks.append(text)
    return "\n\n".join(blocks), meta


def _read_pdf(path: Path) -> str:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, PdfReadError

    locked = f"{path.name}: password-protected PDF (encrypted); remove the password and ingest it again"
    try:
        reader = PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):
            raise InputError(locked)
        pages = [page.extract_text() or "" for page in reader.pages]
    except (NotImplementedError, DependencyError) as exc:  # AES without the `cryptography` package, and kin
        raise InputError(locked) from exc
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        raise InputError(f"{path.name}: unreadable PDF ({_short(exc)})") from exc
    return "\n\n".join(page.strip() for page in pages if page.strip())


def _read_docx(path: Path) -> tuple[str, dict[str, Any]]:
    import zipfile

    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import LxmlError

    check_zip(path.read_bytes(), name=path.name, kind="DOCX")
    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError, LxmlError) as exc:
        raise InputError(f"{path.name}: not a readable DOCX (password-protected or corrupt)") from exc
    blocks = []
    for paragraph in document.paragraphs:
        text = paragraph.text.strip()
        if not text:
            continue
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        level = re.match(r"Heading (\d)", style)
        if style == "Title":
            text = "# " + text
        elif level:
            text = "#" * min(int(level.group(1)) + 1, 6) + " " + text
        blocks.append(text)
    for table in document.tables:
        for row in table.rows:
            blocks.append(" | ".join(cell.text.strip() for cell in row.cells))
    meta: dict[str, Any] = {}
    if document.core_properties.title:
        meta["title"] = document.core_properties.title
    return "\n\n".join(blocks), meta


def _leading_heading(text: str) -> str:
    """The heading a document opens with, if it opens with one (a later heading titles a section, not the file)."""
    match = _HEADING.match(text.lstrip())
    return match.group(2).strip() if match else ""


def _topics(value: Any, path: Path) -> tuple[str, ...]:
    """Front matter `topics`: a list, a comma-separated string or one value (`topics: 12` is the topic "12")."""
    if value is None:
        return ()
    if isinstance(value, str):
        value = value.split(",")
    elif not isinstance(value, list):
        value = [value]
    if len(value) > MAX_TOPICS or any(isinstance(topic, dict | list) for topic in value):
        raise InputError(
            f"{path.name}: front matter `topics` must be a short list of words (at most {MAX_TOPICS})"
        )
    return tuple(str(topic).strip() for topic in value if str(topic).strip())


def _short(exc: BaseException) -> str:
    """An exception as a short reason, without the server paths some libraries put in their messages."""
    text = " ".join(str(exc).split()) or exc.__class__.__name__
    return re.sub(r"(?:/[^\s/'\"]+){2,}/?", "…", text)[:200]


def load_document(path: Path, *, root: Path | None = None) -> LoadedDocument:
    """Read a supported file; raise `InputError` naming why a file cannot be used."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in DATA_SUFFIXES:
        raise InputError(f"{path.name}: data file, not a document")
    if suffix not in _FORMATS:
        raise InputError(
            f"{path.name}: unsupported file type {suffix or '(none)'}; use .md, .txt, .html, .pdf or .docx"
        )
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(f"{path.name}: too large ({_size(size)}, limit {_size(MAX_FILE_BYTES)})")
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path.name}: unreadable ({exc.strerror or exc})") from exc
    if not data.strip():
        raise InputError(f"{path.name}: empty file")
    try:
        return _parse(path, data, root=root)
    except InputError:
        raise
    except (
        Exception
    ) as exc:  # a parser we do not control failed on hostile bytes: the file is skipped, not the run
        raise InputError(f"{path.name}: unreadable {_FORMATS[suffix].upper()} ({_short(exc)})") from exc


def _parse(path: Path, data: bytes, *, root: Path | None) -> LoadedDocument:
    suffix = path.suffix.lower()
    meta: dict[str, Any] = {}
    if suffix in (".md", ".markdown"):
        meta, text = _front_matter(_decode(data, path), path)
    elif suffix in (".txt", ".text"):
        text = _mark_txt_headings(_decode(data, path))
    elif _FORMATS[suffix] == "html":
        text, meta = _read_html(data, path)
    elif suffix == ".pdf":
        text = _read_pdf(path)
    else:
        text, meta = _read_docx(path)
    if not text.strip():
        raise InputError(f"{path.name}: no text could be extracted")
    title = str(meta.get("title") or _leading_heading(text) or path.stem.replace("-", " ").replace("_", " "))
    return LoadedDocument(
        path=path,
        doc_id=str(meta.get("id") or path_doc_id(path, root=root)),
        title=title.strip(),
        lang=str(meta.get("lang") or detect_lang(text)),
        text=text,
        topics=_topics(meta.get("topics"), path),
        source=str(meta.get("source") or ""),
        translation_of=str(meta.get("translation_of") or ""),
        format=_FORMATS[suffix],
        sha256=hashlib.sha256(data).hexdigest(),
        meta=meta,
        trust=trust_tier(path),
    )


def trust_tier(path: Path) -> str:
    """`curated` for the articles bundled with the advisor, `uploaded` for every other file."""
    bundled = KNOWLEDGE_DIR.resolve()
    return "curated" if bundled in path.resolve().parents else "uploaded"
