// The chat page: asks over SSE, shows only verified text (a "checking sources" state until then), numbered citations.
"use strict";

(function () {
  const { el, readEvents } = window.advisor;
  const form = document.getElementById("chat-form");
  const messages = document.getElementById("messages");
  const question = document.getElementById("question");
  const stop = document.getElementById("stop");
  const dialog = document.getElementById("passage-dialog");
  const labels = form.dataset;
  const MARKER = /\[(S\d+|M:[a-z0-9_]+)\]/g;
  let controller = null;

  function openCitation(citation, claim) {
    document.getElementById("passage-title").textContent = citation.title || citation.doc_id;
    document.getElementById("passage-section").textContent = citation.section || "";
    document.getElementById("passage-text").textContent = citation.text || "";
    const link = document.getElementById("passage-link");
    const org = form.elements.org_id.value;
    if (citation.id.startsWith("M:")) {
      link.hidden = !org;
      link.href = "/orgs/" + encodeURIComponent(org) + "#metric-" + citation.id.slice(2);
    } else {
      link.hidden = false;
      // the document page finds the chunk by its excerpt and marks the sentences backing the claim (kept short:
      // percent-encoded Chinese takes 9 bytes a character, and request headers are capped)
      const query = new URLSearchParams({ quote: (citation.text || "").slice(0, 1500), claim: (claim || "").slice(0, 500) });
      link.href = "/kb/docs/" + encodeURIComponent(citation.doc_id) + "?" + query;
    }
    dialog.showModal();
  }

  // Citations numbered 1, 2, 3 in the order the answer first cites them (uncited ones after).
  function numbering(answer) {
    const order = new Map();
    const known = new Set(answer.citations.map((c) => c.id));
    for (const match of answer.answer.matchAll(MARKER)) {
      if (known.has(match[1]) && !order.has(match[1])) order.set(match[1], order.size + 1);
    }
    for (const c of answer.citations) if (!order.has(c.id)) order.set(c.id, order.size + 1);
    return order;
  }

  function citationLink(citation, text, claim) {
    return el("a", {
      href: "#cite-" + citation.id, class: "cite", "data-cite": citation.id, text: text,
      onclick: (event) => { event.preventDefault(); openCitation(citation, claim); },
    });
  }

  // The sentence a marker ends (the line up to it, from the last sentence end before): what the passage backs.
  function claimAt(line, index) {
    return line.slice(0, index).replace(/^.*[.!?。！？]\s*(?=\S)/s, "").replace(MARKER, "").replace(/^\s*(?:[-*]|\d+[.)])\s+/, "").trim();
  }

  // The claim each id is first cited for (a footnote opens its passage for that claim).
  function claims(answer) {
    const first = new Map();
    for (const line of answer.answer.split("\n")) {
      for (const match of line.matchAll(MARKER)) if (!first.has(match[1])) first.set(match[1], claimAt(line, match.index));
    }
    return first;
  }

  // One line of the answer with its [S1] / [M:id] markers as numbered footnote links (all text goes in as text).
  function inline(node, line, byId, order) {
    let last = 0;
    for (const match of line.matchAll(MARKER)) {
      node.append(line.slice(last, match.index));
      const citation = byId[match[1]];
      if (citation) node.append(el("sup", {}, [citationLink(citation, "[" + order.get(match[1]) + "]", claimAt(line, match.index))]));
      last = match.index + match[0].length;
    }
    node.append(line.slice(last));
    return node;
  }

  // Paragraphs and "- " / "1. " lists, built as DOM nodes: the Markdown the advisor writes, with no HTML parsing.
  function answerBody(answer, order) {
    const byId = Object.fromEntries(answer.citations.map((c) => [c.id, c]));
    const body = el("div", { class: "answer-text" });
    let list = null;
    for (const line of answer.answer.split("\n")) {
      const item = line.match(/^\s*(?:[-*]|\d+[.)])\s+(.*)$/);
      if (item) {
        const ordered = /^\s*\d/.test(line);
        if (!list || (list.tagName === "OL") !== ordered) body.append((list = el(ordered ? "ol" : "ul")));
        list.append(inline(el("li"), item[1], byId, order));
      } else if (line.trim()) {
        list = null;
        body.append(inline(el("p"), line.replace(/^#+\s+/, "").replace(/\*\*(.+?)\*\*/g, "$1"), byId, order));
      } else {
        list = null;
      }
    }
    return body;
  }

  function plainText(answer, order) {
    const text = answer.answer.replace(MARKER, (all, id) => (order.has(id) ? "[" + order.get(id) + "]" : ""));
    const sources = answer.citations.map((c) => "[" + order.get(c.id) + "] " + sourceLabel(c));
    return sources.length ? text + "\n\n" + labels.sources + ":\n" + sources.join("\n") : text;
  }

  function sourceLabel(citation) {
    if (citation.id.startsWith("M:")) return (citation.title || "") + " (" + labels.yourOrg + ")";
    return (citation.title || citation.doc_id) + (citation.section ? " — " + citation.section : "");
  }

  function actions(box, answer, order) {
    const bar = el("div", { class: "answer-actions" });
    const copy = el("button", { type: "button", class: "secondary small copy", text: labels.copy });
    copy.addEventListener("click", async () => {
      try { await navigator.clipboard.writeText(plainText(answer, order)); copy.textContent = labels.copied; } catch (e) { copy.textContent = labels.error; }
    });
    bar.append(copy);
    const regenerate = el("button", { type: "button", class: "secondary small regenerate", text: labels.regenerate });
    regenerate.addEventListener("click", () => {
      const asked = box.previousElementSibling;
      if (asked) submit(asked.textContent.trim());
    });
    bar.append(regenerate);
    for (const [rating, text] of [[1, labels.helpful], [-1, labels.unhelpful]]) {
      const button = el("button", {
        type: "button", class: "secondary small rate", "data-rating": String(rating), "aria-pressed": String(box.dataset.rating === String(rating)),
        text,
      });
      button.addEventListener("click", () => rate(box, rating, bar));
      bar.append(button);
    }
    return bar;
  }

  async function rate(box, rating, bar) {
    const conversation = form.elements.conversation_id.value;
    if (!conversation) return;
    const response = await fetch("/api/conversations/" + encodeURIComponent(conversation) + "/feedback", {
      method: "PUT", headers: { "Content-Type": "application/json" }, credentials: "same-origin",
      body: JSON.stringify({ turn: Number(box.dataset.turn), rating }),
    });
    if (response.ok) {
      box.dataset.rating = String(rating);
      for (const button of bar.querySelectorAll(".rate")) button.setAttribute("aria-pressed", String(button.dataset.rating === String(rating)));
    }
  }

  function renderAnswer(box, answer) {
    const order = numbering(answer);
    box.classList.remove("streaming");
    box.replaceChildren(answerBody(answer, order));
    box.setAttribute("lang", answer.language === "zh" ? "zh-CN" : "en");
    if (answer.refused) box.classList.add("refused");
    if (answer.citations.length) {
      const list = el("ol", { class: "footnotes" });
      const sorted = [...answer.citations].sort((a, b) => order.get(a.id) - order.get(b.id));
      const backed = claims(answer);
      for (const citation of sorted) {
        list.append(el("li", { id: "cite-" + citation.id, value: String(order.get(citation.id)) }, [citationLink(citation, sourceLabel(citation), backed.get(citation.id))]));
      }
      box.append(el("h4", { text: labels.sources }), list);
    }
    box.append(actions(box, answer, order));
  }

  function addToList(id, title) {
    const list = document.getElementById("conversation-list");
    list.querySelector(".muted")?.remove();
    const link = el("a", { href: "/chat?c=" + encodeURIComponent(id), "aria-current": "page", text: title });
    list.prepend(el("li", {}, [link]));
  }

  function checking(box, text) {
    box.replaceChildren(el("p", { class: "checking muted", role: "status", text: text || labels.checking }));
  }

  async function ask(text) {
    document.getElementById("starters")?.remove();
    messages.append(el("div", { class: "message user" }, [el("p", { text })]));
    const turn = messages.querySelectorAll(".message.assistant").length;
    const box = el("div", { class: "message assistant streaming", "data-turn": String(turn) });
    checking(box);
    messages.append(box);
    const verified = [];
    const body = { question: text };
    if (form.elements.conversation_id.value) body.conversation_id = form.elements.conversation_id.value;
    if (form.elements.org_id.value) body.org_id = form.elements.org_id.value;
    controller = new AbortController();
    const response = await fetch("/api/chat", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
      body: JSON.stringify(body),
      credentials: "same-origin",
      signal: controller.signal,
    });
    if (!response.ok) {
      const detail = await response.json().catch(() => ({ detail: response.statusText }));
      throw new Error(typeof detail.detail === "string" ? detail.detail : response.statusText);
    }
    try {
      await readEvents(response, (name, data) => {
        // a draft token may still be withdrawn by grounding: only verified sentences and the final answer are shown
        if (name === "status") {
          if (!verified.length) checking(box);
        } else if (name === "text") {
          // verified text only: the pieces concatenate to the final answer (markers are numbered once it arrives)
          verified.push(data.text);
          // numbered in order of first citation, as the final answer will number them
          const seen = new Map();
          const shown = verified.join("").replace(MARKER, (all, id) => {
            if (!seen.has(id)) seen.set(id, seen.size + 1);
            return "[" + seen.get(id) + "]";
          });
          box.replaceChildren(el("p", { class: "verified", text: shown }), el("p", { class: "checking muted", role: "status", text: labels.checking }));
        } else if (name === "final") {
          renderAnswer(box, data);
          if (data.conversation_id) {
            if (!form.elements.conversation_id.value) addToList(data.conversation_id, text);
            form.elements.conversation_id.value = data.conversation_id;
            const url = new URL(window.location);
            url.searchParams.set("c", data.conversation_id);
            window.history.replaceState(null, "", url);
          }
        } else if (name === "error") {
          throw new Error(data.detail);
        }
      });
    } catch (error) {
      if (error.name === "AbortError") { box.classList.remove("streaming"); checking(box, labels.stopped); return; }
      throw error;
    }
  }

  async function submit(text) {
    if (!text) return;
    form.elements.ask.disabled = true;
    stop.hidden = false;
    try {
      await ask(text);
    } catch (error) {
      if (error.name !== "AbortError") messages.append(el("p", { class: "error", text: labels.error + ": " + error.message }));
    } finally {
      controller = null;
      form.elements.ask.disabled = false;
      stop.hidden = true;
      question.focus();
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = question.value.trim();
    question.value = "";
    submit(text);
  });

  stop.addEventListener("click", () => controller?.abort());

  question.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  for (const starter of document.querySelectorAll(".starter")) {
    starter.addEventListener("click", () => submit(starter.textContent.trim()));
  }

  for (const box of messages.querySelectorAll(".message.assistant[data-answer]")) {
    renderAnswer(box, JSON.parse(box.dataset.answer));
  }
})();
