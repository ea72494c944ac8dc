"""Every interface string in both languages: template keys, label catalogues and the rendered Chinese pages."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from phrases import library_phrases
from web_server import ROSTERS

from advisor.org.schema import COLUMN_NAMES
from api.i18n import LANGUAGES, MESSAGES
from api.pages.render import TEMPLATES_DIR
from api.scenarios import EDITS

_KEY = re.compile(r"""\bt\(\s*['"]([a-z0-9_]+)['"]""")
_PREFIXED = re.compile(r"""\bt\(\s*['"]([a-z0-9_]+_)['"]\s*~""")
# keys built from a prefix and a value in templates: t('col_' ~ column), t('run_' ~ run.status), ...
DYNAMIC = {
    "col_": COLUMN_NAMES,
    "edit_": EDITS,
    "run_": ("queued", "running", "finished", "failed"),
    "people_": ("manager", "role", "channel", "territory", "status"),
    "status_": ("active", "left"),
    "org_": ("metrics", "findings"),
    "plan_": ("recruiting_usd", "onboarding_usd", "vacancy_months", "monthly_salary_usd"),
}
# the same word in both languages on purpose
SAME_IN_BOTH = {"evals_download_json", "nav_api"}


def _template_keys() -> set[str]:
    keys: set[str] = set()
    for path in Path(TEMPLATES_DIR).glob("*.html"):
        text = path.read_text(encoding="utf-8")
        keys |= {key for key in _KEY.findall(text) if not key.endswith("_")}
        for prefix in _PREFIXED.findall(text):
            assert prefix in DYNAMIC, f"{path.name}: t('{prefix}' ~ ...) has no list of values in this test"
            keys |= {prefix + value for value in DYNAMIC[prefix]}
    return keys


def test_every_template_key_is_in_both_catalogues() -> None:
    keys = _template_keys()
    for lang in LANGUAGES:
        missing = sorted(keys - set(MESSAGES[lang]))
        assert not missing, f"{lang} catalogue lacks {missing}"


def test_catalogues_hold_the_same_keys_and_chinese_is_translated() -> None:
    assert set(MESSAGES["en"]) == set(MESSAGES["zh"])
    untranslated = sorted(
        key for key, text in MESSAGES["zh"].items() if text == MESSAGES["en"][key] and key not in SAME_IN_BOTH
    )
    assert not untranslated
    placeholders = {key: set(re.findall(r"\{(\w+)\}", text)) for key, text in MESSAGES["en"].items()}
    for key, text in MESSAGES["zh"].items():
        assert set(re.findall(r"\{(\w+)\}", text)) == placeholders[key], key


def test_every_metric_role_channel_and_severity_has_a_chinese_name() -> None:
    from advisor.org.analysis import analyze
    from advisor.org.roster import load_roster
    from advisor.plan.labels import labels, metric_label
    from api.org_service import bundled_benchmarks

    result = analyze(load_roster(ROSTERS / "problem_team.csv"), benchmarks=bundled_benchmarks())
    missing = [m.id for m in result.metrics if metric_label(m, "zh") in (m.id, m.label)]
    assert not missing, f"no Chinese name for metrics {missing}"
    values = labels("zh")["values"]
    for dimension, names in {"role": ("sdr", "ae", "am", "se", "manager", "director", "other"),
                             "channel": ("inside", "field", "hybrid"),
                             "severity": ("high", "medium", "low", "info")}.items():  # fmt: skip
        assert set(names) <= set(values[dimension]), dimension


@pytest.fixture
def pages(client: TestClient) -> list[str]:
    """Every page of the app for an uploaded org, in Chinese."""
    with (ROSTERS / "problem_team.csv").open("rb") as handle:
        upload = client.post(
            "/orgs", files={"file": ("team.csv", handle, "text/csv")}, follow_redirects=False
        )
    org = upload.headers["location"]
    client.get("/chat?lang=zh")
    urls = ["/chat", "/orgs", org, f"{org}/mapping", f"{org}/scenario", f"{org}/plan", f"{org}/people?manager=M1",
            "/kb", "/evals"]  # fmt: skip
    form = {"edit": ["hire", "move", "add_manager", "remove_manager"], "target": ["sdr", "inside", "", ""],
            "dest": ["", "", "", ""], "amount": ["2", "30", "1", "1"]}  # fmt: skip
    posted = [
        client.post(f"{org}/scenario", data=form).text,
        client.post(f"{org}/scenario", data={"mode": "json", "spec": '{"hire": {"cfo": 1}}'}).text,
        client.post("/orgs", files={"file": ("team.csv", b"role,name\n", "text/csv")}).text,
    ]
    return [client.get(url).text for url in urls] + posted


def test_chinese_pages_show_no_english_interface_text(pages: list[str]) -> None:
    # phrases, not single short words that a roster's own data may hold ("Maya Manager")
    english = {
        text
        for key, text in MESSAGES["en"].items()
        if (" " in text or len(text) > 8) and key not in SAME_IN_BOTH and "{" not in text
    } | library_phrases()
    for html in pages:
        visible = re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S))
        leaked = sorted(
            text for text in english if re.search(rf"(?<![\w-]){re.escape(text)}(?![\w-])", visible)
        )
        assert not leaked, leaked
        assert '<html lang="zh-CN">' in html


