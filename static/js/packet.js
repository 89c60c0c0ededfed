/* The packet: what the phone keeps to work offline (the user's villages, the code lists, the
 * children and households of those villages), downloaded once and then as changes. Stored
 * per user; another user's packet is deleted as soon as someone else opens the app. */
(function (FA) {
  "use strict";

  function load(user) {
    return FA.idb.get("packets", String(user));
  }

  function merge(old, answer) {
    var packet = answer.full || !old
      ? { children: {}, households: {}, code_lists: {} }
      : { children: Object.assign({}, old.children), households: Object.assign({}, old.households),
          code_lists: old.code_lists };
    packet.user = String(answer.user.id);
    packet.username = answer.user.username;
    packet.cursor = answer.cursor;
    packet.villages = answer.villages;
    if (answer.code_lists) { packet.code_lists = answer.code_lists; }
    // The age limit in force; a server from before the setting sends none: keep what we had.
    packet.age_limit = (answer.rules && answer.rules.age_limit) || (old && old.age_limit) || 16;
    answer.households.forEach(function (h) { packet.households[h.id] = h; });
    answer.children.forEach(function (c) { packet.children[c.id] = c; });
    answer.removed.children.forEach(function (id) { delete packet.children[id]; });
    answer.removed.households.forEach(function (id) { delete packet.households[id]; });
    var mine = {};
    packet.villages.forEach(function (v) { mine[v.code] = true; });
    Object.keys(packet.children).forEach(function (id) {
      if (!mine[packet.children[id].child.village]) { delete packet.children[id]; }
    });
    Object.keys(packet.households).forEach(function (id) {
      if (!mine[packet.households[id].village]) { delete packet.households[id]; }
    });
    packet.downloaded_at = new Date().toISOString();
    return packet;
  }

  /* Fetch the changes since the last download; resolve with {packet, status}. */
  function refresh(user) {
    return load(user).then(function (old) {
      var since = old && old.code_lists && old.cursor;
      var url = "/api/v1/packet" + (since ? "?since=" + encodeURIComponent(since) : "");
      return FA.replay.request(url).then(function (answer) {
        if (answer.status !== 200 || !answer.body || !answer.body.user) {
          return { packet: old, status: answer.status };
        }
        if (String(answer.body.user.id) !== String(user)) {
          return { packet: old, status: "other-user" };
        }
        var packet = merge(old, answer.body);
        return FA.idb.put("packets", packet).then(function () {
          return { packet: packet, status: 200 };
        });
      }, function () { return { packet: old, status: "offline" }; });
    });
  }

  /* Only this user's packet stays on the phone (DOMAIN §9: keep only what the worker needs). */
  function forgetOthers(user) {
    return FA.idb.all("packets").then(function (packets) {
      return Promise.all(packets.filter(function (p) { return p.user !== String(user); })
        .map(function (p) { return FA.idb.remove("packets", p.user); }));
    }).then(function () {
      return FA.idb.all("sent");
    }).then(function (sent) {
      return Promise.all(sent.filter(function (s) { return s.user !== String(user); })
        .map(function (s) { return FA.idb.remove("sent", s.uuid); }));
    });
  }

  /* "nguyen van an" finds "Nguyễn Văn An", "dang" finds "Đặng". */
  function fold(text) {
    return String(text || "").toLowerCase().replace(/đ/g, "d").normalize("NFD")
      .replace(/\p{Mn}/gu, "").split(/\s+/).filter(Boolean).join(" ");
  }

  function children(packet, village, query) {
    var key = fold(query);
    var digits = (query || "").replace(/\s/g, "");
    var byId = /^[0-9]+$/.test(digits);
    return Object.keys(packet.children).map(function (id) { return packet.children[id]; })
      .filter(function (c) {
        if (village && c.child.village !== village) { return false; }
        if (!key) { return true; }
        if (byId) { return (c.child.personal_id || "").indexOf(digits) === 0; }
        return fold(c.child.full_name).indexOf(key) >= 0;
      })
      .sort(function (a, b) { return fold(a.child.full_name) < fold(b.child.full_name) ? -1 : 1; });
  }

  function households(packet, village) {
    return Object.keys(packet.households).map(function (id) { return packet.households[id]; })
      .filter(function (h) { return !village || h.village === village; })
      .sort(function (a, b) { return fold(a.head_name) < fold(b.head_name) ? -1 : 1; });
  }

  function codes(packet, list) { return (packet.code_lists || {})[list] || []; }

  function label(packet, list, code) {
    var item = codes(packet, list).filter(function (i) { return i.code === code; })[0];
    return item ? item.label : (code || "");
  }

  function has(packet) {
    return function (list, code) {
      return codes(packet, list).some(function (i) { return i.code === code; });
    };
  }

  FA.packet = {
    load: load, refresh: refresh, forgetOthers: forgetOthers, fold: fold,
    children: children, households: households, codes: codes, label: label, has: has
  };
})(self.FA = self.FA || {});
