"""The knowledge page's delete button: confirm, the document leaves the list, and stays gone after a reload."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from page_checks import axe_violations, screenshot

pytestmark = [pytest.mark.integration, pytest.mark.browser]

NOTE = "---\nid: delete-me\ntitle: Coaching cadence note\nlang: en\n---\n\n# Coaching cadence\n\n" + (
    "First-line managers hold a weekly one-to-one with every rep and review two recorded calls. " * 3
)


@pytest.fixture
def confirming_page(browser: Any, browser_server: str) -> Iterator[Any]:
    """A page that accepts every confirmation dialog and records its message."""
    context = browser.new_context(base_url=browser_server)
    page = context.new_page()
    page.dialogs = []
    page.csp_violations = []
    page.on(
        "console", lambda msg: "Content Security Policy" in msg.text and page.csp_violations.append(msg.text)
    )
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.accept()))
    page.set_default_timeout(120_000)
    yield page
    context.close()


def test_a_document_is_deleted_from_the_knowledge_page(confirming_page: Any, browser_server: str) -> None:
    page = confirming_page
    uploaded = httpx.post(
        browser_server + "/api/kb/documents",
        files={"file": ("delete-me.md", NOTE.encode(), "text/markdown")},
        timeout=300,
    )
    assert uploaded.status_code == 201, uploaded.text
    page.goto("/kb")
    row = page.locator("#documents tbody tr", has=page.locator("a[href='/kb/docs/delete-me']"))
    assert row.count() == 1
    count = int(page.locator("#document-count").inner_text())
    assert axe_violations(page) == []
    row.locator("button.kb-delete").click()
    row.wait_for(state="detached")
    assert page.dialogs == ["Remove this document from the knowledge base? Answers will no longer cite it."]
    assert int(page.locator("#document-count").inner_text()) == count - 1
    assert page.locator("#kb-delete-error").is_hidden()
    screenshot(page, "kb-after-delete")
    page.reload()
    assert page.locator("a[href='/kb/docs/delete-me']").count() == 0
    assert httpx.get(browser_server + "/api/kb/documents/delete-me").status_code == 404
    assert page.csp_violations == []


def test_a_failed_delete_says_why_and_keeps_the_row(confirming_page: Any, browser_server: str) -> None:
    page = confirming_page
    page.goto("/kb")
    button = page.locator("button.kb-delete").first
    doc_id = button.get_attribute("data-doc")
    # someone else removed it meanwhile: the page still lists it, the server no longer has it
    page.evaluate(
        "(id) => { document.querySelector('button.kb-delete').dataset.doc = id + '-gone'; }", doc_id
    )
    button.click()
    error = page.locator("#kb-delete-error")
    error.wait_for(state="visible")
    assert error.inner_text() == (
        f"The document was not removed: No document `{doc_id}-gone` in the knowledge base; "
        "`advisor kb list` shows what is there."
    )
    assert page.locator("button.kb-delete").first.is_enabled()
