"""Helpers shared by the test layers: building MkDocs projects and reading their HTML."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit

from bs4 import BeautifulSoup

REPO = Path(__file__).resolve().parent.parent
# The shop's policy text as it was handed over (shared/seeds/000_30a57af9902c1533.txt).
SEED = REPO / "tests" / "fixtures" / "policy_seed.txt"

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


def build_site(config_file: Path, site_dir: Path, command: str = "build", strict: bool = True, **overrides) -> Path:
    """Build the MkDocs project of ``config_file`` into ``site_dir`` and return it.

    ``command="serve"`` makes the plugins believe they run under ``mkdocs serve``.
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(str(config_file), site_dir=str(site_dir), strict=strict, **overrides)
    config.plugins.on_startup(command=command, dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    return site_dir


def read_html(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


class GitRepo:
    """A throw-away git repository holding a small MkDocs project, with commits at chosen dates."""

    def __init__(self, root: Path):
        self.root = root
        self.docs = root / "docs"

    @classmethod
    def new(cls, root: Path, config: str | None = None) -> GitRepo:
        """Return an empty repository at ``root`` with ``config`` as ``mkdocs.yml`` (by default the minimal one
        with the plugin's default options): no theme overrides, the plugin brings its own templates."""
        repo = cls(root)
        root.mkdir(parents=True)
        repo.git("init", "-q", "-b", "main")
        repo.write("mkdocs.yml", config or MINIMAL_CONFIG.format(plugin_options=""))
        repo.write(".gitignore", "site/\n")
        return repo

    def copy(self, root: Path) -> GitRepo:
        """A copy of this repository at ``root``: its history, tags and work tree, not its built site. For a history a
        module builds once and each test then changes."""
        shutil.copytree(
            self.root, root, symlinks=True, ignore=lambda folder, _: ["site"] if folder == str(self.root) else []
        )
        return GitRepo(root)

    def git(self, *args: str, date: str | None = None) -> str:
        env = {
            **os.environ,
            "GIT_AUTHOR_NAME": "Редактор",
            "GIT_AUTHOR_EMAIL": "editor@alectro.ru",
            "GIT_COMMITTER_NAME": "Редактор",
            "GIT_COMMITTER_EMAIL": "editor@alectro.ru",
            "GIT_CONFIG_GLOBAL": "/dev/null",
        }
        if date:
            env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = date
        result = subprocess.run(["git", *args], cwd=self.root, env=env, check=True, capture_output=True, text=True)
        return result.stdout.strip()

    def write(self, relative: str, text: str) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="")
        return path

    def commit(self, message: str, date: str, *paths: str) -> str:
        """Commit ``paths`` (everything when none) at ``date`` (ISO 8601 with offset); return the hash."""
        self.git("add", *(paths or ["-A"]))
        self.git("commit", "-q", "--allow-empty", "-m", message, date=date)
        return self.git("rev-parse", "HEAD")

    def build(self, **options) -> Path:
        return build_site(self.root / "mkdocs.yml", self.root / "site", **options)

    def page(self, relative: str = "index.html", **options):
        """Build and return the page ``relative`` of the built site, parsed."""
        return read_html(self.build(**options) / relative)

    def configure(self, plugin_options: str) -> None:
        """Rewrite ``mkdocs.yml`` with these (YAML, indented) options for the plugin."""
        self.write("mkdocs.yml", MINIMAL_CONFIG.format(plugin_options=":\n" + plugin_options if plugin_options else ""))


MINIMAL_CONFIG = """\
site_name: Test
site_url: https://alectro.ru/privacy/
theme:
  name: material
  language: ru
  font: false
plugins:
  - search
  - alectro-policy{plugin_options}
"""


@dataclass
class Visit:
    """What one browser context saw: its page, every request, console errors and page errors."""

    page: object
    origin: str
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def foreign_requests(self) -> list[str]:
        return [
            url
            for url in self.requests
            if urlsplit(url).scheme in ("http", "https", "ws", "wss") and origin_of(url) != self.origin
        ]


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


METRICA = "https://mc.yandex.ru/**"
"""Yandex Metrica's host, which browser tests answer themselves."""


class Seen(Visit):
    """What a visit saw, and the consent cookie and banner it met."""

    def cookie(self, name="alectro_consent"):
        return next((c["value"] for c in self.page.context.cookies() if c["name"] == name), None)

    def banner(self):
        return self.page.get_by_role("region", name="Согласие на cookies")


# How every test launches Chromium: no first-run dialogs, no traffic of its own.
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


# Material's instant navigation follows a link only once it has read sitemap.xml; a click before that loads
# the page. Noted, in the page, as the sitemap is parsed (the click handler is set up right after).
NOTE_SITEMAP_READ = """(() => {
  const parse = DOMParser.prototype.parseFromString;
  DOMParser.prototype.parseFromString = function (text, type) {
    const parsed = parse.apply(this, arguments);
    if (type === 'text/xml' && parsed.querySelector('urlset')) window.sitemapRead = true;
    return parsed;
  };
})();"""


def wait_for_instant_navigation(page) -> None:
    """Wait until Material's instant navigation would follow a click (visits opened by ``open_site``)."""
    page.wait_for_function("window.sitemapRead === true")


def wait_for_lines(log: Path, count: int, timeout: float = 10.0) -> list[str]:
    """The log's lines once it holds ``count`` of them: nginx writes its log after sending the answer."""
    deadline = time.monotonic() + timeout
    while True:
        lines = log.read_bytes().splitlines(keepends=True) if log.exists() else []
        if len(lines) >= count or time.monotonic() > deadline:
            return [line.decode("utf-8", errors="replace") for line in lines]
        time.sleep(0.02)


T = TypeVar("T")


def require(found: T | None, hint: str) -> T:
    """Return ``found`` (a tool's path, a module spec); without it skip the test saying ``hint``, or fail it under CI
    (``CI=true``), where a missing tool must never pass as a skipped test."""
    import pytest

    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail(hint)
        pytest.skip(hint)
    return found


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now, for a server a test starts."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def make_changes(repo: GitRepo, *arguments: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run the Makefile's 'changes' target in ``repo`` with this checkout's virtual environment; ``env``: variables
    added to the environment (as CI passes the title)."""
    venv = REPO / ".venv"
    return subprocess.run(
        ["make", "-s", "-f", str(REPO / "Makefile"), "-o", f"{venv}/.installed", f"VENV={venv}", "changes", *arguments],
        cwd=repo.root,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **(env or {})},
    )


BUTTONS = {"GitHub merge commit": "Create a merge commit", "squash": "Squash and merge", "rebase": "Rebase and merge"}
"""The merge methods the tests make, by the GitHub button each stands for."""


def summary_for(report: str, method: str) -> str | None:
    """Return the summary ``make changes``'s report promises the history for a merge by ``method`` (one of
    ``BUTTONS``, or any other for a merge without a title), Markdown escapes removed; None when it names none."""
    if "Описания в истории редакций не будет" in report:
        return ""
    one = re.search(r"Описание в истории редакций: «(.*)»\.$", report, re.MULTILINE)
    if one:
        return re.sub(r"\\(.)", r"\1", one[1])
    for line in re.findall(r"^- (.*): «(.*)»[;.]$", report, re.MULTILINE):
        if f"**{BUTTONS.get(method)}**" in line[0]:
            return re.sub(r"\\(.)", r"\1", line[1])
    return None


def run_proof(*args: str) -> subprocess.CompletedProcess:
    """Run the consent-proof CLI as ``make consent-proof`` does; return the finished process (never raises)."""
    env = {**os.environ, "PYTHONPATH": str(REPO / "deploy")}
    return subprocess.run(
        [sys.executable, "-m", "alectro_deploy.consent_proof", *args], env=env, capture_output=True, text=True
    )


# -- the consent log: the banner's query and the lines nginx writes of it (deploy/nginx-http.conf) -------------

CONSENT_ID_A = "3f2b9c1e-8a4d-4e6f-9b0a-1c2d3e4f5a6b"
CONSENT_ID_B = "0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f"
SHA_1 = "a" * 64
SHA_2 = "b" * 64
BANNER_TEXT = "0123456789abcdef"


def recorded(record, with_ua: bool = False) -> tuple:
    """What a consent-log record says of a choice, in the order the banner sends it (the user agent on request)."""
    fields = (record.consent_id, record.choice, record.categories, record.doc, record.edition, record.sha)
    return (*fields, record.client_time, *((record.ua,) if with_ua else ()))


def banner_fields(
    consent_id: str,
    *,
    choice="all",
    categories=("necessary", "analytics"),
    doc="docs/cookies.md",
    ed="2",
    sha=SHA_2,
    t="1795600000",
    v="2",
    h=BANNER_TEXT,
    p="",
) -> dict[str, str]:
    """The query fields the banner sends for one choice, decoded: record version 2 by default (no banner text,
    no previous choice), ``v="3"`` as the banner sends them now."""
    fields = {
        "v": v,
        "id": consent_id,
        "choice": choice,
        "c": "+".join(categories),
        "doc": doc,
        "ed": ed,
        "sha": sha,
        "t": t,
    }
    return {**fields, "h": h, "p": p} if v == "3" else fields


def form_value(value: str) -> str:
    """``value`` as the banner's URLSearchParams writes it: '+' as %2B, a space as '+', '~' as %7E, '*' as it is."""
    from urllib.parse import quote_plus

    return quote_plus(value, safe="*").replace("~", "%7E")


