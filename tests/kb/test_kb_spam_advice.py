"""The guidance frame: sentences that judge or advise about lists, numbers and vendors are kept; offers are not."""

from __future__ import annotations

from pathlib import Path

import pytest
from kb_helpers import real_judge

from advisor.kb.advice import advises
from advisor.kb.clean import clean_text
from advisor.kb.signals import line_evidence


@pytest.mark.parametrize(
    "sentence",
    [
        "Rented contact lists seldom repay the effort of importing them.",
        "Direct dial numbers from a vendor go stale within a year.",
        "Ask the data supplier how each record was collected before you sign.",
        "租来的客户名单往往不值得花钱。",
        "名单上的座机号码很快失效。",
    ],
)
def test_a_judgement_or_advice_about_the_thing_is_the_guidance_frame(sentence: str) -> None:
    assert advises(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Stale lists hurt your reputation, so our lists are re-checked weekly.",  # the seller's voice
        "Never chase dead numbers again: verified mobiles for just $19.",  # a price
        "Get fresh contacts that never bounce.",  # a call to action leads it
        "Bad data costs you deals!",  # an exclamation
        "名单过时得不偿失，请加微信获取最新数据。",  # a channel addressed to the reader
        "别再用过时的号码了，每条只要一元。",  # a price
    ],
)
def test_an_offer_is_never_the_guidance_frame_whatever_it_judges(sentence: str) -> None:
    assert not advises(sentence)


def test_the_judgement_must_stand_by_what_the_evidence_names() -> None:
    # the host clause advises (`should`); the spliced clause beside it judges nothing and still goes
    text = (
        "Territory plans should be reviewed each quarter, whatsapp number lists and email leads for sale "
        "or the best accounts drift to whoever shouts loudest."
    )
    assert "whatsapp" not in clean_text(text, lang="en")
    assert clean_text(
        "区域规划应当每季度复盘，出售手机号码名单和邮箱数据 否则好客户会流向嗓门最大的人。", lang="zh"
    ) == ("区域规划应当每季度复盘，否则好客户会流向嗓门最大的人。")


def test_a_title_case_insert_stops_before_the_verb_that_opens_the_next_sentence() -> None:
    line = "Keep one owner per account. How To Buy Mobile Leads In Any Country Fast Assign the renewal to that owner."
    units, signals = line_evidence(line, zh=False)
    assert [line[s.start : s.end] for s in signals if s.kind == "title"][0].endswith("Country Fast")
    assert [line[a:b].strip() for a, b in units][-1] == "Assign the renewal to that owner."


CLEAN = [
    (
        "en",
        "Rented contact lists seldom repay the effort of importing them. Half the direct dials reach a switchboard, "
        "and the e-mail addresses that do work belong to people who never asked to hear from you.",
    ),
    (
        "en",
        "Direct dial numbers from a data supplier go stale within a year. Ask how each record was collected before "
        "you sign, and budget for a rep to check a sample of fifty phone numbers first.",
    ),
    (
        "en",
        "Scanning a QR code at a trade show booth is faster than swapping cards, but the leads are only worth "
        "something if a rep calls them within two days.",
    ),
    (
        "zh",
        "租来的客户名单往往不值得花钱。名单上的座机号码很快失效，邮箱地址也多半没有授权，群发只会招来投诉。",
    ),
    ("zh", "向数据供应商采购手机号之前，要先确认数据来源是否合规。一年前的号码通常已有不少变成空号。"),
    ("zh", "展会上让客户扫二维码加企业微信比交换名片更快，但这些线索要在两天内跟进才有价值。"),
]


@pytest.mark.integration
@pytest.mark.parametrize(("lang", "text"), CLEAN)
def test_guidance_about_lists_numbers_and_vendors_keeps_every_word_with_the_real_judge(
    lang: str, text: str, tmp_path: Path
) -> None:
    assert clean_text(text, lang=lang, judge=real_judge(tmp_path)) == text


@pytest.mark.parametrize(
    ("lang", "text", "kept"),
    [
        (
            "en",
            "Review stalled deals every Monday. Copyright © 2025 PipeWorks Ltd. All rights reserved.",
            "Review stalled deals every Monday.",
        ),
        (
            "en",
            "Coach one behaviour at a time. Next post: Seven Habits Of Quota Crushers Keep the notes in the CRM.",
            "Coach one behaviour at a time. Keep the notes in the CRM.",
        ),
        (
            "en",
            "Plan the week around account clusters. Claim 200 free spins at Lucky Star casino, no deposit. "
            "Long drives waste selling hours.",
            "Plan the week around account clusters. Long drives waste selling hours.",
        ),
        (
            "zh",
            "复盘要看覆盖率。无抵押借款秒批到账 一年没人联系的客户就是空白。",
            "复盘要看覆盖率。一年没人联系的客户就是空白。",
        ),
        ("zh", "每月听两通录音。版权所有©2025某某科技有限公司", "每月听两通录音。"),
    ],
)
def test_page_furniture_and_off_topic_genres_are_cut_and_their_host_kept(
    lang: str, text: str, kept: str
) -> None:
    assert clean_text(text, lang=lang) == kept
