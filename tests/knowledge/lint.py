"""Corpus lint rules for answer units: each rule lists what it finds wrong in one article (empty when clean).

The composer quotes sentences one by one, so each must make sense on its own: no opening pronoun or connective
pointing back ("They", "This", "So", 这/它/此/其/所以) outside worked examples, no cross-reference ("see above",
如上) anywhere, and every benchmark figure with its source in the same sentence. Actions and checklists are one full
sentence per bullet. Tables stay in figures and definition sections, where the composer reads them as data.
"""

from __future__ import annotations

import re

from corpus_helpers import ROLES, Article, Section

from advisor.text.lang import HAN_RE
from advisor.text.sentences import sentence_spans

LIST_ROLES = {"actions", "checklist"}
TABLE_ROLES = {"figures", "definition"}
HEADING_LIMITS = {"en": 48, "zh": 16}  # characters; a heading is a label, not a sentence

DANGLING = {
    "en": re.compile(
        r"^(?:They|Them|This|These|Those|That|It|Its|Such|Here|So|Thus|Therefore|Hence|Also|But|And)\b"
    ),
    # 其他/其余/其实 are ordinary words, not a pointer back.
    "zh": re.compile(r"^(?:这|那些|它|此|其(?!他|余|实)|该|所以|因此|但|而且|另外)"),
}
BACK_REFERENCE = {
    "en": re.compile(
        r"\b(?:see (?:above|below)|as (?:mentioned|noted|above|shown)|mentioned (?:above|earlier)"
        r"|(?:the|example|table|list|section) (?:above|below)|previous section|earlier section)\b|\bsee \"",
        re.I,
    ),
    "zh": re.compile(r"如上|如下|上文|下文|上述|前面提到|如前所述|前文|见《"),
}
# Who a benchmark figure comes from; a figures sentence with a number names one of them.
SOURCES = (
    "Harvard Business Review", "HBR", "CSO Insights", "Bridge Group", "TOPO", "Alexander Group", "CEB",
    "Sales Executive Council", "InsightSquared", "Kahle", "revenuetools.io", "mod-us", "Insidesales.com",
    "DePaul", "Xactly", "SHRM", "SBI", "Bureau of Labor Statistics", "BLS", "guidance", "secondary",
    "哈佛商业评论", "劳工统计局", "指南", "二手来源",
)  # fmt: skip
# Published figures that must never travel without their source, outside worked examples and definitions.
BENCHMARK_FIGURES = (
    "27%", "20-23%", "34%", "55%", "14 months", "14.3", "2.4 years", "1.5 years", "3.2 months", "1:2.5",
    "1:2.1", "1:4.4", "1.5 to 3.4", "1.5-3.4", "8.5", "1:8.1", "1:8.7", "51.8%", "57.1%", "97,960", "115k",
    "150-200%", "47%", "53%", "48%", "85%", "14.2%", "7.9%", "14 个月", "2.4 年", "1.5 年", "3.2 个月",
)  # fmt: skip
LIST_ITEM = re.compile(r"^(?:[-*]|\d{1,2}\.) ")
MARKUP = re.compile(r"\*\*|__|`")
TABLE_RULE = re.compile(r"[|\s:-]+")


def sentences(section: Section) -> list[str]:
    """Prose sentences of a section as the product splits them, list markers and emphasis removed, tables left out."""
    found = []
    for line in section.lines:
        line = MARKUP.sub("", LIST_ITEM.sub("", line.strip()))
        if line and not line.startswith("|"):
            found += [line[start:end] for start, end in sentence_spans(line, 0, len(line))]
    return found


def lang_of(article: Article) -> str:
    """The article's language code from its front matter."""
    return str(article.meta["lang"])


def _prose_sentences(article: Article) -> list[str]:
    # a worked example may lean on its own previous step; every other section is quoted sentence by sentence
    return [s for section in article.sections if section.role != "example" for s in sentences(section)]


def unknown_roles(article: Article) -> list[str]:
    """Headings below the title without a `{role=...}` marker naming a known role."""
    return [section.heading for section in article.sections if section.role not in ROLES]


def long_headings(article: Article) -> list[str]:
    """Headings longer than a label should be."""
    limit = HEADING_LIMITS[lang_of(article)]
    return [section.name for section in article.sections if len(section.name) > limit]


