/* Replay: send the logged-in user's waiting items one at a time, oldest first.
 *
 * The same code runs in the page (on load, on `online`, on the Đồng bộ button) and in the
 * service worker (on Background Sync's `sync`); a Web Lock lets only one run at a time.
 * Before sending, a fresh CSRF token comes from GET /api/v1/session — a token saved days ago
 * never decides whether data is lost. Answers are classified strictly:
 *   200 with this item's result — accepted/duplicate: receipt, the item leaves the outbox;
 *                                 invalid: "Cần sửa" with the errors; conflict: kept aside;
 *   401 — stop, keep everything, ask to log in again;
 *   400/413/415/422 — that item is "Cần sửa", go on with the rest;
 *   anything else (5xx, 404, 429, a captive portal's 200 page, no network) — stop, keep
 *   everything, back off (5 s, doubling, at most 5 minutes). */
(function (FA) {
  "use strict";
  var outbox = FA.outbox;
  var LOCK = "fieldapp-replay";
  var TIMEOUT_MS = 30000;
  var FIRST_DELAY = 5000;
  var MAX_DELAY = 300000;
  var ITEM_ERRORS = { 400: true, 413: true, 415: true, 422: true };

  function request(url, options) {
    var controller = new AbortController();
    var timer = setTimeout(function () { controller.abort(); }, TIMEOUT_MS);
    var init = Object.assign({
      credentials: "same-origin", cache: "no-store", redirect: "manual",
      signal: controller.signal, headers: { Accept: "application/json" }
    }, options || {});
    return fetch(url, init).then(function (response) {
      var json = (response.headers.get("Content-Type") || "").indexOf("json") >= 0;
      return (json ? response.json() : Promise.resolve(null)).catch(function () { return null; })
        .then(function (body) { return { status: response.status, body: body }; });
    }).finally(function () { clearTimeout(timer); });
  }

  function session() { return request("/api/v1/session"); }

  function send(item, csrf) {
    return request("/api/v1/submissions", {
      method: "POST",
      headers: { Accept: "application/json", "Content-Type": "application/json",
                 "X-CSRFToken": csrf || "" },
      body: JSON.stringify({ submissions: [outbox.payload(item)] })
    });
  }

  function backOff(reason, summary) {
    return outbox.meta("backoff").then(function (previous) {
      var delay = previous ? Math.min(previous.delay * 2, MAX_DELAY) : FIRST_DELAY;
      return outbox.setMeta("backoff", { delay: delay, until: Date.now() + delay })
        .then(function () {
          return Object.assign(summary || {}, { status: reason, retryIn: delay });
        });
    });
  }

  /* The result for this very item, or null when the answer is not the server's (a portal). */
  function resultOf(answer, item) {
    var results = answer.body && answer.body.results;
    var result = Array.isArray(results) && results.length === 1 ? results[0] : null;
    return result && result.uuid === item.uuid ? result : null;
  }

  /* `stamp` is the item's revision when it left: answers only ever apply to that content. */
  function record(item, result, summary, stamp) {
    if (result.status === "accepted" || result.status === "duplicate") {
      summary.sent += 1;
      return outbox.receipted(item, result, stamp);
    }
    if (result.status === "conflict") {
      summary.conflicts += 1;
      return outbox.settle(item.uuid, stamp, { state: "conflict", receipt: result.receipt });
    }
    summary.invalid += 1;
    return outbox.settle(item.uuid, stamp, { state: "invalid", errors: result.errors || {},
                                             warnings: result.warnings || {} });
  }

  function itemRefused(item, answer, summary, stamp) {
    summary.invalid += 1;
    var body = answer.body || {};
    var errors = Object.keys(body.errors || {}).length ? body.errors
      : { _: [body.detail || "Máy chủ không nhận phiếu này."] };
    return outbox.settle(item.uuid, stamp, { state: "invalid", errors: errors });
  }

  /* Send one item (as it is now in the outbox); resolve with "next" to go on, or with the
   * reason to stop. */
  function one(listed, auth, summary, retried) {
    var item = null;
    var stamp = null;
    return outbox.update(listed.uuid, { state: "sending", attempts: (listed.attempts || 0) + 1 })
      .then(function (sending) {
        if (!sending) { return { gone: true }; }  // discarded meanwhile
        item = sending;
        stamp = sending.revision;
        if (auth.progress) { auth.progress(sending); }
        return send(sending, auth.csrf);
      })
      .then(function (answer) {
        if (answer.gone) { return "next"; }
        var result = answer.status === 200 ? resultOf(answer, item) : null;
        if (result) {
          return record(item, result, summary, stamp).then(function () { return "next"; });
        }
        var code = answer.body && answer.body.code;
        if (answer.status === 403 && code === "csrf" && !retried) {
          return session().then(function (fresh) {
            auth.csrf = fresh.body && fresh.body.csrf_token;
            return one(listed, auth, summary, true);
          });
        }
        if (ITEM_ERRORS[answer.status]) {
          return itemRefused(item, answer, summary, stamp).then(function () { return "next"; });
        }
        return outbox.settle(item.uuid, stamp, { state: "saved" }).then(function () {
          return answer.status === 401 || answer.status === 0 ? "login" : "server";
        });
      }, function () {
        return outbox.settle(listed.uuid, stamp, { state: "saved" }).then(function () {
          return "offline";
        });
      });
  }

  function sendAll(items, auth, summary) {
    var index = 0;
    function step() {
      if (index >= items.length) { return Promise.resolve("done"); }
      var item = items[index++];
      return one(item, auth, summary, false).then(function (outcome) {
        return outcome === "next" ? step() : outcome;
      });
    }
    return step();
  }

  function finish(user, summary) {
    var stamp = new Date().toISOString();
    return Promise.all([
      outbox.setMeta("backoff", null), outbox.setMeta("login", null),
      outbox.setMeta("lastSync:" + user, stamp)
    ]).then(function () { return pull(user); })
      .catch(function () { return null; })  // the review states can wait for the next sync
      .then(function () { return Object.assign(summary, { status: "done", at: stamp }); });
  }

  /* Everything stays; the page asks the user to log in again. */
  function needLogin(summary) {
    return outbox.setMeta("login", { needed: true }).then(function () {
      return Object.assign(summary, { status: "login" });
    });
  }

  function attempt(options) {
    var summary = { sent: 0, invalid: 0, conflicts: 0 };
    return outbox.meta("backoff").then(function (backoff) {
      if (!options.force && backoff && backoff.until > Date.now()) {
        return { status: "waiting", retryIn: backoff.until - Date.now() };
      }
      return session().then(function (answer) {
        if (answer.status === 401 || answer.status === 0) { return needLogin(summary); }
        var body = answer.body;
        if (answer.status !== 200 || !body || !body.user) { return backOff("server", summary); }
        var user = String(body.user.id);
        var auth = { csrf: body.csrf_token, progress: options.progress };
        return outbox.waiting(user).then(function (items) {
          return sendAll(items, auth, summary);
        }).then(function (outcome) {
          summary.user = user;
          if (outcome === "done") { return finish(user, summary); }
          return outcome === "login" ? needLogin(summary) : backOff(outcome, summary);
        });
      }, function () { return backOff("offline", summary); });
    });
  }

  /* Run a replay unless one is already running (then answer "busy").
   * options: force (ignore the back-off), progress(item) (called as each item leaves). */
  function run(options) {
    options = options || {};
    if (!self.navigator.locks) { return attempt(options); }
    return self.navigator.locks.request(LOCK, { ifAvailable: true }, function (lock) {
      return lock ? attempt(options) : { status: "busy" };
    });
  }

  /* The server's view of this user's submissions (receipts, review states, notes). */
  function pull(user) {
    var key = "feed:" + user;
    return outbox.meta(key).then(function (cursor) {
      var url = "/api/v1/submissions" + (cursor ? "?since=" + encodeURIComponent(cursor) : "");
      return request(url).then(function (answer) {
        if (answer.status !== 200 || !answer.body) { return null; }
        return merge(user, answer.body.submissions || []).then(function () {
          return outbox.setMeta(key, answer.body.cursor);
        });
      });
    });
  }

  var FINAL = { approved: true, rejected: true, superseded: true };

  function merge(user, submissions) {
    return FA.idb.transact(["sent", "outbox"], "readwrite", function (sent, box) {
      submissions.forEach(function (s) {
        sent.put(Object.assign({}, s, { user: user }));
        if (FINAL[s.state]) {
          box.get(s.uuid).onsuccess = function (e) {
            var item = e.target.result;
            // A conflict was kept aside by the server; once decided, the phone can let go.
            if (item && item.state === "conflict") { box.delete(s.uuid); }
          };
        }
      });
    });
  }

  FA.replay = { run: run, session: session, request: request };
})(self.FA = self.FA || {});
