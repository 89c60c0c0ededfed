/* IndexedDB, promised. One database "fieldapp" holds four stores:
 *   outbox  — submissions saved on the phone (kept after their receipt until the officer
 *             decides them), keyed by their UUID, indexed by user;
 *   sent    — what the server said of this user's submissions (receipts, review states);
 *   packets — per user: villages, code lists, children and households for offline work;
 *   meta    — small records: last sync, backoff, cursors, drafts, the device id.
 * An upgrade only ever adds stores or indexes: no version of the app deletes the outbox.
 *
 * No failure is silent: a write that fails rejects with the browser's error, whose `name` says
 * what happened (QuotaExceededError: the phone is full), and the pages say what to do. A
 * connection the browser lost (WebKit: "Connection to Indexed Database server lost") is opened
 * again and the transaction tried once more. An open blocked by an old tab that will not let
 * go rejects with a "BlockedError" (the open itself goes on and serves later calls); another
 * tab's upgrade closes this connection. Both are told to `FA.idb.watch` listeners. */
(function (FA) {
  "use strict";
  var NAME = "fieldapp";
  var VERSION = 1;
  var LOST = { InvalidStateError: true, UnknownError: true };
  var opening = null;
  var blocked = false;
  var waiters = [];  // calls waiting for an open: rejected at once if it is blocked
  var listeners = [];

  function upgrade(db) {
    var outbox = db.objectStoreNames.contains("outbox")
      ? null : db.createObjectStore("outbox", { keyPath: "uuid" });
    if (outbox) { outbox.createIndex("user", "user"); }
    var sent = db.objectStoreNames.contains("sent")
      ? null : db.createObjectStore("sent", { keyPath: "uuid" });
    if (sent) { sent.createIndex("user", "user"); }
    if (!db.objectStoreNames.contains("packets")) {
      db.createObjectStore("packets", { keyPath: "user" });
    }
    if (!db.objectStoreNames.contains("meta")) {
      db.createObjectStore("meta", { keyPath: "key" });
    }
  }

  function named(name, message) {
    var error = new Error(message);
    error.name = name;
    return error;
  }

  function blockedError() { return named("BlockedError", "An older tab keeps the database open."); }

  function tell(event) {
    listeners.forEach(function (listener) { listener(event); });
  }

  function open() {
    if (opening) { return opening; }
    var attempt = new Promise(function (resolve, reject) {
      var request = indexedDB.open(NAME, VERSION);
      request.onupgradeneeded = function () { upgrade(request.result); };
      request.onblocked = function () {
        blocked = true;
        waiters.splice(0).forEach(function (fail) { fail(blockedError()); });
        tell("blocked");
      };
      request.onsuccess = function () {
        var db = request.result;
        blocked = false;
        waiters = [];
        // Another tab upgrades the database: let it, and say so (this tab's code is old).
        db.onversionchange = function () { db.close(); forget(attempt); tell("versionchange"); };
        db.onclose = function () { forget(attempt); };  // closed by the browser itself
        resolve(db);
      };
      request.onerror = function () {
        forget(attempt);
        blocked = false;
        waiters = [];
        reject(request.error);
      };
    });
    opening = attempt;
    return attempt;
  }

  function forget(attempt) {
    if (opening === attempt) { opening = null; }
  }

  /* The open database; a call made while an open is blocked is refused at once. */
  function connection() {
    var attempt = open();
    if (blocked) { return Promise.reject(blockedError()); }
    return new Promise(function (resolve, reject) {
      waiters.push(reject);
      attempt.then(resolve, reject);
    });
  }

  /* Run `body(stores..., done)` in one transaction; resolve with what it passed to `done` once
   * the transaction has committed ("strict" durability: on disk, not only in memory, before we
   * say saved). A lost connection is reopened and the transaction run once more. Callbacks of
   * requests are wrapped in `done.guard(fn)`: what they throw (a refused write) aborts the
   * transaction and rejects with that very error, not a bare AbortError. */
  function transact(names, mode, body) {
    return once(names, mode, body).catch(function (error) {
      if (!error || !LOST[error.name]) { throw error; }
      var lost = opening;
      opening = null;
      if (lost) { lost.then(function (db) { db.close(); }, function () { return null; }); }
      return once(names, mode, body);
    });
  }

  function once(names, mode, body) {
    return connection().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(names, mode, { durability: "strict" });
        var result;
        var thrown = null;  // what a request refused at once (a full disk, a bad value)
        function fail(error) {
          thrown = thrown || error;
          try { tx.abort(); } catch (ignored) { /* already finished */ }
        }
        function done(value) { result = value; }
        done.guard = function (fn) {
          return function (event) {
            try { return fn(event); } catch (error) { fail(error); return null; }
          };
        };
        tx.oncomplete = function () { resolve(result); };
        tx.onerror = function () { reject(thrown || tx.error); };
        tx.onabort = function () {
          reject(thrown || tx.error || named("AbortError", "transaction aborted"));
        };
        var stores = names.map(function (name) { return tx.objectStore(name); });
        try {
          body.apply(null, stores.concat([done]));
        } catch (error) {
          fail(error);
        }
      });
    });
  }

  function get(name, key) {
    return transact([name], "readonly", function (store, done) {
      store.get(key).onsuccess = function (e) { done(e.target.result); };
    });
  }

  function put(name, value) {
    return transact([name], "readwrite", function (store) { store.put(value); });
  }

  function remove(name, key) {
    return transact([name], "readwrite", function (store) { store.delete(key); });
  }

  function byUser(name, user) {
    return transact([name], "readonly", function (store, done) {
      store.index("user").getAll(String(user)).onsuccess = function (e) { done(e.target.result); };
    });
  }

  function clearUser(name, user) {
    return transact([name], "readwrite", function (store, done) {
      store.index("user").openCursor(String(user)).onsuccess = done.guard(function (e) {
        var cursor = e.target.result;
        if (cursor) { cursor.delete(); cursor.continue(); }
      });
    });
  }

  function all(name) {
    return transact([name], "readonly", function (store, done) {
      store.getAll().onsuccess = function (e) { done(e.target.result); };
    });
  }

  /* `listener(event)` hears "blocked" and "versionchange". */
  function watch(listener) { listeners.push(listener); }

  FA.idb = {
    open: open, transact: transact, get: get, put: put, remove: remove, byUser: byUser,
    clearUser: clearUser, all: all, watch: watch
  };
})(self.FA = self.FA || {});
