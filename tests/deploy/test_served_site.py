"""Two editions built from git, published with alectro_deploy, served by a real nginx with deploy/nginx.conf."""

import hashlib
import json
import os
import shutil
import urllib.error
import urllib.request
from types import SimpleNamespace

import pytest

from support import GitRepo

FIRST_DATE, SECOND_DATE = "2026-03-10T12:00:00+03:00", "2026-11-24T12:00:00+03:00"
POLICY = "# Политика\n\n1.1. {first}\n\n1.2. Второй пункт.\n\n2.2. Сайт использует cookies.\n"
ORIGINAL = "Первоначальная формулировка первого пункта."
AMENDED = "Уточнённая формулировка первого пункта."
BACKDATED = "Формулировка, подменённая задним числом."


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    """The built site after edition 1, after edition 2, and after a history rewrite that changed edition 1 in place."""
    root = tmp_path_factory.mktemp("published")
    repo = GitRepo.new(root / "project")

    def build(name):
        return shutil.copytree(repo.build(), root / name)

    repo.write("docs/index.md", POLICY.format(first=ORIGINAL))
    repo.commit("Первая редакция", FIRST_DATE)
    first = build("site-1")
    repo.write("docs/index.md", POLICY.format(first=AMENDED))
    repo.commit("Уточнён п. 1.1", SECOND_DATE)
    second = build("site-2")
    # Someone rewrites history: edition 1's text changed in place, edition 2 recommitted on top.
    repo.git("checkout", "-q", "--orphan", "rewritten")
    repo.write("docs/index.md", POLICY.format(first=BACKDATED))
    repo.commit("Первая редакция", FIRST_DATE)
    repo.write("docs/index.md", POLICY.format(first=AMENDED))
    repo.commit("Уточнён п. 1.1", SECOND_DATE)
    rewritten = build("site-rewritten")
    return SimpleNamespace(repo=repo, first=first, second=second, rewritten=rewritten)


def publish(kit, history, site, target, *extra):
    # Each edition is published on the day it is dated, as publishing requires of a new one.
    env = {**os.environ, "ALECTRO_TODAY": SECOND_DATE[:10]}
    result = kit.run_publish(
        "publish", "--site", str(site), "--target", str(target), *extra, cwd=history.repo.root, env=env
    )
    return result


@pytest.fixture
def published(kit, history, tmp_path):
    """A target where edition 1 and then edition 2 were published."""
    target = tmp_path / "target"
    for site in (history.first, history.second):
        result = publish(kit, history, site, target)
        assert result.returncode == 0, result.stderr
    return target


