"""`advisor serve --workers N` hands uvicorn the import string of the per-process app factory."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import uvicorn
from typer.testing import CliRunner

from advisor.cli import app as cli_app


def test_serve_with_workers_runs_the_factory_in_each_process(
    advisor_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[Any, dict[str, Any]]] = []
    monkeypatch.setattr(uvicorn, "run", lambda target, **kwargs: calls.append((target, kwargs)))
    result = CliRunner().invoke(cli_app, ["serve", "--no-ingest", "--workers", "3", "--port", "8123"])
    assert result.exit_code == 0, result.output
    [(target, kwargs)] = calls
    assert target == "api.asgi:app"
    assert {key: kwargs[key] for key in ("factory", "workers", "host", "port")} == {
        "factory": True,
        "workers": 3,
        "host": "127.0.0.1",
        "port": 8123,
    }


def test_the_factory_builds_an_app_from_the_environment(advisor_home: Path) -> None:
    from fastapi import FastAPI

    from api.asgi import app

    built = app()
    assert isinstance(built, FastAPI) and built.state.settings.home == advisor_home
