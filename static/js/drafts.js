/* A half-filled form survives a reload, a crash or a closed tab. While the person types, what
 * the open form holds is kept (a moment after the last keystroke) in IndexedDB for this user
 * ("draft:<user>" in the meta store), and the capture page offers it back: "Tiếp tục phiếu đang
 * nhập dở?". Saving the form, Hủy, or "Bỏ phiếu nháp" ends it. Like the outbox's items, a
 * draft stays through logout, seen by its author only. */
(function (FA) {
  "use strict";
  var DELAY = 500;
  var user = null;
  var describe = null;  // () => the draft of the open form; null when no form is open
  var timer = null;
  var status = "draft-status";  // where the open form says its draft was kept

  function el(id) { return document.getElementById(id); }

  function key() { return "draft:" + user; }

  function note(text, failed) {
    var line = el(status);
    line.textContent = text;
    line.className = failed ? "error" : "muted";
  }

  function write() {
    timer = null;
    if (!describe) { return Promise.resolve(); }
    var draft = Object.assign(describe(), { saved_at: new Date().toISOString() });
    return FA.outbox.setMeta(key(), draft).then(function () {
      note("Đã tự lưu bản nháp lúc " + FA.lists.when(draft.saved_at) + ".", false);
    }, function (error) {
      var why = FA.status.cause(error && error.name);
      note("Chưa tự lưu được bản nháp: " + why[0] + ". " + why[1] + ".", true);
    });
  }

  /* A form opened: `how()` says what to keep of it from now on; `where`, the id of the line
   * that tells it was kept (the capture form's by default). */
  function track(how, where) {
    describe = how;
    status = where || "draft-status";
    note("", false);
  }

  /* Something was typed: keep the draft a moment later. */
  function touched() {
    if (!describe) { return; }
    clearTimeout(timer);
    timer = setTimeout(write, DELAY);
  }

  /* Leave the form without ending the draft (the person went back): write what is pending. */
  function leave() {
    var pending = timer !== null;
    clearTimeout(timer);
    var done = pending ? write() : Promise.resolve();
    describe = null;
    return done;
  }

  /* The form was saved or cancelled: the draft is over. */
  function end() {
    clearTimeout(timer);
    timer = null;
    describe = null;
    return FA.outbox.setMeta(key(), null).catch(function () { return null; });
  }

  /* Offer the draft back on the home view; `resume()` reopens it. */
  function offer(resume) {
    return FA.outbox.meta(key()).then(function (draft) {
      var box = el("draft-offer");
      box.hidden = !draft;
      if (!draft) { return; }
      el("draft-label").textContent = (draft.label || "Phiếu chưa có tên") + " · lưu lúc " +
        FA.lists.when(draft.saved_at);
      el("draft-resume").onclick = resume;
      el("draft-drop").onclick = function () {
        if (!el("draft-drop").dataset.armed) {
          el("draft-drop").dataset.armed = "1";
          el("draft-drop").textContent = "Chắc chắn bỏ phiếu nháp?";
          return;
        }
        end().then(function () { box.hidden = true; });
      };
      el("draft-drop").removeAttribute("data-armed");
      el("draft-drop").textContent = "Bỏ phiếu nháp";
    }).catch(function () { return null; });
  }

  function load() { return FA.outbox.meta(key()); }

  function setUser(value) { user = value; }

  FA.drafts = { setUser: setUser, track: track, touched: touched, leave: leave, end: end,
                offer: offer, load: load };
})(self.FA = self.FA || {});
