// The eval run page: polls the run's status until it finishes, then shows the report.
"use strict";

(function () {
  const section = document.getElementById("run");
  const runId = section.dataset.runId;
  const url = "/api/evals/runs/" + encodeURIComponent(runId);

  function show(run) {
    document.getElementById("run-status").textContent = section.dataset["label" + run.status[0].toUpperCase() + run.status.slice(1)] || run.status;
    const bar = document.getElementById("run-progress");
    bar.max = Math.max(run.total, 1);
    bar.value = run.done;
    document.getElementById("run-count").textContent = run.done + "/" + run.total;
    document.getElementById("run-message").textContent = run.message || "";
    if (run.status === "finished" || run.status === "failed") window.location.reload();  // the verdict is drawn by the page
  }

  async function poll() {
    try {
      const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (response.ok) {
        const run = await response.json();
        show(run);
        if (run.status === "finished" || run.status === "failed") return;
      }
    } catch (error) {
      document.getElementById("run-message").textContent = String(error);
    }
    window.setTimeout(poll, 1000);
  }

  if (section.dataset.status !== "finished" && section.dataset.status !== "failed") poll();
})();
