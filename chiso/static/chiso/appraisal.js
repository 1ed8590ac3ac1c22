// The self-assessment and appraisal pages (chiso/appraisal/templates): a save the server refuses
// answers 409 (the form was stale: the fragment shows what is saved now) or 422 (the input was not
// valid: the fragment keeps what was typed, with the reason). Both are fragments to show, not errors
// to drop, so they are swapped in like a 200.
document.addEventListener("htmx:beforeSwap", function (event) {
  var status = event.detail.xhr.status;
  if (status === 409 || status === 422) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
