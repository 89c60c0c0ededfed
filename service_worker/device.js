/* This phone as the commune sees it: a stable device id made here, whether the browser keeps
 * our storage (persisted) and how full it is, and the status the replay reports after each
 * sync (PUT /api/v1/device), so that the commune officer learns of a phone at risk.
 *
 * The id lives in IndexedDB and, on pages, in a cookie too: when the browser evicts the
 * storage of a full phone, the cookie survives, the same id comes back with fewer items than
 * before, and the server can tell that items were lost. */
(function (FA) {
  "use strict";
  var COOKIE = "fieldapp_device";
  var page = typeof document !== "undefined";

  function fromCookie() {
    var found = document.cookie.split("; ").filter(function (c) {
      return c.indexOf(COOKIE + "=") === 0;
    })[0];
    return found ? found.slice(COOKIE.length + 1) : null;
  }

  /* The device id (pages only: made when missing, kept in both places). */
  function id() {
    return FA.outbox.meta("device").then(function (stored) {
      var cookie = fromCookie();
      var value = stored || cookie || self.crypto.randomUUID();
      if (cookie !== value) {
        document.cookie = COOKIE + "=" + value + "; max-age=315360000; path=/; samesite=strict" +
          (location.protocol === "https:" ? "; secure" : "");
      }
      return stored === value ? value : FA.outbox.setMeta("device", value).then(function () {
        return value;
      });
    });
  }

  /* {persisted, usage, quota}, nulls where the browser cannot say. */
  function storage() {
    var manager = self.navigator.storage;
    var unknown = { persisted: null, usage: null, quota: null };
    if (!manager || !manager.estimate) { return Promise.resolve(unknown); }
    return Promise.all([manager.persisted ? manager.persisted() : null, manager.estimate()])
      .then(function (r) {
        return { persisted: r[0], usage: r[1].usage, quota: r[1].quota };
      }, function () { return unknown; });
  }

  /* Ask the browser to keep our storage (pages only), and remember what it said. */
  function persist() {
    var manager = navigator.storage;
    var asked = manager && manager.persist
      ? manager.persisted().then(function (yes) { return yes || manager.persist(); })
      : Promise.resolve(null);
    return asked.catch(function () { return null; }).then(storage).then(function (status) {
      status.checked_at = new Date().toISOString();
      return FA.outbox.setMeta("storage", status).then(function () { return status; });
    });
  }

  /* What the replay sends after a sync: nothing when this phone has no id yet. */
  function status(user) {
    return Promise.all([FA.outbox.meta("device"), FA.outbox.list(user),
                        FA.outbox.meta("discarded:" + user), storage()]).then(function (r) {
      if (!r[0]) { return null; }
      var pending = FA.outbox.pending(r[1]);
      var oldest = pending.reduce(function (min, item) {
        return !min || item.captured_at < min ? item.captured_at : min;
      }, null);
      return {
        device_id: r[0], app_version: FA.version || (self.FA_CONFIG || {}).version || "",
        pending: pending.length, oldest_pending_at: oldest, persisted: r[3].persisted,
        usage_bytes: r[3].usage, quota_bytes: r[3].quota, discarded: r[2] || 0
      };
    });
  }

  FA.device = { id: page ? id : null, storage: storage, persist: persist, status: status };
})(self.FA = self.FA || {});
