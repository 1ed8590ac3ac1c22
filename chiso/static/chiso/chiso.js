// Small behaviours the templates declare with data- attributes: the Content-Security-Policy
// allows no inline script or style, so nothing is written in onchange= or style=.
(function () {
  "use strict";
  function apply(root) {
    // <div data-width="42">: a progress bar's width in percent
    root.querySelectorAll("[data-width]").forEach(function (el) {
      el.style.width = Math.max(0, Math.min(100, parseFloat(el.dataset.width) || 0)) + "%";
    });
    // <select data-navigate="issuer">: choosing reloads the page with ?issuer=<value>
    root.querySelectorAll("select[data-navigate]").forEach(function (el) {
      if (el.dataset.navigateBound) return;
      el.dataset.navigateBound = "1";
      el.addEventListener("change", function () {
        var url = new URL(window.location.href);
        url.searchParams.set(el.dataset.navigate, el.value);
        window.location.assign(url.toString());
      });
    });
  }
  if (window.htmx) {
    window.htmx.onLoad(apply);  // the first page and every piece htmx swaps in
  } else {
    document.addEventListener("DOMContentLoaded", function () { apply(document); });
  }
})();
