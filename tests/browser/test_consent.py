"""The consent banner in Chromium, on small sites served under /privacy/, Yandex Metrica intercepted."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

import pytest

from alectro_policy.consent import cookie
from support import METRICA, GitRepo, Seen, build_site, wait_for_instant_navigation

pytestmark = pytest.mark.browser

COUNTER = "87654321"
HOSTILE = '<img src=x onerror="window.hacked=1">'

POLICY = """# Политика конфиденциальности

1.1. Общие положения.

2.1. Сайт получает cookies.

2.2. Сайт защищает информацию из cookies.
"""

OTHER = """# Другая страница

Страница с подключаемыми скриптами.

<script type="text/plain" data-consent-category="analytics">window.gatedInline = (window.gatedInline || 0) + 1;</script>
<script type="text/plain" data-consent-category="analytics" data-src="../gated.js"></script>
<script type="text/plain" data-consent-category="analytics">window.afterSrc = [window.gatedSrc || null];</script>
"""

ID = "3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b"
CONFIG = """\
site_name: Test
site_url: https://alectro.ru/privacy/
theme:
  name: material
  language: ru
  font: false
  features: [{features}]
nav:
  - index.md
  - other.md
plugins:
  - search
  - alectro-policy:
      consent:
        categories:
          - id: analytics
            title: Аналитика
            description: '{hostile}'
