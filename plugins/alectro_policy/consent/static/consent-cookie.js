/* The consent cookie's codec: its value written and read, its name, and the keys of its secret. Pure functions of
   their arguments (no page, no clock, no settings), so that tests/unit/consent/test_cookie_js.py runs this file
   alone under Node against consent/cookie.py, the reference reader that documents the value. consent/assets.py
   puts it before consent.js, in the banner's one closure. */
var NECESSARY = "necessary";
var VERSION = 3;
var LINKS = 1000;
// Format 3: version, categories, document key, edition, time, consent ID, secret, link, banner text, checksum.
// Format 2 (no secret, link, text) and format 1 (no document, no ID either) were written by earlier releases and
// are still read.
var FORMAT = /^([1-3])\.([a-z][a-z0-9_-]*(?:\+[a-z][a-z0-9_-]*)*)\.(?:([0-9a-f]{8})\.)?(\d{1,6})\.(\d{1,12})\.(?:([0-9a-f]{32})\.)?(?:([0-9a-f]{32})\.(\d{1,4})\.([0-9a-f]{16})\.)?([0-9a-z]{1,7})$/;

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

function hex(bytes) {
  return [].map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
}

// The choice a cookie value holds, or null when it counts as none: malformed, tampered with, dated more than a
// day after `now` or older than `days` (both in Unix seconds).
function decode(value, now, days) {
  var field = FORMAT.exec(value);
  // Format 1 has no document, ID or secret; format 2 a document and an ID; format 3 all three.
  if (!field || !field[3] !== field[1] < 2 || !field[6] !== !field[3] || !field[7] !== field[1] < 3 ||
    checksum(value.slice(0, value.lastIndexOf("."))) !== field[10]) return null;
  var categories = field[2].split("+");
  var time = +field[5];
  if (categories[0] !== NECESSARY || new Set(categories).size !== categories.length) return null;
  if (time > now + 86400 || now - time > days * 86400) return null;
  return {
    categories: categories, document: field[3] || null, edition: +field[4], time: time,
    id: field[6] ? dashed(field[6]) : null, secret: field[7], link: ~~field[8], text: field[9]
  };
}

// The choice in the cookies the browser sends ([name, value] pairs) under `name`: exactly one valid value (none:
// undefined). Two count as none: one left on another domain or path, or planted.
function pick(pairs, name, now, days) {
  var found = pairs.map(function (pair) { return pair[0] === name && decode(pair[1], now, days); }).filter(Boolean);
  return found[1] ? null : found[0];
}

// The format-3 value of `choice` ({categories, edition, time, id, secret, link, text}, its ID dashed or not) under
// the document whose key is `documentKey`.
function encode(choice, documentKey) {
  var body = [VERSION, choice.categories.join("+"), documentKey, choice.edition, choice.time,
    choice.id.replace(/-/g, ""), choice.secret, choice.link, choice.text].join(".");
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
  return hex(bytes);
}

// The key a choice's record shows (a promise; `link` from 0 to LINKS - 1): SHA-256 (its first 32 hex digits) of
// the secret, LINKS - link times over. Each key is the hash of the next choice's, so a record shows the key before which only this
// browser can compute (consent_chain.py). Throws where the page has no crypto.subtle (plain http, not localhost):
// the banner calls it after all else.
function key(secret, link) {
  return crypto.subtle.digest("SHA-256", new TextEncoder().encode(secret)).then(function (digest) {
    digest = hex(new Uint8Array(digest, 0, 16));
    return ++link < LINKS ? key(digest, link) : digest;
  });
}
