"""What a run needs, built once and only when a case needs it: the advisor, the retriever it records, orgs."""

from __future__ import annotations

from functools import cached_property
from typing import Any, Protocol

from langchain_core.embeddings import Embeddings
from langchain_core.language_models import BaseChatModel

from advisor.chat.answer import Answer
from advisor.chat.org_context import OrgContext
from advisor.config import Settings
from advisor.kb.passage import Passage
from evals.cases import OrgSpec


class AskAdvisor(Protocol):
    """Anything that answers like `advisor.chat.advisor.Advisor`."""

    def ask(
        self, question: str, *, conversation_id: str | None = None, org: OrgContext | None = None
    ) -> Answer:
        """Answer one user turn."""
        ...


class RecordingRetriever:
    """A retriever that remembers every passage it returned, so citations can be checked against real evidence."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.returned: list[Passage] = []

    def search(self, query: str, **kwargs: Any) -> list[Passage]:
        """Search the wrapped retriever and record the result."""
        passages = list(self.inner.search(query, **kwargs))
        self.returned.extend(passages)
        return passages

    def take(self) -> list[Passage]:
        """The passages returned since the last call, forgetting them."""
        passages, self.returned = self.returned, []
        return passages

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def __repr__(self) -> str:
        return f"RecordingRetriever({self.inner!r})"


class Harness:
    """The advisor under test and what scoring needs beside it, each created on first use."""

    def __init__(
        self,
        settings: Settings,
        *,
        advisor: AskAdvisor | None = None,
        retriever: Any = None,
        modes: tuple[str, ...] = ("hybrid",),
        judge: BaseChatModel | None = None,
        judge_runs: int = 3,
    ) -> None:
        self.settings = settings
        self.modes = modes
        self.judge = judge
        self.judge_runs = judge_runs
        self._advisor = advisor
        self._retriever = retriever
        self._orgs: dict[OrgSpec, OrgContext] = {}

    @cached_property
    def retriever(self) -> RecordingRetriever:
        """The retriever the advisor searches with, recording what it returns."""
        if isinstance(self._retriever, RecordingRetriever):
            return self._retriever
        if self._retriever is not None:
            return RecordingRetriever(self._retriever)
        from advisor.kb.retriever import get_retriever

        return RecordingRetriever(get_retriever(self.settings))

    @cached_property
    def advisor(self) -> AskAdvisor:
        """The advisor under test: the one given, else the product's advisor over the recording retriever."""
        if self._advisor is not None:
            return self._advisor
        from advisor.chat.advisor import Advisor

        return Advisor(self.settings, retriever=self.retriever)

    @cached_property
    def embedder(self) -> Embeddings:
        """The embedding model, for citation support margins."""
        from advisor.models import get_embedder

        return get_embedder(self.settings)

    def warm_up(self) -> None:
        """Load the embedding model now, so the first case's latency measures answering, not loading."""
        _ = self.embedder

    def roster(self, spec: OrgSpec) -> tuple[Any, Any]:
        """A fixture roster and its profile (None when the case gives none)."""
        from advisor.org.profile import load_profile
        from advisor.org.roster import load_roster

        roster = load_roster(spec.roster, as_of=spec.as_of)
        return roster, load_profile(spec.profile) if spec.profile else None

    def org(self, spec: OrgSpec) -> OrgContext:
        """The org context of a fixture roster, computed once per run."""
        if spec not in self._orgs:
            roster, profile = self.roster(spec)
            self._orgs[spec] = OrgContext.from_roster(roster, profile=profile, as_of=spec.as_of)
        return self._orgs[spec]

    def model_info(self) -> dict[str, Any]:
        """Which models this run used."""
        info: dict[str, Any] = {
            "chat_backend": self.settings.chat_backend,
            "chat_model": self.settings.chat_model,
            "embedding_model": self.settings.embedding_model,
        }
        if self._advisor is not None:
            info["advisor"] = type(self._advisor).__name__
        if self.judge is not None:
            info["judge_model"] = self.settings.judge_model
        return info
