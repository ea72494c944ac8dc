"""The tool-calling agent: a bounded loop in which a capable model gathers its own evidence.

The model calls `search_knowledge`, `get_metrics`, `get_findings` and `run_scenario`; every result becomes an item of
the evidence pack (`S<n>` or `M:<id>`), so the final draft is grounded exactly like the fixed pipeline's. The loop
starts with the pipeline's own search for the question presented as the first tool result, so a model that calls no
tool still answers from evidence, and the scope check has run before any generation.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import (
    AIMessage,
    BaseMessage,
    HumanMessage,
    SystemMessage,
    ToolCall,
    ToolMessage,
)
from langchain_core.tools import BaseTool, StructuredTool

from advisor.chat.evidence import METRIC_DOC, Evidence, EvidencePack, passage_evidence
from advisor.chat.org_context import OrgContext, metric_text
from advisor.chat.search import PassageSearch, search_passages
from advisor.org.present import format_number
from advisor.prompts import render_prompt


@dataclass
class AgentState:
    """What the agent's tools read and the evidence they have gathered so far."""

    retriever: PassageSearch
    org: OrgContext | None
    lang: str
    k: int
    evidence_chars: int
    pack: EvidencePack = field(default_factory=EvidencePack)
    steps: int = 0
    draft: str = ""

    def add(self, items: list[Evidence]) -> str:
        """Put tool results into the pack and render them (with their ids) for the model."""
        self.pack = self.pack.extend(items)
        ids = {item.id for item in items}
        texts = {item.text for item in items}
        shown = [item for item in self.pack if item.id in ids or item.text in texts]
        return render_prompt("agent/evidence.j2", evidence=shown)


def _metric_items(state: AgentState, metric_ids: list[str]) -> list[Evidence]:
    if state.org is None:
        return []
    items = []
    for metric_id in metric_ids:
        metric = state.org.metric(metric_id)
        if metric is not None:
            text = metric_text(metric, state.org.finding_for(metric_id), lang=state.lang)
            items.append(
                Evidence(
                    f"M:{metric_id}",
                    "metric",
                    text,
                    METRIC_DOC,
                    metric.label or metric_id,
                    metric_id,
                    state.lang,
                    1.0,
                )
            )
    return items


def build_tools(state: AgentState) -> list[BaseTool]:
    """The agent's tools, bound to one answer's state."""

    def search_knowledge(query: str) -> str:
        """Search the sales-organisation knowledge base; returns passages with ids like [S1]."""
        passages = search_passages(state.retriever, query, k=state.k, lang=state.lang)
        start = 1 + sum(item.kind == "passage" for item in state.pack)
        return state.add(passage_evidence(passages, query=query, max_chars=state.evidence_chars, start=start))

    def get_metrics(metric_ids: list[str] | None = None) -> str:
        """Metrics computed on the user's roster (all when no ids are given); ids like [M:turnover_rate]."""
        if state.org is None:
            return "No roster is loaded."
        wanted = metric_ids or [m.id for m in state.org.metrics]
        return state.add(_metric_items(state, wanted))

    def get_findings() -> str:
        """Problems found on the user's roster, compared with published benchmarks."""
        if state.org is None:
            return "No roster is loaded."
        return state.add(_metric_items(state, list(dict.fromkeys(f.metric_id for f in state.org.findings))))

    def run_scenario(changes: dict[str, Any]) -> str:
        """What-if on the roster: {"hire": {"sdr": 2}, "move": {"inside": 3}, "add_manager": 1, "attrition_pp": -5}."""
        if state.org is None or state.org.roster is None:
            return "No roster is loaded."
        from pydantic import ValidationError

        from advisor.org import ScenarioSpec
        from advisor.org import run_scenario as scenario

        try:
            spec = ScenarioSpec.model_validate(changes)
        except ValidationError as exc:
            return f"Invalid scenario: {exc.errors()[0]['msg']}. Use hire, move, add_manager or attrition_pp."
        result = scenario(state.org.roster, spec)
        lines = [
            f"{d.id}: {format_number(d.before, d.unit)} -> {format_number(d.after, d.unit)}"
            for d in result.deltas
            if d.delta
        ]
        text = f"What-if ({'; '.join(result.applied)}): " + ("; ".join(lines) or "no metric changes") + "."
        item = Evidence(
            "M:scenario", "metric", text, METRIC_DOC, "What-if scenario", "scenario", state.lang, 1.0
        )
        return state.add([item])

    functions = (search_knowledge, get_metrics, get_findings, run_scenario)
    return [StructuredTool.from_function(fn) for fn in functions]


def run_agent(
    question: str, *, model: BaseChatModel, state: AgentState, seed: EvidencePack, max_steps: int
) -> Iterator[str]:
    """Run the loop, yielding tokens as they come; the final draft ends in `state.draft`, the evidence in `state.pack`."""
    tools = build_tools(state)
    by_name = {tool.name: tool for tool in tools}
    first = ToolCall(name="search_knowledge", args={"query": question}, id="call_seed")
    messages: list[BaseMessage] = [
        SystemMessage(render_prompt("agent/system.j2")),
        HumanMessage(question),
        AIMessage(content="", tool_calls=[first]),
        ToolMessage(state.add(list(seed)), tool_call_id="call_seed"),
    ]
    bound = model.bind_tools(tools)
    for _ in range(max_steps):
        state.steps += 1
        reply: Any = None  # AIMessageChunks add up; a model without streaming yields one whole AIMessage
        for chunk in bound.stream(messages):
            reply = chunk if reply is None else reply + chunk
            if (
                chunk.content
                and not getattr(chunk, "tool_call_chunks", None)
                and not getattr(chunk, "tool_calls", None)
            ):
                yield str(chunk.content)
        if reply is None or not reply.tool_calls:
            state.draft = str(reply.content) if reply is not None else ""
            return
        messages.append(reply)
        for call in reply.tool_calls:
            tool = by_name.get(call["name"])
            result = tool.invoke(call["args"]) if tool else f"Unknown tool {call['name']!r}."
            messages.append(ToolMessage(str(result), tool_call_id=call["id"] or call["name"]))
    # out of steps: one last call without tools, so the answer rests on what was gathered
    messages.append(HumanMessage(render_prompt("agent/finish.j2")))
    parts = []
    for chunk in model.stream(messages):
        if chunk.content:
            parts.append(str(chunk.content))
            yield parts[-1]
    state.draft = "".join(parts)
