/* The outbox: every saved form is a submission with a UUID made here, kept until the server
 * gives its receipt (accepted or duplicate). Items belong to the user who saved them; nobody
 * else logged in on the same phone sees them or sends them.
 *
 * Item states: saved (Lưu trên máy), sending (Đang gửi), invalid (Cần sửa: the server or the
 * phone found errors), conflict (the server keeps this content aside for the officer),
 * receipted (sent, and kept until the officer's decision: a server restored from an older
 * backup may have lost it, and then the phone sends it again, same UUID; see replay.js). A
 * saved item the server could not take yet carries `failure`, `delay` and `retry_at` (its own
 * back-off). An answer applies only to the content it answers: the replay notes what it sent
 * (revision and fingerprint), and a receipt never removes an item whose content has changed
 * since. `list` leaves receipted items out: for the pages they are sent, not on the phone. */
(function (FA) {
  "use strict";
  var idb = FA.idb;
  var WAITING = { saved: true, sending: true };
  var PENDING = { saved: true, sending: true, invalid: true };  // not yet with the server
  var RECEIPTED = "receipted";

  function now() { return new Date().toISOString(); }

  function byCreation(a, b) { return a.created_at < b.created_at ? -1 : 1; }

  function list(user) {
    return idb.byUser("outbox", user).then(function (items) {
      return items.filter(function (item) { return item.state !== RECEIPTED; }).sort(byCreation);
    });
  }

  /* The user's sent items kept until the officer decides them. */
  function held(user) {
    return idb.byUser("outbox", user).then(function (items) {
      return items.filter(function (item) { return item.state === RECEIPTED; });
    });
  }

  /* Sent items this phone knows only from the feed, with their content (an older version of
   * the app let an item go at its receipt; another device of the user sent it): kept like
   * receipted items from now on. */
  function adopt(user) {
    return idb.transact(["sent", "outbox"], "readwrite", function (sent, box, done) {
      sent.index("user").getAll(String(user)).onsuccess = done.guard(function (e) {
        e.target.result.forEach(function (s) {
          if (s.state !== "received" || !s.data || !s.captured_at || !s.kind) { return; }
          box.get(s.uuid).onsuccess = done.guard(function (found) {
            if (found.target.result) { return; }
            box.put({
              // The phone wrote the time with toISOString: the same text, the same content.
              uuid: s.uuid, user: String(user), kind: s.kind,
              captured_at: new Date(s.captured_at).toISOString(),
              child_id: s.child_id, base_version: s.base_version, corrects: s.corrects,
              data: s.data, label: s.label, created_at: s.received_at,
              updated_at: s.received_at, state: RECEIPTED, revision: 1, attempts: 0,
              errors: {}, failure: null, delay: null, retry_at: null
            });
          });
        });
      });
    });
  }

  /* Receipted items the server no longer has go back to the outbox, to be sent again with
   * their UUID (the server stores them, or answers duplicate if it has them after all). */
  function requeue(uuids) {
    return idb.transact(["outbox"], "readwrite", function (store, done) {
      uuids.forEach(function (uuid) {
        store.get(uuid).onsuccess = done.guard(function (e) {
          var item = e.target.result;
          if (!item || item.state !== RECEIPTED) { return; }
          store.put(Object.assign(item, { state: "saved", receipt: null, attempts: 0,
                                          failure: null, delay: null, retry_at: null }));
        });
      });
    });
  }

  /* What travels to the server: exactly what was saved, nothing of the phone's bookkeeping. */
  function payload(item) {
    return {
      uuid: item.uuid, kind: item.kind, captured_at: item.captured_at, child_id: item.child_id,
      base_version: item.base_version, corrects: item.corrects, data: item.data
    };
  }

  /* A fingerprint of what would be sent (cyrb53, 64 bits: a change detector, not security).
   * Synchronous, so that it can be compared inside the transaction that removes an item. */
  function fingerprint(item) {
    var text = JSON.stringify(payload(item));
    var h1 = 0xdeadbeef, h2 = 0x41c6ce57;
    for (var i = 0; i < text.length; i++) {
      var ch = text.charCodeAt(i);
      h1 = Math.imul(h1 ^ ch, 2654435761);
      h2 = Math.imul(h2 ^ ch, 1597334677);
    }
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
    h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
    return (h2 >>> 0).toString(16).padStart(8, "0") + (h1 >>> 0).toString(16).padStart(8, "0");
  }

  /* Save a new item, or an edit of one: `item.revision` is the revision the edit started from.
   * The next revision is taken here, inside the write, from the stored item, so two editors of
   * one item (the installed app and a browser tab, two quick saves) never write the same one.
   * If another editor saved the item after this edit began, theirs stays and this edit becomes
   * an item of its own (`split` names the first): nothing typed is overwritten unseen. */
  function save(item) {
    var stamp = now();
    var record = Object.assign({
      kind: "child", child_id: null, base_version: null, corrects: null, created_at: stamp,
      captured_at: stamp, attempts: 0
    }, item, { user: String(item.user), state: "saved", errors: {}, updated_at: stamp,
               failure: null, delay: null, retry_at: null });
    var started = item.revision || 0;
    return idb.transact(["outbox"], "readwrite", function (store, done) {
      function write(stored) {
        if (stored && stored.revision !== started) {
          Object.assign(record, { split: record.uuid, uuid: self.crypto.randomUUID(),
                                  created_at: stamp, attempts: 0, revision: 1 });
        } else {
          record.revision = (stored ? stored.revision : started) + 1;
        }
        store.put(record);
        done(record);
      }
      if (!record.uuid) {
        record.uuid = self.crypto.randomUUID();
        write(null);
        return;
      }
      store.get(record.uuid).onsuccess = done.guard(function (e) { write(e.target.result); });
    });
  }

  /* Change some fields of an item in one transaction (nothing if it is gone). */
  function update(uuid, changes) {
    return idb.transact(["outbox"], "readwrite", function (store, done) {
      store.get(uuid).onsuccess = done.guard(function (e) {
        var item = e.target.result;
        if (!item) { return; }
        Object.assign(item, changes);
        store.put(item);
        done(item);
      });
    });
  }

  function unchanged(current, sent) {
    return current && fingerprint(current) === sent.fingerprint;
  }

  /* The server's receipt for what was sent (`sent`: its revision and fingerprint): the item
   * becomes "receipted" (or, already decided, leaves the outbox) and its receipt is kept in
   * `sent`, atomically. If the item's content changed while
   * it was on its way, the new content stays in the outbox, to be sent again (the server then
   * keeps it as a conflict for the officer): an edit is never lost to a receipt of older
   * content. Resolves with "kept" in that case. */
  function receipted(item, result, sent) {
    return idb.transact(["outbox", "sent"], "readwrite", function (outbox, receipts, done) {
      outbox.get(item.uuid).onsuccess = done.guard(function (e) {
        var current = e.target.result;
        if (current && !unchanged(current, sent)) {
          current.state = "saved";
          outbox.put(current);
          done("kept");
        } else if (current && result.receipt.state === "received") {
          // Kept, content and all, until the feed tells the officer's decision.
          outbox.put(Object.assign(current, { state: RECEIPTED, receipt: result.receipt,
                                              failure: null, delay: null, retry_at: null }));
        } else if (current) {
          outbox.delete(item.uuid);
        }
        receipts.put({
          uuid: item.uuid, user: item.user, kind: item.kind, state: result.receipt.state,
          label: item.label,
          child_id: item.child_id, received_at: result.receipt.received_at, note: null,
          warnings: result.warnings || {}, updated_at: now(),
          // A report's content leaves the phone with its receipt: the case is the commune's.
          data: item.kind === "protection_report" ? null : item.data
        });
      });
    });
  }

  /* Apply an answer to what was sent; if the content changed meanwhile, the new content simply
   * waits to be sent. */
  function settle(uuid, sent, changes) {
    return idb.transact(["outbox"], "readwrite", function (store, done) {
      store.get(uuid).onsuccess = done.guard(function (e) {
        var item = e.target.result;
        if (!item) { return; }
        Object.assign(item, unchanged(item, sent) ? changes : { state: "saved" });
        store.put(item);
      });
    });
  }

  /* The author deletes an unsent item; the phone counts it ("discarded:<user>"), so that the
   * commune does not take a deliberate deletion for items the phone lost. */
  function discard(uuid) {
    return idb.transact(["outbox", "meta"], "readwrite", function (store, meta, done) {
      store.get(uuid).onsuccess = done.guard(function (e) {
        var item = e.target.result;
        if (!item) { return; }
        store.delete(uuid);
        var key = "discarded:" + item.user;
        meta.get(key).onsuccess = done.guard(function (m) {
          meta.put({ key: key, value: ((m.target.result || {}).value || 0) + 1 });
        });
      });
    });
  }

  /* What a user leaves behind at logout: their packet, receipts and cursors (never items, never
   * a half-filled form). */
  function forgetUser(user) {
    return Promise.all([idb.remove("packets", String(user)), idb.clearUser("sent", user),
                        setMeta("feed:" + user, null)]);
  }

  function waiting(user) {
    return list(user).then(function (items) {
      return items.filter(function (item) { return WAITING[item.state]; });
    });
  }

  function pending(items) {
    return items.filter(function (item) { return PENDING[item.state]; });
  }

  function meta(key) {
    return idb.get("meta", key).then(function (record) { return record ? record.value : null; });
  }

  function setMeta(key, value) { return idb.put("meta", { key: key, value: value }); }

  FA.outbox = {
    list: list, held: held, adopt: adopt, requeue: requeue, save: save, update: update, receipted: receipted,
    settle: settle, forgetUser: forgetUser, waiting: waiting, pending: pending, payload: payload,
    fingerprint: fingerprint, get: function (uuid) { return idb.get("outbox", uuid); },
    discard: discard, meta: meta, setMeta: setMeta
  };
})(self.FA = self.FA || {});
