"""The advisor: question (+ conversation, + org) -> intent -> evidence -> composed or written answer -> `Answer`.

The pipeline owns the structure of an answer: the question's intent picks the answer units, and the composer writes
a lead and a cited list from them (`advisor.chat.composer`). The embedded model is not asked to write: measured on
the held-out questions, none of its drafts survived grounding, so generating one only cost ~3 s per answer. A capable
model (`capable_model`, or one that calls tools, which runs the bounded agent loop) writes the answer from the same
evidence and intent; grounding checks each sentence as the draft streams, and the verified ones are sent once at
least `MIN_GROUNDED_SENTENCES` stand (too few, and the composed answer is sent instead). Only verified text streams.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
import time
from collections.abc import AsyncIterator, Generator, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from langchain_core.embeddings import Embeddings
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage

from advisor.chat.agent import AgentState, run_agent
from advisor.chat.answer import Answer
from advisor.chat.composer import LEAD_ROLES, compose
from advisor.chat.entailment import EntailmentCheck, entailment_model
from advisor.chat.events import Event, FinalEvent, StatusEvent, TextEvent
from advisor.chat.evidence import EvidencePack, passage_evidence
from advisor.chat.grounding import GroundedSentence, GroundedText, Grounder, draft_problem
from advisor.chat.intent import Intent, classify
from advisor.chat.memory import add_turn, create_conversation, recent_turns
from advisor.chat.org_context import OrgContext
from advisor.chat.rewrite import standalone_question
from advisor.chat.scope import decide, declined_request
from advisor.chat.search import PassageSearch, search_passages
from advisor.chat.support import remember
from advisor.chat.trust import Conflict, conflict_notice, find_conflicts
from advisor.config import Settings
from advisor.errors import ConfigError, InputError
from advisor.kb.precomputed import sentence_vectors
from advisor.models import get_chat_model, get_embedder, supports_tools
from advisor.prompts import render_prompt
from advisor.text.lang import Lang, detect_lang
from advisor.text.sentences import split_sentences
from advisor.text.tokens import key_terms, overlap

# fewer grounded sentences than this and the answer is composed from the evidence instead
MIN_GROUNDED_SENTENCES = 2
MAX_QUESTION_CHARS = 2000
# excerpt budget when no model reads the evidence: the composer may quote any sentence of a passage
COMPOSE_CHARS = 1200
# share of the question's terms an uploaded figure's sentence holds for its trust notice to show
NOTICE_RELEVANCE = 0.3
DEEPEN = 3  # further sections of the top documents the composer may draw on
Path = Literal["generated", "extractive", "refused"]
_Steps = Generator[Event, None, Answer]  # a pipeline step streams events and returns the answer it reached


@dataclass
class _Run:
    """One answer in the making: what has been decided so far and how long each step took."""

    question: str
    lang: Lang
    intent: Intent = "actions"
    conflicts: list[Conflict] = field(default_factory=list)  # uploaded figures a curated passage contradicts
    started: float = field(default_factory=time.perf_counter)
    timings: dict[str, float] = field(default_factory=dict)
    _mark: float = field(default_factory=time.perf_counter)

    def lap(self, name: str) -> None:
        """Record the milliseconds since the previous lap under `name`."""
        now = time.perf_counter()
        self.timings[name] = self.timings.get(name, 0.0) + round((now - self._mark) * 1000, 2)
        self._mark = now

    def since_start(self) -> float:
        """Milliseconds since the question arrived."""
        return round((time.perf_counter() - self.started) * 1000, 2)


class Advisor:
    """Answers questions about sales-organisation design, grounded in the knowledge base and the user's metrics."""

    def __init__(
        self,
        settings: Settings,
        *,
        retriever: PassageSearch | None = None,
        chat_model: BaseChatModel | None = None,
        embedder: Embeddings | None = None,
    ) -> None:
        self.settings = settings
        self._retriever = retriever
        self._chat_model = chat_model
        self._embedder = embedder
        self._entailment: EntailmentCheck | Literal[False] | None = None  # False: none configured

    @property
    def retriever(self) -> PassageSearch:
        """The knowledge retriever (the configured one unless injected)."""
        if self._retriever is None:
            from advisor.kb.retriever import get_retriever

            self._retriever = get_retriever(self.settings)
        return self._retriever

    @property
    def chat_model(self) -> BaseChatModel:
        """The chat model (the configured one unless injected)."""
        if self._chat_model is None:
            self._chat_model = get_chat_model(self.settings)
        return self._chat_model

    @property
    def embedder(self) -> Embeddings:
        """The embedding model grounding and the scope check use."""
        if self._embedder is None:
            self._embedder = get_embedder(self.settings)
            remember(self._embedder, sentence_vectors(self.settings))  # embedded by the ingest
        return self._embedder

    @property
    def entailment(self) -> EntailmentCheck | None:
        """The capable model's per-sentence entailment check, when one is configured (never the embedded model)."""
        if self._entailment is None:
            model = entailment_model(self.settings)
            self._entailment = EntailmentCheck(model) if model is not None else False
        return self._entailment or None

    @property
    def uses_agent(self) -> bool:
        """Whether answers come from the tool-calling loop rather than the fixed pipeline."""
        mode = self.settings.agent_mode
        if mode == "on" and not supports_tools(self.chat_model):
            raise ConfigError(
                "ADVISOR_AGENT_MODE=on needs a chat model with tool calling; use `auto` or `off`."
            )
        return mode == "on" or (mode == "auto" and supports_tools(self.chat_model))

    def system_prompt(self) -> str:
        """The fixed system prompt of the fixed pipeline (identical on every call, so llama.cpp reuses its cache)."""
        return render_prompt("answer/system.j2")

    def ask(
        self, question: str, *, conversation_id: str | None = None, org: OrgContext | None = None
    ) -> Answer:
        """Answer one question."""
        final = None
        for event in self.stream(question, conversation_id=conversation_id, org=org):
            if isinstance(event, FinalEvent):
                final = event.answer
        assert final is not None
        return final

    def stream(
        self,
        question: str,
        *,
        conversation_id: str | None = None,
        org: OrgContext | None = None,
        lang: Lang | None = None,
    ) -> Iterator[Event]:
        """Answer one question, yielding a status, verified text as it is ready, and the grounded answer last."""
        question = question.strip()
        if not question:
            raise InputError("The question is empty; ask about your sales organisation.")
        if len(question) > MAX_QUESTION_CHARS:
            raise InputError(f"The question is longer than {MAX_QUESTION_CHARS} characters; shorten it.")
        run = _Run(question, lang or detect_lang(question))
        history = (
            recent_turns(self.settings, conversation_id, limit=self.settings.history_turns)
            if conversation_id
            else []
        )
        conversation_id = conversation_id or create_conversation(self.settings, title=question)
        rewriter = self.chat_model if self.settings.capable_model else None
        standalone = standalone_question(question, history, model=rewriter)
        run.lap("rewrite_ms")
        answer = yield from self._answer(run, standalone, org)
        answer.conversation_id = conversation_id
        answer.timings = {**run.timings, "total_ms": run.since_start()}
        answer.timings["overhead_ms"] = round(
            answer.timings["total_ms"] - answer.timings.get("generate_ms", 0.0), 2
        )
        add_turn(self.settings, conversation_id, question=question, standalone=standalone, answer=answer)
        yield FinalEvent(answer)

    async def astream(
        self,
        question: str,
        *,
        conversation_id: str | None = None,
        org: OrgContext | None = None,
        lang: Lang | None = None,
    ) -> AsyncIterator[Event]:
        """`stream` for async callers: the pipeline runs in a worker thread, events cross over as they come."""
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[Any] = asyncio.Queue()
        stop = threading.Event()
        done = object()

        def work() -> None:
            try:
                for event in self.stream(question, conversation_id=conversation_id, org=org, lang=lang):
                    loop.call_soon_threadsafe(queue.put_nowait, event)
                    if stop.is_set():  # the consumer went away: closing the generator stops generation
                        break
            except Exception as exc:  # handed to the consumer, which re-raises it in its own task
                loop.call_soon_threadsafe(queue.put_nowait, exc)
            finally:
                loop.call_soon_threadsafe(queue.put_nowait, done)

        worker = loop.run_in_executor(None, work)
        try:
            while (item := await queue.get()) is not done:
                if isinstance(item, Exception):
                    raise item
                yield item
        finally:
            stop.set()
            await worker

    # the pipeline -----------------------------------------------------------------------------------------------

    @property
    def writes_answers(self) -> bool:
        """Whether the chat model writes answers (a capable or tool-calling model) rather than the composer."""
        return self.settings.capable_model or self.uses_agent

    def _answer(self, run: _Run, standalone: str, org: OrgContext | None) -> _Steps:
        declined = declined_request(run.question)
        if declined:
            return (yield from self._refuse(run, declined))
        names = org.names() if org else {}
        # a question about "our" team with no org loaded is answered from the guidance: "our SDR to AE ratio"
        # then asks for the benchmark figure, "our team's turnover formula" for the definition
        run.intent = classify(
            standalone,
            lang=run.lang,
            embedder=self.embedder,
            roster_names=names,
            exclude=() if org else ("my_org",),
        ).intent
        writes = self.writes_answers and (run.lang == "en" or self.settings.multilingual_model)
        passages = search_passages(
            self.retriever,
            standalone,
            k=self.settings.retrieval_k,
            lang=run.lang,
            deepen=0 if writes else DEEPEN,
            roles=LEAD_ROLES.get(run.intent, ()),
        )
        run.lap("retrieve_ms")
        metric_items = org.evidence_for(standalone, lang=run.lang) if org else []
        run.lap("org_ms")
        chars = self.settings.evidence_chars if writes else max(self.settings.evidence_chars, COMPOSE_CHARS)
        passage_items = passage_evidence(passages, query=standalone, max_chars=chars)
        pack = EvidencePack(tuple(metric_items + passage_items))
        relevance = 1.0 if metric_items else pack.best_score
        scope = decide(
            standalone,
            relevance=relevance,
            embedder=self.embedder,
            min_relevance=self.settings.min_relevance,
            about_org=bool(metric_items),
        )
        run.lap("scope_ms")
        if not scope.in_scope:
            assert scope.reason is not None
            return (yield from self._refuse(run, scope.reason))
        yield StatusEvent("checking_sources")
        # a notice belongs to an answer about the contradicted figure, not to every answer the upload reaches
        terms = key_terms(standalone)
        run.conflicts = [
            conflict
            for conflict in find_conflicts([item for item in pack if item.kind == "passage"])
            if overlap(terms, conflict.uploaded_sentence) >= NOTICE_RELEVANCE
        ]
        if not writes:
            reason = "language" if run.lang == "zh" and self.writes_answers else "composed"
            return (yield from self._composed(run, standalone, pack, reason=reason))
        if self.uses_agent:
            return (yield from self._agent_answer(run, standalone, org, pack))
        messages = self._messages(run, standalone, pack)
        run.lap("prompt_ms")
        return (yield from self._written(run, standalone, pack, self._generate(run, messages)))

    def _messages(self, run: _Run, question: str, pack: EvidencePack) -> list[BaseMessage]:
        user = render_prompt(
            f"answer/user.{run.lang}.j2", evidence=list(pack), question=question, intent=run.intent
        )
        return [SystemMessage(self.system_prompt()), HumanMessage(user)]

    def _generate(self, run: _Run, messages: list[BaseMessage]) -> Iterator[str]:
        """The model's draft as it streams (shown to nobody: grounding reads it)."""
        count = 0
        try:
            for chunk in self.chat_model.stream(messages):
                if not chunk.content:
                    continue
                if not count:
                    run.timings["first_token_ms"] = run.since_start()
                count += 1
                yield str(chunk.content)
        except ValueError:
            # LangChain raises when a model streams no chunk at all (it ended at once): an empty draft
            if count:
                raise
        run.lap("generate_ms")
        run.timings["tokens"] = float(count)

    def _agent_answer(self, run: _Run, standalone: str, org: OrgContext | None, seed: EvidencePack) -> _Steps:
        state = AgentState(
            retriever=self.retriever,
            org=org,
            lang=run.lang,
            k=self.settings.retrieval_k,
            evidence_chars=self.settings.evidence_chars,
        )
        steps = run_agent(
            standalone, model=self.chat_model, state=state, seed=seed, max_steps=self.settings.agent_max_steps
        )
        draft = []
        for token in steps:  # the agent's evidence grows while it works: ground once its draft is complete
            run.timings.setdefault("first_token_ms", run.since_start())
            draft.append(token)
        run.lap("generate_ms")  # the agent's own tool calls happen inside its loop and are counted here
        run.timings["agent_steps"] = float(state.steps)
        return (yield from self._written(run, standalone, state.pack, iter([state.draft or "".join(draft)])))

    def _written(self, run: _Run, question: str, pack: EvidencePack, draft: Iterator[str]) -> _Steps:
        """Ground a streaming draft sentence by sentence; send verified sentences once enough of them stand."""
        grounder = Grounder(
            pack,
            lang=run.lang,
            embedder=self.embedder,
            forbidden=[self.system_prompt()],
            entails=self.entailment,
        )
        grounded = _with_notices(_with_missing_fields(grounder.result, pack), run)
        sent = fed = 0
        full = ""
        for part in itertools.chain(draft, [None]):  # None marks the end: the last sentence is complete then
            full += part or ""
            sentences = split_sentences(full)
            complete = sentences if part is None else sentences[:-1]
            for sentence in complete[fed:]:
                grounder.feed(sentence)
            fed = max(fed, len(complete))
            if len(grounder.result.sentences) >= MIN_GROUNDED_SENTENCES:
                grounded = _with_notices(_with_missing_fields(grounder.result, pack), run)
                pieces = grounded.pieces()
                for piece in pieces[sent:]:
                    run.timings.setdefault("first_text_ms", run.since_start())
                    yield TextEvent(piece)
                sent = len(pieces)
        run.lap("ground_ms")
        problem = draft_problem(full, lang=run.lang)
        if len(grounder.result.sentences) < MIN_GROUNDED_SENTENCES:
            return (yield from self._composed(run, question, pack, reason=problem or "too_little_grounded"))
        run.timings["dropped_sentences"] = float(len(grounder.result.dropped))
        return self._build(run, grounded, pack, "generated")

    def _composed(self, run: _Run, question: str, pack: EvidencePack, *, reason: str) -> _Steps:
        overridden = frozenset(conflict.uploaded_sentence for conflict in run.conflicts)
        composed = compose(
            question, pack, intent=run.intent, lang=run.lang, embedder=self.embedder, avoid=overridden
        )
        run.lap("compose_ms")
        if not composed.sentences:
            return (yield from self._refuse(run, "low_relevance"))
        grounded = _with_notices(_with_missing_fields(composed, pack), run)
        for piece in grounded.pieces():
            run.timings.setdefault("first_text_ms", run.since_start())
            yield TextEvent(piece)
        answer = self._build(run, grounded, pack, "extractive")
        answer.fallback_reason = reason
        return answer

    def _refuse(self, run: _Run, reason: str) -> _Steps:
        text = render_prompt(f"answer/refusal.{run.lang}.j2", reason=reason)
        yield TextEvent(text)
        return Answer(
            answer=text,
            refused=True,
            refusal_reason=reason,
            language=run.lang,
            path="refused",
            intent=run.intent,
        )

    def _build(self, run: _Run, grounded: GroundedText, pack: EvidencePack, path: Path) -> Answer:
        cited = grounded.cited_ids
        return Answer(
            answer=grounded.text,
            citations=pack.citations(cited),
            metrics_used=[cid[2:] for cid in cited if cid.startswith("M:")],
            language=run.lang,
            path=path,
            intent=run.intent,
        )


