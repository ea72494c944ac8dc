"""`advisor users`: accounts for a team deployment (the first one turns sign-in on), their API tokens, the audit log."""

from __future__ import annotations

import json
import sys

import typer
from rich.table import Table

from advisor.cli.app import console
from advisor.config import load_settings

users_app = typer.Typer(
    help="Accounts for a team deployment: once one exists, the web app signs people in.", no_args_is_help=True
)


def _password(name: str, from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return str(typer.prompt(f"Password for {name}", hide_input=True, confirmation_prompt=True))


@users_app.command("add")
def add(
    name: str = typer.Argument(..., help="Sign-in name (letters, digits, . _ @ -)."),
    role: str = typer.Option("member", help="admin (manages accounts, reads the audit log) or member."),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="Read the password from stdin."),
) -> None:
    """Create an account and print its first API token (shown once)."""
    from advisor import audit
    from advisor.users import add_user, issue_token

    settings = load_settings()
    user = add_user(settings, name=name, password=_password(name, password_stdin), role=role)  # type: ignore[arg-type]
    token = issue_token(settings, name=name, label="first")
    audit.record(settings, actor="cli", action="user_add", target=f"user:{name}", detail=role)
    typer.echo(f"Added {user}. API token (shown once; send it as `Authorization: Bearer <token>`):")
    typer.echo(token)


@users_app.command("token")
def token(
    name: str = typer.Argument(..., help="The account."),
    label: str = typer.Option("", help="What the token is for (shown by `users list`)."),
) -> None:
    """Issue another API token for an account (shown once)."""
    from advisor.users import issue_token

    typer.echo(issue_token(load_settings(), name=name, label=label))


@users_app.command("list")
def list_(as_json: bool = typer.Option(False, "--json", help="Print as JSON.")) -> None:
    """Every account with its role and number of API tokens."""
    from advisor.users import list_users

    users = list_users(load_settings())
    if as_json:
        rows = [
            {"name": u.name, "role": u.role, "created_at": u.created_at.isoformat(), "tokens": u.tokens}
            for u in users
        ]
        typer.echo(json.dumps(rows, indent=2))
        return
    if not users:
        console.print(
            "No accounts: the web app uses ADVISOR_API_KEY (or is open). Add one with `advisor users add`."
        )
        return
    table = Table(title="Accounts")
    for column in ("name", "role", "created", "tokens"):
        table.add_column(column)
    for user in users:
        table.add_row(user.name, user.role, f"{user.created_at:%Y-%m-%d}", str(user.tokens))
    console.print(table)


@users_app.command("remove")
def remove(name: str = typer.Argument(..., help="The account to delete, with its tokens.")) -> None:
    """Delete an account and its API tokens; its sessions end at once."""
    from advisor import audit
    from advisor.users import remove_user

    settings = load_settings()
    user = remove_user(settings, name=name)
    audit.record(settings, actor="cli", action="user_remove", target=f"user:{name}")
    console.print(f"Removed {user}.")


@users_app.command("audit")
def audit_log(
    limit: int = typer.Option(50, min=1, help="How many events, newest first."),
    action: str | None = typer.Option(
        None, help="Only this action (upload, delete, sign_in, sign_in_failed, ...)."
    ),
) -> None:
    """The audit log: uploads, deletions, sign-ins and account changes."""
    from advisor.audit import recent

    for event in recent(load_settings(), limit=limit, action=action):
        typer.echo(str(event))


def register(app: typer.Typer) -> None:
    """Add `advisor users`."""
    app.add_typer(users_app, name="users")
