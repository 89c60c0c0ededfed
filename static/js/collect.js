/* The capture page (/collect): one page that works offline once opened online. Views are
 * chosen by the address's #fragment (never sent to the server): #/ home, #/new, #/child/<id>,
 * #/update/<id>, #/close/<id>, #/report[/<child id>] (a child at risk, report.js),
 * #/item/<uuid> (an unsent item), #/fix/<uuid> (returned). */
(function (FA) {
  "use strict";
  var root = document.getElementById("collect");
  if (!root) { return; }
  var user = root.dataset.user;
  var packet = null;
  var editing = null;  // what the form is saving: {mode, item?, child?, sent?, uuid?}
  var retry = null;
  var queued = false;  // a replay waits for another one to end
  var QUIET_MS = 300000;
  var VIEWS = ["view-home", "view-child", "view-form", "view-close", "view-report"];
  var REPORT = "protection_report";
  var TITLES = { item: "Sửa phiếu: ", fix: "Sửa phiếu bị trả lại: ", update: "Cập nhật: " };
  var today = FA.status.localDay;
  FA.version = root.dataset.version;

  function el(id) { return document.getElementById(id); }

  function say(text) { el("sync-message").textContent = text; }

  /* A failure of the phone's storage, said in words, with what to do. */
  function failed(what) {
    return function (error) {
      var why = FA.status.cause(error && error.name);
      say(what + ": " + why[0] + ". " + why[1] + ".");
    };
  }

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

  /* The lists, from the phone's storage. The top card and the banner take their shape first
   * and the lists come in one go, so that nothing a thumb aims at moves as the page loads. */
  function render() {
    return Promise.all([FA.outbox.list(user), FA.idb.byUser("sent", user)]).then(function (r) {
      return Promise.all([FA.status.show(r[0], user), FA.offline.banner(user)]).then(function () {
        return r;
      });
    }).then(function (r) {
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
        el("children").hidden = false;
      }
    }).catch(failed("Không đọc được phiếu trên máy"));
  }

  function discard(item) {
    FA.outbox.discard(item.uuid).then(function () {
      say("Đã xóa phiếu " + (item.label || "") + ".");
      return render();
    }, failed("Chưa xóa được phiếu"));
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
    if (view === "report") { return openReport(key); }
    if (view === "item") { return openItem(key); }
    if (view === "fix") { return openFix(key); }
    if (view === "draft") { return FA.drafts.load().then(resume); }
    show("view-home");
    return FA.drafts.leave().then(function () {
      return FA.drafts.offer(function () { location.hash = "#/draft"; });
    }).then(render);
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
      el("child-report").href = "#/report/" + id;
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
    FA.saving.clear();
    show("view-form");
    FA.drafts.track(function () {
      var read = FA.form.read();
      return { view: "form", editing: editing, data: read, label: read.child.full_name,
               title: el("form-title").textContent, note: note || null };
    });
    var first = el("child-full_name");
    if (first && !data) { first.focus(); }
  }

  function openUpdate(id) {
    var c = packet.children[id];
    if (!c) { location.hash = "#/"; return; }
    openForm({ mode: "update", child: c }, snapshotOf(c), TITLES.update + c.child.full_name);
  }

  function openItem(uuid) {
    return FA.outbox.get(uuid).then(function (item) {
      if (!item || item.user !== user || item.state === "sending" || item.state === "receipted") {
        location.hash = "#/";
        return;
      }
      if (item.kind === REPORT) { return openReport(null, item); }
      if (item.data.closure) { return openClose(item.child_id, item); }
      openForm({ mode: "item", item: item }, item.data, TITLES.item + (item.label || ""));
      if (item.state === "invalid") { FA.form.showErrors(item.errors, item.warnings); }
    });
  }

  function openFix(uuid) {
    return FA.idb.get("sent", uuid).then(function (s) {
      if (!s || s.user !== user || !s.data) { location.hash = "#/"; return; }
      openForm({ mode: "fix", sent: s }, s.data, TITLES.fix + (s.label || ""),
               "Cán bộ xã trả lại: " + (s.note || ""));
    });
  }

  function closeValues() {
    var form = el("close-form");
    var reason = form.querySelector('[name="closure.reason"]:checked');
    var injury = form.querySelector('[name="closure.injury"]:checked');
    var values = { reason: reason ? reason.value : null, date: el("closure-date").value || null,
                   note: el("closure-note").value.trim() || null };
    if (values.reason === "died" && injury) {  // a death: was it from an injury (K02)?
      values.injury = injury.value === "yes";
      if (values.injury) { values.cause = el("closure-cause").value || null; }
    }
    return values;
  }

  /* The causes of a death from injury, from the packet's code list (once). */
  function fillCauses() {
    var select = el("closure-cause");
    if (select.options.length) { return; }
    [{ code: "", label: "— Chọn —" }].concat(FA.packet.codes(packet, "injury_cause"))
      .forEach(function (i) {
        var o = document.createElement("option");
        o.value = i.code;
        o.textContent = i.label;
        select.appendChild(o);
      });
  }

  function openClose(id, item, values) {
    var c = packet.children[id];
    if (!c && !item) { location.hash = "#/"; return; }
    editing = item ? { mode: "item", item: item } : { mode: "close", child: c };
    var form = el("close-form");
    form.reset();
    FA.messages.clear(form);
    var closure = values || (item ? item.data.closure : { date: today() });
    form.querySelectorAll('[name="closure.reason"]').forEach(function (r) {
      r.checked = r.value === closure.reason;
    });
    el("closure-date").value = closure.date || "";
    el("closure-note").value = closure.note || "";
    form.querySelectorAll('[name="closure.injury"]').forEach(function (r) {
      r.checked = closure.injury === (r.value === "yes") && closure.injury != null;
    });
    fillCauses();
    el("closure-cause").value = closure.cause || "";
    var label = c ? c.child.full_name : item.label;
    el("close-title").textContent = "Chuyển đi / Đã mất: " + label;
    FA.saving.clear();
    show("view-close");
    FA.drafts.track(function () {
      return { view: "close", editing: editing, child_id: id, data: closeValues(), label: label };
    });
  }

  /* The report form: new (about `id`, a register child, or a child described), an unsent
   * report (`item`), or a draft's `values` with what it was saving (`was`: its UUID, if a
   * save was tried). */
  function openReport(id, item, values, was) {
    var data = values || (item ? item.data : null);
    if (!data && id && !packet.children[id]) {
      say("Không tìm thấy trẻ này trên máy.");
      location.hash = "#/";
      return;
    }
    editing = was || (item ? { mode: "item", item: item } : { mode: "report" });
    var single = packet.villages.length === 1 ? packet.villages[0].code : null;
    FA.report.setup(packet);
    FA.report.fill(data || { child_id: id || null, seen_at: FA.report.now(),
                             child: { village: el("village-filter").value || single } });
    if (item && item.state === "invalid") {
      FA.messages.show(item.errors, item.warnings, el("report-form"), FA.report.idOf);
    }
    FA.saving.clear();
    show("view-report");
    FA.drafts.track(function () {
      var read = FA.report.read();
      return { view: "report", editing: editing, data: read,
               label: "Tin báo: " + (read.child.full_name || "") };
    }, "report-draft-status");
    if (!data && !id) { el("report-child-full_name").focus(); }
  }

  /* Reopen a draft where the person left it (#/draft). */
  function resume(draft) {
    if (!draft) { location.hash = "#/"; return; }
    if (draft.view === "report") {
      openReport(null, draft.editing.mode === "item" ? draft.editing.item : null, draft.data,
                 draft.editing);
    } else if (draft.view === "close") {
      var item = draft.editing.mode === "item" ? draft.editing.item : null;
      openClose(draft.child_id, item, draft.data);
    } else {
      openForm(draft.editing, draft.data, draft.title, draft.note);
    }
    say("Tiếp tục phiếu đang nhập dở: " + (draft.label || "") + ".");
  }

  /* ----- saving ----- */

  function context(capture) {
    var villages = {}, households = {};
    packet.villages.forEach(function (v) { villages[v.code] = true; });
    Object.keys(packet.households).forEach(function (id) { households[id] = true; });
    return { capture: capture, today: today(), has: FA.packet.has(packet), villages: villages,
             households: households, ageLimit: packet.age_limit || 16,
             label: function (list, code) { return FA.packet.label(packet, list, code); } };
  }

  function captureDay() {
    return editing.mode === "item" ? FA.status.localDay(editing.item.captured_at) : today();
  }

  /* A schooling status (or level left) that does not fit the age (children/schooling.py)
   * stops the first save of the capture form with the warning shown; saving again with the
   * same warning sends it as it is (the officer confirms it when reviewing). */
  var CONFIRMED = ["child.schooling_status", "child.school_left_level"];
  function unconfirmed(verdict, form) {
    if (!form || form !== el("capture-form")) { return false; }
    var shown = CONFIRMED.filter(function (p) { return verdict.warnings[p]; });
    if (!shown.length) { return false; }
    var key = JSON.stringify(shown.map(function (p) { return verdict.warnings[p]; }));
    if (form.dataset.confirmed === key) { return false; }
    form.dataset.confirmed = key;
    var alert = form.querySelector("[role=alert]");
    if (alert) {
      alert.hidden = false;
      alert.textContent = "Tình trạng học tập không hợp với tuổi của trẻ: kiểm tra lại, hoặc " +
        "bấm “Lưu trên máy” lần nữa để vẫn lưu.";
      alert.focus();
    }
    return true;
  }

  /* Check and save; `showErrors(errors, warnings)` puts messages on the form being saved. */
  function saveItem(data, showErrors, form) {
    var verdict = FA.validate.snapshot(data, context(captureDay()));
    if (showErrors(verdict.errors, verdict.warnings)) { return null; }
    if (unconfirmed(verdict, form)) { return null; }
    return store(FA.saving.item(editing, data, user), form);
  }

  /* Keep `item` in the outbox and send it when there is a network. */
  function store(item, form) {
    return FA.outbox.save(item).then(function (saved) {
      return FA.drafts.end().then(function () { return saved; });
    }).then(function (saved) {
      location.hash = "#/";
      say(saved.split ? "Phiếu này vừa được sửa ở cửa sổ khác; bản sửa của bạn được lưu thành " +
          "một phiếu riêng: " + (saved.label || "") + "." : saved.kind === REPORT
        ? "Đã lưu tin báo trên máy: " + (saved.label || "") + ". Tin báo tự gửi khi có mạng."
        : "Đã lưu trên máy: " + (saved.label || "") + ".");
      FA.status.askBackgroundSync();
      if (navigator.onLine) { sync({}); }
      return saved;
    }, function (error) {
      say(FA.saving.failed(error, item, form, root.dataset.username, say));
    });
  }

  function onReport(event) {
    event.preventDefault();
    var form = el("report-form");
    var data = FA.report.read();
    var verdict = FA.report.check(data);
    if (FA.messages.show(verdict.errors, verdict.warnings, form, FA.report.idOf)) { return; }
    store(FA.saving.item(editing, data, user, REPORT), form);
  }

  function onCapture(event) {
    event.preventDefault();
    saveItem(FA.form.read(), FA.form.showErrors, el("capture-form"));
  }

  /* What the close form saves: the child as it was, with its closure. */
  function closeData() {
    var base = editing.mode === "item" ? editing.item.data : snapshotOf(editing.child);
    return Object.assign({}, base, { closure: closeValues() });
  }

  function onClose(event) {
    event.preventDefault();
    var form = el("close-form");
    var data = closeData();
    function showErrors(errors, warnings) {
      return FA.messages.show(errors, warnings, form, FA.messages.idOf);
    }
    if (!data.closure.reason) {
      showErrors({ "closure.reason": ["Chọn lý do: chuyển đi hoặc đã mất."] }, {});
      return;
    }
    saveItem(data, showErrors, form);
  }

  /* A field's message goes as soon as the field is right (by the phone's rules), and changes
   * when it is wrong in another way. */
  function onEdited(event) {
    FA.drafts.touched();
    var field = event.target;
    var form = field.form;
    var radios = { "closure.reason": "closure-reason", "report.urgent": "report-urgent" };
    var id = radios[field.name] || field.id;
    var slot = id && form && form.querySelector("#" + CSS.escape(id + "-error"));
    if (!slot || slot.hidden) { return; }
    var capture = form === el("capture-form");
    var report = form === el("report-form");
    var verdict = report ? FA.report.check(FA.report.read())
      : FA.validate.snapshot(capture ? FA.form.read() : closeData(), context(captureDay()));
    var idOf = capture ? FA.form.fieldId : report ? FA.report.idOf : FA.messages.idOf;
    function mine(messages) {
      return Object.keys(messages).filter(function (path) { return idOf(path) === id; })
        .reduce(function (all, path) { return all.concat(messages[path]); }, []);
    }
    FA.messages.refresh(form, id, mine(verdict.errors), mine(verdict.warnings));
  }

  /* ----- sync ----- */

  /* Say what a replay (ours or the worker's) did, retry when it says, get the new packet. */
  function afterReplay(summary) {
    var text = FA.status.message(summary);
    if (text) { say(text); }
    if (summary.status === "weak") { FA.replay.state.network = "weak"; }
    clearTimeout(retry);
    if (summary.retryIn) { retry = setTimeout(function () { sync({}); }, summary.retryIn); }
    var reached = summary.status === "done" || summary.status === "partial";
    return (reached ? refreshPacket() : Promise.resolve()).then(render).then(markReady);
  }

  function refreshPacket() {
    return FA.packet.refresh(user).then(function (result) {
      if (result.status === 401) { return FA.outbox.setMeta("login", { needed: true }); }
      if (result.packet) { setPacket(result.packet); }
      return null;
    }).catch(failed("Chưa lưu được dữ liệu thôn/bản mới (vẫn dùng dữ liệu cũ)"));
  }

  function sync(options) {
    if (!options.force && !navigator.onLine) {
      say("Mất kết nối. Phiếu được lưu trên máy và sẽ tự gửi khi có mạng.");
      return render();
    }
    say("Đang đồng bộ…");
    options.progress = function () { render(); };
    return FA.replay.run(options).then(function (summary) {
      if (summary.status !== "busy") { return afterReplay(summary); }
      if (queued) { return render(); }
      // Another window or the worker is sending: send again once it is done, so that what
      // was just saved does not wait for the next trigger.
      queued = true;
      return FA.replay.run(Object.assign({}, options, { wait: true })).then(function (next) {
        queued = false;
        return afterReplay(next);
      });
    }).catch(failed("Chưa đồng bộ được"));
  }

  /* ----- start ----- */

  function setPacket(value) {
    packet = value;
    if (!el("view-form").hidden) { FA.form.setup(el("capture-form"), packet); }  // new choices
    var filter = el("village-filter");
    var single = packet.villages.length === 1;  // a village head's one village: no "all"
    var keep = single ? packet.villages[0].code : filter.value;
    filter.textContent = "";
    (single ? [] : [{ code: "", name: "Tất cả thôn/bản" }]).concat(packet.villages)
      .forEach(function (v) {
        var o = document.createElement("option");
        o.value = v.code;
        o.textContent = v.name;
        filter.append(o);
      });
    filter.value = keep;
    filter.closest(".field").hidden = single;
    el("children-title").textContent = single ? "Trẻ em ở " + packet.villages[0].name
      : "Trẻ em trong thôn";
  }

  function markReady() { return FA.status.markReady(Boolean(packet)); }

  function exportFile() {
    FA.offline.exportFile(user, root.dataset.username).then(say, failed("Chưa lưu được tệp"));
  }

  /* The phone picked up again: what waited may go now (and news is fetched, at most every
   * few minutes when nothing waits: a village head switching apps costs no data). */
  function pickedUp() {
    if (document.visibilityState !== "visible" || !navigator.onLine) { return null; }
    return Promise.all([FA.outbox.waiting(user), FA.outbox.meta("lastSync:" + user)])
      .then(function (r) {
        var stale = !r[1] || Date.now() - new Date(r[1]).getTime() > QUIET_MS;
        return r[0].length || stale ? sync({}) : null;
      }).catch(failed("Không đọc được phiếu trên máy"));
  }

  function storageTrouble(event) {
    say(event === "versionchange"
      ? "Ứng dụng vừa được cập nhật ở một thẻ khác. Hãy tải lại trang này; phiếu đang nhập dở " +
        "sẽ được đề nghị tiếp tục."
      : "Ứng dụng còn mở ở một thẻ hoặc cửa sổ khác với phiên bản cũ: hãy đóng thẻ đó.");
  }

  function start() {
    FA.drafts.setUser(user);
    FA.idb.watch(storageTrouble);
    el("capture-form").addEventListener("submit", onCapture);
    el("close-form").addEventListener("submit", onClose);
    el("report-form").addEventListener("submit", onReport);
    el("report-describe").addEventListener("click", FA.report.describe);
    ["input", "change"].forEach(function (type) {
      el("capture-form").addEventListener(type, onEdited);
      el("close-form").addEventListener(type, onEdited);
      el("report-form").addEventListener(type, onEdited);
    });
    document.querySelectorAll("[data-cancel]").forEach(function (a) {
      a.addEventListener("click", function (event) {
        event.preventDefault();
        FA.drafts.end().then(function () { location.hash = "#/"; });
      });
    });
    // A tap, or opening the page: make sure the server still has every item it receipted.
    el("sync-button").addEventListener("click", function () {
      sync({ force: true, check: true });
    });
    el("unsent-sync").addEventListener("click", function (event) {
      event.preventDefault();
      sync({ force: true, check: true });
    });
    el("export-button").addEventListener("click", exportFile);
    el("unsent-export").addEventListener("click", exportFile);
    el("village-filter").addEventListener("change", render);
    el("child-search").addEventListener("input", render);
    window.addEventListener("hashchange", route);
    window.addEventListener("online", function () { sync({ force: true }); });
    window.addEventListener("offline", render);
    document.addEventListener("visibilitychange", pickedUp);
    if (navigator.serviceWorker) {
      navigator.serviceWorker.addEventListener("message", function (event) {
        if (event.data && event.data.type === "progress") { render(); }
        // The worker replayed on its own (Background Sync): report it as if we had.
        if (event.data && event.data.type === "replayed") { afterReplay(event.data.summary); }
      });
    }
    var asked = location.hash === "#/sync";  // "Đồng bộ ngay" from another page
    if (asked) { history.replaceState(null, "", "#/"); }
    return Promise.all([FA.device.id(), FA.device.persist()]).catch(function () { return null; })
      .then(function () { return FA.packet.forgetOthers(user); })
      .then(function () { return FA.packet.load(user); })
      .then(function (stored) {
        if (stored) { setPacket(stored); }
        return FA.drafts.load();
      }).then(function (draft) {
        // Reopened on a form with a draft waiting: offer the draft, not an empty form.
        if (draft && /^#\/(new|update|close|report|item|fix)\b/.test(location.hash)) {
          history.replaceState(null, "", "#/");
        }
        return route();
      }, failed("Không đọc được dữ liệu trên máy"))
      .then(function () {
        if (navigator.onLine) { return sync({ force: asked, check: true }); }
        return markReady();
      });
  }

  // A logout left pending offline comes first: nothing of the previous user's may show.
  (FA.offline.finishing || Promise.resolve(false)).then(function (leaving) {
    if (!leaving) { start(); }
  });
})(self.FA = self.FA || {});
