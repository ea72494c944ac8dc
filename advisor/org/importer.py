"""Read a roster export (CSV in any common encoding and delimiter, XLSX or JSON) into a table of strings."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from advisor.errors import InputError

DEFAULT_MAX_MB = 150.0
DELIMITERS = (",", ";", "\t", "|")
_XLSX_MAGIC = b"PK\x03\x04"
_XLS_MAGIC = b"\xd0\xcf\x11\xe0"


@dataclass
class RawTable:
    """A file read as strings: one column per source header, `rows` holds each row's number in the source."""

    frame: pd.DataFrame
    rows: pd.Series
    source: str
    file_format: str
    encoding: str | None = None
    delimiter: str | None = None
    notes: list[str] = field(default_factory=list)


def read_source(
    source: Path | bytes,
    *,
    filename: str | None = None,
    max_mb: float = DEFAULT_MAX_MB,
    delimiter: str | None = None,
) -> RawTable:
    """Read a path or bytes as a table of strings; the format is sniffed from the content, not the name."""
    name, data = _read_bytes(source, filename=filename, max_mb=max_mb)
    if not data.removeprefix(b"\xef\xbb\xbf").strip():
        raise InputError(f"{name} is empty: export it again with a header row and one row per person.")
    if data.startswith(_XLSX_MAGIC):
        table = _read_xlsx(data, name)
    elif data.startswith(_XLS_MAGIC):
        raise InputError(f"{name} is an old binary Excel (.xls) file: save it as .xlsx or CSV and try again.")
    elif data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"[", b"{"):
        table = _read_json(data, name)
    else:
        table = _read_csv(data, name, delimiter=delimiter)
    if table.frame.columns.empty:
        raise InputError(
            f"{name} has no header row: the first row must name the columns (see `advisor schema`)."
        )
    if table.frame.empty:
        raise InputError(f"{name} has a header but no rows: export it again with one row per person.")
    return table


def _read_bytes(source: Path | bytes, *, filename: str | None, max_mb: float) -> tuple[str, bytes]:
    limit = int(max_mb * 1024 * 1024)
    if isinstance(source, bytes | bytearray):
        name = filename or "the uploaded roster"
        size = len(source)
        data = bytes(source)
    else:
        path = Path(source)
        name = filename or str(path)
        if not path.is_file():
            raise InputError(f"{path} does not exist or is not a file: check the path.")
        size = path.stat().st_size
        data = b""
    if size > limit:
        raise InputError(
            f"{name} is {size / 1024 / 1024:.1f} MB, over the {max_mb:g} MB limit for a roster: "
            "keep only the roster columns (see `advisor schema`), split the file, or raise the limit with --max-mb."
        )
    if not data and not isinstance(source, bytes | bytearray):
        data = Path(source).read_bytes()
    return name, data


def decode(data: bytes) -> tuple[str, str]:
    """Decode bytes as UTF-8 (BOM or not), UTF-16 (BOM or NUL pattern), GBK/GB18030, else Windows-1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "utf-16"
    head = data[:4096]
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if max(even, odd) > len(head) // 10:
        # UTF-16 without a BOM: each ASCII character (digits, commas, newlines) leaves a NUL in its pair.
        encoding = "utf-16-le" if odd > even else "utf-16-be"
        return data.decode(encoding, errors="replace"), encoding
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return data.decode("cp1252", errors="replace"), "cp1252"


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the same number (>1) of fields most often."""
    lines = [line for line in text.splitlines()[:50] if line.strip()]
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        widths = [len(row) for row in csv.reader(lines, delimiter=delimiter)]
        if not widths or widths[0] < 2:
            continue
        score = (sum(width == widths[0] for width in widths), widths[0])
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _read_csv(data: bytes, name: str, *, delimiter: str | None) -> RawTable:
    text, encoding = decode(data)
    delimiter = delimiter or sniff_delimiter(text)
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,
            skipinitialspace=True,
        )
    except pd.errors.EmptyDataError as exc:
        raise InputError(f"{name} has no header row: the first row must name the columns.") from exc
    except (pd.errors.ParserError, csv.Error) as exc:
        raise InputError(
            f"{name} could not be read as CSV with delimiter {delimiter!r}: {exc}. "
            "Check that every row has as many fields as the header and that quotes are closed."
        ) from exc
    notes = []
    if encoding not in ("utf-8", "utf-8-sig"):
        notes.append(f"{name} was decoded as {encoding}.")
    if encoding == "cp1252":
        notes.append("If names look wrong, save the file as UTF-8 and import it again.")
    # Header is line 1, so data row i (from 0) is line i + 2 as a spreadsheet shows it.
    return _finish(frame, name, "csv", notes, encoding=encoding, delimiter=delimiter, first_row=2)


def _read_xlsx(data: bytes, name: str) -> RawTable:
    try:
        frame = pd.read_excel(io.BytesIO(data), sheet_name=0, dtype=str, keep_default_na=False)
    except Exception as exc:  # openpyxl raises many types for damaged workbooks
        raise InputError(
            f"{name} looks like an Excel workbook but could not be read ({exc}): re-save it."
        ) from exc
    return _finish(frame, name, "xlsx", ["Read the first sheet of the workbook."], first_row=2)


def _read_json(data: bytes, name: str) -> RawTable:
    text, encoding = decode(data)
    try:
        payload = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{name} is not valid JSON ({exc}): export it as a list of objects.") from exc
    if isinstance(payload, dict):
        lists = [value for value in payload.values() if isinstance(value, list)]
        payload = lists[0] if len(lists) == 1 else None
    if not isinstance(payload, list) or not all(isinstance(item, dict) for item in payload):
        raise InputError(
            f"{name} must be a JSON list of objects, one per person (or an object holding one such list)."
        )
    if not payload:
        raise InputError(f"{name} holds an empty list: export it again with one object per person.")
    frame = pd.DataFrame.from_records(payload)
    frame = frame.astype(object).where(frame.notna(), "").astype(str)
    # JSON has no header line: record i (from 0) is record number i + 1.
    return _finish(frame, name, "json", [], encoding=encoding, first_row=1)


def _finish(
    frame: pd.DataFrame,
    name: str,
    file_format: str,
    notes: list[str],
    *,
    first_row: int,
    encoding: str | None = None,
    delimiter: str | None = None,
) -> RawTable:
    frame.columns = pd.Index([str(column).strip() for column in frame.columns])
    # Spreadsheets often carry empty trailing columns that pandas names "Unnamed: n".
    empty_extra = [
        str(c) for c in frame.columns if str(c).startswith("Unnamed:") and not frame[c].ne("").any()
    ]
    frame = frame.drop(columns=empty_extra)
    rows = pd.Series(range(first_row, first_row + len(frame)), index=frame.index, dtype="int64")
    # Blank lines come through as rows of empty cells (kept so row numbers match the file); drop them here.
    blank = (frame == "").all(axis=1) if len(frame.columns) else None
    if blank is not None and blank.any():
        notes.append(f"Ignored {int(blank.sum())} blank row(s).")
        frame, rows = frame.loc[~blank], rows.loc[~blank]
    frame = frame.reset_index(drop=True)
    rows = rows.reset_index(drop=True)
    return RawTable(frame, rows, name, file_format, encoding=encoding, delimiter=delimiter, notes=notes)
