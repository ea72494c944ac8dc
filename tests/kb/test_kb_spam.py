"""Spam detection by fit: the labelled corpus, its scoring, and cuts that need no splice residue."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from kb_helpers import REPO, real_judge

from advisor.kb.clean import clean_text
from advisor.kb.coherence import SemanticJudge
from advisor.kb.fit import find_unfit
from advisor.kb.spam import DocumentWords, find_spam
from evals.ingest import parse_marked, score_cut

CORPUS = REPO / "tests" / "fixtures" / "spam"


def _corpus(lang: str) -> list[dict[str, object]]:
    return yaml.safe_load((CORPUS / f"{lang}.yaml").read_text(encoding="utf-8"))


def _totals(lang: str, split: str, judge: SemanticJudge | None = None) -> tuple[float, float]:
    fragments = caught = sentences = damaged = 0
    for row in _corpus(lang):
        if row["split"] != split:
            continue
        raw, _ = parse_marked(str(row["question"]))
        score = score_cut(str(row["question"]), clean_text(raw, lang=lang, judge=judge))
        fragments, caught = fragments + score.fragments, caught + score.caught
        sentences, damaged = sentences + score.clean_sentences, damaged + score.damaged
    return caught / fragments, damaged / sentences


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_corpus_has_forty_spliced_paragraphs_clean_look_alikes_and_a_held_out_split(lang: str) -> None:
    rows = _corpus(lang)
    spans = {str(r["id"]): parse_marked(str(r["question"]))[1] for r in rows}
    assert sum(1 for s in spans.values() if s) >= 40
    assert all(len(s) <= 2 for s in spans.values())
    clean = [r for r in rows if "clean" in r["tags"]]  # type: ignore[operator]
    assert len(clean) >= 10 and not any(spans[str(r["id"])] for r in clean)
    assert {r["split"] for r in rows} == {"dev", "test"}
    assert len({r["id"] for r in rows}) == len(rows)


@pytest.mark.parametrize(("name", "spliced_at_least"), [("heldout2", 12), ("heldout3", 10)])
def test_later_held_out_splits_have_spliced_and_four_clean_paragraphs_per_language(
    name: str, spliced_at_least: int
) -> None:
    rows = yaml.safe_load((CORPUS / f"{name}.yaml").read_text(encoding="utf-8"))
    for lang in ("en", "zh"):
        mine = [r for r in rows if r["lang"] == lang]
        spliced = [r for r in mine if "clean" not in r["tags"]]
        assert len(spliced) >= spliced_at_least and len(mine) - len(spliced) >= 4
        # a fragment lost to YAML (a space before `#` starts a comment) would silently make a paragraph clean
        assert all(len(parse_marked(str(r["question"]))[1]) == 1 for r in spliced)
    assert {r["split"] for r in rows} == {"test"} and len({r["id"] for r in rows}) == len(rows)


def test_parse_and_score_a_cut_exactly() -> None:
    marked = "Coach every week. ⟦Buy cheap leads now!⟧ Review the plan."
    raw, spans = parse_marked(marked)
    assert raw == "Coach every week. Buy cheap leads now! Review the plan." and spans == [(18, 38)]
    perfect = score_cut(marked, "Coach every week. Review the plan.")
    assert (perfect.recall, perfect.false_cut_rate, perfect.precision) == (1.0, 0.0, 1.0)
    sloppy = score_cut(marked, "Coach every. Buy cheap leads now! Review the plan.")
    assert (sloppy.recall, sloppy.false_cut_rate, sloppy.precision) == (0.0, 0.5, 0.0)
    assert score_cut(marked, raw).precision is None  # nothing cut


# the guidance frame keeps the clean look-alikes that judge or advise about lists (`Buying a lead list rarely pays
# back`); dev's whole-sentence adverts of other genres (tagged `whole`, 2026-12-03) are mostly still missed
@pytest.mark.parametrize(("lang", "recall", "false_cuts"), [("en", 0.84, 0.0), ("zh", 0.8, 0.0)])
def test_cleaner_without_a_judge_meets_its_dev_figures(lang: str, recall: float, false_cuts: float) -> None:
    measured_recall, measured_false = _totals(lang, "dev")
    assert measured_recall >= recall and measured_false <= false_cuts


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_held_out_paragraphs_lose_no_clean_sentence(lang: str) -> None:
    recall, false_cuts = _totals(lang, "test")
    assert false_cuts == 0.0 and recall >= 0.55  # what was measured once the design was frozen (see spam.py)


def test_an_unseen_english_article_loses_its_three_kinds_of_advert() -> None:
    text = (
        "Hire account executives a quarter before the pipeline needs them. "
        "WhatsApp: +44 7700 900456, +44 7700 900789, +44 7700 900321 for bulk number lists. "
        "Ramp takes four months, 购买数据 so plan capacity with that delay in mind.\n\n"
        "Coach every rep on one recorded call a week. LeadForge: 90 Million Verified Contacts, Updated Daily!"
    )
    cleaned = clean_text(text, lang="en")
    for spam in ("WhatsApp", "7700", "购买数据", "LeadForge", "Verified Contacts"):
        assert spam not in cleaned
    assert "Hire account executives a quarter before the pipeline needs them." in cleaned
    assert "Ramp takes four months, so plan capacity with that delay in mind." in cleaned
    assert "Coach every rep on one recorded call a week." in cleaned


def test_chinese_spam_without_splice_residue_is_cut() -> None:
    text = "配额应当根据团队产能来设定，购买精准企业主手机号码名单请加微信而不是根据管理层的期望。"
    assert clean_text(text, lang="zh") == "配额应当根据团队产能来设定，而不是根据管理层的期望。"


def test_a_new_slogan_sharing_no_listed_word_is_cut_by_its_fit_alone() -> None:
    text = (
        "区域规划要平衡客户数量和收入潜力。少加班，多签单，效果天天看得见 每次招聘之后都要重新审视这种平衡。"
    )
    document = DocumentWords(text)
    assert find_spam(text, document=document, lang="zh") == []  # no vocabulary list knows these words
    (fragment,) = find_unfit(text, document=document, lang="zh")
    assert text[fragment.start : fragment.end] == "少加班，多签单，效果天天看得见"
    assert {"fit", "unterminated", "splice", "slogan"} <= set(fragment.kinds)
    assert (
        clean_text(text, lang="zh") == "区域规划要平衡客户数量和收入潜力。每次招聘之后都要重新审视这种平衡。"
    )


def test_an_insertion_mid_sentence_is_cut_where_it_breaks_its_host() -> None:
    text = "经理要每周和每位代表一起复盘商机，躺着也能赚大钱 再决定下一步行动。"
    assert clean_text(text, lang="zh") == "经理要每周和每位代表一起复盘商机，再决定下一步行动。"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        (
            "Keep the phone list of key accounts in the CRM. When a buyer changes their number, update it the same day! "
            "Old numbers waste an SDR morning.",
            "en",
        ),
        (
            "把重点客户的电话名单放在客户关系管理系统里。买家换号码时，当天就要更新！过期的号码会浪费 SDR 一上午。",
            "zh",
        ),
        ("效果很好！销售代表不再压单，季度末的意外也消失了。", "zh"),
        ("Rule of thumb: one manager for every eight reps. Above that, coaching suffers.", "en"),
    ],
)
def test_clean_paragraphs_about_phone_lists_with_exclamations_and_labels_keep_every_word(
    text: str, lang: str
) -> None:
    assert find_unfit(text, document=DocumentWords(text), lang=lang) == []
    assert clean_text(text, lang=lang) == text


def test_a_paragraph_of_one_stretch_is_never_cut_by_its_fit() -> None:
    assert find_unfit("少加班，多签单，效果天天看得见", lang="zh") == []


def test_a_cut_grows_to_its_sentence_only_when_what_it_leaves_fits_no_better() -> None:
    kept = "Keep the team small. Viber: +380 44 123 4567 Cap the number or add support."
    assert clean_text(kept, lang="en") == "Keep the team small. Cap the number or add support."


def test_headings_tables_and_a_gloss_in_brackets_are_never_cut() -> None:
    for line in ("# Buy Verified Phone Lists | Cheap", "| WhatsApp | +44 20 7946 0000 | list |"):
        assert clean_text(line, lang="en") == line
    assert find_spam("An SDR (销售发展代表) books meetings for account executives.", lang="en") == []


def test_fragments_name_their_evidence() -> None:
    line = "Review the pipeline weekly call +44 20 7946 0000 to buy verified CEO email lists and coach reps."
    (fragment,) = find_spam(line, lang="en")
    assert line[fragment.start : fragment.end] == "call +44 20 7946 0000 to buy verified CEO email lists"
    assert {"phone", "contact"} <= set(fragment.kinds)


@pytest.mark.integration
def test_semantic_judge_is_deterministic_and_embeds_two_batches_a_document_at_most(tmp_path: Path) -> None:
    judge = real_judge(tmp_path)
    calls: list[int] = []
    embeddings = judge.embeddings

    class Counting(type(embeddings)):  # type: ignore[misc]
        """The real model, counting its batches."""

        def __init__(self) -> None:
            self.__dict__.update(embeddings.__dict__)

        def encode(self, texts: list[str], **kwargs: object) -> object:
            calls.append(len(texts))
            return super().encode(texts, **kwargs)

    judge = SemanticJudge(Counting(), model=judge.model)
    text = "Keep the team small. Join our WhatsApp group for daily verified leads!\n\nCoach weekly. Buy lists today!"
    first = clean_text(text, lang="en", judge=judge)
    assert clean_text(text, lang="en", judge=judge) == first
    assert 2 <= len(calls) <= 4  # the sentences in one batch, what cuts leave of them in another
    assert "WhatsApp" not in first and first.startswith("Keep the team small.")
    before = len(calls)
    clean_text("季度复盘时逐一检查商机。购买数据请加微信！", lang="zh", judge=judge)
    assert 1 <= len(calls) - before <= 2  # Chinese is judged by its own probe


def test_a_judge_for_another_embedding_model_gives_no_weight_and_embeds_nothing(tmp_path: Path) -> None:
    class Refusing:
        def encode(self, texts: list[str]) -> object:
            raise AssertionError("a probe fitted on another model must not embed")

    judge = SemanticJudge(Refusing(), model="another-model")  # type: ignore[arg-type]
    assert not judge.active and judge.weights(["Join our WhatsApp group for daily verified leads"]) == {}
    text = "Keep the team small. Call +44 20 7946 0000 to buy verified CEO email lists. Coach weekly."
    assert clean_text(text, lang="en", judge=judge) == clean_text(text, lang="en")


@pytest.mark.integration
def test_a_cut_grows_to_an_advert_sentence_it_left_in_scraps_with_or_without_the_judge(
    tmp_path: Path,
) -> None:
    judge = real_judge(tmp_path)
    text = (
        "Keep the sales team small until the playbook is proven. Join our WhatsApp group for daily verified leads, "
        "300+ members. Hiring ahead of a working playbook multiplies the cost of mistakes."
    )
    # without the judge the call to action (`Join` and words foreign to sales guidance) takes the whole sentence
    assert (
        clean_text(text, lang="en")
        == clean_text(text, lang="en", judge=judge)
        == (
            "Keep the sales team small until the playbook is proven. "
            "Hiring ahead of a working playbook multiplies the cost of mistakes."
        )
    )


# one spliced fragment per structural signal of the second pass, each cut by that signal with no vocabulary of it
@pytest.mark.parametrize(
    ("lang", "host", "fragment", "kind"),
    [
        (
            "en",
            "Plan quotas before the year opens, {} so reps can plan against them.",
            "купить базу недорого",
            "script",
        ),
        ("zh", "销售经理每周要听两通录音，{} 并给出一个具体建议。", "고객 명단 판매 합니다", "script"),
        (
            "en",
            "Ramp targets rise month by month. {} A flat target hides learning.",
            "#closers #crushers #life",
            "hashtag",
        ),
        ("zh", "新人的第一个月不背完整配额。{} 用活动量目标代替。", "#涨粉秘籍# #副业赚钱#", "hashtag"),
        (
            "en",
            "Coach one skill at a time. {} Pick it from the call recordings.",
            "🚀 Ten thousand waiting 🚀",
            "emoji",
        ),
        (
            "en",
            "Deals need a dated next step. {} Deals without one leave commit.",
            "Enter SPRING30 at checkout.",
            "code",
        ),
        (
            "en",
            "Coach one skill at a time. {} Pick the skill from the call recordings.",
            '"Best thing ever" — Laura, client',
            "testimonial",
        ),
        ("zh", "提成方案要简单。{} 太复杂的方案让人怀疑公平性。", "“业绩翻倍”——李女士", "testimonial"),
        # a Latin-script language other than English, by its function words and accented letters
        (
            "en",
            "Forecast calls should cover the deals that moved, {} not every line of the CRM.",
            "achetez maintenant le fichier de clients pour les entreprises",
            "script",
        ),
        (
            "zh",
            "销售例会每周一次，{} 会上只谈卡住的商机。",
            "aproveite já uma lista de contatos com desconto",
            "script",
        ),
    ],
)
def test_each_structural_signal_cuts_a_fragment_on_its_own(
    lang: str, host: str, fragment: str, kind: str
) -> None:
    text = host.format(fragment)
    found = find_spam(text, document=DocumentWords(text), lang=lang)
    assert any(kind in f.kinds for f in found)
    cleaned = clean_text(text, lang=lang)
    assert score_cut(host.format(f"⟦{fragment}⟧"), cleaned).recall == 1.0
    assert score_cut(host.format(f"⟦{fragment}⟧"), cleaned).false_cut_rate == 0.0


def test_a_handle_spliced_mid_sentence_takes_its_neighbours() -> None:
    text = (
        "Territory changes make tenured reps quit, DM @bulkdatahub for fresh leads, so announce them early."
    )
    assert "@bulkdatahub" not in clean_text(text, lang="en")
    assert clean_text(text, lang="en").endswith("so announce them early.")


def test_a_call_to_action_in_words_foreign_to_sales_guidance_goes_whole() -> None:
    text = (
        "Managers who were top sellers often struggle to coach. Join the masterclass and earn passive income from "
        "your sofa. Give them a coaching curriculum in their first ninety days."
    )
    assert clean_text(text, lang="en") == (
        "Managers who were top sellers often struggle to coach. "
        "Give them a coaching curriculum in their first ninety days."
    )


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        # imperatives in the words of the domain
        (
            "en",
            "Measure tenure by cohort. Join the pipeline review every Monday, and grab last quarter's win rates.",
        ),
        ("zh", "经理要立即跟进流失风险高的客户，马上安排一次复盘会，把原因写进客户计划。"),
        # a customer quoted, a hashtag campaign, a coupon in a channel strategy, a gloss in another script
        (
            "en",
            'One customer told us, "the rep never asked what we needed." Play that quote in the team meeting.',
        ),
        (
            "en",
            "Marketing runs a #RevOpsWeek campaign each spring. Sales should know which accounts engaged.",
        ),
        ("en", "Partners get a coupon code for their first deals. Track which codes turn into renewals."),
        ("en", 'Russian teams call the funnel "воронка"; the stages are the same.'),
        ("en", 'Teams in Berlin say "jetzt" a lot; the process is the same.'),
        ("en", "Our reps visited São Paulo and México City, where they sell to the same buyers."),
        ("zh", "市场部每年春季做一次#客户成功周#活动，销售在打电话之前要知道哪些客户参与过。"),
        # guidance warning about what adverts sell: the caution frame keeps it
        (
            "en",
            "Never buy a contact list without checking how the data was collected; privacy law forbids it.",
        ),
        ("zh", "向供应商购买数据之前，先要两百条样本。"),
        ("zh", "注意：购买联系人名单在有些国家合法，在另一些国家违法。"),
    ],
)
def test_clean_look_alikes_of_the_structural_signals_are_kept(lang: str, text: str) -> None:
    assert clean_text(text, lang=lang) == text


def test_an_insert_in_another_script_keeps_the_host_clause_and_the_han_at_its_edges() -> None:
    # 覆盖 is an advert word; a clause mark keeps it from joining the Japanese run, whose kanji edges are the host's
    text = "外勤销售覆盖重点区域，今すぐ登録して無料リストを然后每周复盘一次。"
    assert clean_text(text, lang="zh") == "外勤销售覆盖重点区域，然后每周复盘一次。"


@pytest.mark.integration
def test_a_cut_spreads_to_the_advert_sentences_beside_it_once_the_judge_has_read_them(tmp_path: Path) -> None:
    judge = real_judge(tmp_path)
    banner = (
        "Review open deals every Monday. We use cookies to make this website work better for you. "
        "Accept all | Reject all Coach one skill at a time."
    )
    # without the judge only the buttons go; with it the notice beside them goes too, and the host is whole
    assert clean_text(banner, lang="en") == (
        "Review open deals every Monday. We use cookies to make this website work better for you. "
        "Coach one skill at a time."
    )
    assert (
        clean_text(banner, lang="en", judge=judge)
        == "Review open deals every Monday. Coach one skill at a time."
    )
    loan = "每个季度复盘一次区域划分。贷款急用？无抵押借款秒批到账。主管要和每名销售单独谈一次。"
    assert clean_text(loan, lang="zh") == "每个季度复盘一次区域划分。贷款急用？主管要和每名销售单独谈一次。"
    assert (
        clean_text(loan, lang="zh", judge=judge) == "每个季度复盘一次区域划分。主管要和每名销售单独谈一次。"
    )


@pytest.mark.integration
def test_a_cut_never_spreads_to_a_short_sentence_of_the_domains_own_words(tmp_path: Path) -> None:
    text = "Quota should follow capacity. WhatsApp +1 415 555 0199 for cheap B2B leads database. Review it monthly."
    cleaned = clean_text(text, lang="en", judge=real_judge(tmp_path))
    assert cleaned == "Quota should follow capacity. Review it monthly."


def test_a_pipe_separated_title_is_cut_at_whole_words() -> None:
    text = "Review open deals every Monday. Accept all | Reject all Coach one skill at a time."
    assert clean_text(text, lang="en") == "Review open deals every Monday. Coach one skill at a time."