"""


@pytest.fixture(scope="module")
def sites(tmp_path_factory, serve_under_privacy):
    """One project, three builds: edition 2 with Metrica; the same with instant navigation; then editorial edition 3."""
    repo = GitRepo.new(tmp_path_factory.mktemp("consent") / "project", CONFIG.format(features="", hostile=HOSTILE))
    repo.write("docs/other.md", OTHER)
    repo.write("docs/gated.js", "window.gatedSrc = (window.gatedSrc || 0) + 1;\n")
    repo.write("docs/index.md", POLICY)
    repo.commit("Первая редакция", "2026-01-15T10:00:00+03:00")
    repo.write("docs/index.md", POLICY.replace("получает", "получает и хранит"))
    repo.commit("Уточнён п. 2.1", "2026-05-20T10:00:00+03:00")

    out = tmp_path_factory.mktemp("consent-sites")
    urls = {}
    with pytest.MonkeyPatch.context() as env:
        env.setenv("YANDEX_METRICA_ID", COUNTER)
        urls["plain"] = serve_under_privacy(build_site(repo.root / "mkdocs.yml", out / "plain"))
        repo.write("mkdocs.yml", CONFIG.format(features="navigation.instant", hostile=HOSTILE))
        urls["instant"] = serve_under_privacy(build_site(repo.root / "mkdocs.yml", out / "instant"))
        repo.write("mkdocs.yml", CONFIG.format(features="", hostile=HOSTILE))
        repo.write("docs/index.md", POLICY.replace("получает", "получает и хранит").replace("защищает", "защищает"))
        repo.write("docs/index.md", POLICY.replace("получает", "получает и хранит").replace("Общие", "Обшие"))
        repo.commit("Опечатка в п. 1.1\n\nEdition: editorial", "2026-06-01T10:00:00+03:00")
        urls["editorial"] = serve_under_privacy(build_site(repo.root / "mkdocs.yml", out / "editorial"))
    return urls


def granted(categories, edition, when=None):
    return cookie.format_cookie(categories, edition, int(time.time() if when is None else when))


def metrica_loaded(page):
    page.wait_for_function("window.metricaLoads === 1")


# -- before and without consent ---------------------------------------------------------------------


def test_first_visit_shows_the_banner_and_nothing_runs_or_leaves_the_site(open_site, sites):
    seen = open_site(sites["plain"] + "other/")
    banner = seen.banner()
    banner.wait_for()
    for label in ("Принять все", "Только необходимые", "Настроить"):
        assert banner.get_by_role("button", name=label).is_visible()
    boxes = [
        banner.get_by_role("button", name=label).bounding_box()
        for label in ("Принять все", "Только необходимые", "Настроить")
    ]
    assert len({(round(box["width"]), round(box["height"])) for box in boxes}) == 1  # equal weight
    assert banner.get_by_role("link", name="Политике конфиденциальности").get_attribute("href").endswith("/privacy/")
    assert banner.get_by_role("link", name="пункт 2.2").get_attribute("href").endswith("/privacy/#p2.2")
    seen.page.wait_for_load_state("networkidle")
    assert seen.page.evaluate("[window.gatedInline, window.gatedSrc, window.metricaLoads, typeof window.ym]") == [
        None,
        None,
        None,
        "undefined",
    ]
    assert seen.foreign_requests() == []
    assert seen.cookie() is None
    assert seen.errors == []


def test_reject_stores_necessary_only_and_nothing_foreign_loads_after_reload(open_site, sites):
    seen = open_site(sites["plain"])
    seen.banner().get_by_role("button", name="Только необходимые").click()
    seen.banner().wait_for(state="hidden")
    stored = cookie.parse_cookie(seen.cookie())
    assert (stored.categories, stored.edition) == (("necessary",), 2)
    seen.page.reload()
    seen.page.goto(sites["plain"] + "other/")
    seen.page.wait_for_load_state("networkidle")
    assert not seen.banner().is_visible()
    assert seen.page.evaluate("[window.gatedInline, window.gatedSrc]") == [None, None]
    assert seen.page.evaluate("alectroConsent.get().categories") == ["necessary"]
    assert seen.foreign_requests() == []
    assert seen.errors == []


def test_without_javascript_there_is_no_banner_and_no_analytics(open_site, sites):
    seen = open_site(sites["plain"] + "other/", java_script_enabled=False)
    seen.page.wait_for_load_state("networkidle")
    assert seen.page.locator(".alectro-consent").count() == 0
    assert seen.foreign_requests() == []
    footer_link = seen.page.get_by_role("link", name="Настройки cookies")
    assert footer_link.get_attribute("href") == "../#p2.2"


# -- accepting ------------------------------------------------------------------------------------------


def test_accept_all_loads_metrica_and_gated_scripts_without_reload_and_is_not_asked_again(open_site, sites):
    seen = open_site(sites["plain"] + "other/")
    page = seen.page
    page.evaluate(
        "window.notReloaded = true; document.addEventListener('alectro:consent', e => window.event_ = e.detail)"
    )
    seen.banner().get_by_role("button", name="Принять все").click()
    metrica_loaded(page)
    page.wait_for_function("window.gatedInline === 1 && window.gatedSrc === 1")
    page.wait_for_function("window.afterSrc")
    assert page.evaluate("window.afterSrc") == [1]  # run in page order: after the library it follows had loaded
    assert page.evaluate("window.notReloaded") is True
    assert page.evaluate("window.event_.categories") == ["necessary", "analytics"]
    assert page.evaluate("alectroConsent.has('analytics')") is True
    assert [url for url in seen.foreign_requests()] == ["https://mc.yandex.ru/metrika/tag.js"]
    assert cookie.parse_cookie(seen.cookie()).categories == ("necessary", "analytics")

    page.goto(sites["plain"])
    metrica_loaded(page)
    assert not seen.banner().is_visible()
    assert seen.errors == []


def test_a_page_element_with_the_id_ym_does_not_stop_metrica_after_consent(open_site, sites):
    """A heading «YM» gets the id "ym", which the browser also makes window.ym: it must not pass for the tag."""
    heading = (
        "new MutationObserver((_, observer) => { if (!document.body) return; observer.disconnect();"
        " document.body.prepend(Object.assign(document.createElement('h2'), {id: 'ym'})); })"
        ".observe(document, {childList: true, subtree: true})"
    )
    seen = open_site(sites["plain"], init_script=heading)
    page = seen.page
    assert page.evaluate("window.ym instanceof HTMLElement") is True
    seen.banner().get_by_role("button", name="Принять все").click()
    metrica_loaded(page)
    assert page.evaluate("typeof window.ym") == "function"
    assert seen.errors == []


def test_cookie_is_lax_first_party_for_the_whole_host(open_site, sites):
    seen = open_site(sites["plain"])
    seen.banner().get_by_role("button", name="Только необходимые").click()
    (cookie,) = [c for c in seen.page.context.cookies() if c["name"] == "alectro_consent"]
    assert (cookie["path"], cookie["sameSite"], cookie["secure"]) == ("/", "Lax", False)
    assert 364 * 86400 < cookie["expires"] - time.time() <= 365 * 86400


def over_https(local: str, cookies: list | None = None):
    """Prepare a context that gets the site as visitors do, https://alectro.ru/privacy/, from the test server."""

    def prepare(context):
        context.route(
            "https://alectro.ru/privacy/**",
            lambda route: route.fulfill(
                response=route.fetch(url=route.request.url.replace("https://alectro.ru/privacy/", local))
            ),
        )
        context.route(METRICA, lambda route: route.fulfill(content_type="application/javascript", body=""))
        if cookies:
            context.add_cookies(cookies)

    return prepare


