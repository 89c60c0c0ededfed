/* On every page of a village head or collaborator, and on the offline page: install the
 * service worker, ask the browser to keep our storage, warn of items unsent for days, and
 * guard the logout button.
 *
 * Logout wipes the cached capture page, this user's packet and receipts — never the unsent
 * items or a half-filled form, which stay (invisible to whoever logs in next) until their
 * author logs in again. Logout first says what it leaves behind, and, with no network, that
 * logging in again needs the network. */
(function (FA) {
  "use strict";
  var OLD_DAYS = 3;

  function el(id) { return document.getElementById(id); }

  /* A saved time's day as the pages show dates: dd/mm/yyyy, in Vietnam's time (UTC+7). */
  function vietnamDay(iso) {
    var d = new Date(new Date(iso).getTime() + 7 * 3600000);
    return String(d.getUTCDate()).padStart(2, "0") + "/" +
      String(d.getUTCMonth() + 1).padStart(2, "0") + "/" + d.getUTCFullYear();
  }

  function register() {
    if (!("serviceWorker" in navigator)) { return Promise.resolve(null); }
    return navigator.serviceWorker.register("/sw.js", { scope: "/" }).then(function (reg) {
      // A newly deployed version is picked up whenever a page opens with a network.
      if (navigator.onLine) { reg.update().catch(function () { return null; }); }
      nudge(reg);
      return reg;
    }).catch(function () { return null; });
  }

  /* A new version that waits is asked again to take over. It asks itself once installed, but
   * Chromium can leave it waiting when this page's requests restart the old worker in the
   * middle of the hand-over; asking again retries the hand-over. */
  function nudge(reg) {
    var tries = 0;
    function ask() {
      if (!reg.waiting || tries++ >= 10) { return; }
      reg.waiting.postMessage({ type: "skip-waiting" });
      setTimeout(ask, 3000);
    }
    reg.addEventListener("updatefound", function () {
      var worker = reg.installing;
      if (!worker) { return; }
      worker.addEventListener("statechange", function () {
        if (worker.state === "installed") { tries = 0; setTimeout(ask, 1000); }
      });
    });
    ask();
  }

  function currentUser() {
    var meta = document.querySelector('meta[name="fieldapp-user"]');
    return meta ? meta.content : null;
  }

  function make(tag, text, className) {
    var node = document.createElement(tag);
    node.textContent = text;
    if (className) { node.className = className; }
    return node;
  }

  /* Save this user's unsent items to a JSON file the commune officer can import; resolves
   * with what to tell the user. */
  function exportFile(user, username, items) {
    var listed = items ? Promise.resolve(items) : FA.outbox.list(user);
    return listed.then(function (found) {
      var day = new Date().toISOString().slice(0, 10);
      var body = { format: "fieldapp-outbox", version: 1, exported_at: new Date().toISOString(),
                   user: { id: user, username: username },
                   submissions: found.map(FA.outbox.payload) };
      var blob = new Blob([JSON.stringify(body, null, 1)], { type: "application/json" });
      var a = document.createElement("a");
      a.href = URL.createObjectURL(blob);
      a.download = "phieu-chua-gui-" + username + "-" + day + ".json";
      document.body.append(a);
      a.click();
      setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
      return "Đã lưu " + found.length + " phiếu ra tệp. Tệp có thông tin riêng của trẻ: chỉ " +
        "trao trực tiếp cho cán bộ xã và xóa sau khi đã nhập.";
    });
  }

  /* Items saved on this phone more than OLD_DAYS days ago and still not with the server. */
  function banner(user) {
    var box = el("unsent-banner");
    if (!box || !user) { return Promise.resolve(); }
    var limit = new Date(Date.now() - OLD_DAYS * 86400000).toISOString();
    return FA.outbox.list(user).then(function (items) {
      var old = FA.outbox.pending(items).filter(function (i) { return i.created_at < limit; });
      box.hidden = !old.length;
      if (!old.length) { return; }
      var first = vietnamDay(old[0].created_at);
      el("unsent-text").textContent = old.length + " phiếu đã lưu trên máy hơn " + OLD_DAYS +
        " ngày mà chưa gửi được (phiếu cũ nhất lưu ngày " + first + "). Khi có sóng, hãy bấm " +
        "Đồng bộ ngay. Nếu vẫn không gửi được, hãy lưu phiếu ra tệp và trao tận tay cán bộ xã.";
    }).catch(function () { return null; });
  }

  function wipe(user) {
    var jobs = [FA.outbox.forgetUser(user)];
    if (window.caches) { jobs.push(caches.delete("fieldapp-pages")); }
    return Promise.all(jobs).catch(function () { return null; });
  }

  /* What logging out leaves behind, and what it means with no network; `proceed` logs out. */
  function warning(what, proceed) {
    var box = el("logout-warning");
    if (box) { box.remove(); }
    box = make("div", "", "alert logout-warning");
    box.id = "logout-warning";
    box.setAttribute("role", "alertdialog");
    box.setAttribute("aria-labelledby", "logout-warning-text");
    var parts = [];
    if (what.offline) {
      parts.push("Máy đang không có mạng. Sau khi đăng xuất, phải có mạng mới đăng nhập lại " +
                 "được; từ giờ đến lúc đó không thu thập được.");
    }
    if (what.count) {
      parts.push("Còn " + what.count + " phiếu chưa gửi lên máy chủ. Phiếu vẫn được giữ an " +
        "toàn trên máy này và sẽ tự gửi khi bạn đăng nhập lại. Người khác đăng nhập trên máy " +
        "này không xem được các phiếu đó.");
    }
    if (what.draft) { parts.push("Phiếu đang nhập dở cũng được giữ lại cho bạn."); }
    var text = make("p", parts.join(" "));
    text.id = "logout-warning-text";
    var actions = make("div", "", "actions");
    if (what.count && !what.offline) {  // syncing needs the network
      var sync = make("a", "Đồng bộ trước", "button primary");
      sync.href = "/collect";
      actions.append(sync);
    }
    var stay = make("button", "Ở lại");
    stay.type = "button";
    stay.addEventListener("click", function () { box.remove(); });
    actions.append(stay);
    var go = make("button", "Vẫn đăng xuất", "danger");
    go.type = "button";
    go.addEventListener("click", proceed);
    actions.append(go);
    box.append(text, actions);
    el("main").prepend(box);
    go.focus();
  }

  function guardLogout() {
    var form = document.querySelector("form.logout");
    var user = currentUser();
    if (!form || !user) { return; }
    form.addEventListener("submit", function (event) {
      if (form.dataset.confirmed) { return; }
      event.preventDefault();
      function proceed() {
        form.dataset.confirmed = "1";
        wipe(user).then(function () {
          if (navigator.onLine) { form.submit(); return null; }
          // No network: the phone forgets now; the server's session ends on the next page
          // opened online (finishLogout), before anyone can use it.
          return FA.outbox.setMeta("logout", { user: user }).then(function () {
            location.replace("/offline");
          });
        });
      }
      var offline = !navigator.onLine;
      Promise.all([FA.outbox.list(user), FA.outbox.meta("draft:" + user)]).then(function (r) {
        var count = FA.outbox.pending(r[0]).length;
        if (!count && !r[1] && !offline) { proceed(); return; }
        warning({ count: count, draft: Boolean(r[1]), offline: offline }, proceed);
      }, function () { warning({ offline: offline }, proceed); });
    });
  }

  /* A logout made with no network: end the server's session now, then show the login page. */
  function finishLogout() {
    var user = currentUser();
    if (!user || !navigator.onLine) { return Promise.resolve(false); }
    return FA.outbox.meta("logout").then(function (pending) {
      if (!pending || pending.user !== user) { return false; }
      return FA.replay.session().then(function (answer) {
        if (answer.status !== 200 || !answer.body) { return null; }
        var body = new URLSearchParams({ csrf_token: answer.body.csrf_token });
        return FA.replay.request("/logout", { method: "POST", body: body });
      }).then(function () {
        return FA.outbox.setMeta("logout", null);
      }).then(function () {
        location.replace("/login");
        return true;
      });
    }).catch(function () { return false; });
  }

  /* The offline page after a logout with no network: say so, and what to do; no loop back. */
  function offlinePage() {
    var note = el("offline-note");
    if (!note) { return; }
    FA.outbox.meta("logout").then(function (pending) {
      if (!pending) { return; }
      el("offline-title").textContent = "Đã đăng xuất";
      note.textContent = "Bạn đã đăng xuất khi máy không có mạng. Cần có mạng để đăng nhập " +
        "lại; các phiếu chưa gửi vẫn an toàn trên máy và sẽ tự gửi sau khi bạn đăng nhập.";
      var action = el("offline-action");
      action.href = "/login";
      action.textContent = "Đăng nhập";
      function show() {
        action.hidden = !navigator.onLine;
        el("offline-wait").hidden = navigator.onLine;
      }
      show();
      window.addEventListener("online", show);
      window.addEventListener("offline", show);
    }).catch(function () { return null; });
  }

  /* The banner's buttons on a page other than the capture page (which has its own). */
  function bannerButtons(user) {
    var box = el("unsent-banner");
    if (!box || !user) { return; }
    el("unsent-export").addEventListener("click", function () {
      exportFile(user, box.dataset.username).then(function (text) {
        el("unsent-text").textContent = text;
      }, function () {
        el("unsent-text").textContent = "Chưa lưu được tệp: hãy mở trang thu thập và thử lại.";
      });
    });
  }

  function start() {
    var user = currentUser();
    FA.offline.finishing = finishLogout();
    guardLogout();
    offlinePage();
    if (!el("collect")) {  // the capture page shows the banner with its own lists
      bannerButtons(user);
      banner(user);
    }
    register();
  }

  FA.offline = { exportFile: exportFile, banner: banner };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})(self.FA = self.FA || {});
