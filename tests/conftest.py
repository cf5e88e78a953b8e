"""Shared fixtures: building sites with MkDocs, serving them under /privacy/, and Chromium through Playwright
(every request and console message recorded; used by tests/browser/ and tests/deploy/)."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

import servers
from support import CHROMIUM_ARGS, REPO, GitRepo, Visit, build_site, origin_of, require

# Generated tests are judged on what the code does, not on time: make test runs on every core and CI's 2 cores are
# shared, so an example that once takes more than Hypothesis's 200 ms (or data slow to draw) is load, not a bug. A
# test's own @settings keeps this for what it does not set.
# The same examples on every run (derandomize): CI judges this change, not a case a random draw happens to find in
# code the change never touched (three such, in history.moves and urls, each turned a fresh clone's run red once, and
# are now fixed and kept as @example). HYPOTHESIS_RANDOM=1 draws new examples each run, to look for more.
settings.register_profile(
    "alectro",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=os.environ.get("HYPOTHESIS_RANDOM") != "1",
)
settings.load_profile("alectro")

# The Python processes the tests start (make changes and the builds it runs, mkdocs serve, the deploy commands; the
# workers too) compile the modules they import once for all, not each for itself: where PYTHONDONTWRITEBYTECODE
# keeps byte code out of the source folders, it goes to a folder of its own (about a tenth of make changes' time).
if os.environ.get("PYTHONDONTWRITEBYTECODE") and not os.environ.get("PYTHONPYCACHEPREFIX"):
    os.environ["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.gettempdir()) / f"alectro-policy-tests-{os.getuid()}-pycache")
    del os.environ["PYTHONDONTWRITEBYTECODE"]


@pytest.fixture(scope="session")
def repo_site(tmp_path_factory) -> Path:
    """This repository's own site, built once per test session."""
    return build_site(REPO / "mkdocs.yml", tmp_path_factory.mktemp("repo-site") / "site")


@pytest.fixture
def git_repo(tmp_path) -> GitRepo:
    """An empty git repository with a minimal ``mkdocs.yml`` (no theme overrides)."""
    return GitRepo.new(tmp_path / "project")


@pytest.fixture(scope="session")
def serve_under_privacy(tmp_path_factory):
    """Return a function that serves a built site at ``http://127.0.0.1:PORT/privacy/`` from a plain static server."""
    started: list[servers.StaticServer] = []

    def serve(site_dir: Path) -> str:
        started.append(servers.start_static(site_dir, tmp_path_factory.mktemp("www")))
        return started[-1].url

    yield serve
    for server in started:
        server.stop()


# -- Chromium through Playwright ----------------------------------------------------------------------

CANDIDATES = (
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/usr/bin/google-chrome",
    "/usr/bin/google-chrome-stable",
)
INSTALL_HINT = (
    "No Chromium found: run 'make test' (it installs Debian's chromium as root), 'apt-get install chromium', "
    "or set CHROMIUM=/path/to/chrome."
)


def find_chromium() -> str | None:
    for candidate in (os.environ.get("CHROMIUM"), *CANDIDATES, shutil.which("chromium")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


@pytest.fixture(scope="session")
def chromium() -> str:
    """The Chromium to drive; skips (fails under CI) with the install hint when there is none."""
    return require(find_chromium(), INSTALL_HINT)


@pytest.fixture(scope="session")
def playwright():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright, chromium):
    browser = playwright.chromium.launch(executable_path=chromium, args=list(CHROMIUM_ARGS))
    yield browser
    browser.close()


@pytest.fixture
def visit(browser):
    """Return a function that opens a new context on ``url`` and records what it saw.

    ``prepare(context)`` runs before the page opens (routes, cookies, scripts); ``record`` is the
    ``Visit`` subclass returned, for tests that read more of what they saw.
    """
    contexts = []

    def open_page(url: str, *, prepare=None, record: type[Visit] = Visit, **context_options) -> Visit:
        context = browser.new_context(**context_options)
        contexts.append(context)
        if prepare:
            prepare(context)
        page = context.new_page()
        seen = record(page=page, origin=origin_of(url))
        context.on("request", lambda request: seen.requests.append(request.url))
        page.on("console", lambda message: message.type == "error" and seen.errors.append(message.text))
        page.on("pageerror", lambda error: seen.errors.append(str(error)))
        page.goto(url)
        return seen

    yield open_page
    for context in contexts:
        # A route still answering (a search worker's late fetch) would raise into the next test.
        context.unroute_all(behavior="ignoreErrors")
        context.close()
