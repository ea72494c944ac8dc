"""Fixtures of the browser tests: a live server over seeded state and a real headless Chromium."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "api"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from web_server import live_server, web_settings  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]


@pytest.fixture(scope="session")
def browser_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real app on loopback over an ADVISOR_HOME with the knowledge folder ingested."""
    from advisor.kb.ingest import ingest

    settings = web_settings(tmp_path_factory.mktemp("browser-home"), rate_limit_per_minute=0)
    ingest(None, settings=settings)
    with live_server(settings) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Chromium driven by Playwright (the system browser: Playwright's own download is unavailable).

    Module-scoped: Playwright's sync API keeps an event loop running in the main thread while it is open, which
    would break every later test that calls `asyncio.run`.
    """
    if not shutil.which(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Any, browser_server: str) -> Iterator[Any]:
    """A fresh page whose console CSP violations and JavaScript dialogs are recorded for the test to check."""
    context = browser.new_context(base_url=browser_server, accept_downloads=True)
    page = context.new_page()
    page.csp_violations = []
    page.dialogs = []
    page.on(
        "console", lambda msg: "Content Security Policy" in msg.text and page.csp_violations.append(msg.text)
    )
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.set_default_timeout(120_000)
    yield page
    context.close()
