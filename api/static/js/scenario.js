// The scenario form: each row offers only the targets its change can apply to, and "to" only for territory moves.
"use strict";

(function () {
  function fit(row) {
    const edit = row.querySelector("select[name=edit]").value;
    const target = row.querySelector("select[name=target]");
    const dest = row.querySelector("select[name=dest]");
    for (const choice of target.querySelectorAll("[data-for]")) {
      choice.disabled = Boolean(edit) && !choice.dataset.for.split(" ").includes(edit);
    }
    const picked = target.selectedOptions[0];
    if (picked && (picked.disabled || picked.parentElement.disabled)) {
      const first = [...target.options].find((option) => !option.disabled && !option.parentElement.disabled);
      if (first) target.value = first.value;
    }
    // hidden, not disabled: every row must still send its "to" so the columns stay aligned
    dest.hidden = edit !== "territory_move";
    if (dest.hidden) dest.value = "";
  }

  for (const row of document.querySelectorAll("#scenario-form tr.edit-row")) {
    row.querySelector("select[name=edit]").addEventListener("change", () => fit(row));
    fit(row);
  }
})();
