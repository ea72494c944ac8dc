"""Accounts: hashing at rest, the `advisor users` commands, and the three access modes of the web app."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from advisor.cli import app as cli_app
from advisor.config import Settings, load_settings
from advisor.db import session
from advisor.errors import InputError, NotFoundError
from advisor.users import TokenRow, UserRow, add_user, authenticate, issue_token, remove_user, user_for_token
from api.app import create_app

PASSWORD = "correct horse battery"


@pytest.fixture
def settings(advisor_home: Path) -> Settings:
    return load_settings(home=advisor_home)


def test_passwords_and_tokens_are_stored_only_as_hashes(settings: Settings) -> None:
    add_user(settings, name="ana", password=PASSWORD, role="admin")
    token = issue_token(settings, name="ana")
    with session(settings) as db:
        stored = db.scalar(select(UserRow)).password_hash
        token_rows = list(db.scalars(select(TokenRow)))
    assert stored.startswith("scrypt$") and PASSWORD not in stored
    assert len(token_rows) == 1 and token not in token_rows[0].token_hash
    user = user_for_token(settings, token)
    assert user is not None and user.name == "ana" and user.is_admin
    assert user_for_token(settings, token + "x") is None
    assert authenticate(settings, name="ana", password=PASSWORD) == user
    assert authenticate(settings, name="ana", password="wrong password") is None
    assert authenticate(settings, name="nobody", password=PASSWORD) is None


def test_bad_accounts_are_refused_with_the_fix(settings: Settings) -> None:
    add_user(settings, name="ana", password=PASSWORD)
    with pytest.raises(InputError, match="A user named ana exists already"):
        add_user(settings, name="ana", password=PASSWORD)
    with pytest.raises(InputError, match="Role 'owner': choose one of admin, member"):
        add_user(settings, name="bo", password=PASSWORD, role="owner")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="at least 8 characters"):
        add_user(settings, name="bo", password="short")
    with pytest.raises(InputError, match="no spaces"):
        add_user(settings, name="b o", password=PASSWORD)
    with pytest.raises(NotFoundError, match="No user named bo; `advisor users list`"):
        remove_user(settings, name="bo")


def test_users_commands(settings: Settings) -> None:
    runner = CliRunner()
    added = runner.invoke(
        cli_app, ["users", "add", "ana", "--role", "admin", "--password-stdin"], input=PASSWORD
    )
    assert added.exit_code == 0, added.output
    token = added.output.strip().splitlines()[-1]
    assert added.output.startswith("Added ana (admin). API token (shown once")
    assert user_for_token(settings, token) is not None
    listed = runner.invoke(cli_app, ["users", "list", "--json"])
    assert [(row["name"], row["role"], row["tokens"]) for row in __import__("json").loads(listed.output)] == [
        ("ana", "admin", 1)
    ]
    again = runner.invoke(cli_app, ["users", "add", "ana", "--password-stdin"], input=PASSWORD)
    assert again.exit_code == 1
    assert (
        again.output.strip()
        == "Error: A user named ana exists already; pick another name or remove it first."
    )
    removed = runner.invoke(cli_app, ["users", "remove", "ana"])
    assert removed.exit_code == 0 and "Removed ana (admin)." in removed.output
    assert user_for_token(settings, token) is None
    audit = runner.invoke(cli_app, ["users", "audit"]).output.splitlines()
    assert [line.split()[2:5] for line in audit] == [
        ["cli", "user_remove", "user:ana"],
        ["cli", "user_add", "user:ana"],
    ]


def _client(settings: Settings, **overrides: object) -> TestClient:
    app = create_app(load_settings(home=settings.home, **overrides), warm_up=False)
    return TestClient(app, raise_server_exceptions=False)


def test_accounts_mode_needs_a_personal_token_and_signs_people_in(settings: Settings) -> None:
    import api.auth

    add_user(settings, name="ana", password=PASSWORD)
    token = issue_token(settings, name="ana")
    api.auth._accounts_seen.clear()
    client = _client(settings, rate_limit_per_minute=0)
    refused = client.get("/api/conversations")
    assert refused.status_code == 401
    assert (
        refused.json()["detail"]
        == "Missing or invalid credentials: send `Authorization: Bearer <a personal API token>`."
    )
    assert client.get("/v1/models", headers={"Authorization": "Bearer adv_forged"}).status_code == 401
    assert client.get("/v1/models", headers={"Authorization": f"Bearer {token}"}).status_code == 200

    assert client.get("/chat", follow_redirects=False).headers["location"] == "/login?next=%2Fchat"
    assert 'name="password"' in client.get("/login").text
    wrong = client.post("/login", data={"name": "ana", "password": "nope nope", "next": "/chat"})
    assert wrong.status_code == 401
    signed_in = client.post(
        "/login", data={"name": "ana", "password": PASSWORD, "next": "/chat"}, follow_redirects=False
    )
    assert signed_in.status_code == 303 and signed_in.headers["location"] == "/chat"
    page = client.get("/chat")
    assert page.status_code == 200 and 'action="/logout"' in page.text
    assert client.get("/api/conversations").status_code == 200  # the pages' own scripts use the session

    remove_user(settings, name="ana")
    assert (
        client.get("/chat", follow_redirects=False).status_code == 303
    )  # a removed user's session ends at once
    from advisor.audit import recent

    assert [event.action for event in recent(settings, action=None)][:2] == ["sign_in", "sign_in_failed"]


def test_the_api_key_still_opens_the_api_beside_accounts(settings: Settings) -> None:
    import api.auth

    add_user(settings, name="ana", password=PASSWORD)
    api.auth._accounts_seen.clear()
    client = _client(settings, api_key="one-person-key")
    assert client.get("/v1/models", headers={"Authorization": "Bearer one-person-key"}).status_code == 200
    assert client.get("/v1/models", headers={"Authorization": "Bearer other"}).status_code == 401


def test_sessions_are_accepted_by_every_worker(settings: Settings) -> None:
    """Two apps over one database stand for two workers: a session from one opens the pages of the other."""
    import api.auth

    add_user(settings, name="ana", password=PASSWORD)
    api.auth._accounts_seen.clear()
    first, second = _client(settings), _client(settings)
    first.post("/login", data={"name": "ana", "password": PASSWORD})
    second.cookies.set(api.auth.SESSION_COOKIE, first.cookies[api.auth.SESSION_COOKIE])
    assert second.get("/chat", follow_redirects=False).status_code == 200
