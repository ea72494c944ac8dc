"""Sentences, numbers, language and key terms: the text handling grounding is built on."""

from __future__ import annotations

import pytest

from advisor.chat.numbers import extract_numbers, number_traces, untraceable_numbers
from advisor.text.lang import detect_lang, is_language
from advisor.text.sentences import citation_ids, split_sentences, strip_citations

EVIDENCE = [
    "Your team's turnover rate is 27.3% (separations 12, average headcount 44).",
    "Organisations with inadequate onboarding see 14.2% turnover, against an average of 7.9%.",
    "TOPO reported an average SDR:AE ratio of 1:2.5; a replacement costs about $97,960.",
]


def test_sentences_keep_their_citations_in_english_and_chinese() -> None:
    sentences = split_sentences(
        "Turnover is high [S1]. Reps leave, e.g. SDRs. [S2] Fix it [M:turnover_rate]!\n离职率很高【S1】。培训很重要[S2]。"
    )
    assert [(s.text, s.cited) for s in sentences] == [
        ("Turnover is high.", ("S1",)),
        ("Reps leave, e.g. SDRs.", ("S2",)),
        ("Fix it!", ("M:turnover_rate",)),
        ("离职率很高。", ("S1",)),
        ("培训很重要。", ("S2",)),
    ]


def test_list_markers_and_grouped_citations() -> None:
    sentences = split_sentences("1. Pick one methodology [S1, S3]\n- Train managers first [S2]")
    assert [(s.text, s.cited) for s in sentences] == [
        ("Pick one methodology", ("S1", "S3")),
        ("Train managers first", ("S2",)),
    ]
    assert citation_ids("a [S2] b [S2][M:x_y]") == ["S2", "M:x_y"]
    assert strip_citations("High turnover [S1] [note].") == "High turnover."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("14.2% vs 7.9 percent and 0.142", [(14.2, "percent"), (7.9, "percent"), (0.142, "plain")]),
        ("1:2.5 and $97,960 or $115k", [(2.5, "ratio"), (97960.0, "money"), (115000.0, "money")]),
        ("B2B teams ramp in 2-3 months", [(2.0, "plain"), (3.0, "plain")]),
        ("离职率为27.3%，百分之14.2", [(27.3, "percent"), (14.2, "percent")]),
    ],
)
def test_extract_numbers(text: str, expected: list[tuple[float, str]]) -> None:
    assert [(m.value, m.kind) for m in extract_numbers(text)] == expected


@pytest.mark.parametrize(
    ("number", "traces"),
    [
        ("27%", True),  # the 27.3% metric, rounded
        ("27.3%", True),
        ("0.273", True),  # the same rate as a fraction
        ("28%", False),
        ("14.2 percent", True),
        ("0.142", True),
        ("14.3%", False),
        ("1:2.5", True),
        ("2.5", True),
        ("$98k", True),  # $97,960 rounded to thousands
        ("$150k", False),
        ("12", True),
        ("13", False),
    ],
)
def test_number_traces_with_sensible_rounding(number: str, traces: bool) -> None:
    assert number_traces(number, EVIDENCE) is traces


def test_untraceable_numbers_lists_only_the_invented_ones() -> None:
    assert [m.raw for m in untraceable_numbers("Turnover is 27% against 35% elsewhere.", EVIDENCE)] == ["35%"]


def test_language() -> None:
    assert detect_lang("What span of control should an SDR manager have?") == "en"
    assert detect_lang("SDR 经理的管理幅度应该是多少？") == "zh"
    assert is_language("离职率很高，需要改进入职培训。", "zh")
    assert not is_language("Turnover is high.", "zh")
    assert not is_language("离职率很高，需要改进入职培训。", "en")
