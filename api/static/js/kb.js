// The knowledge page's delete buttons: confirm, DELETE /api/kb/documents/{id}, then take the row off the list.
"use strict";

(function () {
  const section = document.getElementById("documents");
  if (!section) return;
  const error = document.getElementById("kb-delete-error");
  const count = document.getElementById("document-count");

  async function remove(button) {
    if (!window.confirm(section.dataset.confirm)) return;
    button.disabled = true;
    const response = await fetch("/api/kb/documents/" + encodeURIComponent(button.dataset.doc), {
      method: "DELETE", credentials: "same-origin", headers: { Accept: "application/json" },
    });
    if (response.ok) {
      button.closest("tr").remove();
      count.textContent = String(section.querySelectorAll("tbody tr").length);
      error.hidden = true;
      return;
    }
    button.disabled = false;
    let detail = response.statusText;
    try { detail = (await response.json()).detail || detail; } catch (_) { /* not JSON: keep the status text */ }
    error.textContent = section.dataset.failed + " " + detail;
    error.hidden = false;
  }

  for (const button of section.querySelectorAll("button.kb-delete")) {
    button.addEventListener("click", () => remove(button));
  }
})();
