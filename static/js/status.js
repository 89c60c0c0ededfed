/* What the capture page says about syncing: how many items wait, when the last sync
 * succeeded, whether the page is ready to work offline, what a replay's outcome means; and the
 * two things it asks of the browser (Background Sync, a file of the unsent items). */
(function (FA) {
  "use strict";
  var COUNTED = { saved: true, sending: true, invalid: true };  // what "waiting" counts
  var KEPT = "Phiếu vẫn an toàn trên máy";

  function el(id) { return document.getElementById(id); }

  /* A date's day on the phone's clock, YYYY-MM-DD (today's if none is given). */
  function localDay(value) {
    var d = value ? new Date(value) : new Date();
    return d.getFullYear() + "-" + String(d.getMonth() + 1).padStart(2, "0") + "-" +
      String(d.getDate()).padStart(2, "0");
  }

  function show(items, user) {
    el("waiting-count").textContent = items.filter(function (i) { return COUNTED[i.state]; }).length;
    el("network").textContent = navigator.onLine ? "Có mạng" : "Mất kết nối";
    el("network").className = "tag " + (navigator.onLine ? "online" : "offline");
    return Promise.all([FA.outbox.meta("lastSync:" + user), FA.outbox.meta("login")])
      .then(function (values) {
        el("last-sync").textContent = values[0] ? FA.lists.when(values[0]) : "chưa có";
        el("login-needed").hidden = !(values[1] && values[1].needed);
      });
  }

  function seconds(ms) { return Math.round(ms / 1000) + " giây"; }

  /* A replay's outcome in words (null for one that did nothing to tell). */
  function message(summary) {
    if (summary.status === "done") {
      var parts = [];
      if (summary.sent) { parts.push("Đã gửi " + summary.sent + " phiếu."); }
      if (summary.invalid) { parts.push(summary.invalid + " phiếu cần sửa."); }
      if (summary.conflicts) { parts.push(summary.conflicts + " phiếu xung đột, chờ cán bộ xã."); }
      return parts.join(" ") || "Đã đồng bộ.";
    }
    if (summary.status === "login") { return "Cần đăng nhập lại để gửi phiếu. " + KEPT + "."; }
    if (summary.status === "offline") {
      return "Mất kết nối. " + KEPT + "; sẽ thử lại sau " + seconds(summary.retryIn) + ".";
    }
    if (summary.status === "server") {
      return "Máy chủ chưa nhận được. " + KEPT + "; sẽ thử lại sau " + seconds(summary.retryIn) +
        ".";
    }
    if (summary.status === "waiting") { return "Sẽ thử gửi lại sau " + seconds(summary.retryIn) + "."; }
    return null;
  }

  /* "Sẵn sàng dùng khi mất mạng" once the worker runs and keeps the page, and a packet is here. */
  function markReady(hasPacket) {
    if (!hasPacket || !window.caches || !navigator.serviceWorker) { return null; }
    return navigator.serviceWorker.ready.then(function () {
      return caches.match("/collect");
    }).then(function (hit) { el("offline-ready").hidden = !hit; });
  }

  function askBackgroundSync() {
    if (!navigator.serviceWorker) { return; }
    navigator.serviceWorker.ready.then(function (registration) {
      return registration.sync && registration.sync.register("fieldapp-outbox");
    }).catch(function () { return null; });
  }

  /* Save this user's unsent items to a JSON file the commune officer can import. */
  function exportFile(user, username) {
    return FA.outbox.list(user).then(function (items) {
      var body = { format: "fieldapp-outbox", version: 1, exported_at: new Date().toISOString(),
                   user: { id: user, username: username },
                   submissions: items.map(FA.outbox.payload) };
      var blob = new Blob([JSON.stringify(body, null, 1)], { type: "application/json" });
      var a = document.createElement("a");
      a.href = URL.createObjectURL(blob);
      a.download = "phieu-chua-gui-" + username + "-" + localDay() + ".json";
      document.body.append(a);
      a.click();
      setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
      return "Đã lưu " + items.length + " phiếu ra tệp. Tệp có thông tin riêng của trẻ: chỉ " +
        "trao trực tiếp cho cán bộ xã và xóa sau khi đã nhập.";
    });
  }

  FA.status = {
    localDay: localDay, show: show, message: message, markReady: markReady,
    askBackgroundSync: askBackgroundSync, exportFile: exportFile
  };
})(self.FA = self.FA || {});
