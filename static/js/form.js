/* The capture form: filled from the packet's code lists, read into a snapshot (the shape the
 * sync API takes), filled back from a snapshot, and showing each message next to its field. */
(function (FA) {
  "use strict";
  var LISTS = ["caregivers", "circumstances", "supports"];
  var BLOCKS = { DB: "Hoàn cảnh đặc biệt", NC: "Nguy cơ", K: "Hoàn cảnh khác" };
  var form, packet, rows = {}, householdRef = null;
  var pending = [];  // new households of the outbox's items, not yet in the register

  function $(selector, scope) { return (scope || form).querySelector(selector); }
  function $$(selector, scope) {
    return Array.prototype.slice.call((scope || form).querySelectorAll(selector));
  }
  function value(path, scope) {
    var el = $('[name="' + path + '"]', scope);
    return el ? (el.value.trim() || null) : null;
  }
  function set(path, text, scope) {
    var el = $('[name="' + path + '"]', scope);
    if (el) { el.value = text === null || text === undefined ? "" : String(text); }
  }

  function option(select, code, label) {
    var o = document.createElement("option");
    o.value = code;
    o.textContent = label;
    select.appendChild(o);
    return o;
  }

  function fillSelect(select) {
    var list = select.dataset.list;
    if (!list) { return; }
    FA.choose.reset(select);
    var keep = select.value;
    select.textContent = "";
    if (select.dataset.blank) { option(select, "", select.dataset.blank); }
    if (list === "villages") {
      packet.villages.forEach(function (v) { option(select, v.code, v.name); });
    } else if (list === "circumstance") {
      Object.keys(BLOCKS).forEach(function (block) {
        var group = document.createElement("optgroup");
        group.label = BLOCKS[block];
        FA.packet.codes(packet, list).filter(function (i) { return i.block === block; })
          .forEach(function (i) { option(group, i.code, i.code + " · " + i.label); });
        select.appendChild(group);
      });
    } else {
      FA.packet.codes(packet, list).forEach(function (i) { option(select, i.code, i.label); });
    }
    if (keep) { select.value = keep; }
  }

  /* The outbox's items: their new households can be chosen for another child. */
  function know(items) {
    var seen = {};
    pending = items.map(function (i) { return (i.data || {}).household || {}; })
      .filter(function (h) { return !h.id && h.ref && !seen[h.ref] && (seen[h.ref] = true); });
  }

  function setup(root, thePacket) {
    form = root;
    packet = thePacket;
    $$("select[data-list]").forEach(fillSelect);
    FA.choose.wire(form);
    if (!form.dataset.wired) {
      form.dataset.wired = "1";
      form.addEventListener("click", onClick);
      form.addEventListener("change", onChange);
    }
  }

  function onClick(event) {
    var add = event.target.closest("[data-add]");
    var remove = event.target.closest("[data-remove]");
    if (add) { addRow(add.dataset.add, {}).querySelector("select, input").focus(); }
    if (remove) { remove.closest("[data-row]").remove(); renumber(); }
  }

  function onChange(event) {
    var name = event.target.name || "";
    if (/^circumstances\.\d+\.code$/.test(name)) { showDetails(event.target.closest("[data-row]")); }
    if (name === "child.village") { households(event.target.value); }
    if (name === "child.schooling_status") { showDropout(); }
    if (name === "household.choice") { pickHousehold(event.target.value); }
  }

  function addRow(list, item) {
    var masked = list === "circumstances" && item.masked;
    var template = document.getElementById(masked ? "row-masked" : "row-" + list);
    var row = template.content.firstElementChild.cloneNode(true);
    row.dataset.list = list;
    if (masked) {
      row.dataset.json = JSON.stringify(item);
      $("[data-dates]", row).textContent = "từ " + (FA.lists.dmy(item.since) || "?") +
        (item.until ? " đến " + FA.lists.dmy(item.until) : "");
    }
    document.getElementById(list + "-rows").appendChild(row);
    $$("select[data-list]", row).forEach(fillSelect);
    if (item.id) {
      row.dataset.id = item.id;
      var drop = $("[data-remove]", row);
      if (drop) { drop.remove(); }  // a recorded membership ends with "Đến ngày", not removal
    }
    renumber();
    fillRow(list, row, item);
    return row;
  }

  /* Give every row's fields their index: ids, names and labels stay unique and linked. */
  function renumber() {
    LISTS.forEach(function (list) {
      $$("#" + list + "-rows > [data-row]").forEach(function (row, i) {
        $$("[name], [id], label[for], [aria-describedby], [data-field]", row).forEach(function (el) {
          ["name", "id", "for", "aria-describedby", "data-field"].forEach(function (attr) {
            var text = el.getAttribute(attr);
            if (text) { el.setAttribute(attr, text.replace(/__i__|\b\d+\b/g, String(i))); }
          });
        });
      });
    });
  }

  function fillRow(list, row, item) {
    if (row.dataset.masked) { return; }
    var prefix = list + "." + rowIndex(row) + ".";
    Object.keys(item).forEach(function (key) {
      if (key === "detail") {
        Object.keys(item.detail || {}).forEach(function (d) {
          set(prefix + "detail." + d, item.detail[d], row);
        });
      } else if (key !== "id") {
        set(prefix + key, item[key], row);
      }
    });
    if (list === "circumstances") {
      showDetails(row);
      var code = $('[name$=".code"]', row);
      if (item.id && code) { code.disabled = true; }
    }
  }

  function rowIndex(row) {
    return $$("#" + row.dataset.list + "-rows > [data-row]").indexOf(row);
  }

  function showDetails(row) {
    var code = ($('[name$=".code"]', row) || {}).value;
    $$("[data-detail]", row).forEach(function (field) { field.hidden = field.dataset.detail !== code; });
  }

  /* The level left and the day, asked only of a dropout (HT07, children/schooling.py). */
  function showDropout() {
    var box = document.getElementById("dropout-fields");
    if (box) { box.hidden = value("child.schooling_status") !== "HT07"; }
  }

  function households(village) {
    var select = $('[name="household.choice"]');
    var keep = select.value;
    select.textContent = "";
    option(select, "", "Hộ mới (nhập bên dưới)");
    FA.packet.households(packet, village).forEach(function (h) {
      option(select, "id:" + h.id, h.head_name + (h.address ? " · " + h.address : ""));
    });
    pending.filter(function (h) { return h.village === village; })
      .forEach(function (h) { option(select, "ref:" + h.ref, h.head_name + " (hộ mới, chờ duyệt)"); });
    select.value = keep;
    if (select.value !== keep) { select.value = ""; }
  }

  function pickHousehold(choice) {
    var h = null;
    if (choice.indexOf("id:") === 0) { h = packet.households[choice.slice(3)]; }
    if (choice.indexOf("ref:") === 0) {
      h = pending.filter(function (p) { return "ref:" + p.ref === choice; })[0];
    }
    set("household.head_name", h ? h.head_name : "");
    set("household.address", h ? h.address : "");
    set("household.poverty_status", h ? h.poverty_status : "none");
  }

  /* Put a snapshot into the form (an update from the packet, an outbox item, a returned one). */
  function fill(data) {
    form.reset();
    delete form.dataset.confirmed;  // a schooling warning is confirmed per child (collect.js)
    LISTS.forEach(function (list) { document.getElementById(list + "-rows").textContent = ""; });
    FA.messages.clear(form);
    var child = data.child || {};
    Object.keys(child).forEach(function (key) { set("child." + key, child[key]); });
    if (!child.nationality) { set("child.nationality", "VN"); }
    showDropout();
    var village = child.village || (packet.villages[0] || {}).code || "";
    set("child.village", village);
    households(village);
    var h = data.household || {};
    householdRef = h.ref || null;
    set("household.choice", h.id ? "id:" + h.id : h.ref && isPending(h.ref) ? "ref:" + h.ref : "");
    set("household.head_name", h.head_name);
    set("household.address", h.address);
    set("household.poverty_status", h.poverty_status || "none");
    (data.caregivers && data.caregivers.length ? data.caregivers : [{}])
      .forEach(function (c) { addRow("caregivers", c); });
    (data.circumstances || []).forEach(function (c) { addRow("circumstances", c); });
    (data.supports || []).forEach(function (s) { addRow("supports", s); });
  }

  function isPending(ref) {
    return pending.some(function (h) { return h.ref === ref; });
  }

  function blank(values) {
    return Object.keys(values).every(function (k) {
      var v = values[k];
      return v === null || v === "" || (typeof v === "object" && !Object.keys(v).length);
    });
  }

  function readRow(list, row, i) {
    if (row.dataset.masked) { return JSON.parse(row.dataset.json); }
    var p = list + "." + i + ".";
    if (list === "caregivers") {
      return { relation: value(p + "relation", row), full_name: value(p + "full_name", row),
               personal_id: value(p + "personal_id", row), phone: value(p + "phone", row) };
    }
    if (list === "supports") {
      return { id: row.dataset.id || null, code: value(p + "code", row), date: value(p + "date", row),
               provider: value(p + "provider", row), amount: value(p + "amount", row),
               note: value(p + "note", row) };
    }
    var code = value(p + "code", row);
    var detail = {};
    $$("[data-detail]", row).filter(function (f) { return f.dataset.detail === code; })
      .forEach(function (f) {
        var select = $("select", f);
        detail[select.name.split(".").pop()] = select.value || null;
      });
    return { id: row.dataset.id || null, code: code, since: value(p + "since", row),
             until: value(p + "until", row), detail: detail, note: value(p + "note", row) };
  }

  /* The snapshot; rows left wholly blank are not part of it (rows[list] maps back). */
  function read() {
    var child = {};
    ["personal_id", "full_name", "sex", "date_of_birth", "ethnicity_code", "nationality",
     "village", "current_residence", "address", "schooling_status", "school_left_level",
     "school_left_on"].forEach(function (key) {
      child[key] = value("child." + key);
    });
    if (child.schooling_status !== "HT07") {  // only a dropout's: another status clears them
      child.school_left_level = null;
      child.school_left_on = null;
    }
    var choice = value("household.choice") || "";
    var existing = choice.indexOf("id:") === 0 ? packet.households[choice.slice(3)] : null;
    if (choice.indexOf("ref:") === 0) { householdRef = choice.slice(4); }
    if (!existing && !householdRef) { householdRef = self.crypto.randomUUID(); }
    var data = {
      household: {
        id: existing ? existing.id : null, ref: existing ? null : householdRef,
        head_name: value("household.head_name"), address: value("household.address"),
        village: existing ? existing.village : child.village,
        poverty_status: value("household.poverty_status") || "none"
      },
      child: child
    };
    rows = {};
    LISTS.forEach(function (list) {
      rows[list] = [];
      data[list] = [];
      $$("#" + list + "-rows > [data-row]").forEach(function (row, i) {
        var item = readRow(list, row, i);
        var content = Object.assign({}, item);
        delete content.id;
        if (!row.dataset.id && !row.dataset.masked && blank(content)) { return; }
        rows[list].push(row);
        data[list].push(item);
      });
    });
    return data;
  }

  /* The element id of a snapshot path as this form shows it (blank rows were skipped). */
  function fieldId(path) {
    var parts = path.split(".");
    if (LISTS.indexOf(parts[0]) >= 0 && parts.length > 2 && rows[parts[0]]) {
      var row = rows[parts[0]][+parts[1]];
      if (!row) { return null; }
      parts[1] = String(rowIndex(row));
    }
    return FA.messages.idOf(parts.join("."));
  }

  /* Each message next to its field, read through this form's rows (see fieldId). */
  function showErrors(errors, warnings) {
    return FA.messages.show(errors, warnings, form, fieldId);
  }

  FA.form = { know: know, setup: setup, fill: fill, read: read, fieldId: fieldId,
              showErrors: showErrors };
})(self.FA = self.FA || {});
