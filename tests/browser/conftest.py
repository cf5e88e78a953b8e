"""Fixtures of the browser tests: a visit to a consent-banner site, Yandex Metrica answered by a stub."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from support import METRICA, NOTE_SITEMAP_READ, Seen


@pytest.fixture(scope="module")
def policy_url(repo_site, serve_under_privacy):
    """This repository's policy, served under /privacy/."""
    return serve_under_privacy(repo_site)


def on_this_machine(url: str) -> str:
    """``url`` with a host of ``*.alectro.test`` (which the tests' Chromium resolves to 127.0.0.1) as 127.0.0.1."""
    parts = urlsplit(url)
    if not (parts.hostname or "").endswith(".alectro.test"):
        return url
    return parts._replace(netloc=f"127.0.0.1:{parts.port}" if parts.port else "127.0.0.1").geturl()


@pytest.fixture
def open_site(visit):
    """Return a function opening ``url`` in a new context, the Metrica host and the consent log answered by stubs,
    cookies preset.

    ``cookies``: names and values for the page's host, or Playwright's cookie dicts (for a chosen domain).
    """

    def open_page(url: str, *, cookies: dict | list | None = None, init_script: str | None = None, **options) -> Seen:
        parts = urlsplit(url)

        def prepare(context):
            # Instant navigation only follows links listed in sitemap.xml, which names https://alectro.ru:
            # list them under the test server's origin instead (Material keeps the sitemap's port).
            # Material also reads the sitemap beside each <link rel="alternate"> (the feed's: editions/sitemap.xml).
            # route.fetch runs in Playwright, outside Chromium's --host-resolver-rules: a *.alectro.test host
            # (test_consent_domains) is fetched from this machine, as Chromium would reach it.
            context.route(
                "**/sitemap.xml",
                lambda route: route.fulfill(
                    response=(response := route.fetch(url=on_this_machine(route.request.url))),
                    body=response.text().replace("https://alectro.ru", f"{parts.scheme}://{parts.netloc}"),
                ),
            )
            # The consent log answered as the shop's nginx answers it (deploy/nginx.conf): this repository's site
            # sends every choice there; a plain static server's 404 would be a console error of Chromium's own.
            context.route("**/privacy/consent-log?*", lambda route: route.fulfill(status=204))
            context.route(
                METRICA,
                lambda route: route.fulfill(
                    content_type="application/javascript", body="window.metricaLoads = (window.metricaLoads || 0) + 1;"
                ),
            )
            if isinstance(cookies, dict):
                context.add_cookies(
                    [{"name": n, "value": v, "domain": parts.hostname, "path": "/"} for n, v in cookies.items()]
                )
            elif cookies:
                context.add_cookies(cookies)
            context.add_init_script(NOTE_SITEMAP_READ)
            if init_script:
                context.add_init_script(init_script)

        return visit(url, prepare=prepare, record=Seen, **options)

    return open_page
