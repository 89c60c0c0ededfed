/* Messages next to their fields, in any form of the capture page: each field's error slot is
 * "<id>-error", and the form's alert (role=alert) takes the messages that have no field. */
(function (FA) {
  "use strict";

  function $(selector, root) { return root.querySelector(selector); }
  function $$(selector, root) { return Array.prototype.slice.call(root.querySelectorAll(selector)); }

  function clear(root) {
    $$(".error", root).forEach(function (p) {
      p.hidden = true; p.textContent = ""; p.classList.remove("warning");
    });
    $$("[aria-invalid]", root).forEach(function (el) { el.removeAttribute("aria-invalid"); });
    $$(".has-error", root).forEach(function (el) { el.classList.remove("has-error"); });
    var alert = $("[role=alert]", root);
    if (alert) { alert.hidden = true; alert.textContent = ""; }
  }

  /* Each message next to its field (errors mark the field invalid; warnings only inform);
   * messages with no field go to the form's alert. `idOf(path)` gives a path's element id.
   * Returns the number of fields in error. */
  function show(errors, warnings, root, idOf) {
    clear(root);
    var loose = [];
    var first = null;
    function place(path, messages, isError) {
      var id = idOf(path);
      var slot = id && $("#" + CSS.escape(id + "-error"), root);
      if (!slot) { loose.push.apply(loose, messages); return; }
      slot.hidden = false;
      slot.textContent = (slot.textContent ? slot.textContent + " " : "") + messages.join(" ");
      if (!isError) { slot.classList.add("warning"); return; }
      var input = $("#" + CSS.escape(id), root);
      if (input) {
        input.setAttribute("aria-invalid", "true");
        input.closest(".field").classList.add("has-error");
        var described = (input.getAttribute("aria-describedby") || "").split(" ");
        if (described.indexOf(id + "-error") < 0) { described.push(id + "-error"); }
        input.setAttribute("aria-describedby", described.join(" ").trim());
        first = first || input;
      }
    }
    Object.keys(warnings || {}).forEach(function (p) { place(p, warnings[p], false); });
    Object.keys(errors || {}).forEach(function (p) { place(p, errors[p], true); });
    var alert = $("[role=alert]", root);
    var count = Object.keys(errors || {}).length;
    if (alert && (count || loose.length)) {
      alert.hidden = false;
      alert.textContent = count ? "Chưa lưu: vui lòng sửa các ô được đánh dấu. " : "";
      alert.textContent += loose.join(" ");
    }
    if (first) { first.focus(); } else if (alert && !alert.hidden) { alert.focus(); }
    return count;
  }

  /* One field's messages after it changed: gone once it is right, else the new ones. */
  function refresh(root, id, errors, warnings) {
    var slot = $("#" + CSS.escape(id + "-error"), root);
    var input = $("#" + CSS.escape(id), root);
    if (!slot) { return; }
    var messages = errors.length ? errors : warnings;
    slot.hidden = !messages.length;
    slot.textContent = messages.join(" ");
    slot.classList.toggle("warning", !errors.length);
    if (input && !errors.length) {
      input.removeAttribute("aria-invalid");
      input.closest(".field").classList.remove("has-error");
    }
  }

  /* A field's element id: its snapshot path with dashes ("closure.date" → "closure-date"). */
  function idOf(path) { return path.replace(/\./g, "-"); }

  FA.messages = { show: show, clear: clear, refresh: refresh, idOf: idOf };
})(self.FA = self.FA || {});
