/* The cookie-consent banner of the alectro-policy plugin. No dependencies.
   README, «Cookie-баннер», documents the API; consent.py documents the cookie's value. */
(function () {
  "use strict";
  var doc = document;
  var settingsTag = doc.getElementById("alectro-consent-settings");
  var template = doc.getElementById("alectro-consent");
  if (!settingsTag || !template || window.alectroConsent) return;

  var S = JSON.parse(settingsTag.textContent);
  var VERSION = 1;
  var NECESSARY = "necessary";
  var GATED = 'script[type="text/plain"][data-consent-category],[data-consent-inline]';
  var stored = read();
  // Only a choice made under the bound edition counts; an older one pre-fills the switches.
  var current = stored && stored.edition >= S.edition ? stored : null;
  var banner, returnFocus;
  var lastPath = location.pathname;

  // FNV-1a, 32 bit, in base 36: consent.py's checksum().
  function checksum(text) {
    for (var hash = 0x811c9dc5, i = 0; i < text.length; i++) {
      hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
    }
    return hash.toString(36);
  }

  function now() {
    return Math.floor(Date.now() / 1000);
  }

  function read() {
    var pair = doc.cookie.match(new RegExp("(?:^|; )" + S.cookie.name + "=([^;]*)"));
    var value = pair && pair[1];
    var field = value && /^(\d+)\.([a-z][a-z0-9_-]*(?:\+[a-z][a-z0-9_-]*)*)\.(\d{1,6})\.(\d{1,12})\.([0-9a-z]{1,7})$/.exec(value);
    if (!field || +field[1] !== VERSION || checksum(value.slice(0, value.lastIndexOf("."))) !== field[5]) return null;
    var categories = field[2].split("+");
    var time = +field[4];
    if (categories[0] !== NECESSARY || new Set(categories).size !== categories.length) return null;
    if (time > now() + 86400 || now() - time > S.cookie.days * 86400) return null;
    return { version: VERSION, categories: categories, edition: +field[3], time: time };
  }

  function write(consent) {
    var body = [VERSION, consent.categories.join("+"), consent.edition, consent.time].join(".");
    doc.cookie = S.cookie.name + "=" + body + "." + checksum(body) + "; Path=/; Max-Age=" + S.cookie.days * 86400 +
      (S.cookie.domain ? "; Domain=" + S.cookie.domain : "") + "; SameSite=Lax" +
      (location.protocol === "https:" ? "; Secure" : "");
  }

  function granted(category) {
    return !!current && current.categories.indexOf(category) >= 0;
  }

  // Remove what a withdrawn category left: its cookies (from this host and each parent domain,
  // since a cookie is only removed with the domain it was set for) and its localStorage keys.
  function forget(category) {
    var patterns = S.cookies[category] || [];
    function matches(name) {
      return patterns.some(function (p) {
        return p.slice(-1) === "*" ? name.indexOf(p.slice(0, -1)) === 0 : name === p;
      });
    }
    var labels = location.hostname.split(".");
    doc.cookie.split("; ").forEach(function (pair) {
      var name = pair.split("=")[0];
      if (!matches(name)) return;
      for (var i = 0; i <= labels.length; i++) {
        doc.cookie = name + "=; Path=/; Max-Age=0" + (i < labels.length ? "; Domain=" + labels.slice(i).join(".") : "");
      }
    });
    try {
      for (var k = localStorage.length; k--;) {
        if (matches(localStorage.key(k))) localStorage.removeItem(localStorage.key(k));
      }
    } catch (e) {
      // No localStorage (private mode, blocked storage): nothing was stored there either.
    }
  }

  // Yandex Metrica's tag, loaded from its own host (no inline script: the site's CSP allows none).
  function startMetrica() {
    if (!S.metrica || window.ym || !granted(S.metrica.category)) return;
    var ym = window.ym = function () { (ym.a = ym.a || []).push(arguments); };
    ym.l = Date.now();
    var tag = doc.createElement("script");
    tag.async = true;
    tag.src = "https://mc.yandex.ru/metrika/tag.js";
    doc.head.append(tag);
    ym(S.metrica.counter, "init", { clickmap: true, trackLinks: true, accurateTrackBounce: true });
  }

  // A gated element becomes a live script, once, when its category is granted. In page order, as the
  // browser runs scripts: an inline one waits until a gated library before it has loaded.
  function activate() {
    startMetrica();
    var queue = [].filter.call(doc.querySelectorAll(GATED), function (gated) {
      return !gated.queued && granted(gated.getAttribute("data-consent-category")) && (gated.queued = 1);
    });
    (function next() {
      var gated = queue.shift();
      if (!gated) return;
      var script = doc.createElement("script");
      copy(gated, script, /^(type|hidden|data-src|data-consent-category|data-consent-inline)$/);
      if (gated.hasAttribute("data-src")) {
        script.onload = script.onerror = next;
        script.src = gated.getAttribute("data-src");
      } else {
        script.text = gated.textContent;
      }
      gated.replaceWith(script);
      if (!script.src) next();
    })();
  }

  function copy(from, to, skip) {
    for (var i = 0; i < from.attributes.length; i++) {
      var attribute = from.attributes[i];
      if (!skip || !skip.test(attribute.name)) to.setAttribute(attribute.name, attribute.value);
    }
  }

  function part(name) {
    return banner.querySelector("[data-consent-" + name + "]");
  }

  function show(expanded) {
    if (!banner) {
      banner = template.content.firstElementChild.cloneNode(true);
      // First in the tab order after Material's skip link, though shown at the bottom.
      var skip = doc.querySelector("[data-md-component=skip]");
      if (skip) skip.after(banner);
      else doc.body.prepend(banner);
      // Absolute links: the banner stays put while instant navigation changes the page under it.
      banner.querySelectorAll("a[href]").forEach(function (a) { a.href = a.href; });
      // Room below the page as tall as the banner, so the page's end and its footer scroll clear of it;
      // it follows the banner (settings opened, a phone turned) and is gone while the banner is hidden.
      new ResizeObserver(function () {
        doc.documentElement.style.setProperty("--alectro-consent-height", banner.offsetHeight + "px");
      }).observe(banner);
      banner.addEventListener("click", onClick);
      banner.addEventListener("keydown", function (event) {
        if (event.key === "Escape" && current) hide();
      });
    }
    var updated = part("updated");
    if (updated) updated.hidden = !(stored && stored.edition < S.edition);
    var previous = current || stored;
    banner.querySelectorAll("input:not([disabled])").forEach(function (input) {
      input.checked = !!previous && previous.categories.indexOf(input.value) >= 0;
    });
    expand(expanded);
    banner.hidden = false;
  }

  function expand(expanded) {
    part("panel").hidden = !expanded;
    part("action=settings").hidden = expanded;
    part("action=save").hidden = !expanded;
  }

  function hide() {
    banner.hidden = true;
    if (returnFocus && returnFocus.isConnected) returnFocus.focus();
    returnFocus = null;
  }

  function onClick(event) {
    var button = event.target.closest("[data-consent-action]");
    if (!button) return;
    var action = button.getAttribute("data-consent-action");
    if (action === "settings") {
      expand(true);
      banner.querySelector("input:not([disabled])").focus();
      return;
    }
    var chosen = action === "all" ? S.categories : action === "necessary" ? [] :
      [].map.call(banner.querySelectorAll("input:checked:not([disabled])"), function (input) { return input.value; });
    save(chosen);
  }

  function save(categories) {
    current = stored = { version: VERSION, categories: [NECESSARY].concat(categories), edition: S.current, time: now() };
    write(current);
    S.categories.forEach(function (category) {
      if (!granted(category)) forget(category);
    });
    // Yandex Metrica's own switch: a loaded counter stops sending when this is true.
    if (S.metrica) window["disableYaCounter" + S.metrica.counter] = !granted(S.metrica.category);
    hide();
    activate();
    doc.dispatchEvent(new CustomEvent("alectro:consent", { detail: api.get() }));
  }

  // A page swapped in by Material's instant navigation: run its granted scripts, count the visit.
  function onPage() {
    activate();
    if (location.pathname === lastPath) return;
    lastPath = location.pathname;
    if (S.metrica && window.ym && granted(S.metrica.category)) window.ym(S.metrica.counter, "hit", location.href);
  }

  var api = window.alectroConsent = {
    get: function () {
      return current && {
        version: current.version, categories: current.categories.slice(), edition: current.edition, time: current.time
      };
    },
    has: granted,
    open: function () {
      returnFocus = doc.activeElement;
      show(true);
      banner.querySelector("input:not([disabled]), button:not([hidden])").focus();
    }
  };

  doc.addEventListener("click", function (event) {
    if (!event.target.closest || !event.target.closest("[data-alectro-consent-open]")) return;
    event.preventDefault();
    api.open();
  });

  if (window.document$) {
    // Instant navigation re-creates a new page's inline scripts without their attributes, which would
    // run a gated one at once: as each page is parsed, turn gated scripts into inert placeholders.
    var parse = DOMParser.prototype.parseFromString;
    DOMParser.prototype.parseFromString = function () {
      var parsed = parse.apply(this, arguments);
      parsed.querySelectorAll(GATED).forEach(function (gated) {
        var holder = parsed.createElement("div");
        copy(gated, holder);
        holder.hidden = true;
        holder.setAttribute("data-consent-inline", "");
        holder.textContent = gated.textContent;
        gated.replaceWith(holder);
      });
      return parsed;
    };
    window.document$.subscribe(onPage);
  }
  if (!current) show(false);
  activate();
})();