def test_over_https_the_cookie_is_secure_and_host_only_under_the_host_prefix(sites, visit):
    seen = visit("https://alectro.ru/privacy/", prepare=over_https(sites["plain"]), record=Seen)
    seen.banner().get_by_role("button", name="Принять все").click()
    (cookie,) = seen.page.context.cookies()
    assert cookie["name"] == "__Host-alectro_consent"
    assert (cookie["domain"], cookie["path"], cookie["secure"], cookie["sameSite"]) == ("alectro.ru", "/", True, "Lax")
    seen.page.reload()
    assert seen.page.evaluate("alectroConsent.has('analytics')") is True


def test_over_https_a_choice_planted_from_a_sibling_subdomain_grants_nothing(sites, visit):
    # shop.alectro.ru can set a cookie for Domain=alectro.ru, valid in every byte; it cannot set a __Host- one.
    planted = {"name": "alectro_consent", "value": granted(["analytics"], 2), "domain": ".alectro.ru", "path": "/"}
    seen = visit("https://alectro.ru/privacy/", prepare=over_https(sites["plain"], [planted]), record=Seen)
    seen.banner().wait_for()
    assert seen.page.evaluate("alectroConsent.get()") is None
    assert seen.page.evaluate("window.metricaLoads") is None
    # Choosing removes the planted one: only the host's own cookie is left.
    seen.banner().get_by_role("button", name="Только необходимые").click()
    assert [c["name"] for c in seen.page.context.cookies()] == ["__Host-alectro_consent"]


def test_over_https_the_cookie_of_the_release_before_the_host_prefix_keeps_its_id_under_the_new_name(sites, visit):
    # Before issue 17's __Host- name the cookie was alectro_consent on https too: the visitor's next choice continues
    # its consent (its ID), under the new name; until then it grants nothing, as a planted one would not.
    before = cookie.format_cookie(
        ["analytics"], 2, int(time.time()) - 86400, document=cookie.document_key("docs/index.md"), consent_id=ID
    )
    earlier = {"name": "alectro_consent", "value": before, "domain": "alectro.ru", "path": "/", "secure": True}
    seen = visit("https://alectro.ru/privacy/", prepare=over_https(sites["plain"], [earlier]), record=Seen)
    seen.banner().wait_for()
    assert seen.page.evaluate("alectroConsent.get()") is None
    seen.banner().get_by_role("button", name="Принять все").click()
    (kept,) = seen.page.context.cookies()
    assert kept["name"] == "__Host-alectro_consent"
    now = cookie.parse_cookie(kept["value"])
    assert (now.version, now.id, now.link) == (3, ID, 0) and now.secret is not None
    assert seen.page.evaluate("alectroConsent.get().id") == ID


def test_a_second_consent_cookie_on_a_deeper_path_is_erased_by_the_next_choice(open_site, sites):
    host = sites["plain"].split("/")[2].split(":")[0]
    stale = [
        {"name": "alectro_consent", "value": granted(["analytics"], 2), "domain": host, "path": "/privacy/"},
        {"name": "alectro_consent", "value": granted([], 2), "domain": host, "path": "/"},
    ]
    seen = open_site(sites["plain"], cookies=stale)
    seen.banner().wait_for()
    assert seen.page.evaluate("alectroConsent.get()") is None, "two cookies count as no choice"
    seen.banner().get_by_role("button", name="Принять все").click()
    assert [(c["name"], c["path"]) for c in seen.page.context.cookies()] == [("alectro_consent", "/")]
    seen.page.reload()
    assert not seen.banner().is_visible() and seen.page.evaluate("alectroConsent.has('analytics')") is True
    assert seen.errors == []


# -- a stored choice that does not count --------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "yes",
        granted(["analytics"], 2).replace("necessary+analytics", "necessary+ads"),
        "2" + granted(["analytics"], 2)[1:],
        granted(["analytics"], 2, when=time.time() - 400 * 86400),
    ],
    ids=["malformed", "tampered", "unknown-version", "expired"],
)
def test_unusable_cookie_means_banner_again_and_no_analytics(open_site, sites, value):
    seen = open_site(sites["plain"], cookies={"alectro_consent": value})
    seen.banner().wait_for()
    seen.page.wait_for_load_state("networkidle")
    assert seen.page.evaluate("alectroConsent.get()") is None
    assert seen.foreign_requests() == []
    assert seen.errors == []


