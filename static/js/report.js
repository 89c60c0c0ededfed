/* The report of a child at risk (issue 16 §3) on the capture page: #/report, or
 * #/report/<child id> from a child's page. A short form, saved as an outbox item of kind
 * "protection_report" and sent like any other item; the server answers "Đã tiếp nhận" and
 * opens a case for the commune officer, of which nothing comes back to the phone. Fields are
 * named "report.<path of the report's data>"; their ids are those paths with dashes. This
 * module holds the open form's state (which register child it is about); collect.js routes
 * to it, saves and sends. */
(function (FA) {
  "use strict";

  var packet = null;
  var known = null;  // the register child the open report is about, or null

  function el(id) { return document.getElementById(id); }

  /* The element id of a path of the report's data ("child.full_name" → the name's input). */
  function idOf(path) { return "report-" + path.replace(/\./g, "-"); }

  /* Vietnam's time now as a datetime-local input writes it: the server reads a time without
   * an offset as Vietnam's. */
  function now() { return new Date(Date.now() + 7 * 3600000).toISOString().slice(0, 16); }

  function options(select, items, blank) {
    select.textContent = "";
    (blank ? [{ code: "", label: blank }] : []).concat(items).forEach(function (item) {
      var option = document.createElement("option");
      option.value = item.code;
      option.textContent = item.label;
      select.append(option);
    });
  }

  /* The choices, from the packet: sexes, and the reporter's villages. */
  function setup(thePacket) {
    packet = thePacket;
    options(el("report-child-sex"), FA.packet.codes(packet, "sex"), "— Chọn —");
    var villages = packet.villages.map(function (v) { return { code: v.code, label: v.name }; });
    options(el("report-child-village"), villages, villages.length > 1 ? "— Chọn —" : null);
  }

  /* The register child `id` as the form names it: from the packet, or from the report's own
   * copy (`data`) when the packet no longer has it. */
  function registerChild(id, data) {
    if (!id) { return null; }
    var c = packet.children[id];
    var child = c ? c.child : (data || {}).child || {};
    var v = packet.villages.filter(function (x) { return x.code === child.village; })[0];
    return { id: id, full_name: child.full_name || "", village_code: child.village || null,
             village: v ? v.name : "" };
  }

  /* Show `data` (a report's data) in the form: about the register child `data.child_id`,
   * or a child described here. */
  function fill(data) {
    known = registerChild(data.child_id, data);
    el("report-title").textContent = "Báo tin trẻ cần bảo vệ" +
      (known ? ": " + known.full_name : "");
    var form = el("report-form");
    form.reset();
    FA.messages.clear(form);
    var child = data.child || {};
    el("report-known").hidden = !known;
    el("report-known").textContent = known
      ? "Trẻ: " + known.full_name + (known.village ? " · " + known.village : "") : "";
    el("report-new-child").hidden = Boolean(known);
    el("report-describe").hidden = !known;
    el("report-child-full_name").value = known ? "" : child.full_name || "";
    el("report-child-sex").value = child.sex || "";
    var age = child.estimated_age;
    el("report-child-estimated_age").value = age === null || age === undefined ? "" : age;
    if (child.village) { el("report-child-village").value = child.village; }
    el("report-situation").value = data.situation || "";
    el("report-seen_at").value = data.seen_at || "";
    el("report-location").value = data.location || "";
    form.querySelectorAll('[name="report.urgent"]').forEach(function (radio) {
      radio.checked = typeof data.urgent === "boolean" && data.urgent === (radio.value === "yes");
    });
    el("report-reporter_phone").value = data.reporter_phone || "";
  }

  /* The report's data as the form holds it (about a register child: its id, and its name and
   * village for the phone's lists). */
  function read() {
    var urgent = el("report-form").querySelector('[name="report.urgent"]:checked');
    var age = el("report-child-estimated_age").value.trim();
    var child = known ? { full_name: known.full_name, village: known.village_code } : {
      full_name: el("report-child-full_name").value.trim(),
      sex: el("report-child-sex").value || null, date_of_birth: null,
      estimated_age: age === "" ? null : Number(age),
      village: el("report-child-village").value || null
    };
    return {
      child_id: known ? known.id : null, child: child,
      situation: el("report-situation").value.trim(),
      seen_at: el("report-seen_at").value || null,
      location: el("report-location").value.trim(),
      urgent: urgent ? urgent.value === "yes" : null,
      reporter_phone: el("report-reporter_phone").value.trim()
    };
  }

  /* Not the register child the form names (or one the server no longer finds for this
   * user): describe the child instead, keeping what was typed. */
  function describe() {
    var data = read();
    data.child = { full_name: data.child.full_name, sex: null, date_of_birth: null,
                   estimated_age: null, village: data.child.village };
    data.child_id = null;
    fill(data);
    FA.drafts.touched();
    el("report-child-full_name").focus();
  }

  /* The phone's verdict on `data` (validate.js report, the server's rules). */
  function check(data) {
    var villages = {};
    packet.villages.forEach(function (v) { villages[v.code] = true; });
    return FA.validate.report(data, { now: now(), has: FA.packet.has(packet),
                                      villages: villages });
  }

  FA.report = { idOf: idOf, now: now, setup: setup, fill: fill, read: read, check: check,
                describe: describe };
})(self.FA = self.FA || {});
