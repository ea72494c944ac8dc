"""What the browser tests check on every page: axe-core accessibility, screenshots as artefacts, no sideways scroll."""

from __future__ import annotations

from pathlib import Path
from typing import Any

AXE = Path(__file__).resolve().parent / "vendor" / "axe-4.14.1.min.js"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"


def axe_violations(page: Any, *, impacts: tuple[str, ...] = ("serious", "critical")) -> list[str]:
    """axe-core's violations of the page at these impacts, as `rule: target` lines (empty when accessible)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(
            AXE.read_text(encoding="utf-8")
        )  # evaluated by the browser, not injected: the CSP stays on
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{violation['id']}: {node['target']} ({violation['help']})"
        for violation in result["violations"]
        if violation["impact"] in impacts
        for node in violation["nodes"]
    ]


def screenshot(page: Any, name: str) -> Path:
    """Save a full-page screenshot as a test artefact under build/screenshots/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def no_horizontal_overflow(page: Any) -> bool:
    """Whether the page fits its viewport's width (nothing scrolls sideways but tables in their own box)."""
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"))