def query(fields: dict[str, str]) -> str:
    """``fields`` encoded as the banner's URLSearchParams does ('+' as %2B, a space as '+')."""
    return "&".join(f"{form_value(key)}={form_value(value)}" for key, value in fields.items())


def nginx_line(fields: dict[str, str], *, time_iso: str | None = None, addr="203.0.113.7", ua="Mozilla/5.0") -> str:
    """The log line nginx writes for a GET with ``fields`` (values still percent-encoded, as $arg_* are); by
    default at the server's time a second after the browser's ``t`` (Moscow time), as a request sent at once is."""
    import datetime as dt
    import json

    if time_iso is None:
        moscow = dt.timezone(dt.timedelta(hours=3))
        try:
            time_iso = dt.datetime.fromtimestamp(int(fields["t"]) + 1, moscow).isoformat()
        except (KeyError, ValueError, OverflowError, OSError):
            time_iso = "2026-11-25T12:46:41+03:00"

    encoded = {key: form_value(value) for key, value in fields.items()}
    return json.dumps({"time": time_iso, "addr": addr, "ua": ua, **encoded}, ensure_ascii=False) + "\n"


def option_errors(plugin_options: dict) -> list[str]:
    """Return the errors MkDocs reports when it loads the plugin's ``plugin_options``, as ``option: message``."""
    from alectro_policy.config import PolicyConfig

    config = PolicyConfig()
    config.load_dict(plugin_options)
    errors, _ = config.validate()
    return [f"{name}: {error}" for name, error in errors]


