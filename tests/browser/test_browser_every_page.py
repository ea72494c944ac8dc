"""Every page in both languages, in a real headless Chromium: axe-core finds nothing serious, nothing scrolls
sideways at 390 px, and a Chinese page shows no English interface text (including what the scripts draw) outside
content marked as English (documents, the library's own wording)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from page_checks import (
    axe_violations,
    english_interface_text,
    interface_text,
    screenshot,
    wider_than_viewport,
)

pytestmark = [pytest.mark.browser, pytest.mark.integration]

PROBLEM = Path(__file__).resolve().parents[1] / "fixtures" / "rosters" / "problem_team.csv"
DOCUMENT = "/kb/docs/metrics-span-of-control-en"


def _pages(page: Any) -> dict[str, str]:
    """Name -> address of every page a visitor reaches (an uploaded org's pages included)."""
    page.goto("/orgs")
    page.set_input_files("#org-upload input[name=file]", str(PROBLEM))
    page.click("#org-upload button[type=submit]")
    page.wait_for_url("**/orgs/*")
    org = "/orgs/" + page.url.split("/orgs/")[1].split("?")[0]
    page.goto(DOCUMENT)
    passage = page.locator(".passage h3 a").first.get_attribute("href")
    return {
        "chat": "/chat",
        "orgs": "/orgs",
        "dashboard": org,
        "mapping": f"{org}/mapping",
        "people": f"{org}/people?manager=M1",
        "scenario": f"{org}/scenario",
        "plan": f"{org}/plan",
        "kb": "/kb?q=span+of+control",
        "document": DOCUMENT,
        "passage": str(passage),
        "evals": "/evals",
        "not-found": "/orgs/no-such-org",
    }


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_page_is_accessible_and_fits_a_phone(page: Any, lang: str) -> None:
    pages = _pages(page)
    page.goto(f"/chat?lang={lang}")  # the language is remembered from here on
    for name, url in pages.items():
        for width, height in ((1366, 900), (390, 844)):
            page.set_viewport_size({"width": width, "height": height})
            response = page.goto(url)
            assert response.status == (404 if name == "not-found" else 200), (url, response.status)
            assert page.locator("html").get_attribute("lang") == ("zh-CN" if lang == "zh" else "en"), url
            assert axe_violations(page) == [], (url, width)
            assert wider_than_viewport(page) == [], (url, width)
            if lang == "zh":
                assert english_interface_text(interface_text(page)) == [], url
        screenshot(page, f"page-{name}-{lang}-390")
    assert page.csp_violations == []
