/* The public survey form: keeps half-finished answers on this phone (localStorage) until they
   are sent, and shows a question only when its condition is met. Without this script the form
   still works: every question is shown with its condition written out. */
(function () {
  "use strict";
  var store;
  try { store = window.localStorage; store.getItem("x"); } catch (e) { store = null; }

  var clear = document.body.getAttribute("data-clear-draft");
  if (clear && store) { store.removeItem(clear); }

  var form = document.getElementById("survey-form");
  if (!form) { return; }
  var key = form.getAttribute("data-draft-key");
  var skip = { csrfmiddlewaretoken: 1, receipt: 1, serial: 1 };

  function values() {
    var out = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || skip[el.name]) { return; }
      if ((el.type === "radio" || el.type === "checkbox")) {
        if (el.checked) { (out[el.name] = out[el.name] || []).push(el.value); }
      } else if (el.tagName === "TEXTAREA" || el.type === "text") {
        if (el.value) { out[el.name] = [el.value]; }
      }
    });
    return out;
  }

  function answersOf(name) {
    var found = [];
    Array.prototype.forEach.call(form.querySelectorAll("[name='" + name + "']"), function (el) {
      if ((el.type === "radio" || el.type === "checkbox") ? el.checked : el.value) { found.push(el.value); }
    });
    return found;
  }

  function applyConditions() {
    var blocks = form.querySelectorAll("[data-show-if]");
    Array.prototype.forEach.call(blocks, function (block) {
      var source = document.getElementById("q-" + block.getAttribute("data-show-if"));
      var wanted = block.getAttribute("data-show-values").split(" ");
      var shown = !(source && source.hidden) && answersOf(block.getAttribute("data-show-if")).some(function (v) {
        return wanted.indexOf(v) >= 0;
      });
      block.hidden = !shown;
      var hints = block.querySelectorAll(".hint");
      Array.prototype.forEach.call(hints, function (h) { h.hidden = true; });
    });
  }

  function save() {
    if (!store || !key) { return; }
    try { store.setItem(key, JSON.stringify(values())); } catch (e) { /* full or private mode */ }
  }

  function restore() {
    if (!store || !key || !form.hasAttribute("data-restore")) { return; }
    var saved;
    try { saved = JSON.parse(store.getItem(key) || "null"); } catch (e) { saved = null; }
    if (!saved) { return; }
    var any = false;
    Object.keys(saved).forEach(function (name) {
      var wanted = saved[name];
      Array.prototype.forEach.call(form.querySelectorAll("[name='" + name.replace(/'/g, "") + "']"), function (el) {
        if (el.type === "radio" || el.type === "checkbox") {
          el.checked = wanted.indexOf(el.value) >= 0;
          any = any || el.checked;
        } else if (el.tagName === "TEXTAREA" || el.type === "text") {
          el.value = wanted.join("\n");
          any = any || !!el.value;
        }
      });
    });
    var note = document.getElementById("draft-note");
    if (any && note) { note.hidden = false; }
  }

  restore();
  applyConditions();
  form.addEventListener("change", function () { applyConditions(); save(); });
  form.addEventListener("input", save);
  var summary = document.getElementById("loi");
  if (summary) { summary.focus(); }
})();
