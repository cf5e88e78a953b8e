/* The consent cookie's codec: its value written and read, and its name. Pure functions of their arguments (no
   page, no clock, no settings), so that tests/unit/consent/test_cookie_js.py runs this file alone under Node
   against consent/cookie.py, the reference reader that documents the value. consent/assets.py puts it before
   consent.js, in the banner's one closure. */
var NECESSARY = "necessary";
var VERSION = 2;
// Format 2: version, categories, document key, edition, time, consent ID, checksum. Format 1 (no document,
// no ID) was written under the policy and is still read.
var FORMAT = /^([12])\.([a-z][a-z0-9_-]*(?:\+[a-z][a-z0-9_-]*)*)\.(?:([0-9a-f]{8})\.)?(\d{1,6})\.(\d{1,12})\.(?:([0-9a-f]{32})\.)?([0-9a-z]{1,7})$/;

// FNV-1a, 32 bit, of the text's UTF-16 code units, in base 36: consent/cookie.py's checksum().
function checksum(text) {
  for (var hash = 0x811c9dc5, i = 0; i < text.length; i++) {
    hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  }
  return hash.toString(36);
}

// 32 hex digits as a UUID: 8-4-4-4-12.
function dashed(hex) {
  return hex.replace(/^(.{8})(.{4})(.{4})(.{4})/, "$1-$2-$3-$4-");
}

// The choice a cookie value holds, or null when it counts as none: malformed, tampered with, dated more than a
// day after `now` or older than `days` (both in Unix seconds).
function decode(value, now, days) {
  var field = FORMAT.exec(value);
  // Format 1 has neither document nor ID, format 2 both.
  if (!field || !field[3] !== (field[1] === "1") || !field[6] !== !field[3] ||
    checksum(value.slice(0, value.lastIndexOf("."))) !== field[7]) return null;
  var categories = field[2].split("+");
  var time = +field[5];
  if (categories[0] !== NECESSARY || new Set(categories).size !== categories.length) return null;
  if (time > now + 86400 || now - time > days * 86400) return null;
  return {
    categories: categories, document: field[3] || null, edition: +field[4], time: time,
    id: field[6] ? dashed(field[6]) : null
  };
}

// The format-2 value of `choice` ({categories, edition, time, id}, its ID dashed or not) under the document
// whose key is `documentKey`.
function encode(choice, documentKey) {
  var body = [VERSION, choice.categories.join("+"), documentKey, choice.edition, choice.time,
    choice.id.replace(/-/g, "")].join(".");
  return body + "." + checksum(body);
}

// The cookie's name: on https without a shared domain, with the __Host- prefix, which the browser lets only
// this host set (Secure, Path=/, no Domain): a sibling subdomain cannot plant a choice.
function cookieName(name, https, domain) {
  return https && !domain ? "__Host-" + name : name;
}

// A version-4 UUID, undashed, from 16 random bytes (the browser's cryptographic generator's).
function uuid(bytes) {
  bytes[6] = bytes[6] & 15 | 64;
  bytes[8] = bytes[8] & 63 | 128;
  return [].map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
}
