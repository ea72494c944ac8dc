"""End-to-end in a real headless Chromium: streamed chat with citations, roster dashboard, plan download, XSS."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.integration]

ROSTER = Path(__file__).resolve().parents[1] / "fixtures" / "rosters" / "problem_team.csv"
XSS = '<img src=x onerror="window.__xss=1;alert(1)"><script>window.__xss=2</script>'


def _ask(page: Any, question: str) -> Any:
    page.goto("/chat")
    page.fill("#question", question)
    page.click("#ask")
    answer = page.locator(".message.assistant").last
    answer.locator(".answer-text").wait_for()
    return answer


def test_question_streams_and_citations_open_their_passage(page: Any) -> None:
    page.goto("/chat")
    page.fill("#question", "What span of control should a first-line sales manager have?")
    page.click("#ask")
    # the streamed draft appears first, then the grounded answer replaces it
    page.locator(".message.assistant p.streamed, .message.assistant .answer-text").first.wait_for()
    answer = page.locator(".message.assistant").last
    answer.locator(".answer-text").wait_for()
    assert answer.inner_text().strip()
    links = answer.locator("a.cite")
    assert links.count() >= 1
    links.first.click()
    dialog = page.locator("#passage-dialog")
    assert dialog.is_visible()
    assert page.locator("#passage-text").inner_text().strip()
    assert "/kb/docs/" in (page.locator("#passage-link").get_attribute("href") or "")
    assert "c=" in page.url  # the conversation is now bookmarkable
    assert page.csp_violations == []


def test_roster_upload_shows_dashboard_and_charts(page: Any) -> None:
    page.goto("/orgs")
    page.set_input_files("input[name=file]", str(ROSTER))
    page.click("#org-upload button[type=submit]")
    page.wait_for_url("**/orgs/*")
    assert page.locator("#report").is_visible()
    assert page.locator("#findings .finding").count() >= 1
    chart = page.locator("#chart-span-by-manager svg")
    assert chart.is_visible()
    assert chart.locator("rect").count() >= 2
    assert page.csp_violations == []


def test_plan_is_drafted_and_downloaded(page: Any) -> None:
    page.goto("/orgs")
    page.set_input_files("input[name=file]", str(ROSTER))
    page.click("#org-upload button[type=submit]")
    page.wait_for_url("**/orgs/*")
    page.click("text=Restructuring plan")
    page.click("#plan-form button[type=submit]")
    page.locator("#plan-downloads").wait_for()
    assert page.frame_locator("#plan-view").locator("h1").first.inner_text().strip()
    with page.expect_download() as info:
        page.click("#plan-downloads a:has-text('PDF')")
    path = info.value.path()
    assert Path(path).read_bytes().startswith(b"%PDF")
    assert info.value.suggested_filename.endswith(".pdf")


def test_xss_in_a_question_renders_as_text(page: Any) -> None:
    page.goto("/chat")
    page.fill("#question", f"What is a good SDR to AE ratio? {XSS}")
    page.click("#ask")
    page.locator(".message.assistant .answer-text").last.wait_for()
    assert XSS in page.locator(".message.user").last.inner_text()
    assert page.locator(".messages img").count() == 0
    assert page.evaluate("window.__xss") is None
    assert page.dialogs == []


def test_xss_in_an_uploaded_document_renders_inert(page: Any, browser_server: str) -> None:
    document = (
        f"---\nid: xss-upload\ntitle: Notes {XSS}\nlang: en\n---\n\n# Quotas\n\nQuota setting notes. {XSS}\n"
    )
    response = httpx.post(
        browser_server + "/api/kb/documents", files={"file": ("xss.md", document.encode(), "text/markdown")}
    )
    assert response.status_code == 201, response.text
    page.goto("/kb/docs/xss-upload")
    assert "Quota setting notes" in page.locator("main").inner_text()
    assert page.locator("main img").count() == 0
    assert page.evaluate("window.__xss") is None
    assert page.dialogs == []


def test_api_docs_render_from_vendored_assets(page: Any) -> None:
    page.goto("/docs")
    page.locator(".opblock").first.wait_for()
    assert page.locator(".opblock").count() >= 15
    assert page.csp_violations == []
