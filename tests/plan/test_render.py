"""Rendering: clean GitHub Markdown, self-contained escaped HTML with SVG charts, PDFs whose text and fonts are right."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from plan_doubles import AS_OF, ScriptedChat, install
from plan_helpers import SECTION_IDS, text_of

from advisor.config import Settings
from advisor.errors import InputError
from advisor.org.roster import Roster
from advisor.plan.charts import render_svg
from advisor.plan.document import Chart, Plan
from advisor.plan.draft import draft_plan
from advisor.plan.render import format_for, html_text, md_text, render_plan
from advisor.text.sentences import CITATION

GOAL = "<script>alert(1)</script> grow *enterprise* bookings 40%"
TERRITORY = "<b>East</b> & Co"
MANAGER = "Ana *Star* Liu"


@pytest.fixture(scope="module")
def plans(kb_settings: Settings, problem_roster: Roster) -> Iterator[dict[str, Plan]]:
    """The problem roster's plan in English (scripted model) and Chinese (no model), with a hostile goal."""
    chat = ScriptedChat()
    with pytest.MonkeyPatch.context() as patch:
        install(patch, chat)
        yield {
            lang: draft_plan(problem_roster, settings=kb_settings, goal=GOAL, lang=lang, as_of=AS_OF)
            for lang in ("en", "zh")
        }


def test_chinese_plan_never_asks_the_model(
    kb_settings: Settings, problem_roster: Roster, scripted_chat: ScriptedChat
) -> None:
    plan = draft_plan(problem_roster, settings=kb_settings, lang="zh", as_of=AS_OF)
    assert scripted_chat.history == []  # composed from templates and Chinese passages
    assert plan.slots["generated"] == 0
    assert all(source.doc_id.endswith("-zh") for source in plan.sources)


def cjk_share(text: str) -> float:
    """Han characters among Han and Latin letters, counted here rather than with the product's own helper."""
    han = len(re.findall(r"[\u4e00-\u9fff]", text))
    latin = len(re.findall(r"[A-Za-z]", text))
    return han / (han + latin) if han + latin else 1.0


def _roster_words(roster: Roster) -> list[str]:
    values = []
    for column in ("name", "territory", "rep_id"):
        values += [str(v) for v in roster.df[column].dropna().unique()]
    return sorted(values, key=len, reverse=True)


def test_chinese_plan_is_chinese_in_every_section(plans: dict[str, Plan], problem_roster: Roster) -> None:
    plan = plans["zh"]
    # names people gave (roster values, the goal, benchmark publications) and citation ids are not prose
    proper = [*_roster_words(problem_roster), GOAL, *(b["source"] for b in plan.benchmarks)]
    for section in plan.sections:
        text = CITATION.sub("", text_of(section))
        for name in proper:
            text = text.replace(name, "")
        assert cjk_share(text) >= 0.7, (section.id, round(cjk_share(text), 2))


def test_markdown_is_clean_and_neutralises_user_strings(plans: dict[str, Plan]) -> None:
    markdown = render_plan(plans["en"], "md").decode()
    html = MarkdownIt("commonmark").enable("table").render(markdown)
    assert "<script" not in html and "<b>East" not in html and "<em>Star</em>" not in html
    assert "&lt;b&gt;East&lt;/b&gt; &amp; Co" in html and MANAGER in html
    assert html.count("<table>") >= 8
    headings = re.findall(r"^## \d+\. (.+)$", markdown, re.MULTILINE)
    assert len(headings) == len(SECTION_IDS)
    assert "<svg" not in markdown and "<div" not in markdown


def test_html_is_self_contained_escaped_and_has_charts(plans: dict[str, Plan]) -> None:
    html = render_plan(plans["en"], "html").decode()
    assert "<script" not in html.replace("&lt;script", "")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;East&lt;/b&gt; &amp; Co" in html and "<b>East" not in html
    assert not re.search(r"""(src|href)=["']?(https?:|//)""", html)
    assert "<link" not in html and "@import" not in html
    assert html.count("<svg") >= 5  # by role, by channel, tenure, span per manager, a scenario
    assert 'href="#src-S1"' in html and 'id="src-S1"' in html


def test_citation_links_and_neutralising_helpers() -> None:
    assert str(html_text("Keep them [S2][M:turnover_rate] <i>")) == (
        'Keep them [<a class="cite" href="#src-S2">S2</a>][<a class="cite" href="#metric-turnover_rate">'
        "Σ</a>] &lt;i&gt;"  # a metric citation links to its definition, never shows its internal id
    )
    assert md_text("Turnover is 40.0% [M:turnover_rate].") == "Turnover is 40.0% [Σ]."
    assert md_text("a *b* | c [S1]\n# d") == r"a \*b\* \| c [S1] \# d"
    assert md_text("1. not a list") == r"1\. not a list"


def test_svg_chart_escapes_labels_and_draws_every_bar() -> None:
    svg = render_svg(
        Chart("Span <x>", "bars", (("Ana & <b>", 15.0, None), ("Ben", 6.0, None)), reference=10.0)
    )
    assert "<b>" not in svg and "Ana &amp; &lt;b&gt;" in svg
    assert svg.count("<rect") == 2 and "<line" in svg
    pair = render_svg(Chart("Effect", "before_after", (("Span", 15.0, 8.0),)))
    assert pair.count("<rect") == 2 + 2  # two bars and the two legend swatches


def test_format_comes_from_the_extension_or_the_flag() -> None:
    assert format_for(Path("plan.md")) == "md"
    assert format_for(Path("plan.HTML")) == "html"
    assert format_for(Path("plan.txt"), "pdf") == "pdf"
    with pytest.raises(InputError, match="use .md, .html or .pdf"):
        format_for(Path("plan.docx"))


def _pdf_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} (poppler-utils) is not installed")
    return path


def test_english_pdf_renders_with_the_plan_text(plans: dict[str, Plan], tmp_path: Path) -> None:
    pdf = tmp_path / "plan.pdf"
    pdf.write_bytes(render_plan(plans["en"], "pdf"))
    text = subprocess.run(
        [_pdf_tool("pdftotext"), str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    for section in plans["en"].sections:
        assert section.title in text
    assert "40.0%" in text and "<script>" in text  # the goal is shown as text, not run


def test_chinese_pdf_embeds_a_cjk_font(plans: dict[str, Plan], tmp_path: Path) -> None:
    pdf = tmp_path / "plan.zh.pdf"
    pdf.write_bytes(render_plan(plans["zh"], "pdf"))
    fonts = subprocess.run(
        [_pdf_tool("pdffonts"), str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    assert "WenQuanYi" in fonts
    text = subprocess.run(
        [_pdf_tool("pdftotext"), str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "执行摘要" in text and "诊断" in text
