// The plan editor (chiso/templates/plans/plan_edit.html). A save the server refuses answers
// 409 (the form was stale: the fragment shows what is saved now) or 422 (the input was not
// valid: the fragment keeps what was typed, with the reason). Both are fragments to show,
// not errors to drop, so they are swapped in like a 200.
document.addEventListener("htmx:beforeSwap", function (event) {
  var status = event.detail.xhr.status;
  if (status === 409 || status === 422) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});

// Enter in an agency name box adds it; Escape clears its suggestions.
document.addEventListener("keydown", function (event) {
  var input = event.target;
  if (!input.classList || !input.classList.contains("agency-input")) {
    return;
  }
  if (event.key === "Escape") {
    var list = input.form && input.form.querySelector(".unit-suggestions");
    if (list) {
      list.textContent = "";
    }
  }
});
