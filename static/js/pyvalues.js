/* What Python does to a value before the server's rules see it, done the same way on the
 * phone: whitespace as str.split and str.strip know it, NFC, title() of a name typed in one
 * case, and dates as parse_date reads them. JS differs from Python in each of these. */
(function (FA) {
  "use strict";
  /* Python's whitespace (str.split, str.strip, re's \s). JS's \s differs: it takes U+FEFF,
   * and leaves U+001C–U+001F and U+0085. */
  var SPACE = "[\\t-\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f" +
    "\\u205f\\u3000]";
  var SPACES = new RegExp(SPACE + "+", "g");
  var EDGE_SPACES = new RegExp("^" + SPACE + "+|" + SPACE + "+$", "g");
  var ISO_DAY = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;  // what date pickers send, nothing else
  /* Python's title case of the Greek letters with a iota subscript outside U+1F80–U+1FAF
   * (see titleCase), where toUpperCase gives one letter more, or a letter for a mark. */
  var GREEK_TITLE = {
    "\u1fb2": "\u1fba\u0345", "\u1fb3": "\u1fbc", "\u1fb4": "\u0386\u0345",
    "\u1fb7": "\u0391\u0342\u0345", "\u1fbc": "\u1fbc", "\u1fc2": "\u1fca\u0345",
    "\u1fc3": "\u1fcc", "\u1fc4": "\u0389\u0345", "\u1fc7": "\u0397\u0342\u0345",
    "\u1fcc": "\u1fcc", "\u1ff2": "\u1ffa\u0345", "\u1ff3": "\u1ffc",
    "\u1ff4": "\u038f\u0345", "\u1ff7": "\u03a9\u0342\u0345", "\u1ffc": "\u1ffc"
  };

  function cleanText(value) {
    if (value === null || value === undefined || value === false || value === 0) { return ""; }
    return String(value).normalize("NFC").split(SPACES).filter(Boolean).join(" ");
  }

  function strip(text) { return text.replace(EDGE_SPACES, ""); }

  function compact(value) {
    return value ? String(value).replace(SPACES, "").replace(/[.\-]/g, "") : "";
  }

  function length(text) { return Array.from(text).length; }

  function pad(number, width) { return String(number).padStart(width, "0"); }

  function isLeap(y) { return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0); }

  /* A UTC day; the day of the month may overflow into the next or previous months. */
  function utcDay(y, month, day) {
    var t = new Date(0);
    t.setUTCFullYear(y, month - 1, day);  // Date.UTC would read years 0–99 as 1900–1999
    return t;
  }

  /* A YYYY-MM-DD date as the server's parse_date reads it; else null. */
  function parseDate(value) {
    if (value === null || value === undefined || value === "") { return null; }
    var m = ISO_DAY.exec(strip(String(value)));
    if (!m) { return null; }
    var day = utcDay(+m[1], +m[2], +m[3]);
    if (+m[1] < 1 || day.getUTCMonth() !== +m[2] - 1 || day.getUTCDate() !== +m[3]) {
      return null;  // Python's dates start in year 1
    }
    return m[1] + "-" + m[2] + "-" + m[3];
  }

  /* The birthday on which a child reaches the age limit (the packet's rules.age_limit; 16, the
   * Law on Children's, when a packet from before the setting has none). */
  function sixteenthBirthday(born, limit) {
    var y = +born.slice(0, 4) + (limit || 16), md = born.slice(5);
    return pad(y, 4) + (md === "02-29" && !isLeap(y) ? "-03-01" : "-" + md);
  }

  /* Python's islower() or isupper(): it has cased letters, all of one case. */
  function oneCase(text) {
    var upper = /\p{Uppercase}/u.test(text), lower = /\p{Lowercase}/u.test(text);
    return !/\p{Lt}/u.test(text) && upper !== lower;
  }

  /* A letter's title case as Python has it. JS has only toUpperCase, which agrees in length and
   * in letters (what the checks see) but for the Greek letters with a iota subscript. */
  function titleCase(c) {
    var cp = c.codePointAt(0);
    if (cp >= 0x1f80 && cp <= 0x1faf) { return String.fromCharCode(cp | 8); }  // ᾀ → ᾈ
    return GREEK_TITLE[c] || c.toUpperCase();
  }

  /* Python's title(), which the server applies to a name typed in one case before checking
   * it: a letter can grow ("ß" → "Ss", "ﬀ" → "Ff"), and the grown name is what it counts. */
  function titled(text) {
    var cased = false;
    return Array.from(text).map(function (c) {
      var out = cased ? c.toLowerCase() : titleCase(c);
      cased = /\p{Cased}/u.test(c);
      return out;
    }).join("");
  }

  FA.py = {
    cleanText: cleanText, strip: strip, compact: compact, length: length, oneCase: oneCase,
    titled: titled, parseDate: parseDate, sixteenthBirthday: sixteenthBirthday
  };
})(self.FA = self.FA || {});
