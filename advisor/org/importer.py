"""Read a roster export (CSV in any common encoding and delimiter, XLSX or JSON) into a table of strings.

Hostile files meet limits, not tracebacks: every failure of a reader becomes an `InputError` naming the file and
the reason, and damage confined to one record (an oversized cell, an unclosed quote that swallowed the lines after
it) sets that record aside with a `RosterIssue` instead of failing the file or merging people silently.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from advisor.archives import ZipLimits, check_zip
from advisor.errors import AdvisorError
from advisor.org.messages import Message, MessageError, message
from advisor.org.validate import RosterIssue
from advisor.text.encoding import decode

DEFAULT_MAX_MB = 150.0
DELIMITERS = (",", ";", "\t", "|")
_XLSX_MAGIC = b"PK\x03\x04"
_XLS_MAGIC = b"\xd0\xcf\x11\xe0"


@dataclass(frozen=True)
class ReadLimits:
    """Caps on what one roster file may cost: cell size, JSON nesting, and the unzipped size of a workbook."""

    max_cell_kb: int = 1024
    max_json_depth: int = 32
    zip: ZipLimits = field(default_factory=ZipLimits)


@dataclass
class RawTable:
    """A file read as strings: one column per source header, `rows` holds each row's number in the source."""

    frame: pd.DataFrame
    rows: pd.Series
    source: str
    file_format: str
    encoding: str | None = None
    delimiter: str | None = None
    notes: list[Message] = field(default_factory=list)
    # Records the reader could not trust (an unclosed quote, an oversized cell): validation sets them aside.
    issues: list[RosterIssue] = field(default_factory=list)


def read_source(
    source: Path | bytes,
    *,
    filename: str | None = None,
    max_mb: float = DEFAULT_MAX_MB,
    delimiter: str | None = None,
    limits: ReadLimits | None = None,
) -> RawTable:
    """Read a path or bytes as a table of strings; the format is sniffed from the content, not the name."""
    limits = limits or ReadLimits()
    name, data = _read_bytes(source, filename=filename, max_mb=max_mb)
    if not data.removeprefix(b"\xef\xbb\xbf").strip():
        raise MessageError("errors.empty_file", name=name)
    try:
        table = _read_any(data, name, delimiter=delimiter, limits=limits)
    except AdvisorError:
        raise
    except (
        Exception
    ) as exc:  # a reader we do not control failed on hostile bytes: one clear error, no traceback
        raise MessageError(
            "errors.unreadable", name=name, kind=type(exc).__name__, detail=str(exc)[:200]
        ) from exc
    if table.frame.columns.empty:
        raise MessageError("errors.no_header_schema", name=name)
    if table.frame.empty:
        raise MessageError("errors.no_rows", name=name)
    return table


def _read_any(data: bytes, name: str, *, delimiter: str | None, limits: ReadLimits) -> RawTable:
    if data.startswith(_XLSX_MAGIC):
        return _read_xlsx(data, name, limits)
    if data.startswith(_XLS_MAGIC):
        raise MessageError("errors.xls", name=name)
    if data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"[", b"{"):
        return _read_json(data, name, limits)
    return _read_csv(data, name, delimiter=delimiter, limits=limits)


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
            raise MessageError("errors.no_such_file", path=str(path))
        size = path.stat().st_size
        data = b""
    if size > limit:
        raise MessageError("errors.too_large", name=name, mb=size / 1024 / 1024, limit=max_mb)
    if not data and not isinstance(source, bytes | bytearray):
        data = Path(source).read_bytes()
    return name, data


