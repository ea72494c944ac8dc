"""First use: an empty store gets the default knowledge (the bundled articles, plus the user's folder) ingested."""

from __future__ import annotations

from advisor.config import Settings
from advisor.kb.ingest import IngestReport, Progress, ingest
from advisor.kb.store import store_ready


def ensure_knowledge(settings: Settings, *, progress: Progress | None = None) -> IngestReport | None:
    """Ingest the default knowledge when the store holds nothing yet; None when it already has chunks."""
    if store_ready(settings) or not settings.knowledge_dirs:
        return None
    return ingest(None, settings=settings, progress=progress)