def empty_sections(article: Article) -> list[str]:
    """Sections with a heading and nothing under it."""
    return [section.name for section in article.sections if not section.text.strip()]


def stray_tables(article: Article) -> list[str]:
    """Sections outside figures and definition that hold a Markdown table."""
    return [
        section.name
        for section in article.sections
        if section.role not in TABLE_ROLES and any(line.startswith("|") for line in section.lines)
    ]


def dangling_openings(article: Article) -> list[str]:
    """Sentences that open by pointing back at something the reader may not have (any section but an example)."""
    pattern = DANGLING[lang_of(article)]
    return [sentence for sentence in _prose_sentences(article) if pattern.match(sentence)]


def back_references(article: Article) -> list[str]:
    """Sentences that send the reader elsewhere ("see above", 见《...》), in any section."""
    pattern = BACK_REFERENCE[lang_of(article)]
    return [
        sentence
        for section in article.sections
        for sentence in sentences(section)
        if pattern.search(sentence)
    ]


def _names_a_source(text: str) -> bool:
    folded = text.casefold()
    return any(source.casefold() in folded for source in SOURCES)


def unsourced_figures(article: Article) -> list[str]:
    """Figures sentences with a number but no source, and published figures anywhere without their source."""
    found = []
    for section in article.sections:
        if section.role in ("example", "definition"):
            continue
        for sentence in sentences(section):
            numbered = section.role == "figures" and re.search(r"\d", sentence)
            published = any(figure in sentence for figure in BENCHMARK_FIGURES)
            if (numbered or published) and not _names_a_source(sentence):
                found.append(sentence)
    return found


def unsourced_tables(article: Article) -> list[str]:
    """Figures tables without a source column, or with a row whose last (source) cell is empty."""
    found = []
    for section in article.sections:
        rows = [line for line in section.lines if line.startswith("|") and not TABLE_RULE.fullmatch(line)]
        if section.role != "figures" or not rows:
            continue
        header, body = rows[0], rows[1:]
        if not any(word in header for word in ("source", "来源")) and not _names_a_source(header):
            found.append(f"{section.name}: no source column")
        found += [f"{section.name}: {row}" for row in body if not row.strip("| ").rsplit("|", 1)[-1].strip()]
    return found


def loose_list_items(article: Article) -> list[str]:
    """Lines of actions and checklist sections that are not one full sentence per bullet."""
    found = []
    for section in article.sections:
        if section.role not in LIST_ROLES:
            continue
        for line in (line.strip() for line in section.lines if line.strip()):
            item = MARKUP.sub("", LIST_ITEM.sub("", line))
            size = len(item.split()) if lang_of(article) == "en" else len(item)
            if not LIST_ITEM.match(line) or not re.search(r"[.。?？!！]$", item) or size < 5:
                found.append(f"{section.name}: {line}")
    return found


def question_problems(article: Article) -> list[str]:
    """What is wrong with the front matter's `questions:` (4-8 questions in the article's language)."""
    questions = article.meta.get("questions")
    if not isinstance(questions, list) or not 4 <= len(questions) <= 8:
        return ["`questions:` must list 4 to 8 questions"]
    zh = lang_of(article) == "zh"
    return [
        str(q)
        for q in questions
        if not isinstance(q, str) or bool(HAN_RE.search(q)) is not zh or not re.search(r"[?？]$", q.strip())
    ]


def role_mismatch(article: Article, sibling: Article) -> list[str]:
    """Where a translation's section roles differ from the original's, position by position."""
    ours = [section.role for section in article.sections]
    theirs = [section.role for section in sibling.sections]
    if len(ours) != len(theirs):
        return [f"{len(ours)} sections vs {len(theirs)} in {sibling.meta['id']}"]
    return [
        f"section {i + 1}: {a} vs {b}" for i, (a, b) in enumerate(zip(ours, theirs, strict=True)) if a != b
    ]


RULES = (
    unknown_roles,
    long_headings,
    empty_sections,
    stray_tables,
    dangling_openings,
    back_references,
    unsourced_figures,
    unsourced_tables,
    loose_list_items,
    question_problems,
)