@contextlib.contextmanager
def _csv_field_limit(limit: int) -> Iterator[None]:
    """Raise the csv module's 128 KB field cap to ours for one read (it is process-wide state)."""
    previous = csv.field_size_limit(max(limit, 131072))
    try:
        yield
    finally:
        csv.field_size_limit(previous)


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the same number (>1) of fields most often."""
    lines = [line for line in text.splitlines()[:50] if line.strip()]
    best, best_score = ",", (0, 0)
    with _csv_field_limit(len(text) + 1):
        for delimiter in DELIMITERS:
            widths = [len(row) for row in csv.reader(lines, delimiter=delimiter)]
            if not widths or widths[0] < 2:
                continue
            score = (sum(width == widths[0] for width in widths), widths[0])
            if score > best_score:
                best, best_score = delimiter, score
    return best


def _read_csv(data: bytes, name: str, *, delimiter: str | None, limits: ReadLimits) -> RawTable:
    text, encoding = decode(data)
    delimiter = delimiter or sniff_delimiter(text)
    try:
        # header=None: the header row is read as data so duplicate names reach us unrenamed.
        grid = pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            header=None,
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,
            skipinitialspace=True,
        )
    except pd.errors.EmptyDataError as exc:
        raise MessageError("errors.no_header", name=name) from exc
    except (pd.errors.ParserError, csv.Error) as exc:
        raise MessageError("errors.bad_csv", name=name, delimiter=delimiter, detail=str(exc)) from exc
    notes: list[Message] = []
    if encoding not in ("utf-8", "utf-8-sig"):
        notes.append(message("roster_texts.decoded", name=name, encoding=encoding))
    if encoding == "cp1252":
        notes.append(message("roster_texts.cp1252"))
    frame = _with_header(grid, name)
    lines = _line_numbers(grid)
    issues = _merged_records(frame, lines, delimiter)
    return _finish(
        frame,
        name,
        "csv",
        notes,
        encoding=encoding,
        delimiter=delimiter,
        lines=lines,
        issues=issues,
        limits=limits,
    )


def _with_header(grid: pd.DataFrame, name: str) -> pd.DataFrame:
    """Promote the first row of a headerless grid to the header, refusing two columns with the same name."""
    if grid.empty:
        raise MessageError("errors.no_header", name=name)
    headers = [str(cell).strip() for cell in grid.iloc[0].fillna("")]
    headers = [header or f"Unnamed: {position}" for position, header in enumerate(headers)]
    _refuse_duplicate_headers(headers, name)
    frame = grid.iloc[1:].fillna("").reset_index(drop=True)
    frame.columns = pd.Index(headers)
    return frame


def _refuse_duplicate_headers(headers: list[str], name: str) -> None:
    seen: dict[str, int] = {}
    for position, header in enumerate(headers, start=1):
        key = header.casefold()
        if key in seen:
            raise MessageError(
                "errors.duplicate_header", name=name, header=header, first=seen[key], second=position
            )
        seen[key] = position


def _line_numbers(grid: pd.DataFrame) -> np.ndarray:
    """The physical line each data record starts on: 2, 3, ... unless a quoted cell spans several lines."""
    spans = np.ones(len(grid), dtype=np.int64)
    for column in grid.columns:
        cells = grid[column].fillna("")
        if cells.str.contains("\n", regex=False).any():
            spans += cells.str.count("\n").to_numpy()
    starts = 1 + np.concatenate(([0], np.cumsum(spans)[:-1]))
    return starts[1:]


def _merged_records(frame: pd.DataFrame, lines: np.ndarray, delimiter: str) -> list[RosterIssue]:
    """Records whose quoted cell swallowed whole lines (a stray `"`): the raw lines held more records than we read."""
    width = len(frame.columns)
    issues = []
    for column in frame.columns:
        cells = frame[column]
        multiline = cells.str.contains("\n", regex=False)
        if not multiline.any():
            continue
        for position in np.flatnonzero(multiline.to_numpy()):
            cell = str(cells.iloc[position])
            inner = cell.split("\n")[1:]
            if not any(line.count(delimiter) >= max(1, width - 2) for line in inner):
                continue  # an honest multi-line cell (an address, a note)
            start = int(lines[position])
            issues.append(
                RosterIssue(
                    start,
                    str(column),
                    cell[:60],
                    message("roster_texts.open_quote", start=start, end=start + len(inner)),
                )
            )
    return issues


def _read_xlsx(data: bytes, name: str, limits: ReadLimits) -> RawTable:
    check_zip(data, name=name, kind="XLSX workbook", limits=limits.zip)
    try:
        grid = pd.read_excel(io.BytesIO(data), sheet_name=0, header=None, dtype=str, keep_default_na=False)
    except Exception as exc:  # openpyxl raises many types for damaged workbooks
        raise MessageError("errors.bad_xlsx", name=name, detail=str(exc)[:200]) from exc
    frame = _with_header(grid, name)
    lines = np.arange(2, 2 + len(frame), dtype=np.int64)
    return _finish(frame, name, "xlsx", [message("roster_texts.first_sheet")], lines=lines, limits=limits)


def _read_json(data: bytes, name: str, limits: ReadLimits) -> RawTable:
    text, encoding = decode(data)
    try:
        # Numbers stay text (a 400-digit integer or Infinity is then judged by validation, never overflows here).
        payload = json.loads(
            text, parse_int=str, parse_float=str, parse_constant=str, object_pairs_hook=_unique_keys(name)
        )
    except json.JSONDecodeError as exc:
        raise MessageError("errors.bad_json", name=name, detail=str(exc)) from exc
    except RecursionError as exc:
        raise MessageError("errors.json_too_deep", name=name) from exc
    if isinstance(payload, dict):
        lists = [value for value in payload.values() if isinstance(value, list)]
        payload = lists[0] if len(lists) == 1 else None
    if not isinstance(payload, list) or not all(isinstance(item, dict) for item in payload):
        raise MessageError("errors.json_not_list", name=name)
    if not payload:
        raise MessageError("errors.json_empty", name=name)
    if _depth(payload) > limits.max_json_depth:
        raise MessageError("errors.json_depth", name=name, depth=limits.max_json_depth)
    frame = pd.DataFrame.from_records(
        [{key: _cell(value) for key, value in item.items()} for item in payload]
    )
    frame = frame.astype(object).where(frame.notna(), "").astype(str)
    # JSON has no header line: record i (from 0) is record number i + 1.
    lines = np.arange(1, 1 + len(frame), dtype=np.int64)
    return _finish(frame, name, "json", [], encoding=encoding, lines=lines, limits=limits)


def _unique_keys(name: str) -> Any:
    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        seen: dict[str, Any] = {}
        for key, value in items:
            if key in seen:
                raise MessageError("errors.duplicate_key", name=name, field=key)
            seen[key] = value
        return seen

    return pairs


def _depth(payload: Any) -> int:
    """Nesting depth of a JSON value, walked without recursion."""
    deepest, stack = 0, [(payload, 1)]
    while stack:
        value, depth = stack.pop()
        deepest = max(deepest, depth)
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return deepest


def _cell(value: Any) -> str:
    """A JSON value as cell text: scalars as written, nested values as compact JSON."""
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _finish(
    frame: pd.DataFrame,
    name: str,
    file_format: str,
    notes: list[Message],
    *,
    lines: np.ndarray,
    limits: ReadLimits,
    issues: list[RosterIssue] | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
) -> RawTable:
    frame.columns = pd.Index([str(column).strip() for column in frame.columns])
    _refuse_duplicate_headers(list(frame.columns), name)
    issues = list(issues or [])
    # Spreadsheets often carry empty trailing columns with no header ("Unnamed: n").
    empty_extra = [
        str(c) for c in frame.columns if str(c).startswith("Unnamed:") and not frame[c].ne("").any()
    ]
    frame = frame.drop(columns=empty_extra)
    rows = pd.Series(lines, index=frame.index, dtype="int64")
    issues.extend(_oversized_cells(frame, rows, limits))
    # Blank lines come through as rows of empty cells (kept so row numbers match the file); drop them here.
    blank = (frame == "").all(axis=1) if len(frame.columns) else None
    if blank is not None and blank.any():
        notes.append(message("roster_texts.blank_rows", n=int(blank.sum())))
        frame, rows = frame.loc[~blank], rows.loc[~blank]
    frame = frame.reset_index(drop=True)
    rows = rows.reset_index(drop=True)
    return RawTable(
        frame, rows, name, file_format, encoding=encoding, delimiter=delimiter, notes=notes, issues=issues
    )


def _oversized_cells(frame: pd.DataFrame, rows: pd.Series, limits: ReadLimits) -> list[RosterIssue]:
    """Cells over the size cap: each is reported, and emptied so nothing downstream pays for it."""
    cap = limits.max_cell_kb * 1024
    issues = []
    for column in frame.columns:
        sizes = frame[column].str.len()
        over = sizes > cap
        if not over.any():
            continue
        for position in np.flatnonzero(over.to_numpy()):
            issues.append(
                RosterIssue(
                    int(rows.iloc[position]),
                    str(column),
                    str(frame[column].iloc[position])[:60],
                    message(
                        "roster_texts.big_cell",
                        chars=f"{int(sizes.iloc[position]):,}",
                        limit=limits.max_cell_kb,
                    ),
                )
            )
        frame.loc[over, column] = ""
    return issues
