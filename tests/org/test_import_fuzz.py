"""Fuzzing the roster importer: hostile bytes, structure, numbers and dates never escape as anything but InputError.

Every run checks three things: no exception other than `InputError` escapes `load_roster`; every record the reader
produced is either accepted or set aside (rows in = accepted + set aside); every issue names a row, a column and a
reason.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from org_helpers import AS_OF

from advisor.errors import InputError
from advisor.org.importer import read_source
from advisor.org.roster import Roster, load_roster

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
HEADERS = ["rep_id", "name", "role", "manager_id", "hire_date", "exit_date", "quota", "tenure_months", "role"]
HOSTILE_NUMBERS = [
    "inf",
    "-inf",
    "1e309",
    "9" * 400,
    "NaN",
    "Infinity",
    "1e15",
    "-5",
    "0x10",
    "1,2,3",
    "1e-400",
]
HOSTILE_DATES = ["0001-01-01", "1677-09-21", "2262-04-12", "9999-12-31", "2020-02-30", "99999", "-1", "1/1/1"]
NORMAL = [
    "1",
    "2",
    "ae",
    "sdr",
    "manager",
    "Li Lei",
    "张伟",
    "2020-01-06",
    "2024年3月5日",
    "120000",
    "$1.2M",
    "",
]
NASTY = ['"', '""', "\n", "\r\n", ",", ";", "\t", "\x00", "\ufeff", "=1+1", "\u202e", "x" * 300]

cells = st.one_of(
    st.sampled_from(NORMAL + HOSTILE_NUMBERS + HOSTILE_DATES + NASTY),
    st.text(max_size=20),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(min_value=-(10**500), max_value=10**500).map(str),
)


def _attempt(data: bytes, filename: str) -> Roster | None:
    """Import, allowing only a clear InputError; return the roster when there is one."""
    try:
        return load_roster(data, filename=filename, as_of=AS_OF)
    except InputError as error:
        assert str(error).strip() and "Traceback" not in str(error)
        return None


def _records(data: bytes, filename: str) -> int | None:
    try:
        return len(read_source(data, filename=filename).frame)
    except InputError:
        return None


def _check(roster: Roster, records: int | None) -> None:
    if records is not None:
        assert len(roster.df) + roster.set_aside == records
    for issue in roster.issues:
        assert isinstance(issue.row, int) and issue.row >= 1
        assert issue.column and issue.reason.strip()
    assert len(roster.errors) >= (1 if roster.set_aside else 0)


@FUZZ
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_crash(data: bytes) -> None:
    roster = _attempt(data, "bytes.csv")
    if roster is not None:
        _check(roster, _records(data, "bytes.csv"))


@FUZZ
@given(
    st.lists(st.sampled_from(HEADERS), min_size=2, max_size=8, unique=True),
    st.lists(st.lists(cells, min_size=0, max_size=9), min_size=1, max_size=12),
    st.sampled_from([",", ";", "\t", "|"]),
    st.booleans(),
)
def test_csv_structure_and_values_never_crash(
    header: list[str], body: list[list[str]], delimiter: str, quoted: bool
) -> None:
    """Quoted rows are well-formed CSV (records known); unquoted ones carry raw quotes and newlines."""
    buffer = io.StringIO()
    if quoted:
        writer = csv.writer(
            buffer, delimiter=delimiter, lineterminator="\r\n"
        )  # quotes any CR or LF in a cell
        writer.writerow(header)
        writer.writerows(row[: len(header)] for row in body)
    else:
        buffer.write("\n".join(delimiter.join(row) for row in [header, *body]) + "\n")
    data = buffer.getvalue().encode("utf-8")
    roster = _attempt(data, "fuzz.csv")
    if roster is None:
        return
    _check(roster, _records(data, "fuzz.csv"))
    if quoted:
        kept = [row for row in body if any(row[: len(header)])]  # rows csv.writer wrote with any text
        assert len(roster.df) + roster.set_aside + roster.filtered_out <= len(kept)


json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(NORMAL + HOSTILE_NUMBERS + HOSTILE_DATES),
)
json_values = st.recursive(json_scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3), max_leaves=8)  # fmt: skip


@FUZZ
@given(
    st.lists(st.dictionaries(st.sampled_from(HEADERS[:-1]), json_values, max_size=8), min_size=1, max_size=10)
)
def test_json_records_never_crash(records: list[dict[str, Any]]) -> None:
    data = json.dumps(records).encode()  # json.dumps writes Infinity and NaN, as some exporters do
    roster = _attempt(data, "fuzz.json")
    if roster is not None:
        _check(roster, _records(data, "fuzz.json"))


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=1, max_value=200_000), st.sampled_from(["[", '{"a":', '[{"rep_id":']))
def test_json_nesting_of_any_depth_is_a_clear_error(depth: int, opener: str) -> None:
    with_close = opener * depth
    roster = _attempt(with_close.encode(), "deep.json")
    assert roster is None


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(cells, min_size=4, max_size=4), min_size=1, max_size=5))
def test_xlsx_cells_never_crash(body: list[list[str]]) -> None:
    buffer = io.BytesIO()
    frame = pd.DataFrame(body, columns=["rep_id", "role", "hire_date", "quota"])
    frame.map(lambda cell: "".join(ch for ch in cell if ch.isprintable())).to_excel(buffer, index=False)
    data = buffer.getvalue()
    roster = _attempt(data, "fuzz.xlsx")
    if roster is not None:
        _check(roster, _records(data, "fuzz.xlsx"))
