/* The cookie-consent banner of the alectro-policy plugin. No dependencies. The body of one closure that
   consent/assets.py makes of consent-cookie.js (the cookie's codec: checksum, decode, pick, encode, cookieName,
   uuid, key)
   and this file. CONTRIBUTING.md documents the API; consent/cookie.py documents the cookie's value. */
  var doc = document;
  // By tag, type and the last match: a policy heading whose text slugifies to one of our ids comes earlier.
  function last(selector) {
    var all = doc.querySelectorAll(selector);
    return all[all.length - 1];
  }
  var settingsTag = last('script#alectro-consent-settings[type="application/json"]');
  var template = last("template#alectro-consent");
  if (!settingsTag || !template || window.alectroConsent) return;

  var S = JSON.parse(settingsTag.textContent);
  var HTTPS = location.protocol === "https:";
  var NAME = cookieName(S.cookie.name, HTTPS, S.cookie.domain);
  var GATED = 'script[type="text/plain"][data-consent-category],[data-consent-inline]';
  var banner, opener, metricaStarted, shown;
  var lastPath = location.pathname;

  function now() {
    return Math.floor(Date.now() / 1000);
  }

  // The cookies the browser sends, as [name, value] pairs.
  function cookies() {
    return doc.cookie.split("; ").map(function (pair) {
      var at = pair.indexOf("=");
      return at < 0 ? ["", pair] : [pair.slice(0, at), pair.slice(at + 1)];
    });
  }

  // The choice, if exactly one valid consent cookie is sent (two, one left on another domain or path or planted,
  // count as none); with `earlier`, or else the one an earlier release wrote under the configured name before the
  // __Host- one (issue 17): a choice continues its ID, but it grants nothing, since a sibling subdomain can plant
  // that name; the banner asks again.
  function read(earlier) {
    return pick(cookies(), NAME, now(), S.cookie.days) || earlier && pick(cookies(), S.cookie.name, now(), S.cookie.days);
  }

  // Only a choice made under the bound edition counts (an older one pre-fills the switches). Read
  // again at every use: another tab may have changed it since this page was loaded.
  // It must also be a choice under the document consent is bound to (a format-1 one was made under the policy).
  function current() {
    var saved = read();
    return saved && (saved.document ? saved.document === S.document.key : S.document.policy) &&
      saved.edition >= S.edition ? saved : null;
  }

  // A cookie is only removed with the domain and the path it was set for: this host's (host-only and as a
  // domain) and each parent domain's, and every path the browser sends it on this page with (/, /privacy,
  // /privacy/, …): one left with Path=/privacy/ would otherwise be sent beside ours on every page, and two
  // cookies count as no choice.
  function erase(name) {
    var labels = location.hostname.split("."), paths = ["/"], path = "";
    location.pathname.split("/").slice(1).forEach(function (part) {
      paths.push(path += "/" + part, path + "/");
    });
    paths.forEach(function (at) {
      for (var i = 0; i <= labels.length; i++) {
        doc.cookie = name + "=; Path=" + at + "; Max-Age=0" + (HTTPS ? "; Secure" : "") +
          (i < labels.length ? "; Domain=" + labels.slice(i).join(".") : "");
      }
    });
  }

  // Exactly one consent cookie afterwards: one left on another domain or path (cookie_domain set or changed
  // between releases, or the name without __Host- before https) would be sent too, and might be read instead.
  function write(consent) {
    erase(S.cookie.name);
    if (NAME !== S.cookie.name) erase(NAME);
    doc.cookie = NAME + "=" + encode(consent, S.document.key) + "; Path=/; Max-Age=" + S.cookie.days * 86400 +
      (S.cookie.domain ? "; Domain=" + S.cookie.domain : "") + "; SameSite=Lax" + (HTTPS ? "; Secure" : "");
  }

  function granted(category) {
    var choice = current();
    return !!choice && choice.categories.indexOf(category) >= 0;
  }

  // Remove what a withdrawn category left: its cookies and its localStorage keys.
  function forget(category) {
    var patterns = S.cookies[category] || [];
    function matches(name) {
      return patterns.some(function (p) {
        return p.slice(-1) === "*" ? name.indexOf(p.slice(0, -1)) === 0 : name === p;
      });
    }
    cookies().forEach(function (pair) {
      if (matches(pair[0])) erase(pair[0]);
    });
    try {
      for (var k = localStorage.length; k--;) {
        if (matches(localStorage.key(k))) localStorage.removeItem(localStorage.key(k));
      }
    } catch (e) {
      // No localStorage (private mode, blocked storage): nothing was saved there either.
    }
  }

  // Yandex Metrica's tag, loaded from its own host (no inline script: the site's CSP allows none), and
  // its own switch: a loaded counter stops sending while disableYaCounterN is true, as in a tab whose
  // choice was withdrawn in another.
  function metrica() {
    if (!S.metrica) return;
    var off = window["disableYaCounter" + S.metrica.counter] = !granted(S.metrica.category);
    // Our own flag, not window.ym: an element with the id "ym" (a heading «YM») is window.ym too.
    if (metricaStarted || off) return;
    metricaStarted = 1;
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
    metrica();
    var queue = [].filter.call(doc.querySelectorAll(GATED), function (item) {
      return !item.queued && (item.queued = 1);
    });
    (function next() {
      var item = queue.shift();
      if (!item) return;
      // Asked when its turn comes, which may be after a library before it has loaded.
      if (!granted(item.getAttribute("data-consent-category"))) {
        item.queued = 0;
        return next();
      }
      var script = doc.createElement("script");
      copy(item, script, /^(type|hidden|data-src|data-consent-category|data-consent-inline)$/);
      if (item.hasAttribute("data-src")) {
        script.onload = script.onerror = next;
        script.src = item.getAttribute("data-src");
      } else {
        script.text = item.textContent;
      }
      item.replaceWith(script);
      if (!script.src) next();
    })();
  }

  function copy(from, to, skip) {
    for (var i = 0; i < from.attributes.length; i++) {
      var attr = from.attributes[i];
      if (!skip || !skip.test(attr.name)) to.setAttribute(attr.name, attr.value);
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
        if (event.key === "Escape" && current()) hide();
      });
    }
    var saved = read();
    var updated = part("updated");
    if (updated) updated.hidden = !(saved && !current());
    // Which of the banner's texts the visitor reads (consent/shown_text.py): asked again after a new edition, or not.
    shown = updated && !updated.hidden ? "reask" : "ask";
    banner.querySelectorAll("input:not([disabled])").forEach(function (input) {
      input.checked = !!saved && saved.categories.indexOf(input.value) >= 0;
    });
    expand(expanded);
    banner.hidden = false;
    // The visitor's own record of the choice: its date, the ID to cite in a request to the shop and the code of
    // its record (none before format 3, nor an ID before format 2).
    part("record").hidden = !saved;
    if (saved) {
      // In the site's time zone (the plugin's `timezone`), in the banner's language.
      part("date").textContent = new Date(saved.time * 1000).toLocaleDateString("ru",
        { dateStyle: "long", timeZone: S.timezone });
      // None before format 2: null empties it.
      part("id").textContent = saved.id;
      banner.querySelectorAll("[data-consent-with-id]").forEach(function (item) { item.hidden = !saved.id; });
      // Last: key() throws where the page has no crypto.subtle (plain http).
      if (saved.secret) key(saved.secret, saved.link).then(function (k) {
        part("code").textContent = k.slice(0, 8);
        part("with-key").hidden = false;
      });
    }
  }

  function expand(expanded) {
    part("panel").hidden = !expanded;
    part("action=settings").hidden = expanded;
    part("action=save").hidden = !expanded;
  }

  // Focus goes on from where the visitor was: back to what opened the banner, or else (the banner
  // shown on arrival, or its opener gone with a swapped-in page) to the start of the page's content.
  function hide() {
    var start = doc.querySelector("article") || doc.querySelector("main") || doc.body;
    if (!(opener && opener.isConnected && opener !== doc.body)) {
      opener = start;
      if (!start.hasAttribute("tabindex")) start.tabIndex = -1;
    }
    banner.hidden = true;
    opener.focus({ preventScroll: true });
    opener = null;
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
    if (action === "receipt") {
      // The receipt's script (consent-receipt.js), loaded when asked for: it saves the receipt each time it runs.
      var receipt = doc.createElement("script");
      receipt.src = button.value;
      return doc.head.append(receipt);
    }
    var chosen = action === "all" ? S.categories : action === "necessary" ? [] :
      [].map.call(banner.querySelectorAll("input:checked:not([disabled])"), function (input) { return input.value; });
    save(chosen, action === "save" ? "custom" : action);
  }

  function random() {
    return crypto.getRandomValues(new Uint8Array(16));
  }

  // One consent, one chain: a later choice, and the choice after a re-ask, keep the ID of the choice they
  // replace and the next link of its secret, and the record names that choice's time, so the shop's proof shows
  // every choice of the consent, and that no one but this browser made it. A cookie of an earlier release (no
  // secret) starts a secret; a new ID only when the browser holds no readable choice (none yet, expired, or two
  // cookies). A secret's chain has LINKS links: a thousand choices of one consent.
  function save(categories, action) {
    var chosen = [NECESSARY].concat(categories);
    var saved = read(1);
    var before = current();
    var withdrawn = before && before.categories.some(function (c) { return chosen.indexOf(c) < 0; });
    var choice = {
      categories: chosen,
      // A tab opened before a newer edition was chosen under never takes the cookie back to its older one (a
      // choice valid on this page, under this document, is never older than the page's edition but in that tab).
      edition: Math.max(S.current, before && before.edition),
      time: now(),
      id: saved && saved.id || dashed(uuid(random())),
      secret: saved && saved.secret || hex(random()),
      link: saved ? saved.link + !!saved.secret : 0,
      // Which of the banner's texts the visitor read (consent/shown_text.py): asked again after a new edition, or not.
      text: S.text[shown]
    };
    write(choice);
    S.categories.forEach(function (category) {
      if (chosen.indexOf(category) < 0) forget(category);
    });
    hide();
    activate();
    doc.dispatchEvent(new CustomEvent("alectro:consent", { detail: api.get() }));
    record(choice, withdrawn ? "withdraw" : action, saved ? saved.time : "");
  }

  // The shop's proof of the choice: sent once to its own server, which logs it (deploy/nginx.conf). Never
  // awaited, and a failure is nobody's business but the log's: the choice stands either way.
  // Record version 4: h is the short hash of the banner's text as shown (published as banner-texts/h.txt), ed the
  // edition of this page and e the one the cookie keeps, p the time of the choice this one replaces (empty for a
  // first one), k the key of the choice's link (codec's key).
  function record(choice, kind, previous) {
    // Last of a choice: key() throws where the page has no crypto.subtle.
    if (S.log) key(choice.secret, choice.link).then(function (k) {
      return fetch(S.log + "?" + new URLSearchParams({
        v: 4, id: choice.id, choice: kind, c: choice.categories.join("+"), doc: S.document.source,
        ed: S.current, sha: S.document.sha256, t: choice.time, h: choice.text, p: previous, k: k, e: choice.edition
      }), { keepalive: true });
    }).catch(function () {});
  }

  // A page swapped in by Material's instant navigation: run its granted scripts, count the visit.
  function onPage() {
    activate();
    if (location.pathname === lastPath) return;
    lastPath = location.pathname;
    if (metricaStarted && granted(S.metrica.category)) window.ym(S.metrica.counter, "hit", location.href);
  }

  var api = window.alectroConsent = {
    get: function () {
      return current();
    },
    has: granted,
    open: function () {
      opener = doc.activeElement;
      show(true);
      banner.querySelector("input:not([disabled]), button:not([hidden])").focus();
    }
  };

  // Captured, and stopped: instant navigation, listening on <body>, would otherwise follow the link too.
  doc.addEventListener("click", function (event) {
    if (!event.target.closest || !event.target.closest("[data-alectro-consent-open]")) return;
    event.preventDefault();
    event.stopPropagation();
    api.open();
  }, true);

  if (window.document$) {
    // Instant navigation re-creates a new page's inline scripts without their attributes, which would
    // run a item one at once: as each page is parsed, turn item scripts into inert placeholders.
    var parse = DOMParser.prototype.parseFromString;
    DOMParser.prototype.parseFromString = function () {
      var parsed = parse.apply(this, arguments);
      parsed.querySelectorAll(GATED).forEach(function (item) {
        var holder = parsed.createElement("div");
        copy(item, holder);
        holder.hidden = true;
        holder.setAttribute("data-consent-inline", "");
        holder.textContent = item.textContent;
        item.replaceWith(holder);
      });
      return parsed;
    };
    window.document$.subscribe(onPage);
  }
  if (!current()) show(false);
  activate();
