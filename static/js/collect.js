/* The capture page (/collect): one page that works offline once opened online. Views are
 * chosen by the address's #fragment (never sent to the server): #/ home, #/new, #/child/<id>,
 * #/update/<id>, #/close/<id>, #/item/<uuid> (an unsent item), #/fix/<uuid> (returned). */
(function (FA) {
  "use strict";
  var root = document.getElementById("collect");
  if (!root) { return; }
  var user = root.dataset.user;
  var packet = null;
  var editing = null;  // what the form is saving: {mode, item?, child?, sent?}
  var retry = null;
  var VIEWS = ["view-home", "view-child", "view-form", "view-close"];
  var today = FA.status.localDay;

  function el(id) { return document.getElementById(id); }

  function say(text) { el("sync-message").textContent = text; }

  function villageName(item) {
    var code = ((item.data || {}).child || {}).village;
    var v = (packet ? packet.villages : []).filter(function (x) { return x.code === code; })[0];
    return v ? v.name : code || "";
  }

  function show(view) {
    VIEWS.forEach(function (id) { el(id).hidden = id !== view; });
    window.scrollTo(0, 0);
  }

  /* ----- lists ----- */

  function render() {
    return Promise.all([FA.outbox.list(user), FA.idb.byUser("sent", user)]).then(function (r) {
      var items = r[0], sent = r[1];
      FA.form.know(items);
      var corrected = {};
      items.forEach(function (i) { if (i.corrects) { corrected[i.corrects] = true; } });
      var returned = sent.filter(function (s) { return s.state === "returned" && !corrected[s.uuid]; });
      FA.lists.fix(items, returned, villageName);
      FA.lists.waiting(items, villageName, discard);
      FA.lists.sent(sent);
      if (packet) {
        var pending = {};
        items.forEach(function (i) { if (i.child_id) { pending[i.child_id] = true; } });
        FA.lists.children(packet, el("village-filter").value, el("child-search").value, pending,
                          today());
      }
      return FA.status.show(items, user);
    });
  }

  function discard(item) {
    FA.outbox.discard(item.uuid).then(function () {
      say("Đã xóa phiếu " + (item.label || "") + ".");
      return render();
    });
  }

  /* ----- views ----- */

  function needPacket() {
    if (packet) { return true; }
    show("view-home");
    say("Chưa có dữ liệu thôn/bản trên máy: hãy mở trang này khi có mạng một lần.");
    return false;
  }

  function route() {
    var parts = (location.hash || "#/").slice(2).split("/");
    var view = parts[0], key = parts[1];
    if (view && !needPacket()) { return; }
    if (view === "child") { return openChild(key); }
    if (view === "new") { return openForm({ mode: "new" }); }
    if (view === "update") { return openUpdate(key); }
    if (view === "close") { return openClose(key); }
    if (view === "item") { return openItem(key); }
    if (view === "fix") { return openFix(key); }
    show("view-home");
    return render();
  }

  function openChild(id) {
    var c = packet.children[id];
    if (!c) { say("Không tìm thấy trẻ này trên máy."); location.hash = "#/"; return; }
    FA.lists.child(packet, c, today());
    return FA.outbox.list(user).then(function (items) {
      var pending = items.filter(function (i) { return i.child_id === id; })[0];
      el("child-pending").hidden = !pending;
      el("child-pending").textContent = pending
        ? "Có phiếu của trẻ này đang chờ gửi (" + (pending.data.closure ? "đóng hồ sơ" : "cập nhật") +
          "). Sửa tiếp phiếu đó thay vì tạo phiếu mới." : "";
      el("child-update").href = pending ? "#/item/" + pending.uuid : "#/update/" + id;
      show("view-child");
    });
  }

  function snapshotOf(c) {
    return { household: Object.assign({}, packet.households[c.household_id] ||
                                         { id: c.household_id }),
             child: Object.assign({}, c.child), caregivers: c.caregivers.slice(),
             circumstances: c.circumstances.slice(), supports: c.supports.slice() };
  }

  function openForm(what, data, title, note) {
    editing = what;
    FA.form.setup(el("capture-form"), packet);
    FA.form.fill(data || { child: { village: el("village-filter").value || null }, caregivers: [{}] });
    el("form-title").textContent = title || "Thêm trẻ em";
    el("form-note").hidden = !note;
    el("form-note").textContent = note || "";
    show("view-form");
    var first = el("child-full_name");
    if (first && !data) { first.focus(); }
  }

  function openUpdate(id) {
    var c = packet.children[id];
    if (!c) { location.hash = "#/"; return; }
    openForm({ mode: "update", child: c }, snapshotOf(c), "Cập nhật: " + c.child.full_name);
  }

  function openItem(uuid) {
    return FA.outbox.get(uuid).then(function (item) {
      if (!item || item.user !== user || item.state === "sending") { location.hash = "#/"; return; }
      if (item.data.closure) { return openClose(item.child_id, item); }
      openForm({ mode: "item", item: item }, item.data, "Sửa phiếu: " + (item.label || ""));
      if (item.state === "invalid") { FA.form.showErrors(item.errors, item.warnings); }
    });
  }

  function openFix(uuid) {
    return FA.idb.get("sent", uuid).then(function (s) {
      if (!s || s.user !== user || !s.data) { location.hash = "#/"; return; }
      openForm({ mode: "fix", sent: s }, s.data, "Sửa phiếu bị trả lại: " + (s.label || ""),
               "Cán bộ xã trả lại: " + (s.note || ""));
    });
  }

  function openClose(id, item) {
    var c = packet.children[id];
    if (!c && !item) { location.hash = "#/"; return; }
    editing = item ? { mode: "item", item: item } : { mode: "close", child: c };
    var form = el("close-form");
    form.reset();
    FA.messages.clear(form);
    var closure = item ? item.data.closure : { date: today() };
    form.querySelectorAll('[name="closure.reason"]').forEach(function (r) {
      r.checked = r.value === closure.reason;
    });
    el("closure-date").value = closure.date || "";
    el("closure-note").value = closure.note || "";
    el("close-title").textContent = "Chuyển đi / Đã mất: " +
      (c ? c.child.full_name : item.label);
    show("view-close");
  }

  /* ----- saving ----- */

  function context(capture) {
    var villages = {}, households = {};
    packet.villages.forEach(function (v) { villages[v.code] = true; });
    Object.keys(packet.households).forEach(function (id) { households[id] = true; });
    return { capture: capture, today: today(), has: FA.packet.has(packet), villages: villages,
             households: households };
  }

  /* Check and save; `showErrors(errors, warnings)` puts messages on the form being saved. */
  function saveItem(data, showErrors) {
    var base = editing.mode === "item" ? editing.item : null;
    var capture = base ? FA.status.localDay(base.captured_at) : today();
    var verdict = FA.validate.snapshot(data, context(capture));
    if (showErrors(verdict.errors, verdict.warnings)) { return null; }
    var item = { user: user, data: data, label: data.child.full_name };
    if (base) {
      Object.assign(item, { uuid: base.uuid, captured_at: base.captured_at,
                            created_at: base.created_at, child_id: base.child_id,
                            base_version: base.base_version, corrects: base.corrects,
                            attempts: base.attempts, revision: base.revision });
    } else if (editing.child) {
      Object.assign(item, { child_id: editing.child.id, base_version: editing.child.version });
    } else if (editing.sent) {
      Object.assign(item, { child_id: editing.sent.child_id, base_version: editing.sent.base_version,
                            corrects: editing.sent.uuid });
    }
    return FA.outbox.save(item).then(function (saved) {
      location.hash = "#/";
      say("Đã lưu trên máy: " + (saved.label || "") + ".");
      FA.status.askBackgroundSync();
      if (navigator.onLine) { sync({}); }
      return saved;
    });
  }

  function onCapture(event) {
    event.preventDefault();
    saveItem(FA.form.read(), FA.form.showErrors);
  }

  function onClose(event) {
    event.preventDefault();
    var form = el("close-form");
    var reason = form.querySelector('[name="closure.reason"]:checked');
    var base = editing.mode === "item" ? editing.item.data : snapshotOf(editing.child);
    var data = Object.assign({}, base, { closure: {
      reason: reason ? reason.value : null, date: el("closure-date").value || null,
      note: el("closure-note").value.trim() || null } });
    function showErrors(errors, warnings) {
      return FA.messages.show(errors, warnings, form, FA.messages.idOf);
    }
    if (!reason) {
      showErrors({ "closure.reason": ["Chọn lý do: chuyển đi hoặc đã mất."] }, {});
      return;
    }
    saveItem(data, showErrors);
  }

  /* ----- sync ----- */

  /* Say what a replay (ours or the worker's) did, retry when it says, get the new packet. */
  function afterReplay(summary) {
    var text = FA.status.message(summary);
    if (text) { say(text); }
    clearTimeout(retry);
    if (summary.retryIn) { retry = setTimeout(function () { sync({}); }, summary.retryIn); }
    var next = summary.status === "done" ? refreshPacket() : Promise.resolve();
    return next.then(render).then(markReady);
  }

  function refreshPacket() {
    return FA.packet.refresh(user).then(function (result) {
      if (result.status === 401) { return FA.outbox.setMeta("login", { needed: true }); }
      if (result.packet) { setPacket(result.packet); }
      return null;
    });
  }

  function sync(options) {
    if (!options.force && !navigator.onLine) {
      say("Mất kết nối. Phiếu được lưu trên máy và sẽ tự gửi khi có mạng.");
      return render();
    }
    say("Đang đồng bộ…");
    options.progress = function () { render(); };
    return FA.replay.run(options).then(function (summary) {
      return summary.status === "busy" ? render() : afterReplay(summary);
    });
  }

  /* ----- start ----- */

  function setPacket(value) {
    packet = value;
    if (!el("view-form").hidden) { FA.form.setup(el("capture-form"), packet); }  // new choices
    var filter = el("village-filter");
    var keep = filter.value;
    filter.textContent = "";
    [{ code: "", name: "Tất cả thôn/bản" }].concat(packet.villages).forEach(function (v) {
      var o = document.createElement("option");
      o.value = v.code;
      o.textContent = v.name;
      filter.append(o);
    });
    filter.value = keep;
  }

  function markReady() { return FA.status.markReady(Boolean(packet)); }

  function exportFile() {
    FA.status.exportFile(user, root.dataset.username).then(say);
  }

  function start() {
    FA.offline.persist();
    el("capture-form").addEventListener("submit", onCapture);
    el("close-form").addEventListener("submit", onClose);
    el("sync-button").addEventListener("click", function () { sync({ force: true }); });
    el("export-button").addEventListener("click", exportFile);
    el("village-filter").addEventListener("change", render);
    el("child-search").addEventListener("input", render);
    window.addEventListener("hashchange", route);
    window.addEventListener("online", function () { sync({ force: true }); });
    window.addEventListener("offline", render);
    if (navigator.serviceWorker) {
      navigator.serviceWorker.addEventListener("message", function (event) {
        if (event.data && event.data.type === "progress") { render(); }
        // The worker replayed on its own (Background Sync): report it as if we had.
        if (event.data && event.data.type === "replayed") { afterReplay(event.data.summary); }
      });
    }
    return FA.packet.forgetOthers(user).then(function () { return FA.packet.load(user); })
      .then(function (stored) {
        if (stored) { setPacket(stored); }
        return route();
      }).then(function () {
        if (navigator.onLine) { return sync({}); }
        return markReady();
      });
  }

  // A logout left pending offline comes first: nothing of the previous user's may show.
  (FA.offline.finishing || Promise.resolve(false)).then(function (leaving) {
    if (!leaving) { start(); }
  });
})(self.FA = self.FA || {});