def _with_missing_fields(grounded: GroundedText, pack: EvidencePack) -> GroundedText:
    """Make sure the answer says which roster fields to add for the metrics it could not compute."""
    missing = [item for item in pack if item.missing and item.id not in grounded.cited_ids]
    if not missing:
        return grounded
    extra = [
        GroundedSentence(item.text, (item.id,), "kept") for item in missing if item.text not in grounded.text
    ]
    return GroundedText(
        extra + grounded.sentences, grounded.dropped, grounded.invalid_citations, grounded.lang
    )


def _with_notices(grounded: GroundedText, run: _Run) -> GroundedText:
    """The answer with one notice per uploaded figure that a curated passage contradicts, citing both, after its
    lead sentence (so a streamed answer, whose lead is sent first, never reorders what it has shown)."""
    notices = [
        GroundedSentence(conflict_notice(c, lang=run.lang), (c.uploaded_id, c.curated_id))
        for c in run.conflicts
    ]
    notices = [n for n in dict.fromkeys(notices) if n.text not in grounded.text]
    if not notices or not grounded.sentences:
        return grounded
    sentences = grounded.sentences[:1] + notices + grounded.sentences[1:]
    return GroundedText(sentences, grounded.dropped, grounded.invalid_citations, grounded.lang)


_advisors: dict[str, Advisor] = {}
_advisors_lock = threading.Lock()


def get_advisor(settings: Settings) -> Advisor:
    """The process-wide advisor for these settings (its models load on first use)."""
    key = json.dumps(settings.model_dump(mode="json"), sort_keys=True, default=str)
    with _advisors_lock:
        if key not in _advisors:
            _advisors[key] = Advisor(settings)
        return _advisors[key]
