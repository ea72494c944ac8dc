// The chat page: streams an answer over SSE, then shows the grounded text with clickable citation footnotes.
"use strict";

(function () {
  const { el, readEvents } = window.advisor;
  const form = document.getElementById("chat-form");
  const messages = document.getElementById("messages");
  const question = document.getElementById("question");
  const dialog = document.getElementById("passage-dialog");
  const labels = form.dataset;
  const MARKER = /\[(S\d+|M:[a-z0-9_]+)\]/g;

  function openCitation(citation) {
    document.getElementById("passage-title").textContent = citation.title || citation.doc_id;
    document.getElementById("passage-section").textContent = citation.section || "";
    document.getElementById("passage-text").textContent = citation.text || "";
    const link = document.getElementById("passage-link");
    if (citation.id.startsWith("M:")) {
      link.hidden = !form.elements.org_id.value;
      link.href = "/orgs/" + encodeURIComponent(form.elements.org_id.value);
    } else {
      link.hidden = false;
      link.href = "/kb/docs/" + encodeURIComponent(citation.doc_id);
    }
    dialog.showModal();
  }

  function citationLink(citation, text) {
    return el("a", {
      href: "#cite-" + citation.id, class: "cite", "data-cite": citation.id, text: text,
      onclick: (event) => { event.preventDefault(); openCitation(citation); },
    });
  }

  // Paragraphs of the answer, with each [S1] / [M:id] marker turned into a footnote link.
  function answerBody(answer) {
    const byId = Object.fromEntries(answer.citations.map((c) => [c.id, c]));
    const body = el("div", { class: "answer-text" });
    for (const paragraph of answer.answer.split(/\n{2,}/)) {
      const p = el("p");
      let last = 0;
      for (const match of paragraph.matchAll(MARKER)) {
        p.append(paragraph.slice(last, match.index));
        const citation = byId[match[1]];
        p.append(citation ? el("sup", {}, [citationLink(citation, "[" + match[1] + "]")]) : match[0]);
        last = match.index + match[0].length;
      }
      p.append(paragraph.slice(last));
      body.append(p);
    }
    return body;
  }

  function renderAnswer(box, answer) {
    box.replaceChildren(answerBody(answer));
    box.setAttribute("lang", answer.language === "zh" ? "zh-CN" : "en");
    if (answer.refused) box.classList.add("refused");
    if (answer.citations.length) {
      const list = el("ol", { class: "footnotes" });
      for (const citation of answer.citations) {
        const label = (citation.title || citation.doc_id) + (citation.section ? " — " + citation.section : "");
        list.append(el("li", { id: "cite-" + citation.id }, [citationLink(citation, "[" + citation.id + "] " + label)]));
      }
      box.append(el("h4", { text: labels.sources }), list);
    }
  }

  async function ask(text) {
    messages.append(el("div", { class: "message user" }, [el("p", { text })]));
    const box = el("div", { class: "message assistant streaming" }, [el("p", { class: "muted", text: labels.thinking })]);
    messages.append(box);
    let streamed = "";
    const body = { question: text };
    if (form.elements.conversation_id.value) body.conversation_id = form.elements.conversation_id.value;
    if (form.elements.org_id.value) body.org_id = form.elements.org_id.value;
    const response = await fetch("/api/chat", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
      body: JSON.stringify(body),
      credentials: "same-origin",
    });
    if (!response.ok) {
      const detail = await response.json().catch(() => ({ detail: response.statusText }));
      throw new Error(typeof detail.detail === "string" ? detail.detail : response.statusText);
    }
    await readEvents(response, (name, data) => {
      if (name === "token") {
        streamed += data.text;
        box.replaceChildren(el("p", { class: "streamed", text: streamed }));
      } else if (name === "final") {
        box.classList.remove("streaming");
        renderAnswer(box, data);
        if (data.conversation_id) {
          form.elements.conversation_id.value = data.conversation_id;
          const url = new URL(window.location);
          url.searchParams.set("c", data.conversation_id);
          window.history.replaceState(null, "", url);
        }
      } else if (name === "error") {
        throw new Error(data.detail);
      }
    });
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = question.value.trim();
    if (!text) return;
    question.value = "";
    form.elements.ask.disabled = true;
    try {
      await ask(text);
    } catch (error) {
      messages.append(el("p", { class: "error", text: labels.error + ": " + error.message }));
    } finally {
      form.elements.ask.disabled = false;
      question.focus();
    }
  });

  question.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  for (const box of messages.querySelectorAll(".message.assistant[data-answer]")) {
    renderAnswer(box, JSON.parse(box.dataset.answer));
  }
})();
