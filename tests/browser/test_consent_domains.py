"""One consent cookie, whatever domain an older release set it on: a real host name, www.alectro.test, so that a
cookie on the parent domain (alectro.test) and a host-only one can both be exercised."""

from __future__ import annotations

import time

import pytest

from alectro_policy.consent import cookie
from support import CHROMIUM_ARGS, MINIMAL_CONFIG, GitRepo, build_site

pytestmark = pytest.mark.browser

HOST = "www.alectro.test"
PARENT = "alectro.test"

# The placeholder survives the first format: the domain is filled in per build.
CONFIG = MINIMAL_CONFIG.format(plugin_options=":\n      consent:\n        cookie_domain: {domain}\n")


@pytest.fixture(scope="module")
def browser(playwright, chromium):
    """Chromium resolving every *.alectro.test to this machine (overrides the session's browser here)."""
    browser = playwright.chromium.launch(
        executable_path=chromium, args=[*CHROMIUM_ARGS, "--host-resolver-rules=MAP *.alectro.test 127.0.0.1"]
    )
    yield browser
    browser.close()


@pytest.fixture(scope="module")
def sites(tmp_path_factory, serve_under_privacy):
    """The same policy (edition 1, with Metrica) built host-only and with ``cookie_domain: alectro.test``."""
    repo = GitRepo.new(tmp_path_factory.mktemp("domains") / "project", CONFIG.format(domain="''"))
    repo.write(
        "docs/index.md", "# Политика конфиденциальности\n\n1.1. Общие положения.\n\n2.2. Сайт получает cookies.\n"
    )
    repo.commit("Первая редакция", "2026-01-15T10:00:00+03:00")
    out = tmp_path_factory.mktemp("domain-sites")
    urls = {}
    with pytest.MonkeyPatch.context() as env:
        env.setenv("YANDEX_METRICA_ID", "87654321")
        for name, domain in (("host-only", "''"), ("parent", PARENT)):
            repo.write("mkdocs.yml", CONFIG.format(domain=domain))
            local = serve_under_privacy(build_site(repo.root / "mkdocs.yml", out / name))
            urls[name] = local.replace("127.0.0.1", HOST)
    return urls


def old_cookie(url: str, on_parent: bool) -> dict:
    """A choice granting analytics, stored by an earlier release: on the parent domain or for this host only."""
    value = cookie.format_cookie(["analytics"], 1, int(time.time()) - 86400)
    where = {"domain": f".{PARENT}", "path": "/"} if on_parent else {"url": url.split("/privacy/")[0] + "/"}
    return {"name": "alectro_consent", "value": value, **where}


@pytest.mark.parametrize(
    "site, old_on_parent, expected_domain",
    [("parent", False, f".{PARENT}"), ("host-only", True, HOST)],
    ids=["old-host-only-now-parent-domain", "old-parent-domain-now-host-only"],
)
def test_withdrawing_leaves_exactly_one_consent_cookie_and_the_withdrawal_holds(
    open_site, sites, site, old_on_parent, expected_domain
):
    url = sites[site]
    seen = open_site(url, cookies=[old_cookie(url, old_on_parent)])
    page = seen.page
    page.wait_for_function("window.metricaLoads === 1")  # the old choice still counts until changed
    page.get_by_role("link", name="Настройки cookies").click()
    seen.banner().get_by_role("button", name="Только необходимые").click()
    seen.banner().wait_for(state="hidden")

    sent = [pair for pair in page.evaluate("document.cookie").split("; ") if pair.startswith("alectro_consent=")]
    assert len(sent) == 1, sent
    assert cookie.parse_cookie(sent[0].partition("=")[2]).categories == ("necessary",)
    stored = [c for c in page.context.cookies() if c["name"] == "alectro_consent"]
    assert [c["domain"] for c in stored] == [expected_domain]

    loads = len([request for request in seen.requests if "mc.yandex.ru" in request])
    page.reload()
    page.locator("article h1").wait_for()
    page.wait_for_load_state("networkidle")
    assert page.evaluate("alectroConsent.has('analytics')") is False
    assert page.evaluate("[window.metricaLoads, typeof window.ym]") == [None, "undefined"]
    assert not seen.banner().is_visible()
    assert len([request for request in seen.requests if "mc.yandex.ru" in request]) == loads
    assert [url for url in seen.foreign_requests() if "mc.yandex.ru" not in url] == []
    assert seen.errors == []


@pytest.mark.parametrize("planted_later", [True, False])
def test_two_consent_cookies_count_as_no_choice_so_neither_a_left_nor_a_planted_one_can_grant(
    open_site, sites, planted_later
):
    """An earlier release's cookie on another domain, or one planted from a sibling subdomain (any *.alectro.ru
    host can set one, and anyone can compute its checksum), beside the visitor's own refusal: the banner asks
    again and nothing is granted, whichever is newer."""
    url = sites["host-only"]
    now = int(time.time())
    refusal = cookie.format_cookie([], 1, now - 60)
    planted = cookie.format_cookie(["analytics"], 1, now + 3600 if planted_later else now - 7200)
    seen = open_site(
        url,
        cookies=[
            {**old_cookie(url, on_parent=False), "value": refusal},
            {**old_cookie(url, on_parent=True), "value": planted},
        ],
    )
    page = seen.page
    assert page.evaluate("document.cookie").count("alectro_consent=") == 2
    seen.banner().wait_for(state="visible")
    assert page.evaluate("[alectroConsent.get(), alectroConsent.has('analytics')]") == [None, False]
    assert page.evaluate("[window.metricaLoads, typeof window.ym]") == [None, "undefined"]
    # The visitor's next choice leaves exactly one cookie, and it holds.
    seen.banner().get_by_role("button", name="Только необходимые").click()
    assert page.evaluate("document.cookie").count("alectro_consent=") == 1
    assert page.evaluate("alectroConsent.get().categories") == ["necessary"]
    assert seen.foreign_requests() == []
