"""The org workspace in a real headless Chromium, in English and Chinese, with axe-core and screenshots at two widths."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from page_checks import axe_violations, no_horizontal_overflow, screenshot
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.integration]

REPO = Path(__file__).resolve().parents[2]
PROBLEM = REPO / "tests" / "fixtures" / "rosters" / "problem_team.csv"
IBM = Path("/work/shared/data/ibm-hr-attrition.csv")


def _upload(page: Any, path: Path) -> str:
    page.goto("/orgs")
    page.set_input_files("#org-upload input[name=file]", str(path))
    page.click("#org-upload button[type=submit]")
    page.wait_for_url("**/orgs/*")
    return page.url.split("/orgs/")[1].split("/")[0].split("?")[0]


def _accessible(page: Any) -> None:
    assert axe_violations(page) == [], page.url
    assert page.csp_violations == []


@pytest.mark.skipif(not IBM.exists(), reason="the IBM HR sample is not on this machine")
def test_ibm_mapped_to_sdr_and_filtered_to_sales(page: Any) -> None:
    org_id = _upload(page, IBM)
    assert page.locator("#rows").inner_text() == "511"
    page.click("nav.tabs >> text=Columns and filters")
    page.wait_for_url("**/mapping")
    preview = page.locator("#preview")
    page.select_option("select[name='value:role:Sales Representative']", "sdr")
    page.select_option("#filter-column", "department")
    page.select_option("#filter-value", "Sales")
    expect(preview).to_have_attribute("data-kept", "446", timeout=30_000)
    assert "446 of 1470" in preview.inner_text()
    _accessible(page)
    page.click("#mapping-form button[type=submit]")
    page.wait_for_url(f"**/orgs/{org_id}")
    assert page.locator("#tile-headcount_start .tile-value").inner_text() == "446"
    assert page.locator("#tile-turnover_rate .tile-value").inner_text() == "20.6%"
    assert "Department = Sales" in page.locator("#period-form").inner_text()
    _accessible(page)


def test_problem_roster_as_of_and_drill_down(page: Any) -> None:
    org_id = _upload(page, PROBLEM)
    page.fill("#period-form input[name=as_of]", "2025-12-31")
    page.click("#period-form button[type=submit]")
    page.wait_for_url(f"**/orgs/{org_id}")
    assert page.locator("#tile-sdr_turnover_rate .tile-value").inner_text() == "40.0%"
    # the span chart is labelled with managers' names, its numbers are a table, and each bar opens the team
    chart = page.locator("#chart-span-by-manager")
    assert "Maya Manager" in chart.locator("svg").inner_html()
    chart.locator("summary").click()
    assert chart.locator("td.num").first.inner_text() == "15 reports"
    assert page.locator("#org-chart .span-badge", has_text="15 reports").count() == 1
    page.set_viewport_size({"width": 1366, "height": 900})
    _accessible(page)
    screenshot(page, "dashboard-en-1366")
    page.locator("#findings a.drill").first.click()
    page.wait_for_url("**/people?*")
    assert page.locator("#people tbody tr").count() >= 1
    _accessible(page)
    page.goto(f"/orgs/{org_id}?lang=zh")
    assert page.locator("#tile-sdr_turnover_rate .tile-label").inner_text() == "SDR 流失率"
    assert "40.0%" in page.locator("#tile-sdr_turnover_rate").inner_text()
    _accessible(page)
    page.set_viewport_size({"width": 390, "height": 844})
    assert no_horizontal_overflow(page)
    screenshot(page, "dashboard-zh-390")
    page.goto(f"/orgs/{org_id}?lang=en")
    assert no_horizontal_overflow(page)
    screenshot(page, "dashboard-en-390")


def test_scenario_form_saved_and_compared(page: Any) -> None:
    org_id = _upload(page, PROBLEM)
    page.goto(f"/orgs/{org_id}/scenario")
    rows = page.locator("#scenario-form table.edits tbody tr")
    rows.nth(0).locator("select[name=edit]").select_option("add_manager")
    rows.nth(0).locator("input[name=amount]").fill("1")
    rows.nth(1).locator("select[name=edit]").select_option("")
    page.fill("#scenario-form input[name=name]", "One more manager")
    page.click("#scenario-form button[type=submit]")
    result = page.locator("#scenario-result")
    assert "Largest span" in result.inner_text() or "span" in result.inner_text().lower()
    assert "[M:" not in page.content() and "span_of_control_max" not in page.locator("main").inner_text()
    page.goto(f"/orgs/{org_id}/scenario")
    rows = page.locator("#scenario-form table.edits tbody tr")
    rows.nth(0).locator("select[name=edit]").select_option("hire")
    rows.nth(0).locator("select[name=target]").select_option("sdr")
    rows.nth(0).locator("input[name=amount]").fill("3")
    page.fill("#scenario-form input[name=name]", "Three SDRs")
    page.click("#scenario-form button[type=submit]")
    page.select_option("#compare-form select[name=a]", label="One more manager")
    page.select_option("#compare-form select[name=b]", label="Three SDRs")
    page.click("#compare-form button[type=submit]")
    header = page.locator("#scenario-compare thead").inner_text()
    assert "One more manager" in header and "Three SDRs" in header
    page.set_viewport_size({"width": 1366, "height": 900})
    _accessible(page)
    screenshot(page, "scenario-en-1366")


def test_scenario_form_removes_a_manager_and_moves_reps_between_territories(page: Any) -> None:
    org_id = _upload(page, PROBLEM)
    page.goto(f"/orgs/{org_id}/scenario?lang=en")
    rows = page.locator("#scenario-form tr.edit-row")
    assert not rows.nth(0).locator("select[name=dest]").is_visible()  # "to" is for territory moves only
    rows.nth(0).locator("select[name=edit]").select_option("remove_manager")
    assert rows.nth(0).locator("select[name=target]").input_value() == ""  # the whole org
    rows.nth(0).locator("input[name=amount]").fill("1")
    rows.nth(1).locator("select[name=edit]").select_option("territory_move")
    rows.nth(1).locator("select[name=target]").select_option("North")
    rows.nth(1).locator("select[name=dest]").select_option("East")
    rows.nth(1).locator("input[name=amount]").fill("2")
    page.fill("#scenario-form input[name=name]", "Merge and rebalance")
    page.click("#scenario-form button[type=submit]")
    assert page.locator("#scenario-summary").inner_text() == (
        "✓ Move 2 reps with their accounts from North to East; consolidate 1 of the smallest teams into their "
        "neighbours"
    )
    applied = page.locator("#scenario-applied p.applied").all_inner_texts()
    assert any("Moved 2 reps with their quota and bookings from North to East" in line for line in applied)
    assert any("Consolidated manager M3's team (4 reports)" in line for line in applied)
    widest = page.locator("#scenario-result tbody tr", has_text="15 reports")
    assert widest.locator("td").nth(2).inner_text() == "19 reports"
    # the form shows the scenario again, as the library ran it
    assert (
        page.locator("#scenario-form tr.edit-row select[name=edit]").nth(0).input_value() == "territory_move"
    )
    assert page.locator("#scenario-form tr.edit-row select[name=dest]").nth(0).input_value() == "East"
    assert page.locator("#saved-scenarios select[name=a]").inner_text().strip() == "Merge and rebalance"
    _accessible(page)
    screenshot(page, "scenario-edits-en-1366")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/orgs/{org_id}/scenario?lang=zh")
    amount = page.locator("#scenario-form tr.edit-row input[name=amount]").first.bounding_box()
    assert amount["x"] + amount["width"] <= 390  # every field of a row is on screen, none scrolls away
    assert no_horizontal_overflow(page)
    _accessible(page)
    screenshot(page, "scenario-form-zh-390")
    page.click("#scenario-form button[type=submit]")  # the form's first row: hire 2 SDRs
    assert page.locator("#scenario-summary").inner_text() == "✓ 招聘 2 名销售开发代表"
    result = page.locator("#scenario-result").inner_text()
    assert "个月" in result and "months" not in result and "reports" not in result
    assert no_horizontal_overflow(page)
    screenshot(page, "scenario-result-zh-390")
    bad = page.locator("#scenario-form tr.edit-row").nth(0)
    bad.locator("select[name=edit]").select_option("territory_move")
    bad.locator("select[name=target]").select_option("North")
    bad.locator("select[name=dest]").select_option("North")
    page.click("#scenario-form button[type=submit]")
    assert page.locator("p.error").inner_text() == "第 1 项：请选择调出区域，以及另一个调入区域。"
    assert (
        page.locator("#scenario-form tr.edit-row select[name=edit]").nth(0).input_value() == "territory_move"
    )


def test_org_list_renames_and_every_page_is_accessible_in_chinese(page: Any) -> None:
    org_id = _upload(page, PROBLEM)
    page.goto("/orgs?lang=zh")
    row = page.locator("#org-list tbody tr", has=page.locator(f"a[href='/orgs/{org_id}']"))
    row.locator("input[name=name]").fill("华东销售团队")
    row.locator("button[type=submit]").first.click()
    page.wait_for_url("**/orgs")
    assert page.locator("#org-list").get_by_text("华东销售团队").count() == 1
    assert "problem_team.csv" in page.locator("#org-list").inner_text()
    for url in (
        "/orgs",
        f"/orgs/{org_id}/mapping",
        f"/orgs/{org_id}/scenario",
        f"/orgs/{org_id}/plan",
        "/kb",
        "/evals",
    ):
        page.goto(url)
        _accessible(page)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto("/orgs")
    screenshot(page, "orgs-zh-1366")
