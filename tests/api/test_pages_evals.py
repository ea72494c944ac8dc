"""The evals page names each suite as people read it, in both languages; a new suite shows its bare name."""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.eval_jobs import suites
from api.i18n import MESSAGES
from api.pages.evals import suite_titles


def test_every_suite_has_a_title_in_both_languages() -> None:
    for lang in ("en", "zh"):
        titles = suite_titles(suites(), lang)
        assert all(titles[suite] == MESSAGES[lang][f"suite_{suite}"] for suite in suites()), lang
    assert suite_titles(["brand_new"], "zh") == {"brand_new": "brand_new"}


def test_the_evals_page_shows_the_titles(client: TestClient) -> None:
    page = client.get("/evals?lang=zh")
    assert page.status_code == 200
    assert '冒烟测试：每个套件各取几例，快速 <code class="muted">smoke</code>' in page.text
    assert 'aria-label="运行: 检索：能否找到作答的文章"' in page.text
