/* On every page of a village head or collaborator: install the service worker, ask the
 * browser to keep our storage, and guard the logout button.
 *
 * Logout wipes the cached capture page, this user's packet and receipts — never the unsent
 * items, which stay (invisible to whoever logs in next) until their author logs in again.
 * With unsent items, logout first says so and offers to sync. */
(function (FA) {
  "use strict";

  function register() {
    if (!("serviceWorker" in navigator)) { return Promise.resolve(null); }
    return navigator.serviceWorker.register("/sw.js", { scope: "/" }).then(function (reg) {
      // A newly deployed version is picked up whenever a page opens with a network.
      if (navigator.onLine) { reg.update().catch(function () { return null; }); }
      return reg;
    }).catch(function () { return null; });
  }

  function persist() {
    if (navigator.storage && navigator.storage.persist) {
      return navigator.storage.persisted().then(function (yes) {
        return yes || navigator.storage.persist();
      }).catch(function () { return false; });
    }
    return Promise.resolve(false);
  }

  function currentUser() {
    var meta = document.querySelector('meta[name="fieldapp-user"]');
    return meta ? meta.content : null;
  }

  function unsent(user) {
    return FA.outbox.list(user).then(function (items) { return items.length; });
  }

  function wipe(user) {
    var jobs = [FA.outbox.forgetUser(user)];
    if (window.caches) { jobs.push(caches.delete("fieldapp-pages")); }
    return Promise.all(jobs).catch(function () { return null; });
  }

  function warning(count, proceed) {
    var box = document.getElementById("logout-warning");
    if (box) { box.remove(); }
    box = document.createElement("div");
    box.id = "logout-warning";
    box.className = "alert logout-warning";
    box.setAttribute("role", "alertdialog");
    box.setAttribute("aria-labelledby", "logout-warning-text");
    var text = document.createElement("p");
    text.id = "logout-warning-text";
    text.textContent = "Còn " + count + " phiếu chưa gửi lên máy chủ. Phiếu vẫn được giữ an " +
      "toàn trên máy này và sẽ tự gửi khi bạn đăng nhập lại. Người khác đăng nhập trên máy " +
      "này không xem được các phiếu đó.";
    var sync = document.createElement("a");
    sync.className = "button primary";
    sync.href = "/collect";
    sync.textContent = "Đồng bộ trước";
    var go = document.createElement("button");
    go.type = "button";
    go.className = "danger";
    go.textContent = "Vẫn đăng xuất";
    go.addEventListener("click", proceed);
    var actions = document.createElement("div");
    actions.className = "actions";
    actions.append(sync, go);
    box.append(text, actions);
    document.getElementById("main").prepend(box);
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
      unsent(user).then(function (count) {
        if (count) { warning(count, proceed); } else { proceed(); }
      }, proceed);
    });
  }

  /* A logout made with no network: end the server's session now, then show the login page. */
  function finishLogout() {
    var user = currentUser();
    if (!user || !navigator.onLine) { return Promise.resolve(false); }
    return FA.outbox.meta("logout").then(function (pending) {
      if (!pending || pending.user !== user) { return false; }
      return FA.replay.session().then(function (answer) {
        if (answer.status !== 200 || !answer.body) { return FA.outbox.setMeta("logout", null); }
        var body = new URLSearchParams({ csrf_token: answer.body.csrf_token });
        return fetch("/logout", { method: "POST", body: body, credentials: "same-origin",
                                  redirect: "manual" });
      }).then(function () {
        return FA.outbox.setMeta("logout", null);
      }).then(function () {
        location.replace("/login");
        return true;
      });
    }).catch(function () { return false; });
  }

  function start() {
    FA.offline.finishing = finishLogout();
    guardLogout();
    register();
  }

  FA.offline = { persist: persist };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})(self.FA = self.FA || {});