def published(path: str, *texts: str, editorial: tuple[int, ...] = (), draft: str | None = None, moved_from=()):
    """Return the ``PublishedDocument`` of ``docs/<path>`` whose editions are ``texts`` (edition n committed on 1 + n
    January 2026, 12:00 in Moscow; those numbered in ``editorial`` marked so), with ``draft`` as its uncommitted
    text (dated 1 December 2026) and ``moved_from``: (former path relative to docs/, editions published there)."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    from alectro_policy.history.editions import (
        DocumentEditions,
        FormerPath,
        State,
        editions_from_states,
        pending_edition,
    )
    from alectro_policy.output.publication import published_document
    from alectro_policy.urls import page_url

    zone = ZoneInfo("Europe/Moscow")

    def committed_at(n: int) -> str:
        # Where edition n was committed: the first former path that saw it, else where the document is now.
        return next((f"docs/{old}" for old, count in moved_from if n <= count), f"docs/{path}")

    states = [
        State(
            f"{n:040x}",
            dt.datetime(2026, 1, n + 1, 9, tzinfo=dt.UTC),
            f"Редакция {n}",
            "",
            text.encode(),
            editorial=n in editorial,
            path=committed_at(n),
        )
        for n, text in enumerate(texts, start=1)
    ]
    editions = editions_from_states(f"docs/{path}", states, zone)
    pending = pending_edition(editions, draft.encode(), (), dt.date(2026, 12, 1)) if draft is not None else None
    former = tuple(FormerPath(f"docs/{old}", count) for old, count in moved_from)
    return published_document(DocumentEditions(path, f"docs/{path}", editions, pending, former), page_url)
