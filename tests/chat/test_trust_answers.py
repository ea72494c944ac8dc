"""Trust tiers end to end: an uploaded passage contradicting a curated figure is flagged in the answer, citing both.

The real pipeline: the bundled knowledge base and an uploaded playbook (span of control 50, in English and
Chinese) ingested into Chroma + BM25, the real embedder and retriever, the composed answer path.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from advisor.bundled import KNOWLEDGE_DIR
from advisor.chat.advisor import Advisor
from advisor.chat.events import FinalEvent, TextEvent
from advisor.config import Settings, load_settings

pytestmark = pytest.mark.integration

UPLOADS = Path(__file__).resolve().parents[1] / "fixtures" / "trust"


@pytest.fixture(scope="module")
def kb_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """A home holding the curated knowledge base and the uploaded playbook, ingested once."""
    from advisor.kb.ingest import ingest

    settings = load_settings(home=tmp_path_factory.mktemp("trust-kb"))
    ingest([KNOWLEDGE_DIR, UPLOADS], settings=settings)
    yield settings


@pytest.mark.parametrize(
    ("question", "flag", "curated_figure"),
    [
        ("What is the ideal span of control for a sales manager?", "contradicts the curated", "6-8"),
        ("销售经理理想的管理幅度是多少？", "与审核过的知识库不一致", "8.5"),
    ],
)
def test_an_uploaded_figure_that_contradicts_a_curated_one_is_flagged_citing_both(
    kb_settings: Settings, question: str, flag: str, curated_figure: str
) -> None:
    events = list(Advisor(kb_settings).stream(question))
    final = events[-1]
    assert isinstance(final, FinalEvent)
    answer = final.answer
    # the notice streams as verified text like every other sentence, and names both passages
    assert "".join(e.text for e in events if isinstance(e, TextEvent)) == answer.answer
    (notice,) = [line for line in answer.answer.replace("。", "。\n").split("\n") if flag in line]
    tiers = {c.id: c.trust for c in answer.citations}
    uploaded = [cid for cid, trust in tiers.items() if trust == "uploaded"]
    assert len(uploaded) == 1 and f"[{uploaded[0]}]" in notice and "50" in notice
    assert any(f"[{cid}]" in notice for cid, trust in tiers.items() if trust == "curated")
    # the uploaded citation says what it is; the curated figure stands in the answer; the planted one only in the note
    (upload,) = [c for c in answer.citations if c.trust == "uploaded"]
    assert upload.doc_id.startswith("span-playbook") and (
        "uploaded document" in upload.title or "用户上传" in upload.title
    )
    assert curated_figure in answer.answer
    assert answer.answer.count("50") == 1
