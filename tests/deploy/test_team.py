"""Sharing with the team and the admin's audit log, through the web app with two signed-in users."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from advisor.config import Settings, load_settings
from advisor.users import add_user, issue_token
from api.app import create_app

ROSTER = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "rosters" / "problem_team.csv"


@pytest.fixture
def team(advisor_home: Path) -> tuple[Settings, dict[str, TestClient]]:
    import api.auth

    settings = load_settings(home=advisor_home, rate_limit_per_minute=0)
    add_user(settings, name="ana", password="password-ana", role="admin")
    add_user(settings, name="ben", password="password-ben")
    api.auth._accounts_seen.clear()
    app = create_app(settings, warm_up=False)
    clients = {}
    for name in ("ana", "ben"):
        token = issue_token(settings, name=name)
        clients[name] = TestClient(
            app, headers={"Authorization": f"Bearer {token}"}, raise_server_exceptions=False
        )
    return settings, clients


def _ana_conversation(settings: Settings) -> str:
    from advisor.chat.memory import create_conversation
    from advisor.users import list_users
    from api import ownership
    from api.deps import Principal

    ana = next(user for user in list_users(settings) if user.name == "ana")
    conversation_id = create_conversation(settings, title="Span of control")
    ownership.claim(settings, "conversation", conversation_id, Principal("user", ana.id))
    return conversation_id


def test_who_am_i(team: tuple[Settings, dict[str, TestClient]]) -> None:
    _settings, clients = team
    me = clients["ben"].get("/api/me").json()
    assert me["mode"] == "accounts" and me["name"] == "ben" and me["role"] == "member"
    assert me["principal"].startswith("user:")


def test_a_shared_conversation_opens_for_the_team_until_unshared(
    team: tuple[Settings, dict[str, TestClient]],
) -> None:
    settings, clients = team
    ana, ben = clients["ana"], clients["ben"]
    conversation_id = _ana_conversation(settings)
    assert ben.get(f"/api/conversations/{conversation_id}").status_code == 404
    assert ben.put(f"/api/conversations/{conversation_id}/sharing", json={"shared": True}).status_code == 404
    assert ana.put(f"/api/conversations/{conversation_id}/sharing", json={"shared": True}).status_code == 204
    assert ben.get(f"/api/conversations/{conversation_id}").json()["title"] == "Span of control"
    assert conversation_id in [item["id"] for item in ben.get("/api/conversations").json()]
    assert ben.delete(f"/api/conversations/{conversation_id}").status_code == 404  # only the owner deletes
    assert ana.put(f"/api/conversations/{conversation_id}/sharing", json={"shared": False}).status_code == 204
    assert ben.get(f"/api/conversations/{conversation_id}").status_code == 404
    assert conversation_id not in ben.get("/api/conversations").text


def test_a_shared_org_is_analysed_by_the_team(team: tuple[Settings, dict[str, TestClient]]) -> None:
    _settings, clients = team
    ana, ben = clients["ana"], clients["ben"]
    with ROSTER.open("rb") as handle:
        org_id = ana.post("/api/orgs", files={"file": ("problem_team.csv", handle, "text/csv")}).json()[
            "org_id"
        ]
    assert ben.get(f"/api/orgs/{org_id}/metrics").status_code == 404
    assert ana.put(f"/api/orgs/{org_id}/sharing", json={"shared": True}).status_code == 204
    metrics = ben.get(f"/api/orgs/{org_id}/metrics")
    assert metrics.status_code == 200
    assert org_id in [item["org_id"] for item in ben.get("/api/orgs").json()]
    assert ben.delete(f"/api/orgs/{org_id}").status_code == 404
    assert ana.delete(f"/api/orgs/{org_id}").status_code == 204


def test_the_audit_log_is_for_admins(team: tuple[Settings, dict[str, TestClient]]) -> None:
    _settings, clients = team
    with ROSTER.open("rb") as handle:
        org_id = (
            clients["ben"]
            .post("/api/orgs", files={"file": ("team.csv", handle, "text/csv")})
            .json()["org_id"]
        )
    assert clients["ben"].delete(f"/api/orgs/{org_id}").status_code == 204
    refused = clients["ben"].get("/api/audit")
    assert refused.status_code == 403 and "admins" in refused.json()["detail"]
    events = clients["ana"].get("/api/audit").json()
    assert [(event["action"], event["target"]) for event in events[:2]] == [
        ("delete", f"org:{org_id}"),
        ("upload", f"org:{org_id}"),
    ]
    assert events[1]["detail"] == "team.csv" and events[0]["actor"].startswith("user:")


def test_sharing_needs_accounts(advisor_home: Path) -> None:
    import api.auth

    api.auth._accounts_seen.clear()
    client = TestClient(
        create_app(load_settings(home=advisor_home), warm_up=False), raise_server_exceptions=False
    )
    refused = client.put("/api/orgs/x/sharing", json={"shared": True})
    assert refused.status_code == 400 and "needs accounts" in refused.json()["detail"]
