"""The `advisor` command: one Typer app; each area registers its own commands."""

from __future__ import annotations

import importlib

from advisor.cli.app import app

# Areas register their commands the way an extension would; order is the order shown in --help.
_COMMAND_MODULES = ("core", "kb", "chat", "org", "plan", "evals", "users")

for _name in _COMMAND_MODULES:
    importlib.import_module(f"advisor.cli.{_name}").register(app)

__all__ = ["app"]
