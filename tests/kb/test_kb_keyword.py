"""Keyword search: CJK-aware tokens, BM25 ranking, coverage, filters, incremental updates, persistence."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np

from advisor.kb.keyword import KeywordIndex
from advisor.text.tokens import tokenize


def _entry(chunk_id: str, text: str, **meta: Any) -> tuple[str, str, dict[str, Any]]:
    return (
        chunk_id,
        text,
        {"doc_id": chunk_id.split("#")[0], "lang": "en", "title": "", "section": "", **meta},
    )


ENTRIES = [
    _entry("turnover#1", "Rep turnover is leavers divided by average headcount."),
    _entry("quota#1", "Quota attainment is bookings divided by quota.", topics=["quotas"]),
    _entry("span#1", "Span of control counts reps per manager.", topics=["span", "managers"]),
    _entry("span-zh#1", "管理幅度是每位经理带的销售人数。", lang="zh", topics=["span"]),
    _entry("burnout-zh#1", "销售开发代表的倦怠来自繁琐的工作流程。", lang="zh"),
]


def test_tokens_are_words_plus_chinese_unigrams_and_bigrams() -> None:
    assert tokenize("The Reps' quotas rose") == ["rep", "quota", "rose"]  # stop words out, plurals folded
    assert tokenize("管理幅度") == ["管", "理", "幅", "度", "管理", "理幅", "幅度"]
    assert tokenize("SDR 的倦怠 14.2%") == ["sdr", "倦", "怠", "的倦", "倦怠", "14.2"]


def test_bm25_ranks_the_matching_chunk_first_in_either_language() -> None:
    index = KeywordIndex.build(ENTRIES, revision="r1")
    assert index.ids[index.search("how is turnover computed", k=3)[0].row] == "turnover#1"
    assert index.ids[index.search("经理带几个销售", k=3)[0].row] == "span-zh#1"
    assert index.ids[index.search("倦怠怎么办", k=3)[0].row] == "burnout-zh#1"
    assert index.search("quantum chromodynamics", k=3) == []


def test_bm25_matches_the_textbook_formula() -> None:
    index = KeywordIndex.build(ENTRIES, revision="r1")
    (hit,) = [h for h in index.search("quota", k=5) if index.ids[h.row] == "quota#1"]
    lengths = [len(tokenize(text)) for _, text, _ in ENTRIES]
    tf, dl, avg, n, df = 2, lengths[1], sum(lengths) / len(lengths), len(ENTRIES), 1
    idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
    expected = idf * tf * 2.2 / (tf + 1.2 * (1 - 0.75 + 0.75 * dl / avg))
    assert math.isclose(hit.bm25, expected, rel_tol=1e-5)


def test_coverage_is_the_idf_weighted_share_of_the_query_found() -> None:
    index = KeywordIndex.build(ENTRIES, revision="r1")
    full = index.search("quota attainment", k=1)[0]
    assert math.isclose(full.coverage, 1.0, rel_tol=1e-6)
    partial = index.search("quota attainment zebra", k=1)[0]
    assert 0.0 < partial.coverage < full.coverage


def test_filters_by_language_topic_and_document() -> None:
    index = KeywordIndex.build(ENTRIES, revision="r1")
    zh = index.mask(lang="zh")
    assert zh is not None and [index.ids[i] for i in np.flatnonzero(zh)] == ["span-zh#1", "burnout-zh#1"]
    span = index.mask(topics=["span"])
    assert span is not None and [index.ids[i] for i in np.flatnonzero(span)] == ["span#1", "span-zh#1"]
    docs = index.mask(doc_ids=["quota", "turnover"], topics=["quotas"])
    assert docs is not None and [index.ids[i] for i in np.flatnonzero(docs)] == ["quota#1"]
    assert index.mask() is None
    hits = index.search("divided by", k=5, mask=index.mask(doc_ids=["quota"]))
    assert [index.ids[h.row] for h in hits] == ["quota#1"]


def test_incremental_changes_equal_a_rebuild() -> None:
    index = KeywordIndex.build(ENTRIES[:3], revision="r1")
    changed = index.with_changes(remove={"quota#1"}, add=ENTRIES[3:], revision="r2")
    rebuilt = KeywordIndex.build([ENTRIES[0], ENTRIES[2], *ENTRIES[3:]], revision="r2")
    assert changed.ids == rebuilt.ids
    for query in ("reps per manager", "经理 销售", "turnover headcount"):
        got = [
            (changed.ids[h.row], round(h.bm25, 5), round(h.coverage, 5)) for h in changed.search(query, k=5)
        ]
        want = [
            (rebuilt.ids[h.row], round(h.bm25, 5), round(h.coverage, 5)) for h in rebuilt.search(query, k=5)
        ]
        assert got == want


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    index = KeywordIndex.build(ENTRIES, revision="r7")
    path = tmp_path / "kb" / "keyword.npz"
    index.save(path)
    loaded = KeywordIndex.load(path)
    assert loaded is not None
    assert (loaded.ids, loaded.texts, loaded.metas, loaded.revision) == (
        index.ids,
        index.texts,
        index.metas,
        "r7",
    )
    assert [h.row for h in loaded.search("管理幅度", k=3)] == [h.row for h in index.search("管理幅度", k=3)]
    assert KeywordIndex.load(tmp_path / "missing.npz") is None
    (tmp_path / "junk.npz").write_bytes(b"not an index")
    assert KeywordIndex.load(tmp_path / "junk.npz") is None


def test_empty_index_finds_nothing() -> None:
    index = KeywordIndex.build([], revision="r0")
    assert len(index) == 0
    assert index.search("anything", k=5) == []