def test_the_library_catalogues_hold_the_same_keys_and_chinese_is_translated() -> None:
    from advisor.plan.labels import labels

    for group in ("scenario", "errors"):
        english, chinese = labels("en")[group], labels("zh")[group]
        assert set(english) == set(chinese), group
        for key, text in english.items():
            # Chinese may leave out a parser's own (English) detail, never add a value
            assert set(re.findall(r"\{(\w+)", chinese[key])) <= set(re.findall(r"\{(\w+)", text)), key
            assert key == "placed" or chinese[key] != text, f"{group}.{key} is not translated"
            words = re.sub(r"\{[^}]*\}|JSON|YAML|Excel|UTF-8|CSV|\.xlsx?", "", chinese[key])
            assert not re.search(r"[A-Za-z]{3,}", words), f"{group}.{key}: {chinese[key]}"


@pytest.mark.parametrize(
    ("filename", "content", "status", "chinese", "english"),
    [
        ("team.csv", b"role,name\n", 400, "team.csv 只有表头，没有数据行：请重新导出，每人一行。",
         "team.csv has a header but no rows: export it again with one row per person."),
        ("team.csv", b"role,Role\nae,ae\n", 400, "team.csv 中有两列都叫“Role”（第 1 列和第 2 列）",
         "team.csv has two columns named 'Role' (column 1 and column 2)"),
        ("team.txt", b"role\nae\n", 415, "不支持的文件类型“.txt”：请上传以下类型之一：",
         "Unsupported file type `.txt`; upload one of:"),
        ("team.csv", b"", 400, "上传的文件是空的。", "The uploaded file is empty."),
    ],
)  # fmt: skip
def test_an_upload_error_reads_in_the_page_language_and_the_api_keeps_english(
    client: TestClient, filename: str, content: bytes, status: int, chinese: str, english: str
) -> None:
    files = {"file": (filename, content, "text/csv")}
    page = client.post("/orgs?lang=zh", files=files)
    assert page.status_code == status
    message = unescape(page.text.split('id="error-message"')[1].split("</p>")[0])
    assert chinese in message and 'lang="en"' not in message, message
    assert english in unescape(client.post("/orgs?lang=en", files=files).text)
    assert english in client.post("/api/orgs", files=files).json()["detail"]


_DIRTY = """rep_id,name,role,channel,segment,manager_id,hire_date,exit_date,exit_reason,quota,department
M1,Mia,manager,inside,smb,,2020-01-01,,,,Sales
A1,Ann,ae,inside,smb,M1,2024-01-01,,,100000,Sales
A1,Dup,ae,inside,smb,M1,2024-01-01,,,100000,Sales
,NoId,ae,inside,smb,M1,2024-01-01,,,100000,Sales
A3,Cfo,cfo,inside,smb,M1,2024-01-01,,,100000,Sales
A4,Blank,,inside,smb,M1,2024-01-01,,,100000,Sales
A5,Tele,ae,teleport,smb,M1,2024-01-01,,,100000,Sales
A6,Gal,ae,inside,galactic,M1,2024-01-01,,,100000,Sales
A7,Why,ae,inside,smb,M1,2024-01-01,2025-01-01,whatever,100000,Sales
A8,Abc,ae,inside,smb,M1,2024-01-01,,,abc,Sales
A9,Neg,ae,inside,smb,M1,2024-01-01,,,-5,Sales
B1,Big,ae,inside,smb,M1,2024-01-01,,,1e15,Sales
B2,Date,ae,inside,smb,M1,notadate,,,100000,Sales
B3,Old,ae,inside,smb,M1,1900-01-01,,,100000,Sales
B4,None,ae,inside,smb,M1,,,,100000,Sales
B5,Soon,ae,inside,smb,M1,2026-06-01,,,100000,Sales
B6,Back,ae,inside,smb,M1,2024-01-01,2023-01-01,voluntary,100000,Sales
B7,Later,ae,inside,smb,M1,2024-01-01,2026-03-01,voluntary,100000,Sales
B8,Reason,ae,inside,smb,M1,2024-01-01,,voluntary,100000,Sales
B9,Ghost,ae,inside,smb,ZZ,2024-01-01,,,100000,Sales
C1,Aside,ae,inside,smb,A3,2024-01-01,,,100000,Sales
C2,Loop,ae,inside,smb,C3,2024-01-01,,,100000,Sales
C3,Loop,ae,inside,smb,C2,2024-01-01,,,100000,Sales
C4,Other,ae,inside,smb,M1,2024-01-01,,,100000,R&D

"""


