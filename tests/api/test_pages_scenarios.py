"""The scenario form: every edit the library offers, read from the form's rows, with errors in the page's language."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from starlette.datastructures import FormData
from web_server import ROSTERS

from advisor.errors import InputError
from api.i18n import translator
from api.scenarios import rows_from_spec, spec_from_form


def _form(*rows: tuple[str, str, str, str]) -> FormData:
    fields = [
        (key, value)
        for row in rows
        for key, value in zip(("edit", "target", "dest", "amount"), row, strict=True)
    ]
    return FormData(fields)


def test_every_edit_becomes_the_library_spec_and_shows_again_as_rows() -> None:
    form = _form(
        ("hire", "sdr", "", "2"),
        ("move", "inside", "", "3"),
        ("add_manager", "", "", "1"),
        ("remove_manager", "", "", "1"),
        ("attrition", "", "", "-5pp"),
        ("attrition", "enterprise", "", "2"),
        ("territory_move", "North", "East", "2"),
        ("", "", "", ""),
    )
    spec = spec_from_form(form, translator("en"))
    assert spec == {
        "hire": {"sdr": 2},
        "move": {"inside": 3},
        "add_manager": 1,
        "remove_manager": 1,
        "attrition_pp": -5.0,
        "segment_attrition_pp": {"enterprise": 2.0},
        "territory_moves": [{"from_territory": "North", "to_territory": "East", "reps": 2}],
    }
    rows = [row for row in rows_from_spec(spec) if row["edit"]]
    assert (
        spec_from_form(
            _form(*[(r["edit"], r["target"], r["dest"], str(r["amount"])) for r in rows]), translator("en")
        )
        == spec
    )


def test_forms_without_the_to_column_still_read() -> None:
    form = FormData([("edit", "hire"), ("target", "ae"), ("amount", "3")])
    assert spec_from_form(form, translator("en")) == {"hire": {"ae": 3}}


@pytest.mark.parametrize(
    ("row", "lang", "message"),
    [
        (("hire", "", "", "2"), "en", "Edit 1: choose the role to hire."),
        (("territory_move", "North", "North", "2"), "en",
         "Edit 1: choose the territory the reps leave and a different territory they join."),
        (("remove_manager", "", "", "1.5"), "zh", "第 1 项：减少经理（合并团队）需要填写整数人数（0 或以上），而不是“1.5”。"),
        (("add_manager", "sdr", "", "1"), "zh", "第 1 项：增加经理作用于全公司，请把“适用于”设为全公司。"),
        (("attrition", "", "", "lots"), "en", "Edit 1: the amount “lots” is not a number."),
    ],
)  # fmt: skip
def test_a_bad_row_is_named_in_the_page_language(
    row: tuple[str, str, str, str], lang: str, message: str
) -> None:
    with pytest.raises(InputError) as caught:
        spec_from_form(_form(row), translator(lang))
    assert str(caught.value) == message


def test_the_chinese_page_words_the_changes_and_their_units_in_chinese(client: TestClient) -> None:
    with (ROSTERS / "problem_team.csv").open("rb") as handle:
        upload = client.post(
            "/orgs", files={"file": ("team.csv", handle, "text/csv")}, follow_redirects=False
        )
    org = upload.headers["location"]
    form = {"edit": ["remove_manager", "territory_move"], "target": ["", "North"], "dest": ["", "East"],
            "amount": ["1", "2"]}  # fmt: skip
    page = client.post(f"{org}/scenario?lang=zh", data=form)
    assert page.status_code == 200
    assert (
        '<p class="applied" id="scenario-summary">✓ 将 2 名销售连同其客户从North调至East；将 1 个最小的团队并入相邻团队</p>'
        in page.text
    )
    result = page.text.split('id="scenario-result"')[1].split("</table>")[0]
    assert "+4 名下属" in result and "reports" not in result and "months" not in result
    bad = client.post(f"{org}/scenario?lang=zh", data={**form, "dest": ["", "North"]})
    assert bad.status_code == 400 and "第 2 项：请选择调出区域，以及另一个调入区域。" in bad.text


def _upload(client: TestClient, name: str = "problem_team.csv") -> str:
    with (ROSTERS / name).open("rb") as handle:
        upload = client.post(
            "/orgs", files={"file": ("team.csv", handle, "text/csv")}, follow_redirects=False
        )
    return str(upload.headers["location"])


def _details(html: str) -> str:
    return html.split('id="scenario-applied"')[1].split("</details>")[0]


def test_the_person_by_person_lines_read_in_the_page_language(client: TestClient) -> None:
    org = _upload(client)
    client.post(f"{org}/period", data={"as_of": "2025-12-31"})
    form = {"edit": ["hire", "move", "add_manager"], "target": ["sdr", "inside", ""], "dest": ["", "", ""],
            "amount": ["2", "3", "1"]}  # fmt: skip
    page = client.post(f"{org}/scenario?lang=zh", data=form).text
    chart = page.split('class="chart-box"')[1].split("</figure>")[0]
    assert ">调整前<" in chart and ">调整后<" in chart and ">before<" not in chart
    chinese = _details(page)
    assert "于 2025-12-31 招聘 2 名销售开发代表，每人加入仍有空位、人数最少的团队：" in chinese
    assert "将 3 名外勤销售调整为内勤销售：A14、A12、A11。" in chinese
    assert "在 North 新增经理 NEW-MGR-1；将 7 名下属划归其管理：S15（原属 M1）" in chinese
    assert not any(word in chinese for word in ("Hired", "Moved", "Added", "reps", " from ", 'lang="en"'))
    english = _details(client.post(f"{org}/scenario?lang=en", data=form).text)
    assert "Hired 2 SDR on 2025-12-31, each joining the smallest team with room:" in english
    assert "Moved 3 Field reps to Inside: A14, A12, A11." in english


def test_the_api_keeps_the_english_lines_and_adds_their_keys(client: TestClient) -> None:
    org_id = _upload(client).rsplit("/", 1)[1]
    body = client.post(f"/api/orgs/{org_id}/scenarios", json={"hire": {"sdr": 2}, "add_manager": 1}).json()
    assert body["applied"][0].startswith("Hired 2 SDR on ")
    first = body["applied_messages"][0]
    assert (first["key"], first["values"]["role"], first["terms"]) == (
        "scenario.hired",
        "sdr",
        {"role": "role"},
    )
    assert first["text"] == body["applied"][0]
    assert [m["text"] for m in body["warning_messages"]] == body["warnings"]


@pytest.mark.parametrize(
    ("spec", "chinese", "english"),
    [
        (
            '{"add_manager": "x"}',
            "情景字段“add_manager”需要填写整数。",
            "Scenario `add_manager`: Input should be",
        ),
        (
            '{"hire": {"cfo": 1}}',
            "情景字段“hire.cfo.[key]”不是可选的值之一。",
            "Scenario `hire.cfo.[key]`: Input",
        ),
        ("[1]", "情景定义必须是一个 JSON 对象", "The scenario spec must be a JSON object"),
        (
            '{"attrition_pp": "abc"}',
            "流失率变化需要填写百分点，例如 -5pp 或 +3pp，而不是“abc”。",
            "percentage points",
        ),
        ("{bad", "JSON 格式有误（第 1 行，第 2 列）。", "The JSON is not valid (line 1, column 2)."),
    ],
)
def test_a_bad_json_spec_is_explained_in_the_page_language(
    client: TestClient, spec: str, chinese: str, english: str
) -> None:
    org = _upload(client)
    page = client.post(f"{org}/scenario?lang=zh", data={"mode": "json", "spec": spec})
    assert page.status_code == 400 and chinese in page.text, page.text.split('class="error"')[1][:300]
    page = client.post(f"{org}/scenario?lang=en", data={"mode": "json", "spec": spec})
    assert page.status_code == 400 and english in page.text
