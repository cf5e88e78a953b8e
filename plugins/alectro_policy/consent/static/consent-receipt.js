/* The visitor's receipt of the choice in the consent cookie, saved as a text file. The banner (consent.js) loads
   this script when the visitor presses «Сохранить квитанцию», and each run saves one receipt: it is no part of
   the banner's weight. consent/assets.py puts consent-cookie.js (the codec: pick, key) before it in one closure.
   The last line is for the shop: `make consent-proof RECEIPT=…` (deploy/alectro_deploy/consent_receipt.py) finds
   the record it names in the consent log and checks it. */
  var doc = document;
  var all = doc.querySelectorAll('script#alectro-consent-settings[type="application/json"]');
  var S = JSON.parse(all[all.length - 1].textContent);
  var pairs = doc.cookie.split("; ").map(function (pair) {
    var at = pair.indexOf("=");
    return [pair.slice(0, at), pair.slice(at + 1)];
  });
  var now = Math.floor(Date.now() / 1000);
  var saved = pick(pairs, cookieName(S.cookie.name, location.protocol === "https:", S.cookie.domain), now,
    S.cookie.days) || pick(pairs, S.cookie.name, now, S.cookie.days);
  // Beside the script: assets/alectro-policy/ in the site's root.
  var root = new URL("../../", doc.currentScript.src);
  var template = doc.querySelector("template#alectro-consent").content;

  // A category as the banner names it: its switch's label.
  function title(category) {
    var label = template.querySelector('label[for="alectro-consent-' + category + '"]');
    return label ? label.textContent.trim() : category;
  }

  if (saved && saved.secret) key(saved.secret, saved.link).then(function (k) {
    var code = k.slice(0, 8);
    var mine = saved.document === S.document.key;
    var when = new Date(saved.time * 1000).toLocaleString("ru",
      { dateStyle: "long", timeStyle: "short", timeZone: S.timezone });
    var check = new URLSearchParams({
      v: 1, id: saved.id, code: code, t: saved.time, c: saved.categories.join("+"), e: saved.edition,
      h: saved.text, doc: mine ? S.document.source : ""
    });
    var text = [
      "Квитанция о вашем выборе cookies",
      "",
      "Сайт: " + root.href,
      "Когда вы выбрали: " + when + " (часовой пояс " + S.timezone + ")",
      "Что вы разрешили: " + saved.categories.map(title).join(", "),
      "Документ: " + (mine && S.document.title ? "«" + S.document.title + "», " : "") + "редакция № " + saved.edition,
      "Текст баннера, который вы видели: " + new URL("banner-texts/" + saved.text + ".txt", root).href,
      "Идентификатор вашего согласия: " + saved.id,
      "Код записи о выборе: " + code,
      "",
      "Сохраните этот файл. Если понадобится, приложите его к обращению в магазин: по идентификатору и коду",
      "магазин найдёт запись о вашем выборе в своём журнале и сверит её с этой квитанцией. Выбор можно",
      "изменить в любой момент по ссылке «Настройки cookies» внизу страницы.",
      "",
      "Для проверки (эту строку не меняйте): " + check,
      ""
    ].join("\n");
    var link = doc.createElement("a");
    link.href = URL.createObjectURL(new Blob([text], { type: "text/plain;charset=utf-8" }));
    link.download = "cookies-" + code + ".txt";
    doc.body.append(link);
    link.click();
    link.remove();
  });
