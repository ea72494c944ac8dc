"""Interface language, the Markdown sanitiser, the chart helpers and the error pages."""

from __future__ import annotations

from fastapi.testclient import TestClient

from advisor.chat.answer import Answer, Citation
from api.charts import histogram
from api.i18n import MESSAGES
from api.markdown import render_markdown
from api.routes.openai_compat import footnotes


def test_catalogues_cover_the_same_keys() -> None:
    assert set(MESSAGES["en"]) == set(MESSAGES["zh"])


def test_language_follows_query_then_cookie_then_accept_language(client: TestClient) -> None:
    assert '<html lang="en">' in client.get("/chat").text
    zh = client.get("/chat", headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"})
    assert '<html lang="zh-CN">' in zh.text and "向顾问提问" in zh.text
    prefers_en = client.get("/chat", headers={"Accept-Language": "zh;q=0.3, en;q=0.9"})
    assert "Ask the advisor" in prefers_en.text
    chosen = client.get("/kb?lang=zh")
    assert "知识库" in chosen.text
    assert "lang=zh" in chosen.headers["set-cookie"]
    # the cookie now wins over the browser's header
    assert "知识库" in client.get("/kb", headers={"Accept-Language": "en"}).text


def test_markdown_is_rendered_and_scripts_are_removed() -> None:
    html = str(
        render_markdown(
            "**bold** <script>alert(1)</script> [x](javascript:alert(2)) <img src=x onerror=alert(3)>"
        )
    )
    assert "<strong>bold</strong>" in html
    # raw HTML is shown as text, and the javascript: link is not made a link
    assert "<script" not in html and "<img" not in html and "href" not in html
    assert "&lt;script&gt;" in html


def test_markdown_keeps_tables_and_safe_links() -> None:
    html = str(render_markdown("| a | b |\n|---|---|\n| 1 | 2 |\n\n[site](https://example.org)"))
    assert "<table>" in html and "<td>1</td>" in html
    assert 'href="https://example.org"' in html and 'rel="noopener noreferrer nofollow"' in html


def test_histogram_counts_each_bin_and_the_open_last_one() -> None:
    rows = histogram([0.1, 0.4, 0.6, 2.5, 12.0, float("nan")], (0.0, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0))
    assert rows == [
        ("0–0.5", 2.0),
        ("0.5–1", 1.0),
        ("1–2", 0.0),
        ("2–3", 1.0),
        ("3–5", 0.0),
        ("5–10", 0.0),
        ("10+", 1.0),
    ]


def test_footnotes_list_every_citation_after_the_answer() -> None:
    answer = Answer(
        answer="Keep spans near eight [S1].",
        citations=[Citation("S1", "metrics-span-of-control", "Span of control", "Benchmarks", "...")],
    )
    assert footnotes(answer) == "Keep spans near eight [S1].\n\nSources:\n[S1] Span of control - Benchmarks"
    assert footnotes(Answer(answer="No sources.")) == "No sources."


def test_error_pages_are_html_and_api_errors_are_json(client: TestClient) -> None:
    page = client.get("/orgs/<img src=x onerror=alert(1)>")
    assert page.status_code == 404
    assert "<img" not in page.text and "&lt;img src=x onerror=alert(1)&gt;" in page.text
    api = client.get("/api/kb/documents/missing")
    assert api.status_code == 404 and api.json()["error"] == "NotFoundError"
    v1 = client.post("/v1/chat/completions", json={"model": "x", "messages": []})
    assert v1.status_code == 422 and "messages" in v1.json()["error"]["message"]