def test_new_edition_asks_again_naming_it_and_linking_its_changes(open_site, sites):
    seen = open_site(sites["plain"], cookies={"alectro_consent": granted(["analytics"], 1)})
    banner = seen.banner()
    banner.wait_for()
    notice = " ".join(banner.locator("[data-consent-updated]").inner_text().split())
    assert "Политика конфиденциальности обновлена." in notice
    assert "редакция № 2 от 20 мая 2026 г." in notice
    link = banner.get_by_role("link", name="что изменилось")
    assert urlsplit(link.get_attribute("href")).path == "/privacy/editions/2/changes/"
    seen.page.wait_for_load_state("networkidle")
    assert seen.foreign_requests() == []  # consent to edition 1 does not cover edition 2
    banner.get_by_role("button", name="Настроить").click()
    assert banner.get_by_role("switch", name="Аналитика").is_checked()  # the earlier choice, pre-filled
    banner.get_by_role("button", name="Сохранить выбор").click()
    metrica_loaded(seen.page)
    assert cookie.parse_cookie(seen.cookie()).edition == 2


def test_editorial_edition_does_not_ask_again(open_site, sites):
    seen = open_site(sites["editorial"], cookies={"alectro_consent": granted(["analytics"], 2)})
    metrica_loaded(seen.page)
    assert seen.page.locator(".policy-stamp").get_attribute("data-edition") == "3"
    assert not seen.banner().is_visible()
    assert seen.errors == []


def test_after_an_editorial_edition_the_banner_names_the_edition_in_force_and_the_cookie_records_it(open_site, sites):
    seen = open_site(sites["editorial"], cookies={"alectro_consent": granted(["analytics"], 1)})
    banner = seen.banner()
    notice = " ".join(banner.locator("[data-consent-updated]").inner_text().split())
    assert "Действует редакция № 3 от 1 июня 2026 г." in notice  # in force; edition 2 changed the substance
    link = banner.get_by_role("link", name="что изменилось")
    assert urlsplit(link.get_attribute("href")).path == "/privacy/editions/2/changes/"
    banner.get_by_role("button", name="Только необходимые").click()
    assert cookie.parse_cookie(seen.cookie()).edition == 3
    assert seen.errors == []


# -- changing one's mind -------------------------------------------------------------------------------


def test_footer_link_reopens_settings_and_withdrawing_removes_metrica_cookies_and_stops_scripts(open_site, sites):
    seen = open_site(
        sites["plain"],
        cookies={"alectro_consent": granted(["analytics"], 2), "_ym_uid": "1795", "_ym_d": "1795", "other": "kept"},
    )
    page = seen.page
    metrica_loaded(page)
    assert not seen.banner().is_visible()
    page.get_by_role("link", name="Настройки cookies").click()
    switch = seen.banner().get_by_role("switch", name="Аналитика")
    assert switch.is_checked()
    assert seen.banner().get_by_role("switch", name="Необходимые (всегда включены)").is_disabled()
    assert page.evaluate("document.activeElement.id") == "alectro-consent-analytics"
    assert page.url == sites["plain"]  # the link did not navigate
    page.keyboard.press("Space")
    seen.banner().get_by_role("button", name="Сохранить выбор").click()
    seen.banner().wait_for(state="hidden")
    names = {c["name"] for c in page.context.cookies()}
    assert "_ym_uid" not in names and "_ym_d" not in names and "other" in names
    assert cookie.parse_cookie(seen.cookie()).categories == ("necessary",)
    assert page.evaluate(f"window.disableYaCounter{COUNTER}") is True

    before = len(seen.foreign_requests())
    page.goto(sites["plain"] + "other/")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("[window.gatedInline, window.gatedSrc, window.metricaLoads]") == [None, None, None]
    assert len(seen.foreign_requests()) == before
    assert seen.errors == []


def test_keyboard_alone_reaches_and_operates_the_banner_in_order_with_visible_focus(open_site, sites):
    seen = open_site(sites["plain"])
    page = seen.page
    seen.banner().wait_for()
    order, outlines = [], set()
    for _ in range(8):
        page.keyboard.press("Tab")
        inside, label, outline = page.evaluate(
            "[!!document.activeElement.closest('.alectro-consent'), document.activeElement.textContent.trim(),"
            " getComputedStyle(document.activeElement).outlineStyle]"
        )
        if inside:
            order.append(label)
            outlines.add(outline)
        if label == "Настроить":
            break
    # Right after Material's skip link, before the header: the banner need not be hunted for.
    assert order == ["Политике конфиденциальности", "пункт 2.2", "Принять все", "Только необходимые", "Настроить"]
    assert outlines == {"solid"}
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "alectro-consent-analytics"
    page.keyboard.press("Space")
    for _ in range(3):
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Сохранить выбор"
    page.keyboard.press("Enter")
    metrica_loaded(page)
    assert cookie.parse_cookie(seen.cookie()).categories == ("necessary", "analytics")


