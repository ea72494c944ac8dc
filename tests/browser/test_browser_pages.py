"""End-to-end in a real headless Chromium: streamed chat with citations, roster dashboard, plan download, XSS."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import httpx
import pytest
from page_checks import axe_violations, no_horizontal_overflow, screenshot

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


# Records every text the answer box shows while the answer streams, to prove none of it is later withdrawn.
WATCH = """() => {
  window.__shown = [];
  new MutationObserver(() => {
    const box = [...document.querySelectorAll('.message.assistant')].pop();
    if (box) window.__shown.push(box.innerText);
  }).observe(document.getElementById('messages'), {childList: true, subtree: true, characterData: true});
}"""


def test_question_streams_only_verified_text_and_citations_open_their_passage(page: Any) -> None:
    page.goto("/chat")
    page.evaluate(WATCH)
    page.fill("#question", "What span of control should a first-line sales manager have?")
    page.click("#ask")
    page.locator(
        ".message.assistant .checking"
    ).first.wait_for()  # "checking sources" while nothing is verified
    answer = page.locator(".message.assistant").last
    answer.locator(".answer-text").wait_for()
    final = answer.locator(".answer-text").inner_text()
    assert final.strip()
    whole = answer.inner_text()  # the answer with its sources and buttons, as it stays

    def plain(
        text: str,
    ) -> str:  # the words, without spacing or the list markers the final answer draws as bullets
        return re.sub(r"\s+", "", re.sub(r"(?m)^\s*(?:[-*]|\d+[.)])\s+", "", text))

    for shown in page.evaluate("window.__shown"):
        # everything shown before the end is the checking state or verified text the final answer keeps
        text = shown.replace("Checking sources…", "").replace("Stopped.", "").strip()
        assert not text or all(plain(part) in plain(whole) for part in text.split("\n") if part.strip()), text
    numbers = [int(n) for n in re.findall(r"\[(\d+)\]", final)]
    assert numbers and sorted(set(numbers)) == list(range(1, max(numbers) + 1))  # contiguous from 1
    assert "[S" not in final and "[M:" not in final
    links = answer.locator("a.cite")
    assert links.count() >= 1
    links.first.click()
    dialog = page.locator("#passage-dialog")
    assert dialog.is_visible()
    assert page.locator("#passage-text").inner_text().strip()
    assert "/kb/docs/" in (page.locator("#passage-link").get_attribute("href") or "")
    assert "c=" in page.url  # the conversation is now bookmarkable
    quoted = " ".join(page.locator("#passage-text").inner_text().split())
    page.click("#passage-link")
    page.wait_for_url("**/kb/docs/**")
    # the document opens at the cited chunk, with the cited sentences of the excerpt marked
    marks = page.locator(".passage.opened mark.cited")
    assert marks.count() >= 1
    assert all(" ".join(text.split()) in quoted for text in marks.all_inner_texts())
    assert page.locator(".passage[aria-current=true]").count() == 1
    assert axe_violations(page) == []
    screenshot(page, "citation-opened-en")
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


def test_plan_is_drafted_downloaded_and_prints_its_executive_summary(page: Any, tmp_path: Path) -> None:
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
    # on paper the plan page is the plan's first page: its title and executive summary, no navigation or buttons
    page.emulate_media(media="print")
    on_paper = tmp_path / "plan-page.pdf"
    on_paper.write_bytes(page.pdf(format="A4"))
    text = _pdf_text(on_paper)
    assert _pdf_text(on_paper, page=2) == ""  # one page
    assert "Sales organisation restructuring plan" in text and "1. Executive summary" in text
    for chrome in (
        "Knowledge",
        "Draft the plan",
        "Saved plans",
        "Download",
        "Print view",
        "2. The organisation today",
    ):
        assert chrome not in text, chrome
    # the print view is the whole plan: the executive summary fills page 1 and the rest follows from page 2
    page.emulate_media(media="screen")
    page.goto(page.locator("#plan-print").get_attribute("href") or "")
    page.emulate_media(media="print")
    whole = tmp_path / "plan.pdf"
    whole.write_bytes(page.pdf(format="A4"))
    first = _pdf_text(whole)
    assert "1. Executive summary" in first and "Contents" not in first and "2. The organisation" not in first
    assert _pdf_text(whole, page=2).lstrip().startswith("2. The organisation today")


def _pdf_text(path: Path, *, page: int = 1) -> str:
    """The text of one page of a PDF (poppler's pdftotext); empty past the last page."""
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.skip("pdftotext is not installed (apt-get install poppler-utils)")
    pages = ["-f", str(page), "-l", str(page)]
    result = subprocess.run([tool, *pages, str(path), "-"], capture_output=True, text=True, check=False)
    return result.stdout if result.returncode == 0 else ""


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
        browser_server + "/api/kb/documents",
        files={"file": ("xss.md", document.encode(), "text/markdown")},
        timeout=300,  # the first upload of a session loads the embedding model
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


def test_chat_tools_feedback_and_export(page: Any) -> None:
    page.set_viewport_size({"width": 1366, "height": 900})
    answer = _ask(page, "What is a good SDR to AE ratio?")
    screenshot(page, "chat-answer-en-1366")
    answer.locator("button.rate[data-rating='1']").click()
    page.wait_for_selector(".message.assistant button.rate[data-rating='1'][aria-pressed=true]")
    page.reload()
    assert (
        page.locator(".message.assistant button.rate[data-rating='1']").get_attribute("aria-pressed")
        == "true"
    )
    with page.expect_download() as info:
        page.click("#export-conversation")
    exported = Path(info.value.path()).read_text(encoding="utf-8")
    assert exported.startswith("# What is a good SDR to AE ratio?") and "Feedback: helpful" in exported
    page.fill("#conversation-actions input[name=name]", "Ratio question")
    page.click("#conversation-actions .rename button")
    assert page.locator("#conversation-list").get_by_text("Ratio question").count() == 1
    page.locator(".message.assistant button.regenerate").last.click()
    page.locator(".message.assistant .answer-text").nth(1).wait_for()
    assert page.locator(".message.assistant").count() == 2
    assert axe_violations(page) == []


def test_two_browser_sessions_keep_their_own_conversations(
    browser: Any, browser_server: str, page: Any
) -> None:
    _ask(page, "How do we reduce SDR turnover?")
    other = browser.new_context(base_url=browser_server)
    stranger = other.new_page()
    stranger.goto("/chat")
    assert "How do we reduce SDR turnover?" not in stranger.locator("#conversation-list").inner_text()
    page.goto("/chat")
    assert "How do we reduce SDR turnover?" in page.locator("#conversation-list").inner_text()
    other.close()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_chat_page_at_desktop_and_phone_widths(page: Any, lang: str) -> None:
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"/chat?lang={lang}")
    assert axe_violations(page) == []
    screenshot(page, f"chat-{lang}-1366")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/chat?lang={lang}")
    ask = page.locator("#ask").bounding_box()
    box = page.locator("#question").bounding_box()
    assert box["y"] + box["height"] <= 844, "the question box is below the fold"
    assert ask["height"] < 2.2 * 16 * 1.5, "the ask button wraps"
    assert no_horizontal_overflow(page)
    assert axe_violations(page) == []
    screenshot(page, f"chat-{lang}-390")
