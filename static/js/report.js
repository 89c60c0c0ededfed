/* The report of a child at risk (issue 16 §3) on the capture page: #/report, or
 * #/report/<child id> from a child's page. A short form, saved as an outbox item of kind
 * "protection_report" and sent like any other item; the server answers "Đã tiếp nhận" and
 * opens a case for the commune officer, of which nothing comes back to the phone. Fields are
 * named "report.<path of the report's data>"; their ids are those paths with dashes. */
(function (FA) {
  "use strict";

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
  function setup(packet) {
    options(el("report-child-sex"), FA.packet.codes(packet, "sex"), "— Chọn —");
    var villages = packet.villages.map(function (v) { return { code: v.code, label: v.name }; });
    options(el("report-child-village"), villages, villages.length > 1 ? "— Chọn —" : null);
  }

  /* Show `data` (a report's data) in the form. `known`: the register child it is about
   * ({id, full_name, village_code, village}), or null for a child described here. */
  function fill(data, known) {
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

  /* The report's data as the form holds it (with `known`, the register child's id, and its
   * name and village for the phone's lists). */
  function read(known) {
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

  FA.report = { idOf: idOf, now: now, setup: setup, fill: fill, read: read };
})(self.FA = self.FA || {});
