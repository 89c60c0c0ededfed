/* What the capture page lists: items to fix, items waiting on the phone, items sent and their
 * review states, the village's children, and one child's record — all from IndexedDB, so it
 * works with no network. Text goes in with textContent only: nothing is parsed as HTML. */
(function (FA) {
  "use strict";
  var ITEM_STATES = {
    saved: "Lưu trên máy", sending: "Đang gửi", invalid: "Cần sửa",
    conflict: "Xung đột · chờ cán bộ xã xử lý"
  };
  var SENT_STATES = {
    received: "Đã gửi · Chờ duyệt", approved: "Đã duyệt", returned: "Cần sửa",
    rejected: "Bị từ chối", superseded: "Đã sửa lại", acknowledged: "Đã tiếp nhận"
  };
  var REPORT = "protection_report";
  var FAILURES = { server: "máy chủ gặp lỗi", offline: "mất kết nối giữa chừng",
                   weak: "mạng yếu, máy chủ không trả lời" };
  var SEX = { 1: "Nam", 2: "Nữ", 3: "Chưa xác định" };
  var MAX_CHILDREN = 200;

  function el(id) { return document.getElementById(id); }

  function make(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = text; }
    if (className) { node.className = className; }
    return node;
  }

  function link(href, text, className) {
    var a = make("a", text, className);
    a.href = href;
    return a;
  }

  function two(n) { return String(n).padStart(2, "0"); }

  /* A time as the server's pages show it: dd/mm/yyyy HH:MM in Vietnam's time (UTC+7, no
     daylight saving), whatever zone the phone is set to (fieldapp/clock.py shown). */
  function when(iso) {
    if (!iso) { return ""; }
    var d = new Date(new Date(iso).getTime() + 7 * 3600000);
    if (isNaN(d.getTime())) { return ""; }
    return two(d.getUTCDate()) + "/" + two(d.getUTCMonth() + 1) + "/" + d.getUTCFullYear() +
      " " + two(d.getUTCHours()) + ":" + two(d.getUTCMinutes());
  }

  /* 2025-03-17 → 17/03/2025, as Vietnamese papers write a date. */
  function dmy(iso) {
    return iso ? iso.slice(8, 10) + "/" + iso.slice(5, 7) + "/" + iso.slice(0, 4) : "";
  }

  function age(born, today) {
    if (!born) { return ""; }
    var years = +today.slice(0, 4) - +born.slice(0, 4) - (today.slice(5) < born.slice(5) ? 1 : 0);
    return years + " tuổi";
  }

  function firstMessages(errors) {
    var all = [];
    Object.keys(errors || {}).forEach(function (k) { all = all.concat(errors[k]); });
    return all.slice(0, 3).join(" ") + (all.length > 3 ? " …" : "");
  }

  function itemLine(item, villageName) {
    var li = make("li", null, "item");
    li.dataset.uuid = item.uuid;
    var title = make("p");
    title.append(make("strong", item.label || "(chưa có tên)"), " ");
    title.append(make("span", ITEM_STATES[item.state] || item.state, "tag state-" + item.state));
    li.append(title);
    var what = item.kind === REPORT ? "Tin báo trẻ cần bảo vệ"
      : item.child_id ? "Cập nhật" : "Trẻ mới";
    li.append(make("p", what + " · " + villageName +
                   " · lưu lúc " + when(item.updated_at), "muted"));
    if (item.split) {
      li.append(make("p", "Lưu thành phiếu riêng: phiếu này vừa được sửa ở cửa sổ khác trên " +
                     "máy, nên không ghi đè lên bản sửa đó.", "muted"));
    }
    if (item.failure && item.state === "saved") {
      li.append(make("p", "Chưa gửi được: " + FAILURES[item.failure] +
                     (item.failure_status ? " (mã " + item.failure_status + ")" : "") +
                     ". Sẽ thử lại lúc " + when(new Date(item.retry_at).toISOString()) +
                     "; các phiếu khác vẫn được gửi.", "error warning"));
    }
    return li;
  }

  function fixList(items, returned, villages) {
    var list = el("fix-list");
    list.textContent = "";
    items.filter(function (i) { return i.state === "invalid"; }).forEach(function (item) {
      var li = itemLine(item, villages(item));
      li.append(make("p", firstMessages(item.errors), "error"));
      li.append(link("#/item/" + item.uuid, "Sửa phiếu", "button"));
      list.append(li);
    });
    returned.forEach(function (s) {
      var li = make("li", null, "item");
      li.dataset.uuid = s.uuid;
      var title = make("p");
      title.append(make("strong", s.label || ""), " ", make("span", "Cần sửa", "tag state-invalid"));
      li.append(title, make("p", "Cán bộ xã trả lại: " + (s.note || ""), "error"));
      li.append(link("#/fix/" + s.uuid, "Sửa và gửi lại", "button"));
      list.append(li);
    });
    el("to-fix").hidden = !list.children.length;
  }

  function waitingList(items, villages, onDiscard) {
    var list = el("waiting-list");
    list.textContent = "";
    items.filter(function (i) { return i.state !== "invalid"; }).forEach(function (item) {
      var li = itemLine(item, villages(item));
      if (item.state === "saved") {
        var actions = make("div", null, "actions");
        var discard = make("button", "Xóa phiếu", "danger");
        discard.type = "button";
        discard.addEventListener("click", function () {
          if (discard.dataset.armed) { onDiscard(item); return; }
          discard.dataset.armed = "1";
          discard.textContent = "Chắc chắn xóa phiếu này?";
        });
        actions.append(link("#/item/" + item.uuid, "Sửa", "button"), discard);
        li.append(actions);
      }
      list.append(li);
    });
    el("waiting").hidden = !items.length;
  }

  function sentList(sent) {
    var list = el("sent-list");
    list.textContent = "";
    sent.filter(function (s) { return s.state !== "returned"; })
      .sort(function (a, b) { return (b.updated_at || "") < (a.updated_at || "") ? -1 : 1; })
      .slice(0, 30).forEach(function (s) {
        var li = make("li", null, "item");
        li.dataset.uuid = s.uuid;
        var title = make("p");
        title.append(make("strong", s.label || ""), " ",
                     make("span", SENT_STATES[s.state] || s.state, "tag state-" + s.state));
        li.append(title, make("p", (s.kind === REPORT ? "Tin báo trẻ cần bảo vệ · " : "") +
                              "Gửi lúc " + when(s.received_at), "muted"));
        if (s.note) { li.append(make("p", "Ghi chú của cán bộ xã: " + s.note)); }
        list.append(li);
      });
    el("sent").hidden = !list.children.length;
  }

  function childList(packet, village, query, pendingIds, today) {
    var list = el("child-list");
    list.textContent = "";
    var found = FA.packet.children(packet, village, query);
    found.slice(0, MAX_CHILDREN).forEach(function (c) {
      var li = make("li", null, "item");
      var a = link("#/child/" + c.id, c.child.full_name);
      var p = make("p");
      p.append(a);
      if (pendingIds[c.id]) { p.append(" ", make("span", "Có phiếu chờ gửi", "badge")); }
      li.append(p, make("p", [SEX[c.child.sex] || "", age(c.child.date_of_birth, today),
                              dmy(c.child.date_of_birth)].filter(Boolean).join(" · "), "muted"));
      list.append(li);
    });
    el("child-count").textContent = found.length + " trẻ" +
      (found.length > MAX_CHILDREN ? " (hiện " + MAX_CHILDREN + " trẻ đầu; hãy tìm theo tên)" : "");
  }

  function fact(dl, term, value) {
    dl.append(make("dt", term), make("dd", value || "—"));
  }

  function childView(packet, c, today) {
    var P = FA.packet;
    var h = packet.households[c.household_id] || {};
    var v = packet.villages.filter(function (x) { return x.code === c.child.village; })[0] || {};
    el("child-title").textContent = c.child.full_name;
    var dl = el("child-facts");
    dl.textContent = "";
    fact(dl, "Giới tính", SEX[c.child.sex]);
    fact(dl, "Ngày, tháng, năm sinh", dmy(c.child.date_of_birth) + " (" +
         age(c.child.date_of_birth, today) + ")");
    fact(dl, "Dân tộc", P.label(packet, "ethnicity", c.child.ethnicity_code));
    fact(dl, "Số định danh cá nhân", c.child.personal_id || "Chưa có");
    fact(dl, "Thôn, xóm, bản", v.name);
    fact(dl, "Chủ hộ", h.head_name);
    fact(dl, "Địa chỉ", c.child.address || h.address);
    fact(dl, "Tình trạng học tập", P.label(packet, "schooling_status", c.child.schooling_status));
    if (c.child.school_left_level || c.child.school_left_on) {
      fact(dl, "Bỏ học", P.label(packet, "school_level", c.child.school_left_level) +
           (c.child.school_left_on ? " · " + dmy(c.child.school_left_on) : ""));
    }
    var cg = el("child-caregivers");
    cg.textContent = "";
    c.caregivers.forEach(function (x) {
      cg.append(make("li", P.label(packet, "caregiver_relation", x.relation) + ": " + x.full_name, "item"));
    });
    var ci = el("child-circumstances");
    ci.textContent = "";
    c.circumstances.forEach(function (x) {
      var li = make("li", null, "item");
      li.append(x.masked ? make("span", "hạn chế", "tag masked")
        : make("span", x.code + " · " + P.label(packet, "circumstance", x.code), "tag"));
      li.append(" từ " + (dmy(x.since) || "?") + (x.until ? " đến " + dmy(x.until) : ""));
      ci.append(li);
    });
    if (!c.circumstances.length) { ci.append(make("li", "Không có", "muted")); }
    var su = el("child-supports");
    su.textContent = "";
    c.supports.forEach(function (x) {
      su.append(make("li", dmy(x.date) + " · " + P.label(packet, "support_form", x.code) +
                     (x.amount ? " · " + Number(x.amount).toLocaleString("vi-VN") + " đồng" : ""), "item"));
    });
    if (!c.supports.length) { su.append(make("li", "Không có", "muted")); }
    el("child-update").href = "#/update/" + c.id;
    el("child-close").href = "#/close/" + c.id;
  }

  FA.lists = {
    fix: fixList, waiting: waitingList, sent: sentList, children: childList, child: childView,
    when: when, dmy: dmy
  };
})(self.FA = self.FA || {});
