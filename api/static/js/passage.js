// A document opened from a citation: the cited sentences of the opened chunk are marked and scrolled into view.
"use strict";

(function () {
  const opened = document.querySelector(".passage[data-marks]");
  if (!opened) return;
  const body = opened.querySelector(".passage-text");

  // The body's text with whitespace runs as one space, and for each of its characters the text node it sits in.
  function indexText(root) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    let text = "";
    const where = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (let i = 0; i < node.nodeValue.length; i++) {
        const blank = /\s/.test(node.nodeValue[i]);
        if (blank && (text === "" || text.endsWith(" "))) continue;
        text += blank ? " " : node.nodeValue[i];
        where.push([node, i]);
      }
    }
    return { text, where };
  }

  // Wraps text[start, end) in <mark> elements, one per text node it spans (so nesting stays valid).
  function mark(where, start, end) {
    const pieces = new Map();
    for (let i = start; i < end; i++) {
      const [node, offset] = where[i];
      const piece = pieces.get(node) || [offset, offset];
      piece[1] = offset + 1;
      pieces.set(node, piece);
    }
    for (const [node, [from, to]] of pieces) {
      const middle = node.splitText(from);
      middle.splitText(to - from);
      const wrapper = document.createElement("mark");
      wrapper.className = "cited";
      middle.replaceWith(wrapper);
      wrapper.append(middle);
    }
  }

  for (const sentence of JSON.parse(opened.dataset.marks)) {
    const { text, where } = indexText(body);
    const start = text.indexOf(sentence);
    if (start >= 0) mark(where, start, start + sentence.length);
  }
  const first = body.querySelector("mark.cited");
  opened.classList.toggle("marked", Boolean(first));
  (first || opened).scrollIntoView({ block: "center" });
  opened.focus({ preventScroll: true });
})();
