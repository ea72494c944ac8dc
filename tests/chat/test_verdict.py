"""A yes/no comparison question opens with its verdict, decided by the evidence the pipeline holds."""

from __future__ import annotations

import pytest

from advisor.chat.verdict import verdict

RAMP_EN = (
    "Ramp takes 2-3 months in SMB, 4-6 in mid-market and 6-9 in enterprise (revenuetools.io, secondary)."
)
QUOTA_EN = "Secondary sources report inside reps reaching 85% of quota against 81% for field reps."
MIX_EN = "Inside reps make up 47% of all sales professionals and field reps 53%."
RAMP_ZH = "按细分市场，爬坡期为：SMB 2-3 个月，中型市场 4-6 个月，大企业 6-9 个月。"


@pytest.mark.parametrize(
    ("question", "units", "lang", "expected"),
    [
        ("Do enterprise reps ramp faster than SMB reps?", [RAMP_EN], "en", "No: SMB reps ramp faster than enterprise reps."),
        ("Does an SMB rep ramp faster than an enterprise rep?", [RAMP_EN], "en", "Yes: an SMB rep ramps faster than an enterprise rep."),
        ("Is enterprise ramp longer than SMB ramp?", [RAMP_EN], "en", "Yes: enterprise ramp is longer than SMB ramp."),
        ("Can enterprise reps ramp faster than SMB reps?", [RAMP_EN], "en", "No: SMB reps can ramp faster than enterprise reps."),
        # the share of the workforce does not vote on quota attainment
        ("Do inside reps hit more of their quota than field reps?", [MIX_EN, QUOTA_EN], "en", "Yes: inside reps hit more of their quota than field reps."),
        ("大企业销售的爬坡期比中小企业短吗？", [RAMP_ZH], "zh", "不是，中小企业销售的爬坡期比大企业短。"),
        ("大企业销售的爬坡期比中小企业长吗？", [RAMP_ZH], "zh", "是的，大企业销售的爬坡期比中小企业长。"),
    ],
)  # fmt: skip
def test_the_evidence_decides_the_verdict(question: str, units: list[str], lang: str, expected: str) -> None:
    found = verdict(question, units, lang=lang)
    assert found is not None
    assert found.text == expected
    assert found.units == (len(units) - 1,)  # the unit that decides it


@pytest.mark.parametrize(
    ("question", "units"),
    [
        ("How long do enterprise reps take to ramp?", [RAMP_EN]),  # not a yes/no question
        ("Do enterprise reps ramp faster than SMB reps?", [MIX_EN]),  # nothing decides it
        (
            "Do enterprise reps ramp faster than SMB reps?",
            [RAMP_EN, "Enterprise reps ramp faster than SMB reps."],
        ),
    ],
)
def test_no_verdict_when_the_evidence_does_not_decide(question: str, units: list[str]) -> None:
    assert verdict(question, units, lang="en") is None


SDR_EN = "The Bridge Group found SDR attrition of 34% in 2015 and 30% in 2017 (secondary)."
SDR_ZH = "The Bridge Group 报告 SDR 流失率 2015 年为 34%、2017 年为 30%（二手来源）。"


@pytest.mark.parametrize(
    ("question", "units", "lang", "expected"),
    [
        ("Is SDR turnover higher than AE turnover?", [MIX_EN, SDR_EN], "en",
         "The sources cannot settle this: they give a figure for SDR but none for AE."),
        ("Is AE turnover lower than SDR turnover?", [SDR_EN], "en",
         "The sources cannot settle this: they give a figure for SDR but none for AE."),
        ("SDR 的流失率比 AE 高吗？", [SDR_ZH], "zh", "资料无法直接回答：只给出了 SDR 的数据，没有 AE 的。"),
    ],
)  # fmt: skip
def test_a_figure_for_one_subject_only_is_answered_by_what_the_sources_lack(
    question: str, units: list[str], lang: str, expected: str
) -> None:
    found = verdict(question, units, lang=lang)
    assert found is not None and found.text == expected
    assert found.units == (len(units) - 1,)  # the unit with the one figure, not the workforce share


def test_a_figure_on_another_quantity_says_nothing_of_what_is_missing() -> None:
    # the 34% is attrition, not meetings booked: no verdict, and no claim that a meetings figure exists
    assert verdict("Do SDRs book more meetings than AEs?", [SDR_EN], lang="en") is None
