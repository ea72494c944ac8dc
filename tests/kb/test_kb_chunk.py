"""Chunking: Chinese sentence boundaries, heading paths, exact offsets, sizes, overlap and stable ids."""

from __future__ import annotations

from pathlib import Path

from advisor.kb.chunk import chunk_document, text_weight
from advisor.kb.load import LoadedDocument

ZH_END = "。！？；"


def _doc(text: str, *, doc_id: str = "d", title: str = "Guide", lang: str = "en") -> LoadedDocument:
    return LoadedDocument(path=Path(f"{doc_id}.md"), doc_id=doc_id, title=title, lang=lang, text=text)


def test_chinese_chunks_break_only_at_chinese_sentence_ends() -> None:
    sentences = [f"第{i}条建议是每周复盘销售漏斗并记录下一步行动" + ZH_END[i % 4] for i in range(40)]
    text = "".join(sentences)
    chunks = chunk_document(_doc(text, lang="zh"), text, size=200, overlap=40)
    assert len(chunks) > 3
    for chunk in chunks:
        assert chunk.text[-1] in ZH_END
        assert chunk.start == 0 or text[chunk.start - 1] in ZH_END  # starts at a sentence start
        assert text_weight(chunk.text) <= 200


def test_text_weight_counts_a_chinese_character_as_three() -> None:
    assert text_weight("abc") == 3
    assert text_weight("销售") == 6
    assert text_weight("SDR 倦怠") == 4 + 6


def test_section_path_follows_headings_and_leaves_out_the_title() -> None:
    text = (
        "# Guide\n\nIntro line.\n\n## Why reps leave\n\nThey leave for many reasons.\n\n"
        "### Burnout\n\nBurnout comes from tedious work.\n\n## What helps\n\nCoaching helps."
    )
    chunks = chunk_document(_doc(text), text, size=700, overlap=100)
    sections = {chunk.text: chunk.section for chunk in chunks}
    assert sections == {
        "Intro line.": "",
        "They leave for many reasons.": "Why reps leave",
        "Burnout comes from tedious work.": "Why reps leave > Burnout",
        "Coaching helps.": "What helps",
    }
    assert [c.section_index for c in chunks] == [1, 2, 3, 4]


def test_offsets_point_at_the_chunk_text() -> None:
    text = "## A\n\n" + " ".join(f"Sentence number {i} is here." for i in range(60)) + "\n\n## B\n\nShort."
    chunks = chunk_document(_doc(text), text, size=300, overlap=60)
    assert all(text[c.start : c.end] == c.text for c in chunks)
    assert [c.ordinal for c in chunks] == list(range(len(chunks)))


def test_neighbouring_chunks_overlap_and_stay_within_size() -> None:
    text = " ".join(f"Reps in territory {i} need coaching every week." for i in range(50))
    chunks = chunk_document(_doc(text), text, size=250, overlap=60)
    for first, second in zip(chunks, chunks[1:], strict=False):
        assert second.start < first.end  # shared sentences
        assert first.end - second.start <= 60
    assert all(text_weight(c.text) <= 250 for c in chunks)


def test_a_sentence_longer_than_a_chunk_is_split_at_spaces() -> None:
    text = " ".join(["pipeline"] * 300)
    chunks = chunk_document(_doc(text), text, size=200, overlap=0)
    assert all(text_weight(c.text) <= 200 for c in chunks)
    assert " ".join(c.text for c in chunks).split() == text.split()


def test_ids_are_stable_and_change_only_where_content_changed() -> None:
    text = "## A\n\nAlpha section text.\n\n## B\n\nBeta section text."
    first = chunk_document(_doc(text), text, size=700, overlap=100)
    again = chunk_document(_doc(text), text, size=700, overlap=100)
    assert [c.chunk_id for c in first] == [c.chunk_id for c in again]
    edited = text.replace("Beta section text.", "Beta section, rewritten.")
    changed = chunk_document(_doc(edited), edited, size=700, overlap=100)
    assert changed[0].chunk_id == first[0].chunk_id
    assert changed[1].chunk_id != first[1].chunk_id


def test_repeated_passages_get_distinct_ids() -> None:
    text = "## A\n\nSame words.\n\n## A\n\nSame words."
    chunks = chunk_document(_doc(text), text, size=700, overlap=100)
    assert len({c.chunk_id for c in chunks}) == 2


def test_chunks_inherit_document_metadata() -> None:
    doc = LoadedDocument(
        path=Path("x.md"),
        doc_id="x-en",
        title="T",
        lang="en",
        text="Body.",
        topics=("a", "b"),
        source="src",
        translation_of="x-zh",
    )
    (chunk,) = chunk_document(doc, doc.text, size=700, overlap=100)
    assert (chunk.doc_id, chunk.title, chunk.lang, chunk.topics, chunk.source, chunk.translation_of) == (
        "x-en",
        "T",
        "en",
        ("a", "b"),
        "src",
        "x-zh",
    )


def test_heading_only_document_has_no_chunks() -> None:
    text = "# Title\n\n## Empty section\n"
    assert chunk_document(_doc(text, title="Title"), text, size=700, overlap=100) == []


def test_role_markers_leave_the_section_title_and_are_inherited_below() -> None:
    text = (
        "# Guide\n\nIntro line.\n\n## Why SDRs leave {role=causes}\n\nNo career path drives SDRs out.\n\n"
        "### Burnout\n\nTedious work burns SDRs out.\n\n## 留住人的办法 {role=actions}\n\n给出清晰的晋升路径。\n\n"
        "## Odd {role=poem}\n\nNot a role."
    )
    chunks = chunk_document(_doc(text), text, size=700, overlap=100)
    by_text = {chunk.text: (chunk.section, chunk.role) for chunk in chunks}
    assert by_text["Intro line."] == ("", "")
    assert by_text["No career path drives SDRs out."] == ("Why SDRs leave", "causes")
    assert by_text["Tedious work burns SDRs out."] == ("Why SDRs leave > Burnout", "causes")
    assert by_text["给出清晰的晋升路径。"] == ("留住人的办法", "actions")
    assert by_text["Not a role."] == ("Odd", "")
    assert all("{role" not in chunk.section for chunk in chunks)


def test_the_first_chunk_carries_the_documents_questions_and_unannotated_ids_stay() -> None:
    text = "# Guide\n\nIntro line.\n\n## More\n\nSecond part."
    plain = chunk_document(_doc(text), text, size=700, overlap=100)
    asked = LoadedDocument(
        path=Path("d.md"), doc_id="d", title="Guide", lang="en", text=text,
        meta={"questions": ["Why do reps leave?", " "]},
    )  # fmt: skip
    annotated = chunk_document(asked, text, size=700, overlap=100)
    assert [c.questions for c in annotated] == [("Why do reps leave?",), ()]
    assert [c.questions for c in plain] == [(), ()]
    assert annotated[0].chunk_id != plain[0].chunk_id and annotated[1].chunk_id == plain[1].chunk_id
