/* What a saved form becomes on the phone, and what the person sees when the phone cannot
 * keep it: the outbox item (its UUID and capture time chosen once per form, so that a save
 * tried again, or a file saved meanwhile, names the same submission), and the failure with
 * what to do and a way out that needs no storage (this one submission as a file). */
(function (FA) {
  "use strict";

  function el(id) { return document.getElementById(id); }

  /* The outbox item of `data`, made by `user` in the form described by `editing` (mode
   * "item": an unsent item edited; "update"/"close": a child of the packet; "fix": a
   * returned submission; "new"; "report": a child at risk). `kind`: "child" (the default)
   * or "protection_report", whose child is named inside its data, never as an update. */
  function item(editing, data, user, kind) {
    var made = { user: user, data: data, label: (data.child || {}).full_name || "",
                 kind: kind || "child", child_id: null, base_version: null, corrects: null };
    var base = editing.mode === "item" ? editing.item : null;
    if (base) {
      return Object.assign(made, { uuid: base.uuid, captured_at: base.captured_at,
                                   created_at: base.created_at, child_id: base.child_id,
                                   base_version: base.base_version, corrects: base.corrects,
                                   attempts: base.attempts, revision: base.revision });
    }
    editing.uuid = editing.uuid || self.crypto.randomUUID();
    editing.captured_at = editing.captured_at || new Date().toISOString();
    Object.assign(made, { uuid: editing.uuid, captured_at: editing.captured_at });
    if (editing.child) {
      Object.assign(made, { child_id: editing.child.id, base_version: editing.child.version });
    } else if (editing.sent) {
      Object.assign(made, { child_id: editing.sent.child_id,
                            base_version: editing.sent.base_version,
                            corrects: editing.sent.uuid });
    }
    return made;
  }

  /* The form stays as it is; the box above its buttons says what happened and what to do, and
   * offers the file. Resolves with the text for the page's status line. */
  function failed(error, made, form, username, say) {
    var why = FA.status.cause(error && error.name);
    var text = "Chưa lưu được phiếu: " + why[0] + ". Những gì bạn đã nhập vẫn còn trên màn " +
      "hình. " + why[1] + " rồi bấm Lưu trên máy lần nữa, hoặc lưu phiếu này ra tệp để trao " +
      "cho cán bộ xã.";
    var box = el("save-problem");
    form.querySelector(".actions").before(box);
    box.hidden = false;
    el("save-problem-text").textContent = text;
    el("save-file").onclick = function () {
      FA.offline.exportFile(made.user, username, [made]).then(say);
    };
    box.focus();
    return text;
  }

  function clear() { el("save-problem").hidden = true; }

  FA.saving = { item: item, failed: failed, clear: clear };
})(self.FA = self.FA || {});
