"""Trust tiers: an uploaded figure that contradicts a curated one is found, and the notice cites both."""

from __future__ import annotations

from dataclasses import dataclass

from advisor.chat.trust import Conflict, citation_title, conflict_notice, find_conflicts
from advisor.text.numbers import extract_numbers


@dataclass(frozen=True)
class Item:
    id: str
    text: str
    trust: str


CURATED_SPAN = Item(
    "S1",
    "The recommended span of control is 6-8 reps per first-line manager, and at most 10 (secondary sources).",
    "curated",
)
CURATED_ZH = Item("S3", "推荐的管理幅度为每位一线经理带 6-8 名销售代表，最多 10 名。", "curated")


def test_an_uploaded_figure_outside_the_curated_range_is_a_conflict() -> None:
    uploaded = Item("S2", "Our playbook says the ideal span of control is 50 reps per manager.", "uploaded")
    (conflict,) = find_conflicts([CURATED_SPAN, uploaded])
    assert conflict == Conflict(
        uploaded_id="S2",
        curated_id="S1",
        uploaded_figure="50",
        curated_figures=("6", "8", "10"),
        uploaded_sentence=uploaded.text,
        curated_sentence=CURATED_SPAN.text,
    )


def test_agreeing_unrelated_or_curated_only_figures_are_not_conflicts() -> None:
    agrees = Item("S2", "We keep a span of control of 8 reps per manager.", "uploaded")
    rounded = Item("S4", "A span of control of 10.5 reps per manager is our ceiling.", "uploaded")
    unrelated = Item("S5", "Our office opened in 2019 with 50 desks.", "uploaded")
    other_kind = Item("S6", "Span of control grew 50% per manager last year.", "uploaded")
    assert find_conflicts([CURATED_SPAN, agrees, rounded, unrelated, other_kind]) == []
    assert find_conflicts([CURATED_SPAN, Item("S7", "A span of 50 reps per manager.", "curated")]) == []


def test_chinese_conflicts_are_found() -> None:
    uploaded = Item("S2", "我们认为理想的管理幅度是每位经理带 50 名销售代表。", "uploaded")
    (conflict,) = find_conflicts([CURATED_ZH, uploaded])
    assert (conflict.uploaded_id, conflict.curated_id, conflict.uploaded_figure) == ("S2", "S3", "50")


def test_the_notice_cites_both_and_keeps_only_their_figures() -> None:
    uploaded = Item("S2", "The ideal span of control is 50 reps per manager.", "uploaded")
    (conflict,) = find_conflicts([CURATED_SPAN, uploaded])
    english = conflict_notice(conflict, lang="en")
    assert english == (
        "Note: an uploaded document gives 50 [S2], which contradicts the curated knowledge base's 6, 8, 10 [S1]; "
        "the curated figure stands."
    )
    chinese = conflict_notice(conflict, lang="zh")
    assert "[S2]" in chinese and "[S1]" in chinese and "以知识库为准" in chinese
    figures = {m.value for m in extract_numbers(english)}
    assert figures <= {m.value for m in extract_numbers(uploaded.text + CURATED_SPAN.text)}


def test_uploaded_citations_are_labelled() -> None:
    assert citation_title("Team notes", trust="uploaded", lang="en") == "Team notes (uploaded document)"
    assert citation_title("团队笔记", trust="uploaded", lang="zh") == "团队笔记（用户上传的文档）"
    assert citation_title("Span of control", trust="curated", lang="en") == "Span of control"
