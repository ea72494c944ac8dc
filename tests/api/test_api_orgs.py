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
    assert "role" in org["message"]
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
    assert client.get("/api/orgs").status_code == 405  # there is no listing of other people's uploads


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