def test_every_note_and_cell_issue_a_roster_gets_reads_in_chinese() -> None:
    from datetime import date

    from advisor.org.roster import load_roster
    from advisor.plan.labels import labels

    assert set(labels("en")["roster_texts"]) == set(labels("zh")["roster_texts"])
    assert set(labels("en")["roster_parts"]) == set(labels("zh")["roster_parts"])
    dirty = load_roster(_DIRTY.encode("cp1252") + "José,ae\n".encode("cp1252"), filename="dirty.csv",
                        as_of=date(2025, 12, 31), where={"department": "Sales"})  # fmt: skip
    undated = load_roster(b"name,role\nAnn,ae\n", filename="crm.csv")
    worded = [issue.why for issue in dirty.issues] + dirty.notes + undated.notes
    assert len({issue.reason for issue in dirty.issues}) >= 18 and len(dirty.notes + undated.notes) >= 4
    for line in worded:
        chinese = line.text("zh")
        assert chinese != str(line), f"no Chinese wording for {line}"
        assert not re.search(r"\b(?:the|is|use|of|a|an|and|with|not)\b", chinese), chinese


def test_the_chinese_dashboard_words_the_cell_issues_and_notes_in_chinese(client: TestClient) -> None:
    files = {"file": ("dirty.csv", _DIRTY.encode("utf-8"), "text/csv")}
    org = client.post("/orgs", files=files, follow_redirects=False).headers["location"]
    page = unescape(client.get(f"{org}?lang=zh").text)
    issues = page.split('id="issues"')[1].split("</table>")[0]
    assert "无法识别的 role 取值：请使用 sdr、ae、am、se、manager、director、other 之一" in issues
    assert "unknown" not in issues and "the reporting line is ignored" not in issues
    english = unescape(client.get(f"{org}?lang=en").text).split('id="issues"')[1].split("</table>")[0]
    assert (
        "unknown role: use one of sdr, ae, am, se, manager, director, other, or map the value with" in english
    )


def test_an_impossible_row_filter_is_explained_in_the_page_language(client: TestClient) -> None:
    files = {"file": ("dirty.csv", _DIRTY.encode("utf-8"), "text/csv")}
    org = client.post("/orgs", files=files, follow_redirects=False).headers["location"]
    org_id = org.rsplit("/", 1)[1]
    body = {"mapping": {}, "options": {"where": {"department": "Finance"}}}
    chinese = client.post(f"/api/orgs/{org_id}/preview?lang=zh", json=body).json()["message"]
    assert chinese == "没有符合 department = Finance 的行：请检查筛选值（不区分大小写）。"
    english = client.post(f"/api/orgs/{org_id}/preview?lang=en", json=body).json()["message"]
    assert (
        english == "No rows match department = Finance: check the value (values seen are case-insensitive)."
    )
    form = {"filter_column": "department", "filter_value": "Finance"}
    page = unescape(client.post(f"{org}/mapping?lang=zh", data=form).text)
    assert "没有符合 department = Finance 的行" in page.split('class="error"')[1].split("</p>")[0]


def test_an_org_waiting_for_its_columns_says_so_in_the_page_language(client: TestClient) -> None:
    files = {"file": ("staff.csv", b"Foo,Bar\nAnn,Seller\n", "text/csv")}
    org = (
        client.post("/orgs", files=files, follow_redirects=False).headers["location"].removesuffix("/mapping")
    )
    page = unescape(client.get(f"{org}/scenario?lang=zh").text)
    assert (
        page.split('id="error-message"')[1].split("</p>")[0]
        == ">staff.csv 需要先完成列映射：请选择包含以下内容的列：岗位。"
    )
    mapping = unescape(client.get(f"{org}/mapping?lang=zh").text)
    assert '<p class="warning">请选择包含以下内容的列：岗位。</p>' in mapping
