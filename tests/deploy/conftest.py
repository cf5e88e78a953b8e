"""Publishing: the package alectro_deploy (deploy/) run as the Makefile runs it; a real nginx with deploy/nginx.conf."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

import servers
from servers import NGINX_CONF, NGINX_HINT, find_nginx
from support import REPO, require

DEPLOY = REPO / "deploy"


def deploy_env(env: dict | None = None) -> dict:
    """``env`` (default: this process's) with deploy/ on PYTHONPATH, as the Makefile runs the package."""
    return {**(os.environ if env is None else env), "PYTHONPATH": str(DEPLOY)}


def run_publish(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run ``python -m alectro_deploy`` as ``make publish`` does; return the finished process (never raises)."""
    return subprocess.run(
        [sys.executable, "-m", "alectro_deploy", *args], cwd=cwd, env=deploy_env(env), capture_output=True, text=True
    )


@pytest.fixture
def nginx(tmp_path_factory):
    """Return a function that serves a publish target's ``current`` with deploy/nginx.conf; it returns the base URL.

    nginx daemonizes only once its socket listens, so the URL answers as soon as the function returns.
    nginx's files go to ``prefix`` (default: a new temporary folder): among them the consent log
    ``alectro-consent.jsonl`` and the pid file ``nginx.pid``.
    """
    executable = require(find_nginx(), NGINX_HINT)
    started: list[servers.Nginx] = []

    def serve(current: Path, *, prefix: Path | None = None) -> str:
        started.append(servers.start_nginx(executable, current, prefix or tmp_path_factory.mktemp("nginx")))
        return started[-1].url

    yield serve
    for server in started:
        server.stop()


@pytest.fixture(scope="session")
def session_tsa(tmp_path_factory):
    openssl = require(shutil.which("openssl"), servers.OPENSSL_HINT)
    server = servers.start_tsa(tmp_path_factory.mktemp("tsa"), openssl)
    yield server
    server.stop()


@pytest.fixture
def tsa(session_tsa):
    """A local RFC 3161 time-stamping authority (tests/servers.py, start_tsa), in service, its answers counted
    from zero; its CA certificate is ``tsa.ca``."""
    session_tsa.down = False
    session_tsa.answered.clear()
    return session_tsa


# -- editions.json data and small sites for tests that need no MkDocs build -------------------------


def edition(number: int, date: str, text: str, commit: str | None = None) -> dict:
    """One edition as the plugin writes it to editions.json; the checksum is the text's SHA-256."""
    sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return {
        "number": number,
        "date": date,
        "commit": commit or hashlib.sha1(f"{number}{date}{text}".encode()).hexdigest(),
        "sha256": sha256,
        "summary": f"Редакция {number}",
        "text_url": f"https://alectro.ru/privacy/editions/{number}/",
        "changes_url": None if number == 1 else f"https://alectro.ru/privacy/editions/{number}/changes/",
    }


def editions_json(*editions: dict, source: str = "docs/index.md") -> dict:
    """A whole editions.json holding one document with these editions."""
    return {
        "format": 1,
        "site_url": "https://alectro.ru/privacy/",
        "timezone": "Europe/Moscow",
        "documents": [
            {
                "source": source,
                "title": "Политика конфиденциальности",
                "url": "https://alectro.ru/privacy/",
                "current_edition": max((e["number"] for e in editions), default=None),
                "editions": list(editions),
            }
        ],
    }


def make_site(root: Path, data: dict | None, page: str) -> Path:
    """A stand-in for a built site: an index page saying ``page``, a shared asset and ``data`` as editions.json."""
    (root / "assets").mkdir(parents=True)
    (root / "index.html").write_text(f"<!doctype html><title>{page}</title><h1>{page}</h1>\n", encoding="utf-8")
    (root / "assets" / "bundle.0123abcd.min.js").write_text("console.log('the same in every release');\n")
    if data is not None:
        (root / "editions.json").write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return root


def snapshot(root: Path) -> dict[str, str]:
    """Every path under ``root`` with what it is (a symlink's target or a file's SHA-256), to compare before/after."""
    state = {}
    for path in sorted(root.rglob("*")):
        key = str(path.relative_to(root))
        if path.is_symlink():
            state[key] = "-> " + os.readlink(path)
        elif path.is_file():
            state[key] = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            state[key] = "dir"
    return state


# -- the Content-Security-Policy that deploy/nginx.conf sends, and the inline scripts a built site runs ----

EXECUTABLE_SCRIPT_TYPES = {"", "text/javascript", "application/javascript", "module"}


def shipped_csp() -> dict[str, list[str]]:
    """The Content-Security-Policy of deploy/nginx.conf's /privacy/ location: directive → sources."""
    # The first one: the pages' location (source.md's own location sandboxes plain text with a stricter one).
    policy = re.findall(
        r'add_header Content-Security-Policy "([^"]*)" always;', NGINX_CONF.read_text(encoding="utf-8")
    )[0]
    directives = (part.split() for part in policy.split(";") if part.strip())
    return {name: sources for name, *sources in directives}


def inline_script_hashes(site: Path) -> dict[str, list[str]]:
    """Every inline script of the built ``site`` that runs, or runs after consent (a gated ``type="text/plain"``
    element that consent.js turns into a script): its CSP hash source → the pages holding it."""
    from bs4 import BeautifulSoup

    found: dict[str, list[str]] = {}
    for page in sorted(site.rglob("*.html")):
        for script in BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").find_all("script"):
            if script.has_attr("src") or script.has_attr("data-src"):
                continue
            runs = script.get("type", "").strip().lower() in EXECUTABLE_SCRIPT_TYPES or script.has_attr(
                "data-consent-category"
            )
            if runs:
                digest = base64.b64encode(
                    hashlib.sha256(script.string.encode("utf-8") if script.string else b"").digest()
                )
                found.setdefault(f"'sha256-{digest.decode()}'", []).append(str(page.relative_to(site)))
    return found


def inline_style_hashes(site: Path) -> dict[str, list[str]]:
    """Every inline ``<style>`` element of the built ``site``: its CSP hash source → the pages holding it."""
    from bs4 import BeautifulSoup

    found: dict[str, list[str]] = {}
    for page in sorted(site.rglob("*.html")):
        for style in BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").find_all("style"):
            digest = base64.b64encode(hashlib.sha256((style.string or "").encode("utf-8")).digest())
            found.setdefault(f"'sha256-{digest.decode()}'", []).append(str(page.relative_to(site)))
    return found


@pytest.fixture(scope="session")
def kit():
    """The helpers above for test modules, which cannot import this conftest by name."""
    return SimpleNamespace(
        edition=edition,
        editions_json=editions_json,
        make_site=make_site,
        snapshot=snapshot,
        run_publish=run_publish,
        shipped_csp=shipped_csp,
        inline_script_hashes=inline_script_hashes,
        inline_style_hashes=inline_style_hashes,
    )