# -- quality bars --------------------------------------------------------------------------------------


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violations_with_the_banner_and_with_its_settings(open_site, policy_url, scheme):
    from axe_playwright_python.sync_playwright import Axe

    seen = open_site(policy_url, color_scheme=scheme)
    seen.banner().wait_for()
    axe = Axe()

    def violations():
        # The whole page, theme and policy included: the banner is judged in place, with its neighbours.
        found = axe.run(seen.page).response["violations"]
        return [(violation["id"], node["target"]) for violation in found for node in violation["nodes"]]

    assert violations() == []
    seen.banner().get_by_role("button", name="Настроить").click()
    seen.banner().get_by_role("switch", name="Аналитика").wait_for()
    assert violations() == []


def test_on_a_320_px_phone_the_banner_leaves_the_title_in_view_and_nothing_shifts(open_site, policy_url):
    shifts = (
        "window.shift = 0; new PerformanceObserver(list => list.getEntries().forEach(e => window.shift += e.value))"
        ".observe({type: 'layout-shift', buffered: true});"
    )
    seen = open_site(policy_url, viewport={"width": 320, "height": 568}, init_script=shifts)
    seen.banner().wait_for()
    title = seen.page.locator("article h1").bounding_box()
    banner = seen.banner().bounding_box()
    assert title["y"] + title["height"] <= banner["y"]
    assert banner["width"] == 320
    assert seen.page.evaluate("document.documentElement.scrollWidth") == 320
    sizes = {
        (round(box["width"]), round(box["height"]))
        for box in (b.bounding_box() for b in seen.banner().get_by_role("button").all())
    }
    assert len(sizes) == 1, f"the three buttons differ in size: {sizes}"
    assert seen.page.evaluate("window.shift") == 0
    assert seen.errors == []


def test_configured_markup_shows_as_text(open_site, sites):
    seen = open_site(sites["plain"])
    seen.banner().get_by_role("button", name="Настроить").click()
    assert HOSTILE in seen.banner().inner_text()
    assert seen.banner().locator("img").count() == 0
    assert seen.page.evaluate("window.hacked") is None


def test_works_when_local_storage_is_unavailable(open_site, sites):
    blocked = (
        "Object.defineProperty(window, 'localStorage', {get() { throw new DOMException('denied', 'SecurityError'); }});"
    )
    seen = open_site(sites["plain"] + "other/", init_script=blocked, cookies={"_ym_uid": "1"})
    seen.banner().get_by_role("button", name="Принять все").click()
    metrica_loaded(seen.page)
    seen.page.get_by_role("link", name="Настройки cookies").click()
    seen.banner().get_by_role("button", name="Только необходимые").click()
    assert "_ym_uid" not in {c["name"] for c in seen.page.context.cookies()}
    # Material's own storage helper reports the blocked storage ("denied"); anything else would be ours.
    assert [error for error in seen.errors if "denied" not in error] == []


def test_instant_navigation_keeps_gated_scripts_inert_until_consent_then_runs_them(open_site, sites):
    seen = open_site(sites["instant"])
    page = seen.page
    seen.banner().wait_for()
    page.evaluate("window.samePage = true")
    wait_for_instant_navigation(page)
    page.locator(".md-nav__link", has_text="Другая страница").first.click()
    page.wait_for_url("**/other/")
    page.locator("article h1", has_text="Другая страница").wait_for()
    assert page.evaluate("window.samePage") is True  # swapped in, not loaded
    assert page.evaluate("[window.gatedInline, window.gatedSrc]") == [None, None]
    assert seen.banner().is_visible()

    seen.banner().get_by_role("button", name="Принять все").click()
    page.wait_for_function("window.gatedInline === 1 && window.gatedSrc === 1 && window.metricaLoads === 1")
    page.locator(".md-nav__link", has_text="Политика").first.click()
    page.locator(".policy-stamp").wait_for()
    page.wait_for_function("window.ym.a.some(call => call[1] === 'hit')")  # Metrica counts the swapped-in page
    assert page.evaluate("window.samePage") is True
    assert seen.foreign_requests() == ["https://mc.yandex.ru/metrika/tag.js"]
    assert seen.errors == []
