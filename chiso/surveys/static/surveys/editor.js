// The questionnaire editor (surveys/questionnaire_editor.html). A change the server refuses
// answers 409 (stale form: the editor as saved now) or 422 (the form that was sent, with what
// was typed and the reason): both are shown, not dropped. The fields that do not apply to the
// chosen kind of question are hidden (without this script every field is shown).
(function () {
  "use strict";
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if (status === 409 || status === 422) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  function follow(select) {
    var form = select.form;
    form.querySelectorAll("[data-kinds]").forEach(function (el) {
      el.hidden = el.dataset.kinds.split(" ").indexOf(select.value) < 0;
    });
  }

  function apply(root) {
    root.querySelectorAll("select[data-kind-switch]").forEach(function (select) {
      follow(select);
      if (select.dataset.bound) { return; }
      select.dataset.bound = "1";
      select.addEventListener("change", function () { follow(select); });
    });
    // a form just opened takes the keyboard's focus (its first field)
    var opened = root.matches && root.matches("[data-testid=question-form]") ? root : null;
    if (opened) {
      var first = opened.querySelector("input:not([type=hidden]), select, textarea");
      if (first) { first.focus(); }
    }
  }

  if (window.htmx) {
    window.htmx.onLoad(apply);
  } else {
    document.addEventListener("DOMContentLoaded", function () { apply(document); });
  }
})();
