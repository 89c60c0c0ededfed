/* The record's rules on the phone: the same checks and the same Vietnamese messages as the
 * server's fieldapp/children/validators.py (and _personal_id.py) and collection/validators.py,
 * keyed by the same snapshot paths (tests/collection/test_phone_rules.py holds them equal).
 * The phone checks before saving; the server still decides. */
(function (FA) {
  "use strict";
  var OLD_PROVINCES = ("001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 " +
    "027 030 031 033 034 035 036 037 038 040 042 044 045 046 048 049 051 052 054 056 058 060 " +
    "062 064 066 067 068 070 072 074 075 077 079 080 082 083 084 086 087 089 091 092 093 094 " +
    "095 096").split(" ");
  var CENTURY_SEX = [[1900, "1", "0"], [1900, "2", "1"], [2000, "1", "2"], [2000, "2", "3"],
                     [2100, "1", "4"], [2100, "2", "5"]];
  var DETAIL_LISTS = { DB04: ["disability_type", "disability_level"], NC01: ["risk_reason"],
                       K02: ["injury_cause"], K03: ["injury_cause"] };
  var OPTIONAL_DETAILS = { K02: true };  // a K02 may come without its cause (older phones)
  var POOR = { poor: true, near_poor: true };
  var NOT_POOR = "DB14 chỉ dành cho trẻ thuộc hộ nghèo hoặc cận nghèo; hộ của trẻ không " +
                 "nghèo, không cận nghèo.";
  var DETAIL_MESSAGES = {
    disability_type: "Chọn dạng khuyết tật.", disability_level: "Chọn mức độ khuyết tật.",
    risk_reason: "Chọn lý do có nguy cơ.", injury_cause: "Chọn nguyên nhân thương tích."
  };
  var NO_CAREGIVER_NEEDED = { DB02: true, DB15: true };
  var NAME_CHARS = /^[\p{L}\p{Nl}\p{No}]+(?:[ '.\-][\p{L}\p{Nl}\p{No}]+)*$/u;
  var PHONE = /^\+?[0-9]{9,12}$/;
  var py = FA.py;
  var cleanText = py.cleanText, strip = py.strip, compact = py.compact, length = py.length;
  var parseDate = py.parseDate;
  var MAX_AMOUNT_VND = 1e12;
  var NOT_YOURS = "Thôn/bản không thuộc địa bàn của bạn.";
  /* Schooling that fits the age: fieldapp/children/schooling.py (AGES, LEVEL_AGES). */
  var SCHOOL_AGES = { HT01: [null, 6], HT02: [null, 6], HT03: [5, 11], HT04: [10, 15],
                      HT05: [14, null], HT06: [14, null], HT07: [6, null], HT08: [null, null] };
  var LEVEL_AGES = { TH: 5, THCS: 10, THPT: 14 };
  var DROPPED_OUT = "HT07";

  function Result() { this.errors = {}; this.warnings = {}; }
  Result.prototype.error = function (path, message) {
    (this.errors[path] = this.errors[path] || []).push(message);
  };
  Result.prototype.warn = function (path, message) {
    (this.warnings[path] = this.warnings[path] || []).push(message);
  };

  function name(value, path, label, r, required) {
    var text = cleanText(value);
    if (py.oneCase(text)) { text = py.titled(text); }
    if (!text) {
      if (required !== false) { r.error(path, label + ": vui lòng nhập."); }
    } else if (length(text) < 2 || length(text) > 100) {
      r.error(path, label + " có từ 2 đến 100 ký tự.");
    } else if (!NAME_CHARS.test(text)) {
      r.error(path, label + " chỉ gồm chữ cái và dấu cách, không có chữ số hay ký hiệu.");
    }
    return text;
  }

  function code(value, list, path, label, r, ctx, required) {
    var text = cleanText(value) || null;
    if (text === null) {
      if (required !== false) { r.error(path, label + ": vui lòng chọn."); }
    } else if (!ctx.has(list, text)) {
      r.error(path, label + ": mã " + text + " không có trong danh mục.");
    }
    return text;
  }

  function text(value, path, label, r, limit) {
    var clean = cleanText(value);
    limit = limit || 200;
    if (length(clean) > limit) { r.error(path, label + " dài quá " + limit + " ký tự."); }
    return clean;
  }

  function asciiDigits(number) { return /^[0-9]+$/.test(number); }

  function checkPersonalId(number, sex, birthYear, r) {
    var path = "child.personal_id", label = "Số định danh cá nhân";
    if (number.length !== 12 || !asciiDigits(number)) {
      r.error(path, label + " phải gồm đúng 12 chữ số.");
      return;
    }
    if (OLD_PROVINCES.indexOf(number.slice(0, 3)) < 0) {
      r.warn(path, label + ": mã tỉnh nơi đăng ký khai sinh " + number.slice(0, 3) +
             " không có trong danh mục.");
    }
    var century = birthYear === null ? null : Math.floor(birthYear / 100) * 100;
    var allowed = CENTURY_SEX.filter(function (row) {
      return (century === null || row[0] === century) && (sex !== "1" && sex !== "2" || row[1] === sex);
    }).map(function (row) { return row[2]; }).sort();
    if (allowed.indexOf(number[3]) < 0) {
      var should = allowed.length ? " (phải là " + allowed.join(" hoặc ") + ")" : "";
      r.error(path, label + ": chữ số thứ 4 là " + number[3] +
              ", không khớp giới tính và thế kỷ sinh" + should + ".");
    }
    if (birthYear !== null && number.slice(4, 6) !== String(birthYear % 100).padStart(2, "0")) {
      r.error(path, label + ": chữ số thứ 5–6 là " + number.slice(4, 6) + ", không khớp năm sinh " +
              birthYear + ".");
    }
  }

  function birthDate(value, capture, today, limit, r) {
    var path = "child.date_of_birth", label = "Ngày, tháng, năm sinh";
    var born = parseDate(value);
    if (value === null || value === undefined || value === "") {
      r.error(path, label + ": vui lòng nhập.");
    } else if (born === null) {
      r.error(path, label + " không đúng định dạng ngày.");
    } else if (born > (capture < today ? capture : today)) {
      r.error(path, label + " không được sau ngày thu thập hoặc ở tương lai.");
    } else if (py.sixteenthBirthday(born, limit) <= capture) {
      r.error(path, label + ": trẻ đã đủ " + limit + " tuổi vào ngày thu thập.");
    }
    return born;
  }

  /* The school-year age: the year the school year (from September) began minus the birth
   * year; dates as YYYY-MM-DD. */
  function schoolAge(born, on) {
    var started = +on.slice(5, 7) >= 9 ? +on.slice(0, 4) : +on.slice(0, 4) - 1;
    return started - +born.slice(0, 4);
  }

  function span(low, high) {
    if (low === null) { return "đến " + high + " tuổi"; }
    if (high === null) { return "từ " + low + " tuổi"; }
    return "từ " + low + " đến " + high + " tuổi";
  }

  function labelOf(ctx, list, value) { return ctx.label ? ctx.label(list, value) : value; }

  /* YYYY-MM-DD, or YYYY-MM read as the month's first day (schooling.parse_left_on). */
  function parseLeftOn(value) {
    var text = strip(String(value === null || value === undefined ? "" : value));
    if (/^[0-9]{4}-[0-9]{2}$/.test(text)) { text += "-01"; }
    return parseDate(text);
  }

  function schooling(data, status, born, capture, ctx, r) {
    if (r.errors["child.date_of_birth"]) { born = null; }  // no age to judge by
    if (status && ctx.has("schooling_status", status) && SCHOOL_AGES[status] && born &&
        born <= capture) {
      var bounds = SCHOOL_AGES[status], age = schoolAge(born, capture);
      if ((bounds[0] !== null && age < bounds[0]) || (bounds[1] !== null && age > bounds[1])) {
        r.warn("child.schooling_status", "“" + labelOf(ctx, "schooling_status", status) +
               "” không hợp với tuổi của trẻ (" + age + " tuổi theo năm học; thường " +
               span(bounds[0], bounds[1]) + "). Vui lòng kiểm tra lại.");
      }
    }
    if (status !== DROPPED_OUT) { return; }
    var path = "child.school_left_level";
    var level = code(data.school_left_level, "school_level", path, "Cấp học khi bỏ học", r, ctx,
                     false);
    if (level === null) {
      r.error(path, "Trẻ đã bỏ học: chọn cấp học khi bỏ học.");
    } else if (!r.errors[path] && LEVEL_AGES[level] !== undefined && born && born <= capture &&
               schoolAge(born, capture) < LEVEL_AGES[level]) {
      r.warn(path, "Trẻ " + schoolAge(born, capture) + " tuổi theo năm học chưa thể học “" +
             labelOf(ctx, "school_level", level) + "” (thường " + span(LEVEL_AGES[level], null) +
             "). Vui lòng kiểm tra lại.");
    }
    var raw = data.school_left_on, leftOn = parseLeftOn(raw);
    var last = capture < ctx.today ? capture : ctx.today;
    if (raw === null || raw === undefined || raw === "") {
      r.error("child.school_left_on", "Trẻ đã bỏ học: nhập ngày (hoặc tháng) bỏ học.");
    } else if (leftOn === null) {
      r.error("child.school_left_on", "Ngày bỏ học không đúng định dạng ngày.");
    } else if (leftOn > last || (born && leftOn < born)) {
      r.error("child.school_left_on", "Ngày bỏ học phải từ ngày sinh đến ngày thu thập.");
    }
  }

  function child(data, capture, ctx, r) {
    var p = "child.";
    name(data.full_name, p + "full_name", "Họ và tên", r);
    var sex = code(data.sex, "sex", p + "sex", "Giới tính", r, ctx);
    var born = birthDate(data.date_of_birth, capture, ctx.today, ctx.ageLimit || 16, r);
    code(data.ethnicity_code, "ethnicity", p + "ethnicity_code", "Dân tộc", r, ctx);
    code(data.nationality || "VN", "nationality", p + "nationality", "Quốc tịch", r, ctx);
    var status = code(data.schooling_status, "schooling_status", p + "schooling_status",
                      "Tình trạng học tập", r, ctx, false);
    text(data.current_residence, p + "current_residence", "Nơi ở hiện tại", r);
    text(data.address, p + "address", "Địa chỉ chi tiết", r);
    var village = cleanText(data.village);
    if (!village) {
      r.error(p + "village", "Thôn, xóm, bản: vui lòng chọn.");
    } else if (ctx.villages && !ctx.villages[village]) {
      r.error(p + "village", NOT_YOURS);
    }
    var number = compact(data.personal_id);
    if (number) { checkPersonalId(number, sex, born ? +born.slice(0, 4) : null, r); }
    schooling(data, status, born, capture, ctx, r);
  }

  function household(data, ctx, r) {
    var p = "household.";
    name(data.head_name, p + "head_name", "Họ tên chủ hộ", r);
    text(data.address, p + "address", "Địa chỉ hộ", r);
    code(data.poverty_status || "none", "poverty_status", p + "poverty_status",
         "Hộ nghèo/cận nghèo", r, ctx);
    if (data.id) {
      if (ctx.households && !ctx.households[data.id]) {
        r.error(p + "id", "Hộ gia đình không thuộc địa bàn của bạn.");
      }
    } else if (data.village && ctx.villages && !ctx.villages[data.village]) {
      r.error(p + "village", NOT_YOURS);
    }
  }

  function circumstance(item, path, capture, ctx, r) {
    var c = code(item.code, "circumstance", path + ".code", "Hoàn cảnh", r, ctx);
    var since = item.since ? parseDate(item.since) : capture;
    var until = parseDate(item.until);
    if (since === null) {
      r.error(path + ".since", "Từ ngày: không đúng định dạng ngày.");
    } else if (since > capture) {
      r.error(path + ".since", "Từ ngày không được sau ngày thu thập.");
    }
    if (item.until && until === null) {
      r.error(path + ".until", "Đến ngày: không đúng định dạng ngày.");
    } else if (until && since && until < since) {
      r.error(path + ".until", "Đến ngày phải sau từ ngày.");
    }
    (c && DETAIL_LISTS[c] || []).forEach(function (list) {
      var value = cleanText((item.detail || {})[list]) || null;
      if (value === null && OPTIONAL_DETAILS[c]) { return; }
      if (value === null || !ctx.has(list, value)) {
        r.error(path + ".detail." + list, DETAIL_MESSAGES[list]);
      }
    });
    text(item.note, path + ".note", "Ghi chú", r, 500);
    return { code: c, until: until };
  }

  function caregiver(item, path, ctx, r) {
    code(item.relation, "caregiver_relation", path + ".relation", "Quan hệ với trẻ", r, ctx);
    name(item.full_name, path + ".full_name", "Họ tên người nuôi dưỡng", r);
    var number = compact(item.personal_id);
    var label = "Số định danh người nuôi dưỡng";
    if (number) {
      if (!asciiDigits(number) || (number.length !== 9 && number.length !== 12)) {
        r.error(path + ".personal_id", label + " phải gồm 12 chữ số (hoặc 9 chữ số nếu là CMND cũ).");
      } else if (number.length === 12 && OLD_PROVINCES.indexOf(number.slice(0, 3)) < 0) {
        r.warn(path + ".personal_id", label + ": mã tỉnh " + number.slice(0, 3) +
               " không có trong danh mục.");
      }
    }
    var phone = compact(item.phone);
    if (phone && !PHONE.test(phone)) { r.error(path + ".phone", "Số điện thoại gồm 9 đến 12 chữ số."); }
  }

  /* Whole đồng as the server's parse_amount reads them: a number, or ASCII digits with "."
   * or "," between thousands; else NaN. */
  function integer(value) {
    if (typeof value === "number") { return Number.isInteger(value) ? value : NaN; }
    var text = strip(String(value).replace(/\./g, "").replace(/,/g, ""));
    return /^[0-9]+$/.test(text) ? +text : NaN;
  }

  function amount(value, path, r) {
    if (value === null || value === undefined || value === "") { return; }
    var number = integer(value);
    if (!(number >= 0)) {
      r.error(path, "Số tiền (đồng) phải là số nguyên không âm.");
    } else if (number > MAX_AMOUNT_VND) {
      r.error(path, "Số tiền (đồng) quá lớn, vui lòng kiểm tra.");
    }
  }

  function support(item, path, capture, ctx, r) {
    var given = parseDate(item.date);
    if (given === null) {
      r.error(path + ".date", "Ngày trợ giúp: vui lòng nhập ngày hợp lệ.");
    } else if (given > capture) {
      r.error(path + ".date", "Ngày trợ giúp không được sau ngày thu thập.");
    }
    amount(item.amount, path + ".amount", r);
    code(item.code, "support_form", path + ".code", "Hình thức trợ giúp", r, ctx);
    text(item.provider, path + ".provider", "Đơn vị trợ giúp", r);
    text(item.note, path + ".note", "Ghi chú", r, 500);
  }

  function closure(data, capture, ctx, r) {
    if (!data.closure) { return; }
    var on = data.closure.date ? parseDate(data.closure.date) : capture;
    var born = parseDate((data.child || {}).date_of_birth);
    if (on === null || on > capture || (born !== null && on < born)) {
      r.error("closure.date", "Ngày chuyển đi/mất phải từ ngày sinh đến ngày thu thập.");
    }
    var cause = cleanText(data.closure.cause) || null;
    if (data.closure.reason !== "died") {
      if (cause) { r.error("closure.cause", "Nguyên nhân tai nạn thương tích chỉ ghi khi trẻ đã mất."); }
    } else if (data.closure.injury !== false) {
      if (cause === null) {
        if (data.closure.injury) { r.error("closure.cause", "Chọn nguyên nhân tai nạn thương tích."); }
      } else if (!ctx.has("injury_cause", cause)) {
        r.error("closure.cause", "Nguyên nhân: mã " + cause + " không có trong danh mục.");
      }
    }
  }

  /* A new DB14 (serious illness in a poor or near-poor household) for a household that is
   * neither; the register's own (with its id) stays. */
  function notPoor(data, r) {
    if (POOR[cleanText((data.household || {}).poverty_status) || "none"]) { return; }
    (data.circumstances || []).forEach(function (item, i) {
      if (item && !item.masked && !item.id && cleanText(item.code) === "DB14" &&
          parseDate(item.until) === null) {
        r.error("circumstances." + i + ".code", NOT_POOR);
      }
    });
  }

  /* Every error and warning of a snapshot captured on ctx.capture (YYYY-MM-DD).
   * ctx: {capture, today, has(list, code), villages: {code: true}, households: {id: true},
   *       ageLimit (the packet's rules.age_limit; 16 if absent)} */
  function snapshot(data, ctx) {
    var r = new Result();
    var capture = ctx.capture;
    child(data.child || {}, capture, ctx, r);
    household(data.household || {}, ctx, r);
    var open = {};
    (data.circumstances || []).forEach(function (item, i) {
      if (item && item.masked) { return; }
      var c = circumstance(item || {}, "circumstances." + i, capture, ctx, r);
      if (c.until === null || c.until > capture) { open[c.code] = true; }
    });
    var caregivers = data.caregivers || [];
    caregivers.forEach(function (item, i) { caregiver(item || {}, "caregivers." + i, ctx, r); });
    (data.supports || []).forEach(function (item, i) {
      support(item || {}, "supports." + i, capture, ctx, r);
    });
    if (!caregivers.length && !Object.keys(open).some(function (c) { return NO_CAREGIVER_NEEDED[c]; })) {
      r.error("caregivers", "Người nuôi dưỡng: cần ít nhất một người (trừ trẻ bị bỏ rơi hoặc di " +
              "cư, lánh nạn chưa xác định được cha mẹ).");
    }
    notPoor(data, r);
    closure(data, capture, ctx, r);
    return { errors: r.errors, warnings: r.warnings };
  }

  /* Free text kept with its line breaks, each line tidied (cases/validators.py _paragraphs). */
  function paragraphs(value) {
    return strip(String(value || "").split(/\r\n|\r|\n/).map(cleanText).join("\n"));
  }

  function longText(value, path, label, r, required, limit) {
    var text = limit <= 200 ? cleanText(value) : paragraphs(value);
    if (!text && required) {
      r.error(path, label + ": vui lòng nhập.");
    } else if (length(text) > limit) {
      r.error(path, label + " dài quá " + limit + " ký tự.");
    }
  }

  /* A report of a child at risk (kind protection_report), by cases/validators.py
   * validate_field_report. ctx: {now: Vietnam's time as YYYY-MM-DDTHH:MM, has(list, code),
   * villages: {code: true}}. */
  function report(data, ctx) {
    var r = new Result();
    var child = data.child;
    if (data.child_id) {
      // A register child of the phone's packet: the server checks the rest.
    } else if (child && typeof child === "object") {
      name(child.full_name, "child.full_name", "Họ tên trẻ", r);
      var sex = cleanText(child.sex) || null;
      if (sex !== null && !ctx.has("sex", sex)) { r.error("child.sex", "Giới tính: chọn Nam hoặc Nữ."); }
      var born = parseDate(child.date_of_birth);
      if (child.date_of_birth && born === null) {
        r.error("child.date_of_birth", "Ngày sinh: nhập đúng dạng ngày.");
      } else if (born && born > ctx.now.slice(0, 10)) {
        r.error("child.date_of_birth", "Ngày sinh không thể sau ngày tiếp nhận.");
      }
      var age = child.estimated_age;
      var hasAge = age !== null && age !== undefined && age !== "";
      if (hasAge && !(Number.isInteger(age) && age >= 0 && age <= 17)) {
        r.error("child.estimated_age", "Tuổi ước tính: một số từ 0 đến 17.");
      }
      if (born === null && !hasAge && !r.errors["child.date_of_birth"]) {
        r.error("child.estimated_age", "Nhập ngày sinh hoặc tuổi ước tính của trẻ.");
      }
      var village = cleanText(child.village) || null;
      if (village === null) {
        r.error("child.village", "Thôn, bản: vui lòng chọn.");
      } else if (!ctx.villages[village]) {
        r.error("child.village", "Thôn, bản không thuộc địa bàn của bạn.");
      }
    } else {
      r.error("child", "Trẻ em: chọn trẻ trong danh sách hoặc ghi họ tên, tuổi, thôn.");
    }
    longText(data.situation, "situation", "Sự việc đã thấy", r, true, 4000);
    longText(data.location, "location", "Nơi xảy ra", r, false, 200);
    var seen = cleanText(data.seen_at);
    if (seen) {
      if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?)?$/.test(seen)) {
        r.error("seen_at", "Thời điểm phát hiện: nhập ngày giờ (YYYY-MM-DDTHH:MM).");
      } else if (seen.slice(0, 16) > ctx.now) {
        r.error("seen_at", "Thời điểm phát hiện không thể sau lúc báo tin.");
      }
    }
    if (data.urgent !== true && data.urgent !== false) {
      r.error("urgent", "Trẻ đang gặp nguy hiểm, cần can thiệp ngay: vui lòng chọn có hoặc không.");
    }
    var phone = cleanText(data.reporter_phone).replace(/[ .]/g, "");
    if (phone && !PHONE.test(phone)) { r.error("reporter_phone", "Số điện thoại gồm 9 đến 12 chữ số."); }
    return { errors: r.errors, warnings: r.warnings };
  }

  FA.validate = { snapshot: snapshot, report: report };
})(self.FA = self.FA || {});
