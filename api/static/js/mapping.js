// The mapping step: a live count of the rows the chosen columns, value names and filter keep (nothing is stored).
"use strict";

(function () {
  const form = document.getElementById("mapping-form");
  const preview = document.getElementById("preview");
  const filterColumn = document.getElementById("filter-column");
  const filterValue = document.getElementById("filter-value");
  const { el } = window.advisor;
  let pending = null;

  function choices() {
    const data = new FormData(form);
    const sources = data.getAll("source");
    const targets = data.getAll("target");
    const mapping = {};
    sources.forEach((source, i) => { if (targets[i]) mapping[source] = targets[i]; });
    const values = {};
    for (const [key, target] of data.entries()) {
      if (!key.startsWith("value:") || !target) continue;
      const [, column, ...rest] = key.split(":");
      (values[column] = values[column] || {})[rest.join(":")] = target;
    }
    const where = {};
    if (data.get("filter_column") && data.get("filter_value")) where[data.get("filter_column")] = data.get("filter_value");
    const options = { values, where };
    if (data.get("as_of")) options.as_of = data.get("as_of");
    if (data.get("period_months")) options.period_months = Number(data.get("period_months"));
    return { mapping, options };
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, (all, name) => (name in values ? values[name] : all));
  }

  async function refresh() {
    const response = await fetch("/api/orgs/" + encodeURIComponent(form.dataset.org) + "/preview", {
      method: "POST", headers: { "Content-Type": "application/json" }, credentials: "same-origin",
      body: JSON.stringify(choices()),
    });
    if (!response.ok) { preview.textContent = form.dataset.invalid; return; }
    const result = await response.json();
    preview.classList.toggle("warning", Boolean(result.message));
    preview.textContent = result.message || fill(form.dataset.kept, {
      kept: result.kept, rows: result.rows, filtered: result.filtered_out, set_aside: result.set_aside,
    });
    preview.dataset.kept = String(result.kept);
  }

  function later() {
    clearTimeout(pending);
    pending = setTimeout(refresh, 250);
  }

  filterColumn.addEventListener("change", () => {
    const option = filterColumn.selectedOptions[0];
    const values = option && option.dataset.values ? JSON.parse(option.dataset.values) : {};
    filterValue.replaceChildren(filterValue.options[0]);
    for (const [value, count] of Object.entries(values)) {
      filterValue.append(el("option", { value, text: value + " (" + count + ")" }));
    }
  });
  form.addEventListener("change", later);
  form.addEventListener("input", later);
  refresh();
})();
