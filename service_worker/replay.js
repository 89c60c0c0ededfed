/* Replay: send the logged-in user's waiting items, one per request, oldest first.
 *
 * The same code runs in the page (on load, on `online`, when the phone is picked up again, on
 * the Đồng bộ button) and in the service worker (on Background Sync's `sync`); a Web Lock lets
 * only one run at a time. Before sending, a fresh CSRF token comes from GET /api/v1/session —
 * a token saved days ago never decides whether data is lost. Every request is abandoned after
 * 20 s: coverage that connects but never answers is "weak", never a page that spins forever.
 * Answers are classified strictly:
 *   200 with this item's result — accepted/duplicate: receipt, the item leaves the outbox (if
 *       what is stored is still what was sent); invalid: "Cần sửa"; conflict: kept aside;
 *   401 — stop, keep everything, ask to log in again;
 *   403 — CSRF: a fresh token, once; otherwise the account may not send (a password to change,
 *       the account locked, another role): stop, keep everything, say why (`denied`);
 *   400/413/415/422 — that item is "Cần sửa", go on with the rest;
 *   5xx, 404, 429, a captive portal's page, no answer, no network — that item backs off on its
 *       own (5 s, doubling, at most 5 minutes); items that do not depend on it go on, items
 *       that do (the same child, the same new household) wait for it, in order. Two network
 *       failures in a row stop the run: then it is the network, not the item.
 * A failure to record an answer on the phone stops the run and is reported ("storage"), never
 * taken for success. After a run that reached the server the phone reads the feed of its
 * submissions, page after page, and reports its status.
 *
 * A server restored from an older backup may have lost items it once receipted: receipted
 * items stay on the phone until the feed tells their decision. A run with `check` (opening
 * /collect, the Đồng bộ button) walks the feed's default answer, which holds every submission
 * not yet decided; an undecided item missing from a complete walk goes back to the outbox and
 * is sent again, same UUID. A walk with a page that failed concludes nothing. */
