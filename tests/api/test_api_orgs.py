"""Roster upload, mapping step, metrics, findings and scenarios through the API and the pages (no model needed)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from web_server import ROSTERS

PROBLEM = ROSTERS / "problem_team.csv"
IBM = Path("/work/shared/data/ibm-hr-attrition.csv")


def _rows() -> list[dict[str, str]]:
    with PROBLEM.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _upload(client: TestClient, path: Path = PROBLEM, **data: str) -> dict:
    with path.open("rb") as handle:
        response = client.post("/api/orgs", files={"file": (path.name, handle, "text/csv")}, data=data)
    assert response.status_code == 201, response.text
    return response.json()


def test_upload_returns_an_unguessable_id_and_a_report(client: TestClient, tmp_path: Path) -> None:
    org = _upload(client)
    assert org["status"] == "ready"
    assert len(org["org_id"]) == 22  # 128 random bits, URL-safe
    assert org["rows"] + org["set_aside"] == len(_rows())
    assert org["mapping"]["role"] == "role"
    assert (tmp_path / "orgs" / org["org_id"] / "roster.csv").read_bytes() == PROBLEM.read_bytes()
    assert _upload(client)["org_id"] != org["org_id"]


def test_metrics_match_the_roster(client: TestClient) -> None:
    org = _upload(client)
    metrics = {m["id"]: m for m in client.get(f"/api/orgs/{org['org_id']}/metrics").json()["metrics"]}
    rows = _rows()
    # the active head count by manager M1, counted here straight from the CSV
    m1_reports = [r for r in rows if r["manager_id"] == "M1" and not r["exit_date"]]
    assert metrics["span_of_control_mean"]["by"]["manager"]["M1"] == len(m1_reports)
    assert metrics["turnover_rate"]["unit"] == "%"


def test_findings_flag_the_overloaded_manager(client: TestClient) -> None:
    org = _upload(client)
    findings = client.get(f"/api/orgs/{org['org_id']}/findings").json()["findings"]
    span = [f for f in findings if f["metric_id"].startswith("span_of_control")]
    assert any("M1" in f["id"] for f in span)
    assert all(f["severity"] in ("high", "medium", "low", "info") for f in findings)


def test_unrecognised_headers_need_a_mapping_step(client: TestClient, tmp_path: Path) -> None:
    rows = _rows()
    renamed = tmp_path / "export.csv"
    with renamed.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Staff", "Who", "Function", "Boss", "Started", "Left"])
        for r in rows:
            writer.writerow(
                [r["rep_id"], r["name"], r["role"], r["manager_id"], r["hire_date"], r["exit_date"]]
            )
    org = _upload(client, renamed)
    assert org["status"] == "needs_mapping"
    assert "role" in org["message"] and org["missing"] == ["role"]
    assert client.get(f"/api/orgs/{org['org_id']}/metrics").status_code == 400
    mapping = {
        "Staff": "rep_id",
        "Who": "name",
        "Function": "role",
        "Boss": "manager_id",
        "Started": "hire_date",
        "Left": "exit_date",
    }
    mapped = client.post(f"/api/orgs/{org['org_id']}/mapping", json={"mapping": mapping}).json()
    assert mapped["status"] == "ready"
    assert mapped["rows"] + mapped["set_aside"] == len(rows)
    assert client.get(f"/api/orgs/{org['org_id']}/metrics").status_code == 200


def test_mapping_on_the_page_leads_to_the_dashboard(client: TestClient, tmp_path: Path) -> None:
    export = tmp_path / "export.csv"
    export.write_text("Staff,Function,Started\nA1,ae,2022-01-01\nA2,sdr,2023-05-01\n", encoding="utf-8")
    with export.open("rb") as handle:
        upload = client.post(
            "/orgs", files={"file": ("export.csv", handle, "text/csv")}, follow_redirects=False
        )
    assert upload.status_code == 303 and upload.headers["location"].endswith("/mapping")
    form = client.get(upload.headers["location"])
    assert form.status_code == 200 and 'name="target"' in form.text
    data = {"source": ["Staff", "Function", "Started"], "target": ["rep_id", "role", "hire_date"]}
    done = client.post(upload.headers["location"], data=data, follow_redirects=False)
    assert done.status_code == 303 and not done.headers["location"].endswith("/mapping")
    dashboard = client.get(done.headers["location"])
    assert dashboard.status_code == 200 and '<dd id="rows">2</dd>' in dashboard.text


def test_bad_rows_are_reported_not_dropped(client: TestClient, tmp_path: Path) -> None:
    broken = tmp_path / "broken.csv"
    broken.write_text("rep_id,role,hire_date\nA1,ae,2022-01-01\nA2,astronaut,2023-05-01\nA3,sdr,not a date\n")
    org = _upload(client, broken)
    columns = {issue["column"] for issue in org["issues"]}
    assert {"role", "hire_date"} <= columns
    assert {issue["row"] for issue in org["issues"]} <= {3, 4}
    # each reason carries its catalogue key and values, so a client can word it in another language
    from advisor.org.messages import Message

    role = next(issue for issue in org["issues"] if issue["column"] == "role")
    assert role["code"] == "roster_texts.unknown" and role["params"]["column"] == "role"
    message = Message.from_dict({"key": role["code"], "values": role["params"]})
    assert message.text("zh").startswith("无法识别的 role 取值：请使用 sdr")


def test_dashboard_shows_report_findings_and_charts(client: TestClient) -> None:
    org = _upload(client)
    page = client.get(f"/orgs/{org['org_id']}")
    assert page.status_code == 200
    for section in ('id="report"', 'id="findings"', 'id="metrics"', 'id="chart-span-by-manager"'):
        assert section in page.text
    assert page.text.count("<svg") >= 3
    assert "Maya Manager" in page.text


def test_scenario_shows_before_and_after(client: TestClient) -> None:
    org = _upload(client)
    result = client.post(f"/api/orgs/{org['org_id']}/scenarios", json={"add_manager": 1}).json()
    deltas = {d["id"]: d for d in result["deltas"]}
    managers_before = sum(1 for r in _rows() if r["role"] == "manager" and not r["exit_date"])
    assert deltas["headcount_end"]["after"] - deltas["headcount_end"]["before"] == 1
    assert deltas["span_of_control_max"]["after"] < deltas["span_of_control_max"]["before"]
    assert managers_before >= 1
    page = client.post(f"/orgs/{org['org_id']}/scenario", data={"spec": json.dumps({"add_manager": 1})})
    assert page.status_code == 200 and 'id="scenario-result"' in page.text


@pytest.mark.parametrize("spec", ['{"hire": {"ceo": 1}}', "not json", "[1, 2]"])
def test_bad_scenario_specs_are_explained(client: TestClient, spec: str) -> None:
    org = _upload(client)
    page = client.post(f"/orgs/{org['org_id']}/scenario", data={"spec": spec})
    assert page.status_code == 400 and 'class="error"' in page.text


def test_orgs_are_reached_only_by_their_exact_id(client: TestClient) -> None:
    org = _upload(client)
    tampered = org["org_id"][:-1] + ("x" if org["org_id"][-1] != "x" else "y")
    assert client.get(f"/api/orgs/{tampered}/metrics").status_code == 404
    # the listing holds only the caller's own uploads (here the API key holder's)
    assert [item["org_id"] for item in client.get("/api/orgs").json()] == [org["org_id"]]


def test_json_and_xlsx_rosters_are_accepted(client: TestClient, tmp_path: Path) -> None:
    import pandas as pd

    frame = pd.read_csv(PROBLEM, dtype=str).fillna("")
    as_json = io.BytesIO(frame.to_json(orient="records").encode())
    response = client.post("/api/orgs", files={"file": ("roster.json", as_json, "application/json")})
    assert response.status_code == 201 and response.json()["status"] == "ready"
    xlsx = tmp_path / "roster.xlsx"
    frame.to_excel(xlsx, index=False)
    with xlsx.open("rb") as handle:
        response = client.post(
            "/api/orgs", files={"file": ("roster.xlsx", handle, "application/octet-stream")}
        )
    assert response.status_code == 201 and response.json()["rows"] == _upload(client)["rows"]


def _page_upload(browser: TestClient, path: Path = PROBLEM) -> str:
    """Upload through the page as a browser does; the org id from the redirect."""
    with path.open("rb") as handle:
        response = browser.post(
            "/orgs", files={"file": (path.name, handle, "text/csv")}, follow_redirects=False
        )
    assert response.status_code == 303, response.text
    return response.headers["location"].split("/")[2]


def test_two_browser_sessions_do_not_see_each_others_orgs(client: TestClient) -> None:
    alice, bob = client, TestClient(client.app)
    org_id = _page_upload(alice)
    assert "advisor_sid" in alice.cookies
    assert [o["org_id"] for o in alice.get("/api/orgs").json()] == [org_id]
    assert bob.get("/api/orgs").json() == []
    assert bob.get(f"/orgs/{org_id}").status_code == 404
    assert bob.get(f"/api/orgs/{org_id}/metrics").status_code == 404
    assert "problem_team.csv" in alice.get("/orgs").text and "problem_team.csv" not in bob.get("/orgs").text


def test_orgs_are_renamed_and_deleted_by_their_owner_only(client: TestClient, tmp_path: Path) -> None:
    org_id = _page_upload(client)
    assert TestClient(client.app).post(f"/orgs/{org_id}/delete").status_code == 404
    client.post(f"/orgs/{org_id}/rename", data={"name": "Q4 sales team"})
    assert "Q4 sales team" in client.get("/orgs").text
    assert client.get("/api/orgs").json()[0]["name"] == "Q4 sales team"
    assert client.post(f"/orgs/{org_id}/delete").status_code == 200  # redirected to the list
    assert client.get("/api/orgs").json() == []
    assert not (tmp_path / "orgs" / org_id).exists()
    assert client.get(f"/api/orgs/{org_id}").status_code == 404


@pytest.mark.skipif(not IBM.exists(), reason="the IBM HR sample is not on this machine")
def test_ibm_export_mapped_and_filtered_to_sales(client: TestClient) -> None:
    org_id = _page_upload(client, IBM)
    mixed = client.get(f"/orgs/{org_id}").text
    assert '<dd id="rows">511</dd>' in mixed  # R&D managers mixed in, other job titles set aside
    assert "--map-value" not in mixed and "the Values step" in mixed
    form = client.get(f"/orgs/{org_id}/mapping").text
    assert 'name="value:role:Sales Representative"' in form and "Department" in form
    mapping = client.get(f"/api/orgs/{org_id}").json()["mapping"]
    options = {"values": {"role": {"Sales Representative": "sdr"}}, "where": {"department": "Sales"}}
    preview = client.post(f"/api/orgs/{org_id}/preview", json={"mapping": mapping, "options": options}).json()
    assert preview == {"rows": 1470, "kept": 446, "filtered_out": 1024, "set_aside": 0, "message": ""}
    data = {"source": list(mapping), "target": list(mapping.values()), "filter_column": "department",
            "filter_value": "Sales", "value:role:Sales Representative": "sdr"}  # fmt: skip
    assert client.post(f"/orgs/{org_id}/mapping", data=data).status_code == 200
    page = client.get(f"/orgs/{org_id}").text
    assert '<dd id="rows">446</dd>' in page and "20.6%" in page
    metrics = {m["id"]: m for m in client.get(f"/api/orgs/{org_id}/metrics").json()["metrics"]}
    assert metrics["headcount_start"]["value"] == 446 and metrics["turnover_rate"]["display"] == "20.6%"
    assert client.get("/api/orgs").json()[0]["people"] == 446


def test_as_of_date_sets_the_measured_period(client: TestClient) -> None:
    org_id = _page_upload(client)
    client.post(f"/orgs/{org_id}/period", data={"as_of": "2025-12-31", "period_months": "12"})
    page = client.get(f"/orgs/{org_id}").text
    assert 'value="2025-12-31"' in page
    assert (
        '<div class="tile" id="tile-sdr_turnover_rate"><span class="tile-label">SDR turnover rate</span><strong class="tile-value">40.0%</strong>'
        in page
    )
    zh = client.get(f"/orgs/{org_id}?lang=zh").text
    assert "40.0%" in zh and "销售开发代表" in zh


def test_metrics_and_findings_are_typed_and_worded_per_language(client: TestClient) -> None:
    org = _upload(client)
    findings = client.get(f"/api/orgs/{org['org_id']}/findings?lang=zh").json()["findings"]
    assert not any(key.endswith("_zh") for finding in findings for key in finding)
    sdr = next(f for f in findings if f["id"] == "sdr_turnover_above_benchmark")
    assert sdr["benchmark"]["citation"].startswith("(The Bridge Group") and "流失" in sdr["title"]
    metrics = client.get(f"/api/orgs/{org['org_id']}/metrics?lang=zh").json()["metrics"]
    assert next(m for m in metrics if m["id"] == "avg_tenure_months")["display"].endswith("个月")
    schema = client.get("/openapi.json").json()
    responses = schema["paths"]["/api/orgs/{org_id}/metrics"]["get"]["responses"]["200"]["content"]
    assert responses["application/json"]["schema"]["$ref"].endswith("/MetricsOut")
    assert "title_zh" not in json.dumps(schema["components"]["schemas"]["FindingOut"])


def test_dashboard_names_people_not_ids(client: TestClient) -> None:
    org_id = _page_upload(client)
    page = client.get(f"/orgs/{org_id}").text
    assert "[M:" not in page and "benchmarks.md" not in page and "span_of_control_mean</code>" not in page
    charts = page[page.index('id="chart-span-by-manager"') :]
    assert "Maya Manager" in charts[:4000] and ">M1<" not in charts[:4000]
    assert 'id="org-chart"' in page and "15 reports" in page
    people = client.get(f"/orgs/{org_id}/people?manager=M1").text
    assert people.count("<tr>") == 16  # the header row and Maya Manager's 15 reports


def test_exports_neutralise_formulas(client: TestClient, tmp_path: Path) -> None:
    evil = tmp_path / "evil.csv"
    evil.write_text(
        "rep_id,name,role,hire_date,territory\nA1,=HYPERLINK(1),ae,2022-01-01,=cmd|x\nA2,Bo,sdr,2023-05-01,+1\n"
    )
    org = _upload(client)
    for kind in ("metrics", "findings"):
        csv_response = client.get(f"/api/orgs/{org['org_id']}/{kind}.csv")
        assert csv_response.status_code == 200 and csv_response.headers["content-type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig"))))
        assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row if cell)
    xlsx = client.get(f"/api/orgs/{org['org_id']}/metrics.xlsx?lang=zh")
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    labels = [row[1] for row in book.active.iter_rows(values_only=True)]
    assert "流失率" in "".join(str(label) for label in labels)


def test_scenario_built_with_the_form_is_saved_and_compared(client: TestClient) -> None:
    org_id = _page_upload(client)
    form = {"edit": ["add_manager", "hire"], "target": ["", "sdr"], "amount": ["1", "2"], "name": "Relief"}
    page = client.post(f"/orgs/{org_id}/scenario", data=form)
    assert page.status_code == 200 and 'id="scenario-result"' in page.text and "Relief" in page.text
    client.post(
        f"/orgs/{org_id}/scenario", data={"edit": ["hire"], "target": ["ae"], "amount": ["3"], "name": "AEs"}
    )
    saved = client.get(f"/orgs/{org_id}/scenario").text
    ids = [
        chunk.split('"')[1]
        for chunk in saved.split("<option value=")[1:]
        if "Relief" in chunk or "AEs" in chunk
    ]
    compared = client.get(f"/orgs/{org_id}/scenario", params={"a": ids[0], "b": ids[1]}).text
    assert 'id="scenario-compare"' in compared
    bad = client.post(f"/orgs/{org_id}/scenario", data={"edit": ["hire"], "target": [""], "amount": ["2"]})
    assert bad.status_code == 400 and "Edit 1" in bad.text


def test_plan_inputs_are_a_form_saved_per_org(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    from api import org_service

    drafted: list[object] = []

    def fake_plan(
        settings: object, org_id: str, *, fmt: str, goal: object, lang: str, inputs: object = None
    ) -> tuple[bytes, str]:
        drafted.append(inputs)
        return f"plan {fmt}".encode(), org_service.MEDIA_TYPES[fmt]

    monkeypatch.setattr(
        org_service, "plan_document", fake_plan
    )  # drafting itself is the plan tests' business
    org_id = _page_upload(client)
    form = {"goal": "Grow enterprise 40%", "lang": "zh", "bookings_target_usd": "5000000", "recruiting_usd": "20000",
            "quota_per_rep_usd": ""}  # fmt: skip
    page = client.post(f"/orgs/{org_id}/plan", data=form)
    assert (
        page.status_code == 200
        and "Grow enterprise 40% (zh)" in page.text
        and 'id="plan-downloads"' in page.text
    )
    plan_id = page.url.params["plan"]
    chosen = drafted[-1]
    assert (
        chosen.bookings_target_usd == 5_000_000 and chosen.quota_per_rep_usd is None and chosen.lang == "zh"
    )
    from advisor.org.profile import Profile

    profile = chosen.profile(Profile())
    assert profile.bookings_target_usd == 5_000_000 and profile.costs.recruiting_usd == 20000
    download = client.get(f"/orgs/{org_id}/plan/download.pdf?plan={plan_id}")
    assert download.status_code == 200 and download.content == b"plan pdf"
    assert TestClient(client.app).get(f"/orgs/{org_id}/plan/download.md?plan={plan_id}").status_code == 404
    bad = client.post(f"/orgs/{org_id}/plan", data={"bookings_target_usd": "-5"})
    assert bad.status_code == 400 and "bookings_target_usd" in bad.text