def fetch(url):
    """Status, headers and body of a GET, without following redirects."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    try:
        with urllib.request.build_opener(NoRedirect).open(url) as response:
            return response.status, response.headers, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode("utf-8")


@pytest.mark.browser
def test_chromium_finds_the_new_edition_live_and_the_old_one_at_its_permanent_url_without_csp_violations(
    published, nginx, visit
):
    base = nginx(published / "current")

    current = visit(base)
    page = current.page
    page.wait_for_load_state("networkidle")
    assert page.locator("article .policy-stamp").get_attribute("data-edition") == "2"
    assert AMENDED in page.locator("article").inner_text()
    # The search runs in a worker that fetches the index: both must pass the CSP too.
    search = page.locator("input.md-search__input")
    search.click()
    # Typed before the worker has read the index, a query is dropped: wait for Material's «start typing».
    page.wait_for_function("() => document.querySelector('.md-search-result__meta').textContent.trim() !== ''")
    search.press_sequentially("уточнённая")
    search.press("End")  # Cyrillic is typed as text input, without the keyup that makes Material search
    page.wait_for_selector(".md-search-result__item")
    assert current.errors == []
    assert current.foreign_requests() == []

    old = visit(base + "editions/1/")
    old.page.wait_for_load_state("networkidle")
    text = old.page.locator("article").inner_text()
    assert ORIGINAL in text and AMENDED not in text
    assert old.errors == []


@pytest.mark.browser
def test_a_csp_violation_would_show_in_the_console(published, nginx, visit):
    """The control for the test above: an inline script the CSP does not list is refused, and the console says so."""
    seen = visit(nginx(published / "current"))
    seen.page.evaluate(
        "() => { const s = document.createElement('script'); s.text = 'window.injected = 1'; document.head.append(s); }"
    )
    assert seen.page.evaluate("() => window.injected") is None
    assert any("Content Security Policy" in error for error in seen.errors), seen.errors


TAG_JS = """
new Image().src = "https://mc.yandex.ru/watch/1?hit";
fetch("https://mc.yandex.ru/watch/2", {method: "POST", mode: "no-cors", body: "hit"});
const frame = document.createElement("iframe");
frame.src = "https://mc.yandex.ru/metrika/metrika_match.html";
document.body.append(frame);
"""


@pytest.mark.browser
def test_yandex_metrica_loads_its_tag_sends_hits_and_opens_its_frame_under_the_csp(published, nginx, visit):
    """What Metrica does once the visitor consents, with mc.yandex.ru answered by the test (no network here)."""
    seen = visit(nginx(published / "current"))
    page = seen.page
    page.wait_for_load_state("networkidle")

    def answer(route):
        body, kind = (TAG_JS, "application/javascript") if route.request.url.endswith("tag.js") else ("", "text/html")
        route.fulfill(status=200, body=body, content_type=kind)

    page.context.route("https://mc.yandex.ru/**", answer)
    # A request the CSP blocks is never made, so seeing each one proves the policy lets it through.
    with (
        page.expect_request("https://mc.yandex.ru/metrika/tag.js", timeout=10_000),
        page.expect_request("https://mc.yandex.ru/watch/1?hit", timeout=10_000),
        page.expect_request("https://mc.yandex.ru/watch/2", timeout=10_000),
        page.expect_request("https://mc.yandex.ru/metrika/metrika_match.html", timeout=10_000),
    ):
        # As the consent banner's gated snippet does: a script element pointing at the tag.
        page.evaluate(
            "() => { const s = document.createElement('script'); s.async = true;"
            " s.src = 'https://mc.yandex.ru/metrika/tag.js'; document.head.append(s); }"
        )
    assert seen.errors == []


def test_nginx_sends_the_types_caching_and_security_headers(published, nginx, history):
    base = nginx(published / "current")
    status, headers, body = fetch(base)
    assert status == 200 and AMENDED in body
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert headers["Cache-Control"] == "max-age=300"
    assert headers["Content-Security-Policy"].startswith("default-src 'self'; script-src 'self' 'sha256-")
    assert "frame-ancestors 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["X-Frame-Options"] == "SAMEORIGIN"
    assert headers["Strict-Transport-Security"] == "max-age=31536000"

    status, headers, body = fetch(base + "editions.json")
    assert (status, headers["Content-Type"], headers["Cache-Control"]) == (
        200,
        "application/json; charset=utf-8",
        "max-age=300",
    )
    assert '"number": 2' in body
    status, headers, body = fetch(base + "editions/feed.xml")
    assert (status, headers["Content-Type"]) == (200, "application/atom+xml; charset=utf-8")
    assert "<feed" in body

    bundles = sorted((published / "current" / "assets" / "javascripts").glob("bundle.*.min.js"))
    assert bundles, "Material's hashed bundle is where the long caching applies"
    status, headers, _ = fetch(base + f"assets/javascripts/{bundles[0].name}")
    assert (status, headers["Cache-Control"]) == (200, "max-age=31536000")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Content-Security-Policy"].startswith("default-src 'self'")  # the search worker runs under it too

    status, headers, body = fetch(base + "no-such-page/")
    assert status == 404 and "Content-Security-Policy" in headers and "<html" in body
    assert fetch(base.rstrip("/"))[:2][0] == 301
    assert fetch(base.rstrip("/"))[1]["Location"] == "/privacy/"


def test_every_inline_script_of_the_history_pages_is_allowed_by_the_csp(kit, history):
    found = kit.inline_script_hashes(history.second)
    missing = {digest: pages for digest, pages in found.items() if digest not in kit.shipped_csp()["script-src"]}
    assert found and not missing, f"Add these hashes to script-src in deploy/nginx.conf: {missing}"


def test_a_rewritten_history_is_refused_and_the_target_left_unchanged(kit, history, published):
    before = kit.snapshot(published)
    result = publish(kit, history, history.rewritten, published)
    assert result.returncode == 1
    assert "docs/index.md: edition 1 of 2026-03-10 would change its text" in result.stderr
    assert kit.snapshot(published) == before


def test_rollback_serves_the_previous_release_at_once(kit, published, nginx):
    base = nginx(published / "current")
    assert AMENDED in fetch(base)[2]
    result = kit.run_publish("rollback", "--target", str(published))
    assert result.returncode == 0, result.stderr
    # nginx follows the switched symlink on the next request: no reload.
    status, _, body = fetch(base)
    assert status == 200 and ORIGINAL in body and AMENDED not in body
    assert fetch(base + "editions/2/")[0] == 404


def test_every_edition_s_source_is_served_as_plain_text_whose_sha256_is_the_edition_s(published, nginx):
    base = nginx(published / "current")
    data = json.loads(fetch(base + "editions.json")[2])
    editions = [edition for document in data["documents"] for edition in document["editions"]]
    assert len(editions) == 2
    for edition in editions:
        url = base + edition["source_url"].removeprefix(data["site_url"])
        with urllib.request.urlopen(url) as response:
            body = response.read()
            assert response.headers["Content-Type"] == "text/plain; charset=utf-8", url
            assert response.headers["X-Robots-Tag"] == "noindex"
            assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert hashlib.sha256(body).hexdigest() == edition["sha256"], url
    sitemap = fetch(base + "sitemap.xml")[2]
    assert "source.md" not in sitemap