(function (FA) {
  "use strict";
  var outbox = FA.outbox;
  var LOCK = "fieldapp-replay";
  var FIRST_DELAY = 5000;
  var MAX_DELAY = 300000;
  var ITEM_ERRORS = { 400: true, 413: true, 415: true, 422: true };
  var NETWORK = { offline: true, weak: true };
  var MAX_PAGES = 1000;  // a feed that never ends is a server's fault: stop, conclude nothing
  var WINDOW_MS = 25 * 86400000;  // a cursor younger than this: the default answer covers it
  var KEEP_DECIDED_MS = 30 * 86400000;  // decided receipts shown this long, then forgotten
  var state = { timeout: 20000, network: null };  // network: what the last request met

  function named(name, message) {
    var error = new Error(message);
    error.name = name;
    return error;
  }

  /* A failure of the network, as opposed to one of the phone's own storage. */
  function networkFailure(error) {
    return error && (error.name === "TypeError" || error.name === "TimeoutError");
  }

  /* What a network failure is called: "weak" when nothing answered in time, else "offline". */
  function networkReason(error) { return error.name === "TimeoutError" ? "weak" : "offline"; }

  function request(url, options) {
    var controller = new AbortController();
    var late = false;
    var timer = setTimeout(function () { late = true; controller.abort(); }, state.timeout);
    var init = Object.assign({
      credentials: "same-origin", cache: "no-store", redirect: "manual",
      signal: controller.signal, headers: { Accept: "application/json" }
    }, options || {});
    return fetch(url, init).then(function (response) {
      var json = (response.headers.get("Content-Type") || "").indexOf("json") >= 0;
      return (json ? response.json() : Promise.resolve(null)).catch(function () {
        if (late) { throw named("TimeoutError", "no answer in time"); }
        return null;
      }).then(function (body) { return { status: response.status, body: body }; });
    }).then(function (answer) {
      state.network = "online";
      return answer;
    }, function (error) {
      state.network = late ? "weak" : "offline";
      throw late ? named("TimeoutError", "no answer in time") : error;
    }).finally(function () { clearTimeout(timer); });
  }

  function session() { return request("/api/v1/session"); }

  function send(item, auth) {
    return request("/api/v1/submissions", {
      method: "POST",
      headers: { Accept: "application/json", "Content-Type": "application/json",
                 "X-CSRFToken": auth.csrf || "" },
      body: JSON.stringify({ submissions: [outbox.payload(item)], device_id: auth.device })
    });
  }

  function backOff(reason, summary) {
    return outbox.meta("backoff").then(function (previous) {
      var delay = previous ? Math.min(previous.delay * 2, MAX_DELAY) : FIRST_DELAY;
      return outbox.setMeta("backoff", { delay: delay, until: Date.now() + delay })
        .then(function () {
          return Object.assign(summary, { status: reason, retryIn: delay });
        });
    });
  }

  /* This item waits on its own before it is tried again; resolves with `reason`. */
  function backOffItem(item, sent, reason, status) {
    var delay = item.delay ? Math.min(item.delay * 2, MAX_DELAY) : FIRST_DELAY;
    return outbox.settle(item.uuid, sent, {
      state: "saved", failure: reason, failure_status: status || null, delay: delay,
      retry_at: Date.now() + delay
    }).then(function () { return reason; });
  }

  /* The result for this very item, or null when the answer is not the server's (a portal). */
  function resultOf(answer, item) {
    var results = answer.body && answer.body.results;
    var result = Array.isArray(results) && results.length === 1 ? results[0] : null;
    return result && result.uuid === item.uuid ? result : null;
  }

  function record(item, result, summary, sent) {
    if (result.status === "accepted" || result.status === "duplicate") {
      summary.sent += 1;
      return outbox.receipted(item, result, sent);
    }
    if (result.status === "conflict") {
      summary.conflicts += 1;
      return outbox.settle(item.uuid, sent, { state: "conflict", receipt: result.receipt });
    }
    summary.invalid += 1;
    return outbox.settle(item.uuid, sent, { state: "invalid", errors: result.errors || {},
                                            warnings: result.warnings || {} });
  }

  function itemRefused(item, answer, summary, sent) {
    summary.invalid += 1;
    var body = answer.body || {};
    var errors = Object.keys(body.errors || {}).length ? body.errors
      : { _: [body.detail || "Máy chủ không nhận phiếu này."] };
    return outbox.settle(item.uuid, sent, { state: "invalid", errors: errors });
  }

  /* What a 401/403 means for the whole run: "login", or "denied" with the server's reason. */
  function refusal(answer, summary) {
    if (answer.status !== 403) { return "login"; }
    var body = answer.body || {};
    summary.denied = { code: body.code || null, detail: body.detail || "" };
    return "denied";
  }

  /* Send one item as it is now in the outbox; resolve with "next" to go on, or with what went
   * wrong: "server", "offline", "weak" (this item backs off), "login", "denied", "storage". */
  function one(listed, auth, retried) {
    var item = null;
    var sent = null;
    return outbox.update(listed.uuid, { state: "sending", attempts: (listed.attempts || 0) + 1 })
      .then(function (sending) {
        if (!sending) { return { gone: true }; }  // discarded meanwhile
        item = sending;
        sent = { revision: sending.revision, fingerprint: outbox.fingerprint(sending) };
        if (auth.progress) { auth.progress(sending); }
        return send(sending, auth).catch(function (error) {
          if (!networkFailure(error)) { throw error; }
          return { failed: networkReason(error) };
        });
      })
      .then(function (answer) {
        if (answer.gone) { return "next"; }
        if (answer.failed) { return backOffItem(item, sent, answer.failed); }
        var result = answer.status === 200 ? resultOf(answer, item) : null;
        if (result) {
          return record(item, result, auth.summary, sent).then(function () { return "next"; });
        }
        var code = answer.body && answer.body.code;
        if (answer.status === 403 && code === "csrf" && !retried) {
          return session().then(function (fresh) {
            auth.csrf = fresh.body && fresh.body.csrf_token;
            return one(item, auth, true);
          }, function (error) {
            if (!networkFailure(error)) { throw error; }
            return backOffItem(item, sent, networkReason(error));
          });
        }
        if (ITEM_ERRORS[answer.status]) {
          return itemRefused(item, answer, auth.summary, sent).then(function () { return "next"; });
        }
        if (answer.status === 401 || answer.status === 403 || answer.status === 0) {
          return outbox.settle(item.uuid, sent, { state: "saved" }).then(function () {
            return refusal(answer, auth.summary);
          });
        }
        return backOffItem(item, sent, "server", answer.status);
      })
      .catch(function (error) {  // the phone's own storage failed: say so, never "done"
        auth.summary.error = (error && error.name) || "Error";
        var back = sent ? outbox.settle(listed.uuid, sent, { state: "saved" }) : Promise.resolve();
        return back.catch(function () { return null; }).then(function () { return "storage"; });
      });
  }

  /* The keys an item shares with the items that must follow it. */
  function keys(item) {
    var household = (item.data || {}).household || {};
    var out = item.child_id ? ["child:" + item.child_id] : [];
    if (!household.id && household.ref) { out.push("household:" + household.ref); }
    return out;
  }

  function sendAll(items, auth, force) {
    var summary = auth.summary;
    var held = {};  // keys of the items that did not go: who shares one waits
    var index = 0;
    var inARow = 0;  // network failures one after another
    function hold(item) { keys(item).forEach(function (key) { held[key] = true; }); }
    function step() {
      if (index >= items.length) { return Promise.resolve("done"); }
      var item = items[index++];
      if (keys(item).some(function (key) { return held[key]; })) {
        hold(item);
        summary.held += 1;
        return step();
      }
      if (!force && item.retry_at && item.retry_at > Date.now()) {
        hold(item);
        summary.later += 1;
        return step();
      }
      return one(item, auth, false).then(function (outcome) {
        if (outcome === "next") { inARow = 0; return step(); }
        if (outcome !== "server" && !NETWORK[outcome]) { return outcome; }
        hold(item);
        summary.failed += 1;
        inARow = NETWORK[outcome] ? inARow + 1 : 0;
        return inARow < 2 ? step() : outcome;
      });
    }
    return step();
  }

  /* The soonest an item that backs off is due again, in ms from now (null: none waits). */
  function nextRetry(user) {
    return outbox.waiting(user).then(function (items) {
      var due = items.map(function (i) { return i.retry_at || 0; }).filter(Boolean);
      if (!due.length) { return null; }
      return Math.max(1000, Math.round((Math.min.apply(null, due) - Date.now()) / 1000) * 1000);
    });
  }

  /* The run reached the server: note it, fetch the review states (and with `check`, send
   * again what the server lost), report this phone. */
  function finish(user, auth, options) {
    var summary = auth.summary;
    var stamp = new Date().toISOString();
    function later(error) {  // the review states can wait; storage cannot
      if (!networkFailure(error)) { summary.error = (error && error.name) || "Error"; }
    }
    return Promise.all([
      outbox.setMeta("backoff", null), outbox.setMeta("login", null),
      outbox.setMeta("denied", null), outbox.setMeta("lastSync:" + user, stamp)
    ]).then(function () {
      return pull(user, options.check).then(function (lost) {
        if (!lost.length) { return null; }
        summary.resent = lost.length;
        return outbox.waiting(user).then(function (items) {
          return sendAll(items.filter(function (item) { return lost.indexOf(item.uuid) >= 0; }),
                         auth, true);
        });
      }).catch(later);
    }).then(function () {
      return report(user, auth).catch(later);
    }).then(function () { return nextRetry(user); }).then(function (retryIn) {
      var partial = summary.failed || summary.later || summary.held;
      Object.assign(summary, { status: summary.error ? "storage" : partial ? "partial" : "done",
                               at: stamp });
      if (retryIn !== null) { summary.retryIn = retryIn; }
      return summary;
    });
  }

  /* Everything stays; the page asks the user to log in again, or says why they may not send. */
  function stopped(outcome, summary) {
    var key = outcome === "login" ? "login" : "denied";
    var value = outcome === "login" ? { needed: true } : summary.denied;
    return outbox.setMeta(key, value).then(function () {
      return Object.assign(summary, { status: outcome });
    });
  }

  function attempt(options) {
    var summary = { sent: 0, invalid: 0, conflicts: 0, failed: 0, held: 0, later: 0 };
    return outbox.meta("backoff").then(function (backoff) {
      if (!options.force && backoff && backoff.until > Date.now()) {
        return { status: "waiting", retryIn: backoff.until - Date.now() };
      }
      return Promise.all([session(), outbox.meta("device")]).then(function (r) {
        var answer = r[0];
        if (answer.status === 401 || answer.status === 403 || answer.status === 0) {
          return stopped(refusal(answer, summary), summary);
        }
        var body = answer.body;
        if (answer.status !== 200 || !body || !body.user) { return backOff("server", summary); }
        var user = String(body.user.id);
        var auth = { csrf: body.csrf_token, progress: options.progress, summary: summary,
                     device: r[1] };
        summary.user = user;
        return outbox.waiting(user).then(function (items) {
          return sendAll(items, auth, options.force);
        }).then(function (outcome) {
          if (outcome === "done") { return finish(user, auth, options); }
          if (outcome === "login" || outcome === "denied") { return stopped(outcome, summary); }
          if (outcome === "storage") { return Object.assign(summary, { status: "storage" }); }
          return backOff(outcome, summary);
        });
      }, function (error) {
        if (!networkFailure(error)) { throw error; }
        return backOff(networkReason(error), summary);
      });
    }).catch(function (error) {
      return Object.assign(summary, { status: "storage", error: (error && error.name) || "Error" });
    });
  }

  /* Run a replay unless one is already running (then answer "busy", or with `wait`, run once
   * it is over). options: force (ignore every back-off), wait, progress(item) (called as each
   * item leaves), check (make sure the server still has every receipted item). */
  function run(options) {
    options = options || {};
    if (!self.navigator.locks) { return attempt(options); }
    if (options.wait) {
      return self.navigator.locks.request(LOCK, function () { return attempt(options); });
    }
    return self.navigator.locks.request(LOCK, { ifAvailable: true }, function (lock) {
      return lock ? attempt(options) : { status: "busy" };
    });
  }

  /* Walk the feed from `since` (null: its default answer) to the last page, merging each page
   * as it comes; resolves with {complete, seen, cursor}. A page that fails leaves the walk
   * incomplete (a network failure rejects): nothing is concluded from it. */
  function walk(user, since) {
    var seen = {};
    function step(cursor, pages) {
      if (pages >= MAX_PAGES) { return Promise.resolve({ complete: false }); }
      var url = "/api/v1/submissions" + (cursor ? "?since=" + encodeURIComponent(cursor) : "");
      return request(url).then(function (answer) {
        var body = answer.body;
        if (answer.status !== 200 || !body || !Array.isArray(body.submissions)) {
          return { complete: false };
        }
        body.submissions.forEach(function (s) { seen[s.uuid] = true; });
        return merge(user, body.submissions).then(function () {
          if (body.next) { return step(body.next, pages + 1); }
          return { complete: true, seen: seen, cursor: body.cursor };
        });
      });
    }
    return step(since, 0);
  }

  /* The server's view of this user's submissions (receipts, review states, notes): the changes
   * since the last walk; with `check`, while receipted items wait for a decision, the whole
   * default answer, and the items it lacks go back to the outbox. Resolves with their UUIDs. */
  function pull(user, check) {
    var key = "feed:" + user;
    var kept = check ? outbox.adopt(user).then(function () { return outbox.held(user); }) : [];
    return Promise.all([outbox.meta(key), kept]).then(function (r) {
      var stored = r[0] && typeof r[0] === "object" ? r[0] : { cursor: r[0], at: null };
      var held = r[1];
      var began = new Date().toISOString();
      function keep(done) {
        if (!done.complete) { return null; }
        return outbox.setMeta(key, { cursor: done.cursor, at: began }).then(function () {
          return prune(user);
        });
      }
      if (!held.length) {
        return walk(user, stored.cursor).then(keep).then(function () { return []; });
      }
      // Decisions older than the default answer's 30 days come only after the cursor.
      var old = stored.cursor && !(Date.now() - Date.parse(stored.at) < WINDOW_MS);
      var first = old ? walk(user, stored.cursor) : Promise.resolve({ complete: true });
      return first.then(function (done) {
        return done.complete ? walk(user, null) : done;
      }).then(function (done) {
        if (!done.complete) { return []; }
        var lost = held.filter(function (item) { return !done.seen[item.uuid]; })
          .map(function (item) { return item.uuid; });
        return outbox.requeue(lost).then(function () { return keep(done); })
          .then(function () { return lost; });
      });
    });
  }

  /* This phone's status for the commune (device.js), after each sync that reached the server. */
  function report(user, auth) {
    return FA.device.status(user).then(function (status) {
      if (!status) { return null; }
      return request("/api/v1/device", {
        method: "PUT", body: JSON.stringify(status),
        headers: { Accept: "application/json", "Content-Type": "application/json",
                   "X-CSRFToken": auth.csrf || "" }
      });
    });
  }

  var FINAL = { approved: true, rejected: true, superseded: true, acknowledged: true };

  function merge(user, submissions) {
    return FA.idb.transact(["sent", "outbox"], "readwrite", function (sent, box, done) {
      submissions.forEach(function (s) {
        sent.put(Object.assign({}, s, { user: user }));
        if (s.state === "received") { return; }
        box.get(s.uuid).onsuccess = done.guard(function (e) {
          var item = e.target.result;
          // Decided: the copy kept against a server restore can go; a conflict kept aside by
          // the server, once the submission is final.
          if (item && (item.state === "receipted" || (item.state === "conflict" &&
                                                      FINAL[s.state]))) {
            box.delete(s.uuid);
          }
        });
      });
    });
  }

  /* Receipts decided more than 30 days ago leave the phone (the feed's default answer no
   * longer has them either): the phone's storage does not grow with the years. */
  function prune(user) {
    var limit = Date.now() - KEEP_DECIDED_MS;
    return FA.idb.transact(["sent"], "readwrite", function (sent, done) {
      sent.index("user").openCursor(String(user)).onsuccess = done.guard(function (e) {
        var cursor = e.target.result;
        if (!cursor) { return; }
        var s = cursor.value;
        if (FINAL[s.state] && Date.parse(s.updated_at) < limit) { cursor.delete(); }
        cursor.continue();
      });
    });
  }

  FA.replay = { run: run, session: session, request: request, state: state };
})(self.FA = self.FA || {});
