"""The plan page: saved plans are not duplicated, and its frame prints the plan's executive summary only."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from web_server import ROSTERS

PLAN_HTML = "<!DOCTYPE html><html><head><title>Plan</title></head><body><main></main></body></html>"


@pytest.fixture
def org_id(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> str:
    """An uploaded org whose plans render as a fixed document (drafting is the plan tests' business)."""
    from api import org_service

    def fake_plan(settings: object, org_id: str, *, fmt: str, **_: object) -> tuple[bytes, str]:
        return PLAN_HTML.encode(), org_service.MEDIA_TYPES[fmt]

    monkeypatch.setattr(org_service, "plan_document", fake_plan)
    with (ROSTERS / "problem_team.csv").open("rb") as handle:
        upload = client.post(
            "/orgs", files={"file": ("team.csv", handle, "text/csv")}, follow_redirects=False
        )
    return upload.headers["location"].split("/orgs/")[1]


def test_drafting_the_same_inputs_again_opens_the_saved_plan(client: TestClient, org_id: str) -> None:
    form = {"goal": "Grow enterprise 40%", "lang": "en", "bookings_target_usd": "5000000"}
    first = client.post(f"/orgs/{org_id}/plan", data=form)
    again = client.post(f"/orgs/{org_id}/plan", data=form)
    assert first.url.params["plan"] == again.url.params["plan"]
    assert again.text.count("Grow enterprise 40% (en)") == 1
    other = client.post(f"/orgs/{org_id}/plan", data={**form, "lang": "zh"})
    assert other.url.params["plan"] != first.url.params["plan"]
    assert "Grow enterprise 40% (zh)" in other.text and "Grow enterprise 40% (en)" in other.text


def test_the_plan_frame_prints_the_summary_and_the_print_view_the_whole_plan(
    client: TestClient, org_id: str
) -> None:
    page = client.post(f"/orgs/{org_id}/plan", data={"goal": "Grow"})
    plan_id = page.url.params["plan"]
    assert f'src="/orgs/{org_id}/plan/view.html?plan={plan_id}&amp;paper=summary"' in page.text
    assert f'id="plan-print" href="/orgs/{org_id}/plan/view.html?plan={plan_id}"' in page.text
    framed = client.get(f"/orgs/{org_id}/plan/view.html", params={"plan": plan_id, "paper": "summary"})
    rule = "<style>@media print { main > section:not(#summary) { display: none; } }</style></head>"
    assert framed.status_code == 200 and rule in framed.text
    assert framed.headers["content-security-policy"].startswith("sandbox")
    whole = client.get(f"/orgs/{org_id}/plan/view.html", params={"plan": plan_id})
    assert whole.text == PLAN_HTML
    assert client.get(f"/orgs/{org_id}/plan/view.html", params={"paper": "everything"}).status_code == 422
