"""The scenario flow and an upload error in Chromium, in Chinese and English, at desktop and phone widths: what the
library did person by person and why an upload failed read in the page's language, with axe-core on every page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from page_checks import axe_violations, no_horizontal_overflow, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.integration]

PROBLEM = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "rosters" / "problem_team.csv"
WIDTHS = {"1366": {"width": 1366, "height": 900}, "390": {"width": 390, "height": 844}}
DETAILS = {
    "zh": ("于 2025-12-31 招聘 2 名销售开发代表", "在 North 新增经理 NEW-MGR-1；将 7 名下属划归其管理"),
    "en": ("Hired 2 SDR on 2025-12-31", "Added manager NEW-MGR-1 in North; moved 7 reports to them"),
}
ENGLISH_LINES = ("Hired", "Moved", "Added manager", "reports to them", " reps ")


def _checked(page: Any, name: str, width: str) -> None:
    page.set_viewport_size(WIDTHS[width])
    assert axe_violations(page) == [], page.url
    assert page.csp_violations == []
    assert no_horizontal_overflow(page), page.url
    screenshot(page, f"{name}-{width}")


def _run(page: Any, rows: list[tuple[str, str, str]], name: str) -> None:
    form = page.locator("#scenario-form table.edits tbody tr")
    for position in range(form.count()):
        edit, target, amount = rows[position] if position < len(rows) else ("", "", "")
        form.nth(position).locator("select[name=edit]").select_option(edit)
        if target:
            form.nth(position).locator("select[name=target]").select_option(target)
        if edit:
            form.nth(position).locator("input[name=amount]").fill(amount)
    page.fill("#scenario-form input[name=name]", name)
    page.click("#scenario-form button[type=submit]")
    page.wait_for_selector("#scenario-result")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_scenario_built_with_the_form_reads_in_the_page_language(page: Any, lang: str) -> None:
    page.goto(f"/orgs?lang={lang}")
    page.set_input_files("#org-upload input[name=file]", str(PROBLEM))
    page.click("#org-upload button[type=submit]")
    page.wait_for_url("**/orgs/*")
    org_id = page.url.split("/orgs/")[1].split("/")[0].split("?")[0]
    page.fill("#period-form input[name=as_of]", "2025-12-31")
    page.click("#period-form button[type=submit]")
    page.wait_for_url(f"**/orgs/{org_id}")
    page.goto(f"/orgs/{org_id}/scenario")
    _run(page, [("hire", "sdr", "2"), ("move", "inside", "3")], "A")
    _run(page, [("hire", "sdr", "2"), ("add_manager", "", "1")], "B")
    details = page.locator("#scenario-applied").inner_text()
    hired, added = DETAILS[lang]
    assert hired in details and added in details, details
    if lang == "zh":
        assert not [word for word in ENGLISH_LINES if word in details], details
        assert page.locator("#scenario-applied").get_attribute("lang") is None
    for width in WIDTHS:
        _checked(page, f"scenario-{lang}", width)
    page.select_option("#compare-form select[name=a]", label="A")
    page.select_option("#compare-form select[name=b]", label="B")
    page.click("#compare-form button[type=submit]")
    header = page.locator("#scenario-compare thead").inner_text()
    assert "A" in header and "B" in header
    for width in WIDTHS:
        _checked(page, f"scenario-compare-{lang}", width)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_upload_error_reads_in_the_page_language(page: Any, lang: str, tmp_path: Path) -> None:
    empty = tmp_path / "team.csv"
    empty.write_text("rep_id,role,name\n", encoding="utf-8")
    page.goto(f"/orgs?lang={lang}")
    page.set_input_files("#org-upload input[name=file]", str(empty))
    page.click("#org-upload button[type=submit]")
    message = page.locator("#error-message")
    expected = {
        "zh": "team.csv 只有表头，没有数据行：请重新导出，每人一行。",
        "en": "team.csv has a header but no rows: export it again with one row per person.",
    }[lang]
    assert message.inner_text() == expected
    assert message.get_attribute("lang") is None  # worded in the page's own language
    for width in WIDTHS:
        _checked(page, f"upload-error-{lang}", width)
