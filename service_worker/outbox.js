/* The outbox: every saved form is a submission with a UUID made here, kept until the server
 * gives its receipt (accepted or duplicate). Items belong to the user who saved them; nobody
 * else logged in on the same phone sees them or sends them.
 *
 * Item states: saved (Lưu trên máy), sending (Đang gửi), invalid (Cần sửa: the server or the
 * phone found errors), conflict (the server keeps this content aside for the officer). */
(function (FA) {
  "use strict";
  var idb = FA.idb;
  var WAITING = { saved: true, sending: true };

  function now() { return new Date().toISOString(); }

  function byCreation(a, b) { return a.created_at < b.created_at ? -1 : 1; }

  function list(user) {
    return idb.byUser("outbox", user).then(function (items) { return items.sort(byCreation); });
  }

  /* Save a new item or the author's edit of one not yet sent; every save is a new revision
   * (what the replay compares, so that an answer only applies to the content it answers). */
  function save(item) {
    var stamp = now();
    var record = Object.assign({
      uuid: self.crypto.randomUUID(), kind: "child", child_id: null, base_version: null,
      corrects: null, created_at: stamp, captured_at: stamp, attempts: 0, revision: 0
    }, item, { user: String(item.user), state: "saved", errors: {}, updated_at: stamp });
    record.revision = (record.revision || 0) + 1;
    return idb.put("outbox", record).then(function () { return record; });
  }

  /* Change some fields of an item in one transaction (nothing if it is gone). */
  function update(uuid, changes) {
    return idb.transact(["outbox"], "readwrite", function (store, done) {
      store.get(uuid).onsuccess = function (e) {
        var item = e.target.result;
        if (!item) { return; }
        Object.assign(item, changes);
        store.put(item);
        done(item);
      };
    });
  }

  /* The server's receipt for what was sent (revision `stamp`): the item leaves
   * the outbox and its receipt is kept, atomically. If the author edited the item while it
   * was on its way, the edit stays in the outbox, to be sent again (the server then keeps it
   * as a conflict for the officer): an edit is never lost to a receipt of older content. */
  function receipted(item, result, stamp) {
    return idb.transact(["outbox", "sent"], "readwrite", function (outbox, sent) {
      outbox.get(item.uuid).onsuccess = function (e) {
        var current = e.target.result;
        if (current && current.revision !== stamp) {
          current.state = "saved";
          outbox.put(current);
          return;
        }
        outbox.delete(item.uuid);
        sent.put({
          uuid: item.uuid, user: item.user, state: result.receipt.state, label: item.label,
          child_id: item.child_id, received_at: result.receipt.received_at, note: null,
          warnings: result.warnings || {}, data: item.data, updated_at: now()
        });
      };
    });
  }

  /* Apply an answer to revision `stamp`; if the author saved a newer one meanwhile, that one
   * simply waits to be sent. */
  function settle(uuid, stamp, changes) {
    return idb.transact(["outbox"], "readwrite", function (store) {
      store.get(uuid).onsuccess = function (e) {
        var item = e.target.result;
        if (!item) { return; }
        Object.assign(item, item.revision === stamp ? changes : { state: "saved" });
        store.put(item);
      };
    });
  }

  /* What a user leaves behind at logout: their packet, receipts and cursors (never items). */
  function forgetUser(user) {
    return Promise.all([idb.remove("packets", String(user)), idb.clearUser("sent", user),
                        setMeta("feed:" + user, null)]);
  }

  function waiting(user) {
    return list(user).then(function (items) {
      return items.filter(function (item) { return WAITING[item.state]; });
    });
  }

  /* What travels to the server: exactly what was saved, nothing of the phone's bookkeeping. */
  function payload(item) {
    return {
      uuid: item.uuid, kind: item.kind, captured_at: item.captured_at, child_id: item.child_id,
      base_version: item.base_version, corrects: item.corrects, data: item.data
    };
  }

  function meta(key) {
    return idb.get("meta", key).then(function (record) { return record ? record.value : null; });
  }

  function setMeta(key, value) { return idb.put("meta", { key: key, value: value }); }

  FA.outbox = {
    list: list, save: save, update: update, receipted: receipted, settle: settle,
    forgetUser: forgetUser, waiting: waiting,
    payload: payload, get: function (uuid) { return idb.get("outbox", uuid); },
    discard: function (uuid) { return idb.remove("outbox", uuid); },
    meta: meta, setMeta: setMeta
  };
})(self.FA = self.FA || {});
