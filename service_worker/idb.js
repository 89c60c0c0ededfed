/* IndexedDB, promised. One database "fieldapp" holds four stores:
 *   outbox  — submissions saved on the phone, keyed by their UUID, indexed by user;
 *   sent    — what the server said of this user's submissions (receipts, review states);
 *   packets — per user: villages, code lists, children and households for offline work;
 *   meta    — small records: last sync, backoff, cursors.
 * An upgrade only ever adds stores or indexes: no version of the app deletes the outbox. */
(function (FA) {
  "use strict";
  var NAME = "fieldapp";
  var VERSION = 1;
  var opening = null;

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

  function open() {
    if (opening) { return opening; }
    opening = new Promise(function (resolve, reject) {
      var request = indexedDB.open(NAME, VERSION);
      request.onupgradeneeded = function () { upgrade(request.result); };
      request.onsuccess = function () {
        var db = request.result;
        db.onversionchange = function () { db.close(); opening = null; };
        resolve(db);
      };
      request.onerror = function () { opening = null; reject(request.error); };
    });
    return opening;
  }

  /* Run `body(stores...)` in one transaction; resolve with its result once the transaction
   * has committed ("strict" durability: on disk, not only in memory, before we say saved). */
  function transact(names, mode, body) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(names, mode, { durability: "strict" });
        var result;
        tx.oncomplete = function () { resolve(result); };
        tx.onerror = function () { reject(tx.error); };
        tx.onabort = function () { reject(tx.error || new Error("transaction aborted")); };
        var stores = names.map(function (name) { return tx.objectStore(name); });
        body.apply(null, stores.concat([function (value) { result = value; }]));
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
    return transact([name], "readwrite", function (store) {
      store.index("user").openCursor(String(user)).onsuccess = function (e) {
        var cursor = e.target.result;
        if (cursor) { cursor.delete(); cursor.continue(); }
      };
    });
  }

  function all(name) {
    return transact([name], "readonly", function (store, done) {
      store.getAll().onsuccess = function (e) { done(e.target.result); };
    });
  }

  FA.idb = {
    open: open, transact: transact, get: get, put: put, remove: remove, byUser: byUser,
    clearUser: clearUser, all: all
  };
})(self.FA = self.FA || {});
