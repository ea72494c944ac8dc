"""What the browser tests check on every page: axe-core accessibility, screenshots as artefacts, no sideways scroll,
no English interface text on a Chinese page."""

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
    return not wider_than_viewport(page)


def wider_than_viewport(page: Any) -> list[str]:
    """The elements that stick out of the viewport's right edge (`tag.class: text`), outermost first."""
    return list(
        page.evaluate(
            """() => document.documentElement.scrollWidth <= window.innerWidth + 1 ? [] :
            [...document.querySelectorAll('body *')]
              .filter((node) => node.getBoundingClientRect().right > window.innerWidth + 1)
              .map((node) => node.tagName.toLowerCase() + '.' + node.className + ': ' + (node.textContent || '').trim().slice(0, 60))"""
        )
    )


# the same word in both catalogues on purpose
SAME_IN_BOTH = {"evals_download_json", "nav_api"}


def english_interface_text(text: str) -> list[str]:
    """The English interface phrases (catalogue texts of two or more words or over 8 letters) found in a text."""
    import re

    from api.i18n import MESSAGES

    phrases = {
        phrase
        for key, phrase in MESSAGES["en"].items()
        if (" " in phrase or len(phrase) > 8) and key not in SAME_IN_BOTH and "{" not in phrase
    }
    from phrases import library_phrases  # tests/api, on the path the browser conftest sets

    phrases |= library_phrases()
    return sorted(p for p in phrases if re.search(rf"(?<![\w-]){re.escape(p)}(?![\w-])", text))


def interface_text(page: Any) -> str:
    """The page's visible text without the content marked as English (`lang="en"`: documents, library wording)."""
    return str(
        page.evaluate(
            """() => { const copy = document.body.cloneNode(true);
            copy.querySelectorAll('[lang^="en"], script, style').forEach((node) => node.remove());
            return copy.textContent; }"""
        )
    )
