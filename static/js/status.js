/* What the capture page says about syncing: how many items wait, when the last sync
 * succeeded, the network (Có mạng, Mạng yếu, Mất kết nối), whether the page is ready to work
 * offline, whether the phone's storage is at risk, why the account may not send, and what a
 * replay's outcome means; and Background Sync. */
(function (FA) {
  "use strict";
  var KEPT = "Phiếu vẫn an toàn trên máy";
  var FULL = 0.8;  // share of the quota above which the phone warns
  var DENIED = {
    password: ["Cần đổi mật khẩu trước khi gửi. " + KEPT + "; đổi xong, phiếu sẽ tự gửi.",
               "/account/password", "Đổi mật khẩu"],
    inactive: ["Tài khoản của bạn đã bị khóa nên chưa gửi được phiếu. " + KEPT + ": hãy liên " +
               "hệ cán bộ xã, hoặc lưu phiếu ra tệp để trao cho cán bộ xã.", null, null],
    role: ["Tài khoản của bạn không còn quyền thu thập nên chưa gửi được phiếu. " + KEPT +
           ": hãy liên hệ cán bộ xã, hoặc lưu phiếu ra tệp để trao cho cán bộ xã.", null, null]
  };

  // Why the phone could not write to its storage, and what the person can do about it.
  var CAUSES = {
    QuotaExceededError: ["bộ nhớ máy đã đầy",
                         "Hãy xóa bớt ảnh, video hoặc ứng dụng không dùng để có chỗ trống"],
    BlockedError: ["ứng dụng còn mở ở một thẻ hoặc cửa sổ khác với phiên bản cũ",
                   "Hãy đóng thẻ hoặc cửa sổ đó"],
    VersionError: ["ứng dụng vừa được cập nhật ở một thẻ khác", "Hãy tải lại trang"]
  };

  function el(id) { return document.getElementById(id); }

  /* [what happened, what to do] for a storage error's name. */
  function cause(name) {
    return CAUSES[name] || ["trình duyệt mất kết nối với bộ nhớ (" + (name || "lỗi") + ")",
                            "Hãy tải lại trang"];
  }

  /* A date's day on the phone's clock, YYYY-MM-DD (today's if none is given). */
  function localDay(value) {
    var d = value ? new Date(value) : new Date();
    return d.getFullYear() + "-" + String(d.getMonth() + 1).padStart(2, "0") + "-" +
      String(d.getDate()).padStart(2, "0");
  }

  function network() {
    if (!navigator.onLine) { return ["Mất kết nối", "offline"]; }
    return FA.replay.state.network === "weak" ? ["Mạng yếu", "weak"] : ["Có mạng", "online"];
  }

  /* [text, link, link text] for a refusal of the account (`denied`: {code, detail}). */
  function denial(denied) {
    return DENIED[denied.code] || [(denied.detail || "Máy chủ từ chối tài khoản này.") + " " +
                                   KEPT + ".", null, null];
  }

  function storageWarning(storage) {
    if (!storage) { return ""; }
    var used = storage.quota ? storage.usage / storage.quota : 0;
    if (used > FULL) {
      return "Bộ nhớ dành cho ứng dụng đã dùng " + Math.round(used * 100) + "%: hãy đồng bộ " +
        "ngay và xóa bớt ảnh, video không cần trên máy, kẻo không lưu được phiếu mới.";
    }
    if (storage.persisted === false) {
      return "Trình duyệt chưa cam kết giữ dữ liệu của ứng dụng: khi máy thiếu bộ nhớ, phiếu " +
        "chưa gửi có thể bị xóa. Hãy đồng bộ mỗi khi có sóng; cài ứng dụng vào màn hình chính " +
        "giúp giữ dữ liệu.";
    }
    return "";
  }

  function show(items, user) {
    el("waiting-count").textContent = FA.outbox.pending(items).length;  // "Cần sửa" too
    var net = network();
    el("network").textContent = net[0];
    el("network").className = "tag " + net[1];
    return Promise.all([FA.outbox.meta("lastSync:" + user), FA.outbox.meta("login"),
                        FA.outbox.meta("denied"), FA.outbox.meta("storage")])
      .then(function (values) {
        el("last-sync").textContent = values[0] ? FA.lists.when(values[0]) : "chưa có";
        el("login-needed").hidden = !(values[1] && values[1].needed);
        var problem = values[2] ? denial(values[2]) : null;
        el("account-problem").hidden = !problem;
        if (problem) {
          el("account-problem-text").textContent = problem[0];
          el("account-problem-link").hidden = !problem[1];
          el("account-problem-link").href = problem[1] || "#/";
          el("account-problem-link").textContent = problem[2] || "";
        }
        var risk = storageWarning(values[3]);
        el("storage-warning").hidden = !risk;
        el("storage-warning").textContent = risk;
      });
  }

  function seconds(ms) {
    return ms >= 60000 ? Math.round(ms / 60000) + " phút" : Math.round(ms / 1000) + " giây";
  }

  function later(summary) {
    return summary.retryIn ? "; sẽ thử lại sau " + seconds(summary.retryIn) : "";
  }

  /* A replay's outcome in words (null for one that did nothing to tell). */
  function message(summary) {
    if (summary.status === "done" || summary.status === "partial") {
      var parts = [];
      if (summary.sent) { parts.push("Đã gửi " + summary.sent + " phiếu."); }
      if (summary.resent) {
        parts.push("Máy chủ không còn " + summary.resent + " phiếu đã gửi trước đây (có thể " +
                   "vừa khôi phục dữ liệu): máy đã gửi lại.");
      }
      if (summary.invalid) { parts.push(summary.invalid + " phiếu cần sửa."); }
      if (summary.conflicts) { parts.push(summary.conflicts + " phiếu xung đột, chờ cán bộ xã."); }
      var stuck = summary.failed + summary.held + summary.later;
      if (stuck) {
        parts.push("Máy chủ chưa nhận được " + stuck + " phiếu. " + KEPT + later(summary) + ".");
      }
      return parts.join(" ") || "Đã đồng bộ.";
    }
    if (summary.status === "login") { return "Cần đăng nhập lại để gửi phiếu. " + KEPT + "."; }
    if (summary.status === "denied") { return denial(summary.denied || {})[0]; }
    if (summary.status === "offline") { return "Mất kết nối. " + KEPT + later(summary) + "."; }
    if (summary.status === "weak") {
      return "Mạng yếu: máy chủ không trả lời sau 20 giây. " + KEPT + later(summary) + ".";
    }
    if (summary.status === "server") {
      return "Máy chủ chưa nhận được. " + KEPT + later(summary) + ".";
    }
    if (summary.status === "storage") {
      var why = cause(summary.error);
      return "Chưa ghi được vào bộ nhớ máy: " + why[0] + ". Phiếu chưa gửi vẫn còn trên máy " +
        "và sẽ được gửi lại (máy chủ nhận ra phiếu đã có). " + why[1] + ".";
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

  FA.status = {
    localDay: localDay, show: show, message: message, markReady: markReady,
    askBackgroundSync: askBackgroundSync, cause: cause
  };
})(self.FA = self.FA || {});
