"""Reading exports: encodings, delimiters, XLSX, JSON, header synonyms, date forms, bad files, big files."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from org_helpers import AS_OF, csv_bytes

from advisor.errors import InputError
from advisor.org.roster import load_mapping_file, load_roster

ROWS = [
    {"rep_id": "1", "name": "Li Lei", "role": "Sales Manager", "manager_id": "", "hire_date": "2020-01-06"},
    {"rep_id": "2", "name": "Han Mei", "role": "BDR", "manager_id": "1", "hire_date": "2024-03-05"},
    {
        "rep_id": "3",
        "name": "Wang Fang",
        "role": "Account Executive",
        "manager_id": "1",
        "hire_date": "2023-01-05",
    },
]
CHINESE = (
    "工号,姓名,职位,上级,渠道,入职日期,离职日期,离职原因\n"
    "1,张伟,销售经理,,现场销售,2020-01-06,,\n"
    "2,李娜,销售发展代表,1,内部销售,2024年3月5日,2025年1月5日,主动离职\n"
    "3,王芳,客户经理,1,内部销售,2023/1/5,,\n"
)


def _roles(source: Path | bytes, **options: object) -> list[str]:
    roster = load_roster(source, as_of=AS_OF, filename="f", **options)  # type: ignore[arg-type]
    return [str(role) for role in roster.df["role"]]


def test_chinese_headers_and_values_map_to_the_canonical_roster() -> None:
    roster = load_roster(CHINESE.encode("utf-8"), filename="cn.csv", as_of=AS_OF)
    assert roster.columns_mapped == {
        "工号": "rep_id", "姓名": "name", "职位": "role", "上级": "manager_id", "渠道": "channel",
        "入职日期": "hire_date", "离职日期": "exit_date", "离职原因": "exit_reason",
    }  # fmt: skip
    assert list(roster.df["role"]) == ["manager", "sdr", "am"]
    assert list(roster.df["channel"]) == ["field", "inside", "inside"]
    assert roster.df["hire_date"].dt.date.tolist() == [date(2020, 1, 6), date(2024, 3, 5), date(2023, 1, 5)]
    assert roster.df["exit_date"].dt.date.tolist()[1] == date(2025, 1, 5)
    assert roster.df["exit_reason"].tolist()[1] == "voluntary"
    assert roster.issues == []


@pytest.mark.parametrize(
    "encoding,prefix",
    [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("utf-16", b""), ("utf-16-le", b""), ("gbk", b"")],
)
def test_encodings_give_the_same_roster(encoding: str, prefix: bytes) -> None:
    data = prefix + CHINESE.encode(encoding)
    roster = load_roster(data, filename="cn.csv", as_of=AS_OF)
    assert roster.df["name"].tolist() == ["张伟", "李娜", "王芳"]
    assert list(roster.df["role"]) == ["manager", "sdr", "am"]


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_delimiters_are_detected(delimiter: str) -> None:
    assert _roles(csv_bytes(ROWS, delimiter=delimiter)) == ["manager", "sdr", "ae"]


def test_unusual_delimiter_fails_with_a_hint_and_works_when_given() -> None:
    data = csv_bytes(ROWS, delimiter=":")
    with pytest.raises(InputError, match="--delimiter"):
        load_roster(data, filename="colon.csv", as_of=AS_OF)
    assert _roles(data, delimiter=":") == ["manager", "sdr", "ae"]


def test_xlsx_with_real_date_cells(tmp_path: Path) -> None:
    frame = pd.DataFrame(ROWS)
    frame["hire_date"] = pd.to_datetime(frame["hire_date"])
    frame["quota"] = [0, 0, 120000]
    path = tmp_path / "roster.xlsx"
    frame.to_excel(path, index=False)
    roster = load_roster(path, as_of=AS_OF)
    assert list(roster.df["role"]) == ["manager", "sdr", "ae"]
    assert roster.df["hire_date"].dt.date.tolist()[2] == date(2023, 1, 5)
    assert roster.df["quota"].tolist()[2] == 120000
    assert roster.issues == []


@pytest.mark.parametrize("wrap", [False, True])
def test_json_list_or_object_holding_a_list(wrap: bool) -> None:
    payload: object = {"people": ROWS} if wrap else ROWS
    assert _roles(json.dumps(payload).encode()) == ["manager", "sdr", "ae"]


def test_json_issues_use_record_numbers() -> None:
    rows = [dict(ROWS[0]), dict(ROWS[1], role="wizard")]
    roster = load_roster(json.dumps(rows).encode(), filename="r.json", as_of=AS_OF)
    assert [(issue.row, issue.column, issue.value) for issue in roster.issues] == [(2, "role", "wizard")]


def test_every_date_form_in_one_file() -> None:
    forms = ["2024-01-05", "2024/1/5", "1/5/2024", "2024年1月5日", "2024-01-05 00:00:00", "45296", "2024.1.5"]
    rows = [{"rep_id": str(i), "role": "ae", "hire_date": form} for i, form in enumerate(forms)]
    roster = load_roster(csv_bytes(rows), filename="d.csv", as_of=AS_OF)
    assert roster.issues == []
    assert set(roster.df["hire_date"].dt.date) == {date(2024, 1, 5)}


def test_dayfirst_reads_day_before_month() -> None:
    rows = [{"rep_id": "1", "role": "ae", "hire_date": "05/01/2024"}]
    us = load_roster(csv_bytes(rows), filename="d", as_of=AS_OF)
    eu = load_roster(csv_bytes(rows), filename="d", as_of=AS_OF, dayfirst=True)
    assert us.df["hire_date"].dt.date.tolist() == [date(2024, 5, 1)]
    assert eu.df["hire_date"].dt.date.tolist() == [date(2024, 1, 5)]


@pytest.mark.parametrize("content", [b"", b"   \n\n", b"\xef\xbb\xbf"])
def test_empty_file_is_a_clear_error(content: bytes) -> None:
    with pytest.raises(InputError, match="is empty"):
        load_roster(content, filename="empty.csv", as_of=AS_OF)


def test_header_only_is_a_clear_error() -> None:
    with pytest.raises(InputError, match="header but no rows"):
        load_roster(b"rep_id,role,hire_date\n", filename="h.csv", as_of=AS_OF)


def test_ragged_rows_are_a_clear_error() -> None:
    with pytest.raises(InputError, match="could not be read as CSV"):
        load_roster(
            b'rep_id,role,hire_date\n1,ae,2024-01-01\n2,"ae,2024-01-01\n', filename="q.csv", as_of=AS_OF
        )


def test_non_utf8_bytes_are_decoded_with_a_note() -> None:
    data = b"rep_id,name,role,hire_date\n1,Z\xffrich M\xfcller,ae,2024-01-01\n"
    roster = load_roster(data, filename="latin.csv", as_of=AS_OF)
    assert roster.df["name"].tolist() == ["Z\xffrich M\xfcller"]
    assert any("cp1252" in str(note) for note in roster.notes)


def test_file_over_the_size_limit_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    with path.open("wb") as handle:  # sparse: 200 MB on paper, nothing written
        handle.truncate(200 * 1024 * 1024)
    with pytest.raises(InputError, match=r"200\.0 MB, over the 150 MB limit.*--max-mb"):
        load_roster(path, as_of=AS_OF)


def test_bytes_over_the_size_limit_are_refused() -> None:
    with pytest.raises(InputError, match="over the 1 MB limit"):
        load_roster(b"x" * (2 * 1024 * 1024), filename="big.csv", as_of=AS_OF, max_mb=1)


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        load_roster(tmp_path / "nope.csv", as_of=AS_OF)


def test_old_excel_is_a_clear_error() -> None:
    with pytest.raises(InputError, match=r"\.xls"):
        load_roster(b"\xd0\xcf\x11\xe0" + b"\0" * 64, filename="old.xls", as_of=AS_OF)


def test_a_million_rows_load(tmp_path: Path) -> None:
    n = 1_000_000
    hire = pd.Timestamp("2015-01-01") + pd.to_timedelta(np.arange(n) % 3000, unit="D")
    frame = pd.DataFrame(
        {"rep_id": np.arange(n).astype(str), "role": np.where(np.arange(n) % 3 == 0, "sdr", "ae"),
         "hire_date": hire.strftime("%Y-%m-%d")}
    )  # fmt: skip
    path = tmp_path / "million.csv"
    frame.to_csv(path, index=False)
    roster = load_roster(path, as_of=AS_OF)
    assert len(roster.df) == n and roster.set_aside == 0
    assert int((roster.df["role"] == "sdr").sum()) == (n + 2) // 3


def test_explicit_mapping_wins_and_is_checked() -> None:
    rows = [{"Emp": "1", "Job": "ae", "Start": "2024-01-01", "Title": "Senior"}]
    roster = load_roster(csv_bytes(rows), filename="m.csv", as_of=AS_OF,
                         mapping={"Emp": "rep_id", "Job": "role", "Start": "hire_date"})  # fmt: skip
    assert roster.columns_mapped == {"Emp": "rep_id", "Job": "role", "Start": "hire_date"}
    assert roster.unmapped == ["Title"]
    with pytest.raises(InputError, match="not a roster column"):
        load_roster(csv_bytes(rows), filename="m.csv", as_of=AS_OF, mapping={"Emp": "employee"})
    with pytest.raises(InputError, match="not in the file"):
        load_roster(csv_bytes(rows), filename="m.csv", as_of=AS_OF, mapping={"Nope": "rep_id"})


def test_mapping_file_maps_headers_and_values(tmp_path: Path) -> None:
    path = tmp_path / "map.yaml"
    path.write_text(
        "columns:\n  Person: rep_id\n  Job: role\n  Joined: hire_date\nvalues:\n  role:\n    Hunter: ae\n"
    )
    columns, values = load_mapping_file(path)
    rows = [{"Person": "1", "Job": "Hunter", "Joined": "2024-01-01"}]
    roster = load_roster(csv_bytes(rows), filename="m", as_of=AS_OF, mapping=columns, value_map=values)
    assert list(roster.df["role"]) == ["ae"]


def test_no_role_column_says_how_to_map_one() -> None:
    with pytest.raises(InputError, match="No role column.*--map"):
        load_roster(csv_bytes([{"rep_id": "1", "hire_date": "2024-01-01"}]), filename="r", as_of=AS_OF)


def test_unrecognised_headers_say_how_to_map() -> None:
    with pytest.raises(InputError, match="No roster columns recognised"):
        load_roster(b"foo,bar\n1,2\n", filename="x.csv", as_of=AS_OF)


def test_missing_id_column_generates_ids_from_rows_and_says_so() -> None:
    rows = [{"role": "ae", "hire_date": "2024-01-01"}, {"role": "sdr", "hire_date": "2024-02-01"}]
    roster = load_roster(csv_bytes(rows), filename="r", as_of=AS_OF)
    assert roster.df["rep_id"].tolist() == ["row-2", "row-3"]
    assert any("generated from row numbers" in str(note) for note in roster.notes)


def test_where_keeps_matching_rows_and_counts_the_rest() -> None:
    rows = [dict(row, Department=dept) for row, dept in zip(ROWS, ["Sales", "sales", "R&D"], strict=True)]
    roster = load_roster(csv_bytes(rows), filename="r", as_of=AS_OF, where={"department": "Sales"})
    assert roster.df["rep_id"].tolist() == ["1", "2"] and roster.filtered_out == 1
    assert any("Kept 2 of 3 rows" in str(note) for note in roster.notes)


def test_blank_lines_are_ignored_but_row_numbers_stay_true() -> None:
    data = b"rep_id,role,hire_date\n1,ae,2024-01-01\n\n2,wizard,2024-01-01\n"
    roster = load_roster(data, filename="b.csv", as_of=AS_OF)
    assert [issue.row for issue in roster.issues] == [4]
    assert any("blank row" in str(note) for note in roster.notes)


def test_json_nested_100k_deep_is_a_clear_error() -> None:
    with pytest.raises(InputError, match="nests JSON deeper"):
        load_roster(b"[" * 100_000, filename="deep.json", as_of=AS_OF)


def test_json_nesting_past_the_cap_is_a_clear_error() -> None:
    from advisor.org.importer import ReadLimits, read_source

    payload = json.dumps([dict(ROWS[0], name=[[[["x"]]]])]).encode()
    assert read_source(payload, filename="n.json").frame["name"].tolist() == ['[[[["x"]]]]']
    with pytest.raises(InputError, match="n.json nests JSON more than 4 levels deep"):
        read_source(payload, filename="n.json", limits=ReadLimits(max_json_depth=4))


def test_json_duplicate_keys_are_an_error() -> None:
    with pytest.raises(InputError, match="key 'role' twice"):
        load_roster(b'[{"rep_id": "1", "role": "ae", "role": "sdr"}]', filename="k.json", as_of=AS_OF)


def test_a_cell_over_128_kb_reads_and_past_the_cap_is_set_aside() -> None:
    from advisor.org.importer import ReadLimits, read_source

    long_name = "n" * 200_000
    data = csv_bytes([dict(ROWS[0], name=long_name), ROWS[1]])
    roster = load_roster(data, filename="long.csv", as_of=AS_OF)
    assert roster.df["name"].tolist() == [long_name, "Han Mei"]
    raw = read_source(data, filename="long.csv", limits=ReadLimits(max_cell_kb=64))
    assert [(issue.row, issue.column) for issue in raw.issues] == [(2, "name")]
    assert "200,000 characters, over the 64 KB limit" in raw.issues[0].reason


def test_a_line_over_128_kb_in_the_sniffed_lines_reads() -> None:
    data = b"rep_id,role,hire_date,notes\n1,ae,2024-01-01," + b"x" * 300_000 + b"\n"
    assert _roles(data) == ["ae"]


def test_a_stray_quote_that_swallows_lines_is_reported_not_merged() -> None:
    lines = ["rep_id,role,hire_date"] + [f"{i},ae,2020-01-0{i % 9 + 1}" for i in range(1, 11)]
    lines[3], lines[7] = '3,"ae,2020-01-01', '7,ae",2020-01-01'
    roster = load_roster(("\n".join(lines) + "\n").encode(), filename="q.csv", as_of=AS_OF)
    assert roster.df["rep_id"].tolist() == ["1", "2", "8", "9", "10"] and roster.set_aside == 1
    merged = [issue for issue in roster.errors if "quote" in issue.reason]
    assert [(issue.row, issue.column) for issue in merged] == [(4, "role")]
    assert "lines 4-8 were read as one record" in merged[0].reason


def test_an_honest_multiline_cell_keeps_true_row_numbers() -> None:
    data = b'rep_id,name,role,hire_date\n1,"Main St, 5\nSpringfield",ae,2020-01-01\n2,b,wizard,2020-01-01\n'
    roster = load_roster(data, filename="m.csv", as_of=AS_OF)
    assert [(issue.row, issue.column) for issue in roster.issues] == [(4, "role")]


@pytest.mark.parametrize(
    "data,message",
    [
        (
            b"rep_id,role,role,hire_date\n1,ae,sdr,2024-01-01\n",
            "two columns named 'role' (column 2 and column 3)",
        ),
        (
            b"rep_id,Role,hire_date,rep_id\n1,ae,2024-01-01,2\n",
            "two columns named 'rep_id' (column 1 and column 4)",
        ),
    ],
)
def test_duplicate_headers_are_an_error_naming_both_columns(data: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_roster(data, filename="dup.csv", as_of=AS_OF)


def test_duplicate_headers_in_xlsx_are_an_error(tmp_path: Path) -> None:
    path = tmp_path / "dup.xlsx"
    pd.DataFrame([["1", "ae", "sdr", "2024-01-01"]], columns=["rep_id", "role", "x", "hire_date"]).rename(
        columns={"x": "role"}
    ).to_excel(path, index=False)
    with pytest.raises(InputError, match="two columns named 'role'"):
        load_roster(path, as_of=AS_OF)


def _zip_bomb(unpacked_mb: int) -> bytes:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            block = b"<row>" + b"<c><v>0</v></c>" * 4096 + b"</row>"
            for _ in range(unpacked_mb * 1024 * 1024 // len(block)):
                sheet.write(block)
    return buffer.getvalue()


def test_xlsx_zip_bomb_is_refused_before_parsing() -> None:
    bomb = _zip_bomb(300)
    assert len(bomb) < 2 * 1024 * 1024
    with pytest.raises(InputError, match=r"unpacks to 300 MB, over the 256 MB limit"):
        load_roster(bomb, filename="bomb.xlsx", as_of=AS_OF)


def test_xlsx_with_an_extreme_ratio_is_refused() -> None:
    with pytest.raises(InputError, match=r"unpacks to \d[\d,]* times its size"):
        load_roster(_zip_bomb(20), filename="ratio.xlsx", as_of=AS_OF)


def test_damaged_xlsx_is_a_clear_error() -> None:
    with pytest.raises(InputError, match="damaged.xlsx"):
        load_roster(b"PK\x03\x04" + b"\0" * 200, filename="damaged.xlsx", as_of=AS_OF)
