/* A search box over a long select (the nationalities: 250 names): typing "han" or "hàn" keeps
 * "Hàn Quốc" and the other names that hold it, accents ignored, and picks the first of them.
 * A native select of 250 entries is hard to scroll on a phone, and browsers search one only by
 * the first letters. The select keeps its name and its value: the form posts as it did, and
 * without this script (the officer's pages work without JavaScript) it is the whole list. */
(function (FA) {
  "use strict";

  function fold(text) {
    return String(text || "").toLowerCase().replace(/đ/g, "d").normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "").replace(/\s+/g, " ").trim();
  }

  /* Add a labelled search box before every select[data-search] of ``root`` without one. */
  function wire(root) {
    var selects = (root || document).querySelectorAll("select[data-search]");
    Array.prototype.forEach.call(selects, function (select) {
      if (select.dataset.searchWired) { return; }
      select.dataset.searchWired = "1";
      var box = document.createElement("input");
      box.type = "search";
      box.id = select.id + "-search";
      box.autocomplete = "off";
      box.spellcheck = false;
      box.className = "choose-search";
      box.setAttribute("aria-controls", select.id);
      var label = document.createElement("label");
      label.htmlFor = box.id;
      label.className = "choose-label";
      label.textContent = select.dataset.search;
      select.parentNode.insertBefore(label, select);
      select.parentNode.insertBefore(box, select);
      box.addEventListener("input", function () { filter(select, box.value); });
      box.addEventListener("keydown", function (event) {
        if (event.key === "Enter") { event.preventDefault(); select.focus(); }  // not a submit
      });
    });
  }

  /* Keep the options whose label holds ``query``; the chosen one stays chosen when it matches,
   * else the first match is chosen. No match leaves the chosen option alone, never a blank:
   * an empty nationality would be read as Việt Nam. */
  function filter(select, query) {
    if (!select.faAll) {
      select.faAll = Array.prototype.slice.call(select.options);
    }
    var key = fold(query);
    var kept = select.faAll.filter(function (o) {
      return !key || fold(o.textContent).indexOf(key) >= 0;
    });
    var chosen = select.value;
    if (!kept.length) {
      kept = select.faAll.filter(function (o) { return o.value === chosen; });
    }
    if (!kept.length) { return; }
    select.textContent = "";
    kept.forEach(function (o) { select.appendChild(o); });
    var stays = kept.some(function (o) { return o.value === chosen; });
    select.value = stays ? chosen : kept[0].value;
    if (!stays) { select.dispatchEvent(new Event("change", { bubbles: true })); }
    if (!key) { select.faAll = null; }  // the whole list again: whoever fills it next owns it
  }

  /* Before a script fills the select anew: the box is emptied and the old options forgotten. */
  function reset(select) {
    var box = document.getElementById(select.id + "-search");
    if (select.faAll) { filter(select, ""); }
    if (box) { box.value = ""; }
  }

  FA.choose = { wire: wire, reset: reset, fold: fold };
  if (typeof document !== "undefined") {
    document.addEventListener("DOMContentLoaded", function () { wire(document); });
    document.addEventListener("htmx:load", function (event) { wire(event.target); });
  }
})(self.FA = self.FA || {});
